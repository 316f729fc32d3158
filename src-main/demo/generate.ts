// Demo data: a believable Chinese sales team with a year of history, so the
// app is never empty on first look. Deterministic: the same seed and the same
// ctx.now() give byte-identical rows (seeded PRNG, every date anchored on now).
// Written in one transaction with batched inserts; a cancel rolls all of it back.
import { z } from 'zod'
import type { Db } from '../db/database'
import type { Lifecycle, CreditLevel } from '../db/tables/accounts.table'
import type { LeadStatus } from '../db/tables/leads.table'
import type { OpportunityStatus } from '../db/tables/pipeline.table'
import { throwIfCancelled } from '../api/jobs'
import { accountSearchText } from '../services/accounts'
import { contactSearchText } from '../services/contacts'
import type { Ctx } from '../services/context'
import { leadSearchText } from '../services/leads'
import { oppSearchText } from '../services/opportunities'
import { businessDate } from '../shared/dates'
import { companyKey } from '../shared/keys'
import { COMPANY_SIZES, SOURCE_CHANNELS } from '../shared/domain'
import { AppError } from '../shared/errors'
import { formatFen } from '../shared/money'
import * as P from './pools'
import { DAY, HOUR, MINUTE, Rng, laterToday, spread, workTime } from './random'

export const demoInput = z.object({ seed: z.number().int().default(20261129) })
export interface DemoSummary { users: number; accounts: number; contacts: number; leads: number; opportunities: number; activities: number }

export const DEMO_COMPANY_NAME = '杭州云帆智能科技有限公司'
const COMPANY_DOMAIN = 'yunfan-tech.com'
const COUNTS = { accounts: 300, leads: 200, won: 210, lost: 150, open: 240, stale: 24, overdueDeals: 25, todayDeals: 15, upcomingDeals: 100 }
const BATCH = 150
const STAGE_KEYS = ['potential', 'intent', 'negotiation', 'won', 'lost'] as const

type Idx = number
interface AccountPlan extends P.Company {
  industry: string; place: P.Place; address: string; sizeIndex: number; revenueFen: number | null; source: string
  tags: string[]; credit: CreditLevel; owner: Idx | null; lifecycle: Lifecycle; website: string | null; notes: string | null
  created: number; updated: number; contacts: Idx[]; deals: Idx[]; weight: number
}
interface ContactPlan { account: Idx; name: string; title: string; mobile: string | null; phone: string | null; email: string | null; wechat: string | null; birthday: string | null; primary: boolean }
interface DealPlan {
  account: Idx; contact: Idx; owner: Idx; status: OpportunityStatus; reached: number; stale: boolean
  created: number; changes: number[]; closed: number | null; lastTouch: number
  title: string; amountFen: number; expectedClose: string; probability: number; manual: boolean; source: string; lostReason: string | null; notes: string | null
}
interface LeadPlan {
  company: string | null; contactName: string; title: string | null; mobile: string | null; phone: string | null; email: string | null; wechat: string | null
  place: P.Place; industry: string; source: string; status: LeadStatus; owner: Idx | null; score: number | null; notes: string | null
  convertedAccount: Idx | null; convertedDeal: Idx | null; created: number; updated: number
}
interface ActivityPlan {
  type: P.ActivityTemplate['type']; subject: string; notes: string; outcome: string | null; due: number | null; done: number | null
  owner: Idx | null; lead: Idx | null; account: Idx | null; contact: Idx | null; deal: Idx | null; created: number
}

/** Indices of `items` ordered by `key` (stable), so ids grow with creation time. */
const orderBy = <T>(items: T[], key: (t: T) => number) => items.map((_, i) => i).sort((a, b) => key(items[a]) - key(items[b]) || a - b)

