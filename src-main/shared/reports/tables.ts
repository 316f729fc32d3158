// Report data → tables, the same for the screen, the print page and the
// workbook: typed columns (fen, ratio, int, days, points), rows with the
// drill-down of the whole row and of single cells. Pure.
import type { Locale } from '../errors'
import { ACTIVITY_TYPE_LABELS, keyLabel, word } from './labels'
import type {
  ActivityReport,
  AnyReport,
  CellValue,
  ColumnType,
  CycleReport,
  DistributionReport,
  DistributionRow,
  Drill,
  ForecastReport,
  FunnelReport,
  InsightsReport,
  Ratio,
  ReportColumn,
  ReportTable,
  ReportTableRow,
  RepsReport,
  SourcesReport,
  WinLossReport,
} from './types'

type Col = [key: string, zh: string, en: string, type: ColumnType]
const cols = (locale: Locale, list: Col[]): ReportColumn[] => list.map(([key, zh, en, type]) => ({ key, label: locale === 'en' ? en : zh, type }))
const r = (x: Ratio | null | undefined): number | null => x?.value ?? null
const row = (cells: Record<string, CellValue>, drill?: Drill, cellDrills?: Record<string, Drill | null | undefined>): ReportTableRow => {
  const out: ReportTableRow = { cells }
  if (drill) out.drill = drill
  if (cellDrills) {
    const kept = Object.fromEntries(Object.entries(cellDrills).filter(([, d]) => d)) as Record<string, Drill>
    if (Object.keys(kept).length > 0) out.cellDrills = kept
  }
  return out
}

// ---- key figures: this period against the previous one -----------------------

interface Kpi {
  key: string
  zh: string
  en: string
  type: ColumnType
  get: (d: any) => number | null
}

function kpiTable(report: AnyReport, kpis: Kpi[], locale: Locale): ReportTable {
  const prev = report.previous
  return {
    id: 'kpis',
    title: word('kpis', locale),
    columns: cols(locale, [
      ['metric', '指标', 'Figure', 'text'],
      // Each row says its own type (cellTypes); the columns are numeric for alignment.
      ['current', '本期', 'This period', 'int'],
      ['previous', '上期', 'Previous', 'int'],
      ['change', '变化', 'Change', 'int'],
    ]),
    rows: kpis.map((k) => {
      const cur = k.get(report.current)
      const before = prev ? k.get(prev) : null
      // Rates change in percentage points, amounts and counts by difference.
      const change = cur === null || before === null ? null : k.type === 'ratio' ? Math.round((cur - before) * 1000) / 10 : cur - before
      const out = row({ metric: locale === 'en' ? k.en : k.zh, current: cur, previous: before, change })
      out.cellTypes = { current: k.type, previous: k.type, change: k.type === 'ratio' ? 'points' : k.type }
      return out
    }),
  }
}

