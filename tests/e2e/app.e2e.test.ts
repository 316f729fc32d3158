import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/core'
import { crm, launchBrowser, openAppPage, pageApi, serve, type Served, SHOTS } from './serve'

let server: Served
let browser: Browser
let page: Page
const problems: string[] = []

beforeAll(async () => {
  const dataDir = tempDir('crm-e2e-')
  const demo = crm(['demo', '--data-dir', dataDir, '--json'])
  expect(demo.status, demo.stderr).toBe(0)
  server = await serve(dataDir)
  browser = await launchBrowser()
  page = await openAppPage(browser, problems)
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const PAGES = [
  ['dashboard', '/', '工作台'],
  ['leads', '/leads', '线索'],
  ['accounts', '/accounts', '客户'],
  ['opportunities', '/opportunities', '商机'],
  ['activities', '/activities', '跟进'],
  ['reports', '/reports', '报表'],
  ['import-export', '/import-export', '导入导出'],
  ['settings', '/settings', '设置'],
] as const

describe('the app in a real browser, served by `crm serve`', () => {
  it('shows every main page in Chinese, populated by the demo company', async () => {
    await page.goto(server.url)
    await page.waitForSelector('[data-testid="nav-accounts"]')
    for (const [name, path, label] of PAGES) {
      await page.goto(`${server.url}${path}`)
      await page.waitForLoadState('networkidle')
      await page.waitForTimeout(300)
      const nav = page.locator(`[data-testid="nav-${name}"]`)
      await expect(nav.innerText()).resolves.toContain(label)
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false })
    }
    await page.goto(`${server.url}/accounts`)
    await page.waitForSelector('[data-testid="list-table"] .el-table__row')
    // The demo company fills the list: more than one page of customers.
    expect(await page.locator('[data-testid="list-table"] .el-table__row').count()).toBeGreaterThan(5)
    expect(problems).toEqual([])
  })

  it('creates an account, lists it and opens its detail page', async () => {
    const name = `端到端测试客户 ${Date.now()}`
    await page.goto(`${server.url}/accounts`)
    await page.click('[data-testid="create-button"]')
    await page.waitForSelector('[data-testid="record-form"]')
    await page.fill('[data-testid="field-name"] input, input[data-testid="field-name"]', name)
    await page.click('[data-testid="form-submit"]')
    await page.fill('[data-testid="search-input"] input, input[data-testid="search-input"]', name)
    const row = page.locator('[data-testid="list-table"]').getByText(name)
    await row.waitFor()
    await row.click()
    await page.waitForSelector('[data-testid="detail-title"]')
    expect(await page.locator('[data-testid="detail-title"]').innerText()).toContain(name)
    await page.screenshot({ path: join(SHOTS, 'account-detail.png') })
    expect(problems).toEqual([])
  })

  it('shows a clear message, in Chinese, when the form is submitted empty', async () => {
    await page.goto(`${server.url}/accounts`)
    await page.click('[data-testid="create-button"]')
    await page.waitForSelector('[data-testid="record-form"]')
    await page.click('[data-testid="form-submit"]')
    await page.waitForSelector('.el-form-item__error, .el-message--error')
    const text = await page.locator('.el-form-item__error, .el-message--error').first().innerText()
    expect(text).toMatch(/[\u4e00-\u9fff]/)
  })

  it('finds customers, leads and deals from the top search box; Enter opens the first hit', async () => {
    await page.goto(server.url)
    await page.waitForSelector('[data-testid="nav-accounts"]')
    // A term from the demo company: the start of a deal's customer name, so customers and deals both match.
    const deals = await pageApi<{ rows: Array<{ accountName: string | null }> }>(page, 'opportunities:list', { page: 1, pageSize: 1 })
    const term = deals.rows[0].accountName!.slice(0, 4)
    const paging = { q: term, page: 1, pageSize: 5 }
    const accounts = await pageApi<{ rows: Array<{ id: number; name: string }> }>(page, 'accounts:list', paging)
    const leads = await pageApi<{ rows: Array<{ company: string | null; contactName: string | null }> }>(page, 'leads:list', paging)
    const opps = await pageApi<{ rows: Array<{ title: string }> }>(page, 'opportunities:list', paging)
    expect(accounts.rows.length).toBeGreaterThan(0)
    expect(opps.rows.length).toBeGreaterThan(0)

    const box = page.locator('input[data-testid="global-search"]')
    await box.fill(term)
    const hits = page.locator('.global-search-popper .results__hit .results__title')
    await hits.first().waitFor()
    await expect.poll(() => hits.allInnerTexts()).toEqual([
      ...accounts.rows.map((a) => a.name),
      ...leads.rows.map((l) => l.company ?? l.contactName ?? ''),
      ...opps.rows.map((o) => o.title),
    ])
    await page.screenshot({ path: join(SHOTS, 'global-search.png') })

    // Enter opens the first hit: the first customer's detail page.
    await box.press('Enter')
    await page.waitForURL(`**/#/accounts/${accounts.rows[0].id}`)
    await expect.poll(() => page.locator('[data-testid="detail-title"]').innerText()).toContain(accounts.rows[0].name)

    // Nothing found is said so, with the term.
    await box.fill('无此客户之名')
    await expect.poll(() => page.locator('.global-search-popper .results__status').innerText()).toBe('没有找到与「无此客户之名」相关的记录')
    expect(problems).toEqual([])
  })
})
