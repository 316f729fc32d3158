// 销售漏斗: deals per stage now, and stage-to-stage conversion of the period's cohort.
//
// Conversion is measured on a cohort — the deals created in the period — by the
// furthest stage each one reached (stage history plus the current stage; a
// skipped stage counts as passed). A cohort answers "of what came in, how much
// got how far", and its numbers never change when the same deal moves twice.
import { sql } from 'kysely'
import { groupKey } from '../db/sql-dialect'
import type { Db } from '../db/database'
import { ratio } from '../shared/reports/period'
import type { FunnelData, FunnelStep, OpportunityDrillFilter } from '../shared/reports/types'
import { countAll, sumAmount, sumWeightedRaw, weightedFen } from './agg'
import { defineReport, num, sharedQuery, type ReportQuery } from './period'
import { furthest, oppBase, oppWhere, reachCurrentExpr, reachHistExpr } from './where'

/** `snapshot: false` skips the deals-per-stage part (insights need only the conversion steps). */
export async function computeFunnel(db: Db, q: ReportQuery, opts: { snapshot?: boolean } = {}): Promise<FunnelData> {
  const pipeline = q.filters.pipeline ?? 'default'
  const stages = await db.selectFrom('pipeline_stages').selectAll().where('pipeline', '=', pipeline).orderBy('sort_order').execute()
  const base: OpportunityDrillFilter = { ...oppBase(q.filters), pipeline }
  const closedIn = { closedFrom: q.period.from, closedTo: q.period.to }

  // Open deals now, by stage; won and lost deals closed in the period, by stage.
  const snapshot = (f: OpportunityDrillFilter) =>
    sharedQuery(
      q,
      db
        .selectFrom('opportunities as o')
        .select([groupKey('o.stage_id').as('stage_id'), countAll.as('n'), sumAmount.as('fen'), sumWeightedRaw.as('w')])
        .where((eb) => oppWhere(eb, f))
        .groupBy(groupKey('o.stage_id')),
    )
  const now = opts.snapshot === false ? [] : [...(await snapshot({ ...base, status: 'open' })), ...(await snapshot({ ...base, ...closedIn }))]
  const byStage = new Map(now.map((r) => [Number(r.stage_id), r]))

  const cohortFilter: OpportunityDrillFilter = { ...base, createdFrom: q.period.from, createdTo: q.period.to }
  // MATERIALIZED: each deal's furthest stage is looked up once (inlined, the CASE would repeat the lookups).
  const reach = await db
    .with(
      (cte) => cte('c').materialized(),
      (qb) => qb.selectFrom('opportunities as o').select([reachHistExpr.as('hist'), reachCurrentExpr.as('cur'), 'o.status', 'o.amount_fen']).where((eb) => oppWhere(eb, cohortFilter)),
    )
    .selectFrom('c')
    .select([furthest(sql.ref('c.hist'), sql.ref('c.cur')).as('reach'), 'c.status', sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(c.amount_fen), 0)`.as('fen')])
    .groupBy([sql`1`, 'c.status'])
    .execute()
  const cohortCount = reach.reduce((s, r) => s + num(r.n), 0)
  const cohortFen = reach.reduce((s, r) => s + num(r.fen), 0)

  const steps: FunnelStep[] = []
  for (const s of stages.filter((st) => st.kind !== 'lost')) {
    const at = reach.filter((r) => r.reach !== null && num(r.reach) >= s.sort_order)
    const reached = at.reduce((n, r) => n + num(r.n), 0)
    const prev = steps.length > 0 ? steps[steps.length - 1].reached : cohortCount
    steps.push({
      stageId: s.id,
      name: s.name,
      kind: s.kind as 'open' | 'won',
      reached,
      reachedFen: at.reduce((n, r) => n + num(r.fen), 0),
      conversion: ratio(reached, prev),
      fromStart: ratio(reached, cohortCount),
      lostHere: reach.filter((r) => r.status === 'lost' && r.reach !== null && num(r.reach) === s.sort_order).reduce((n, r) => n + num(r.n), 0),
      drill: { list: 'opportunities', filter: { ...cohortFilter, reachedStageId: s.id } },
      lostDrill: { list: 'opportunities', filter: { ...cohortFilter, status: 'lost', furthestStageId: s.id } },
    })
  }

  return {
    pipeline,
    stages: stages.map((s) => {
      const r = byStage.get(s.id)
      return {
        stageId: s.id,
        name: s.name,
        kind: s.kind,
        probability: s.probability,
        count: num(r?.n),
        amountFen: num(r?.fen),
        weightedFen: weightedFen(r?.w),
        drill: { list: 'opportunities', filter: s.kind === 'open' ? { ...base, status: 'open', stageId: s.id } : { ...base, ...closedIn, stageId: s.id } },
      }
    }),
    cohort: { count: cohortCount, amountFen: cohortFen, drill: { list: 'opportunities', filter: cohortFilter } },
    steps,
  }
}

export const funnelReport = defineReport('funnel', 'month', (db, q) => computeFunnel(db, q))
