import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/core'
import { crm, launchBrowser, openAppPage, serve, type Served, SHOTS } from './serve'

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
})
