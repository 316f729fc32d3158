// The app's start-up in a real browser (src-renderer/src/api/startup.ts, main.ts):
// opened on the board it asks the server once before its first paint and builds
// no Intl object; behind a login, the calls sent before signing in are asked
// again afterwards, so nothing the board shows is lost by signing in quickly.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/core'
import { crm, launchBrowser, openAppPage, pageApi, serve, type Served } from './serve'

const ADMIN = '王建国' // the demo company's administrator (src-main/demo/pools.ts)
const PASSWORD = 'Start-up-test-9'

let dataDir: string
let browser: Browser

beforeAll(async () => {
  dataDir = tempDir('crm-e2e-start-')
  const demo = crm(['demo', '--data-dir', dataDir, '--json'])
  expect(demo.status, demo.stderr).toBe(0)
  const passwd = crm(['passwd', '--data-dir', dataDir, '--user', ADMIN, '--password', PASSWORD])
  expect(passwd.status, passwd.stderr).toBe(0)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
})

/**
 * Opens the board and returns, from the page's own clock, the /api/ requests started
 * before its first card was in the DOM, and the Intl objects built before then. Timed in
 * the page: a busy test process notices the cards late, when later requests (the filter
 * bar's saved views) have already gone. Page code as text: no DOM types here.
 */
async function openBoardAndWatch(page: Page, url: string): Promise<{ api: string[]; intl: string[] }> {
  await page.addInitScript(`(() => {
    const made = (window.__crmIntl = [])
    for (const name of ['DateTimeFormat', 'NumberFormat', 'Collator', 'PluralRules', 'RelativeTimeFormat', 'ListFormat', 'Segmenter']) {
      const Original = Intl[name]
      Intl[name] = new Proxy(Original, { construct(target, args) { made.push({ name, at: performance.now() }); return Reflect.construct(target, args) } })
    }
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-testid="board-column-potential"] .bcard')) {
        window.__crmFirstCard = performance.now()
        observer.disconnect()
      }
    })
    observer.observe(document, { childList: true, subtree: true })
  })()`)
  await page.goto(`${url}/#/opportunities?view=board`)
  await page.locator('[data-testid="board-column-potential"] .bcard').first().waitFor()
  return (await page.evaluate(`(() => {
    const before = window.__crmFirstCard
    const api = performance.getEntriesByType('resource')
      .filter((e) => e.startTime < before)
      .map((e) => new URL(e.name).pathname)
      .filter((path) => path.startsWith('/api/'))
    const intl = window.__crmIntl.filter((x) => x.at < before).map((x) => x.name)
    return { api, intl }
  })()`)) as { api: string[]; intl: string[] }
}

describe('start-up', () => {
  it('opened on the board: one call (the batch) before the first cards, and no Intl object', async () => {
    const server: Served = await serve(dataDir)
    const problems: string[] = []
    try {
      const page = await openAppPage(browser, problems, { firstRunDone: true })
      const seen = await openBoardAndWatch(page, server.url)
      // The data:changed event stream (GET /api/events) opens as the app mounts; the calls are one request.
      expect(seen.api.filter((path) => path !== '/api/events'), JSON.stringify(seen.api)).toEqual(['/api/batch'])
      expect(seen.intl).toEqual([])
      // The cards show what the batch answered: the column's count is the server's.
      const board = await pageApi<{ columns: Array<{ stage: { key: string }; count: number }> }>(page, 'board:get', { perColumn: 1 })
      const potential = board.columns.find((c) => c.stage.key === 'potential')!
      await expect.poll(() => page.locator('[data-testid="board-column-potential"] .bcol__count').innerText()).toBe(String(potential.count))
      await page.close()
      expect(problems, JSON.stringify(problems)).toEqual([])
    } finally {
      await server.stop()
    }
  })

  it('behind a login: signing in at once still gets the pipelines and the board sent for before', async () => {
    // Any address but loopback needs a login (src-main/server/http.ts).
    const server = await serve(dataDir, ['--host', '0.0.0.0'])
    const url = server.url.replace('0.0.0.0', '127.0.0.1')
    const problems: string[] = []
    try {
      const signIn = async (page: Page) => {
        await page.getByPlaceholder('用户名').fill(ADMIN)
        await page.getByPlaceholder('密码').fill(PASSWORD)
        await page.keyboard.press('Enter')
        await page.locator('[data-testid="board-column-potential"] .bcard').first().waitFor()
      }
      // A second pipeline: the board's filter bar then offers a choice of pipeline.
      const first = await openAppPage(browser, problems, { firstRunDone: true })
      await first.goto(`${url}/#/opportunities?view=board`)
      await signIn(first)
      await pageApi(first, 'pipelines:create', { name: '软件订阅' })
      await first.close()

      // A new browser session: the start-up calls go out before signing in and are refused;
      // the board, signed in a moment later, asks again for what it needs.
      const page = await openAppPage(browser, problems, { firstRunDone: true })
      const asked: string[] = []
      page.on('request', (req) => {
        const path = new URL(req.url()).pathname
        if (path.startsWith('/api/')) asked.push(path)
      })
      await page.goto(`${url}/#/opportunities?view=board`)
      await signIn(page)
      await page.locator('[data-testid="filter-pipeline"]').waitFor({ timeout: 15_000 })
      expect(asked[0]).toBe('/api/batch')
      expect(asked).toContain('/api/pipelines:list')
      await page.close()
      expect(problems, JSON.stringify(problems)).toEqual([])
    } finally {
      await server.stop()
    }
  })
})
