// What kind of file is this? Decided from its bytes, never from its name: people
// rename .xls to .xlsx, save web pages as .xls and send PDFs called 客户.xlsx.
// Anything we cannot read gets an AppError that says what to do instead.
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { AppError } from '../shared/errors'
import { readAt, zipEntries } from './zip'

export type TextEncoding = 'utf8' | 'gb18030' | 'utf16le' | 'utf16be'
export type FileKind = { format: 'xlsx' } | { format: 'csv'; encoding: TextEncoding; bom: boolean }

const CFB = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
const utf16 = (s: string) => Buffer.from(s, 'utf16le')

/** Search a file for any of the needles, 1 MB at a time (OLE directory entries can sit anywhere). */
async function fileContains(path: string, size: number, needles: Buffer[]): Promise<Buffer | null> {
  const chunk = 1 << 20
  const overlap = 64
  for (let pos = 0; pos < size; pos += chunk - overlap) {
    const buf = await readAt(path, pos, chunk)
    for (const n of needles) if (buf.includes(n)) return n
    if (buf.length < chunk) break
  }
  return null
}

function isValidUtf8(buf: Buffer): boolean {
  // Cut a multi-byte sequence split at the end of the sample.
  let end = buf.length
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const b = buf[end - k]
    if ((b & 0xc0) === 0x80) continue
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2
      if (k < need) end -= k
    }
    break
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, end))
    return true
  } catch {
    return false
  }
}

/**
 * UTF-8 or GB18030? Text written by Excel on Chinese Windows is GBK/GB18030; almost no GBK
 * text with Chinese in it is valid UTF-8. ASCII-only stretches say nothing, so we look at
 * the first stretch with bytes ≥ 0x80, wherever it is in the file.
 */
async function detectEncoding(path: string, size: number, head: Buffer): Promise<TextEncoding> {
  let sample = head
  let pos = 0
  const window = 64 * 1024
  while (true) {
    const first = sample.findIndex((b) => b >= 0x80)
    if (first >= 0) {
      // Start at an ASCII byte so the window does not begin inside a character.
      const from = Math.max(0, first - 1)
      const win = from === 0 && pos === 0 ? sample : await readAt(path, pos + from, window)
      return isValidUtf8(win) ? 'utf8' : 'gb18030'
    }
    pos += sample.length
    if (pos >= size) return 'utf8' // pure ASCII: either reading is the same
    sample = await readAt(path, pos, 1 << 20)
    if (sample.length === 0) return 'utf8'
  }
}

const fmt = (name: string, zh: string) => ({ format: name, detail: zh })

/** Classify a file by content; throws an AppError with advice for everything but .xlsx and text. */
export async function sniffFile(path: string): Promise<FileKind> {
  let size: number
  try {
    const s = await stat(path)
    if (!s.isFile()) throw new Error('not a file')
    size = s.size
  } catch {
    throw new AppError('IMPORT_FILE_NOT_FOUND', { file: basename(path) })
  }
  if (size === 0) throw new AppError('IMPORT_EMPTY', { sheet: basename(path) })
  const head = await readAt(path, 0, Math.min(size, 64 * 1024))

  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05)) {
    const names = ((await zipEntries(path, size)) ?? []).map((e) => e.name)
    const has = (n: string) => names.some((x) => x.toLowerCase() === n.toLowerCase())
    if (has('xl/workbook.xml') || names.length === 0) return { format: 'xlsx' } // no directory readable: let the reader try
    if (has('xl/workbook.bin')) throw new AppError('IMPORT_UNSUPPORTED_FORMAT', fmt('.xlsb', 'Excel 二进制工作簿'))
    if (has('content.xml') && has('mimetype')) throw new AppError('IMPORT_UNSUPPORTED_FORMAT', fmt('OpenDocument (.ods)', ''))
    if (names.some((n) => n.startsWith('Index/') || n.endsWith('.iwa'))) throw new AppError('IMPORT_UNSUPPORTED_FORMAT', fmt('Numbers', ''))
    if (has('word/document.xml')) throw new AppError('IMPORT_NOT_SPREADSHEET', { detail: 'Word' })
    if (names.some((n) => n.startsWith('ppt/'))) throw new AppError('IMPORT_NOT_SPREADSHEET', { detail: 'PowerPoint' })
    throw new AppError('IMPORT_NOT_SPREADSHEET', { detail: 'ZIP' })
  }
  if (head.subarray(0, 8).equals(CFB)) {
    // OLE compound file: a legacy .xls/.et, or an encrypted .xlsx (which Excel stores inside one).
    const found = await fileContains(path, size, [utf16('EncryptedPackage'), utf16('Workbook'), utf16('Book'), utf16('WordDocument'), utf16('PowerPoint')])
    if (found?.equals(utf16('EncryptedPackage'))) throw new AppError('IMPORT_ENCRYPTED')
    if (found?.equals(utf16('WordDocument'))) throw new AppError('IMPORT_NOT_SPREADSHEET', { detail: 'Word (.doc)' })
    if (found?.equals(utf16('PowerPoint'))) throw new AppError('IMPORT_NOT_SPREADSHEET', { detail: 'PowerPoint (.ppt)' })
    throw new AppError('IMPORT_LEGACY_XLS')
  }
  const magic: Array<[number[], string]> = [
    [[0x25, 0x50, 0x44, 0x46], 'PDF'],
    [[0x89, 0x50, 0x4e, 0x47], 'PNG'],
    [[0xff, 0xd8, 0xff], 'JPEG'],
    [[0x47, 0x49, 0x46, 0x38], 'GIF'],
    [[0x1f, 0x8b], 'gzip'],
    [[0x52, 0x61, 0x72, 0x21], 'RAR'],
    [[0x37, 0x7a, 0xbc, 0xaf], '7z'],
    [[0x7f, 0x45, 0x4c, 0x46], 'ELF'],
    [[0x4d, 0x5a], 'EXE'],
  ]
  for (const [bytes, name] of magic) if (bytes.every((b, i) => head[i] === b)) throw new AppError('IMPORT_NOT_SPREADSHEET', { detail: name })

  if (head[0] === 0xff && head[1] === 0xfe) return { format: 'csv', encoding: 'utf16le', bom: true }
  if (head[0] === 0xfe && head[1] === 0xff) return { format: 'csv', encoding: 'utf16be', bom: true }
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf
  // Binary files have NUL bytes and control characters; text has neither.
  let control = 0
  for (const b of head) {
    if (b === 0) throw new AppError('IMPORT_NOT_SPREADSHEET', { detail: 'binary' })
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++
  }
  if (control > head.length / 100 + 4) throw new AppError('IMPORT_NOT_SPREADSHEET', { detail: 'binary' })

  const start = head.toString('latin1', bom ? 3 : 0, Math.min(head.length, 2048)).trimStart().toLowerCase()
  // "Excel" files that are really web pages or Excel 2003 XML (common from web systems' "export to Excel").
  if (start.startsWith('<html') || start.startsWith('<!doctype html') || start.startsWith('<table')) {
    throw new AppError('IMPORT_UNSUPPORTED_FORMAT', fmt('HTML（网页）', ''))
  }
  if (start.startsWith('<?xml') && start.includes('urn:schemas-microsoft-com:office:spreadsheet')) {
    throw new AppError('IMPORT_UNSUPPORTED_FORMAT', fmt('Excel 2003 XML', ''))
  }
  if (bom) return { format: 'csv', encoding: 'utf8', bom: true }
  return { format: 'csv', encoding: await detectEncoding(path, size, head), bom: false }
}
