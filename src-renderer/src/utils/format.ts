// Display formats: money is integer fen shown as "¥1,234.00"; instants are
// shown in the business time zone (Asia/Shanghai) as "2026-11-29 14:30".
import { formatFen, yuanToFen } from '../../../src-main/shared/money'
import { BUSINESS_TZ, businessDate } from '../../../src-main/shared/dates'
import { currentLocale } from '@/i18n'

export { yuanToFen }

const EMPTY = '—'

export function formatMoney(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return EMPTY
  return `¥${formatFen(fen)}`
}

// One Intl.NumberFormat per locale and digit count: `toLocaleString(locale, options)`
// builds a new formatter on every call, which a board of cards and column sums pays for.
const numberFormats = new Map<string, Intl.NumberFormat>()
function numberFormat(maximumFractionDigits?: number): Intl.NumberFormat {
  const locale = currentLocale()
  const key = `${locale}|${maximumFractionDigits ?? ''}`
  let f = numberFormats.get(key)
  if (!f) {
    f = new Intl.NumberFormat(locale, maximumFractionDigits === undefined ? undefined : { maximumFractionDigits })
    numberFormats.set(key, f)
  }
  return f
}

/** Compact money for cards and charts: "¥12.35万" / "¥1.2M". */
export function formatMoneyShort(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return EMPTY
  const yuan = fen / 100
  const abs = Math.abs(yuan)
  const fmt = (n: number, digits: number) => numberFormat(digits).format(n)
  if (currentLocale() === 'zh-CN') {
    if (abs >= 1e8) return `¥${fmt(yuan / 1e8, 2)}亿`
    if (abs >= 1e7) return `¥${fmt(yuan / 1e4, 0)}万`
    if (abs >= 1e4) return `¥${fmt(yuan / 1e4, abs >= 1e6 ? 1 : 2)}万`
    return `¥${fmt(yuan, 0)}`
  }
  if (abs >= 1e6) return `¥${fmt(yuan / 1e6, 2)}M`
  if (abs >= 1e3) return `¥${fmt(yuan / 1e3, 1)}K`
  return `¥${fmt(yuan, 0)}`
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
  return numberFormat().format(n)
}

export function formatPercent(p: number | null | undefined): string {
  return p === null || p === undefined ? EMPTY : `${p}%`
}

const partsFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: BUSINESS_TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

function parts(value: string): Record<string, string> | null {
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return null
  return Object.fromEntries(partsFormatter.formatToParts(d).map((p) => [p.type, p.value]))
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/** "2026-11-29"; calendar dates pass through, instants are converted to the business day. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return EMPTY
  if (DATE_ONLY.test(value)) return value
  const p = parts(value)
  return p ? `${p.year}-${p.month}-${p.day}` : value
}

/** "2026-11-29 14:30" in the business time zone. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return EMPTY
  if (DATE_ONLY.test(value)) return value
  const p = parts(value)
  return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` : value
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
