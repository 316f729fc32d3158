// 活动分析: activities done in the period by type and by person, and how the
// number of activities on a deal goes with winning it (deals closed in the period).
import { sql } from 'kysely'
import type { Db } from '../db/database'
import { ACTIVITY_TYPES, type ActivityType } from '../shared/domain'
import { ratio } from '../shared/reports/period'
import type { ActivityBucketRow, ActivityData, ActivityDrillFilter, ActivityOwnerRow, OpportunityDrillFilter } from '../shared/reports/types'
import { countAll } from './agg'
import { defineReport, num, type ReportQuery } from './period'
import { activityBase, activityCountExpr, activityWhere, oppBase, oppWhere } from './where'

/** Activity-count buckets per deal, inclusive: 0–2, 3–5, 6–9, 10+. */
export const ACTIVITY_BUCKETS: ReadonlyArray<readonly [number, number | null]> = [
  [0, 2],
  [3, 5],
  [6, 9],
  [10, null],
]

/** CASE giving the index of the bucket `expr` falls in; bounds inclusive ([lo, hi]) or half-open ([lo, hi)). */
export function bucketCase(expr: ReturnType<typeof sql>, buckets: ReadonlyArray<readonly [number, number | null]>, upper: 'inclusive' | 'exclusive' = 'inclusive') {
  const whens = buckets.map(([lo, hi], i) =>
    hi === null ? sql`when ${expr} >= ${lo} then ${i}` : upper === 'inclusive' ? sql`when ${expr} >= ${lo} and ${expr} <= ${hi} then ${i}` : sql`when ${expr} >= ${lo} and ${expr} < ${hi} then ${i}`,
  )
  return sql<number | null>`case ${sql.join(whens, sql` `)} end`
}

export async function dealActivityBuckets(db: Db, closed: OpportunityDrillFilter): Promise<{ rows: ActivityBucketRow[]; sums: { won: number; wonActs: number; lost: number; lostActs: number } }> {
  // MATERIALIZED: computed once per deal; inlined, the CASE would run the count once per branch.
  const rows = await db
    .with(
      (cte) => cte('d').materialized(),
      (qb) => qb.selectFrom('opportunities as o').select([activityCountExpr.as('acts'), 'o.status']).where((eb) => oppWhere(eb, closed)),
    )
    .selectFrom('d')
    .select([
      bucketCase(sql`d.acts`, ACTIVITY_BUCKETS).as('bucket'),
      sql<number>`count(*)`.as('n'),
      sql<number>`coalesce(sum(case when d.status = 'won' then 1 else 0 end), 0)`.as('won'),
      sql<number>`coalesce(sum(case when d.status = 'won' then d.acts else 0 end), 0)`.as('wonActs'),
      sql<number>`coalesce(sum(case when d.status = 'lost' then d.acts else 0 end), 0)`.as('lostActs'),
    ])
    .groupBy(sql`1`)
    .execute()
  const sums = { won: 0, wonActs: 0, lost: 0, lostActs: 0 }
  for (const r of rows) {
    sums.won += num(r.won)
    sums.lost += num(r.n) - num(r.won)
    sums.wonActs += num(r.wonActs)
    sums.lostActs += num(r.lostActs)
  }
  return {
    rows: ACTIVITY_BUCKETS.map(([lo, hi], i) => {
      const r = rows.find((x) => num(x.bucket) === i && x.bucket !== null)
      return {
        label: hi === null ? `${lo}+` : `${lo}–${hi}`,
        min: lo,
        max: hi,
        deals: num(r?.n),
        won: num(r?.won),
        winRate: ratio(num(r?.won), num(r?.n)),
        drill: { list: 'opportunities', filter: { ...closed, activitiesMin: lo, ...(hi === null ? {} : { activitiesMax: hi }) } },
      }
    }),
    sums,
  }
}

/**
 * Activities done in a period per person (and type). Every (person, type) pair is named (IN lists),
 * so the query reads one short index range per pair of activities_report_owner_type_idx, already in
 * group order; activities without an owner are a second, same-shaped query.
 */
export async function activityCounts(db: Db, acts: ActivityDrillFilter, byType: boolean): Promise<Array<{ owner_id: number | null; type: ActivityType; n: number }>> {
  const users = (await db.selectFrom('users').select('id').execute()).map((u) => u.id)
  const run = (owners: 'known' | 'none') =>
    db
      .selectFrom('activities as x')
      .select(['x.owner_id', byType ? 'x.type' : sql<ActivityType>`min(x.type)`.as('type'), countAll.as('n')])
      .where((eb) => eb.and([activityWhere(eb, acts), owners === 'known' ? eb('x.owner_id', 'in', users.length ? users : [0]) : eb('x.owner_id', 'is', null), eb('x.type', 'in', ACTIVITY_TYPES)]))
      .groupBy(byType ? ['x.owner_id', 'x.type'] : ['x.owner_id'])
      .execute()
  return [...(await run('known')), ...(await run('none'))].map((r) => ({ owner_id: r.owner_id, type: r.type, n: num(r.n) }))
}

export async function computeActivity(db: Db, q: ReportQuery): Promise<ActivityData> {
  const acts: ActivityDrillFilter = { ...activityBase(q.filters), doneFrom: q.period.from, doneTo: q.period.to }
  const closed: OpportunityDrillFilter = { ...oppBase(q.filters), closedFrom: q.period.from, closedTo: q.period.to }
  const cells = await activityCounts(db, acts, true)
  const ids = [...new Set(cells.map((c) => c.owner_id).filter((v): v is number => v !== null))]
  const users = ids.length ? await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute() : []
  const names = new Map(users.map((u) => [u.id, u.name]))

  const byTypeCount = new Map<ActivityType, number>()
  const owners = new Map<number | null, ActivityOwnerRow>()
  for (const c of cells) {
    const n = num(c.n)
    byTypeCount.set(c.type, (byTypeCount.get(c.type) ?? 0) + n)
    let o = owners.get(c.owner_id)
    if (!o) owners.set(c.owner_id, (o = { userId: c.owner_id, name: c.owner_id === null ? '' : (names.get(c.owner_id) ?? String(c.owner_id)), total: 0, byType: {}, drill: { list: 'activities', filter: { ...acts, ownerId: c.owner_id } } }))
    o.total += n
    o.byType[c.type] = (o.byType[c.type] ?? 0) + n
  }
  const { rows: byDealActivity, sums } = await dealActivityBuckets(db, closed)
  return {
    total: cells.reduce((s, c) => s + num(c.n), 0),
    byType: ACTIVITY_TYPES.filter((t) => byTypeCount.has(t)).map((type) => ({ type, count: byTypeCount.get(type)!, drill: { list: 'activities' as const, filter: { ...acts, type } } })).sort((a, b) => b.count - a.count),
    byOwner: [...owners.values()].sort((a, b) => Number(a.userId === null) - Number(b.userId === null) || b.total - a.total || a.name.localeCompare(b.name, 'zh-CN')),
    byDealActivity,
    avgPerWon: sums.won > 0 ? Math.round((sums.wonActs / sums.won) * 10) / 10 : null,
    avgPerLost: sums.lost > 0 ? Math.round((sums.lostActs / sums.lost) * 10) / 10 : null,
  }
}

export const activityReport = defineReport('activity', 'month', computeActivity)
