// Calendar arithmetic for report periods, on YYYY-MM-DD strings (business dates
// in Asia/Shanghai). Pure: used by the report services and by the renderer's
// period picker. Asia/Shanghai has had no daylight saving since 1991, so a
// business day starts at a fixed +08:00 offset.
import type { PeriodRange } from './types'

export type PeriodPreset = 'month' | 'quarter' | 'year'

const pad = (n: number) => String(n).padStart(2, '0')
const toDate = (d: string) => new Date(`${d}T00:00:00Z`)
const fmt = (d: Date) => d.toISOString().slice(0, 10)

export function addDaysToDate(date: string, days: number): string {
  return fmt(new Date(toDate(date).getTime() + days * 86_400_000))
}

export function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number)
  const k = y * 12 + (m - 1) + n
  return `${Math.floor(k / 12)}-${pad((k % 12) + 1)}`
}

export function monthRange(month: string): PeriodRange {
  const [y, m] = month.split('-').map(Number)
  return { from: `${month}-01`, to: `${month}-${pad(lastDayOfMonth(y, m))}` }
}

/** The month, quarter or year that contains `today`. */
export function presetRange(preset: PeriodPreset, today: string): PeriodRange {
  const [y, m] = today.split('-').map(Number)
  if (preset === 'month') return monthRange(today.slice(0, 7))
  if (preset === 'year') return { from: `${y}-01-01`, to: `${y}-12-31` }
  const first = Math.floor((m - 1) / 3) * 3 + 1
  return { from: `${y}-${pad(first)}-01`, to: monthRange(`${y}-${pad(first + 2)}`).to }
}

/** Whole months from the first day of one to the last day of another: their count, else null. */
export function wholeMonths(p: PeriodRange): number | null {
  if (!p.from.endsWith('-01')) return null
  const end = p.to.slice(0, 7)
  if (monthRange(end).to !== p.to) return null
  const [fy, fm] = p.from.split('-').map(Number)
  const [ty, tm] = end.split('-').map(Number)
  return (ty - fy) * 12 + (tm - fm) + 1
}

export function daysIn(p: PeriodRange): number {
  return Math.round((toDate(p.to).getTime() - toDate(p.from).getTime()) / 86_400_000) + 1
}

/**
 * The period just before, of the same length: whole months shift by months
 * (March → February, Q2 → Q1), anything else by its number of days.
 */
export function previousPeriod(p: PeriodRange): PeriodRange {
  const months = wholeMonths(p)
  if (months !== null) {
    const startMonth = addMonths(p.from.slice(0, 7), -months)
    return { from: `${startMonth}-01`, to: monthRange(addMonths(startMonth, months - 1)).to }
  }
  const to = addDaysToDate(p.from, -1)
  return { from: addDaysToDate(to, -(daysIn(p) - 1)), to }
}

/** Calendar months (YYYY-MM) the period touches. */
export function monthsTouched(p: PeriodRange): string[] {
  const out: string[] = []
  for (let m = p.from.slice(0, 7); m <= p.to.slice(0, 7); m = addMonths(m, 1)) out.push(m)
  return out
}

/** UTC instant at which a business date starts (00:00 in Asia/Shanghai). */
export function dayStartInstant(date: string): string {
  return new Date(`${date}T00:00:00+08:00`).toISOString()
}

/** Half-open instant range [start, end) covering the period's business days. */
export function instantRange(p: PeriodRange): { start: string; end: string } {
  return { start: dayStartInstant(p.from), end: dayStartInstant(addDaysToDate(p.to, 1)) }
}

export function ratio(num: number, den: number): { num: number; den: number; value: number | null } {
  return { num, den, value: den === 0 ? null : num / den }
}
