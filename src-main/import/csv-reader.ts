// Streaming CSV (RFC 4180 plus what real files do): quoted fields with "" escapes
// and line breaks inside, CRLF / LF / CR line ends, comma / tab / semicolon / bar
// delimiters (detected), UTF-8 with or without BOM, GB18030, UTF-16. Memory stays
// flat: one chunk of text and one record at a time.
import { createReadStream } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import iconv from 'iconv-lite'
import type { TextEncoding } from './sniff'

const QUOTE = 34
const CR = 13
const LF = 10

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/** Incremental parser: feed text chunks, get complete records. */
export class CsvParser {
  private state = State.FieldStart
  private buf = ''
  private row: string[] = []
  /** The last field ended with a delimiter: a line end now means one more, empty field. */
  private afterDelim = false
  private skipLf = false
  private readonly delim: number

  constructor(delimiter: string) {
    this.delim = delimiter.charCodeAt(0)
  }

  push(text: string, out: string[][]): void {
    const n = text.length
    const delim = this.delim
    let i = 0
    let start = 0
    if (this.skipLf && n > 0) {
      this.skipLf = false
      if (text.charCodeAt(0) === LF) i = start = 1
    }
    // After a CR, swallow the LF of a CRLF (possibly at the start of the next chunk).
    const lineEnd = (at: number): number => {
      if (text.charCodeAt(at) === CR) {
        if (at + 1 < n) return text.charCodeAt(at + 1) === LF ? at + 2 : at + 1
        this.skipLf = true
      }
      return at + 1
    }
    while (i < n) {
      switch (this.state) {
        case State.FieldStart: {
          const c = text.charCodeAt(i)
          if (c === QUOTE) {
            this.state = State.Quoted
            this.afterDelim = false
            start = ++i
          } else if (c === delim) {
            this.row.push('')
            this.afterDelim = true
            start = ++i
          } else if (c === CR || c === LF) {
            if (this.afterDelim) this.row.push('')
            this.endRow(out)
            i = start = lineEnd(i)
          } else {
            this.state = State.Unquoted
            this.afterDelim = false
            start = i
          }
          break
        }
        case State.Unquoted: {
          let j = i
          let c = 0
          while (j < n) {
            c = text.charCodeAt(j)
            if (c === delim || c === CR || c === LF) break
            j++
          }
          if (j === n) {
            this.buf += text.slice(start, n)
            i = start = n
            break
          }
          this.row.push(this.buf + text.slice(start, j))
          this.buf = ''
          this.state = State.FieldStart
          if (c === delim) {
            this.afterDelim = true
            i = start = j + 1
          } else {
            this.endRow(out)
            i = start = lineEnd(j)
          }
          break
        }
        case State.Quoted: {
          const q = text.indexOf('"', i)
          if (q < 0) {
            this.buf += text.slice(start, n)
            i = start = n
            break
          }
          this.buf += text.slice(start, q)
          this.state = State.QuoteInQuoted
          i = start = q + 1
          break
        }
        case State.QuoteInQuoted: {
          const c = text.charCodeAt(i)
          if (c === QUOTE) {
            // "" inside quotes is one quote character.
            this.buf += '"'
            this.state = State.Quoted
            start = ++i
          } else if (c === delim) {
            this.row.push(this.buf)
            this.buf = ''
            this.state = State.FieldStart
            this.afterDelim = true
            start = ++i
          } else if (c === CR || c === LF) {
            this.row.push(this.buf)
            this.buf = ''
            this.state = State.FieldStart
            this.endRow(out)
            i = start = lineEnd(i)
          } else {
            // Text after a closing quote ("abc"def): keep it, as Excel does.
            this.state = State.Unquoted
            start = i
          }
          break
        }
      }
    }
  }

  end(out: string[][]): void {
    if (this.state !== State.FieldStart) {
      this.row.push(this.buf)
      this.buf = ''
    } else if (this.afterDelim) this.row.push('')
    if (this.row.length > 0) this.endRow(out)
    this.state = State.FieldStart
  }

  private endRow(out: string[][]): void {
    out.push(this.row)
    this.row = []
    this.afterDelim = false
  }
}

function decoderFor(encoding: TextEncoding): { write(b: Buffer): string; end(): string } {
  if (encoding === 'utf8') {
    // Native and streaming: a character split between two chunks stays whole.
    const d = new StringDecoder('utf8')
    return { write: (b) => d.write(b), end: () => d.end() }
  }
  const d = iconv.getDecoder(encoding === 'gb18030' ? 'gb18030' : encoding === 'utf16le' ? 'utf-16le' : 'utf-16be')
  return { write: (b) => d.write(b), end: () => d.end() ?? '' }
}

/** Pick the delimiter that splits the first lines into the same, largest number of fields. */
export function detectDelimiter(sample: string): string {
  const lines = sample.split(/\r\n|\n|\r/).filter((l) => l.trim()).slice(0, 20)
  let best = ','
  let bestScore = 0
  for (const d of [',', '\t', ';', '|']) {
    const counts = lines.map((l) => {
      let n = 0
      let quoted = false
      for (const ch of l) {
        if (ch === '"') quoted = !quoted
        else if (ch === d && !quoted) n++
      }
      return n
    })
    if (counts.length === 0) continue
    // Most lines should agree; the header line and a title line may differ.
    const freq = new Map<number, number>()
    for (const c of counts) if (c > 0) freq.set(c, (freq.get(c) ?? 0) + 1)
    for (const [count, lineCount] of freq) {
      const score = lineCount * 1000 + count
      if (lineCount >= Math.ceil(counts.length / 2) && score > bestScore) {
        best = d
        bestScore = score
      }
    }
  }
  return best
}

export interface CsvSource {
  delimiter: string
  records: AsyncGenerator<string[]>
  /** Bytes read so far (progress). */
  bytesRead(): number
  close(): void
}

/** Open a text file as a stream of records. The delimiter is detected from the first chunk unless given. */
export async function openCsv(path: string, encoding: TextEncoding, delimiter?: string): Promise<CsvSource> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 })
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  const decoder = decoderFor(encoding)
  let bytes = 0
  let firstText = ''
  let first = await iterator.next()
  if (!first.done) {
    bytes += first.value.length
    firstText = decoder.write(first.value)
  }
  // The BOM is not data (TextDecoder strips it for UTF-8; iconv keeps U+FEFF for some encodings).
  if (firstText.charCodeAt(0) === 0xfeff) firstText = firstText.slice(1)
  const delim = delimiter ?? detectDelimiter(firstText.slice(0, 64 * 1024))
  const parser = new CsvParser(delim)

  async function* records(): AsyncGenerator<string[]> {
    const out: string[][] = []
    try {
      parser.push(firstText, out)
      firstText = ''
      for (const r of out) yield r
      out.length = 0
      while (!first.done) {
        first = await iterator.next()
        if (first.done) break
        bytes += first.value.length
        parser.push(decoder.write(first.value), out)
        for (const r of out) yield r
        out.length = 0
      }
      parser.push(decoder.end(), out)
      parser.end(out)
      for (const r of out) yield r
    } finally {
      stream.destroy()
    }
  }
  return { delimiter: delim, records: records(), bytesRead: () => bytes, close: () => stream.destroy() }
}
