// .xlsx, streamed: rows arrive one at a time, the workbook is never held in
// memory. Formula cells give their cached result, error cells (#N/A …) come
// through as CellError so the importer can warn.
//
// We open the zip ourselves (central directory, zip.ts) and decode each part we
// need as one UTF-8 stream (entryText). What parses what:
// - workbook.xml, its relationships and styles.xml (small): exceljs 4.4's
//   WorkbookReader parsers; from exceljs's style models we note which style
//   indexes are date formats (styleKinds), so dates come out as exceljs made them;
// - sharedStrings.xml and the worksheet (nearly all the bytes): our own lean
//   parsers, shared-strings-xml.ts and sheet-xml.ts (indexOf/charCode scanning,
//   no SAX events, no per-cell objects). On bench:xlsx-read's 100,000-row list
//   the reader took 2.0 s with exceljs's SAX parser and Row/Cell objects, 0.6 s
//   with ours (first row after 0.4 s, now 0.1 s). exceljs's parsers also
//   lost the cached values of shared formulas, kept only the last run of a rich
//   inline string, read phonetic guides instead of the text, decoded inline
//   text twice and refused cells without an r attribute (see
//   tests/xlsx-lean-reader.test.ts, which reads workbooks both ways).
//   CRM_XLSX_PARSER=exceljs brings exceljs's parsers back for these two parts.
// Two exceljs 4.4 defects make its all-in-one WorkbookReader unfit for this job
// (both reproduced on our files):
// - it decodes every chunk of XML on its own, so a Chinese character split
//   between two chunks becomes "\uFFFD\uFFFD" (about 1 cell in 10,000 on a
//   100,000-row Chinese list);
// - when worksheets come before sharedStrings.xml/styles.xml in the zip (as
//   Excel writes them), small workbooks with several sheets sometimes lose the
//   shared strings and styles (a race in its entry loop): text cells come out
//   as {sharedString: n} and dates as numbers.
// Reading the parts we need, in the order we need, also skips the sheets we do
// not read and the temporary files exceljs would write for them. The private
// parser methods used are those of exceljs 4.4 (pinned); zip64 files fall back
// to the plain WorkbookReader.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { createInflateRaw } from 'node:zlib'
import type ExcelJS from 'exceljs'
import { AppError } from '../shared/errors'
import { loadExcel } from './excel'
import type { CellError, RawCell, SheetInfo } from './types'
import { readAt, zipEntries, type ZipEntry } from './zip'
import { CompactStrings, readSharedStrings } from './shared-strings-xml'
import { SheetXmlParser, type SheetRow } from './sheet-xml'

interface SheetModel {
  id: number
  name: string
  state?: string
  rId?: string
}
interface Rel {
  Id: string
  Type: string
  Target: string
}
interface RowLike {
  number: number
  values: unknown[]
  getCell(col: number): { result?: unknown }
}
interface WorksheetLike {
  name: string
  state?: string
  [Symbol.asyncIterator](): AsyncIterator<RowLike>
}
/** exceljs's StyleManager (lib/xlsx/xform/style/styles-xform.js): the cellXfs and their merged models. */
interface StylesLike {
  model?: { styles?: unknown[] }
  getStyleModel(id: number): { numFmt?: string } | null
}
/** The exceljs WorkbookReader internals we drive (exceljs 4.4 lib/stream/xlsx/workbook-reader.js). */
interface ReaderInternals {
  model?: { sheets?: SheetModel[] }
  properties?: { model?: { date1904?: boolean } }
  styles?: StylesLike
  sharedStrings?: unknown
  workbookRels?: Rel[]
  _parseRels(entry: Readable): Promise<void>
  _parseWorkbook(entry: Readable): Promise<void>
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>
  _parseStyles(entry: Readable): Promise<void>
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: number | string): Generator<{ eventType: string; value: WorksheetLike }>
  [Symbol.asyncIterator](): AsyncIterator<WorksheetLike>
}

const READER_OPTIONS = {
  // 'emit': we keep the shared strings ourselves, compactly (CompactStrings below).
  sharedStrings: 'emit',
  // styles 'cache': a number formatted as a date arrives as a Date; that is how we know it is one.
  styles: 'cache',
  hyperlinks: 'ignore',
  worksheets: 'emit',
  entries: 'ignore',
} as const

