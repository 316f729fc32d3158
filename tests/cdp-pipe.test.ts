// The DevTools-protocol pipe under the headless printer (reports/cdp-pipe.ts),
// against a stand-in browser process (tests/fixtures/fake-cdp-browser.mjs):
// framing across and within chunks, events, errors, and the ways a browser can
// fail — it stops answering, it dies mid-command, it never comes up.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { launchCdp } from '../src-main/reports/cdp-pipe'

const FAKE = join(import.meta.dirname, 'fixtures', 'fake-cdp-browser.mjs')
const fake = (mode: string, opts?: Parameters<typeof launchCdp>[2]) => launchCdp(process.execPath, [FAKE, mode], opts)

describe('CDP pipe', () => {
  it('pairs replies with commands and delivers events, whatever the chunking', async () => {
    const b = await fake('split')
    try {
      const events: Array<[unknown, string | undefined]> = []
      const off = b.on('Fake.event', (p, session) => events.push([p, session]))
      // Several commands in flight at once, one to a page session; replies arrive a byte at a time.
      const [a, c] = await Promise.all([b.send('Fake.echo', { n: 1, text: '销售漏斗' }), b.send('Fake.echo', { n: 2 }, 'S1')])
      expect(a).toEqual({ echo: { n: 1, text: '销售漏斗' }, sessionId: null })
      expect(c).toEqual({ echo: { n: 2 }, sessionId: 'S1' })
      expect(events).toEqual([
        [{ for: 'Fake.echo', text: '中文 ✓' }, undefined],
        [{ for: 'Fake.echo', text: '中文 ✓' }, 'S1'],
      ])
      off()
      await b.send('Fake.echo')
      expect(events).toHaveLength(2)
      await expect(b.send('Fake.fail')).rejects.toThrow('Fake.fail: no such thing')
    } finally {
      await b.close()
    }
    expect(b.isRunning()).toBe(false)
    await expect(b.send('Fake.echo')).rejects.toThrow(/not running/)
  }, 20_000)

  it('a browser that stops answering fails the command after the time limit', async () => {
    const b = await fake('silent', { commandTimeoutMs: 300 })
    try {
      await expect(b.send('Page.printToPDF')).rejects.toThrow('Chromium did not answer Page.printToPDF within 0.3 s')
    } finally {
      await b.close()
    }
  }, 20_000)

  it('a browser that dies fails the commands in flight', async () => {
    const b = await fake('die')
    await expect(b.send('Page.printToPDF')).rejects.toThrow(/Chromium exited 3 \(Page\.printToPDF\)/)
    await b.exited
    expect(b.isRunning()).toBe(false)
  }, 20_000)

  it('a browser that sends a broken message is ended, and the command fails with the reason, not the process', async () => {
    const b = await fake('garbage')
    await expect(b.send('Page.printToPDF')).rejects.toThrow(/Chromium exited SIGKILL \(Page\.printToPDF\): sent a message that is not JSON: \{"id": oops/)
    expect(b.isRunning()).toBe(false)
  }, 20_000)

  it('a browser that never comes up is killed at the start limit', async () => {
    const t = performance.now()
    await expect(fake('never', { startTimeoutMs: 500, commandTimeoutMs: 100 })).rejects.toThrow('Chromium did not answer Browser.getVersion within 0.5 s')
    expect(performance.now() - t).toBeGreaterThanOrEqual(500)
  }, 20_000)
})
