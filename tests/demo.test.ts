import { companyKey } from '../src-main/shared/keys'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAppDatabase, type AppDatabase } from '../src-main/db/open'
import { generateDemo, type DemoSummary } from '../src-main/demo/generate'
import { accountListInput, listAccounts } from '../src-main/services/accounts'
import { activityListInput, listActivities } from '../src-main/services/activities'
import type { Ctx, JobProgress } from '../src-main/services/context'
import { getDashboard } from '../src-main/services/dashboard'
import { getSettings } from '../src-main/services/settings'
import { AppError } from '../src-main/shared/errors'
import { isMobile } from '../src-main/shared/phone'

const NOW = new Date('2026-11-29T02:00:00Z')
const ctx = (extra: Partial<Ctx> = {}): Ctx => ({ userId: null, locale: 'zh-CN', now: () => NOW, ...extra })

const dirs: string[] = []
const opened: AppDatabase[] = []
async function freshDb(): Promise<AppDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-demo-'))
  dirs.push(dir)
  const app = await openAppDatabase(join(dir, 'crm.sqlite'))
  opened.push(app)
  return app
}
async function count(app: AppDatabase, table: 'users' | 'accounts' | 'contacts' | 'leads' | 'opportunities' | 'activities' | 'stage_history') {
  const r = await app.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(r.n)
}
async function dump(app: AppDatabase): Promise<string> {
  const opps = await app.db.selectFrom('opportunities').selectAll().orderBy('id').execute()
  const acts = await app.db.selectFrom('activities').selectAll().orderBy('id').execute()
  return JSON.stringify({ opps, acts })
}

let app: AppDatabase
let summary: DemoSummary
const progress: JobProgress[] = []
let elapsedMs = 0

beforeAll(async () => {
  app = await freshDb()
  const started = performance.now()
  summary = await generateDemo(app.db, ctx({ progress: (p) => progress.push(p) }), { seed: 20261129 })
  elapsedMs = performance.now() - started
})

