// 销售预测: per month of the period — won so far, open deals by expected close
// month and forecast category (commit / best case / pipeline), the weighted
// pipeline (amount × probability) and the month's target.
//
//   commit forecast    = won + commit
//   best-case forecast = won + commit + best case
//   gap                = target − commit forecast
//
// Open deals whose expected close date lies before the period are shown apart
// as overdue, so no open deal is silently left out.
import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../db/database'
import { addMonths, dayStartInstant, monthRange, monthsTouched, ratio } from '../shared/reports/period'
import type { ForecastData, ForecastMonth, OpportunityDrillFilter, ReportFilters } from '../shared/reports/types'
import { countAll, sumAmount, sumWeightedRaw, weightedFen } from './agg'
import { defineReport, num, type ReportQuery } from './period'
import { oppBase, oppWhere } from './where'

/**
 * Hook for risk-adjusted forecasting. Deal scoring does not exist yet, so
 * nothing is registered and every `riskAdjustedFen` is null (never a made-up
 * number). When scoring lands, register the adjusted win probability (0–100)
 * of deal `o` as a SQL expression; the forecast then sums amount × it.
 */
export interface RiskAdjustment {
  probabilityExpr: RawBuilder<number>
}
let riskAdjustment: RiskAdjustment | null = null
export function setRiskAdjustment(r: RiskAdjustment | null): void {
  riskAdjustment = r
}

/** Portable month bucket of an instant column (rows already limited to the period): a CASE over month-start instants. */
function monthOfInstant(col: string, months: string[]): RawBuilder<string | null> {
  const whens = months.map((m) => sql`when ${sql.ref(col)} < ${dayStartInstant(`${addMonths(m, 1)}-01`)} then ${m}`)
  return sql<string | null>`case ${sql.join(whens, sql` `)} end`
}

