// The desktop printer with the `electron` module substituted (the Electron
// binary cannot run here): the print page goes to a hidden window in its own
// session, printToPDF gets A4, orientation, templates and margins in inches,
// chart images come from one window each via capturePage, and nothing is left behind.
import { existsSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'

const electron = vi.hoisted(() => {
  const windows: any[] = []
  const blocked: Array<(d: { url: string }, cb: (r: { cancel: boolean }) => void) => void> = []
  class BrowserWindow {
    destroyed = false
    loaded: string | null = null
    webContents = {
      printToPDF: vi.fn(async () => Buffer.from('%PDF-1.4 fake')),
      capturePage: vi.fn(async (rect: { x: number; y: number; width: number; height: number }) => ({ toPNG: () => Buffer.from(`png ${rect.y} ${rect.height}`) })),
    }
    constructor(public options: any) {
      windows.push(this)
    }
    async loadFile(file: string) {
      this.loaded = file
      if (!existsSync(file)) throw new Error('print file missing')
    }
    destroy() {
      this.destroyed = true
    }
  }
  const session = { fromPartition: vi.fn(() => ({ webRequest: { onBeforeRequest: (fn: any) => blocked.push(fn) } })) }
  return { windows, blocked, BrowserWindow, session }
})
vi.mock('electron', () => ({ BrowserWindow: electron.BrowserWindow, session: electron.session, shell: { openExternal: vi.fn() } }))

describe('Electron report printer', () => {
  it('prints the page with printToPDF in a hidden, sandboxed window of its own session', async () => {
    const { electronPrinterFactory, PRINT_PARTITION } = await import('../src-main/electron/pdf-electron')
    const { mmToInches } = await import('../src-main/reports/printer')
    const printer = await electronPrinterFactory()()
    const pdf = await printer.pdf('<html><body>销售漏斗</body></html>', { landscape: true, margin: { top: '20mm', bottom: '16mm', left: '12mm', right: '12mm' } })
    expect(pdf.toString()).toBe('%PDF-1.4 fake')
    const win = electron.windows.at(-1)
    expect(win.options).toMatchObject({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, partition: PRINT_PARTITION } })
    expect(win.webContents.printToPDF).toHaveBeenCalledWith({
      pageSize: 'A4',
      landscape: true,
      printBackground: true,
      margins: { top: 0.787, bottom: 0.63, left: 0.472, right: 0.472 },
    })
    expect(win.destroyed).toBe(true)
    expect(existsSync(win.loaded)).toBe(false)
    expect(mmToInches('25.4mm')).toBe(1)
    // The print session loads the print file and nothing else.
    const guard = electron.blocked[0]
    const decide = (url: string) => new Promise<boolean>((resolve) => guard({ url }, (r) => resolve(r.cancel)))
    expect(await decide(`file://${win.loaded}`)).toBe(false)
    expect(await decide('https://example.com/x.png')).toBe(true)
    expect(await decide('file:///etc/passwd')).toBe(true)
  })

  it('turns chart SVGs into PNGs from one offscreen window, one rectangle per chart', async () => {
    const { electronPrinterFactory } = await import('../src-main/electron/pdf-electron')
    const printer = await electronPrinterFactory()()
    const svg = '<svg width="100" height="50" xmlns="http://www.w3.org/2000/svg"></svg>'
    const pngs = await printer.pngs([{ svg, width: 100, height: 50 }, { svg, width: 100, height: 80 }], 2)
    expect(pngs.map((b) => b.toString())).toEqual(['png 0 100', 'png 100 160'])
    const win = electron.windows.at(-1)
    expect(win.options).toMatchObject({ show: false, width: 200, height: 260, useContentSize: true, webPreferences: { offscreen: true, sandbox: true } })
    expect(win.destroyed).toBe(true)
  })
})
