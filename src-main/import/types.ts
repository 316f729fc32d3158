// Types shared by the import pieces (reading, mapping, normalising, writing).
import type { CustomFieldType } from '../db/tables/import.table'

/** An error cell (#N/A, #DIV/0! …) or a formula without a cached value. */
export interface CellError {
  error: string
  formula?: boolean
}
/** One cell as read: CSV gives strings, .xlsx gives typed values. */
export type RawCell = string | number | boolean | Date | CellError | null

export interface SheetInfo {
  name: string
  hidden: boolean
}

export type ImportTarget = 'leads' | 'accounts' | 'opportunities'
/** How to read 3/5/2026: year-month-day is always unambiguous; the other two must be known. */
export type DateOrder = 'ymd' | 'mdy' | 'dmy'
export type DuplicatePolicy = 'skip' | 'update' | 'create'
export type DedupeKey = 'mobile' | 'email' | 'company' | 'externalId'

/** Where one column of the file goes. */
export type ColumnTarget =
  | { kind: 'field'; field: string }
  | { kind: 'custom'; fieldId: number }
  | { kind: 'newCustom'; label: string; type: CustomFieldType; options?: string[] }
  | { kind: 'ignore' }

export interface ColumnMapping {
  /** 0-based column index in the sheet. */
  index: number
  header: string
  target: ColumnTarget
}

export interface SourceRow {
  /** Row number as the user sees it (Excel row, or CSV record number). */
  n: number
  cells: RawCell[]
}

export const isCellError = (v: RawCell): v is CellError => typeof v === 'object' && v !== null && !(v instanceof Date)
