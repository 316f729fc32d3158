// Words of the reports in both languages: titles, column headers, notes,
// category names. Pure; used by the print page, the workbook and the renderer.
import type { ActivityType } from '../domain'
import type { Locale } from '../errors'
import type { ForecastCategory, InsightFactor, ReportName } from './types'

type Text = Record<Locale, string>
const t = (zh: string, en: string): Text => ({ 'zh-CN': zh, en })

export const REPORT_TITLES: Record<ReportName, Text> = {
  funnel: t('销售漏斗', 'Sales funnel'),
  sources: t('线索来源分析', 'Lead sources'),
  reps: t('销售业绩', 'Sales performance'),
  forecast: t('销售预测', 'Sales forecast'),
  winloss: t('赢单/输单分析', 'Win/loss analysis'),
  cycle: t('销售周期', 'Sales cycle'),
  distribution: t('客户分布', 'Customer distribution'),
  activity: t('活动分析', 'Activity analysis'),
  insights: t('相关性与问题发现', 'What goes with winning'),
}

export const ACTIVITY_TYPE_LABELS: Record<ActivityType, Text> = {
  call: t('电话', 'Call'),
  email: t('邮件', 'Email'),
  meeting: t('会议', 'Meeting'),
  visit: t('拜访', 'Visit'),
  wechat: t('微信', 'WeChat'),
  sms: t('短信', 'SMS'),
  social: t('社交媒体', 'Social'),
  note: t('备注', 'Note'),
}

export const FORECAST_CATEGORY_LABELS: Record<ForecastCategory, Text> = {
  commit: t('承诺', 'Commit'),
  best_case: t('乐观', 'Best case'),
  pipeline: t('管道', 'Pipeline'),
}

export const FACTOR_LABELS: Record<InsightFactor, Text> = {
  source: t('线索来源', 'Source'),
  industry: t('行业', 'Industry'),
  province: t('地区', 'Region'),
  activities: t('跟进次数', 'Activities'),
  response: t('首次响应', 'First response'),
}

export const NOTE_LABELS: Record<string, Text> = {
  'note.leadsNotFiltered': t('线索没有规模、标签和销售流程信息：设置这些筛选时不统计线索。', 'Leads have no size, tags or pipeline: leads are not counted with those filters.'),
  'note.costsWholeChannel': t('渠道费用按整个渠道计算，不随负责人、团队或客户细分筛选。', 'Channel costs are for the whole channel; owner, team and segment filters do not split them.'),
  'note.targetsWholePerson': t('销售目标按人设定，不随来源或客户细分筛选。', 'Targets are per person; source and segment filters do not split them.'),
}

const WORDS = {
  none: t('（未填写）', '(not set)'),
  unassigned: t('（未分配）', '(unassigned)'),
  total: t('合计', 'Total'),
  period: t('统计期间', 'Period'),
  previous: t('对比期间', 'Compared with'),
  filters: t('筛选条件', 'Filters'),
  allData: t('全部数据', 'All data'),
  ownOnly: t('仅本人数据', 'Own records only'),
  generated: t('生成时间', 'Generated'),
  page: t('第 {page} 页，共 {pages} 页', 'Page {page} of {pages}'),
  owner: t('负责人', 'Owner'),
  team: t('团队', 'Team'),
  source: t('来源', 'Source'),
  industry: t('行业', 'Industry'),
  province: t('省份', 'Province'),
  size: t('规模', 'Size'),
  tag: t('标签', 'Tag'),
  pipeline: t('销售流程', 'Pipeline'),
  summary: t('摘要', 'Summary'),
  kpis: t('关键指标', 'Key figures'),
  current: t('本期', 'This period'),
  before: t('上期', 'Previous'),
  change: t('变化', 'Change'),
  riskUnavailable: t('风险调整预测需要商机评分，评分功能尚未提供。', 'Risk-adjusted forecast needs deal scoring, which is not available yet.'),
  noResponse: t('无跟进', 'None'),
  within24h: t('24 小时内', 'Within 24 h'),
  oneToThreeDays: t('1–3 天', '1–3 days'),
  overThreeDays: t('3 天以上', 'Over 3 days'),
  activitiesBucket: t('{label} 次', '{label}'),
  daysBucket: t('{label} 天', '{label} days'),
  lostAtCreation: t('（创建即输单）', '(lost at creation)'),
  monthlyPack: t('月度报表', 'Monthly report pack'),
  reportPack: t('报表汇编', 'Report pack'),
}
export type Word = keyof typeof WORDS

export function word(key: Word, locale: Locale, vars: Record<string, string | number> = {}): string {
  return WORDS[key][locale].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''))
}

export function reportTitle(name: ReportName, locale: Locale): string {
  return REPORT_TITLES[name][locale]
}

/** Shown for an empty group key (no source, no industry …). */
export function keyLabel(key: string | null | undefined, locale: Locale): string {
  return key === null || key === undefined || key === '' ? word('none', locale) : key
}

export function noteText(key: string, locale: Locale): string {
  return NOTE_LABELS[key]?.[locale] ?? key
}