const KPIS: { [N in AnyReport['report']]: Kpi[] } = {
  funnel: [
    { key: 'cohort', zh: '新建商机', en: 'New deals', type: 'int', get: (d) => d.cohort.count },
    { key: 'cohortFen', zh: '新建商机金额', en: 'New deal amount', type: 'fen', get: (d) => d.cohort.amountFen },
    { key: 'won', zh: '新建商机中已成交', en: 'Of which won', type: 'int', get: (d) => d.steps.at(-1)?.reached ?? 0 },
    { key: 'conversion', zh: '整体转化率', en: 'Overall conversion', type: 'ratio', get: (d) => d.steps.at(-1)?.fromStart.value ?? null },
  ],
  sources: [
    { key: 'leads', zh: '线索数', en: 'Leads', type: 'int', get: (d) => d.totals.leads },
    { key: 'opps', zh: '新建商机', en: 'New deals', type: 'int', get: (d) => d.totals.opportunities },
    { key: 'won', zh: '赢单数', en: 'Won', type: 'int', get: (d) => d.totals.won },
    { key: 'winRate', zh: '赢单率', en: 'Win rate', type: 'ratio', get: (d) => d.totals.winRate.value },
    { key: 'wonFen', zh: '赢单金额', en: 'Won amount', type: 'fen', get: (d) => d.totals.wonFen },
    { key: 'cost', zh: '渠道费用', en: 'Channel cost', type: 'fen', get: (d) => d.totals.costFen },
  ],
  reps: [
    { key: 'wonFen', zh: '赢单金额', en: 'Won amount', type: 'fen', get: (d) => d.totals.wonFen },
    { key: 'target', zh: '目标', en: 'Target', type: 'fen', get: (d) => d.totals.targetFen },
    { key: 'attainment', zh: '完成率', en: 'Attainment', type: 'ratio', get: (d) => d.totals.attainment?.value ?? null },
    { key: 'winRate', zh: '赢单率', en: 'Win rate', type: 'ratio', get: (d) => d.totals.winRate.value },
    { key: 'activities', zh: '跟进次数', en: 'Activities', type: 'int', get: (d) => d.totals.activities },
    { key: 'cycle', zh: '平均周期（天）', en: 'Average cycle (days)', type: 'days', get: (d) => d.totals.avgCycleDays },
  ],
  forecast: [
    { key: 'target', zh: '目标', en: 'Target', type: 'fen', get: (d) => d.totals.targetFen },
    { key: 'won', zh: '已赢单', en: 'Won', type: 'fen', get: (d) => d.totals.wonFen },
    { key: 'commit', zh: '承诺预测', en: 'Commit forecast', type: 'fen', get: (d) => d.totals.commitForecastFen },
    { key: 'best', zh: '乐观预测', en: 'Best-case forecast', type: 'fen', get: (d) => d.totals.bestCaseForecastFen },
    { key: 'weighted', zh: '加权管道', en: 'Weighted pipeline', type: 'fen', get: (d) => d.totals.weightedFen },
    { key: 'gap', zh: '目标差距', en: 'Gap to target', type: 'fen', get: (d) => d.totals.gapFen },
  ],
  winloss: [
    { key: 'won', zh: '赢单数', en: 'Won', type: 'int', get: (d) => d.won.count },
    { key: 'wonFen', zh: '赢单金额', en: 'Won amount', type: 'fen', get: (d) => d.won.amountFen },
    { key: 'lost', zh: '输单数', en: 'Lost', type: 'int', get: (d) => d.lost.count },
    { key: 'lostFen', zh: '输单金额', en: 'Lost amount', type: 'fen', get: (d) => d.lost.amountFen },
    { key: 'winRate', zh: '赢单率', en: 'Win rate', type: 'ratio', get: (d) => d.winRate.value },
  ],
  cycle: [
    { key: 'won', zh: '赢单数', en: 'Deals won', type: 'int', get: (d) => d.won.count },
    { key: 'avg', zh: '平均周期（天）', en: 'Average cycle (days)', type: 'days', get: (d) => d.won.avgDays },
    { key: 'median', zh: '周期中位数（天）', en: 'Median cycle (days)', type: 'days', get: (d) => d.won.medianDays },
    { key: 'lostAvg', zh: '输单平均周期（天）', en: 'Average cycle of lost deals (days)', type: 'days', get: (d) => d.lost.avgDays },
  ],
  distribution: [
    { key: 'accounts', zh: '客户数', en: 'Accounts', type: 'int', get: (d) => d.totals.accounts },
    { key: 'customers', zh: '成交客户', en: 'Customers', type: 'int', get: (d) => d.totals.customers },
    { key: 'won', zh: '赢单数', en: 'Deals won', type: 'int', get: (d) => d.totals.wonCount },
    { key: 'wonFen', zh: '赢单金额', en: 'Won amount', type: 'fen', get: (d) => d.totals.wonFen },
  ],
  activity: [
    { key: 'total', zh: '完成的跟进', en: 'Activities done', type: 'int', get: (d) => d.total },
    { key: 'won', zh: '赢单平均跟进次数', en: 'Activities per won deal', type: 'days', get: (d) => d.avgPerWon },
    { key: 'lost', zh: '输单平均跟进次数', en: 'Activities per lost deal', type: 'days', get: (d) => d.avgPerLost },
  ],
  insights: [
    { key: 'closed', zh: '已结商机', en: 'Deals closed', type: 'int', get: (d) => d.overall.closed },
    { key: 'won', zh: '赢单数', en: 'Won', type: 'int', get: (d) => d.overall.won },
    { key: 'winRate', zh: '赢单率', en: 'Win rate', type: 'ratio', get: (d) => d.overall.winRate.value },
  ],
}

