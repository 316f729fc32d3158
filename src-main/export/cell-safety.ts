// Spreadsheet formula injection: a text cell that starts with =, +, -, @, a tab
// or a carriage return can be run as a formula when the file is opened (CSV) or
// when the cell is edited or copied into a CSV later (.xlsx). Such text is
// written with a leading apostrophe, which Excel shows as text and never evaluates
// (OWASP "CSV injection"; Twenty does the same before formatting exports).
// Numbers and dates are written as typed cells and never pass through here.
// Used by list exports and reports (src-main/reports); keep it dependency-free.

const RISKY_START = /^[=+\-@\t\r]/

/** True when Excel could treat this text as a formula. Leading spaces count: Excel ignores them. */
export function isFormulaLike(text: string): boolean {
  return RISKY_START.test(text) || RISKY_START.test(text.trimStart())
}

/** Text as it should go into a spreadsheet cell (.xlsx or CSV): formula-like text gets a leading apostrophe. */
export function safeCellText(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text
}