const textOf = (t: unknown): string =>
  typeof t === 'string' ? t : t && typeof t === 'object' && Array.isArray((t as { richText?: unknown }).richText) ? (t as { richText: Array<{ text?: string }> }).richText.map((r) => r.text ?? '').join('') : ''

/** Turn an exceljs cell value into a plain value. */
export function toRawCell(v: unknown): RawCell {
  if (v === null || v === undefined) return null
  switch (typeof v) {
    case 'string':
      return v
    case 'number':
      return Number.isFinite(v) ? v : { error: '#NUM!' }
    case 'boolean':
      return v
    case 'object':
      break
    default:
      return String(v)
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v
  const o = v as Record<string, unknown>
  if ('error' in o) return { error: String(o.error) } satisfies CellError
  if ('formula' in o || 'sharedFormula' in o) {
    // A formula's cached value is what the user saw; no cached value = nothing to import.
    const r = o.result
    if (r === undefined || r === null) return { error: 'formula', formula: true }
    if (typeof r === 'number' && Number.isNaN(r)) return { error: '#N/A', formula: true } // t="e" results parse as NaN
    if (typeof r === 'object' && r !== null && 'error' in r) return { error: String((r as { error: unknown }).error), formula: true }
    return toRawCell(r)
  }
  if (Array.isArray(o.richText)) return (o.richText as Array<{ text?: string }>).map((p) => p.text ?? '').join('')
  if ('text' in o) return toRawCell(o.text) // hyperlinks
  return null
}

/** The cached result of a formula cell: NaN is how exceljs reads an error result (t="e"). */
export function formulaResult(result: unknown): RawCell {
  if (result === undefined || result === null) return { error: 'formula', formula: true }
  if (typeof result === 'number' && Number.isNaN(result)) return { error: '#ERROR', formula: true }
  if (typeof result === 'object' && 'error' in (result as object)) return { error: String((result as { error: unknown }).error), formula: true }
  return toRawCell(result)
}

export interface XlsxSource {
  sheets: SheetInfo[]
  sheet: string
  /** Zip part of the sheet being read, when known. */
  part: string | null
  rows: AsyncGenerator<{ n: number; cells: RawCell[] }>
  /** Share (0..1) of the sheet's compressed bytes read so far, when known. */
  fraction(): number | null
  close(): void
}

function corrupt(err: unknown): AppError {
  if (err instanceof AppError) return err
  const message = err instanceof Error ? err.message : String(err)
  return new AppError('IMPORT_CORRUPT', { detail: message.slice(0, 200) })
}

/** Text of one zip entry, decoded as one UTF-8 stream (characters are never split). */
async function entryText(path: string, entry: ZipEntry, onBytes?: (n: number) => void, streams?: Set<Readable>): Promise<AsyncGenerator<string>> {
  const local = await readAt(path, entry.localHeaderOffset, 30)
  if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) throw new AppError('IMPORT_CORRUPT', { detail: entry.name })
  const start = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28)
  if (entry.method !== 0 && entry.method !== 8) throw new AppError('IMPORT_CORRUPT', { detail: `${entry.name}: compression ${entry.method}` })
  async function* text(): AsyncGenerator<string> {
    if (entry.compressedSize === 0) return
    const raw = createReadStream(path, { start, end: start + entry.compressedSize - 1, highWaterMark: 1 << 20 })
    streams?.add(raw)
    if (onBytes) raw.on('data', (c) => onBytes(c.length))
    // 64 KB output chunks: zlib's default 16 KB inflates several times slower (measured on a
    // 40 MB sheet), while much longer strings slow exceljs's SAX step down.
    const body: Readable = entry.method === 8 ? raw.pipe(createInflateRaw({ chunkSize: 64 * 1024 })) : raw
    if (body !== raw) raw.on('error', (e) => body.destroy(e))
    streams?.add(body)
    // StringDecoder keeps a character split between two chunks whole (natively; TextDecoder's
    // streaming mode cost a tenth of the reading time).
    const decoder = new StringDecoder('utf8')
    try {
      for await (const chunk of body) {
        const s = decoder.write(chunk as Buffer)
        if (s) yield s
      }
      const tail = decoder.end()
      if (tail) yield tail
    } finally {
      raw.destroy()
      body.destroy()
    }
  }
  return text()
}

