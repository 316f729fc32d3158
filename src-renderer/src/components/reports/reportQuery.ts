// The report page's state in the route query (shareable, survives reload):
// period preset or custom range, comparison on/off, and the filters. Pure
// helpers plus the API input they turn into.
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { businessDate } from '../../../../src-main/shared/dates'
import { addMonths, monthRange, presetRange } from '../../../../src-main/shared/reports/period'
import { REPORT_NAMES, type PeriodRange, type ReportName } from '../../../../src-main/shared/reports/types'

export type PeriodChoice = 'month' | 'quarter' | 'year' | 'lastMonth' | 'custom'
export const PERIOD_CHOICES: PeriodChoice[] = ['month', 'quarter', 'year', 'lastMonth', 'custom']
export const FILTER_KEYS = ['ownerId', 'team', 'source', 'industry', 'province', 'size'] as const
export type FilterKey = (typeof FILTER_KEYS)[number]

export interface ReportState {
  period: PeriodChoice
  from?: string
  to?: string
  compare: boolean
  ownerId?: number
  team?: string
  source?: string
  industry?: string
  province?: string
  size?: string
}

/** Each report's default period (the same as the server's). */
export const defaultPeriod = (name: ReportName): PeriodChoice => (name === 'forecast' ? 'quarter' : 'month')

export function isReportName(v: unknown): v is ReportName {
  return typeof v === 'string' && (REPORT_NAMES as readonly string[]).includes(v)
}

const one = (v: unknown): string | undefined => {
  const x = Array.isArray(v) ? v[0] : v
  return typeof x === 'string' && x !== '' ? x : undefined
}
const isDate = (v: string | undefined): v is string => Boolean(v && /^\d{4}-\d{2}-\d{2}$/.test(v))

export function readState(query: LocationQuery, name: ReportName): ReportState {
  const p = one(query.period)
  const from = one(query.from)
  const to = one(query.to)
  const custom = isDate(from) && isDate(to) && from <= to
  const period: PeriodChoice = p === 'custom' ? (custom ? 'custom' : defaultPeriod(name)) : PERIOD_CHOICES.includes(p as PeriodChoice) ? (p as PeriodChoice) : custom ? 'custom' : defaultPeriod(name)
  const s: ReportState = { period, compare: one(query.compare) !== '0' }
  if (period === 'custom') Object.assign(s, { from, to })
  const owner = Number(one(query.ownerId))
  if (Number.isInteger(owner) && owner > 0) s.ownerId = owner
  for (const k of ['team', 'source', 'industry', 'province', 'size'] as const) {
    const v = one(query[k])
    if (v) s[k] = v.slice(0, 50)
  }
  return s
}

/** The query that encodes a state; the report's default period and comparison on are left out. */
export function writeState(s: ReportState, name: ReportName): LocationQueryRaw {
  const q: LocationQueryRaw = {}
  if (s.period !== defaultPeriod(name)) q.period = s.period
  if (s.period === 'custom') Object.assign(q, { from: s.from, to: s.to })
  if (!s.compare) q.compare = '0'
  for (const k of FILTER_KEYS) if (s[k] !== undefined && s[k] !== '') q[k] = String(s[k])
  return q
}

export function periodRange(s: ReportState, today = businessDate(new Date())): PeriodRange {
  switch (s.period) {
    case 'custom':
      return { from: s.from!, to: s.to! }
    case 'lastMonth':
      return monthRange(addMonths(today.slice(0, 7), -1))
    default:
      return presetRange(s.period, today)
  }
}

/** What reports:* and the export jobs take. */
export function reportInputOf(s: ReportState) {
  const input: {
    from: string
    to: string
    compare: boolean
    ownerId?: number
    team?: string
    source?: string
    industry?: string
    province?: string
    size?: string
  } = { ...periodRange(s), compare: s.compare }
  for (const k of FILTER_KEYS) if (s[k] !== undefined && s[k] !== '') (input as Record<string, unknown>)[k] = s[k]
  return input
}

export const hasFilters = (s: ReportState) => FILTER_KEYS.some((k) => s[k] !== undefined && s[k] !== '')
