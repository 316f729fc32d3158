// Deal history from another CRM: the 8,800 opportunities of the public "CRM Sales
// Opportunities" data set (read in place from ../shared/data), with owners, stages,
// dates and amounts checked row by row against the CSV as read by a plain split.
// The US-dates variant (M/D/YYYY) must give exactly the same deals.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportResult } from '../src-main/import/engine'
import { businessDate } from '../src-main/shared/dates'
import { createTestCore, type TestCore } from './helpers/core'
import { runJob } from './helpers/jobs'

const DIR = join(__dirname, '..', '..', 'shared', 'data', 'crm-sales-opportunities')
const STAGE_MAP = { Won: '成交', Lost: '输单', Engaging: '意向商机', Prospecting: '潜在商机' }

interface Deal {
  id: string
  agent: string
  account: string
  stage: string
  engage: string
  close: string
  value: string
}
// The file has no quotes (checked): a plain split is an independent reader.
const deals: Deal[] = readFileSync(join(DIR, 'sales_pipeline.csv'), 'utf8')
  .split(/\r?\n/)
  .slice(1)
  .filter(Boolean)
  .map((line) => {
    const [id, agent, , account, stage, engage, close, value] = line.split(',')
    return { id, agent, account, stage, engage, close, value }
  })

async function importDeals(t: TestCore, file: string, extra: object = {}) {
  const e = await runJob(t, 'import:run', { file: { path: file }, target: 'opportunities', stageMap: STAGE_MAP, ...extra })
  if (e.state !== 'done') throw new Error(`${e.state}: ${e.error?.message}`)
  return e.result as ImportResult
}

async function dealsInDb(t: TestCore) {
  const rows = await t.database.db
    .selectFrom('opportunities as o')
    .innerJoin('accounts as a', 'a.id', 'o.account_id')
    .innerJoin('pipeline_stages as s', 's.id', 'o.stage_id')
    .leftJoin('users as u', 'u.id', 'o.owner_id')
    .select(['o.external_id', 'o.amount_fen', 'o.created_at', 'o.closed_at', 'o.expected_close_date', 'o.status', 'o.probability', 's.name as stage', 'a.name as account', 'u.name as owner', 'u.is_imported'])
    .execute()
  return new Map(rows.map((r) => [r.external_id!, r]))
}

