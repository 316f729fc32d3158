// Headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH) driven by
// playwright-core: prints the print page for `crm serve` and the command line.
// One browser per export job. Pages get no network (offline, every request
// refused) and carry a CSP without scripts.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { chunkByHeight, svgGallery, type PdfOptions, type PrinterFactory, type ReportPrinter, type SvgImage } from './printer'

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

let launches = 0

async function launchBrowser(): Promise<Browser> {
  // Resolved at run time, not bundled: the desktop build prints with Electron and must not carry
  // playwright-core (a devDependency used by `crm serve` and the CLI, which run from node_modules).
  const name = 'playwright-core'
  const { chromium } = (await import(/* @vite-ignore */ name)) as typeof import('playwright-core')
  launches++
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
  return printerOn(launching, true)
}

/** A printer with its own context (no network) on a browser; `owned`: closing the printer closes the browser. */
/** A fresh context that loads nothing, and its first page. */
interface Session {
  context: Promise<BrowserContext>
  first: Promise<Page>
}

function openSession(launching: Promise<Browser>): Session {
  const context = launching.then(async (browser) => {
    const c = await browser.newContext({ offline: true, javaScriptEnabled: false })
    await c.route('**/*', (route) => route.abort())
    return c
  })
  // The first page too: creating it starts Chromium's renderer process, which takes longer than
  // launching the browser (1.5 s against 0.8 s here), and is just as independent of the caller's work.
  const first = context.then((c) => c.newPage())
  context.catch(() => undefined)
  first.catch(() => undefined)
  return { context, first }
}

function printerOn(launching: Promise<Browser>, owned: boolean, session: Session = openSession(launching)): ReportPrinter {
  const context = session.context
  let first: Promise<Page> | null = session.first
  const newPage = async (): Promise<Page> => {
    const ready = first
    first = null
    return (await ready?.catch(() => null)) ?? (await context).newPage()
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
      if (owned) await (await launching.catch(() => null))?.close()
      else await (await context.catch(() => null))?.close().catch(() => undefined)
    },
  }
}

/** Chromium processes started by this process (tests check that a kept browser serves several exports). */
export function chromiumLaunches(): number {
  return launches
}

export interface KeptChromium {
  /** For setPrinterFactory: each export gets its own context on the kept browser. */
  factory: PrinterFactory
  /** Start the browser now if it is not running, and keep it another idle period. */
  warm(): void
  /** Resolves once the browser is up (or failed to start). */
  ready(): Promise<void>
  close(): Promise<void>
}

/**
 * `crm serve`: one headless Chromium kept between exports, started when someone
 * works with the reports (the server calls warm()) and closed after `idleMs`
 * without any. An export then costs the report work and the printing only:
 * starting Chromium and its first page is about three seconds of the monthly
 * pack's six (the desktop app prints with Electron's own Chromium, always up).
 * Each export still gets its own context (no network), closed after it.
 */
export function keptChromium(idleMs = 10 * 60_000): KeptChromium {
  let browser: Promise<Browser> | null = null
  let timer: NodeJS.Timeout | null = null
  let exporting = 0
  // A context and page opened in advance for the next export (about half a second of its start).
  let spare: { browser: Promise<Browser>; session: Session } | null = null
  const takeSession = (launching: Promise<Browser>): Session => {
    const s = spare && spare.browser === launching ? spare.session : openSession(launching)
    spare = null
    return s
  }
  const prepareSpare = () => {
    const b = browser
    if (b && !spare) spare = { browser: b, session: openSession(b) }
  }
  const dropSpare = () => {
    const s = spare
    spare = null
    void s?.session.context.then((c) => c.close()).catch(() => undefined)
  }
  const stopTimer = () => {
    if (timer) clearTimeout(timer)
    timer = null
  }
  const idleLater = () => {
    stopTimer()
    if (exporting > 0 || !browser) return
    timer = setTimeout(() => {
      const b = browser
      browser = null
      spare = null
      void b?.then((x) => x.close()).catch(() => undefined)
    }, idleMs)
    timer.unref()
  }
  const get = (): Promise<Browser> => {
    if (!browser) {
      const p = launchBrowser()
      browser = p
      // A browser that crashed or failed to start is started again by the next export.
      p.then((b) => b.on('disconnected', () => browser === p && (browser = null))).catch(() => browser === p && (browser = null))
    }
    return browser
  }
  return {
    warm() {
      // The idle time counts from when the browser is up (and no export is running).
      get().then(() => {
        prepareSpare()
        idleLater()
      }, () => undefined)
    },
    async ready() {
      await get().catch(() => undefined)
    },
    factory: async () => {
      exporting++
      stopTimer()
      const launching = get()
      launching.catch(() => undefined)
      const printer = printerOn(launching, false, takeSession(launching))
      return {
        ...printer,
        async close() {
          try {
            await printer.close()
          } finally {
            exporting--
            if (browser === launching) prepareSpare()
            idleLater()
          }
        },
      }
    },
    async close() {
      stopTimer()
      dropSpare()
      const b = browser
      browser = null
      await (await b?.catch(() => null))?.close()
    },
  }
}
