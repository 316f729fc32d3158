// xl/sharedStrings.xml read by hand into CompactStrings: one string per <si>, the text of its
// <t> (plain) or of its runs' <t> concatenated (rich text, <r>), phonetic guides (<rPh>, the
// furigana/pinyin Excel may store) left out. A tag or text may be split between two chunks:
// the unfinished tail is carried over to the next chunk.
import { newTag, readTag, xmlText } from './xml-text'

/**
 * The workbook's shared strings as UTF-8 in fixed-size blocks plus offsets. A million-row
 * list has millions of distinct strings; kept as JS strings they filled the old generation
 * and V8 then let the heap grow to several times that before collecting (peak RSS 850 MB at
 * 1M rows; 480 MB so).
 */
export class CompactStrings {
  /** Fixed-size blocks, so that growing never copies (a doubling buffer briefly needs 3× its size). */
  private static readonly BLOCK = 8 * 1024 * 1024
  private static readonly CACHE = 16384
  private blocks: Buffer[] = []
  private used = CompactStrings.BLOCK
  private block = -1
  /** Per string: block index, start within the block, byte length. */
  private at = new Int32Array(3 * 16384)
  count = 0

  /** Recently read strings by index (direct-mapped): repeated values (a city, a source) are decoded once. */
  private cacheAt = new Int32Array(CompactStrings.CACHE).fill(-1)
  private cache: string[] = new Array<string>(CompactStrings.CACHE).fill('')

  add(text: string): void {
    // At most 3 UTF-8 bytes per UTF-16 unit: room is checked without measuring the string first.
    const need = 3 * text.length
    if (this.used + need > CompactStrings.BLOCK) {
      this.blocks.push(Buffer.allocUnsafe(Math.max(CompactStrings.BLOCK, need)))
      this.block++
      this.used = 0
    }
    if (3 * (this.count + 1) > this.at.length) {
      const more = new Int32Array(this.at.length * 2)
      more.set(this.at)
      this.at = more
    }
    const written = need === 0 ? 0 : this.blocks[this.block].write(text, this.used)
    const k = 3 * this.count++
    this.at[k] = this.block
    this.at[k + 1] = this.used
    this.at[k + 2] = written
    this.used += written
  }

  get(i: number): string | null {
    if (!(i >= 0 && i < this.count)) return null
    const slot = i & (CompactStrings.CACHE - 1)
    if (this.cacheAt[slot] === i) return this.cache[slot]
    const k = 3 * i
    const length = this.at[k + 2]
    const start = this.at[k + 1]
    const text = length === 0 ? '' : this.blocks[this.at[k]].toString('utf8', start, start + length)
    this.cacheAt[slot] = i
    this.cache[slot] = text
    return text
  }
}

/** Streaming parser of sharedStrings.xml: push() decoded text chunks, then end(). */
export class SharedStringsParser {
  private carry = ''
  private inSi = false
  private phonetic = 0
  private capture = false
  private text = ''

  constructor(private readonly out: CompactStrings) {}

  private readonly tag = newTag()
  private cdata = (t: string) => {
    if (this.capture) this.text += t
  }

  push(chunk: string): void {
    const s = this.carry ? this.carry + chunk : chunk
    this.carry = ''
    const n = s.length
    let p = 0
    while (p < n) {
      if (s.charCodeAt(p) !== 60) {
        const lt = s.indexOf('<', p)
        if (lt < 0) {
          // Text without its end yet: keep it whole (an entity may be cut in two).
          if (this.capture) this.carry = s.slice(p)
          return
        }
        if (this.capture) this.text += xmlText(s, p, lt)
        p = lt
        continue
      }
      if (!this.inSi && s.startsWith('<si><t>', p)) {
        // The common shape, <si><t>text</t></si>, taken in one step.
        // (Looking only as far as the next '<': a search for "</t></si>" itself could run far
        // ahead on every <si> whose shape differs, e.g. with a <phoneticPr/> after its <t>.)
        const e = s.indexOf('<', p + 7)
        if (e >= 0 && s.startsWith('</t></si>', e)) {
          this.out.add(xmlText(s, p + 7, e))
          p = e + 9
          continue
        }
      }
      const tag = this.tag
      if (!readTag(s, p, tag, this.cdata)) break
      if (tag.special) {
        p = tag.next
        continue
      }
      const { closing, selfClosing, ls, len } = tag
      if (len === 1 && s.charCodeAt(ls) === 116) {
        // <t>
        if (closing) this.capture = false
        else if (!selfClosing && this.inSi && this.phonetic === 0) this.capture = true
      } else if (len === 2 && s.charCodeAt(ls) === 115 && s.charCodeAt(ls + 1) === 105) {
        // <si>
        if (closing) {
          this.out.add(this.text)
          this.inSi = false
          this.capture = false
        } else if (selfClosing) this.out.add('')
        else {
          this.inSi = true
          this.text = ''
          this.phonetic = 0
        }
      } else if (len === 3 && s.startsWith('rPh', ls)) {
        if (closing) this.phonetic = Math.max(0, this.phonetic - 1)
        else if (!selfClosing) this.phonetic++
      }
      p = tag.next
    }
    if (p < n) this.carry = s.slice(p)
  }

  end(): void {
    if (this.carry && this.capture) this.text += xmlText(this.carry, 0, this.carry.length)
    this.carry = ''
  }
}

/** Parse a whole sharedStrings.xml stream of decoded chunks. */
export async function readSharedStrings(chunks: AsyncIterable<string>): Promise<CompactStrings> {
  const strings = new CompactStrings()
  const parser = new SharedStringsParser(strings)
  for await (const chunk of chunks) parser.push(chunk)
  parser.end()
  return strings
}
