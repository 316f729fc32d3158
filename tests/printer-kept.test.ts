// crm serve keeps one headless Chromium for report exports: several exports
// share it (each in its own context), it closes after the idle time, and the
// next export starts a new one (withPrinter uses the factory set for the process, as crm serve sets it). And the HTTP server tells crm serve which
// methods are called, which is how report pages warm the printer.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumLaunches, keptChromium } from '../src-main/reports/pdf-chromium'
import { withPrinter, setPrinterFactory } from '../src-main/reports/printer'
import { startHttpServer } from '../src-main/server/http'
import { createTestCore, type TestCore } from './helpers/core'

let t: TestCore
beforeAll(async () => {
  t = await createTestCore()
})
afterAll(async () => t.cleanup())

const PAGE = '<!doctype html><meta charset="utf-8"><body style="font-family:\'Noto Sans CJK SC\'"><h1>月度报表 第一页</h1></body>'
const OPTS = { landscape: false, margin: { top: '10mm', bottom: '10mm', left: '10mm', right: '10mm' } }

describe('kept Chromium printer', () => {
  it('serves several exports with one browser, closes it when idle, and starts a new one after', async () => {
    const kept = keptChromium(400)
    try {
      setPrinterFactory(kept.factory)
      const before = chromiumLaunches()
      kept.warm()
      await kept.ready()
      const pdfs = await Promise.all([1, 2].map(() => withPrinter((p) => p.pdf(PAGE, OPTS))))
      const third = await withPrinter((p) => p.pdf(PAGE, OPTS))
      expect(chromiumLaunches() - before).toBe(1)
      for (const [i, pdf] of [...pdfs, third].entries()) {
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
        const file = join(t.dir, `kept-${i}.pdf`)
        writeFileSync(file, pdf)
        expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('月度报表 第一页')
      }
      // Idle past the limit: the browser is closed, and the next export starts another.
      await new Promise((r) => setTimeout(r, 1500))
      await withPrinter((p) => p.pdf(PAGE, OPTS))
      expect(chromiumLaunches() - before).toBe(2)
    } finally {
      await kept.close()
    }
  }, 60_000)

  it('the HTTP server reports each called method to onCall', async () => {
    const called: string[] = []
    const server = await startHttpServer({ db: t.database.db, dispatcher: t.dispatcher, bus: t.bus, staticDir: t.dir, port: 0, onCall: (m) => called.push(m), log: { error: () => {}, info: () => {} } })
    try {
      const res = await fetch(`${server.url}/api/reports:funnel`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
      expect(res.status).toBeLessThan(500)
      expect(called).toContain('reports:funnel')
    } finally {
      await server.close()
    }
  })
})
