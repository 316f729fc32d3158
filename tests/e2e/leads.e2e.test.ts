// Leads, accounts, exports and personas in a real browser: `crm demo` + `crm
// serve` on a temp data dir, Debian Chromium through playwright-core. The
// exported files are read back with exceljs and compared with the list.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/core'
import { crm, launchBrowser, openAppPage, pageApi, serve, type Served, SHOTS } from './serve'

let server: Served
let browser: Browser
let page: Page
const problems: string[] = []
const downloads = tempDir('crm-e2e-leads-dl-')

beforeAll(async () => {
  const dataDir = tempDir('crm-e2e-leads-')
  const demo = crm(['demo', '--data-dir', dataDir, '--json'])
  expect(demo.status, demo.stderr).toBe(0)
  server = await serve(dataDir)
  browser = await launchBrowser()
  page = await openAppPage(browser, problems, { firstRunDone: true, downloads: true })
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const go = async (hashPath: string) => {
  await page.goto(`${server.url}/#${hashPath}`)
  await page.locator('.page').first().waitFor()
}
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) })

async function apiCall<T>(method: string, input: unknown): Promise<T> {
  if (!page.url().startsWith(server.url)) await go('/leads')
  return pageApi<T>(page, method, input)
}

interface LeadRow {
  id: number
  source: string | null
  status: string
  ownerId: number | null
  ownerName: string | null
}

/** Pick an option of an Element Plus select (by its data-testid) by visible text. */
async function choose(testid: string, text: string): Promise<void> {
  await page.locator(`[data-testid="${testid}"]`).click()
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: text }).first().click()
}

const totalText = async () => (await page.locator('.data-table__total').innerText()).replace(/[^\d]/g, '')
async function waitTotal(n: number): Promise<void> {
  await expect.poll(totalText, { timeout: 10_000 }).toBe(String(n))
}

describe('lead list', () => {
  it('filters by source and status flow; bulk-assigns two leads (kept after reload)', async () => {
    const expected = await apiCall<{ total: number; rows: LeadRow[] }>('leads:list', { source: '展会', status: 'new', pageSize: 100 })
    expect(expected.total).toBeGreaterThan(1)

    await go('/leads')
    await page.locator('[data-testid="list-table"] .el-table__row').first().waitFor()
    await shot('leads-list')
    await choose('filter-source', '展会')
    await page.locator('[data-testid="flow-new"]').click()
    await waitTotal(expected.total)
    expect(page.url()).toContain('source=')
    expect(page.url()).toContain('status=new')
    // Every row shown matches.
    const sources = await page.locator('[data-testid^="row-source-"]').allInnerTexts()
    expect(sources.length).toBeGreaterThan(0)
    expect(new Set(sources)).toEqual(new Set(['展会']))

    // Select two rows, assign them to a user none of them has.
    const [a, b] = expected.rows
    const users = await apiCall<Array<{ id: number; name: string; isActive: boolean }>>('users:list', {})
    const target = users.find((u) => u.isActive && u.id !== a.ownerId && u.id !== b.ownerId)!
    await page.locator(`[data-testid="select-${a.id}"]`).click()
    await page.locator(`[data-testid="select-${b.id}"]`).click()
    await expect.poll(() => page.locator('[data-testid="bulk-count"]').innerText()).toContain('2')
    await shot('leads-bulk-selection')
    await page.locator('[data-testid="bulk-assign"]').click()
    await choose('bulk-assign-user', target.name)
    await page.locator('[data-testid="bulk-assign-confirm"]').click()
    await expect.poll(() => page.locator(`[data-testid="row-owner-${a.id}"]`).innerText()).toBe(target.name)

    await page.reload()
    await page.locator('.page').first().waitFor()
    await waitTotal(expected.total)
    expect(await page.locator(`[data-testid="row-owner-${a.id}"]`).innerText()).toBe(target.name)
    expect(await page.locator(`[data-testid="row-owner-${b.id}"]`).innerText()).toBe(target.name)
    const stored = await apiCall<LeadRow>('leads:get', { id: b.id })
    expect(stored.ownerId).toBe(target.id)
    expect(problems).toEqual([])
  })

  it('saves the filtered list as a view and re-opens it after resetting', async () => {
    const expected = await apiCall<{ total: number }>('leads:list', { source: '展会', status: 'new' })
    await go('/leads?source=%E5%B1%95%E4%BC%9A&status=new')
    await waitTotal(expected.total)
    // Hide the e-mail-less mobile column so the view's columns differ from the default.
    await page.locator('[data-testid="columns-button"]').click()
    await page.locator('[data-testid="column-mobile"]').click()
    await page.keyboard.press('Escape')
    await page.locator('[data-testid="views-button"]').click()
    await page.locator('[data-testid="view-save"]').click()
    await page.locator('[data-testid="view-name"]').fill('展会新线索')
    await shot('leads-view-save')
    await page.locator('[data-testid="view-confirm"]').click()
    await expect.poll(() => page.locator('[data-testid="views-button"]').innerText()).toContain('展会新线索')

    // Back to everything, then pick the view again.
    await go('/leads')
    const all = await apiCall<{ total: number }>('leads:list', {})
    await waitTotal(all.total)
    await page.locator('[data-testid="views-button"]').click()
    await page.locator('[data-testid="view-展会新线索"]').click()
    await waitTotal(expected.total)
    expect(page.url()).toContain('status=new')
    const headers = await page.locator('[data-testid="list-table"] thead th').allInnerTexts()
    expect(headers.join('|')).not.toContain('手机')
    const views = await apiCall<Array<{ name: string; filters: Record<string, unknown>; columns: string[] }>>('views:list', { entity: 'leads' })
    const v = views.find((x) => x.name === '展会新线索')!
    expect(v.filters).toMatchObject({ source: '展会', status: 'new' })
    expect(v.columns).not.toContain('mobile')
    await shot('leads-view-open')
    expect(problems).toEqual([])
  })
})