export async function computeForecast(db: Db, q: ReportQuery): Promise<ForecastData> {
  const base = oppBase(q.filters)
  const months = monthsTouched(q.period)
  const openIn: OpportunityDrillFilter = { ...base, status: 'open', closeFrom: q.period.from, closeTo: q.period.to }
  const wonIn: OpportunityDrillFilter = { ...base, status: 'won', closedFrom: q.period.from, closedTo: q.period.to }
  const overdueFilter: OpportunityDrillFilter = { ...base, status: 'open', closeBefore: q.period.from }
  const risk = riskAdjustment

  const [openRows, wonRows, targets, overdue] = await Promise.all([
    db
      .selectFrom('opportunities as o')
      .select([
        sql<string>`substr(o.expected_close_date, 1, 7)`.as('month'),
        'o.forecast_category',
        countAll.as('n'),
        sumAmount.as('fen'),
        sumWeightedRaw.as('w'),
        (risk ? sql<number>`coalesce(sum(o.amount_fen * ${risk.probabilityExpr}), 0)` : sql<number>`0`).as('r'),
      ])
      .where((eb) => oppWhere(eb, openIn))
      .groupBy([sql`substr(o.expected_close_date, 1, 7)`, 'o.forecast_category'])
      .execute(),
    db
      .selectFrom('opportunities as o')
      .select([monthOfInstant('o.closed_at', months).as('month'), countAll.as('n'), sumAmount.as('fen')])
      .where((eb) => oppWhere(eb, wonIn))
      .groupBy(sql`1`)
      .execute(),
    db
      .selectFrom('sales_targets as t')
      .select(['t.month', sql<number>`sum(t.amount_fen)`.as('fen')])
      .where('t.month', 'in', months)
      .$if(q.filters.ownerId !== undefined, (qb) => qb.where('t.user_id', '=', q.filters.ownerId!))
      .$if(q.filters.team !== undefined, (qb) => qb.where('t.user_id', 'in', db.selectFrom('users').select('id').where('team', '=', q.filters.team!)))
      .groupBy('t.month')
      .execute(),
    db.selectFrom('opportunities as o').select([countAll.as('n'), sumAmount.as('fen'), sumWeightedRaw.as('w')]).where((eb) => oppWhere(eb, overdueFilter)).executeTakeFirstOrThrow(),
  ])

  const monthRows: ForecastMonth[] = months.map((m) => {
    const range = monthRange(m)
    // The period may cut a month (e.g. 10–20 March): clip the month's drill to the period.
    const from = range.from < q.period.from ? q.period.from : range.from
    const to = range.to > q.period.to ? q.period.to : range.to
    const open = openRows.filter((r) => r.month === m)
    const cat = (c: string) => open.filter((r) => r.forecast_category === c).reduce((s, r) => s + num(r.fen), 0)
    const won = wonRows.find((r) => r.month === m)
    const target = targets.find((t) => t.month === m)
    const wonFen = num(won?.fen)
    const commitFen = cat('commit')
    const bestCaseFen = cat('best_case')
    const targetFen = target ? num(target.fen) : null
    const openM: OpportunityDrillFilter = { ...openIn, closeFrom: from, closeTo: to }
    return {
      month: m,
      wonFen,
      wonCount: num(won?.n),
      commitFen,
      bestCaseFen,
      pipelineFen: cat('pipeline'),
      openCount: open.reduce((s, r) => s + num(r.n), 0),
      openFen: open.reduce((s, r) => s + num(r.fen), 0),
      weightedFen: weightedFen(open.reduce((s, r) => s + num(r.w), 0)),
      riskAdjustedFen: risk ? weightedFen(open.reduce((s, r) => s + num(r.r), 0)) : null,
      targetFen,
      commitForecastFen: wonFen + commitFen,
      bestCaseForecastFen: wonFen + commitFen + bestCaseFen,
      gapFen: targetFen === null ? null : targetFen - (wonFen + commitFen),
      attainment: targetFen === null ? null : ratio(wonFen, targetFen),
      drills: {
        won: { list: 'opportunities', filter: { ...wonIn, closedFrom: from, closedTo: to } },
        commit: { list: 'opportunities', filter: { ...openM, forecastCategory: 'commit' } },
        bestCase: { list: 'opportunities', filter: { ...openM, forecastCategory: 'best_case' } },
        pipeline: { list: 'opportunities', filter: { ...openM, forecastCategory: 'pipeline' } },
        open: { list: 'opportunities', filter: openM },
      },
    }
  })

  const sum = (k: keyof ForecastMonth) => monthRows.reduce((s, r) => s + ((r[k] as number | null) ?? 0), 0)
  const anyTarget = monthRows.some((r) => r.targetFen !== null)
  const targetFen = anyTarget ? sum('targetFen') : null
  const wonFen = sum('wonFen')
  const commitFen = sum('commitFen')
  const bestCaseFen = sum('bestCaseFen')
  return {
    months: monthRows,
    totals: {
      wonFen,
      wonCount: sum('wonCount'),
      commitFen,
      bestCaseFen,
      pipelineFen: sum('pipelineFen'),
      openCount: sum('openCount'),
      openFen: sum('openFen'),
      weightedFen: sum('weightedFen'),
      riskAdjustedFen: risk ? sum('riskAdjustedFen') : null,
      targetFen,
      commitForecastFen: wonFen + commitFen,
      bestCaseForecastFen: wonFen + commitFen + bestCaseFen,
      gapFen: targetFen === null ? null : targetFen - (wonFen + commitFen),
      attainment: targetFen === null ? null : ratio(wonFen, targetFen),
    },
    overdue: { count: num(overdue.n), amountFen: num(overdue.fen), weightedFen: weightedFen(overdue.w), drill: { list: 'opportunities', filter: overdueFilter } },
    riskAdjusted: risk ? 'available' : 'unavailable',
  }
}

export function forecastNotes(f: ReportFilters): string[] {
  return f.source !== undefined || f.industry !== undefined || f.province !== undefined || f.size !== undefined || f.tag !== undefined ? ['note.targetsWholePerson'] : []
}

export const forecastReport = defineReport('forecast', 'quarter', computeForecast, forecastNotes)
