// Report data as the API returns it and the renderer, the print page and the
// workbook read it. Plain serialisable data: money in integer fen, rates as
// exact fractions (numerator, denominator, value), calendar dates YYYY-MM-DD in
// Asia/Shanghai. Every bar, slice and cell carries a `Drill`: the records behind it.
import type { ActivityType } from '../domain'

export type ReportName = 'funnel' | 'sources' | 'reps' | 'forecast' | 'winloss' | 'cycle' | 'distribution' | 'activity' | 'insights'
export const REPORT_NAMES: readonly ReportName[] = ['funnel', 'sources', 'reps', 'forecast', 'winloss', 'cycle', 'distribution', 'activity', 'insights']

/** An exact rate: value = num / den, null when den is 0 (shown as "—", never as 0%). */
export interface Ratio {
  num: number
  den: number
  value: number | null
}

/** Inclusive range of calendar dates (Asia/Shanghai). */
export interface PeriodRange {
  from: string
  to: string
}

export type ForecastCategory = 'pipeline' | 'best_case' | 'commit'
export const FORECAST_CATEGORIES: readonly ForecastCategory[] = ['commit', 'best_case', 'pipeline']

/** Filters a report applies; every report accepts all of them and ignores none silently (see `ReportMeta.notes`). */
export interface ReportFilters {
  ownerId?: number
  team?: string
  source?: string
  /** Segment: the customer's industry, province, head-count band, tag. */
  industry?: string
  province?: string
  size?: string
  tag?: string
  /** Opportunities of one pipeline (the funnel always uses one; default "default"). */
  pipeline?: string
}

// ---- drill-down: the records behind a figure --------------------------------

/** Opportunities. Absent key = no condition; `null` = the field is empty. Date ranges are inclusive business dates. */
export interface OpportunityDrillFilter {
  status?: 'open' | 'won' | 'lost'
  /** Current stage. */
  stageId?: number
  /** Reached this stage or a later one (not the lost stage); skipped stages count as passed. */
  reachedStageId?: number
  /** The furthest stage it reached is exactly this one (where lost deals stopped). */
  furthestStageId?: number
  /** Has a stage-history entry into this stage (time was spent there). */
  enteredStageId?: number
  /** Lost, and the stage it was in when lost (null: created as lost). */
  lostFromStageId?: number | null
  ownerId?: number | null
  team?: string
  source?: string | null
  industry?: string | null
  province?: string | null
  size?: string | null
  tag?: string
  pipeline?: string
  createdFrom?: string
  createdTo?: string
  closedFrom?: string
  closedTo?: string
  /** Expected close date (same meaning as opportunities:list closeFrom/closeTo). */
  closeFrom?: string
  closeTo?: string
  /** Expected close date strictly before this date (overdue pipeline). */
  closeBefore?: string
  lostReason?: string | null
  competitor?: string
  /** With `competitor`: deals where we beat them (won) or they beat us (lost). */
  competitorResult?: 'won' | 'lost' | 'open'
  forecastCategory?: ForecastCategory
  /** Number of done activities on the deal, inclusive bounds. */
  activitiesMin?: number
  activitiesMax?: number
  /** Days from creation to close, [min, max). */
  cycleDaysMin?: number
  cycleDaysMax?: number
  /** Hours from creation to the first done activity, [min, max); `noResponse` = no done activity at all. */
  responseHoursMin?: number
  responseHoursMax?: number
  noResponse?: boolean
}

export interface LeadDrillFilter {
  source?: string | null
  ownerId?: number | null
  team?: string
  industry?: string | null
  province?: string | null
  createdFrom?: string
  createdTo?: string
  converted?: boolean
}

export interface ActivityDrillFilter {
  type?: ActivityType
  ownerId?: number | null
  team?: string
  doneFrom?: string
  doneTo?: string
  source?: string
  industry?: string
  province?: string
  size?: string
  tag?: string
}

export interface AccountDrillFilter {
  province?: string | null
  industry?: string | null
  size?: string | null
  tag?: string
  ownerId?: number | null
  team?: string
  source?: string | null
  /** Customers only (lifecycle customer or loyal). */
  customers?: boolean
}

export type Drill =
  | { list: 'opportunities'; filter: OpportunityDrillFilter }
  | { list: 'leads'; filter: LeadDrillFilter }
  | { list: 'activities'; filter: ActivityDrillFilter }
  | { list: 'accounts'; filter: AccountDrillFilter }

// ---- the envelope every report returns --------------------------------------

export interface ReportMeta {
  report: ReportName
  period: PeriodRange
  /** Same length just before (whole months shift by months). Null when comparison is off. */
  previous: PeriodRange | null
  /** Filters in force, after the caller's scope (a sales person sees only their own deals). */
  filters: ReportFilters
  scope: 'all' | 'own'
  /** Names for the ids in `filters`, for headers and chips. */
  ownerName: string | null
  /** When the numbers were computed (UTC instant). */
  asOf: string
  /** Honest remarks, e.g. a filter that cannot apply to leads. Keys into the labels. */
  notes: string[]
}