/** Values of the previous period by row key, for one comparison column. */
function previousBy<T>(rows: T[] | undefined, key: (t: T) => unknown, value: (t: T) => number | null): (k: unknown) => number | null {
  const m = new Map((rows ?? []).map((x) => [key(x), value(x)]))
  return (k) => (rows ? (m.get(k) ?? 0) : null)
}

// ---- per report --------------------------------------------------------------

function funnelTables(rep: FunnelReport, L: Locale): ReportTable[] {
  const d = rep.current
  const prevConv = previousBy(rep.previous?.steps, (s) => s.stageId, (s) => s.conversion.value)
  return [
    {
      id: 'stages',
      title: L === 'en' ? 'Deals by stage (open: now; won/lost: closed in the period)' : '各阶段商机（进行中为当前，成交/输单为本期关闭）',
      columns: cols(L, [
        ['stage', '阶段', 'Stage', 'text'],
        ['probability', '默认赢率', 'Probability', 'ratio'],
        ['count', '商机数', 'Deals', 'int'],
        ['amount', '金额（元）', 'Amount (¥)', 'fen'],
        ['weighted', '加权金额（元）', 'Weighted (¥)', 'fen'],
      ]),
      rows: d.stages.map((s) => row({ stage: s.name, probability: s.probability / 100, count: s.count, amount: s.amountFen, weighted: s.weightedFen }, s.drill)),
    },
    {
      id: 'steps',
      title: L === 'en' ? 'Stage conversion of the deals created in the period' : '阶段转化（本期新建商机）',
      columns: cols(L, [
        ['stage', '阶段', 'Stage', 'text'],
        ['reached', '到达数', 'Reached', 'int'],
        ['amount', '到达金额（元）', 'Amount (¥)', 'fen'],
        ['conversion', '阶段转化率', 'Step conversion', 'ratio'],
        ['fromStart', '累计转化率', 'From start', 'ratio'],
        ['lostHere', '在此阶段输单', 'Lost here', 'int'],
        ['previous', '上期阶段转化率', 'Previous step conversion', 'ratio'],
      ]),
      rows: d.steps.map((s) =>
        row(
          { stage: s.name, reached: s.reached, amount: s.reachedFen, conversion: r(s.conversion), fromStart: r(s.fromStart), lostHere: s.lostHere, previous: prevConv(s.stageId) },
          s.drill,
          { lostHere: s.lostDrill },
        ),
      ),
      total: row({ stage: L === 'en' ? 'New deals' : '本期新建', reached: d.cohort.count, amount: d.cohort.amountFen, conversion: null, fromStart: null, lostHere: null, previous: null }, d.cohort.drill),
    },
  ]
}

function sourcesTables(rep: SourcesReport, L: Locale): ReportTable[] {
  const d = rep.current
  const prevWon = previousBy(rep.previous?.rows, (x) => x.source, (x) => x.wonFen)
  const cells = (s: SourcesReport['current']['totals'], name: string) => ({
    source: name,
    leads: s.leads,
    converted: s.convertedLeads,
    leadConversion: r(s.leadConversion),
    opportunities: s.opportunities,
    won: s.won,
    lost: s.lost,
    winRate: r(s.winRate),
    wonFen: s.wonFen,
    avgDeal: s.avgDealFen,
    cost: s.costFen,
    costPerWon: s.costPerWonFen,
  })
  const drills = (s: SourcesReport['current']['totals']) => ({ leads: s.drills.leads, converted: s.drills.convertedLeads, opportunities: s.drills.opportunities, won: s.drills.won, lost: s.drills.lost })
  return [
    {
      id: 'sources',
      title: L === 'en' ? 'By source channel' : '各来源渠道',
      columns: cols(L, [
        ['source', '来源', 'Source', 'text'],
        ['leads', '线索数', 'Leads', 'int'],
        ['converted', '转为商机', 'To deals', 'int'],
        ['leadConversion', '线索转化率', 'Lead conversion', 'ratio'],
        ['opportunities', '新建商机', 'New deals', 'int'],
        ['won', '赢单', 'Won', 'int'],
        ['lost', '输单', 'Lost', 'int'],
        ['winRate', '赢单率', 'Win rate', 'ratio'],
        ['wonFen', '赢单金额（元）', 'Won (¥)', 'fen'],
        ['avgDeal', '平均成交额（元）', 'Average deal (¥)', 'fen'],
        ['cost', '渠道费用（元）', 'Cost (¥)', 'fen'],
        ['costPerWon', '单个赢单成本（元）', 'Cost per win (¥)', 'fen'],
        ['previous', '上期赢单金额（元）', 'Previous won (¥)', 'fen'],
      ]),
      rows: d.rows.map((s) => row({ ...cells(s, keyLabel(s.source, L)), previous: prevWon(s.source) }, s.drills.opportunities, drills(s))),
      total: row({ ...cells(d.totals, word('total', L)), previous: rep.previous ? rep.previous.totals.wonFen : null }, d.totals.drills.opportunities, drills(d.totals)),
    },
  ]
}

