// Headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH) driven by
// playwright-core: prints the print page for `crm serve` and the command line.
// One browser per export job. Pages get no network (offline, every request
// refused) and carry a CSP without scripts; JavaScript stays on only because
// Chromium fills the page numbers of the header/footer templates with it.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { chunkByHeight, svgGallery, type PdfOptions, type ReportPrinter, type SvgImage } from './printer'

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

async function launchBrowser(): Promise<Browser> {
  // Resolved at run time, not bundled: the desktop build prints with Electron and must not carry
  // playwright-core (a devDependency used by `crm serve` and the CLI, which run from node_modules).
  const name = 'playwright-core'
  const { chromium } = (await import(/* @vite-ignore */ name)) as typeof import('playwright-core')
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
}

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
}

export async function openChromiumPrinter(): Promise<ReportPrinter> {
  // The browser starts in the background: the caller builds its page (report queries, chart SVGs)
  // meanwhile, and the first print waits for it. Starting Chromium takes a second or more, as long
  // as building a pack's page, and the two need not wait for each other.
  const launching = launchBrowser()
  // A failed launch is reported by the print that needs the browser, not as an unhandled rejection.
  launching.catch(() => undefined)
  let context: Promise<BrowserContext> | null = null
  const ctx = () =>
    (context ??= launching.then(async (browser) => {
      const c = await browser.newContext({ offline: true })
      await c.route('**/*', (route) => route.abort())
      return c
    }))
  // The first page too: creating it starts Chromium's renderer process, which takes longer than
  // launching the browser (1.5 s against 0.8 s here), and is just as independent of the caller's work.
  let first: Promise<Page> | null = ctx().then((c) => c.newPage())
  first.catch(() => undefined)
  const newPage = async (): Promise<Page> => {
    const ready = first
    first = null
    return (await ready?.catch(() => null)) ?? (await ctx()).newPage()
  }
  return {
    async pdf(html: string, opts: PdfOptions): Promise<Buffer> {
      const page = await newPage()
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
      const page = await newPage()
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
      await (await first?.catch(() => null))?.close().catch(() => undefined)
      const browser = await launching.catch(() => null)
      await browser?.close()
    },
  }
}
