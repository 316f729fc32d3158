// One predicate builder per record list. The reports aggregate with these
// conditions and reports:drill lists records with the very same ones, so the
// rows behind a bar are exactly the rows the bar counted (tests check it).
//
// Queries name their main table with a fixed alias: opportunities `o`, leads
// `l`, activities `x`, accounts `a`. Conditions on other tables are
// `IN (subquery)` / `EXISTS`, not joins, so a query never changes shape with
// its filters and every aggregate stays one GROUP BY.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import { jsonArrayHas } from '../services/search'
import { daysBetween } from '../db/sql-dialect'
import { addDaysToDate, dayStartInstant } from '../shared/reports/period'
import type { AccountDrillFilter, ActivityDrillFilter, LeadDrillFilter, OpportunityDrillFilter, ReportFilters } from '../shared/reports/types'

// The builders take any alias-qualified query: Kysely cannot type "a query over opportunities as o, whatever else it joins".
type EB = ExpressionBuilder<any, any>
type Cond = Expression<SqlBool>

const eqOrNull = (eb: EB, col: string, v: string | number | null): Cond => (v === null ? eb(col, 'is', null) : eb(col, '=', v))

/** [from, to] business dates → instant conditions on an ISO column. */
function instantBetween(eb: EB, col: string, from: string | undefined, to: string | undefined, out: Cond[]): void {
  if (from) out.push(eb(col, '>=', dayStartInstant(from)))
  if (to) out.push(eb(col, '<', dayStartInstant(addDaysToDate(to, 1))))
}

function accountIn(eb: EB, col: string, f: { industry?: string | null; province?: string | null; size?: string | null; tag?: string }): Cond | null {
  const conds: Array<(e: EB) => Cond> = []
  if (f.industry !== undefined) conds.push((e) => eqOrNull(e, 'accounts.industry', f.industry!))
  if (f.province !== undefined) conds.push((e) => eqOrNull(e, 'accounts.province', f.province!))
  if (f.size !== undefined) conds.push((e) => eqOrNull(e, 'accounts.size', f.size!))
  if (f.tag !== undefined) conds.push(() => jsonArrayHas('accounts.tags', f.tag!))
  if (conds.length === 0) return null
  return eb(col, 'in', eb.selectFrom('accounts').select('accounts.id').where((e: EB) => e.and(conds.map((c) => c(e)))))
}

const teamIn = (eb: EB, col: string, team: string): Cond => eb(col, 'in', eb.selectFrom('users').select('users.id').where('users.team', '=', team))

/** Sort order of a stage, as a scalar subquery. */
const stageOrder = (stageId: number) => sql<number>`(select ps.sort_order from pipeline_stages ps where ps.id = ${stageId})`

/**
 * Furthest stage a deal reached, as sort_order: the highest non-lost stage in
 * its history, or its current stage when that is further (deals imported
 * without history). Skipped stages count as passed.
 */
export const reachHistExpr = sql<number | null>`(select max(rs.sort_order) from stage_history rh inner join pipeline_stages rs on rs.id = rh.to_stage_id where rh.opportunity_id = o.id and rs.kind <> 'lost')`
export const reachCurrentExpr = sql<number | null>`(select cs.sort_order from pipeline_stages cs where cs.id = o.stage_id and cs.kind <> 'lost')`
/** Furthest of the two (a CASE, not GREATEST/max(a, b), which the two databases spell differently). */
export const furthest = (hist: unknown, current: unknown) => sql<number | null>`(case when ${current} is not null and (${hist} is null or ${current} > ${hist}) then ${current} else ${hist} end)`
export const reachExpr = furthest(reachHistExpr, reachCurrentExpr)

/** Stage a lost deal was in when it was lost: the from-stage of its latest move into a lost stage. */
export const lostFromExpr = sql<number | null>`(select lh.from_stage_id from stage_history lh inner join pipeline_stages ls on ls.id = lh.to_stage_id where lh.opportunity_id = o.id and ls.kind = 'lost' order by lh.changed_at desc, lh.id desc limit 1)`

/** Done activities on the deal (any time). */
export const activityCountExpr = sql<number>`(select count(*) from activities ac where ac.opportunity_id = o.id and ac.done_at is not null)`

/** First done activity on the deal. */
export const firstResponseExpr = sql<string | null>`(select min(ar.done_at) from activities ar where ar.opportunity_id = o.id and ar.done_at is not null)`

