// Report printing on the desktop: Electron's own Chromium prints the same print
// page as headless Chromium does for `crm serve` (webContents.printToPDF), and
// screenshots chart SVGs for the workbook (capturePage). Thin on purpose: the
// page itself is built in reports/print-page.ts.
//
// Hidden windows in their own in-memory session that may load nothing but the
// one local file, with JavaScript off; the page carries a CSP without scripts.
import { BrowserWindow, session } from 'electron'
import { randomBytes } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chunkByHeight, mmToInches, svgGallery, type PdfOptions, type PrinterFactory, type ReportPrinter, type SvgImage } from '../reports/printer'
import { SECURE_WEB_PREFERENCES } from './window'

export const PRINT_PARTITION = 'crm-print'

async function withPage<T>(html: string, size: { width: number; height: number } | null, fn: (win: BrowserWindow) => Promise<T>): Promise<T> {
  const file = join(tmpdir(), `crm-print-${randomBytes(8).toString('hex')}.html`)
  writeFileSync(file, html)
  const win = new BrowserWindow({
    show: false,
    ...(size ? { width: size.width, height: size.height, useContentSize: true } : {}),
    // No script: the print page and the chart gallery are static, and printing needs none.
    webPreferences: { ...SECURE_WEB_PREFERENCES, javascript: false, partition: PRINT_PARTITION, offscreen: size !== null },
  })
  try {
    await win.loadFile(file)
    return await fn(win)
  } finally {
    win.destroy()
    rmSync(file, { force: true })
  }
}

export function electronPrinterFactory(): PrinterFactory {
  let guarded = false
  return async (): Promise<ReportPrinter> => {
    if (!guarded) {
      // Only the temporary print file itself may load.
      session.fromPartition(PRINT_PARTITION).webRequest.onBeforeRequest((details, callback) => callback({ cancel: !details.url.startsWith('file:') || !details.url.includes('crm-print-') }))
      guarded = true
    }
    return {
      pdf: (html: string, opts: PdfOptions) =>
        withPage(html, null, async (win) =>
          win.webContents.printToPDF({
            pageSize: 'A4',
            landscape: opts.landscape,
            printBackground: true,
            margins: { top: mmToInches(opts.margin.top), bottom: mmToInches(opts.margin.bottom), left: mmToInches(opts.margin.left), right: mmToInches(opts.margin.right) },
          }),
        ),
      async pngs(images: SvgImage[], scale: number): Promise<Buffer[]> {
        const out: Buffer[] = []
        for (const group of chunkByHeight(images, scale, 4_000)) {
          const g = svgGallery(group, scale)
          const shots = await withPage(g.html, { width: g.width, height: g.height }, async (win) => {
            const list: Buffer[] = []
            for (const rect of g.rects) list.push((await win.webContents.capturePage(rect)).toPNG())
            return list
          })
          out.push(...shots)
        }
        return out
      },
      close: async () => {},
    }
  }
}
