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

/** Format integer fen as yuan with thousands separators, e.g. 123456 → "1,234.56". */
export function formatFen(fen: number | null | undefined, opts: { decimals?: boolean } = {}): string {
  if (fen === null || fen === undefined) return ''
  const negative = fen < 0
  const abs = Math.abs(Math.trunc(fen))
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const cents = (abs % 100).toString().padStart(2, '0')
  const body = opts.decimals === false ? whole : `${whole}.${cents}`
  return negative ? `-${body}` : body
}

/** Weighted amount in fen: amount × probability%, rounded half up, integer arithmetic only. */
export function weightFen(amountFen: number, probability: number): number {
  return Math.floor((amountFen * probability + 50) / 100)
}