export const responseHoursExpr = sql<number | null>`(${daysBetween(sql.ref('o.created_at'), firstResponseExpr)} * 24)`
export const cycleDaysExpr = daysBetween(sql.ref('o.created_at'), sql.ref('o.closed_at'))

/** We beat this competitor (1), they beat us (0), undecided (null): an explicit mark, else the deal's outcome. */
export const competitorResultExpr = sql<number | null>`coalesce(oc.won_against, case when o.status = 'won' then 1 when o.status = 'lost' then 0 end)`

export function oppWhere(eb: EB, f: OpportunityDrillFilter): Cond {
  const c: Cond[] = []
  if (f.status) c.push(eb('o.status', '=', f.status))
  if (f.stageId !== undefined) c.push(eb('o.stage_id', '=', f.stageId))
  if (f.ownerId !== undefined) c.push(eqOrNull(eb, 'o.owner_id', f.ownerId))
  if (f.team !== undefined) c.push(teamIn(eb, 'o.owner_id', f.team))
  if (f.source !== undefined) c.push(eqOrNull(eb, 'o.source', f.source))
  const acc = accountIn(eb, 'o.account_id', f)
  if (acc) c.push(acc)
  if (f.pipeline !== undefined) c.push(eb('o.stage_id', 'in', eb.selectFrom('pipeline_stages').select('pipeline_stages.id').where('pipeline_stages.pipeline', '=', f.pipeline)))
  instantBetween(eb, 'o.created_at', f.createdFrom, f.createdTo, c)
  // A closing date means won or lost; saying so lets the period use the closed-deals index.
  if ((f.closedFrom || f.closedTo) && !f.status) c.push(eb('o.status', 'in', ['won', 'lost']))
  instantBetween(eb, 'o.closed_at', f.closedFrom, f.closedTo, c)
  if (f.closeFrom) c.push(eb('o.expected_close_date', '>=', f.closeFrom))
  if (f.closeTo) c.push(eb('o.expected_close_date', '<=', f.closeTo))
  if (f.closeBefore) c.push(eb('o.expected_close_date', '<', f.closeBefore))
  if (f.reachedStageId !== undefined) c.push(sql<SqlBool>`${reachExpr} >= ${stageOrder(f.reachedStageId)}`)
  if (f.furthestStageId !== undefined) c.push(sql<SqlBool>`${reachExpr} = ${stageOrder(f.furthestStageId)}`)
  if (f.enteredStageId !== undefined) {
    c.push(eb.exists(eb.selectFrom('stage_history as eh').select('eh.id').whereRef('eh.opportunity_id', '=', 'o.id').where('eh.to_stage_id', '=', f.enteredStageId)))
  }
  if (f.lostFromStageId !== undefined) {
    c.push(eb('o.status', '=', 'lost'))
    c.push(f.lostFromStageId === null ? sql<SqlBool>`${lostFromExpr} is null` : sql<SqlBool>`${lostFromExpr} = ${f.lostFromStageId}`)
  }
  if (f.lostReason !== undefined) c.push(eqOrNull(eb, 'o.lost_reason', f.lostReason))
  if (f.competitor !== undefined) {
    const result = f.competitorResult
    c.push(
      eb.exists(
        eb
          .selectFrom('opportunity_competitors as oc')
          .select('oc.id')
          .whereRef('oc.opportunity_id', '=', 'o.id')
          .where('oc.name', '=', f.competitor)
          .$if(result !== undefined, (q) =>
            q.where(result === 'open' ? sql<SqlBool>`${competitorResultExpr} is null` : sql<SqlBool>`${competitorResultExpr} = ${result === 'won' ? 1 : 0}`),
          ),
      ),
    )
  }
  if (f.forecastCategory !== undefined) c.push(eb('o.forecast_category', '=', f.forecastCategory))
  if (f.activitiesMin !== undefined) c.push(sql<SqlBool>`${activityCountExpr} >= ${f.activitiesMin}`)
  if (f.activitiesMax !== undefined) c.push(sql<SqlBool>`${activityCountExpr} <= ${f.activitiesMax}`)
  if (f.cycleDaysMin !== undefined) c.push(sql<SqlBool>`${cycleDaysExpr} >= ${f.cycleDaysMin}`)
  if (f.cycleDaysMax !== undefined) c.push(sql<SqlBool>`${cycleDaysExpr} < ${f.cycleDaysMax}`)
  if (f.noResponse) c.push(sql<SqlBool>`${firstResponseExpr} is null`)
  if (f.responseHoursMin !== undefined) c.push(sql<SqlBool>`${responseHoursExpr} >= ${f.responseHoursMin}`)
  if (f.responseHoursMax !== undefined) c.push(sql<SqlBool>`${responseHoursExpr} < ${f.responseHoursMax}`)
  return eb.and(c)
}

