// The Chinese font of the print page, cut down to the characters the page uses
// and embedded in it (@font-face, data: URL).
//
// Why: Chromium's PDF writer does per-font work proportional to the whole font
// for every print: a system CJK font has 65,000 glyphs, and each of its faces
// used (regular, bold) cost about 0.6 s of every PDF here, a fixed cost on top
// of the pages, 1.5 s of the 41-page monthly pack's 1.9 s. The same font cut to
// the page's few hundred characters prints in a fraction of that, and the PDF is
// the same: Chromium embeds only the used glyphs either way.
//
// The cutting is HarfBuzz's subsetter (harfbuzzjs, WebAssembly). The font files
// are read once per process and kept (about 40 MB): the server and the desktop
// app print many times. Where no known font file is found (macOS: the system's
// PingFang is not a plain file we can rely on), the page keeps using the system
// fonts by name: slower to print, same result.
import { open, readFile, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'

/** The family name the print page uses first; it exists only inside the page. */
export const PRINT_FONT_FAMILY = 'CRM Print'

interface FontFile {
  /** Family name inside the file (a .ttc holds several). */
  family: string
  regular: string[]
  bold: string[]
}

const NOTO_DIRS = ['/usr/share/fonts/opentype/noto', '/usr/share/fonts/noto-cjk', '/usr/share/fonts/google-noto-cjk', '/usr/share/fonts/OTF', '/usr/share/fonts/noto']
const WINDOWS_FONTS = join(process.env.WINDIR ?? 'C:\\Windows', 'Fonts')

/** Where the families of CHART_FONT live, in its order of preference. */
export const FONT_FILES: FontFile[] = [
  { family: 'Noto Sans CJK SC', regular: NOTO_DIRS.map((d) => join(d, 'NotoSansCJK-Regular.ttc')), bold: NOTO_DIRS.map((d) => join(d, 'NotoSansCJK-Bold.ttc')) },
  { family: 'Microsoft YaHei', regular: [join(WINDOWS_FONTS, 'msyh.ttc')], bold: [join(WINDOWS_FONTS, 'msyhbd.ttc')] },
]

/** Family names (name IDs 1 and 16) of each face of an OpenType font or collection. */
export function faceFamilies(buf: Uint8Array): string[][] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const tag = (at: number) => String.fromCharCode(buf[at], buf[at + 1], buf[at + 2], buf[at + 3])
  const starts = tag(0) === 'ttcf' ? Array.from({ length: view.getUint32(8) }, (_, i) => view.getUint32(12 + 4 * i)) : [0]
  return starts.map((face) => {
    const tables = view.getUint16(face + 4)
    for (let t = 0; t < tables; t++) {
      const rec = face + 12 + 16 * t
      if (tag(rec) !== 'name') continue
      const name = view.getUint32(rec + 8)
      const count = view.getUint16(name + 2)
      const strings = name + view.getUint16(name + 4)
      const out = new Set<string>()
      for (let i = 0; i < count; i++) {
        const r = name + 6 + 12 * i
        const [platform, id, length, offset] = [view.getUint16(r), view.getUint16(r + 6), view.getUint16(r + 8), view.getUint16(r + 10)]
        if (id !== 1 && id !== 16) continue
        const bytes = buf.subarray(strings + offset, strings + offset + length)
        // Windows and Unicode platforms store UTF-16BE; the old Mac platform one byte a character (ASCII here).
        out.add(platform === 1 ? String.fromCharCode(...bytes) : new TextDecoder('utf-16be').decode(bytes))
      }
      return [...out]
    }
    return []
  })
}

// HarfBuzz's C API as exported by harfbuzzjs's subset build (pointers are numbers into its memory).
interface HarfBuzz {
  memory: { buffer: ArrayBuffer }
  _initialize(): void
  malloc(n: number): number
  free(p: number): void
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number
  hb_blob_destroy(blob: number): void
  hb_blob_get_data(blob: number, length: number): number
  hb_blob_get_length(blob: number): number
  hb_face_create(blob: number, index: number): number
  hb_face_destroy(face: number): void
  hb_face_reference_blob(face: number): number
  hb_subset_input_create_or_fail(): number
  hb_subset_input_destroy(input: number): void
  hb_subset_input_unicode_set(input: number): number
  hb_subset_or_fail(face: number, input: number): number
  hb_set_add(set: number, codepoint: number): void
}
const HB_MEMORY_MODE_READONLY = 1
// Node's WebAssembly global (this project's Node typings leave it out).
const wasmRuntime = (globalThis as unknown as { WebAssembly: { instantiate(bytes: Uint8Array): Promise<{ instance: { exports: unknown } }> } }).WebAssembly

interface LoadedFonts {
  hb: HarfBuzz
  regular: number
  bold: number
}

let loading: Promise<LoadedFonts | null> | null = null
/** HarfBuzz works on one memory: one subset at a time. */
let queue: Promise<unknown> = Promise.resolve()

