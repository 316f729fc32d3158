// Headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH) driven over
// the DevTools protocol on a pipe (cdp-pipe.ts): prints the print page for
// `crm serve` and the command line. Each export gets its own browser context
// with JavaScript off and every network request refused; the page carries a
// CSP without scripts too.
import { AppError } from '../shared/errors'
import { CdpError, COMMAND_TIMEOUT_MS, launchCdp, type CdpBrowser } from './cdp-pipe'
import { chunkByHeight, mmToInches, svgGallery, type PdfOptions, type PrinterFactory, type ReportPrinter, type SvgImage } from './printer'

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

let launches = 0

async function launchBrowser(): Promise<CdpBrowser> {
  launches++
  let browser: CdpBrowser
  try {
    browser = await launchCdp(chromiumPath(), CHROMIUM_ARGS)
  } catch (e) {
    // Most often Chromium is not installed (crm serve on a new machine): say so, in the user's language.
    throw new AppError('PDF_BROWSER_UNAVAILABLE', { path: chromiumPath(), detail: e instanceof Error ? e.message : String(e) })
  }
  // Nothing is fetched: a print page is one self-contained document (fonts and images are data: URLs).
  browser.on('Fetch.requestPaused', (params, sessionId) => {
    void browser.send('Fetch.failRequest', { requestId: params.requestId, errorReason: 'BlockedByClient' }, sessionId).catch(() => undefined)
  })
  return browser
}

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
}

/** A4 in inches, as Page.printToPDF wants it. */
const A4 = { width: 8.27, height: 11.7 }

/** One page in a browser context of its own (closing it disposes the context). */
class PrintTab {
  /** Operations on the one page run one after another. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly browser: CdpBrowser,
    private readonly contextId: string,
    private readonly sessionId: string,
    private readonly frameId: string,
  ) {}

  static async open(browser: CdpBrowser): Promise<PrintTab> {
    const { browserContextId } = await browser.send<{ browserContextId: string }>('Target.createBrowserContext', { disposeOnDetach: true })
    const { targetId } = await browser.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank', browserContextId })
    const { sessionId } = await browser.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true })
    const [, , , tree] = await Promise.all([
      browser.send('Page.enable', {}, sessionId),
      browser.send('Emulation.setScriptExecutionDisabled', { value: true }, sessionId),
      browser.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] }, sessionId),
      browser.send<{ frameTree: { frame: { id: string } } }>('Page.getFrameTree', {}, sessionId),
    ])
    return new PrintTab(browser, browserContextId, sessionId, tree.frameTree.frame.id)
  }

  private run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn)
    this.queue = next.catch(() => undefined)
    return next
  }

  /** Replace the document and wait for its load event (fonts decoded, images ready). */
  private async load(html: string): Promise<void> {
    let off = () => {}
    let timer: NodeJS.Timeout | undefined
    const loaded = new Promise<void>((resolve, reject) => {
      off = this.browser.on('Page.loadEventFired', (_p, session) => session === this.sessionId && resolve())
      this.browser.exited.then(() => reject(new CdpError('Chromium exited while loading the print page')), () => undefined)
      timer = setTimeout(() => reject(new CdpError(`the print page did not load within ${COMMAND_TIMEOUT_MS / 1000} s`)), COMMAND_TIMEOUT_MS)
    })
    // Awaited below; if setDocumentContent fails first, a later rejection must not go unhandled.
    loaded.catch(() => undefined)
    try {
      await this.browser.send('Page.setDocumentContent', { frameId: this.frameId, html }, this.sessionId)
      await loaded
    } finally {
      off()
      clearTimeout(timer)
    }
  }

  pdf(html: string, opts: PdfOptions): Promise<Buffer> {
    return this.run(async () => {
      await this.load(html)
      const { data } = await this.browser.send<{ data: string }>(
        'Page.printToPDF',
        {
          landscape: opts.landscape,
          printBackground: true,
          paperWidth: A4.width,
          paperHeight: A4.height,
          marginTop: mmToInches(opts.margin.top),
          marginBottom: mmToInches(opts.margin.bottom),
          marginLeft: mmToInches(opts.margin.left),
          marginRight: mmToInches(opts.margin.right),
          // Headless Chromium would tag the PDF by default: two and a half times the size and slower to
          // write, for a structure tree that a report of tables and charts gets little from.
          generateTaggedPDF: false,
        },
        this.sessionId,
      )
      return Buffer.from(data, 'base64')
    })
  }

