// Migration 0060 (targets, channel costs, competitors, forecast category, report
// indexes): upgrade of a database with data, and the query plans of every report
// (no report reads the whole opportunities or activities table).
import { join } from 'node:path'
import { Kysely, SqliteDialect } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../src-main/db/migrate'
import { MIGRATIONS } from '../src-main/db/migrations/registry'
import { kyselyFor, openSqlite } from '../src-main/db/sqlite'
import { REPORTS } from '../src-main/reports/export'
import { reportInput } from '../src-main/reports/period'
import { REPORT_NAMES } from '../src-main/shared/reports/types'
import { tempDir } from './helpers/core'

const NAME = '0060-report-targets-and-competitors'
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

describe('migration 0060', () => {
  it('adds targets, costs, competitors and a forecast category that existing deals get as "pipeline"', async () => {
    const db = kyselyFor(openSqlite(join(tempDir(), 'crm.sqlite'))) as unknown as Kysely<any>
    cleanups.push(() => db.destroy())
    const before = MIGRATIONS[MIGRATIONS.findIndex(([n]) => n === NAME) - 1][0]
    await migrate(db, { target: before })
    const now = '2026-11-01T02:00:00.000Z'
    const user = await db.insertInto('users').values({ name: '张三', role: 'sales', skills: '[]', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()
    const account = await db.insertInto('accounts').values({ name: '甲公司', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()
    const stage = await db.selectFrom('pipeline_stages').select('id').where('key', '=', 'intent').executeTakeFirstOrThrow()
    const opp = await db
      .insertInto('opportunities')
      .values({ title: '老商机', account_id: account.id, amount_fen: 100, stage_id: stage.id, probability: 30, stage_changed_at: now, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()

    const report = await migrate(db)
    expect(report.applied).toContain(NAME)
    expect(await db.selectFrom('opportunities').select(['title', 'forecast_category']).execute()).toEqual([{ title: '老商机', forecast_category: 'pipeline' }])
    await expect(db.updateTable('opportunities').set({ forecast_category: 'maybe' }).execute()).rejects.toThrow(/CHECK/)
    await db.insertInto('sales_targets').values({ user_id: user.id, month: '2026-11', amount_fen: 1, created_at: now, updated_at: now }).execute()
    await expect(db.insertInto('sales_targets').values({ user_id: user.id, month: '2026-11', amount_fen: 2, created_at: now, updated_at: now }).execute()).rejects.toThrow(/UNIQUE/)
    await db.insertInto('opportunity_competitors').values({ opportunity_id: opp.id, name: '对手甲', won_against: null, created_at: now, updated_at: now }).execute()
    await db.deleteFrom('opportunities').where('id', '=', opp.id).execute()
    expect(await db.selectFrom('opportunity_competitors').selectAll().execute()).toEqual([])
  })

  it('lets every report read through indexes: no query scans opportunities or activities whole', async () => {
    const sqlite = openSqlite(join(tempDir(), 'crm.sqlite'))
    const queries: Array<{ sql: string; parameters: readonly unknown[] }> = []
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }), log: (e) => void (e.level === 'query' && queries.push(e.query)) })
    cleanups.push(() => db.destroy())
    await migrate(db)
    const ctx = { userId: null, locale: 'zh-CN' as const, now: () => new Date('2026-11-20T02:00:00.000Z') }
    queries.length = 0
    for (const name of REPORT_NAMES) await REPORTS[name](db as never, ctx, reportInput.parse({ compare: false }))
    const scans: string[] = []
    for (const q of queries.filter((x) => /^(with|select)/i.test(x.sql))) {
      const plan = sqlite.prepare(`explain query plan ${q.sql}`).all(...q.parameters.map((p) => (typeof p === 'boolean' ? Number(p) : p))) as Array<{ detail: string }>
      for (const { detail } of plan) if (/^SCAN (o|x|opportunities|activities)\b/.test(detail)) scans.push(`${detail}  ←  ${q.sql.slice(0, 160)}`)
    }
    expect(queries.length).toBeGreaterThan(30)
    expect(scans).toEqual([])
  })
})