/** Build every row in memory first: pure, seeded, anchored on `now`. `open` = the three open stages in order. */
function plan(seed: number, now: number, open: Array<{ probability: number; staleDays: number }>) {
  const rng = new Rng(seed)
  const mobiles = new Set<string>()
  const names = new Set<string>()
  const source = () => rng.weighted(SOURCE_CHANNELS.map((s, i) => [s as string, P.SOURCE_WEIGHTS[i] ?? 1] as const))
  const rep = (team: string) => rng.weighted(P.USERS.flatMap((u, i) => (u.role === 'sales' && u.team === team ? [[i, u.weight] as const] : [])))
  const fill = (text: string, vars: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '')
  const users = P.USERS.map((u, i) => ({ ...u, mobile: P.makeMobile(rng, mobiles), created: now - (800 - i) * DAY }))

  const accounts: AccountPlan[] = []
  const contacts: ContactPlan[] = []
  for (let i = 0; i < COUNTS.accounts; i++) {
    const place = rng.weighted(P.PLACES.map((p) => [p, p.weight] as const))
    const industry = rng.weighted(P.INDUSTRIES.map((x) => [x, x.weight] as const))
    const sizeIndex = rng.weighted([[0, 15], [1, 35], [2, 28], [3, 14], [4, 8]] as const)
    const company = P.makeCompany(rng, names, place, industry, sizeIndex >= 3)
    const [lo, hi] = P.REVENUE_YUAN[sizeIndex]
    const ownership = rng.weighted([[['民营'], 6], [['国企'], 1], [['外资'], 1], [[], 4]] as const)
    const pool = rng.chance(0.1)
    const a: AccountPlan = {
      ...company, industry: industry.name, place, sizeIndex, source: source(),
      address: `${place.city}市${rng.pick(P.ZONES)}${rng.pick(P.ROADS)}路${rng.int(1, 999)}号`,
      revenueFen: rng.chance(0.1) ? null : Math.round(rng.logUniform(lo, hi) / 1e5) * 1e5 * 100,
      tags: [...ownership, ...rng.sample(P.ACCOUNT_TAGS, rng.int(0, 2))], credit: 'B', owner: pool ? null : rep(place.team),
      lifecycle: 'prospect', website: rng.chance(0.6) ? `www.${company.domain}` : null, notes: rng.chance(0.25) ? rng.pick(P.ACCOUNT_NOTES) : null,
      created: 0, updated: 0, contacts: [], deals: [], weight: rng.chance(0.12) ? 0 : (0.3 + rng.float() ** 2 * 4) * (pool ? 0.5 : 1),
    }
    accounts.push(a)
    const n = rng.weighted([[1, 4], [2, 4], [3, 2]] as const)
    for (let k = 0; k < n; k++) {
      const p = P.makePerson(rng)
      const mobile = rng.chance(0.9) ? P.makeMobile(rng, mobiles) : null
      a.contacts.push(contacts.length)
      contacts.push({
        account: i, name: p.name, title: rng.pick(k === 0 ? P.CONTACT_TITLES_PRIMARY : P.CONTACT_TITLES_OTHER), mobile,
        phone: rng.chance(0.35) ? P.makeLandline(rng, place.areaCode) : null, email: rng.chance(0.7) ? `${p.py}@${company.domain}` : null,
        wechat: rng.chance(0.6) ? P.makeWechat(rng, p.py, mobile) : null, birthday: rng.chance(0.5) ? P.makeBirthday(rng, now) : null, primary: k === 0,
      })
    }
  }

  // Deals: exact status mix, times first (open deals are recent, closed ones up to a year old).
  const statuses = rng.shuffle([
    ...Array<OpportunityStatus>(COUNTS.won).fill('won'), ...Array<OpportunityStatus>(COUNTS.lost).fill('lost'), ...Array<OpportunityStatus>(COUNTS.open).fill('open'),
  ])
  const accountWeights = accounts.map((a, i) => [i, a.weight] as const)
  let staleLeft = COUNTS.stale
  const deals: DealPlan[] = statuses.map((status) => {
    const account = rng.weighted(accountWeights)
    const a = accounts[account]
    const reached = status === 'won' ? 2 : rng.weighted([[0, 40], [1, 33], [2, 27]] as const)
    const stale = status === 'open' && staleLeft-- > 0
    let created: number, changes: number[], closed: number | null = null, lastTouch: number
    if (status === 'open') {
      const sd = open[reached].staleDays
      if (stale) {
        const gap = (sd + rng.between(2, 30)) * DAY
        lastTouch = workTime(rng, now - gap, now - gap - DAY, now - (sd + 1) * DAY)
        created = workTime(rng, lastTouch - rng.between(reached * 7 + 5, 90) * DAY, -Infinity, lastTouch - (reached * 5 + 3) * DAY)
      } else {
        lastTouch = workTime(rng, now - rng.between(0.05, Math.max(0.1, sd - 1)) * DAY, now - (sd - 0.5) * DAY, now - 10 * MINUTE)
        created = workTime(rng, now - rng.between(reached * 8 + 1, 150) * DAY, -Infinity, lastTouch - (reached * 2 + 1) * DAY)
      }
      changes = [created, ...spread(rng, reached, created + HOUR, lastTouch)]
    } else {
      // Close dates spread evenly over the past year; the deal opened 2 weeks to 5 months earlier.
      const closedAge = rng.between(0.3, 350)
      closed = workTime(rng, now - closedAge * DAY, now - 360 * DAY, now - 6 * HOUR)
      created = workTime(rng, closed - rng.between(14, Math.min(150, 364 - closedAge)) * DAY, now - 364 * DAY, closed - 7 * DAY)
      changes = [created, ...spread(rng, reached, created + HOUR, closed - HOUR), closed]
      lastTouch = status === 'lost' ? workTime(rng, closed + rng.between(0, 2) * DAY, closed + 10 * MINUTE, now - HOUR) : closed
    }
    const manual = status === 'open' && rng.chance(0.08)
    const base = open[reached].probability
    const pinned = Math.min(95, Math.max(5, base + rng.pick([-20, -10, 10, 20])))
    return {
      account, contact: rng.chance(0.7) ? a.contacts[0] : rng.pick(a.contacts), owner: a.owner ?? rep(a.place.team), status, reached, stale,
      created, changes, closed, lastTouch, title: '', amountFen: 0,
      expectedClose: businessDate(new Date(closed !== null ? closed + rng.between(-20, 10) * DAY : now + (rng.chance(0.08) ? -rng.between(1, 30) : rng.between(0, 120)) * DAY)),
      probability: status === 'won' ? 100 : status === 'lost' ? 0 : manual ? (pinned === base ? base + 5 : pinned) : -1,
      manual, source: rng.chance(0.7) ? a.source : source(), lostReason: status === 'lost' ? rng.pick(P.LOST_REASONS) : null,
      notes: rng.chance(0.2) ? rng.pick(P.OPP_NOTES) : null,
    }
  })
  deals.sort((x, y) => x.created - y.created)
  deals.forEach((d, i) => accounts[d.account].deals.push(i))

  // Titles follow the account's history: 二期 / 续约 only after a won deal.
  for (const a of accounts) {
    const used = new Set<string>()
    for (const di of a.deals) {
      const d = deals[di]
      const bought = a.deals.some((x) => deals[x].status === 'won' && deals[x].closed! < d.created)
      const choices = P.PRODUCTS.filter((p) => (bought || !p.followUp) && !used.has(p.title))
      const product = choices.length > 0 ? rng.weighted(choices.map((p) => [p, p.followUp ? 3 : 1] as const)) : P.PRODUCTS[0]
      used.add(product.title)
      d.title = `${a.short} ${product.title}${choices.length > 0 ? '' : `（${businessDate(new Date(d.created)).slice(0, 4)}）`}`
      const yuan = Math.min(2_000_000, Math.max(30_000, rng.logUniform(product.minYuan, product.maxYuan) * P.DEAL_SCALE[a.sizeIndex]))
      d.amountFen = Math.round(yuan / 100) * 100 * 100
    }
  }

  // Lifecycle, credit and creation time follow from the deals.
  for (const a of accounts) {
    const ds = a.deals.map((i) => deals[i])
    const won = ds.filter((d) => d.status === 'won').length
    const lostOnly = ds.length > 0 && ds.every((d) => d.status === 'lost')
    a.lifecycle = won >= 2 ? 'loyal' : won === 1 ? 'customer' : (lostOnly && rng.chance(0.35)) || (ds.length === 0 && rng.chance(0.05)) ? 'churned' : 'prospect'
    if (a.lifecycle === 'loyal') a.tags.unshift('重点客户')
    if (a.lifecycle === 'churned') a.notes = '原为老客户，合同到期后未续约，已暂停跟进。'
    a.credit = rng.weighted(won > 0 ? ([['A', 5], ['B', 4], ['C', 1]] as const) : ([['A', 2], ['B', 4], ['C', 3], ['D', 1]] as const))
    a.created = ds.length > 0 ? workTime(rng, ds[0].created - rng.between(1, 60) * DAY, -Infinity, ds[0].created - HOUR) : workTime(rng, now - rng.between(5, 700) * DAY, -Infinity, now - DAY)
  }

  // A few recent accounts came from converted leads.
  const recent = (withDeals: boolean) => accounts.map((_, i) => i).filter((i) => (accounts[i].deals.length > 0) === withDeals && accounts[i].created >= now - 85 * DAY)
  const conversions: Array<[Idx, Idx | null]> = [...rng.sample(recent(true), 8).map((i) => [i, accounts[i].deals[0]] as [Idx, Idx]), ...rng.sample(recent(false), 4).map((i) => [i, null] as [Idx, null])]
  for (const [ai, di] of conversions) if (di !== null) accounts[ai].created = deals[di].created - rng.int(10, 180) * MINUTE
  for (const a of accounts) a.updated = rng.chance(0.3) ? workTime(rng, rng.between(a.created, now), a.created, now - MINUTE) : a.created

  const leads: LeadPlan[] = []
  for (let i = 0; i < COUNTS.leads; i++) {
    const conv = conversions[i]
    if (conv) {
      const a = accounts[conv[0]]
      const c = contacts[a.contacts[0]]
      const created = workTime(rng, a.created - rng.between(1, 20) * DAY, now - 90 * DAY + HOUR, a.created - HOUR)
      leads.push({
        company: a.name, contactName: c.name, title: c.title, mobile: c.mobile, phone: c.phone, email: c.email, wechat: c.wechat, place: a.place,
        industry: a.industry, source: a.source, status: 'qualified', owner: a.owner ?? rep(a.place.team), score: rng.int(70, 95), notes: null,
        convertedAccount: conv[0], convertedDeal: conv[1], created, updated: a.created,
      })
      continue
    }
    const place = rng.weighted(P.PLACES.map((p) => [p, p.weight] as const))
    const industry = rng.weighted(P.INDUSTRIES.map((x) => [x, x.weight] as const))
    const company = rng.chance(0.9) ? P.makeCompany(rng, names, place, industry, false) : null
    const p = P.makePerson(rng)
    const status = rng.weighted([['new', 30], ['contacted', 35], ['qualified', 20], ['invalid', 15]] as const)
    const mobile = rng.chance(0.85) ? P.makeMobile(rng, mobiles) : null
    const created = workTime(rng, now - rng.between(0.1, 90) * DAY, now - 90 * DAY + HOUR, now - 10 * MINUTE)
    leads.push({
      company: company?.name ?? null, contactName: p.name, title: rng.chance(0.6) ? rng.pick(P.LEAD_TITLES) : null, mobile,
      phone: rng.chance(0.2) ? P.makeLandline(rng, place.areaCode) : null,
      email: rng.chance(0.4) ? (company ? `${p.py}@${company.domain}` : `${p.py}${rng.int(1, 99)}@${rng.pick(['163.com', 'qq.com', '126.com'])}`) : null,
      wechat: rng.chance(0.35) ? P.makeWechat(rng, p.py, mobile) : null, place, industry: industry.name, source: source(), status,
      owner: status === 'new' && rng.chance(0.45) ? null : rep(place.team),
      score: status === 'invalid' || rng.chance(0.3) ? null : rng.int(status === 'qualified' ? 60 : 20, status === 'qualified' ? 95 : 80),
      notes: status === 'invalid' ? rng.pick(P.LEAD_INVALID_NOTES) : rng.chance(0.4) ? `关注${rng.pick(P.FOCUS)}。` : null,
      convertedAccount: null, convertedDeal: null, created, updated: created,
    })
  }
  const leadOrder = orderBy(leads, (l) => l.created)
  const sortedLeads = leadOrder.map((i) => leads[i])

  const activities: ActivityPlan[] = []
  const add = (tpl: P.ActivityTemplate, at: { due: number | null; done: number | null; created: number }, link: Omit<ActivityPlan, 'type' | 'subject' | 'notes' | 'outcome' | 'due' | 'done' | 'created'>, vars: Record<string, string>) =>
    activities.push({ type: tpl.type, subject: tpl.subject, notes: fill(rng.pick(tpl.notes), vars), outcome: at.done === null ? null : fill(rng.pick(tpl.outcomes), vars), ...at, ...link })

  deals.forEach((d, di) => {
    const a = accounts[d.account]
    const n = d.status === 'won' ? rng.int(4, 8) : d.status === 'lost' ? rng.int(d.reached + 2, d.reached + 4) : rng.int(d.reached * 2 + 1, d.reached * 2 + 3)
    const times = [...spread(rng, n - 1, d.created, d.lastTouch - 30 * MINUTE), d.lastTouch]
    const queues = P.STAGE_ACTIVITIES.map((list) => [list[0], ...rng.shuffle(list.slice(1))])
    const product = d.title.slice(a.short.length + 1)
    times.forEach((done, k) => {
      let phase = 0
      while (phase < 2 && phase + 1 < d.changes.length && d.changes[phase + 1] <= done) phase++
      const last = k === times.length - 1
      const tpl = last && d.status === 'won' ? P.WON_ACTIVITY : last && d.status === 'lost' ? P.LOST_ACTIVITY
        : rng.chance(0.15) ? rng.pick(P.GENERIC_ACTIVITIES) : queues[phase].shift() ?? rng.pick(P.GENERIC_ACTIVITIES)
      const contact = rng.chance(0.7) ? d.contact : rng.pick(a.contacts)
      const due = rng.chance(0.25) ? Math.max(d.created, done - rng.int(0, 180) * MINUTE) : null
      const vars = {
        contact: contacts[contact].name, product, focus: rng.pick(P.FOCUS), n: String(rng.int(2, 12)),
        amount: `¥${formatFen(d.amountFen, { decimals: false })}`, reason: d.lostReason ?? '',
      }
      add(tpl, { due, done, created: due === null ? done : workTime(rng, due - rng.between(1, 4) * DAY, d.created, due) }, { owner: d.owner, lead: null, account: d.account, contact, deal: di }, vars)
    })
  })

  // Planned next steps: overdue ones (mostly on stale deals), some due today, many in the next two weeks.
  const openDeals = rng.shuffle(deals.map((_, i) => i).filter((i) => deals[i].status === 'open'))
  const staleDeals = openDeals.filter((i) => deals[i].stale)
  const fresh = openDeals.filter((i) => !deals[i].stale)
  const overdueStale = Math.min(staleDeals.length, Math.round(COUNTS.overdueDeals / 2))
  const plannedFor: Array<[Idx, 'overdue' | 'today' | 'upcoming']> = [
    ...staleDeals.slice(0, overdueStale).map((i) => [i, 'overdue'] as [Idx, 'overdue']),
    ...fresh.slice(0, COUNTS.overdueDeals - overdueStale).map((i) => [i, 'overdue'] as [Idx, 'overdue']),
    ...fresh.slice(COUNTS.overdueDeals - overdueStale, COUNTS.overdueDeals - overdueStale + COUNTS.todayDeals).map((i) => [i, 'today'] as [Idx, 'today']),
    ...fresh.slice(COUNTS.overdueDeals - overdueStale + COUNTS.todayDeals).slice(0, COUNTS.upcomingDeals).map((i) => [i, 'upcoming'] as [Idx, 'upcoming']),
  ]
  /** Due time of a planned activity; overdue ones fall after `since` (when the record existed). */
  const dueAt = (when: 'overdue' | 'today' | 'upcoming', since: number) =>
    when === 'overdue' ? workTime(rng, now - rng.between(1, 10) * DAY, Math.min(since + 2 * HOUR, now - 2 * HOUR), now - HOUR)
      : when === 'today' ? laterToday(rng, now) : workTime(rng, now + rng.between(1, 14) * DAY, now + HOUR)
  for (const [di, when] of plannedFor) {
    const d = deals[di]
    const due = dueAt(when, d.created)
    if (due === null) continue
    const created = workTime(rng, due - rng.between(1, 5) * DAY, d.created, Math.min(d.lastTouch, due))
    add(rng.pick(P.PLANNED_ACTIVITIES[d.reached]), { due, done: null, created }, { owner: d.owner, lead: null, account: d.account, contact: d.contact, deal: di }, {})
  }

  // Lead follow-ups: worked leads have calls and messages, invalid ones a check call, some new ones a planned first call.
  let newPlanned = 0
  sortedLeads.forEach((l, li) => {
    if (l.owner === null || l.convertedAccount !== null) return
    const link = { owner: l.owner, lead: li, account: null, contact: null, deal: null }
    const vars = { contact: l.contactName, focus: rng.pick(P.FOCUS) }
    if (l.status === 'contacted' || l.status === 'qualified') {
      const times = spread(rng, l.status === 'contacted' ? rng.int(1, 2) : rng.int(2, 3), l.created, Math.min(now - 10 * MINUTE, l.created + 20 * DAY))
      times.forEach((done, k) => add(P.LEAD_ACTIVITIES[k], { due: null, done, created: done }, link, vars))
      l.updated = times[times.length - 1]
    } else if (l.status === 'invalid') {
      const done = workTime(rng, l.created + rng.between(0, 3) * DAY, l.created, now - 10 * MINUTE)
      activities.push({ type: 'call', subject: '电话核实需求', notes: `核实结果：${l.notes ?? '非目标客户'}。`, outcome: l.notes ?? '非目标客户', due: null, done, created: done, ...link })
      l.updated = done
    } else if (rng.chance(0.4)) {
      const when = newPlanned < 5 && l.created < now - 2 * DAY ? 'overdue' : newPlanned < 10 ? 'today' : 'upcoming'
      const due = dueAt(when, l.created)
      newPlanned++
      if (due !== null) add(P.LEAD_ACTIVITIES[0], { due, done: null, created: l.created }, link, vars)
    }
  })
  return { users, accounts, contacts, deals, leads: sortedLeads, activities }
}

