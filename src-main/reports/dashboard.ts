// 工作台 report cards for whoever is signed in: a sales person sees their own
// numbers, a manager or admin the whole team's. This month against last month,
// the open funnel, this quarter's forecast, and the month's weak spots.
import { z } from 'zod'
import type { Db } from '../db/database'
import type { Ctx } from '../services/context'
import { businessDate } from '../shared/dates'
import { presetRange, previousPeriod } from '../shared/reports/period'
import type { OpportunityDrillFilter, ReportDashboard } from '../shared/reports/types'
import { computeForecast } from './forecast'
import { computeFunnel } from './funnel'
import { computeInsights } from './insights'
import { queryFor, resolveScope } from './period'
import { computeReps } from './reps'

export const reportDashboardInput = z.object({}).strict()

export async function reportDashboard(db: Db, ctx: Ctx): Promise<ReportDashboard> {
  const today = businessDate(ctx.now())
  const month = presetRange('month', today)
  const quarter = presetRange('quarter', today)
  const scope = await resolveScope(db, ctx, {})
  const q = queryFor(month, scope.filters, ctx)
  const [reps, before, funnel, forecast, insights] = [
    await computeReps(db, q),
    await computeReps(db, queryFor(previousPeriod(month), scope.filters, ctx)),
    await computeFunnel(db, q),
    await computeForecast(db, queryFor(quarter, scope.filters, ctx)),
    await computeInsights(db, q),
  ]
  const t = reps.totals
  const p = before.totals
  // Win rate: the deals closed this month, won or lost. None closed yet (the
  // 1st of the month) is no rate at all, not 0 %: 0 % would read as a collapse.
  const { status: _won, ...closed } = t.drills.won.filter as OpportunityDrillFilter
  return {
    scope: scope.scope,
    userName: scope.ownerName,
    period: month,
    cards: [
      { key: 'won', value: t.wonFen, previous: p.wonFen, unit: 'fen', target: t.targetFen, drill: t.drills.won },
      { key: 'winRate', value: t.winRate.value, previous: p.winRate.value, unit: 'ratio', target: null, drill: { list: 'opportunities', filter: closed } },
      { key: 'pipeline', value: t.openWeightedFen, previous: null, unit: 'fen', target: null, drill: t.drills.open },
      { key: 'forecast', value: forecast.totals.commitForecastFen, previous: null, unit: 'fen', target: forecast.totals.targetFen, drill: forecast.months[0]?.drills.open ?? t.drills.open },
      { key: 'activities', value: t.activities, previous: p.activities, unit: 'count', target: null, drill: t.drills.activities },
    ],
    funnel: funnel.stages.filter((s) => s.kind === 'open'),
    forecast: forecast.months,
    findings: insights.findings,
  }
}
