// A worksheet's XML read by hand, row by row, from the decoded text chunks of the zip entry.
// Only what the importer needs: <sheetData>, its <row>s and their <c> cells (r, s, t
// attributes; <v>, <f>, <is>). Scanning is indexOf/charCode work on the chunk itself, with
// no per-tag or per-attribute objects; a tag or text cut by a chunk boundary is carried over
// to the next chunk. Values come out as the exceljs-based reader gave them (RawCell):
// - t="s" shared string, t="inlineStr" (rich runs concatenated, phonetic runs left out),
//   t="str" text, t="b" boolean, t="e" {error: '#N/A'}, numbers (NaN/±Infinity: {error: '#NUM!'});
// - a number whose style (the cell's s, else its row's s) is a date format: a Date, as
//   exceljs's excelToDate makes it (UTC, 1900 or 1904 system); t="d": the ISO date;
// - a formula: its cached <v> typed by t; an error result {error: '#ERROR', formula: true},
//   no cached value {error: 'formula', formula: true};
// - a row's cells as an array by column (gaps null, nothing after the last value); cells
//   or rows without an r attribute follow the previous one.
import type { RawCell } from './types'
import { newTag, readTag, xmlText } from './xml-text'

export interface SheetRow {
  n: number
  cells: RawCell[]
}

export interface SheetXmlOptions {
  /** Shared strings by index; null when the workbook has none. */
  strings: { get(i: number): string | null } | null
  /** Per cellXfs index: 0 no such style, 1 a style, 2 a style with a date format. */
  styleKinds: Uint8Array
  date1904: boolean
}

const T_N = 0
const T_S = 1
const T_STR = 2
const T_INLINE = 3
const T_B = 4
const T_E = 5
const T_D = 6
const MAX_COL = 16384
const DAY_MS = 86_400_000

/** exceljs's utils.excelToDate. */
export const excelToDate = (v: number, date1904: boolean): Date => new Date(Math.round((v - 25569 + (date1904 ? 1462 : 0)) * DAY_MS))

function typeOf(s: string, a: number, b: number): number {
  const len = b - a
  if (len === 1) {
    switch (s.charCodeAt(a)) {
      case 115:
        return T_S
      case 98:
        return T_B
      case 101:
        return T_E
      case 100:
        return T_D
      default:
        return T_N
    }
  }
  if (len === 3 && s.startsWith('str', a)) return T_STR
  if (len === 9 && s.startsWith('inlineStr', a)) return T_INLINE
  return T_N
}

/**
 * A plain decimal number written with at most 15 digits (what nearly every <v> is): its value
 * without making a string. Exact: such a mantissa and 10^k are both exact doubles, so one
 * division rounds as parseFloat does. NaN when the text is anything else.
 */
function plainNumber(s: string, a: number, b: number): number {
  let i = a
  let neg = false
  if (s.charCodeAt(i) === 45) {
    neg = true
    i++
  }
  let m = 0
  let digits = 0
  let scale = 0
  let dot = false
  for (; i < b; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48)
      digits++
      if (dot) scale++
    } else if (c === 46 && !dot) dot = true
    else return NaN
  }
  if (digits === 0 || digits > 15) return NaN
  const v = scale === 0 ? m : m / 10 ** scale
  return neg ? -v : v
}

const ISO_ZONE = /(?:[Zz]|[+-]\d\d:?\d\d)$/

/** t="d": ISO 8601 text; a date-time without a zone is read as UTC, like Excel serials are. */
function isoDate(text: string): Date | string {
  const t = text.trim()
  const d = new Date(t.length > 10 && !ISO_ZONE.test(t) ? `${t}Z` : t)
  return Number.isNaN(d.getTime()) ? text : d
}

/** Streaming worksheet parser: push() decoded chunks, take the finished rows from `out`. */
export class SheetXmlParser {
  /** True once </sheetData> has been read: nothing after it matters. */
  done = false
  private carry = ''
  private inData = false
  // the row being read
  private row: RawCell[] | null = null
  private rowN = 0
  private lastRowN = 0
  private rowDate = false
  private lastCol = 0
  // the cell being read
  private inCell = false
  private col = 0
  private type = T_N
  private date = false
  private hasF = false
  private hasV = false
  /** 0 nothing, 1 the text of <v>, 2 the text of an inline string's <t>. */
  private capture = 0
  private inIs = false
  private phonetic = 0
  private text = ''
  private num = 0
  private isNum = false
  // attribute positions found by attrs()
  private rA = -1
  private rB = -1
  private sA = -1
  private sB = -1
  private tA = -1
  private tB = -1

  constructor(private readonly opts: SheetXmlOptions) {}

  private readonly tag = newTag()
  private cdata = (t: string) => {
    if (this.capture !== 0) {
      this.text += t
      this.isNum = false
    }
  }

