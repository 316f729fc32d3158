// Reports and analytics: the reports (each returns this period and the previous
// one, with a drill-down on every figure), the records behind a figure, the
// targets / costs / competitors the reports compare against, and export jobs.
import { z } from 'zod'
import { activityReport } from '../../reports/activity'
import { cycleReport } from '../../reports/cycle'
import { reportDashboard, reportDashboardInput } from '../../reports/dashboard'
import { distributionReport } from '../../reports/distribution'
import { drillInput, drillRecords } from '../../reports/drill'
import { exportInput, exportPack, exportPdf, exportXlsx, packInput } from '../../reports/export'
import { forecastReport } from '../../reports/forecast'
import { funnelReport } from '../../reports/funnel'
import { insightsReport } from '../../reports/insights'
import { reportInput } from '../../reports/period'
import { repsReport } from '../../reports/reps'
import { sourcesReport } from '../../reports/sources'
import { winLossReport } from '../../reports/winloss'
import * as competitors from '../../services/competitors'
import { id } from '../../services/fields'
import * as targets from '../../services/targets'
import { command, job, query } from '../define'

const managers = { roles: ['admin', 'manager'] as const }

export const reportMethods = {
  'reports:funnel': query(reportInput, funnelReport),
  'reports:sources': query(reportInput, sourcesReport),
  'reports:reps': query(reportInput, repsReport),
  'reports:forecast': query(reportInput, forecastReport),
  'reports:winloss': query(reportInput, winLossReport),
  'reports:cycle': query(reportInput, cycleReport),
  'reports:distribution': query(reportInput, distributionReport),
  'reports:activity': query(reportInput, activityReport),
  'reports:insights': query(reportInput, insightsReport),
  'reports:dashboard': query(reportDashboardInput, reportDashboard),
  'reports:drill': query(drillInput, drillRecords),

  'reports:exportPdf': job(exportInput, exportPdf),
  'reports:exportXlsx': job(exportInput, exportXlsx),
  'reports:pack': job(packInput, exportPack),

  'targets:list': query(targets.targetListInput, targets.listTargets),
  'targets:set': command(targets.targetSetInput, targets.setTargets, managers),
  'costs:list': query(targets.costListInput, targets.listCosts),
  'costs:set': command(targets.costSetInput, targets.setCosts, managers),

  'competitors:list': query(competitors.competitorListInput, competitors.listCompetitors),
  'competitors:names': query(z.object({}).strict(), (db) => competitors.competitorNames(db)),
  'competitors:add': command(competitors.competitorAddInput, competitors.addCompetitor),
  'competitors:update': command(competitors.competitorUpdateInput, competitors.updateCompetitor),
  'competitors:delete': command(z.object({ id }).strict(), competitors.deleteCompetitor),
  'forecast:setCategory': command(competitors.forecastCategoryInput, competitors.setForecastCategory),
}