export async function generateDemo(db: Db, ctx: Ctx, input: z.output<typeof demoInput>): Promise<DemoSummary> {
  throwIfCancelled(ctx)
  return db.transaction().execute(async (trx) => {
    for (const table of ['accounts', 'leads', 'opportunities'] as const) {
      if (await trx.selectFrom(table).select('id').limit(1).executeTakeFirst()) throw new AppError('INVALID_STATE', { reasonKey: 'reason.notEmpty' })
    }
    const stageRows = await trx.selectFrom('pipeline_stages').selectAll().where('pipeline', '=', 'default').execute()
    const stages = STAGE_KEYS.map((key) => {
      const s = stageRows.find((r) => r.key === key)
      if (!s) throw new AppError('INVALID_STATE', { reason: `pipeline stage "${key}" is missing` })
      return s
    })
    const now = ctx.now().getTime()
    const p = plan(input.seed, now, stages.slice(0, 3).map((s) => ({ probability: s.probability, staleDays: s.stale_days ?? 14 })))
    const iso = (t: number) => new Date(t).toISOString()

    const history = p.deals.flatMap((d, di) => {
      const path = [...Array.from({ length: d.reached + 1 }, (_, k) => k), ...(d.status === 'won' ? [3] : d.status === 'lost' ? [4] : [])]
      return d.changes.map((at, k) => ({ di, from: k === 0 ? null : stages[path[k - 1]].id, to: stages[path[k]].id, at }))
    })
    const total = p.users.length + p.accounts.length + p.contacts.length + p.leads.length + p.deals.length + history.length + p.activities.length
    let done = 0
    /** Insert rows in batches, in `order`; returns the new ids indexed like the plan. */
    const write = async <T, R>(label: string, items: T[], order: number[], toRow: (t: T, i: number) => R, insert: (rows: R[]) => Promise<Array<{ id: number }>>) => {
      const ids: number[] = []
      for (let i = 0; i < order.length; i += BATCH) {
        throwIfCancelled(ctx)
        const chunk = order.slice(i, i + BATCH)
        const out = (await insert(chunk.map((k) => toRow(items[k], k)))).map((r) => r.id).sort((a, b) => a - b)
        chunk.forEach((k, j) => (ids[k] = out[j])) // AUTOINCREMENT ids grow in insertion order
        done += chunk.length
        ctx.progress?.({ done, total, message: ctx.locale === 'en' ? `Writing ${label}` : `正在写入${LABELS_ZH[label]}` })
      }
      return ids
    }
    const all = <T>(items: T[]) => items.map((_, i) => i)

    // Users: people who already exist under the same name (names are unique) are reused.
    const existing = new Map((await trx.selectFrom('users').select(['id', 'name']).execute()).map((u) => [u.name, u.id]))
    const fresh = all(p.users).filter((i) => !existing.has(p.users[i].name))
    const newUserIds = await write('users', p.users, fresh, (u) => ({
      name: u.name, role: u.role, team: u.team, email: `${u.py}@${COMPANY_DOMAIN}`, mobile: u.mobile, skills: JSON.stringify(u.skills),
      password_hash: null, created_at: iso(u.created), updated_at: iso(u.created),
    }), (rows) => trx.insertInto('users').values(rows).returning('id').execute())
    const userIds = p.users.map((u, i) => existing.get(u.name) ?? newUserIds[i])
    const user = (i: Idx | null) => (i === null ? null : userIds[i])
    await trx
      .insertInto('settings')
      .values({ key: 'companyName', value: JSON.stringify(DEMO_COMPANY_NAME), updated_at: iso(now) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(DEMO_COMPANY_NAME), updated_at: iso(now) }))
      .execute()

    const accountOrder = orderBy(p.accounts, (a) => a.created)
    const accountIds = await write('accounts', p.accounts, accountOrder, (a) => {
      const cols = { name: a.name, industry: a.industry, province: a.place.province, city: a.place.city, source: a.source, tags: JSON.stringify(a.tags) }
      return {
        ...cols, address: a.address, size: COMPANY_SIZES[a.sizeIndex], annual_revenue_fen: a.revenueFen, credit_level: a.credit, owner_id: user(a.owner),
        lifecycle: a.lifecycle, website: a.website, notes: a.notes, search_text: accountSearchText(cols), created_at: iso(a.created), updated_at: iso(a.updated),
      }
    }, (rows) => trx.insertInto('accounts').values(rows).returning('id').execute())

    const rank = new Map(accountOrder.map((ai, k) => [ai, k]))
    const contactOrder = all(p.contacts).sort((x, y) => rank.get(p.contacts[x].account)! - rank.get(p.contacts[y].account)! || x - y)
    const contactIds = await write('contacts', p.contacts, contactOrder, (c) => {
      const created = iso(p.accounts[c.account].created + (c.primary ? 0 : MINUTE))
      return {
        account_id: accountIds[c.account], name: c.name, title: c.title, mobile: c.mobile, phone: c.phone, email: c.email, wechat: c.wechat,
        birthday: c.birthday, is_primary: c.primary ? 1 : 0, notes: null, search_text: contactSearchText(c), created_at: created, updated_at: created,
      }
    }, (rows) => trx.insertInto('contacts').values(rows).returning('id').execute())

    const lastDone: number[] = []
    for (const a of p.activities) if (a.deal !== null && a.done !== null && !(lastDone[a.deal] >= a.done)) lastDone[a.deal] = a.done
    const oppIds = await write('opportunities', p.deals, all(p.deals), (d, di) => {
      const stage = stages[d.status === 'won' ? 3 : d.status === 'lost' ? 4 : d.reached]
      const changed = d.changes[d.changes.length - 1]
      return {
        title: d.title, account_id: accountIds[d.account], contact_id: contactIds[d.contact], amount_fen: d.amountFen, expected_close_date: d.expectedClose,
        stage_id: stage.id, probability: d.probability < 0 ? stage.probability : d.probability, probability_manual: d.manual ? 1 : 0, owner_id: user(d.owner),
        source: d.source, status: d.status, lost_reason: d.lostReason, closed_at: d.closed === null ? null : iso(d.closed), stage_changed_at: iso(changed),
        last_activity_at: lastDone[di] === undefined ? null : iso(lastDone[di]), version: 1, notes: d.notes, search_text: oppSearchText(d.title, p.accounts[d.account].name),
        created_at: iso(d.created), updated_at: iso(changed),
      }
    }, (rows) => trx.insertInto('opportunities').values(rows).returning('id').execute())

    await write('history', history, all(history), (h) => ({ opportunity_id: oppIds[h.di], from_stage_id: h.from, to_stage_id: h.to, changed_by: user(p.deals[h.di].owner), changed_at: iso(h.at) }),
      (rows) => trx.insertInto('stage_history').values(rows).returning('id').execute())

    const leadIds = await write('leads', p.leads, all(p.leads), (l) => {
      const cols = {
        company: l.company, contact_name: l.contactName, title: l.title, mobile: l.mobile, phone: l.phone, email: l.email, wechat: l.wechat,
        province: l.place.province, city: l.place.city, industry: l.industry, source: l.source,
      }
      return {
        ...cols, status: l.status, owner_id: user(l.owner), score: l.score, notes: l.notes, import_batch_id: null,
        converted_account_id: l.convertedAccount === null ? null : accountIds[l.convertedAccount],
        converted_opportunity_id: l.convertedDeal === null ? null : oppIds[l.convertedDeal],
        // The key duplicate checks match company names by (as leads:create and imports write it).
        search_text: leadSearchText(cols), company_key: companyKey(l.company), created_at: iso(l.created), updated_at: iso(l.updated),
      }
    }, (rows) => trx.insertInto('leads').values(rows).returning('id').execute())

    const link = (i: Idx | null, ids: number[]) => (i === null ? null : ids[i])
    await write('activities', p.activities, orderBy(p.activities, (a) => a.created), (a) => ({
      type: a.type, subject: a.subject, notes: a.notes, due_at: a.due === null ? null : iso(a.due), done_at: a.done === null ? null : iso(a.done),
      outcome: a.outcome, owner_id: user(a.owner), lead_id: link(a.lead, leadIds), account_id: link(a.account, accountIds), contact_id: link(a.contact, contactIds),
      opportunity_id: link(a.deal, oppIds), created_by: user(a.owner), created_at: iso(a.created), updated_at: iso(a.done ?? a.created),
    }), (rows) => trx.insertInto('activities').values(rows).returning('id').execute())
    throwIfCancelled(ctx)

    return {
      users: fresh.length, accounts: p.accounts.length, contacts: p.contacts.length, leads: p.leads.length, opportunities: p.deals.length, activities: p.activities.length,
    }
  })
}

const LABELS_ZH: Record<string, string> = {
  users: '用户', accounts: '客户', contacts: '联系人', opportunities: '商机', history: '阶段变更', leads: '线索', activities: '跟进记录',
}
