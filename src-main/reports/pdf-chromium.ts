// Headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH) driven by
// playwright-core: prints the print page for `crm serve` and the command line.
// One browser per export job. Pages get no network (offline, every request
// refused) and carry a CSP without scripts; JavaScript stays on only because
// Chromium fills the page numbers of the header/footer templates with it.
import type { Browser, BrowserContext } from 'playwright-core'
import { chunkByHeight, svgGallery, type PdfOptions, type ReportPrinter, type SvgImage } from './printer'

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
}

export async function openChromiumPrinter(): Promise<ReportPrinter> {
  // Resolved at run time, not bundled: the desktop build prints with Electron and must not carry
  // playwright-core (a devDependency used by `crm serve` and the CLI, which run from node_modules).
  const name = 'playwright-core'
  const { chromium } = (await import(/* @vite-ignore */ name)) as typeof import('playwright-core')
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  let context: BrowserContext | null = null
  const ctx = async () => {
    if (!context) {
      context = await browser.newContext({ offline: true })
      await context.route('**/*', (route) => route.abort())
    }
    return context
  }
  return {
    async pdf(html: string, opts: PdfOptions): Promise<Buffer> {
      const page = await (await ctx()).newPage()
      try {
        await page.setContent(html, { waitUntil: 'load' })
        return await page.pdf({
          format: 'A4',
          landscape: opts.landscape,
          printBackground: true,
          displayHeaderFooter: true,
          headerTemplate: opts.headerTemplate,
          footerTemplate: opts.footerTemplate,
          margin: opts.margin,
        })
      } finally {
        await page.close()
      }
    },
    async pngs(images: SvgImage[], scale: number): Promise<Buffer[]> {
      const out: Buffer[] = []
      const page = await (await ctx()).newPage()
      try {
        // A viewport as tall as the gallery lets each shot be a plain clip (a full-page shot re-renders
        // the whole page every time); galleries are cut to stay within what a viewport can be.
        for (const group of chunkByHeight(images, scale, 12_000)) {
          const g = svgGallery(group, scale)
          await page.setViewportSize({ width: g.width, height: g.height })
          await page.setContent(g.html, { waitUntil: 'load' })
          for (const clip of g.rects) out.push(await page.screenshot({ type: 'png', clip }))
        }
        return out
      } finally {
        await page.close()
      }
    },
    async close() {
      await browser.close()
    },
  }
}