describe('merge', () => {
  it('merges two selected leads into one, keeping the activities of both', async () => {
    const list = await apiCall<{ total: number; rows: LeadRow[] }>('leads:list', { source: '微博', pageSize: 100 })
    expect(list.total).toBeGreaterThan(1)
    const [keep, other] = list.rows
    const acts = async (leadId: number) => (await apiCall<{ total: number }>('activities:list', { leadId })).total
    const before = (await acts(keep.id)) + (await acts(other.id))
    await go('/leads?source=%E5%BE%AE%E5%8D%9A')
    await waitTotal(list.total)
    await page.locator(`[data-testid="select-${keep.id}"]`).click()
    await page.locator(`[data-testid="select-${other.id}"]`).click()
    await page.locator('[data-testid="bulk-merge"]').click()
    await page.locator('[data-testid="merge-dialog"]').waitFor()
    await page.locator(`[data-testid="merge-keep-${keep.id}"]`).click()
    await shot('leads-merge')
    await page.locator('[data-testid="merge-confirm"]').click()
    await waitTotal(list.total - 1)
    const after = await apiCall<{ rows: LeadRow[] }>('leads:list', { source: '微博', pageSize: 100 })
    expect(after.rows.map((r) => r.id)).toContain(keep.id)
    expect(after.rows.map((r) => r.id)).not.toContain(other.id)
    expect(await acts(keep.id)).toBe(before)
    expect(problems).toEqual([])
  })
})

