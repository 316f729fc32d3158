// Reports as an Excel workbook: a summary sheet (company, report, period,
// filters, the charts as images), then one sheet per table with a styled,
// frozen header. Numbers stay numbers: yuan (fen / 100) as '#,##0.00', rates as
// '0.0%', counts as '#,##0', days as '0.0'.
// exceljs is loaded on first use (see svg.ts): types only here.
import type ExcelJS from 'exceljs'
import type { Locale } from '../shared/errors'
import { noteText, reportTitle, word } from '../shared/reports/labels'
import { reportTables } from '../shared/reports/tables'
import type { AnyReport, CellValue, ColumnType, ReportTable } from '../shared/reports/types'
import { dateTimeText, filterText, periodText } from './print-page'

export interface ChartImage {
  title: string
  png: Buffer
  width: number
  height: number
}

export interface WorkbookOptions {
  company: string
  reports: AnyReport[]
  /** Chart images per report, in the order of `reports`. */
  charts: ChartImage[][]
  locale: Locale
  generatedAt: Date
  packTitle?: string
}

export const NUMBER_FORMATS: Record<Exclude<ColumnType, 'text'>, string> = {
  fen: '#,##0.00',
  ratio: '0.0%',
  int: '#,##0',
  days: '0.0',
  points: '+0.0;-0.0;0.0',
}

/** Text Excel must never evaluate (=, +, -, @, tab, CR at the start) is kept as text with a leading apostrophe. */
export function safeText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
}

function cellValue(v: CellValue, type: ColumnType): string | number | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'string') return safeText(v)
  return type === 'fen' ? v / 100 : v
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF3B6FD8' } }
const TOTAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF1F4F9' } }
const THIN = { style: 'thin' as const, color: { argb: 'FFC9D3E3' } }

/** Excel sheet names: ≤ 31 characters, none of []:*?/\, unique in the workbook. */
export function sheetName(wanted: string, used: Set<string>): string {
  const clean = wanted.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31) || 'Sheet'
  let name = clean
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${clean.slice(0, 31 - String(i).length - 1)} ${i}`
  used.add(name.toLowerCase())
  return name
}

function addTableSheet(wb: ExcelJS.Workbook, name: string, t: ReportTable): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = t.columns.map((c) => ({ key: c.key, width: Math.min(40, Math.max(10, [...c.label].length * 2 + 2)) }))
  const header = ws.getRow(1)
  t.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1)
    cell.value = c.label
    cell.font = { bold: true, color: { argb: 'FFFFFFFF' } }
    cell.fill = HEADER_FILL
    cell.alignment = { vertical: 'middle', horizontal: c.type === 'text' ? 'left' : 'center', wrapText: true }
    cell.border = { bottom: THIN }
  })
  header.height = 22
  const write = (rowNo: number, r: ReportTable['rows'][number], total: boolean) => {
    const row = ws.getRow(rowNo)
    t.columns.forEach((c, i) => {
      const type = r.cellTypes?.[c.key] ?? c.type
      const cell = row.getCell(i + 1)
      cell.value = cellValue(r.cells[c.key] ?? null, type)
      if (type !== 'text' && typeof cell.value === 'number') cell.numFmt = NUMBER_FORMATS[type]
      if (total) {
        cell.font = { bold: true }
        cell.fill = TOTAL_FILL
        cell.border = { top: THIN }
      }
      const text = typeof cell.value === 'string' ? cell.value : ''
      const col = ws.getColumn(i + 1)
      col.width = Math.min(60, Math.max(col.width ?? 10, [...text].length * 2 + 2, type === 'fen' ? 16 : 0))
    })
  }
  t.rows.forEach((r, i) => write(i + 2, r, false))
  if (t.total) write(t.rows.length + 2, t.total, true)
  if (t.rows.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: t.columns.length } }
}

export async function buildWorkbook(o: WorkbookOptions): Promise<Buffer> {
  const L = o.locale
  const Excel = await import('exceljs').then((m) => (m as { default?: typeof ExcelJS }).default ?? (m as unknown as typeof ExcelJS))
  const wb = new Excel.Workbook()
  wb.creator = '商机 CRM'
  wb.created = o.generatedAt
  const used = new Set<string>()
  const single = o.reports.length === 1 && !o.packTitle
  const title = single ? reportTitle(o.reports[0].report, L) : (o.packTitle ?? word('monthlyPack', L))

  const summary = wb.addWorksheet(sheetName(word('summary', L), used))
  summary.getColumn(1).width = 14
  summary.getColumn(2).width = 80
  let r = 1
  const line = (label: string, value: string, bold = false) => {
    summary.getCell(r, 1).value = label
    summary.getCell(r, 1).font = { color: { argb: 'FF7A8396' } }
    summary.getCell(r, 2).value = safeText(value)
    if (bold) summary.getCell(r, 2).font = { bold: true }
    r++
  }
  summary.getCell(r, 1).value = safeText(o.company)
  summary.getCell(r, 1).font = { size: 11, color: { argb: 'FF5B6475' } }
  r++
  summary.getCell(r, 1).value = safeText(title)
  summary.getCell(r, 1).font = { size: 16, bold: true }
  summary.getRow(r).height = 24
  r += 2
  const meta = o.reports[0].meta
  line(word('period', L), periodText(meta, L))
  if (meta.previous) line(word('previous', L), `${meta.previous.from} ~ ${meta.previous.to}`)
  line(word('filters', L), filterText(meta, L))
  line(word('generated', L), dateTimeText(o.generatedAt))
  for (const n of new Set(o.reports.flatMap((x) => x.meta.notes))) line('', noteText(n, L))
  r++

  o.reports.forEach((report, ri) => {
    if (!single) {
      summary.getCell(r, 1).value = reportTitle(report.report, L)
      summary.getCell(r, 1).font = { size: 13, bold: true }
      r += 1
    }
    for (const chart of o.charts[ri] ?? []) {
      summary.getCell(r, 1).value = safeText(chart.title)
      summary.getCell(r, 1).font = { bold: true }
      r++
      const id = wb.addImage({ buffer: chart.png as unknown as ExcelJS.Buffer, extension: 'png' })
      summary.addImage(id, { tl: { col: 0, row: r - 1 }, ext: { width: chart.width, height: chart.height } })
      r += Math.ceil(chart.height / 20) + 1 // default rows are 15 pt = 20 px
    }
    const prefix = single ? '' : `${reportTitle(report.report, L)}-`
    for (const t of reportTables(report, L)) addTableSheet(wb, sheetName(`${prefix}${t.title}`, used), t)
  })
  return Buffer.from(await wb.xlsx.writeBuffer())
}
