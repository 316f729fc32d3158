// Money is stored and summed as integer fen (分). Conversions go through
// strings so that no binary floating point value is ever summed.

/** Parse a yuan amount typed by a person ("1,234.5", "¥ 12 000", "１２３") into integer fen. */
export function yuanToFen(input: string | number): number | null {
  const text = String(input).normalize('NFKC').replace(/[¥￥,\s元]/g, '')
  const m = /^(-)?(\d+)(?:\.(\d{0,2})\d*)?$/.exec(text)
  if (!m) return null
  const [, sign, whole, frac = ''] = m
  const fen = Number(whole) * 100 + Number(frac.padEnd(2, '0'))
  if (!Number.isSafeInteger(fen)) return null
  return sign ? -fen : fen
}

/** "1234567" → "1,234,567". */
function groupDigits(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Format integer fen as yuan with thousands separators, e.g. 123456 → "1,234.56". */
export function formatFen(fen: number | null | undefined, opts: { decimals?: boolean } = {}): string {
  if (fen === null || fen === undefined) return ''
  const negative = fen < 0
  const abs = Math.abs(Math.trunc(fen))
  const whole = groupDigits(Math.floor(abs / 100).toString())
  const cents = (abs % 100).toString().padStart(2, '0')
  const body = opts.decimals === false ? whole : `${whole}.${cents}`
  return negative ? `-${body}` : body
}

/** `units` counts steps of 10^-decimals: (12345, 2) → "123.45", (12300, 2) → "123", (-1234567, 0) → "-1,234,567". */
export function formatUnits(units: number, decimals: number): string {
  const digits = String(Math.abs(units)).padStart(decimals + 1, '0')
  const whole = groupDigits(digits.slice(0, digits.length - decimals))
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '')
  return `${units < 0 ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`
}

/** fen ÷ divisor (a power of ten) rounded half away from zero (四舍五入), in integers: no binary-fraction surprises. */
function roundFen(fen: number, divisor: number): number {
  const abs = Math.abs(Math.round(fen))
  const rest = abs % divisor
  const q = (abs - rest) / divisor + (rest * 2 >= divisor ? 1 : 0)
  return fen < 0 ? -q : q
}

/**
 * Compact money for cards, column heads and charts: "¥12.35万" / "¥1,280万" /
 * "¥3.5亿" in Chinese, "¥12.3K" / "¥1.2M" in English. Exact arithmetic on fen
 * (no Intl: see shared/dates.ts on what the first Intl object costs a page).
 */
export function formatFenShort(fen: number, locale: string): string {
  const abs = Math.abs(fen)
  if (locale === 'zh-CN') {
    if (abs >= 1e10) return `¥${formatUnits(roundFen(fen, 1e8), 2)}亿` // hundredths of 亿
    if (abs >= 1e9) return `¥${formatUnits(roundFen(fen, 1e6), 0)}万`
    if (abs >= 1e8) return `¥${formatUnits(roundFen(fen, 1e5), 1)}万` // tenths of 万
    if (abs >= 1e6) return `¥${formatUnits(roundFen(fen, 1e4), 2)}万` // hundredths of 万
    return `¥${formatUnits(roundFen(fen, 100), 0)}`
  }
  if (abs >= 1e8) return `¥${formatUnits(roundFen(fen, 1e6), 2)}M`
  if (abs >= 1e5) return `¥${formatUnits(roundFen(fen, 1e4), 1)}K`
  return `¥${formatUnits(roundFen(fen, 100), 0)}`
}

/** Weighted amount in fen: amount × probability%, rounded half up, integer arithmetic only. */
export function weightFen(amountFen: number, probability: number): number {
  return Math.floor((amountFen * probability + 50) / 100)
}
