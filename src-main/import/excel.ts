// exceljs is large (about a second to load on a slow machine): load it the first
// time a spreadsheet is read or written, not when the app or the CLI starts.
import type ExcelJSType from 'exceljs'

let loaded: Promise<typeof ExcelJSType> | null = null

export function loadExcel(): Promise<typeof ExcelJSType> {
  loaded ??= import('exceljs').then((m) => ((m as { default?: typeof ExcelJSType }).default ?? (m as unknown as typeof ExcelJSType)))
  return loaded
}
