// Spreadsheet fixtures made without exceljs: .xlsx files zipped by hand from XML
// strings (so the reader is tested against files it did not write), GBK CSV, etc.
import { writeFileSync } from 'node:fs'
import { crc32, deflateRawSync } from 'node:zlib'

/** A minimal zip writer (deflate, UTF-8 names). */
export function zip(entries: Array<{ name: string; data: string | Buffer }>): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const raw = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data
    const packed = deflateRawSync(raw)
    const name = Buffer.from(e.name, 'utf8')
    const crc = crc32(raw)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6)
    local.writeUInt16LE(8, 8)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(packed.length, 18)
    local.writeUInt32LE(raw.length, 22)
    local.writeUInt16LE(name.length, 26)
    locals.push(local, name, packed)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(8, 10)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(packed.length, 20)
    central.writeUInt32LE(raw.length, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    centrals.push(central, name)
    offset += 30 + name.length + packed.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Cell XML helpers. Style 1 is a date format (numFmtId 14). */
export const cell = {
  str: (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${esc(text)}</t></is></c>`,
  num: (ref: string, n: number) => `<c r="${ref}"><v>${n}</v></c>`,
  date: (ref: string, serial: number) => `<c r="${ref}" s="1"><v>${serial}</v></c>`,
  formula: (ref: string, f: string, cached: number | string) =>
    typeof cached === 'number' ? `<c r="${ref}"><f>${esc(f)}</f><v>${cached}</v></c>` : `<c r="${ref}" t="str"><f>${esc(f)}</f><v>${esc(cached)}</v></c>`,
  error: (ref: string, code = '#N/A') => `<c r="${ref}" t="e"><v>${code}</v></c>`,
  formulaError: (ref: string, f: string, code = '#N/A') => `<c r="${ref}" t="e"><f>${esc(f)}</f><v>${code}</v></c>`,
  shared: (ref: string, index: number) => `<c r="${ref}" t="s"><v>${index}</v></c>`,
}

export function row(n: number, cells: string[]): string {
  return `<row r="${n}">${cells.join('')}</row>`
}

/** Column letter for a 0-based index (A..Z, AA..). */
export function col(i: number): string {
  let s = ''
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return s
}

/** A row of plain values: strings inline, numbers as numbers, null skipped. */
export function valuesRow(n: number, values: Array<string | number | null>): string {
  return row(
    n,
    values.flatMap((v, i) => (v === null ? [] : [typeof v === 'number' ? cell.num(`${col(i)}${n}`, v) : cell.str(`${col(i)}${n}`, v)])),
  )
}

export interface SheetSpec {
  name: string
  state?: 'hidden' | 'veryHidden'
  rows: string[]
  merges?: string[]
  dimension?: string
}

export function buildXlsx(sheets: SheetSpec[], sharedStrings: string[] = []): Buffer {
  const files: Array<{ name: string; data: string }> = []
  files.push({
    name: '[Content_Types].xml',
    data:
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
  })
  files.push({
    name: '_rels/.rels',
    data: '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  })
  files.push({
    name: 'xl/workbook.xml',
    data:
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
      sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`).join('') +
      '</sheets></workbook>',
  })
  files.push({
    name: 'xl/_rels/workbook.xml.rels',
    data:
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
      `<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
      `<Relationship Id="rId${sheets.length + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
      '</Relationships>',
  })
  sheets.forEach((s, i) =>
    files.push({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      data:
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
        (s.dimension ? `<dimension ref="${s.dimension}"/>` : '') +
        `<sheetData>${s.rows.join('')}</sheetData>` +
        (s.merges?.length ? `<mergeCells count="${s.merges.length}">${s.merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>` : '') +
        '</worksheet>',
    }),
  )
  files.push({
    name: 'xl/styles.xml',
    data:
      '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>' +
      '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
      '</styleSheet>',
  })
  files.push({
    name: 'xl/sharedStrings.xml',
    data:
      `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${sharedStrings.length}" uniqueCount="${sharedStrings.length}">` +
      sharedStrings.map((s) => `<si><t>${esc(s)}</t></si>`).join('') +
      '</sst>',
  })
  return zip(files)
}

export function writeXlsx(path: string, sheets: SheetSpec[], sharedStrings?: string[]): string {
  writeFileSync(path, buildXlsx(sheets, sharedStrings))
  return path
}

/** Excel serial number of a calendar date (1900 system). */
export function serial(y: number, m: number, d: number): number {
  return (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000
}
