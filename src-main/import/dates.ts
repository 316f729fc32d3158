// Dates as they arrive in spreadsheets: real date cells, Excel serial numbers,
// "2026/3/5", "2026-03-05", "2026年3月5日", "20260305", "3/5/2026" (needs the
// order: month/day or day/month), "5-Mar-2026". Never guess an ambiguous order
// silently: the order is detected from values that decide it (a part > 12) or given.
import type { DateOrder, RawCell } from './types'
import { isCellError } from './types'

export interface ParsedDate {
  y: number
  m: number
  d: number
  /** Seconds since midnight, when the value had a time. */
  seconds: number | null
  /** Set when the text named its own time zone (ISO "…Z"): an exact instant. */
  instant?: string
}

export type DateResult = ParsedDate | { ambiguous: true } | null

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()
function valid(y: number, m: number, d: number): boolean {
  return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}
const fullYear = (y: number) => (y < 100 ? (y < 50 ? 2000 + y : 1900 + y) : y)

function timeOf(h?: string, min?: string, s?: string): number | null {
  if (h === undefined) return null
  const hh = Number(h)
  const mm = Number(min ?? 0)
  const ss = Number(s ?? 0)
  if (hh > 23 || mm > 59 || ss > 59) return null
  return hh * 3600 + mm * 60 + ss
}

/** Excel serial day number (1900 date system) → calendar date. */
export function fromSerial(serial: number): ParsedDate | null {
  if (!(serial >= 1 && serial < 2958466)) return null
  const days = Math.floor(serial)
  // Excel counts 1900-02-29 (serial 60), which never existed; after it, day 0 is 1899-12-30.
  const epoch = days >= 61 ? Date.UTC(1899, 11, 30) : Date.UTC(1899, 11, 31)
  const at = new Date(epoch + days * 86_400_000)
  const seconds = Math.round((serial - days) * 86_400)
  return { y: at.getUTCFullYear(), m: at.getUTCMonth() + 1, d: at.getUTCDate(), seconds: seconds > 0 ? Math.min(seconds, 86_399) : null }
}

const TIME = String.raw`(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?`
const YMD = new RegExp(String.raw`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?${TIME}$`)
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/
const NUMERIC = new RegExp(String.raw`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})${TIME}$`)
const DAY_MON_YEAR = /^(\d{1,2})[-\s]([a-z]{3,9})\.?[-\s,]+(\d{4}|\d{2})$/
const MON_DAY_YEAR = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/
const ISO_ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

/** Parse one value; `order` decides d/m vs m/d when a value needs it. */
export function parseDate(value: RawCell, order: DateOrder | null): DateResult {
  if (value === null || isCellError(value) || typeof value === 'boolean') return null
  if (value instanceof Date) {
    // exceljs gives a date cell's wall-clock time as UTC fields.
    const seconds = value.getUTCHours() * 3600 + value.getUTCMinutes() * 60 + value.getUTCSeconds()
    return { y: value.getUTCFullYear(), m: value.getUTCMonth() + 1, d: value.getUTCDate(), seconds: seconds || null }
  }
  if (typeof value === 'number') {
    const compact = COMPACT.exec(String(value))
    if (compact) return build(Number(compact[1]), Number(compact[2]), Number(compact[3]), null)
    return fromSerial(value)
  }
  const text = value.normalize('NFKC').trim().toLowerCase()
  if (!text) return null
  if (ISO_ZONED.test(text)) {
    const t = Date.parse(text)
    if (Number.isNaN(t)) return null
    const at = new Date(t)
    return { y: at.getUTCFullYear(), m: at.getUTCMonth() + 1, d: at.getUTCDate(), seconds: null, instant: at.toISOString() }
  }
  let m = YMD.exec(text)
  if (m) return build(Number(m[1]), Number(m[2]), Number(m[3]), timeOf(m[4], m[5], m[6]))
  m = COMPACT.exec(text)
  if (m) return build(Number(m[1]), Number(m[2]), Number(m[3]), null)
  m = NUMERIC.exec(text)
  if (m) {
    const a = Number(m[1])
    const b = Number(m[2])
    const y = fullYear(Number(m[3]))
    const time = timeOf(m[4], m[5], m[6])
    const use = order === 'mdy' || order === 'dmy' ? order : a > 12 ? 'dmy' : b > 12 ? 'mdy' : a === b ? 'mdy' : null
    if (!use) return { ambiguous: true }
    return use === 'mdy' ? build(y, a, b, time) : build(y, b, a, time)
  }
  m = DAY_MON_YEAR.exec(text)
  if (m && MONTHS[m[2]]) return build(fullYear(Number(m[3])), MONTHS[m[2]], Number(m[1]), null)
  m = MON_DAY_YEAR.exec(text)
  if (m && MONTHS[m[1]]) return build(Number(m[3]), MONTHS[m[1]], Number(m[2]), null)
  // A serial number typed into a CSV ("45356").
  if (/^\d{5}(\.\d+)?$/.test(text)) return fromSerial(Number(text))
  return null
}

function build(y: number, m: number, d: number, seconds: number | null): ParsedDate | null {
  return valid(y, m, d) ? { y, m, d, seconds } : null
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')
export const isoDateOf = (p: ParsedDate) => `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}`

/**
 * The instant of a date (and time) written in the business time zone. Shanghai
 * has been UTC+8 without summer time since 1992; a date alone means its midnight.
 */
export function instantOf(p: ParsedDate): string {
  if (p.instant) return p.instant
  return new Date(Date.UTC(p.y, p.m - 1, p.d) + ((p.seconds ?? 0) - 8 * 3600) * 1000).toISOString()
}

export interface DateOrderGuess {
  /** mdy/dmy when the values decide it, ymd when no value needs an order, null when they cannot tell. */
  order: DateOrder | null
  /** Values seen that need an order (n/n/yyyy). */
  needsOrder: boolean
  /** Both orders are contradicted by some value: mixed formats. */
  conflicting: boolean
  example: string | null
}

/** Look at text dates of the form n/n/yyyy: does any value say which part is the month? */
export function guessDateOrder(values: Iterable<RawCell>): DateOrderGuess {
  let mdy = false
  let dmy = false
  let needs = false
  let example: string | null = null
  for (const v of values) {
    if (typeof v !== 'string') continue
    const m = NUMERIC.exec(v.normalize('NFKC').trim())
    if (!m) continue
    needs = true
    const a = Number(m[1])
    const b = Number(m[2])
    if (a > 12 && b <= 12) dmy = true
    else if (b > 12 && a <= 12) mdy = true
    else if (a !== b && example === null) example = v.trim()
  }
  if (!needs) return { order: 'ymd', needsOrder: false, conflicting: false, example: null }
  if (mdy && dmy) return { order: null, needsOrder: true, conflicting: true, example }
  return { order: mdy ? 'mdy' : dmy ? 'dmy' : null, needsOrder: true, conflicting: false, example }
}
