// The rejected rows of an import as an .xlsx: the file's own columns, then the
// original row number and the reason, so the user can fix the rows and import
// this file again (those two columns are ignored on re-import). Streamed: opened
// at the first rejected row, one row in memory at a time.
import type ExcelJS from 'exceljs'
import { loadExcel } from './excel'
import type { Locale } from '../shared/errors'
import { OUR_OWN_HEADERS } from './fields'
import { isCellError, type RawCell } from './types'

let excel: typeof ExcelJS | null = null

export class RejectedRowsFile {
  private writer: ExcelJS.stream.xlsx.WorkbookWriter | null = null
  private sheet: ExcelJS.Worksheet | null = null
  count = 0

  /** Load exceljs before the first add() (add itself stays synchronous). */
  static async prepare(): Promise<void> {
    excel = await loadExcel()
  }

  constructor(
    private readonly path: () => string,
    private readonly headers: string[],
    private readonly locale: Locale,
  ) {}

  private open(): ExcelJS.Worksheet {
    if (!excel) throw new Error('RejectedRowsFile.prepare() first')
    this.writer = new excel.stream.xlsx.WorkbookWriter({ filename: this.path(), useStyles: true, useSharedStrings: false })
    const ws = this.writer.addWorksheet(this.locale === 'en' ? 'Rejected rows' : '未导入的行', { views: [{ state: 'frozen', ySplit: 1 }] })
    const [rowLabel, errorLabel] = this.locale === 'en' ? [OUR_OWN_HEADERS[2], OUR_OWN_HEADERS[3]] : [OUR_OWN_HEADERS[0], OUR_OWN_HEADERS[1]]
    ws.columns = [...this.headers, rowLabel, errorLabel].map((h, i) => ({ header: h, key: `c${i}`, width: i === this.headers.length + 1 ? 50 : 16 }))
    const header = ws.getRow(1)
    header.font = { bold: true }
    header.commit()
    this.sheet = ws
    return ws
  }

  add(rowNumber: number, cells: RawCell[], reason: string): void {
    const ws = this.sheet ?? this.open()
    // Values go back as they came (text stays text: exceljs never writes a string as a formula);
    // error cells become their text so the user sees what was there.
    const values = this.headers.map((_, i) => {
      const v = cells[i] ?? null
      if (v === null) return null
      if (isCellError(v)) return v.formula && v.error === 'formula' ? null : v.error
      return v
    })
    const row = ws.addRow([...values, rowNumber, reason])
    row.getCell(this.headers.length + 2).font = { color: { argb: 'FFC00000' } }
    row.commit()
    this.count++
  }

  /** Finish the file; returns its path, or null when no row was rejected. */
  async close(): Promise<string | null> {
    if (!this.writer || !this.sheet) return null
    this.sheet.commit()
    await this.writer.commit()
    return this.path()
  }

  /** Abandon (cancel): finish writing so the file handle is released; the caller deletes the folder. */
  async abort(): Promise<void> {
    if (this.writer && this.sheet) {
      this.sheet.commit()
      await this.writer.commit().catch(() => {})
    }
  }
}
