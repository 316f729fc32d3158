// Migration 0050 (scoring and risks) on a database that already has data.
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../src-main/db/migrate'
import { openAppDatabase } from '../src-main/db/open'
import { kyselyFor, openSqlite } from '../src-main/db/sqlite'
import { getSettings } from '../src-main/services/settings'
import { tempDir } from './helpers/core'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

describe('migration 0050-scoring-and-risks', () => {
  it('keeps existing deals and leads, adds empty scoring columns and seeds the default models', async () => {
    const dir = tempDir()
    const file = join(dir, 'crm.sqlite')
    const old: Kysely<any> = kyselyFor(openSqlite(file))
    await migrate(old, { target: '0040-board-and-follow-up' })
    const now = '2026-11-01T00:00:00.000Z'
    const user = await old.insertInto('users').values({ name: '老销售', role: 'sales', skills: '[]', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()
    const account = await old.insertInto('accounts').values({ name: '老客户', tags: '[]', lifecycle: 'customer', credit_level: 'B', search_text: '', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()
    const stage = await old.selectFrom('pipeline_stages').select(['id', 'probability']).where('key', '=', 'intent').executeTakeFirstOrThrow()
    await old
      .insertInto('opportunities')
      .values({ title: '老商机', account_id: account.id, amount_fen: 123_456, stage_id: stage.id, probability: 45, probability_manual: 1, owner_id: user.id, status: 'open', stage_changed_at: now, search_text: '', created_at: now, updated_at: now })
      .execute()
    await old.insertInto('leads').values({ company: '老线索', status: 'new', score: 66, search_text: '', created_at: now, updated_at: now }).execute()
    await old.destroy()

    const app = await openAppDatabase(file)
    cleanups.push(() => app.close())
    expect(app.migration.applied).toContain('0050-scoring-and-risks')
    const opp = await app.db.selectFrom('opportunities').selectAll().executeTakeFirstOrThrow()
    expect(opp).toMatchObject({ title: '老商机', amount_fen: 123_456, probability: 45, probability_manual: 1, score: null, grade: null, learned_probability: null, risk_level: null, margin_percent: null })
    // A score typed in before scorecards existed stays; it has no grade until the form is filled.
    expect(await app.db.selectFrom('leads').select(['company', 'score', 'grade']).executeTakeFirstOrThrow()).toEqual({ company: '老线索', score: 66, grade: null })

    const models = await app.db
      .selectFrom('scoring_models as m')
      .innerJoin('scoring_model_versions as v', 'v.id', 'm.current_version_id')
      .select(['m.entity', 'm.is_active', 'v.version', 'v.criteria', 'v.thresholds'])
      .orderBy('m.id')
      .execute()
    expect(models.map((m) => [m.entity, m.is_active, m.version, (JSON.parse(m.criteria) as unknown[]).length, JSON.parse(m.thresholds)])).toEqual([
      ['opportunity', 1, 1, 8, { A: 80, B: 60, C: 40 }],
      ['lead', 1, 1, 4, { A: 80, B: 60, C: 40 }],
    ])
    expect(await getSettings(app.db)).toMatchObject({ scoreRefreshDays: 30, riskDiscounts: { low: 5, medium: 15, high: 35 }, winModelMinClosed: 50 })

    // Lists filter by grade and sort by score from the new indexes.
    const plan = (q: string) => (app.sqlite.prepare(`explain query plan ${q}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ')
    expect(plan("select id from opportunities where grade = 'A' order by score desc")).toContain('opps_grade_idx')
    expect(plan('select id from opportunities order by score desc limit 20')).toContain('opps_score_idx')
    expect(plan("select id from leads where grade = 'B'")).toContain('leads_grade_idx')
    expect(plan("select sh.opportunity_id, max(ps.sort_order) from stage_history sh join pipeline_stages ps on ps.id = sh.to_stage_id where ps.kind = 'open' group by sh.opportunity_id")).toContain('COVERING INDEX stage_history_path_idx')
  })
})