export interface Report<N extends ReportName, D> {
  report: N
  meta: ReportMeta
  current: D
  /** The same computation over `meta.previous`. */
  previous: D | null
}

// ---- 销售漏斗 ---------------------------------------------------------------
export interface FunnelStageRow {
  stageId: number
  name: string
  kind: 'open' | 'won' | 'lost'
  probability: number
  /** Open stages: deals in the stage now. Won/lost: deals closed in the period. */
  count: number
  amountFen: number
  weightedFen: number
  drill: Drill
}
export interface FunnelStep {
  stageId: number
  name: string
  kind: 'open' | 'won'
  /** Deals of the cohort that reached this stage or a later one. */
  reached: number
  reachedFen: number
  /** reached here / reached at the previous step (first step: / cohort). */
  conversion: Ratio
  /** reached here / cohort size. */
  fromStart: Ratio
  /** Lost while in this stage (their furthest stage). */
  lostHere: number
  drill: Drill
  lostDrill: Drill
}
export interface FunnelData {
  pipeline: string
  stages: FunnelStageRow[]
  /** Cohort: deals created in the period. */
  cohort: { count: number; amountFen: number; drill: Drill }
  steps: FunnelStep[]
}

// ---- 线索来源分析 -----------------------------------------------------------
export interface SourceRow {
  /** null: no source recorded. */
  source: string | null
  /** Leads created in the period; null when a filter cannot apply to leads. */
  leads: number | null
  convertedLeads: number | null
  leadConversion: Ratio | null
  /** Deals created in the period. */
  opportunities: number
  won: number
  lost: number
  winRate: Ratio
  wonFen: number
  avgDealFen: number | null
  /** Channel cost of the months the period touches; null when none entered. */
  costFen: number | null
  costPerWonFen: number | null
  drills: { leads: Drill | null; convertedLeads: Drill | null; opportunities: Drill; won: Drill; lost: Drill }
}
export interface SourcesData {
  rows: SourceRow[]
  totals: SourceRow
  /** Months whose channel costs count for this period. */
  costMonths: string[]
}

// ---- 销售业绩 ---------------------------------------------------------------
export interface RepRow {
  userId: number | null
  name: string
  team: string | null
  wonFen: number
  wonCount: number
  lostCount: number
  winRate: Ratio
  targetFen: number | null
  attainment: Ratio | null
  activities: number
  /** Average days from creation to close of the deals won in the period. */
  avgCycleDays: number | null
  openCount: number
  openFen: number
  openWeightedFen: number
  /** 1 = best won amount; ties share a rank. */
  rank: number
  drills: { won: Drill; lost: Drill; activities: Drill; open: Drill }
}
export interface RepsData {
  rows: RepRow[]
  totals: Omit<RepRow, 'userId' | 'name' | 'team' | 'rank'>
}

// ---- 销售预测 ---------------------------------------------------------------
export interface ForecastMonth {
  month: string
  wonFen: number
  wonCount: number
  /** Open deals expected to close this month, by category (unweighted). */
  commitFen: number
  bestCaseFen: number
  pipelineFen: number
  openCount: number
  openFen: number
  /** Σ amount × probability, all open deals of the month. */
  weightedFen: number
  /** Needs deal scoring, which does not exist yet: always null (see reports/forecast.ts riskAdjustment). */
  riskAdjustedFen: number | null
  targetFen: number | null
  /** won + commit. */
  commitForecastFen: number
  /** won + commit + best case. */
  bestCaseForecastFen: number
  /** target − (won + commit); null without target. */
  gapFen: number | null
  attainment: Ratio | null
  drills: { won: Drill; commit: Drill; bestCase: Drill; pipeline: Drill; open: Drill }
}
export interface ForecastData {
  months: ForecastMonth[]
  totals: Omit<ForecastMonth, 'month' | 'drills'>
  /** Open deals whose expected close date is before the period: to be re-dated or closed. */
  overdue: { count: number; amountFen: number; weightedFen: number; drill: Drill }
  riskAdjusted: 'unavailable' | 'available'
}

// ---- 赢单/输单分析 ----------------------------------------------------------
export interface LostReasonRow {
  reason: string | null
  count: number
  amountFen: number
  share: Ratio
  drill: Drill
}
export interface CompetitorRow {
  name: string
  /** Closed deals in the period where we met them. */
  met: number
  won: number
  lost: number
  winRate: Ratio
  /** Open deals where they are present now. */
  open: number
  drill: Drill
  wonDrill: Drill
  lostDrill: Drill
  openDrill: Drill
}
export interface LostStageRow {
  stageId: number | null
  name: string | null
  count: number
  amountFen: number
  share: Ratio
  drill: Drill
}
export interface WinLossData {
  won: { count: number; amountFen: number; drill: Drill }
  lost: { count: number; amountFen: number; drill: Drill }
  winRate: Ratio
  reasons: LostReasonRow[]
  competitors: CompetitorRow[]
  lostByStage: LostStageRow[]
}