  /** Positions of the r, s and t attribute values between a tag's name and its '>'. */
  private attrs(s: string, i: number, end: number): void {
    this.rA = this.sA = this.tA = -1
    while (i < end) {
      const c = s.charCodeAt(i)
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 47) {
        i++
        continue
      }
      const ns = i
      while (i < end) {
        const d = s.charCodeAt(i)
        if (d === 61 || d === 32 || d === 9 || d === 10 || d === 13) break
        i++
      }
      const nlen = i - ns
      while (i < end) {
        const d = s.charCodeAt(i)
        if (d === 34 || d === 39) break
        i++
      }
      if (i >= end) return
      const vs = i + 1
      const ve = s.indexOf(s.charCodeAt(i) === 34 ? '"' : "'", vs)
      if (ve < 0 || ve > end) return
      if (nlen === 1) {
        const a = s.charCodeAt(ns)
        if (a === 114) {
          this.rA = vs
          this.rB = ve
        } else if (a === 115) {
          this.sA = vs
          this.sB = ve
        } else if (a === 116) {
          this.tA = vs
          this.tB = ve
        }
      }
      i = ve + 1
    }
  }

  /** exceljs: a style applies when it exists; its number format decides "date". */
  private styleDate(index: number): boolean | null {
    const kinds = this.opts.styleKinds
    if (!(index >= 0 && index < kinds.length) || kinds[index] === 0) return null
    return kinds[index] === 2
  }

  private openRow(s: string, nameE: number, gt: number): void {
    this.attrs(s, nameE, gt)
    let n = 0
    if (this.rA >= 0) for (let i = this.rA; i < this.rB; i++) {
      const c = s.charCodeAt(i)
      if (c < 48 || c > 57) break
      n = n * 10 + (c - 48)
    }
    this.rowN = n > 0 ? n : this.lastRowN + 1
    this.rowDate = false
    if (this.sA >= 0 && this.sB > this.sA) this.rowDate = this.styleDate(parseInt(s.slice(this.sA, this.sB), 10)) ?? false
    this.row = []
    this.lastCol = 0
  }

  private closeRow(out: SheetRow[]): void {
    out.push({ n: this.rowN, cells: this.row! })
    this.lastRowN = this.rowN
    this.row = null
  }

  private openCell(s: string, nameE: number, gt: number): void {
    this.attrs(s, nameE, gt)
    let col = 0
    if (this.rA >= 0) for (let i = this.rA; i < this.rB; i++) {
      const c = s.charCodeAt(i)
      if (c < 65 || c > 90) break
      col = col * 26 + (c - 64)
    }
    if (col === 0) col = this.lastCol + 1
    if (col > MAX_COL) throw new Error(`column ${col} is beyond XFD`)
    this.col = col
    this.type = this.tA >= 0 ? typeOf(s, this.tA, this.tB) : T_N
    let styled: boolean | null = null
    if (this.sA >= 0) {
      const si = plainNumber(s, this.sA, this.sB)
      // exceljs reads s with parseInt and applies it only when that is not 0 (or NaN).
      if (si > 0) styled = this.styleDate(Math.trunc(si))
    }
    this.date = styled ?? this.rowDate
    this.hasF = false
    this.hasV = false
    this.capture = 0
    this.inIs = false
    this.phonetic = 0
    this.text = ''
    this.isNum = false
  }

  private closeCell(): void {
    this.lastCol = this.col
    this.inCell = false
    this.capture = 0
    if (!this.hasV && !this.hasF) return
    const v = this.value()
    const row = this.row!
    const at = this.col - 1
    while (row.length < at) row.push(null)
    row[at] = v
  }

  /** The whole text of a <v> (nothing else in it): a plain number is read without a string. */
  private takeV(s: string, a: number, b: number): void {
    const t = this.type
    if ((t === T_N || t === T_S || t === T_B) && this.text === '' && !this.isNum) {
      const v = plainNumber(s, a, b)
      if (!Number.isNaN(v)) {
        this.num = v
        this.isNum = true
        return
      }
    }
    this.text += xmlText(s, a, b)
  }

  private numberValue(): number {
    return this.isNum ? this.num : parseFloat(this.text)
  }

  private value(): RawCell {
    const type = this.type
    if (this.hasF) {
      if (!this.hasV) return { error: 'formula', formula: true }
      if (type === T_STR || type === T_INLINE) return this.text
      if (type === T_E) return { error: '#ERROR', formula: true }
      if (type === T_D) return isoDate(this.text)
      const v = this.numberValue()
      if (Number.isNaN(v)) return { error: '#ERROR', formula: true }
      if (type === T_B) return Math.trunc(v) !== 0
      if (!Number.isFinite(v)) return { error: '#NUM!' }
      if (this.date) return excelToDate(v, this.opts.date1904)
      return v
    }
    switch (type) {
      case T_S: {
        const strings = this.opts.strings
        return strings ? strings.get(this.isNum ? Math.trunc(this.num) : parseInt(this.text, 10)) : null
      }
      case T_STR:
      case T_INLINE:
        return this.text
      case T_E:
        return { error: this.text }
      case T_B:
        return (this.isNum ? Math.trunc(this.num) : parseInt(this.text, 10)) !== 0
      case T_D:
        return isoDate(this.text)
      default: {
        const v = this.numberValue()
        if (this.date) {
          const d = excelToDate(v, this.opts.date1904)
          return Number.isNaN(d.getTime()) ? null : d
        }
        return Number.isFinite(v) ? v : { error: '#NUM!' }
      }
    }
  }

  /** Read one more chunk; finished rows are appended to `out`. */
  push(chunk: string, out: SheetRow[]): void {
    if (this.done) return
    const s = this.carry ? this.carry + chunk : chunk
    this.carry = ''
    this.scan(s, out, false)
  }

  /** The stream has ended. */
  end(out: SheetRow[]): void {
    if (this.carry && !this.done) this.scan(this.carry, out, true)
    this.carry = ''
  }

  private scan(s: string, out: SheetRow[], last: boolean): void {
    const n = s.length
    let p = 0
    while (p < n) {
      if (s.charCodeAt(p) !== 60) {
        // Character data: only the text of a <v> or of an inline string's <t> is kept.
        let lt = s.indexOf('<', p)
        if (lt < 0) {
          if (this.capture === 0) return
          if (!last) {
            // Kept whole until its end arrives (an entity may be cut in two).
            this.carry = s.slice(p)
            return
          }
          lt = n
        }
        if (this.capture === 1) {
          if (s.charCodeAt(lt + 1) === 47) this.takeV(s, p, lt)
          else this.text += xmlText(s, p, lt)
        } else if (this.capture === 2) this.text += xmlText(s, p, lt)
        p = lt
        continue
      }
      const c1 = s.charCodeAt(p + 1)
      if (this.inCell) {
        // The two commonest shapes in one step each: <v>text</v> and </c>.
        if (c1 === 118 && s.charCodeAt(p + 2) === 62) {
          const lt = s.indexOf('<', p + 3)
          if (lt >= 0 && s.charCodeAt(lt + 1) === 47 && s.charCodeAt(lt + 2) === 118 && s.charCodeAt(lt + 3) === 62) {
            this.hasV = true
            this.text = ''
            this.isNum = false
            this.takeV(s, p + 3, lt)
            p = lt + 4
            continue
          }
        } else if (c1 === 47 && s.charCodeAt(p + 2) === 99 && s.charCodeAt(p + 3) === 62) {
          this.closeCell()
          p += 4
          continue
        }
      }
      const tag = this.tag
      if (!readTag(s, p, tag, this.cdata)) break
      p = tag.next
      if (tag.special) continue
      const { closing, selfClosing, ls, len } = tag
      const a = s.charCodeAt(ls)
      if (!this.inData) {
        if (len === 9 && s.startsWith('sheetData', ls)) {
          if (closing || selfClosing) {
            this.done = true
            return
          }
          this.inData = true
        }
        continue
      }
      if (len === 1) {
        if (a === 99) {
          // <c>
          if (closing) {
            if (this.inCell) this.closeCell()
          } else if (this.row) {
            this.openCell(s, ls + len, tag.next - 1)
            if (selfClosing) this.lastCol = this.col
            else this.inCell = true
          }
        } else if (!this.inCell) continue
        else if (a === 118) {
          // <v>
          if (closing) this.capture = 0
          else {
            this.hasV = true
            this.text = ''
            this.isNum = false
            this.capture = selfClosing ? 0 : 1
          }
        } else if (a === 102) {
          // <f>
          if (!closing) this.hasF = true
        } else if (a === 116) {
          // <t> of an inline string
          if (closing) {
            if (this.capture === 2) this.capture = 0
          } else if (!selfClosing && this.inIs && this.phonetic === 0) this.capture = 2
        }
      } else if (len === 3) {
        if (a === 114 && s.charCodeAt(ls + 1) === 111 && s.charCodeAt(ls + 2) === 119) {
          // <row>
          if (closing) {
            if (this.row) this.closeRow(out)
          } else {
            if (this.row) this.closeRow(out) // an unclosed row before it
            this.openRow(s, ls + len, tag.next - 1)
            if (selfClosing) this.closeRow(out)
          }
        } else if (this.inIs && s.startsWith('rPh', ls)) {
          if (closing) this.phonetic = Math.max(0, this.phonetic - 1)
          else if (!selfClosing) this.phonetic++
        }
      } else if (len === 2) {
        if (this.inCell && a === 105 && s.charCodeAt(ls + 1) === 115) {
          // <is>
          if (closing) this.inIs = false
          else {
            this.hasV = true
            this.text = ''
            this.isNum = false
            this.inIs = !selfClosing
          }
        }
      } else if (len === 9 && closing && s.startsWith('sheetData', ls)) {
        this.done = true
        return
      }
    }
    if (p < n) this.carry = s.slice(p)
  }
}
