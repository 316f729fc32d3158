// 销售业绩: per sales person — won amount against target, win rate, activities
// done, average sales cycle of the deals won, open pipeline now; ranked by won amount.
//
// People listed: active sales people (of the team filter, if any) plus anyone
// who owns a figure in the period; deals without an owner form their own row.
import { sql } from 'kysely'
import type { Db } from '../db/database'
import { groupKey } from '../db/sql-dialect'
import { monthsTouched, ratio } from '../shared/reports/period'
import type { OpportunityDrillFilter, RepRow, RepsData, ReportFilters } from '../shared/reports/types'
import { avgDays, countAll, lostCount, sumAmount, sumWeightedRaw, weightedFen, wonAmount, wonCount } from './agg'
import { defineReport, num, sharedQuery, type ReportQuery } from './period'
import { activityCounts } from './activity'
import { activityBase, cycleDaysExpr, oppBase, oppWhere } from './where'

interface Acc {
  wonFen: number
  wonCount: number
  lostCount: number
  cycleSum: number
  targetFen: number | null
  activities: number
  openCount: number
  openFen: number
  openWeightedRaw: number
}
const empty = (): Acc => ({ wonFen: 0, wonCount: 0, lostCount: 0, cycleSum: 0, targetFen: null, activities: 0, openCount: 0, openFen: 0, openWeightedRaw: 0 })

export async function computeReps(db: Db, q: ReportQuery): Promise<RepsData> {
  const base = oppBase(q.filters)
  const closed: OpportunityDrillFilter = { ...base, closedFrom: q.period.from, closedTo: q.period.to }
  const open: OpportunityDrillFilter = { ...base, status: 'open' }
  const acts = { ...activityBase(q.filters), doneFrom: q.period.from, doneTo: q.period.to }
  const months = monthsTouched(q.period)

  const [people, closedRows, openRows, actRows, targets] = await Promise.all([
    db
      .selectFrom('users')
      .select(['id', 'name', 'team'])
      .where('is_active', '=', 1)
      .where('role', '=', 'sales')
      .$if(q.filters.ownerId !== undefined, (qb) => qb.where('id', '=', q.filters.ownerId!))
      .$if(q.filters.team !== undefined, (qb) => qb.where('team', '=', q.filters.team!))
      .execute(),
    db
      .selectFrom('opportunities as o')
      .select([
        groupKey('o.owner_id').as('owner_id'),
        wonAmount.as('wonFen'),
        wonCount.as('won'),
        lostCount.as('lost'),
        sql<number>`coalesce(sum(case when o.status = 'won' then ${cycleDaysExpr} else 0 end), 0)`.as('cycle'),
      ])
      .where((eb) => oppWhere(eb, closed))
      .groupBy(groupKey('o.owner_id'))
      .execute(),
    sharedQuery(q, db.selectFrom('opportunities as o').select([groupKey('o.owner_id').as('owner_id'), countAll.as('n'), sumAmount.as('fen'), sumWeightedRaw.as('w')]).where((eb) => oppWhere(eb, open)).groupBy(groupKey('o.owner_id'))),
    activityCounts(db, acts, false),
    db
      .selectFrom('sales_targets as t')
      .select(['t.user_id', sql<number>`sum(t.amount_fen)`.as('fen')])
      .where('t.month', 'in', months)
      .$if(q.filters.ownerId !== undefined, (qb) => qb.where('t.user_id', '=', q.filters.ownerId!))
      .$if(q.filters.team !== undefined, (qb) => qb.where('t.user_id', 'in', db.selectFrom('users').select('id').where('team', '=', q.filters.team!)))
      .groupBy('t.user_id')
      .execute(),
  ])

  const acc = new Map<number | null, Acc>()
  const get = (id: number | null) => {
    let a = acc.get(id)
    if (!a) acc.set(id, (a = empty()))
    return a
  }
  for (const p of people) get(p.id)
  for (const r of closedRows) Object.assign(get(r.owner_id), { wonFen: num(r.wonFen), wonCount: num(r.won), lostCount: num(r.lost), cycleSum: num(r.cycle) })
  for (const r of openRows) Object.assign(get(r.owner_id), { openCount: num(r.n), openFen: num(r.fen), openWeightedRaw: num(r.w) })
  for (const r of actRows) get(r.owner_id).activities = num(r.n)
  for (const r of targets) get(r.user_id).targetFen = num(r.fen)

  const ids = [...acc.keys()].filter((k): k is number => k !== null)
  const users = ids.length ? await db.selectFrom('users').select(['id', 'name', 'team']).where('id', 'in', ids).execute() : []
  const byId = new Map(users.map((u) => [u.id, u]))

  const figures = (a: Acc) => ({
    wonFen: a.wonFen,
    wonCount: a.wonCount,
    lostCount: a.lostCount,
    winRate: ratio(a.wonCount, a.wonCount + a.lostCount),
    targetFen: a.targetFen,
    attainment: a.targetFen === null ? null : ratio(a.wonFen, a.targetFen),
    activities: a.activities,
    avgCycleDays: avgDays(a.cycleSum, a.wonCount),
    openCount: a.openCount,
    openFen: a.openFen,
    openWeightedFen: weightedFen(a.openWeightedRaw),
  })
  const rows: RepRow[] = [...acc.entries()].map(([userId, a]) => ({
    userId,
    name: userId === null ? '' : (byId.get(userId)?.name ?? String(userId)),
    team: userId === null ? null : (byId.get(userId)?.team ?? null),
    ...figures(a),
    rank: 0,
    drills: {
      won: { list: 'opportunities', filter: { ...closed, ownerId: userId, status: 'won' } },
      lost: { list: 'opportunities', filter: { ...closed, ownerId: userId, status: 'lost' } },
      activities: { list: 'activities', filter: { ...acts, ownerId: userId } },
      open: { list: 'opportunities', filter: { ...open, ownerId: userId } },
    },
  }))
  // Ranking by won amount; equal amounts share a rank (1, 1, 3). Unowned deals are listed last, unranked.
  rows.sort((x, y) => Number(x.userId === null) - Number(y.userId === null) || y.wonFen - x.wonFen || y.openFen - x.openFen || x.name.localeCompare(y.name, 'zh-CN'))
  rows.forEach((r, i) => {
    r.rank = r.userId === null ? 0 : i > 0 && rows[i - 1].wonFen === r.wonFen && rows[i - 1].userId !== null ? rows[i - 1].rank : i + 1
  })

  const total = empty()
  for (const a of acc.values()) {
    for (const k of ['wonFen', 'wonCount', 'lostCount', 'cycleSum', 'activities', 'openCount', 'openFen', 'openWeightedRaw'] as const) total[k] += a[k]
    if (a.targetFen !== null) total.targetFen = (total.targetFen ?? 0) + a.targetFen
  }
  return { rows, totals: { ...figures(total), drills: { won: { list: 'opportunities', filter: { ...closed, status: 'won' } }, lost: { list: 'opportunities', filter: { ...closed, status: 'lost' } }, activities: { list: 'activities', filter: acts }, open: { list: 'opportunities', filter: open } } } }
}

export function repsNotes(f: ReportFilters): string[] {
  return f.source !== undefined || f.industry !== undefined || f.province !== undefined || f.size !== undefined || f.tag !== undefined ? ['note.targetsWholePerson'] : []
}

export const repsReport = defineReport('reps', 'month', computeReps, repsNotes)
