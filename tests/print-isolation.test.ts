// The headless printer (reports/pdf-chromium.ts over cdp-pipe.ts) prints what
// it is given and nothing else: no script runs, nothing is fetched, and a
// missing browser is a clear error rather than a hang.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openChromiumPrinter } from '../src-main/reports/pdf-chromium'
import { AppError } from '../src-main/shared/errors'

const OPTS = { landscape: false, margin: { top: '10mm', bottom: '10mm', left: '10mm', right: '10mm' } }
let dir: string
let server: Server
let hits: string[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crm-print-isolation-'))
  server = createServer((req, res) => {
    hits.push(req.url ?? '')
    res.end('x')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
  rmSync(dir, { recursive: true, force: true })
})

const pdfText = (pdf: Buffer, name: string) => {
  const file = join(dir, name)
  writeFileSync(file, pdf)
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
}

describe('headless print page', () => {
  it('runs no script and fetches nothing, even when the page asks to', async () => {
    hits = []
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    // No CSP here on purpose: the printer's own settings must hold without the page's help.
    const html = `<!doctype html><meta charset="utf-8"><body><h1>销售漏斗 打印</h1>
      <script>document.body.append('SCRIPT RAN')</script>
      <img src="${base}/image.png"><link rel="stylesheet" href="${base}/style.css"><iframe src="${base}/frame"></iframe>
      <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/%3E"></body>`
    const printer = await openChromiumPrinter()
    try {
      const text = pdfText(await printer.pdf(html, OPTS), 'isolated.pdf')
      expect(text).toContain('销售漏斗 打印')
      expect(text).not.toContain('SCRIPT RAN')
      // The same page, twice: the second print in the session is just as closed.
      expect(pdfText(await printer.pdf(html, OPTS), 'again.pdf')).not.toContain('SCRIPT RAN')
    } finally {
      await printer.close()
    }
    expect(hits).toEqual([])
  }, 60_000)

  it('a missing browser fails the print with the reason, and leaves nothing running', async () => {
    const saved = process.env.CHROMIUM_PATH
    process.env.CHROMIUM_PATH = join(dir, 'no-such-chromium')
    try {
      const printer = await openChromiumPrinter()
      const failed = printer.pdf('<p>x</p>', OPTS)
      await expect(failed).rejects.toThrow(/Chromium.*(ENOENT|failed to start)/)
      // What the export job shows: the reason and what to do, in the user's language.
      const err = (await failed.catch((e: unknown) => e)) as AppError
      expect(err).toBeInstanceOf(AppError)
      expect(err.toData('zh-CN')).toMatchObject({ code: 'PDF_BROWSER_UNAVAILABLE', message: expect.stringContaining('请安装 Chromium 和中文字体') })
      expect(err.toData('zh-CN').message).toContain('no-such-chromium')
      await printer.close()
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH
      else process.env.CHROMIUM_PATH = saved
    }
  })
})
