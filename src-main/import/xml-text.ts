// Small pieces shared by the lean .xlsx XML parsers (sheet-xml.ts, shared-strings-xml.ts):
// text decoding as an XML parser does it, and skipping markup that carries no data.

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/**
 * Character data between `start` and `end` as an XML parser gives it: the five named
 * entities and numeric character references decoded, CR LF and lone CR read as LF (XML 1.0
 * §2.11). An unknown entity is kept as written (a strict parser would refuse the file).
 */
export function xmlText(s: string, start: number, end: number): string {
  const raw = s.slice(start, end)
  if (raw.indexOf('&') < 0 && raw.indexOf('\r') < 0) return raw
  let text = raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n')
  if (text.indexOf('&') >= 0) {
    text = text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (whole, name: string) => {
      if (name.charCodeAt(0) !== 35) return NAMED[name] ?? whole
      const code = name.charCodeAt(1) === 120 ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
      return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    })
  }
  return text
}

/**
 * At a '<' that opens a comment, a processing instruction, CDATA or a DOCTYPE: the index just
 * after it, or -1 when its end is not in `s` yet. `cdata` receives a CDATA section's content.
 */
export function skipSpecial(s: string, p: number, cdata?: (text: string) => void): number {
  if (s.charCodeAt(p + 1) === 63) {
    const e = s.indexOf('?>', p + 2)
    return e < 0 ? -1 : e + 2
  }
  if (s.startsWith('<!--', p)) {
    const e = s.indexOf('-->', p + 4)
    return e < 0 ? -1 : e + 3
  }
  if (s.startsWith('<![CDATA[', p)) {
    const e = s.indexOf(']]>', p + 9)
    if (e < 0) return -1
    cdata?.(s.slice(p + 9, e))
    return e + 3
  }
  if (p + 9 > s.length) return -1 // too short to tell "<![CDATA[" from "<!DOCTYPE" yet
  const e = s.indexOf('>', p + 2)
  return e < 0 ? -1 : e + 1
}

/** The markup read by readTag; one object per parser, filled in place (none is made per tag). */
export interface Tag {
  /** Where reading goes on: after the '>' of a tag, or after a comment, PI, CDATA or DOCTYPE. */
  next: number
  /** A comment, processing instruction, CDATA or DOCTYPE (already handled), not a tag. */
  special: boolean
  closing: boolean
  selfClosing: boolean
  /** Start and length of the tag's local name (a namespace prefix left out). */
  ls: number
  len: number
}

export const newTag = (): Tag => ({ next: 0, special: false, closing: false, selfClosing: false, ls: 0, len: 0 })

/** Reads the markup at s[p] === '<' into `tag`; false when its end is not in `s` yet. */
export function readTag(s: string, p: number, tag: Tag, cdata?: (text: string) => void): boolean {
  const c1 = s.charCodeAt(p + 1)
  if (c1 === 33 || c1 === 63) {
    const next = skipSpecial(s, p, cdata)
    tag.next = next
    tag.special = true
    return next >= 0
  }
  const gt = s.indexOf('>', p + 1)
  if (gt < 0) return false
  const closing = c1 === 47
  const ns = closing ? p + 2 : p + 1
  const ne = nameEnd(s, ns)
  const ls = localStart(s, ns, ne)
  tag.next = gt + 1
  tag.special = false
  tag.closing = closing
  tag.selfClosing = !closing && s.charCodeAt(gt - 1) === 47
  tag.ls = ls
  tag.len = ne - ls
  return true
}

/** Index just after the tag name starting at `p` (a name ends at white space, '/' or '>'). */
export function nameEnd(s: string, p: number): number {
  let i = p
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 32 || c === 62 || c === 47 || c === 9 || c === 10 || c === 13) break
  }
  return i
}

/** Start of the local name (after a namespace prefix such as "x:") in [start, end). */
export function localStart(s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) if (s.charCodeAt(i) === 58) return i + 1
  return start
}