export function leadWhere(eb: EB, f: LeadDrillFilter): Cond {
  const c: Cond[] = []
  if (f.source !== undefined) c.push(eqOrNull(eb, 'l.source', f.source))
  if (f.ownerId !== undefined) c.push(eqOrNull(eb, 'l.owner_id', f.ownerId))
  if (f.team !== undefined) c.push(teamIn(eb, 'l.owner_id', f.team))
  if (f.industry !== undefined) c.push(eqOrNull(eb, 'l.industry', f.industry))
  if (f.province !== undefined) c.push(eqOrNull(eb, 'l.province', f.province))
  instantBetween(eb, 'l.created_at', f.createdFrom, f.createdTo, c)
  if (f.converted !== undefined) c.push(eb('l.converted_opportunity_id', f.converted ? 'is not' : 'is', null))
  return eb.and(c)
}

export function activityWhere(eb: EB, f: ActivityDrillFilter): Cond {
  const c: Cond[] = []
  if (f.type) c.push(eb('x.type', '=', f.type))
  if (f.ownerId !== undefined) c.push(eqOrNull(eb, 'x.owner_id', f.ownerId))
  if (f.team !== undefined) c.push(teamIn(eb, 'x.owner_id', f.team))
  c.push(eb('x.done_at', 'is not', null))
  instantBetween(eb, 'x.done_at', f.doneFrom, f.doneTo, c)
  if (f.source !== undefined) c.push(eb('x.opportunity_id', 'in', eb.selectFrom('opportunities').select('opportunities.id').where('opportunities.source', '=', f.source)))
  const acc = accountIn(eb, 'x.account_id', f)
  if (acc) c.push(acc)
  return eb.and(c)
}

export function accountWhere(eb: EB, f: AccountDrillFilter): Cond {
  const c: Cond[] = []
  if (f.province !== undefined) c.push(eqOrNull(eb, 'a.province', f.province))
  if (f.industry !== undefined) c.push(eqOrNull(eb, 'a.industry', f.industry))
  if (f.size !== undefined) c.push(eqOrNull(eb, 'a.size', f.size))
  if (f.tag !== undefined) c.push(jsonArrayHas('a.tags', f.tag))
  if (f.ownerId !== undefined) c.push(eqOrNull(eb, 'a.owner_id', f.ownerId))
  if (f.team !== undefined) c.push(teamIn(eb, 'a.owner_id', f.team))
  if (f.source !== undefined) c.push(eqOrNull(eb, 'a.source', f.source))
  if (f.customers) c.push(eb('a.lifecycle', 'in', ['customer', 'loyal']))
  return eb.and(c)
}

// ---- report filters → the base of every drill -------------------------------

export function oppBase(f: ReportFilters): OpportunityDrillFilter {
  return strip({ ownerId: f.ownerId, team: f.team, source: f.source, industry: f.industry, province: f.province, size: f.size, tag: f.tag, pipeline: f.pipeline })
}

/** Leads have their own industry and province but no size or tags: those filters cannot apply (see ReportMeta.notes). */
export function leadBase(f: ReportFilters): LeadDrillFilter {
  return strip({ ownerId: f.ownerId, team: f.team, source: f.source, industry: f.industry, province: f.province })
}
export const leadsFilterable = (f: ReportFilters) => f.size === undefined && f.tag === undefined && f.pipeline === undefined

export function activityBase(f: ReportFilters): ActivityDrillFilter {
  return strip({ ownerId: f.ownerId, team: f.team, source: f.source, industry: f.industry, province: f.province, size: f.size, tag: f.tag })
}

export function accountBase(f: ReportFilters): AccountDrillFilter {
  return strip({ ownerId: f.ownerId, team: f.team, source: f.source, industry: f.industry, province: f.province, size: f.size, tag: f.tag })
}

/** Drop absent keys so drills stay short in route queries. */
export function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}