  pngs(images: SvgImage[], scale: number): Promise<Buffer[]> {
    return this.run(async () => {
      const out: Buffer[] = []
      // A viewport as tall as the gallery lets each shot be a plain clip (a full-page shot re-renders
      // the whole page every time); galleries are cut to stay within what a viewport can be.
      for (const group of chunkByHeight(images, scale, 12_000)) {
        const g = svgGallery(group, scale)
        await this.browser.send('Emulation.setDeviceMetricsOverride', { width: g.width, height: g.height, deviceScaleFactor: 1, mobile: false }, this.sessionId)
        await this.load(g.html)
        for (const clip of g.rects) {
          const { data } = await this.browser.send<{ data: string }>('Page.captureScreenshot', { format: 'png', clip: { ...clip, scale: 1 } }, this.sessionId)
          out.push(Buffer.from(data, 'base64'))
        }
      }
      return out
    })
  }

  async close(): Promise<void> {
    await this.queue
    if (this.browser.isRunning()) await this.browser.send('Target.disposeBrowserContext', { browserContextId: this.contextId }).catch(() => undefined)
  }
}

export async function openChromiumPrinter(): Promise<ReportPrinter> {
  // The browser starts in the background: the caller builds its page (report queries, chart SVGs)
  // meanwhile, and the first print waits for it. Starting Chromium and its first page takes a
  // second or two, as long as building a pack's page, and the two need not wait for each other.
  const launching = launchBrowser()
  // A failed launch is reported by the print that needs the browser, not as an unhandled rejection.
  launching.catch(() => undefined)
  return printerOn(launching, true)
}

/** A context and its page, opened as soon as the browser is up (the renderer process takes longest to start). */
function openTab(launching: Promise<CdpBrowser>): Promise<PrintTab> {
  const tab = launching.then((b) => PrintTab.open(b))
  tab.catch(() => undefined)
  return tab
}

/** A printer on its own context; `owned`: closing the printer closes the browser. */
function printerOn(launching: Promise<CdpBrowser>, owned: boolean, tab: Promise<PrintTab> = openTab(launching)): ReportPrinter {
  return {
    pdf: async (html, opts) => (await tab).pdf(html, opts),
    pngs: async (images, scale) => (await tab).pngs(images, scale),
    async close() {
      await (await tab.catch(() => null))?.close()
      if (owned) await (await launching.catch(() => null))?.close()
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
 * starting Chromium and its first page takes one and a half to two seconds,
 * with both cores busy (the desktop app prints with Electron's own Chromium,
 * always up).
 * Each export still gets its own context (no network), closed after it.
 */
export function keptChromium(idleMs = 10 * 60_000): KeptChromium {
  let browser: Promise<CdpBrowser> | null = null
  let timer: NodeJS.Timeout | null = null
  let exporting = 0
  // A context and page opened in advance for the next export (about half a second of its start).
  let spare: { browser: Promise<CdpBrowser>; tab: Promise<PrintTab> } | null = null
  const takeTab = (launching: Promise<CdpBrowser>): Promise<PrintTab> => {
    const t = spare && spare.browser === launching ? spare.tab : openTab(launching)
    spare = null
    return t
  }
  const prepareSpare = () => {
    const b = browser
    if (b && !spare) spare = { browser: b, tab: openTab(b) }
  }
  const dropSpare = () => {
    const s = spare
    spare = null
    void s?.tab.then((t) => t.close()).catch(() => undefined)
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
  const get = (): Promise<CdpBrowser> => {
    if (!browser) {
      const p = launchBrowser()
      browser = p
      // A browser that crashed or failed to start is started again by the next export.
      p.then((b) => b.exited.then(() => browser === p && (browser = null))).catch(() => browser === p && (browser = null))
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
      const printer = printerOn(launching, false, takeTab(launching))
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
