// The contacts list and the import history in a real browser: `crm demo` + a
// `crm import` with bad rows (an old batch whose day-old download folder is
// then swept) + `crm serve`, Debian Chromium through playwright-core. The
// filtered contact list is exported and read back with exceljs; the old
// batch's rejected rows are downloaded again from the history, and a deleted
// file gives a clear message.
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/core'
import { crm, launchBrowser, messageShown, openAppPage, pageApi, serve, type Served, SHOTS } from './serve'

let server: Served
let browser: Browser
let page: Page
let dataDir: string
let batchId: number
const problems: string[] = []
const downloads = tempDir('crm-e2e-contacts-dl-')

beforeAll(async () => {
  dataDir = tempDir('crm-e2e-contacts-')
  const demo = crm(['demo', '--data-dir', dataDir, '--json'])
  expect(demo.status, demo.stderr).toBe(0)
  // An earlier import with two bad rows (written by hand, UTF-8 with BOM as Excel saves CSV).
  const csv = join(dataDir, '展会名单.csv')
  writeFileSync(
    csv,
    '\ufeff' + ['公司名称,联系人,手机,邮箱', '杭州云帆科技,王芳,13800000001,wang@yunfan.cn', '坏邮箱公司,李四,13800000002,li@@bad', '坏手机公司,张三,12345,', '苏州精工,刘洋,13900000002,'].join('\r\n') + '\r\n',
  )
  const imp = crm(['import', csv, '--data-dir', dataDir, '--json'])
  expect(imp.status, imp.stderr).toBe(0)
  const result = JSON.parse(imp.stdout) as { rejected: number; batch: number }
  expect(result.rejected).toBe(2)
  batchId = result.batch
  // A day later the download folder is swept: only the batch's own copy is left.
  rmSync(join(dataDir, 'files'), { recursive: true, force: true })

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
const tid = (id: string) => page.locator(`[data-testid="${id}"]`)
const totalText = async () => (await page.locator('.data-table__total').innerText()).replace(/[^\d]/g, '')

interface ContactRow { id: number; name: string; accountId: number; accountName: string; ownerId: number | null; ownerName: string | null }
type ContactPage = { rows: ContactRow[]; total: number }

async function readXlsx(file: string): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(file)
  return wb.worksheets[0]
}

describe('contacts list', () => {
  it('lists every contact, filters by owner and keyword, exports the filtered list, and opens a row’s account', async () => {
    await go('/contacts')
    await page.locator('[data-testid="list-table"] .el-table__row').first().waitFor()
    const all = await pageApi<ContactPage>(page, 'contacts:list', { pageSize: 100 })
    expect(all.total).toBeGreaterThan(50)
    await expect.poll(totalText).toBe(String(all.total))
    expect(await tid('nav-contacts').getAttribute('class')).toContain('is-active')
    await shot('contacts-list')

    // An owner with enough contacts, and a surname common among them.
    const owned = all.rows.find((r) => r.ownerId !== null)!
    const ofOwner = await pageApi<ContactPage>(page, 'contacts:list', { ownerId: owned.ownerId, pageSize: 500 })
    const surname = [...ofOwner.rows.map((r) => r.name[0])].sort((a, b) => ofOwner.rows.filter((r) => r.name[0] === b).length - ofOwner.rows.filter((r) => r.name[0] === a).length)[0]
    const expected = await pageApi<ContactPage>(page, 'contacts:list', { ownerId: owned.ownerId, q: surname, pageSize: 500 })
    expect(expected.total).toBeGreaterThan(0)
    expect(expected.total).toBeLessThan(all.total)

    await tid('filter-owner').click()
    await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: owned.ownerName! }).first().click()
    await expect.poll(totalText, { timeout: 10_000 }).toBe(String(ofOwner.total))
    await page.fill('[data-testid="search-input"] input, input[data-testid="search-input"]', surname)
    await expect.poll(totalText, { timeout: 10_000 }).toBe(String(expected.total))
    expect(page.url()).toContain(`ownerId=${owned.ownerId}`)
    const body = await page.locator('[data-testid="list-table"] .el-table__body').innerText()
    for (const r of expected.rows.slice(0, 5)) expect(body).toContain(r.name)
    // Primary contacts are marked (the table has caught up with the last filter).
    const primaries = expected.rows.slice(0, 20).filter((r) => (r as ContactRow & { isPrimary: boolean }).isPrimary).length
    await expect.poll(() => page.locator('[data-testid="list-table"] .primary-tag').count(), { timeout: 5_000 }).toBe(primaries)
    await shot('contacts-filtered')

    // Export: the filtered list with its visible columns, read back with exceljs.
    const [download] = await Promise.all([page.waitForEvent('download'), tid('export-button').click().then(() => page.locator('.el-dropdown-menu:visible [data-testid="export-xlsx"]').click())])
    expect(download.suggestedFilename()).toMatch(/^联系人-.*\.xlsx$/)
    const file = join(downloads, download.suggestedFilename())
    await download.saveAs(file)
    const ws = await readXlsx(file)
    expect(ws.rowCount - 1).toBe(expected.total)
    const header = (ws.getRow(1).values as unknown[]).slice(1)
    expect(header).toEqual(['姓名', '客户名称', '职务', '手机', '邮箱', '微信', '负责人', '创建时间'])
    const names = new Set<string>()
    for (let n = 2; n <= ws.rowCount; n++) {
      const row = ws.getRow(n)
      expect(row.getCell(7).value).toBe(owned.ownerName)
      expect(String(row.getCell(1).value)).toContain(surname)
      names.add(String(row.getCell(1).value))
    }
    for (const r of expected.rows) expect(names.has(r.name)).toBe(true)

    // A selection exports just those rows.
    const first = expected.rows[0]
    await tid(`select-${first.id}`).click()
    await tid('selection-bar').waitFor()
    expect(await tid('selection-count').innerText()).toContain('1')
    await expect.poll(() => tid(`select-${first.id}`).getAttribute('class')).toContain('is-checked')
    await page.waitForTimeout(400) // the box's colour transition, for the screenshot
    await shot('contacts-selection')
    const [d2] = await Promise.all([
      page.waitForEvent('download'),
      tid('selection-bar').locator('[data-testid="export-button"]').click().then(() => page.locator('.el-dropdown-menu:visible [data-testid="export-xlsx"]').click()),
    ])
    const selFile = join(downloads, `sel-${d2.suggestedFilename()}`)
    await d2.saveAs(selFile)
    const sel = await readXlsx(selFile)
    expect(sel.rowCount).toBe(2)
    expect(sel.getRow(2).getCell(1).value).toBe(first.name)

    // The account filter from the URL (as a link would set it), then a click on a row opens the account.
    const ofAccount = await pageApi<ContactPage>(page, 'contacts:list', { accountId: first.accountId })
    await go(`/contacts?accountId=${first.accountId}`)
    await expect.poll(totalText, { timeout: 10_000 }).toBe(String(ofAccount.total))
    await expect.poll(async () => (await tid('filter-account').innerText()) + (await tid('filter-account').locator('input').inputValue())).toContain(first.accountName)
    await page.locator(`[data-testid="contact-${first.id}"]`).click()
    await expect.poll(() => page.url()).toContain(`#/accounts/${first.accountId}`)
    await page.locator('.page-header__title').filter({ hasText: first.accountName }).waitFor()

    // In English too.
    await page.evaluate("localStorage.setItem('crm.locale', 'en')")
    await go('/contacts')
    await page.reload() // the locale is read at start
    await page.locator('[data-testid="list-table"] .el-table__row').first().waitFor()
    expect(await page.locator('.page-header__title').innerText()).toBe('Contacts')
    expect(await tid('nav-contacts').innerText()).toContain('Contacts')
    await shot('contacts-list-en')
    await page.evaluate("localStorage.setItem('crm.locale', 'zh-CN')")
    expect(problems).toEqual([])
  })
})