async function exists(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false)
}

/** Reads the whole file straight into HarfBuzz's memory and opens the face named `family`. */
async function loadFace(hb: HarfBuzz, path: string, family: string): Promise<number | null> {
  const file = await open(path, 'r')
  try {
    const size = (await file.stat()).size
    const at = hb.malloc(size)
    let done = 0
    // A fresh view per read: nothing else allocates meanwhile (loads are serialized), but a view is cheap.
    while (done < size) {
      const { bytesRead } = await file.read(new Uint8Array(hb.memory.buffer, at + done, size - done), 0, size - done, done)
      if (bytesRead === 0) throw new Error(`${path}: short read`)
      done += bytesRead
    }
    const index = faceFamilies(new Uint8Array(hb.memory.buffer, at, size)).findIndex((names) => names.includes(family))
    if (index < 0) {
      hb.free(at)
      return null
    }
    // The blob keeps pointing at the file's bytes, which stay for the life of the process.
    const blob = hb.hb_blob_create(at, size, HB_MEMORY_MODE_READONLY, 0, 0)
    const face = hb.hb_face_create(blob, index)
    hb.hb_blob_destroy(blob)
    return face
  } finally {
    await file.close()
  }
}

async function firstExisting(paths: string[]): Promise<string | null> {
  for (const p of paths) if (await exists(p)) return p
  return null
}

async function instantiateHarfBuzz(): Promise<HarfBuzz> {
  // readFile, which Electron also serves from inside the app's asar archive.
  const wasm = await readFile(createRequire(import.meta.url).resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'))
  const hb = (await wasmRuntime.instantiate(wasm)).instance.exports as HarfBuzz
  hb._initialize()
  return hb
}

async function loadFonts(): Promise<LoadedFonts | null> {
  let hb: HarfBuzz | null = null
  for (const f of FONT_FILES) {
    const regular = await firstExisting(f.regular)
    if (!regular) continue
    hb ??= await instantiateHarfBuzz()
    const r = await loadFace(hb, regular, f.family)
    if (r === null) continue
    const bold = await firstExisting(f.bold)
    // Without a bold file the regular face serves both (Chromium then thickens it for bold text).
    const b = (bold && (await loadFace(hb, bold, f.family))) || r
    return { hb, regular: r, bold: b }
  }
  return null
}

/** Start reading the font files now (an export calls this before it builds its page). */
export function loadPrintFonts(): Promise<LoadedFonts | null> {
  loading ??= loadFonts().catch(() => null)
  return loading
}

function subset(hb: HarfBuzz, face: number, codepoints: Set<number>): Buffer | null {
  const input = hb.hb_subset_input_create_or_fail()
  if (input === 0) return null
  try {
    const set = hb.hb_subset_input_unicode_set(input)
    for (const cp of codepoints) hb.hb_set_add(set, cp)
    const result = hb.hb_subset_or_fail(face, input)
    if (result === 0) return null
    const blob = hb.hb_face_reference_blob(result)
    try {
      const at = hb.hb_blob_get_data(blob, 0)
      return Buffer.from(new Uint8Array(hb.memory.buffer, at, hb.hb_blob_get_length(blob)))
    } finally {
      hb.hb_blob_destroy(blob)
      hb.hb_face_destroy(result)
    }
  } finally {
    hb.hb_subset_input_destroy(input)
  }
}

/** Every character of `text`, and the printable ASCII range (digits of page numbers, entities' characters). */
export function codepointsOf(text: string): Set<number> {
  const out = new Set<number>()
  for (let c = 0x20; c < 0x7f; c++) out.add(c)
  for (const ch of text) out.add(ch.codePointAt(0)!)
  return out
}

/**
 * @font-face rules for PRINT_FONT_FAMILY (regular and bold) holding the
 * characters of `text`, or '' when no font file was found (the page then uses
 * the system fonts by name).
 */
export async function printFontFaces(text: string): Promise<string> {
  // CRM_PRINT_FONT=system: print with the system fonts by name, as before (for comparison).
  if (process.env.CRM_PRINT_FONT === 'system') return ''
  const fonts = await loadPrintFonts()
  if (!fonts) return ''
  const codepoints = codepointsOf(text)
  const run = queue.then(() => {
    const regular = subset(fonts.hb, fonts.regular, codepoints)
    const bold = fonts.bold === fonts.regular ? regular : subset(fonts.hb, fonts.bold, codepoints)
    if (!regular || !bold) return ''
    const face = (weight: number, data: Buffer) => `@font-face{font-family:'${PRINT_FONT_FAMILY}';font-weight:${weight};src:url(data:font/otf;base64,${data.toString('base64')})}`
    return fonts.bold === fonts.regular ? face(400, regular) : face(400, regular) + face(700, bold)
  })
  queue = run.catch(() => undefined)
  return run
}