function pickSheet(sheets: SheetInfo[], want: string | undefined): string {
  const visible = sheets.filter((s) => !s.hidden)
  if (visible.length === 0) throw new AppError('IMPORT_NO_SHEETS')
  if (want === undefined) return visible[0].name
  if (!visible.some((s) => s.name === want)) throw new AppError('IMPORT_SHEET_NOT_FOUND', { sheet: want, sheets: visible.map((s) => s.name).join('、') })
  return want
}

async function* rowsOf(ws: WorksheetLike, close: () => void, shared: CompactStrings | null = null): AsyncGenerator<{ n: number; cells: RawCell[] }> {
  const it = ws[Symbol.asyncIterator]()
  try {
    while (true) {
      const r = await it.next()
      if (r.done) return
      const values = r.value.values
      const cells: RawCell[] = new Array(Math.max(0, values.length - 1))
      for (let i = 1; i < values.length; i++) {
        const v = values[i]
        if (v === null || typeof v !== 'object') cells[i - 1] = toRawCell(v)
        else if (shared && 'sharedString' in v) cells[i - 1] = shared.get((v as { sharedString: number }).sharedString) ?? null
        // row.values drops a formula's cached result when it is falsy (0, "", FALSE, an error):
        // the cell's own `result` still has it.
        else if ('formula' in v || 'sharedFormula' in v) cells[i - 1] = formulaResult(r.value.getCell(i).result)
        else cells[i - 1] = toRawCell(v)
      }
      yield { n: r.value.number, cells }
    }
  } catch (err) {
    throw corrupt(err)
  } finally {
    close()
  }
}

const hidden = (state?: string) => state === 'hidden' || state === 'veryHidden'

/** exceljs's utils.isDateFmt: y, m, d, h, s (or b) outside [..] and "..". */
export function isDateFmt(fmt: string | undefined): boolean {
  if (!fmt) return false
  return /[ymdhMsb]+/.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''))
}

/**
 * Per cellXfs index: 0 no such style, 1 a style, 2 a date style — decided from exceljs's own
 * style models, so a cell is a date exactly when exceljs's worksheet reader made it one
 * (custom formats by their code; built-in ids only where exceljs knows a code: 14–22, 45–47).
 */
export function styleKinds(styles: StylesLike | undefined): Uint8Array {
  const n = styles?.model?.styles?.length ?? 0
  const kinds = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const m = styles!.getStyleModel(i)
    kinds[i] = m ? (isDateFmt(m.numFmt) ? 2 : 1) : 0
  }
  return kinds
}

async function* leanRows(text: AsyncGenerator<string>, parser: SheetXmlParser, close: () => void): AsyncGenerator<SheetRow> {
  const out: SheetRow[] = []
  try {
    for await (const chunk of text) {
      parser.push(chunk, out)
      for (let i = 0; i < out.length; i++) yield out[i]
      out.length = 0
      if (parser.done) return
    }
    parser.end(out)
    yield* out
  } catch (err) {
    throw corrupt(err)
  } finally {
    close()
  }
}

/** Which worksheet and shared-strings parser: ours (default) or exceljs's (CRM_XLSX_PARSER=exceljs, and the differential test). */
export type XlsxParser = 'lean' | 'exceljs'

/**
 * Open a workbook positioned at one sheet: `want` by name, else the first visible
 * sheet in workbook order. Hidden sheets are never chosen (they are helper data).
 */