function repsTables(rep: RepsReport, L: Locale): ReportTable[] {
  const d = rep.current
  const prevWon = previousBy(rep.previous?.rows, (x) => x.userId, (x) => x.wonFen)
  const cells = (x: RepsReport['current']['totals']) => ({
    wonFen: x.wonFen,
    target: x.targetFen,
    attainment: r(x.attainment),
    won: x.wonCount,
    lost: x.lostCount,
    winRate: r(x.winRate),
    activities: x.activities,
    cycle: x.avgCycleDays,
    open: x.openCount,
    openFen: x.openFen,
    weighted: x.openWeightedFen,
  })
  const drills = (x: RepsReport['current']['totals']) => ({ wonFen: x.drills.won, won: x.drills.won, lost: x.drills.lost, activities: x.drills.activities, open: x.drills.open, openFen: x.drills.open })
  return [
    {
      id: 'reps',
      title: L === 'en' ? 'Ranking by won amount' : '销售排名（按赢单金额）',
      columns: cols(L, [
        ['rank', '排名', 'Rank', 'int'],
        ['name', '销售', 'Sales person', 'text'],
        ['team', '团队', 'Team', 'text'],
        ['wonFen', '赢单金额（元）', 'Won (¥)', 'fen'],
        ['target', '目标（元）', 'Target (¥)', 'fen'],
        ['attainment', '完成率', 'Attainment', 'ratio'],
        ['won', '赢单', 'Won', 'int'],
        ['lost', '输单', 'Lost', 'int'],
        ['winRate', '赢单率', 'Win rate', 'ratio'],
        ['activities', '跟进次数', 'Activities', 'int'],
        ['cycle', '平均周期（天）', 'Avg cycle (days)', 'days'],
        ['open', '在手商机', 'Open deals', 'int'],
        ['openFen', '在手金额（元）', 'Open (¥)', 'fen'],
        ['weighted', '加权金额（元）', 'Weighted (¥)', 'fen'],
        ['previous', '上期赢单金额（元）', 'Previous won (¥)', 'fen'],
      ]),
      rows: d.rows.map((x) => row({ rank: x.rank || null, name: x.userId === null ? word('unassigned', L) : x.name, team: x.team, ...cells(x), previous: prevWon(x.userId) }, x.drills.won, drills(x))),
      total: row({ rank: null, name: word('total', L), team: null, ...cells(d.totals), previous: rep.previous ? rep.previous.totals.wonFen : null }, d.totals.drills.won, drills(d.totals)),
    },
  ]
}

