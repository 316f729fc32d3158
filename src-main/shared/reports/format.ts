// How report cells read as text (print page, screen tables). The workbook
// keeps real numbers with number formats instead (reports/xlsx.ts).
import { formatFen } from '../money'
import type { CellValue, ColumnType, Ratio } from './types'

export const DASH = '—'

export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH
  return `${(Math.round(value * 100 * 10 ** digits) / 10 ** digits).toFixed(digits)}%`
}

export const formatRatio = (r: Ratio | null | undefined) => formatPercent(r?.value ?? null)

export function formatCell(value: CellValue, type: ColumnType): string {
  if (value === null || value === undefined || value === '') return DASH
  if (typeof value === 'string') return value
  switch (type) {
    case 'fen':
      return formatFen(value)
    case 'ratio':
      return formatPercent(value)
    case 'days':
      return value.toFixed(1)
    case 'points':
      return `${value > 0 ? '+' : ''}${value.toFixed(1)} pp`
    case 'int':
      return Math.round(value).toLocaleString('en-US')
    default:
      return String(value)
  }
}

/** Fen → 万元 with one decimal, for chart axes (tables keep exact yuan). */
export const fenToWan = (fen: number) => Math.round(fen / 100_000) / 10
