// What the exports need from a browser engine: print HTML to PDF, and turn
// chart SVGs into PNGs for the workbook. Two implementations: headless
// Chromium over the DevTools protocol (crm serve, the command line) and
// Electron's own Chromium (the desktop app, electron/pdf-electron.ts).
/**
 * The page's own CSS (@page) sets size, margins and the running header and
 * footer (margin boxes); these are passed too, so both engines agree even where
 * a setting would otherwise come from the printer's defaults.
 */
export interface PdfOptions {
  landscape: boolean
  margin: { top: string; bottom: string; left: string; right: string }
}

export interface SvgImage {
  svg: string
  width: number
  height: number
}

export interface ReportPrinter {
  pdf(html: string, opts: PdfOptions): Promise<Buffer>
  /** PNGs of SVGs drawn at `scale` × their size (2 = sharp in Excel and in print), all from one page. */
  pngs(images: SvgImage[], scale: number): Promise<Buffer[]>
  close(): Promise<void>
}

export type PrinterFactory = () => Promise<ReportPrinter>

/** "20mm" → inches, as both engines' print calls want margins. */
export function mmToInches(v: string): number {
  const m = /^([\d.]+)mm$/.exec(v.trim())
  if (!m) throw new Error(`margin ${v} is not in mm`)
  return Math.round((Number(m[1]) / 25.4) * 1000) / 1000
}

let factory: PrinterFactory = async () => (await import('./pdf-chromium')).openChromiumPrinter()

/** The desktop app installs Electron's printer at start; everything else uses headless Chromium. */
export function setPrinterFactory(f: PrinterFactory): void {
  factory = f
}

export async function withPrinter<T>(fn: (p: ReportPrinter) => Promise<T>): Promise<T> {
  const printer = await factory()
  try {
    return await fn(printer)
  } finally {
    // The file is ready before the browser has exited (a few hundred ms more): the caller does not
    // wait for that, and a browser that fails to close is not the export's failure. A process that
    // ends (the CLI) still waits for it: the open connection keeps it alive until then.
    void printer.close().catch(() => undefined)
  }
}

export interface Gallery {
  html: string
  width: number
  height: number
  /** Where each image sits on the page, in CSS px. */
  rects: Array<{ x: number; y: number; width: number; height: number }>
}

/**
 * One page showing the SVGs scaled and stacked with no gaps, so one load and
 * one layout serve every screenshot: image i is the rectangle rects[i].
 */
export function svgGallery(images: SvgImage[], scale: number): Gallery {
  let y = 0
  const rects: Gallery['rects'] = []
  const parts = images.map((im) => {
    const w = Math.round(im.width * scale)
    const h = Math.round(im.height * scale)
    rects.push({ x: 0, y, width: w, height: h })
    y += h
    return im.svg.replace(/^<svg /, `<svg style="display:block;width:${w}px;height:${h}px" `)
  })
  const width = Math.max(1, ...rects.map((r) => r.width))
  return {
    html: `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><style>html,body{margin:0;background:#fff;width:${width}px}</style></head><body>${parts.join('')}</body></html>`,
    width,
    height: Math.max(1, y),
    rects,
  }
}

/** Consecutive groups whose scaled heights add up to at most `max` px (a taller image goes alone). */
export function chunkByHeight(images: SvgImage[], scale: number, max: number): SvgImage[][] {
  const groups: SvgImage[][] = []
  let current: SvgImage[] = []
  let h = 0
  for (const im of images) {
    const ih = Math.round(im.height * scale)
    if (current.length > 0 && h + ih > max) {
      groups.push(current)
      current = []
      h = 0
    }
    current.push(im)
    h += ih
  }
  if (current.length > 0) groups.push(current)
  return groups
}