function forecastTables(rep: ForecastReport, L: Locale): ReportTable[] {
  const d = rep.current
  const cells = (m: ForecastReport['current']['totals']) => ({
    target: m.targetFen,
    won: m.wonFen,
    commit: m.commitFen,
    bestCase: m.bestCaseFen,
    pipeline: m.pipelineFen,
    weighted: m.weightedFen,
    riskAdjusted: m.riskAdjustedFen,
    commitForecast: m.commitForecastFen,
    bestForecast: m.bestCaseForecastFen,
    gap: m.gapFen,
    attainment: r(m.attainment),
  })
  const columns: Col[] = [
    ['month', '月份', 'Month', 'text'],
    ['target', '目标（元）', 'Target (¥)', 'fen'],
    ['won', '已赢单（元）', 'Won (¥)', 'fen'],
    ['commit', '承诺（元）', 'Commit (¥)', 'fen'],
    ['bestCase', '乐观（元）', 'Best case (¥)', 'fen'],
    ['pipeline', '管道（元）', 'Pipeline (¥)', 'fen'],
    ['weighted', '加权管道（元）', 'Weighted (¥)', 'fen'],
    ['commitForecast', '承诺预测（元）', 'Commit forecast (¥)', 'fen'],
    ['bestForecast', '乐观预测（元）', 'Best-case forecast (¥)', 'fen'],
    ['gap', '目标差距（元）', 'Gap (¥)', 'fen'],
    ['attainment', '完成率', 'Attainment', 'ratio'],
  ]
  // Risk-adjusted appears only once deal scoring provides it; a column of blanks would suggest a number exists.
  if (d.riskAdjusted === 'available') columns.splice(7, 0, ['riskAdjusted', '风险调整（元）', 'Risk-adjusted (¥)', 'fen'])
  return [
    {
      id: 'months',
      title: L === 'en' ? 'Forecast by expected close month' : '按预计成交月份预测',
      columns: cols(L, columns),
      rows: d.months.map((m) => row({ month: m.month, ...cells(m) }, m.drills.open, { won: m.drills.won, commit: m.drills.commit, bestCase: m.drills.bestCase, pipeline: m.drills.pipeline, weighted: m.drills.open })),
      total: row({ month: word('total', L), ...cells(d.totals) }),
    },
    {
      id: 'overdue',
      title: L === 'en' ? 'Open deals whose expected close date has passed before the period' : '预计成交日期早于本期仍未关闭的商机',
      columns: cols(L, [
        ['count', '商机数', 'Deals', 'int'],
        ['amount', '金额（元）', 'Amount (¥)', 'fen'],
        ['weighted', '加权金额（元）', 'Weighted (¥)', 'fen'],
      ]),
      rows: [row({ count: d.overdue.count, amount: d.overdue.amountFen, weighted: d.overdue.weightedFen }, d.overdue.drill)],
    },
  ]
}

function winLossTables(rep: WinLossReport, L: Locale): ReportTable[] {
  const d = rep.current
  const prevReason = previousBy(rep.previous?.reasons, (x) => x.reason, (x) => x.count)
  return [
    {
      id: 'reasons',
      title: L === 'en' ? 'Lost reasons' : '输单原因',
      columns: cols(L, [
        ['reason', '原因', 'Reason', 'text'],
        ['count', '数量', 'Deals', 'int'],
        ['amount', '金额（元）', 'Amount (¥)', 'fen'],
        ['share', '占比', 'Share', 'ratio'],
        ['previous', '上期数量', 'Previous', 'int'],
      ]),
      rows: d.reasons.map((x) => row({ reason: keyLabel(x.reason, L), count: x.count, amount: x.amountFen, share: r(x.share), previous: prevReason(x.reason) }, x.drill)),
      total: row({ reason: word('total', L), count: d.lost.count, amount: d.lost.amountFen, share: d.lost.count > 0 ? 1 : null, previous: rep.previous ? rep.previous.lost.count : null }, d.lost.drill),
    },
    {
      id: 'competitors',
      title: L === 'en' ? 'Competitors met' : '竞争对手',
      columns: cols(L, [
        ['name', '竞争对手', 'Competitor', 'text'],
        ['met', '交锋（已结）', 'Met (closed)', 'int'],
        ['won', '赢', 'Won', 'int'],
        ['lost', '输', 'Lost', 'int'],
        ['winRate', '赢单率', 'Win rate', 'ratio'],
        ['open', '进行中', 'Open now', 'int'],
      ]),
      rows: d.competitors.map((x) => row({ name: x.name, met: x.met, won: x.won, lost: x.lost, winRate: r(x.winRate), open: x.open }, x.drill, { won: x.wonDrill, lost: x.lostDrill, open: x.openDrill })),
    },
    {
      id: 'lostByStage',
      title: L === 'en' ? 'Stage when lost' : '输单时所处阶段',
      columns: cols(L, [
        ['stage', '阶段', 'Stage', 'text'],
        ['count', '数量', 'Deals', 'int'],
        ['amount', '金额（元）', 'Amount (¥)', 'fen'],
        ['share', '占比', 'Share', 'ratio'],
      ]),
      rows: d.lostByStage.map((x) => row({ stage: x.stageId === null ? word('lostAtCreation', L) : (x.name ?? String(x.stageId)), count: x.count, amount: x.amountFen, share: r(x.share) }, x.drill)),
    },
  ]
}