export async function openXlsx(path: string, want?: string, parser: XlsxParser = process.env.CRM_XLSX_PARSER === 'exceljs' ? 'exceljs' : 'lean'): Promise<XlsxSource> {
  const size = (await stat(path)).size
  const entries = await zipEntries(path, size)
  const excel = await loadExcel()
  if (!entries) return openXlsxPlain(excel, path, want)
  const byName = new Map(entries.map((e) => [e.name, e]))
  const streams = new Set<Readable>()
  let shared: CompactStrings | null = null
  const close = () => {
    for (const s of streams) s.destroy()
  }
  try {
    const reader = new excel.stream.xlsx.WorkbookReader(path, READER_OPTIONS) as unknown as ReaderInternals
    const part = async (name: string) => {
      const e = byName.get(name)
      return e ? Readable.from(await entryText(path, e)) : null
    }
    const rels = await part('xl/_rels/workbook.xml.rels')
    const book = await part('xl/workbook.xml')
    if (!rels || !book) throw new AppError('IMPORT_CORRUPT', { detail: 'xl/workbook.xml' })
    await reader._parseRels(rels)
    await reader._parseWorkbook(book)
    const relList = reader.workbookRels ?? []
    const target = (t: string) => (t.startsWith('/') ? t.slice(1) : `xl/${t}`)
    const relOf = (type: string) => relList.find((r) => r.Type.endsWith(`/${type}`))
    const stringsName = relOf('sharedStrings') ? target(relOf('sharedStrings')!.Target) : 'xl/sharedStrings.xml'
    if (parser === 'lean') {
      const e = byName.get(stringsName)
      if (e) shared = await readSharedStrings(await entryText(path, e))
    } else {
      const strings = await part(stringsName)
      if (strings) {
        // Left out of the reader on purpose: its cells then say {sharedString: n}, which rowsOf looks up here.
        shared = new CompactStrings()
        for await (const item of reader._parseSharedStrings(strings)) shared.add(textOf((item as { text?: unknown }).text))
      }
    }
    const styles = await part(relOf('styles') ? target(relOf('styles')!.Target) : 'xl/styles.xml')
    if (styles) await reader._parseStyles(styles)

    const models = reader.model?.sheets ?? []
    const sheets = models.map((s) => ({ name: s.name, hidden: hidden(s.state) }))
    if (sheets.length === 0) throw new AppError('IMPORT_NO_SHEETS')
    const name = pickSheet(sheets, want)
    const model = models.find((s) => s.name === name)!
    const rel = relList.find((r) => r.Id === model.rId)
    const sheetPart = rel ? target(rel.Target) : null
    const entry = sheetPart ? byName.get(sheetPart) : undefined
    if (!entry) {
      // Listed in workbook.xml without a part: an empty sheet.
      return { sheets, sheet: name, part: sheetPart, rows: (async function* () {})(), fraction: () => null, close }
    }
    let bytes = 0
    const text = await entryText(path, entry, (n) => (bytes += n), streams)
    let rows: AsyncGenerator<SheetRow>
    if (parser === 'lean') {
      const sheetParser = new SheetXmlParser({ strings: shared, styleKinds: styles ? styleKinds(reader.styles) : new Uint8Array(0), date1904: reader.properties?.model?.date1904 === true })
      rows = leanRows(text, sheetParser, close)
    } else {
      const gen = reader._parseWorksheet(text, model.id)
      const ws = gen.next().value?.value
      if (!ws) throw new AppError('IMPORT_CORRUPT', { detail: sheetPart ?? name })
      rows = rowsOf(ws, close, shared)
    }
    return {
      sheets,
      sheet: name,
      part: sheetPart,
      rows,
      fraction: () => (entry.compressedSize > 0 ? Math.min(1, bytes / entry.compressedSize) : null),
      close,
    }
  } catch (err) {
    close()
    throw corrupt(err)
  }
}

/** exceljs's own WorkbookReader, for zips whose directory we do not read (zip64). */
async function openXlsxPlain(excel: typeof ExcelJS, path: string, want?: string): Promise<XlsxSource> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 })
  const reader = new excel.stream.xlsx.WorkbookReader(stream, { ...READER_OPTIONS, sharedStrings: 'cache' }) as unknown as ReaderInternals
  const it = reader[Symbol.asyncIterator]()
  const close = () => {
    stream.destroy()
    void it.return?.(undefined)?.catch(() => {})
  }
  let sheets: SheetInfo[] | null = null
  let name: string | undefined
  try {
    while (true) {
      const next = await it.next()
      if (next.done) break
      const ws = next.value
      if (!sheets) {
        sheets = (reader.model?.sheets ?? [{ id: 1, name: ws.name, state: ws.state }]).map((s) => ({ name: s.name, hidden: hidden(s.state) }))
        name = pickSheet(sheets, want)
      }
      if (ws.name === name) return { sheets, sheet: name, part: null, rows: rowsOf(ws, close), fraction: () => null, close }
    }
  } catch (err) {
    close()
    throw corrupt(err)
  }
  close()
  if (!sheets || !name) throw new AppError('IMPORT_NO_SHEETS')
  return { sheets, sheet: name, part: null, rows: (async function* () {})(), fraction: () => null, close }
}
