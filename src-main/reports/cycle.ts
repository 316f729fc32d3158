// 销售周期: how long deals take — days from creation to close of the deals won
// (and lost) in the period, days spent in each stage by the deals won, and the
// spread of cycle lengths.
//
// Time in a stage runs from entering it to the next stage change (stage
// history, window function LEAD); a deal that enters a stage twice adds both
// stays and counts once.
import { sql } from 'kysely'
import type { Db } from '../db/database'
import { daysBetween } from '../db/sql-dialect'
import { ratio } from '../shared/reports/period'
import type { CycleBucket, CycleData, OpportunityDrillFilter } from '../shared/reports/types'
import { avgDays } from './agg'
import { defineReport, num, type ReportQuery } from './period'
import { cycleDaysExpr, oppBase, oppWhere } from './where'

/** Bucket edges in days: [0,30) [30,60) [60,90) [90,120) [120,180) [180,∞). */
export const CYCLE_EDGES = [0, 30, 60, 90, 120, 180] as const

export async function computeCycle(db: Db, q: ReportQuery): Promise<CycleData> {
  const base = oppBase(q.filters)
  const closed: OpportunityDrillFilter = { ...base, closedFrom: q.period.from, closedTo: q.period.to }
  const won: OpportunityDrillFilter = { ...closed, status: 'won' }
  const lost: OpportunityDrillFilter = { ...closed, status: 'lost' }

  const bucketSums = CYCLE_EDGES.map((lo, i) => {
    const hi = CYCLE_EDGES[i + 1]
    const cond = hi === undefined ? sql`${cycleDaysExpr} >= ${lo}` : sql`${cycleDaysExpr} >= ${lo} and ${cycleDaysExpr} < ${hi}`
    return sql<number>`coalesce(sum(case when o.status = 'won' and ${cond} then 1 else 0 end), 0)`.as(`b${i}`)
  })
  const totals = await db
    .selectFrom('opportunities as o')
    .select([
      sql<number>`coalesce(sum(case when o.status = 'won' then 1 else 0 end), 0)`.as('wonN'),
      sql<number>`coalesce(sum(case when o.status = 'won' then ${cycleDaysExpr} else 0 end), 0)`.as('wonDays'),
      sql<number>`coalesce(sum(case when o.status = 'lost' then 1 else 0 end), 0)`.as('lostN'),
      sql<number>`coalesce(sum(case when o.status = 'lost' then ${cycleDaysExpr} else 0 end), 0)`.as('lostDays'),
      ...bucketSums,
    ])
    .where((eb) => oppWhere(eb, closed))
    .executeTakeFirstOrThrow()
  const wonN = num(totals.wonN)

  // Median without loading the deals: the middle one or two by cycle length.
  let medianDays: number | null = null
  if (wonN > 0) {
    const mid = await db
      .selectFrom('opportunities as o')
      .select(cycleDaysExpr.as('d'))
      .where((eb) => oppWhere(eb, won))
      .orderBy(sql`1`)
      .limit(wonN % 2 === 0 ? 2 : 1)
      .offset(Math.floor((wonN - 1) / 2))
      .execute()
    medianDays = Math.round((mid.reduce((s, r) => s + num(r.d), 0) / mid.length) * 10) / 10
  }

  const nextChange = sql<string | null>`lead(h.changed_at) over (partition by h.opportunity_id order by h.changed_at, h.id)`
  const stays = db
    .selectFrom('stage_history as h')
    .select(['h.to_stage_id as stage', 'h.opportunity_id as opp', daysBetween(sql.ref('h.changed_at'), nextChange).as('days')])
    .where('h.opportunity_id', 'in', db.selectFrom('opportunities as o').select('o.id').where((eb) => oppWhere(eb, won)))
    .as('t')
  const [stageRows, stages] = await Promise.all([
    db
      .selectFrom(stays)
      .innerJoin('pipeline_stages as s', 's.id', 't.stage')
      .select(['t.stage', sql<number>`count(distinct t.opp)`.as('deals'), sql<number>`coalesce(sum(t.days), 0)`.as('days')])
      .where('s.kind', '=', 'open')
      .where('t.days', 'is not', null)
      .groupBy('t.stage')
      .execute(),
    db
      .selectFrom('pipeline_stages')
      .select(['id', 'name', 'sort_order'])
      .where('kind', '=', 'open')
      .where('pipeline', '=', q.filters.pipeline ?? 'default')
      .orderBy('sort_order')
      .execute(),
  ])
  // Stages of the chosen pipeline in order, then any other stage the deals passed through.
  const ids = [...stages.map((s) => s.id), ...stageRows.map((r) => r.stage).filter((id) => !stages.some((s) => s.id === id))]
  const names = new Map(stages.map((s) => [s.id, s.name]))
  const others = ids.some((id) => !names.has(id)) ? await db.selectFrom('pipeline_stages').select(['id', 'name']).where('id', 'in', ids).execute() : []
  for (const o of others) names.set(o.id, o.name)

  const buckets: CycleBucket[] = CYCLE_EDGES.map((lo, i) => {
    const hi = CYCLE_EDGES[i + 1] ?? null
    const count = num((totals as Record<string, unknown>)[`b${i}`])
    return {
      label: hi === null ? `${lo}+` : `${lo}–${hi}`,
      minDays: lo,
      maxDays: hi,
      count,
      share: ratio(count, wonN),
      drill: { list: 'opportunities', filter: { ...won, cycleDaysMin: lo, ...(hi === null ? {} : { cycleDaysMax: hi }) } },
    }
  })

  return {
    won: { count: wonN, avgDays: avgDays(totals.wonDays, wonN), medianDays, drill: { list: 'opportunities', filter: won } },
    lost: { count: num(totals.lostN), avgDays: avgDays(totals.lostDays, num(totals.lostN)), drill: { list: 'opportunities', filter: lost } },
    stages: ids.map((id) => {
      const r = stageRows.find((x) => x.stage === id)
      const deals = num(r?.deals)
      return { stageId: id, name: names.get(id) ?? String(id), deals, avgDays: avgDays(r?.days, deals), drill: { list: 'opportunities', filter: { ...won, enteredStageId: id } } }
    }),
    buckets,
  }
}

export const cycleReport = defineReport('cycle', 'month', computeCycle)