function cycleTables(rep: CycleReport, L: Locale): ReportTable[] {
  const d = rep.current
  // A stage without deals last period has no average (null), not 0 days.
  const prevStage = (id: number) => (rep.previous ? (rep.previous.stages.find((p) => p.stageId === id)?.avgDays ?? null) : null)
  return [
    {
      id: 'stages',
      title: L === 'en' ? 'Days per stage (deals won in the period)' : '各阶段停留天数（本期赢单）',
      columns: cols(L, [
        ['stage', '阶段', 'Stage', 'text'],
        ['deals', '商机数', 'Deals', 'int'],
        ['avgDays', '平均天数', 'Average days', 'days'],
        ['previous', '上期平均天数', 'Previous', 'days'],
      ]),
      rows: d.stages.map((x) => row({ stage: x.name, deals: x.deals, avgDays: x.avgDays, previous: prevStage(x.stageId) }, x.drill)),
      total: row({ stage: L === 'en' ? 'Whole cycle' : '全周期', deals: d.won.count, avgDays: d.won.avgDays, previous: rep.previous?.won.avgDays ?? null }, d.won.drill),
    },
    {
      id: 'buckets',
      title: L === 'en' ? 'Cycle length of deals won' : '赢单周期分布',
      columns: cols(L, [
        ['range', '周期', 'Cycle', 'text'],
        ['count', '商机数', 'Deals', 'int'],
        ['share', '占比', 'Share', 'ratio'],
      ]),
      rows: d.buckets.map((b) => row({ range: word('daysBucket', L, { label: b.label }), count: b.count, share: r(b.share) }, b.drill)),
    },
  ]
}

function distributionTables(rep: DistributionReport, L: Locale): ReportTable[] {
  const d = rep.current
  const table = (id: string, zh: string, en: string, keyZh: string, keyEn: string, rows: DistributionRow[]): ReportTable => ({
    id,
    title: L === 'en' ? en : zh,
    columns: cols(L, [
      ['key', keyZh, keyEn, 'text'],
      ['accounts', '客户数', 'Accounts', 'int'],
      ['customers', '成交客户', 'Customers', 'int'],
      ['won', '本期赢单', 'Won in period', 'int'],
      ['wonFen', '赢单金额（元）', 'Won (¥)', 'fen'],
    ]),
    rows: rows.map((x) => row({ key: keyLabel(x.key, L), accounts: x.accounts, customers: x.customers, won: x.wonCount, wonFen: x.wonFen }, x.drill, { customers: x.customersDrill, won: x.wonDrill, wonFen: x.wonDrill })),
    total: row({ key: word('total', L), accounts: d.totals.accounts, customers: d.totals.customers, won: d.totals.wonCount, wonFen: d.totals.wonFen }),
  })
  return [
    table('province', '按省份', 'By province', '省份', 'Province', d.byProvince),
    table('industry', '按行业', 'By industry', '行业', 'Industry', d.byIndustry),
    table('size', '按规模', 'By size', '规模（人）', 'Size (staff)', d.bySize),
  ]
}