// ---- 销售周期 ---------------------------------------------------------------
export interface CycleStageRow {
  stageId: number
  name: string
  /** Won deals that spent time in the stage. */
  deals: number
  avgDays: number | null
  drill: Drill
}
export interface CycleBucket {
  label: string
  minDays: number
  maxDays: number | null
  count: number
  share: Ratio
  drill: Drill
}
export interface CycleData {
  won: { count: number; avgDays: number | null; medianDays: number | null; drill: Drill }
  lost: { count: number; avgDays: number | null; drill: Drill }
  stages: CycleStageRow[]
  buckets: CycleBucket[]
}

// ---- 客户分布 ---------------------------------------------------------------
export interface DistributionRow {
  key: string | null
  accounts: number
  customers: number
  wonCount: number
  wonFen: number
  drill: Drill
  customersDrill: Drill
  wonDrill: Drill
}
export interface DistributionData {
  byProvince: DistributionRow[]
  byIndustry: DistributionRow[]
  bySize: DistributionRow[]
  totals: { accounts: number; customers: number; wonCount: number; wonFen: number }
}

// ---- 活动分析 ---------------------------------------------------------------
export interface ActivityTypeRow {
  type: ActivityType
  count: number
  drill: Drill
}
export interface ActivityOwnerRow {
  userId: number | null
  name: string
  total: number
  byType: Partial<Record<ActivityType, number>>
  drill: Drill
}
export interface ActivityBucketRow {
  label: string
  min: number
  max: number | null
  deals: number
  won: number
  winRate: Ratio
  drill: Drill
}
export interface ActivityData {
  total: number
  byType: ActivityTypeRow[]
  byOwner: ActivityOwnerRow[]
  /** Deals closed in the period by the number of done activities on them. */
  byDealActivity: ActivityBucketRow[]
  avgPerWon: number | null
  avgPerLost: number | null
}

// ---- 相关性 and 问题发现 ----------------------------------------------------
export type InsightFactor = 'source' | 'industry' | 'province' | 'activities' | 'response'
export interface FactorValue {
  key: string | null
  label: string
  closed: number
  won: number
  winRate: Ratio
  /** winRate − overall win rate, in percentage points (one decimal); null with too few deals. */
  liftPoints: number | null
  drill: Drill
}
export interface FactorRow {
  factor: InsightFactor
  values: FactorValue[]
}
export interface Finding {
  kind: 'stage' | 'source' | 'rep'
  key: string
  label: string
  value: Ratio
  /** The team's figure to compare with. */
  team: Ratio
  /** One plain sentence in the caller's language. */
  text: string
  drill: Drill
}
export interface InsightsData {
  overall: { closed: number; won: number; winRate: Ratio }
  factors: FactorRow[]
  /** Plain sentences about the strongest links to winning. */
  statements: string[]
  findings: Finding[]
  /** Factors need at least this many closed deals per value to be judged. */
  minDeals: number
}

// ---- 工作台 cards ------------------------------------------------------------
export interface DashboardCard {
  key: 'won' | 'winRate' | 'pipeline' | 'forecast' | 'activities'
  /** null: nothing to measure yet (a win rate with no deal closed this month). */
  value: number | null
  previous: number | null
  /** fen | ratio | count */
  unit: 'fen' | 'ratio' | 'count'
  target: number | null
  drill: Drill
}
export interface ReportDashboard {
  scope: 'own' | 'all'
  userName: string | null
  period: PeriodRange
  cards: DashboardCard[]
  funnel: FunnelStageRow[]
  forecast: ForecastMonth[]
  findings: Finding[]
}

export type FunnelReport = Report<'funnel', FunnelData>
export type SourcesReport = Report<'sources', SourcesData>
export type RepsReport = Report<'reps', RepsData>
export type ForecastReport = Report<'forecast', ForecastData>
export type WinLossReport = Report<'winloss', WinLossData>
export type CycleReport = Report<'cycle', CycleData>
export type DistributionReport = Report<'distribution', DistributionData>
export type ActivityReport = Report<'activity', ActivityData>
export type InsightsReport = Report<'insights', InsightsData>
export type AnyReport = FunnelReport | SourcesReport | RepsReport | ForecastReport | WinLossReport | CycleReport | DistributionReport | ActivityReport | InsightsReport

// ---- tables for screen, PDF and workbook -------------------------------------
export type ColumnType = 'text' | 'int' | 'fen' | 'ratio' | 'days' | 'points'
export interface ReportColumn {
  key: string
  label: string
  type: ColumnType
}
export type CellValue = string | number | null
export interface ReportTableRow {
  cells: Record<string, CellValue>
  /** The records behind the whole row, and behind single cells. */
  drill?: Drill
  cellDrills?: Record<string, Drill>
  /** A cell whose type differs from its column's (the key-figures table mixes amounts and rates). */
  cellTypes?: Record<string, ColumnType>
}
export interface ReportTable {
  id: string
  title: string
  columns: ReportColumn[]
  rows: ReportTableRow[]
  total?: ReportTableRow
}
