// Which row holds the column names? Spreadsheets from trade shows and other
// departments often start with a merged title row ("2026 上海展会客户名单"),
// a date line or blank rows. The header is the first wide row of text that
// looks most like column names we know.
import { cellText, isKnownHeader } from './fields'
import { isCellError, type RawCell, type SourceRow } from './types'

/** Rows looked at when searching for the header. */
export const HEADER_SCAN_ROWS = 30

const nonEmpty = (c: RawCell) => c !== null && !(typeof c === 'string' && c.trim() === '')
const isText = (c: RawCell) => typeof c === 'string' && c.trim() !== '' && !/^[-+]?[\d,.]+$/.test(c.trim())

/** Index (into `rows`) of the header row, or -1 when nothing looks like one. */
export function detectHeaderRow(rows: SourceRow[]): number {
  const scan = rows.slice(0, HEADER_SCAN_ROWS)
  const widest = Math.max(0, ...scan.map((r) => r.cells.filter(nonEmpty).length))
  let best = -1
  let bestScore = -1
  scan.forEach((row, i) => {
    const filled = row.cells.filter(nonEmpty)
    if (filled.length < Math.min(2, widest)) return // a title line has one cell
    const texts = row.cells.filter(isText).length
    if (texts < Math.max(1, filled.length * 0.6) || filled.some((c) => c instanceof Date || isCellError(c))) return
    const known = row.cells.filter((c) => typeof c === 'string' && isKnownHeader(c)).length
    // Known names dominate; among rows without any, the first wide text row wins.
    const score = known * 100 + (filled.length >= widest * 0.6 ? 50 : 0) - i
    if (score > bestScore) {
      best = i
      bestScore = score
    }
  })
  return best
}

/** Column letters as Excel shows them: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1
  let s = ''
  while (n > 0) {
    const r = (n - 1) % 26
    s = String.fromCharCode(65 + r) + s
    n = Math.floor((n - 1) / 26)
  }
  return s
}

/** Header names for the columns: trimmed text; blank headers become "列 C"; repeated names get " (2)". */
export function headerNames(row: SourceRow, width: number, locale: 'zh-CN' | 'en'): string[] {
  const seen = new Map<string, number>()
  return Array.from({ length: width }, (_, i) => {
    let name = cellText(row.cells[i] ?? null).replace(/\s+/g, ' ').trim()
    if (!name) name = locale === 'en' ? `Column ${columnLetter(i)}` : `列 ${columnLetter(i)}`
    const count = (seen.get(name) ?? 0) + 1
    seen.set(name, count)
    return count > 1 ? `${name} (${count})` : name
  })
}
