// A query that does not depend on the period (the open deals now) runs once per
// report call, shared by the current and the previous period's computation; any
// query that differs (in SQL or parameters) runs on its own. Real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Kysely, SqliteDialect } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../src-main/db/database'
import { openAppDatabase, type AppDatabase } from '../src-main/db/open'
import { funnelReport } from '../src-main/reports/funnel'
import { reportInput, sharedQuery, type ReportQuery } from '../src-main/reports/period'
import { winLossReport } from '../src-main/reports/winloss'
import { systemCtx } from '../src-main/services/context'

let dir: string
let app: AppDatabase
let logged: string[]
let db: Kysely<Database>

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crm-shared-'))
  app = await openAppDatabase(join(dir, 'crm.sqlite'))
  logged = []
  // A second Kysely on the same connection, logging every statement it runs.
  db = new Kysely<Database>({ dialect: new SqliteDialect({ database: app.sqlite }), log: (e) => void logged.push(e.query.sql) })
  const iso = '2026-11-05T02:00:00.000Z'
  app.sqlite.prepare("insert into accounts (name, tags, lifecycle, search_text, created_at, updated_at) values ('甲', '[]', 'prospect', '', ?, ?)").run(iso, iso)
  const stage = app.sqlite.prepare("select id from pipeline_stages where pipeline = 'default' and kind = 'open' order by sort_order limit 1").get() as { id: number }
  const opp = app.sqlite.prepare("insert into opportunities (title, account_id, amount_fen, stage_id, probability, status, stage_changed_at, search_text, created_at, updated_at) values (?, 1, ?, ?, 10, 'open', ?, '', ?, ?)")
  const d1 = Number(opp.run('一', 100_000, stage.id, iso, iso, iso).lastInsertRowid)
  opp.run('二', 50_000, stage.id, iso, iso, iso)
  app.sqlite.prepare("insert into opportunity_competitors (opportunity_id, name, created_at, updated_at) values (?, '对手甲', ?, ?)").run(d1, iso, iso)
})
afterEach(async () => {
  await db.destroy().catch(() => undefined)
  await app.close().catch(() => undefined)
  rmSync(dir, { recursive: true, force: true })
})

const ctx = () => systemCtx({ now: () => new Date('2026-11-20T02:00:00.000Z') })
const count = (needle: RegExp) => logged.filter((s) => needle.test(s)).length

describe('queries shared between the current and the previous period', () => {
  it('runs the open-deals snapshot of the funnel and the open competitors of win/loss once, with the same figures for both periods', async () => {
    const funnel = await funnelReport(db, ctx(), reportInput.parse({}))
    // Open deals by stage: one statement for both periods; the cohort (created in the period) runs for each.
    expect(count(/"o"\."status" = \? and "o"\."stage_id" in/)).toBe(1)
    expect(count(/with "c" as materialized/)).toBe(2)
    const open = (r: typeof funnel.current) => r.stages.filter((s) => s.count > 0).map((s) => [s.count, s.amountFen])
    expect(open(funnel.current)).toEqual([[2, 150_000]])
    expect(open(funnel.previous!)).toEqual([[2, 150_000]])

    logged = []
    const wl = await winLossReport(db, ctx(), reportInput.parse({}))
    expect(count(/from "opportunity_competitors" as "oc" inner join "opportunities" as "o" on "o"\."id" = "oc"\."opportunity_id" where "o"\."status" = \?/)).toBe(1)
    expect(wl.current.competitors.map((c) => [c.name, c.open])).toEqual([['对手甲', 1]])
    expect(wl.previous!.competitors.map((c) => [c.name, c.open])).toEqual([['对手甲', 1]])
  })

  it('shares only a literally identical query; without a shared map every call runs', async () => {
    const q = { shared: new Map() } as unknown as ReportQuery
    const open = () => db.selectFrom('opportunities').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open')
    const a = await sharedQuery(q, open())
    const b = await sharedQuery(q, open())
    await sharedQuery(q, db.selectFrom('opportunities').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'won'))
    expect(a).toBe(b)
    expect(logged.length).toBe(2)
    await sharedQuery({} as ReportQuery, open())
    await sharedQuery({} as ReportQuery, open())
    expect(logged.length).toBe(4)
  })
})