describe('8,800 opportunities from the public CRM sample', () => {
  let t: TestCore
  let iso: Awaited<ReturnType<typeof dealsInDb>>
  let result: ImportResult
  beforeAll(async () => {
    t = await createTestCore({ clock: () => new Date('2026-11-29T02:00:00.000Z') })
    result = await importDeals(t, join(DIR, 'sales_pipeline.csv'))
    iso = await dealsInDb(t)
  }, 120_000)
  afterAll(async () => t.cleanup())

  it('imports every row, with the sales agents as imported users', async () => {
    expect(deals).toHaveLength(8800)
    expect(result).toMatchObject({ imported: 8800, rejected: 0, duplicates: 0, errors: [] })
    const agents = [...new Set(deals.map((d) => d.agent))].sort()
    expect([...result.createdUsers].sort()).toEqual(agents)
    const users = await t.ok('users:list', {})
    expect(users.filter((u) => u.isImported).map((u) => u.name).sort()).toEqual(agents)
    // Deals without an account (prospecting) are filed under one placeholder account.
    const accounts = new Set(deals.map((d) => d.account).filter(Boolean))
    expect((await t.ok('accounts:list', { pageSize: 500 })).total).toBe(accounts.size + 1)
    expect(result.warningCount).toBe(deals.filter((d) => !d.account).length)
  })

  it('keeps stages, owners, dates and amounts intact, row by row', () => {
    const stageOf: Record<string, string> = STAGE_MAP
    // Compared in plain code and asserted once: 8,800 × 10 expect() calls would take seconds.
    const wrong: string[] = []
    const check = (id: string, what: string, got: unknown, want: unknown) => {
      if (got !== want) wrong.push(`${id} ${what}: ${String(got)} ≠ ${String(want)}`)
    }
    for (const d of deals) {
      const o = iso.get(d.id)
      if (!o) {
        wrong.push(`${d.id} missing`)
        continue
      }
      check(d.id, 'stage', o.stage, stageOf[d.stage])
      check(d.id, 'owner', o.owner, d.agent)
      check(d.id, 'imported owner', o.is_imported, 1)
      check(d.id, 'account', o.account, d.account || '（未填写客户）')
      check(d.id, 'created', businessDate(new Date(o.created_at)), d.engage || '2026-11-29')
      check(d.id, 'amount', o.amount_fen, d.value ? Math.round(Number(d.value) * 100) : 0)
      if (d.stage === 'Won' || d.stage === 'Lost') {
        check(d.id, 'status', o.status, d.stage.toLowerCase())
        check(d.id, 'closed', o.closed_at && businessDate(new Date(o.closed_at)), d.close)
        check(d.id, 'expected', o.expected_close_date, d.close)
        check(d.id, 'probability', o.probability, d.stage === 'Won' ? 100 : 0)
      } else {
        check(d.id, 'status', o.status, 'open')
        check(d.id, 'closed', o.closed_at, null)
      }
    }
    expect(wrong.slice(0, 10)).toEqual([])
    expect(iso.size).toBe(8800)
    const total = deals.reduce((s, d) => s + (d.value ? Math.round(Number(d.value) * 100) : 0), 0)
    expect([...iso.values()].reduce((s, o) => s + o.amount_fen, 0)).toBe(total)
  })

  it('importing the same file again finds every deal by its id (nothing doubled)', async () => {
    const again = await runJob(t, 'import:run', { file: { path: join(DIR, 'sales_pipeline.csv') }, target: 'opportunities', stageMap: STAGE_MAP, dryRun: true })
    expect(again.result).toMatchObject({ imported: 0, duplicates: 8800, batchId: null, dryRun: true })
  })

  it('the US-dates variant (M/D/YYYY) is detected as month/day and gives the same deals', async () => {
    const us = await createTestCore({ clock: () => new Date('2026-11-29T02:00:00.000Z') })
    try {
      const inspect = await us.ok('import:inspect', { file: { path: join(DIR, 'us-dates', 'sales_pipeline.csv') }, target: 'opportunities' })
      expect(inspect.dateOrder).toMatchObject({ order: 'mdy', needsOrder: true })
      // Every stage name of the file (Prospecting only appears after the first rows), with counts, for the
      // wizard's mapping step; won/lost are recognised, the others need mapping.
      expect(inspect.stageValues.map((s) => [s.value, s.count, s.stageId !== null])).toEqual([
        ['Won', 4238, true], ['Lost', 2473, true], ['Engaging', 1589, false], ['Prospecting', 500, false],
      ])
      // A dry run without a mapping lists every stage value in the file and rejects what has no stage.
      const dry = (await runJob(us, 'import:run', { file: { path: join(DIR, 'us-dates', 'sales_pipeline.csv') }, target: 'opportunities', dryRun: true })).result as ImportResult
      expect(dry.stageValues.map((s) => [s.value, s.count, s.stageId !== null])).toEqual([
        ['Won', 4238, true], ['Lost', 2473, true], ['Engaging', 1589, false], ['Prospecting', 500, false],
      ])
      expect(dry.rejected).toBe(1589 + 500)
      expect(dry.errors[0].message).toMatch(/^未知的阶段“(Engaging|Prospecting)”/)
      expect((await us.ok('opportunities:list', {})).total).toBe(0)
      const r = await importDeals(us, join(DIR, 'us-dates', 'sales_pipeline.csv'))
      expect(r).toMatchObject({ imported: 8800, rejected: 0, dateOrder: 'mdy' })
      const fromUs = await dealsInDb(us)
      const key = (o: typeof iso extends Map<string, infer V> ? V : never) => JSON.stringify([o.created_at, o.closed_at, o.expected_close_date, o.amount_fen, o.stage, o.owner])
      const differ = [...iso].filter(([id, o]) => !fromUs.has(id) || key(fromUs.get(id)!) !== key(o)).map(([id]) => id)
      expect(fromUs.size).toBe(8800)
      expect(differ).toEqual([])
    } finally {
      await us.cleanup()
    }
  }, 120_000)
})

describe('ambiguous dates are asked for, never guessed', () => {
  it('refuses 3/1/2017-only files until the order is given, then reads them that way', async () => {
    const t = await createTestCore()
    try {
      const file = join(t.dir, 'ambiguous.csv')
      writeFileSync(file, 'opportunity_id,account,deal_stage,engage_date,close_value\nA1,Acme,Won,3/1/2017,100\nA2,Acme,Lost,4/2/2017,50\n')
      const inspect = await t.ok('import:inspect', { file: { path: file }, target: 'opportunities' })
      expect(inspect.dateOrder).toMatchObject({ order: null, needsOrder: true, example: '3/1/2017' })
      const refused = await runJob(t, 'import:run', { file: { path: file }, target: 'opportunities' })
      expect(refused.state).toBe('failed')
      expect(refused.error?.code).toBe('IMPORT_DATE_ORDER_AMBIGUOUS')
      expect(refused.error?.message).toContain('3/1/2017')
      expect((await t.ok('opportunities:list', {})).total).toBe(0)
      const ok = await runJob(t, 'import:run', { file: { path: file }, target: 'opportunities', dateOrder: 'dmy' })
      expect(ok.result).toMatchObject({ imported: 2, dateOrder: 'dmy' })
      const created = (await t.ok('opportunities:list', { sort: 'title', order: 'asc' })).rows.map((o) => businessDate(new Date(o.createdAt)))
      expect(created).toEqual(['2017-01-03', '2017-02-04'])
    } finally {
      await t.cleanup()
    }
  })
})
