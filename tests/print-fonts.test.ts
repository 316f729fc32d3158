// The print page's embedded font: the system's Noto Sans CJK SC cut down to the
// page's characters (reports/print-fonts.ts). Real font files (Debian's
// fonts-noto-cjk, which .ci/run installs) and HarfBuzz itself to read the result.
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { codepointsOf, faceFamilies, FONT_FILES, printFontFaces } from '../src-main/reports/print-fonts'

const NOTO_REGULAR = FONT_FILES[0].regular[0]

/** The fonts inside the @font-face rules, with their weights. */
function embedded(css: string): Array<{ weight: number; data: Buffer }> {
  return [...css.matchAll(/font-weight:(\d+);src:url\(data:font\/otf;base64,([A-Za-z0-9+/=]+)\)/g)].map((m) => ({ weight: Number(m[1]), data: Buffer.from(m[2], 'base64') }))
}

async function unicodesOf(font: Buffer): Promise<Set<number>> {
  const hb = await import('harfbuzzjs')
  return new Set(new hb.Face(new hb.Blob(font)).collectUnicodes())
}

afterEach(() => {
  delete process.env.CRM_PRINT_FONT
})

describe('print fonts', () => {
  it('finds the Simplified Chinese face by name inside the Noto CJK collection', () => {
    const faces = faceFamilies(readFileSync(NOTO_REGULAR))
    expect(faces.length).toBeGreaterThanOrEqual(5)
    // Japanese first, then Korean, Simplified Chinese…: taking face 0 would print Japanese glyph forms.
    expect(faces.findIndex((names) => names.includes('Noto Sans CJK SC'))).toBe(2)
    expect(faces[0]).toContain('Noto Sans CJK JP')
  })

  it('cuts regular and bold to the characters of the page, and nothing else', async () => {
    const text = '销售漏斗 第 3 页，共 41 页 客户：杭州青禾机电有限公司 ¥1,280,000.00 (未填写)'
    const css = await printFontFaces(text)
    const fonts = embedded(css)
    expect(fonts.map((f) => f.weight)).toEqual([400, 700])
    expect(css).toContain("font-family:'CRM Print'")
    for (const { data } of fonts) {
      // A single face named as the system font it was cut from.
      expect(faceFamilies(data)).toEqual([expect.arrayContaining(['Noto Sans CJK SC'])])
      const has = await unicodesOf(data)
      for (const ch of text) expect(has.has(ch.codePointAt(0)!), `${ch} in the cut font`).toBe(true)
      // The printable ASCII range is always there (digits of page numbers).
      for (const ch of 'AZaz09%') expect(has.has(ch.codePointAt(0)!)).toBe(true)
      // Cut: a character the page does not use is not in it, and the font is small.
      expect(has.has('龙'.codePointAt(0)!)).toBe(false)
      expect(has.size).toBeLessThan(200)
      expect(data.length).toBeLessThan(120_000)
    }
    // Different pages get different cuts from the same loaded files.
    const other = embedded(await printFontFaces('龙'))
    expect((await unicodesOf(other[0].data)).has('龙'.codePointAt(0)!)).toBe(true)
  })

  it('collects every character once, astral ones whole', () => {
    const cps = codepointsOf('销售销售𠮷')
    expect(cps.has(0x9500)).toBe(true)
    expect(cps.has(0x20bb7)).toBe(true)
    expect(cps.has(0xd842)).toBe(false)
    expect(cps.size).toBe(95 + 3)
  })

  it('CRM_PRINT_FONT=system leaves the page on the system fonts', async () => {
    process.env.CRM_PRINT_FONT = 'system'
    expect(await printFontFaces('销售漏斗')).toBe('')
  })
})