describe('accounts list', () => {
  it('tags two selected accounts, then merges them', async () => {
    const list = await apiCall<{ total: number; rows: Array<{ id: number; name: string; tags: string[] }> }>('accounts:list', { industry: '化工', pageSize: 100 })
    expect(list.total).toBeGreaterThan(1)
    const [a, b] = list.rows
    await go('/accounts?industry=%E5%8C%96%E5%B7%A5')
    await waitTotal(list.total)
    await page.locator(`[data-testid="select-${a.id}"]`).click()
    await page.locator(`[data-testid="select-${b.id}"]`).click()
    await page.locator('[data-testid="bulk-tag"]').click()
    await page.locator('[data-testid="bulk-tag-input"]').click()
    await page.keyboard.type('端到端标签')
    await page.keyboard.press('Enter')
    // Close the tag picker's list, then confirm.
    await page.locator('.el-dialog__title:visible').filter({ hasText: '添加标签' }).click()
    await page.locator('[data-testid="bulk-tag-confirm"]').click()
    await expect.poll(async () => (await apiCall<{ tags: string[] }>('accounts:get', { id: b.id })).tags).toContain('端到端标签')
    expect((await apiCall<{ tags: string[] }>('accounts:get', { id: a.id })).tags).toContain('端到端标签')

    await page.locator('[data-testid="bulk-merge"]').click()
    await page.locator(`[data-testid="merge-keep-${a.id}"]`).click()
    await shot('accounts-merge')
    await page.locator('[data-testid="merge-confirm"]').click()
    await waitTotal(list.total - 1)
    const after = await apiCall<{ rows: Array<{ id: number }> }>('accounts:list', { industry: '化工', pageSize: 100 })
    expect(after.rows.map((r) => r.id)).not.toContain(b.id)
    expect(problems).toEqual([])
  })
})

describe('export', () => {
  it('exports the filtered list to .xlsx with the list’s rows and a frozen, styled header', async () => {
    const expected = await apiCall<{ total: number }>('leads:list', { source: '展会', status: 'new' })
    await go('/leads?source=%E5%B1%95%E4%BC%9A&status=new')
    await waitTotal(expected.total)
    await page.locator('[data-testid="export-button"]').click()
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-xlsx"]').click()])
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/)
    const file = join(downloads, download.suggestedFilename())
    await download.saveAs(file)

    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    const ws = wb.worksheets[0]
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String)
    expect(header).toContain('公司名称')
    expect(header).toContain('来源渠道')
    expect(header).toContain('状态')
    // The visible columns only: the table has no notes column, so neither has the file.
    expect(header).not.toContain('备注')
    let rows = 0
    const src = header.indexOf('来源渠道') + 1
    const st = header.indexOf('状态') + 1
    ws.eachRow((row, n) => {
      if (n === 1) return
      rows++
      expect(row.getCell(src).value).toBe('展会')
      expect(row.getCell(st).value).toBe('新线索')
    })
    expect(rows).toBe(expected.total)
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true)
    expect(ws.autoFilter).toBeTruthy()
    expect(problems).toEqual([])
  })

  it('exports CSV in UTF-8 with a BOM', async () => {
    await go('/leads?source=%E5%B1%95%E4%BC%9A')
    const expected = await apiCall<{ total: number }>('leads:list', { source: '展会' })
    await waitTotal(expected.total)
    await page.locator('[data-testid="export-button"]').click()
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-csv"]').click()])
    expect(download.suggestedFilename()).toMatch(/\.csv$/)
    const file = join(downloads, download.suggestedFilename())
    await download.saveAs(file)
    const bytes = readFileSync(file)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = bytes.subarray(3).toString('utf8')
    const lines = text.split(/\r?\n/).filter((l) => l.length > 0)
    expect(lines[0]).toContain('公司名称')
    // Every record is one line unless a field holds a line break; demo data has none in these columns.
    expect(lines.length - 1).toBe(expected.total)
  })

  it('exports the accounts and opportunities lists too', async () => {
    await go('/accounts')
    await page.locator('[data-testid="list-table"] .el-table__row').first().waitFor()
    await shot('accounts-list')
    await page.locator('[data-testid="export-button"]').click()
    const [d1] = await Promise.all([page.waitForEvent('download'), page.locator('.el-dropdown-menu:visible [data-testid="export-xlsx"]').click()])
    expect(d1.suggestedFilename()).toMatch(/\.xlsx$/)
    await go('/opportunities')
    await page.locator('[data-testid="list-table"] .el-table__row').first().waitFor()
    await page.locator('[data-testid="export-button"]').click()
    const [d2] = await Promise.all([page.waitForEvent('download'), page.locator('.el-dropdown-menu:visible [data-testid="export-xlsx"]').click()])
    expect(d2.suggestedFilename()).toMatch(/\.xlsx$/)
    const file = join(downloads, `opps-${d2.suggestedFilename()}`)
    await d2.saveAs(file)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    const header = (wb.worksheets[0].getRow(1).values as unknown[]).slice(1).map(String)
    expect(header).toEqual(['商机名称', '客户名称', '阶段', '金额（元）', '赢率', '预计成交日期', '负责人'])
    await shot('opportunities-list')
  })
})