function activityTables(rep: ActivityReport, L: Locale): ReportTable[] {
  const d = rep.current
  const prevType = previousBy(rep.previous?.byType, (x) => x.type, (x) => x.count)
  const types = d.byType.map((x) => x.type)
  return [
    {
      id: 'types',
      title: L === 'en' ? 'By type' : '按类型',
      columns: cols(L, [
        ['type', '类型', 'Type', 'text'],
        ['count', '次数', 'Count', 'int'],
        ['previous', '上期', 'Previous', 'int'],
      ]),
      rows: d.byType.map((x) => row({ type: ACTIVITY_TYPE_LABELS[x.type][L], count: x.count, previous: prevType(x.type) }, x.drill)),
      total: row({ type: word('total', L), count: d.total, previous: rep.previous?.total ?? null }),
    },
    {
      id: 'owners',
      title: L === 'en' ? 'By person' : '按人员',
      columns: [...cols(L, [['name', '销售', 'Sales person', 'text'], ['total', '合计', 'Total', 'int']]), ...types.map((t) => ({ key: t, label: ACTIVITY_TYPE_LABELS[t][L], type: 'int' as const }))],
      rows: d.byOwner.map((x) => row({ name: x.userId === null ? word('unassigned', L) : x.name, total: x.total, ...Object.fromEntries(types.map((t) => [t, x.byType[t] ?? 0])) }, x.drill)),
    },
    {
      id: 'deals',
      title: L === 'en' ? 'Activities per deal and win rate (deals closed in the period)' : '跟进次数与赢单率（本期已结商机）',
      columns: cols(L, [
        ['bucket', '跟进次数', 'Activities', 'text'],
        ['deals', '商机数', 'Deals', 'int'],
        ['won', '赢单', 'Won', 'int'],
        ['winRate', '赢单率', 'Win rate', 'ratio'],
      ]),
      rows: d.byDealActivity.map((b) => row({ bucket: word('activitiesBucket', L, { label: b.label }), deals: b.deals, won: b.won, winRate: r(b.winRate) }, b.drill)),
    },
  ]
}

function insightsTables(rep: InsightsReport, L: Locale): ReportTable[] {
  const d = rep.current
  const factorTitle: Record<string, [string, string]> = {
    source: ['按线索来源', 'By source'],
    industry: ['按行业', 'By industry'],
    province: ['按地区', 'By region'],
    activities: ['按跟进次数', 'By number of activities'],
    response: ['按首次响应时间', 'By first response'],
  }
  return [
    {
      id: 'findings',
      title: L === 'en' ? 'Weak spots of the period' : '问题发现',
      columns: cols(L, [
        ['finding', '发现', 'Finding', 'text'],
        ['value', '指标', 'Figure', 'ratio'],
        ['team', '团队', 'Team', 'ratio'],
        ['text', '说明', 'Explanation', 'text'],
      ]),
      rows: d.findings.map((f) => row({ finding: f.label, value: r(f.value), team: r(f.team), text: f.text }, f.drill)),
    },
    ...d.factors.map((f) => ({
      id: `factor-${f.factor}`,
      title: `${L === 'en' ? factorTitle[f.factor][1] : factorTitle[f.factor][0]}${L === 'en' ? '' : '（本期已结商机）'}`,
      columns: cols(L, [
        ['value', '取值', 'Value', 'text'],
        ['closed', '已结商机', 'Closed', 'int'],
        ['won', '赢单', 'Won', 'int'],
        ['winRate', '赢单率', 'Win rate', 'ratio'],
        ['lift', '与整体相比（百分点）', 'vs overall (points)', 'points'],
      ]),
      rows: f.values.map((v) => row({ value: v.label, closed: v.closed, won: v.won, winRate: r(v.winRate), lift: v.liftPoints }, v.drill)),
    })),
  ]
}

/** The tables of a report, key figures first. */
export function reportTables(report: AnyReport, locale: Locale): ReportTable[] {
  const kpis = kpiTable(report, KPIS[report.report], locale)
  switch (report.report) {
    case 'funnel':
      return [kpis, ...funnelTables(report, locale)]
    case 'sources':
      return [kpis, ...sourcesTables(report, locale)]
    case 'reps':
      return [kpis, ...repsTables(report, locale)]
    case 'forecast':
      return [kpis, ...forecastTables(report, locale)]
    case 'winloss':
      return [kpis, ...winLossTables(report, locale)]
    case 'cycle':
      return [kpis, ...cycleTables(report, locale)]
    case 'distribution':
      return [kpis, ...distributionTables(report, locale)]
    case 'activity':
      return [kpis, ...activityTables(report, locale)]
    case 'insights':
      return [kpis, ...insightsTables(report, locale)]
  }
}
