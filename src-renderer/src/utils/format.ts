// Display formats: money is integer fen shown as "¥1,234.00"; instants are
// shown in the business time zone (Asia/Shanghai) as "2026-11-29 14:30".
import { formatFen, formatFenShort, formatUnits, yuanToFen } from '../../../src-main/shared/money'
import { businessDate, businessDateTime } from '../../../src-main/shared/dates'
import { currentLocale } from '@/i18n'

export { yuanToFen }

const EMPTY = '—'

export function formatMoney(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return EMPTY
  return `¥${formatFen(fen)}`
}

// One Intl.NumberFormat per locale, for the few non-integers formatNumber shows:
// built on first use. Everything the app shell and the board show at start-up
// is formatted without Intl (see src-main/shared/dates.ts on what the first Intl object costs).
const numberFormats = new Map<string, Intl.NumberFormat>()
function numberFormat(): Intl.NumberFormat {
  const locale = currentLocale()
  let f = numberFormats.get(locale)
  if (!f) {
    f = new Intl.NumberFormat(locale)
    numberFormats.set(locale, f)
  }
  return f
}

/** Compact money for cards and charts: "¥12.35万" / "¥1.2M". */
export function formatMoneyShort(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return EMPTY
  return formatFenShort(fen, currentLocale())
}

/** Fen as a plain yuan string for an input box: 123450 → "1234.5", 100000 → "1000". */
export function fenToYuanInput(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return ''
  return formatFen(fen).replace(/,/g, '').replace(/\.00$/, '').replace(/(\.\d)0$/, '$1')
}

/** el-table-column formatter: empty cells show a dash. */
export function cellText(_row: unknown, _column: unknown, value: unknown): string {
  return value === null || value === undefined || value === '' ? EMPTY : String(value)
}

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined) return EMPTY
  // Counts (the common case) need no Intl: digits grouped by three, as zh-CN and en both show them.
  return Number.isSafeInteger(n) ? formatUnits(n, 0) : numberFormat().format(n)
}

export function formatPercent(p: number | null | undefined): string {
  return p === null || p === undefined ? EMPTY : `${p}%`
}

function parts(value: string): { date: string; time: string } | null {
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? null : businessDateTime(d)
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/** "2026-11-29"; calendar dates pass through, instants are converted to the business day. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return EMPTY
  if (DATE_ONLY.test(value)) return value
  return parts(value)?.date ?? value
}

/** "2026-11-29 14:30" in the business time zone. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return EMPTY
  if (DATE_ONLY.test(value)) return value
  const p = parts(value)
  return p ? `${p.date} ${p.time}` : value
}

/** Today's calendar date in the business time zone, "YYYY-MM-DD". */
export function today(): string {
  return businessDate(new Date())
}

/** Whether an instant or a calendar date lies before now / today. */
export function isPast(value: string | null | undefined): boolean {
  if (!value) return false
  if (DATE_ONLY.test(value)) return value < today()
  return new Date(value).getTime() < Date.now()
}