describe('personas (客户画像)', () => {
  it('creates a persona, shows its counts and opens it as a lead list', async () => {
    await go('/segments')
    await page.locator('[data-testid="channels-card"]').waitFor()
    await page.locator('[data-testid="persona-create"]').click()
    await page.locator('[data-testid="persona-name"]').fill('展会来源客户')
    await page.locator('[data-testid="persona-description"]').fill('在展会上认识的潜在客户，重点跟进')
    await choose('persona-sources', '展会')
    await page.keyboard.press('Escape')
    const count = await apiCall<{ accounts: number; leads: number }>('segments:count', { criteria: { sources: ['展会'] } })
    expect(count.leads).toBeGreaterThan(0)
    await expect.poll(() => page.locator('[data-testid="persona-live-count"]').innerText()).toContain(`${count.leads} 条线索`)
    await shot('persona-dialog')
    await page.locator('[data-testid="persona-save"]').click()
    const card = page.locator('[data-testid="persona-展会来源客户"]')
    await card.waitFor()
    const personas = await apiCall<Array<{ id: number; name: string }>>('personas:list', {})
    const p = personas.find((x) => x.name === '展会来源客户')!
    expect(await page.locator(`[data-testid="persona-leads-${p.id}"]`).innerText()).toBe(String(count.leads))
    expect(await page.locator(`[data-testid="persona-accounts-${p.id}"]`).innerText()).toBe(String(count.accounts))
    await shot('segments')

    await page.locator(`[data-testid="persona-open-leads-${p.id}"]`).click()
    await expect.poll(() => page.url()).toContain(`persona=${p.id}`)
    await page.locator('[data-testid="segment-tag"]').waitFor()
    await waitTotal(count.leads)
    const sources = await page.locator('[data-testid^="row-source-"]').allInnerTexts()
    expect(new Set(sources)).toEqual(new Set(['展会']))
    await shot('leads-persona')

    await go(`/accounts?persona=${p.id}`)
    await page.locator('[data-testid="segment-tag"]').waitFor()
    if (count.accounts > 0) await waitTotal(count.accounts)
    expect(problems).toEqual([])
  })

  it('converts a lead into account, contact and opportunity from its page', async () => {
    const lead = (await apiCall<{ rows: Array<{ id: number; company: string | null; convertedAccountId: number | null }> }>('leads:list', { status: 'contacted', pageSize: 50 })).rows.find(
      (r) => r.company && !r.convertedAccountId,
    )!
    await go(`/leads/${lead.id}`)
    await page.locator('[data-testid="convert-button"]').click()
    await page.locator('[data-testid="convert-dialog"]').waitFor()
    await shot('lead-convert')
    await page.locator('[data-testid="convert-confirm"]').click()
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/#\/opportunities\/\d+/)
    const after = await apiCall<{ convertedAccountId: number | null; convertedOpportunityId: number | null; status: string }>('leads:get', { id: lead.id })
    expect(after.convertedAccountId).not.toBeNull()
    expect(after.convertedOpportunityId).not.toBeNull()
    expect(after.status).toBe('qualified')
    expect(problems).toEqual([])
  })
})