afterAll(async () => {
  for (const a of opened) await a.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('demo data', () => {
  it('fills every table with the advertised amounts, quickly, reporting progress', async () => {
    expect(summary).toMatchObject({ users: 10 })
    expect(summary.accounts).toBeGreaterThanOrEqual(250)
    expect(summary.accounts).toBeLessThanOrEqual(350)
    expect(summary.contacts).toBeGreaterThanOrEqual(summary.accounts)
    expect(summary.contacts).toBeLessThanOrEqual(summary.accounts * 3)
    expect(summary.leads).toBeGreaterThanOrEqual(150)
    expect(summary.leads).toBeLessThanOrEqual(250)
    expect(summary.opportunities).toBeGreaterThanOrEqual(500)
    expect(summary.opportunities).toBeLessThanOrEqual(700)
    expect(summary.activities).toBeGreaterThanOrEqual(2500)
    expect(summary.activities).toBeLessThanOrEqual(3600)
    for (const table of ['users', 'accounts', 'contacts', 'leads', 'opportunities', 'activities'] as const) {
      expect(await count(app, table), table).toBe(summary[table])
    }
    expect(elapsedMs).toBeLessThan(5000)
    expect(progress.length).toBeGreaterThan(10)
    const total = progress[0].total
    expect(progress.every((p) => p.total === total && typeof p.message === 'string')).toBe(true)
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b))
    expect(progress[progress.length - 1].done).toBe(total)
    expect((await getSettings(app.db)).companyName).toBe('杭州云帆智能科技有限公司')
  })

  it('has a sales team with valid contact data', async () => {
    const users = await app.db.selectFrom('users').selectAll().orderBy('id').execute()
    expect(users.filter((u) => u.role === 'admin')).toHaveLength(1)
    expect(users.filter((u) => u.role === 'manager')).toHaveLength(1)
    const sales = users.filter((u) => u.role === 'sales')
    expect(sales).toHaveLength(8)
    expect(new Set(sales.map((u) => u.team)).size).toBe(2)
    for (const u of users) {
      expect(isMobile(u.mobile!)).toBe(true)
      expect(u.email).toMatch(/^[a-z]+@[a-z-]+\.com$/)
      expect(Array.isArray(JSON.parse(u.skills))).toBe(true)
    }
    const contacts = await app.db.selectFrom('contacts').select(['mobile', 'phone', 'account_id', 'is_primary', 'birthday']).execute()
    for (const c of contacts) {
      if (c.mobile) expect(isMobile(c.mobile)).toBe(true)
      if (c.phone) expect(c.phone).toMatch(/^0\d{2,3}-\d{8}$/)
      if (c.birthday) expect(c.birthday).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    }
    const primaries = new Map<number, number>()
    for (const c of contacts) primaries.set(c.account_id, (primaries.get(c.account_id) ?? 0) + c.is_primary)
    expect(primaries.size).toBe(summary.accounts)
    expect([...primaries.values()].every((n) => n === 1)).toBe(true)
  })

  it('has accounts with consistent lifecycle, a shared pool and working search', async () => {
    const accounts = await app.db.selectFrom('accounts').selectAll().execute()
    const pool = accounts.filter((a) => a.owner_id === null).length
    expect(pool / accounts.length).toBeGreaterThan(0.04)
    expect(pool / accounts.length).toBeLessThan(0.2)
    const won = await app.db.selectFrom('opportunities').select('account_id').distinct().where('status', '=', 'won').execute()
    const withWon = new Set(won.map((r) => r.account_id))
    for (const a of accounts) {
      if (withWon.has(a.id)) expect(['customer', 'loyal']).toContain(a.lifecycle)
      else expect(['prospect', 'churned']).toContain(a.lifecycle)
      expect(a.name).toMatch(/有限公司$/)
    }
    expect(new Set(accounts.map((a) => a.lifecycle)).size).toBe(4)

    const target = accounts[17]
    const part = target.name.slice(target.city!.length, target.city!.length + 4) // brand + start of the industry word
    const found = await listAccounts(app.db, ctx(), accountListInput.parse({ q: part, pageSize: 500 }))
    expect(found.rows.map((r) => r.id)).toContain(target.id)
    const byTag = await listAccounts(app.db, ctx(), accountListInput.parse({ q: target.industry! }))
    expect(byTag.total).toBeGreaterThan(0)
  })

  it('covers every stage with consistent closed deals', async () => {
    const stages = await app.db.selectFrom('pipeline_stages').selectAll().execute()
    const opps = await app.db.selectFrom('opportunities').selectAll().execute()
    for (const s of stages) expect(opps.filter((o) => o.stage_id === s.id).length, s.key).toBeGreaterThan(20)
    const stageOf = new Map(stages.map((s) => [s.id, s]))
    for (const o of opps) {
      const s = stageOf.get(o.stage_id)!
      expect(o.status).toBe(s.kind)
      expect(o.version).toBe(1)
      expect(o.amount_fen % 10_000).toBe(0) // whole hundreds of yuan
      expect(o.amount_fen).toBeGreaterThanOrEqual(3_000_000)
      expect(o.amount_fen).toBeLessThanOrEqual(200_000_000)
      if (o.status === 'won') expect([o.closed_at !== null, o.probability, o.lost_reason]).toEqual([true, 100, null])
      if (o.status === 'lost') expect([o.closed_at !== null, o.probability, typeof o.lost_reason]).toEqual([true, 0, 'string'])
      if (o.status === 'open') {
        expect(o.closed_at).toBeNull()
        if (o.probability_manual === 0) expect(o.probability).toBe(s.probability)
      }
      if (o.closed_at) expect(o.closed_at < NOW.toISOString()).toBe(true)
      expect(o.created_at >= new Date(NOW.getTime() - 366 * 86_400_000).toISOString()).toBe(true)
    }
    const closed = opps.filter((o) => o.status !== 'open').length
    expect(opps.filter((o) => o.status === 'won').length / opps.length).toBeCloseTo(0.35, 1)
    expect(closed / opps.length).toBeCloseTo(0.6, 1)
    expect(opps.some((o) => o.probability_manual === 1 && o.status === 'open')).toBe(true)
    expect(opps.some((o) => o.status === 'open' && o.expected_close_date! < '2026-11-29')).toBe(true)
    // The contact belongs to the deal's account.
    const contacts = new Map((await app.db.selectFrom('contacts').select(['id', 'account_id']).execute()).map((c) => [c.id, c.account_id]))
    expect(opps.every((o) => contacts.get(o.contact_id!) === o.account_id)).toBe(true)
  })

  it('has stage history that walks forward and ends at the current stage', async () => {
    const stages = new Map((await app.db.selectFrom('pipeline_stages').selectAll().execute()).map((s) => [s.id, s]))
    const opps = await app.db.selectFrom('opportunities').select(['id', 'stage_id', 'stage_changed_at']).execute()
    const rows = await app.db.selectFrom('stage_history').selectAll().orderBy('opportunity_id').orderBy('changed_at').orderBy('id').execute()
    const byOpp = new Map<number, typeof rows>()
    for (const r of rows) byOpp.set(r.opportunity_id, [...(byOpp.get(r.opportunity_id) ?? []), r])
    for (const o of opps) {
      const h = byOpp.get(o.id)!
      expect(h[0].from_stage_id).toBeNull()
      expect(stages.get(h[0].to_stage_id)!.key).toBe('potential')
      for (let i = 1; i < h.length; i++) {
        expect(h[i].from_stage_id).toBe(h[i - 1].to_stage_id)
        expect(h[i].changed_at > h[i - 1].changed_at).toBe(true)
        expect(stages.get(h[i].to_stage_id)!.sort_order).toBeGreaterThan(stages.get(h[i - 1].to_stage_id)!.sort_order)
      }
      expect(h[h.length - 1].to_stage_id).toBe(o.stage_id)
      expect(h[h.length - 1].changed_at).toBe(o.stage_changed_at)
    }
  })

  it('has activities: done history, overdue and upcoming tasks, and stale deals', async () => {
    const acts = await app.db.selectFrom('activities').selectAll().execute()
    const types = new Set(acts.map((a) => a.type))
    expect([...types].sort()).toEqual(['call', 'email', 'meeting', 'note', 'sms', 'social', 'visit', 'wechat'])
    const now = NOW.toISOString()
    expect(acts.filter((a) => a.done_at !== null).every((a) => a.done_at! <= now)).toBe(true)
    expect(acts.some((a) => a.lead_id !== null)).toBe(true)
    const overdue = await listActivities(app.db, ctx(), activityListInput.parse({ state: 'overdue' }))
    expect(overdue.total).toBeGreaterThanOrEqual(20)
    expect(overdue.total).toBeLessThanOrEqual(40)
    const planned = await listActivities(app.db, ctx(), activityListInput.parse({ state: 'planned' }))
    expect(planned.total).toBeGreaterThan(overdue.total + 50)
    const dash = await getDashboard(app.db, ctx(), {})
    expect(dash.todayTasks).toBeGreaterThan(0)
    expect(dash.overdueTasks).toBe(overdue.total)
    expect(dash.newLeads).toBeGreaterThan(0)

    // last_activity_at is the latest done activity of each deal.
    const latest = new Map<number, string>()
    for (const a of acts) {
      if (a.opportunity_id === null || a.done_at === null) continue
      if (!latest.has(a.opportunity_id) || a.done_at > latest.get(a.opportunity_id)!) latest.set(a.opportunity_id, a.done_at)
    }
    const opps = await app.db
      .selectFrom('opportunities')
      .innerJoin('pipeline_stages as s', 's.id', 'opportunities.stage_id')
      .select(['opportunities.id', 'opportunities.status', 'opportunities.last_activity_at', 'opportunities.stage_changed_at', 'opportunities.owner_id', 's.stale_days'])
      .execute()
    for (const o of opps) expect(o.last_activity_at).toBe(latest.get(o.id) ?? null)
    const open = opps.filter((o) => o.status === 'open')
    const stale = open.filter((o) => {
      const touched = [o.last_activity_at, o.stage_changed_at].filter(Boolean).sort().pop()!
      return NOW.getTime() - Date.parse(touched) > o.stale_days! * 86_400_000
    })
    expect(stale.length / open.length).toBeGreaterThan(0.05)
    expect(stale.length / open.length).toBeLessThan(0.2)
    // Deal activities are owned by the deal owner.
    const owner = new Map(opps.map((o) => [o.id, o.owner_id]))
    expect(acts.filter((a) => a.opportunity_id !== null).every((a) => a.owner_id === owner.get(a.opportunity_id!))).toBe(true)
  })

  it('has leads across statuses, some unassigned, some converted', async () => {
    const leads = await app.db.selectFrom('leads').selectAll().execute()
    expect(new Set(leads.map((l) => l.status)).size).toBe(4)
    expect(leads.some((l) => l.owner_id === null)).toBe(true)
    expect(leads.some((l) => l.converted_account_id !== null)).toBe(true)
    expect(leads.some((l) => l.converted_opportunity_id !== null)).toBe(true)
    const since = new Date(NOW.getTime() - 90 * 86_400_000).toISOString()
    expect(leads.every((l) => l.created_at >= since && l.created_at <= NOW.toISOString())).toBe(true)
    expect(leads.every((l) => l.company || l.contact_name)).toBe(true)
    // Duplicate checks (imports, leads:create) match companies by this key.
    expect(leads.filter((l) => l.company).every((l) => l.company_key === companyKey(l.company))).toBe(true)
  })

  it('is deterministic: same seed and clock give identical rows, another seed differs', async () => {
    const same = await freshDb()
    await generateDemo(same.db, ctx(), { seed: 20261129 })
    const expected = await dump(app)
    expect(await dump(same)).toBe(expected)
    const other = await freshDb()
    await generateDemo(other.db, ctx(), { seed: 7 })
    expect(await dump(other)).not.toBe(expected)
  })

  it('refuses to write into a database that already has data', async () => {
    const err = await generateDemo(app.db, ctx(), { seed: 1 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('INVALID_STATE')
    expect((err as AppError).toData('zh-CN').message).toContain('演示数据只能写入空数据库')
    expect(await count(app, 'accounts')).toBe(summary.accounts)
    expect(await count(app, 'users')).toBe(summary.users)
  })

  it('writes nothing when cancelled, before or in the middle of the job', async () => {
    const before = await freshDb()
    const aborted = new AbortController()
    aborted.abort()
    await expect(generateDemo(before.db, ctx({ signal: aborted.signal }), { seed: 1 })).rejects.toMatchObject({ code: 'JOB_CANCELLED' })

    const middle = await freshDb()
    const controller = new AbortController()
    let batches = 0
    const cancelAfterFirst = ctx({ signal: controller.signal, progress: () => (++batches >= 3 ? controller.abort() : undefined) })
    await expect(generateDemo(middle.db, cancelAfterFirst, { seed: 1 })).rejects.toMatchObject({ code: 'JOB_CANCELLED' })
    expect(batches).toBe(3)

    for (const db of [before, middle]) {
      for (const table of ['users', 'accounts', 'contacts', 'opportunities', 'activities'] as const) expect(await count(db, table), table).toBe(0)
      expect((await getSettings(db.db)).companyName).toBe('我的公司')
    }
  })
})