describe('import history', () => {
  it('downloads an old batch’s rejected rows again; a file deleted from disk gives a clear message', async () => {
    await go('/import-export')
    await page.reload() // back in Chinese (the first test ends in English)
    const history = tid('import-history')
    await history.locator('.el-table__row').first().waitFor()
    const button = tid(`import-history-rejected-${batchId}`)
    await button.waitFor()
    await page.locator('.el-message').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined)
    await shot('import-history')

    const [download] = await Promise.all([page.waitForEvent('download'), button.click()])
    expect(download.suggestedFilename()).toBe('展会名单-未导入的行.xlsx')
    const file = join(downloads, download.suggestedFilename())
    await download.saveAs(file)
    const ws = await readXlsx(file)
    expect(ws.rowCount).toBe(3)
    expect([ws.getRow(2).getCell(1).value, ws.getRow(3).getCell(1).value]).toEqual(['坏邮箱公司', '坏手机公司'])

    // Someone deletes the kept file: the button says why instead of failing silently.
    rmSync(join(dataDir, 'imports'), { recursive: true, force: true })
    await button.click()
    await messageShown(page, `第 ${batchId} 批导入的“未导入的行”文件已不在磁盘上`, 'error')
    await page.waitForTimeout(400) // the message has faded in (for the screenshot)
    await shot('import-history-file-gone')
    // The error is shown, not thrown: no page error.
    expect(problems.filter((p) => !p.includes('Failed to load resource'))).toEqual([])
  })
})
