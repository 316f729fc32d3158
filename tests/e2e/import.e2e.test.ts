// The import wizard in a real browser: `crm demo` + `crm serve`, Debian Chromium.
// A GBK-encoded CSV (written here with iconv-lite, as Excel on Chinese Windows
// does, not by exceljs) goes through upload → sheet/header → mapping → preview →
// run → result; the leads appear in the lead list with normalised mobiles; undo
// removes them again. A larger file shows the progress bar and is cancelled.
import { join, resolve } from 'node:path'
import iconv from 'iconv-lite'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/core'
import { crm, launchBrowser, pageApi, serve, type Served, SHOTS, watchProblems } from './serve'

let server: Served
let browser: Browser
let context: BrowserContext
let page: Page
const problems: string[] = []

beforeAll(async () => {
  const dataDir = tempDir('crm-e2e-import-')
  const demo = crm(['demo', '--data-dir', dataDir, '--json'])
  expect(demo.status, demo.stderr).toBe(0)
  server = await serve(dataDir)
  browser = await launchBrowser()
  context = await browser.newContext({ viewport: { width: 1440, height: 960 }, locale: 'zh-CN', acceptDownloads: true })
  await context.addInitScript("localStorage.setItem('crm.firstRunDone', '1')")
  page = await context.newPage()
  watchProblems(page, problems)
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const go = (p: Page, hashPath: string) => p.goto(`${server.url}/#${hashPath}`)
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `import-${name}.png`), fullPage: true })
const tid = (id: string) => page.locator(`[data-testid="${id}"]`)

const apiCall = <T>(method: string, input: unknown) => pageApi<T>(page, method, input)

interface LeadRow { id: number; company: string | null; mobile: string | null; email: string | null; source: string | null; ownerId: number | null; ownerName: string | null }
const leadsMatching = (q: string) => apiCall<{ rows: LeadRow[]; total: number }>('leads:list', { q, pageSize: 50 })

async function pickOption(trigger: string, text: string): Promise<void> {
  await tid(trigger).click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: text }).first().click()
  // Let the drop-down finish closing, so the next pick finds only its own options.
  await page.locator('.el-select-dropdown:visible').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined)
  await page.waitForTimeout(300)
}

describe('import wizard', () => {
  it('imports a GBK CSV through every step, shows it in the lead list, and undoes it', async () => {
    await go(page, '/import-export')
    await tid('import-wizard').waitFor()
    await shot('0-start')

    // An existing demo lead with an owner: a row for the same company under another owner is a 撞单.
    const demoLeads = await apiCall<{ rows: LeadRow[] }>('leads:list', { pageSize: 50 })
    const owned = demoLeads.rows.find((l) => l.ownerId !== null && l.company && l.mobile)!
    expect(owned).toBeTruthy()
    const users = await apiCall<Array<{ id: number; name: string; isActive: boolean }>>('users:list', {})
    const other = users.find((u) => u.isActive && u.id !== owned.ownerId)!

    const csv = [
      '公司名称,联系人,手机号码,邮箱,来源',
      '杭州云帆科技有限公司,王磊,+86 138 0013 8000,WANG.LEI@YUNFAN.CN,展会',
      '苏州启明软件有限公司,李娜,139-1234-5678,LiNa@QiMing.COM,微信',
      '宁波泽川贸易有限公司,张伟,(+86) 137 0013 7000,ZHANG.WEI@ZECHUAN.CN,转介绍',
      '成都蓝海信息技术有限公司,赵敏,12345,zhao@lanhai,官网',
      `${owned.company},陈静,${owned.mobile},,展会`, // same mobile as a demo lead of another rep
    ].join('\r\n')
    const bytes = iconv.encode(`${csv}\r\n`, 'gbk')
    expect(bytes.includes(Buffer.from('公司名称', 'utf8'))).toBe(false) // really not UTF-8

    // Step 1: target (线索 by default) and the file.
    await expect(tid('import-target-leads').getAttribute('aria-checked')).resolves.toBe('true')
    await tid('import-file-input').setInputFiles({ name: '展会线索-GBK.csv', mimeType: 'text/csv', buffer: bytes })
    await expect.poll(() => tid('import-file-name').textContent(), { timeout: 15_000 }).toBe('展会线索-GBK.csv')
    expect(await tid('import-drop').innerText()).toContain('GBK')
    await shot('1-file')

    // Step 2: the header row is found.
    await tid('import-next').click()
    await expect.poll(() => tid('import-header-row').textContent()).toBe('第 1 行')
    await shot('2-sheet')

    // Step 3: every column mapped from its Chinese header; the whole file gets an owner.
    await tid('import-next').click()
    await tid('import-mapping').waitFor()
    const mappedTo = async (i: number) => (await tid(`import-map-${i}`).innerText()).trim()
    expect([await mappedTo(0), await mappedTo(1), await mappedTo(2), await mappedTo(3), await mappedTo(4)]).toEqual(['公司名称', '联系人', '手机', '邮箱', '来源渠道'])
    await pickOption('import-owner', other.name)
    await shot('3-mapping')
    // The mapping and options saved as a reusable template.
    await tid('import-save-template').click()
    const prompt = page.locator('.el-message-box')
    await prompt.waitFor()
    expect(await prompt.locator('input').inputValue()).toBe('展会线索-GBK')
    await prompt.locator('.el-message-box__btns .el-button--primary').click()
    await expect.poll(() => tid('import-template').innerText()).toContain('展会线索-GBK')
    const templates = await apiCall<Array<{ name: string; columns: Array<{ header: string; target: unknown }>; options: { ownerId?: number } }>>('import:templates', { target: 'leads' })
    expect(templates).toHaveLength(1)
    expect(templates[0].options.ownerId).toBe(other.id)
    expect(templates[0].columns.find((c) => c.header === '手机号码')?.target).toEqual({ kind: 'field', field: 'mobile' })

    // Step 4: preview — the bad row with its reasons, the duplicate with its 撞单.
    await tid('import-next').click()
    await tid('import-preview-table').waitFor()
    await expect.poll(() => tid('import-preview-rejected').locator('.count__value').innerText()).toBe('1')
    expect(await tid('import-preview-willImport').locator('.count__value').innerText()).toBe('3')
    expect(await tid('import-preview-duplicates').locator('.count__value').innerText()).toBe('1')
    expect(await tid('import-preview-clashes').locator('.count__value').innerText()).toBe('1')
    const table = await tid('import-preview-table').innerText()
    expect(table).toContain('手机格式不正确：12345')
    expect(table).toContain('邮箱格式不正确：zhao@lanhai')
    expect(table).toContain(`撞单：已由 ${owned.ownerName} 跟进`)
    expect(table).toContain('13800138000')
    expect(table).toContain('wang.lei@yunfan.cn')
    // The whole file checked by a dry run (nothing kept).
    await tid('import-check-all').click()
    await expect.poll(() => tid('import-check').innerText(), { timeout: 30_000 }).toContain('整个文件（5 行）：将新建 3 · 将更新 0 · 重复 1 · 有错误 1 · 撞单 1')
    expect((await leadsMatching('云帆科技')).total).toBe(0)
    await shot('4-preview')

    // Step 5 → 6: run as a job, then the result.
    await tid('import-next').click()
    await tid('import-result').waitFor({ timeout: 30_000 })
    const count = (k: string) => tid(`import-result-${k}`).locator('.count__value').innerText()
    expect([await count('imported'), await count('updated'), await count('duplicates'), await count('rejected')]).toEqual(['3', '0', '1', '1'])
    expect(await tid('import-result-errors').innerText()).toContain('5')
    await expect(tid('import-download-rejected').isVisible()).resolves.toBe(true)
    await shot('6-result')

    // The rejected rows download as an .xlsx.
    const [download] = await Promise.all([page.waitForEvent('download'), tid('import-download-rejected').click()])
    expect(download.suggestedFilename()).toMatch(/未导入的行\.xlsx$/)

    // The lead list (a second tab) shows the imported leads with normalised mobiles.
    const list = await context.newPage()
    await go(list, '/leads?q=云帆科技')
    await list.locator('.el-table__row').first().waitFor()
    const listText = await list.locator('.el-table__body').innerText()
    expect(listText).toContain('杭州云帆科技有限公司')
    expect(listText).toContain('13800138000')
    expect(listText).toContain(other.name)
    await list.screenshot({ path: join(SHOTS, 'import-7-lead-list.png') })
    const imported = await leadsMatching('有限公司')
    const byCompany = new Map(imported.rows.map((l) => [l.company, l]))
    expect(byCompany.get('苏州启明软件有限公司')).toMatchObject({ mobile: '13912345678', email: 'lina@qiming.com', source: '微信', ownerId: other.id })
    expect(byCompany.get('宁波泽川贸易有限公司')?.mobile).toBe('13700137000')
    expect(byCompany.has('成都蓝海信息技术有限公司')).toBe(false)

    // The link opens the list.
    await tid('import-open-list').click()
    await expect.poll(() => page.url()).toContain('#/leads')
    await page.goBack()
    await tid('import-history').locator('.el-table__row').first().waitFor()
    const batches = await apiCall<Array<{ id: number; status: string }>>('import:batches', {})
    const batchId = batches[0].id
    expect(batches[0].status).toBe('done')

    // Undo from the history, with a confirmation.
    await tid(`import-history-undo-${batchId}`).click()
    const box = page.locator('.el-message-box')
    await box.waitFor()
    await shot('8-undo-confirm')
    await box.locator('.el-button--danger').click()
    await expect.poll(async () => (await apiCall<Array<{ id: number; status: string }>>('import:batches', {}))[0].status).toBe('undone')
    await expect.poll(() => tid('import-history').innerText()).toContain('已撤销')
    await shot('9-history')
    await list.reload()
    await list.locator('.el-table__empty-text').waitFor()
    expect(await list.locator('.el-table__body').innerText()).not.toContain('杭州云帆科技有限公司')
    expect((await leadsMatching('云帆科技')).total).toBe(0)
    expect((await leadsMatching(owned.company!)).total).toBeGreaterThan(0) // the demo lead stays
    await list.close()
    expect(problems).toEqual([])
  }, 120_000)

  it('refuses a legacy .xls with advice, and cancels a running import leaving nothing', async () => {
    await go(page, '/import-export')
    await page.reload()
    await tid('import-wizard').waitFor()
    // An OLE2 (.xls) header: a clear message, no crash.
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4096)])
    await tid('import-file-input').setInputFiles({ name: '老客户.xls', mimeType: 'application/vnd.ms-excel', buffer: ole })
    await tid('import-error').waitFor()
    expect(await tid('import-error').innerText()).toMatch(/\.xlsx/)
    await shot('1-xls-refused')
    // The refusal is an HTTP 400 the browser logs; nothing else may be.
    expect(problems.splice(0).every((p) => p.includes('status of 400'))).toBe(true)

    // A larger UTF-8 file (over 4 MB: read by the worker thread), big enough to be still running when
    // Cancel is confirmed: the job reports progress and stops on cancel.
    const lines = ['客户名称,联系人,手机,邮箱']
    for (let i = 0; i < 150_000; i++) lines.push(`测试公司${i},联系人${i},1${String(3000000000 + i)},u${i}@example.com`)
    await tid('import-file-input').setInputFiles({ name: '大名单.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n'), 'utf8') })
    await expect.poll(() => tid('import-file-name').textContent(), { timeout: 30_000 }).toBe('大名单.csv')
    const before = (await apiCall<unknown[]>('import:batches', {})).length
    await tid('import-next').click()
    await tid('import-next').click()
    await tid('import-mapping').waitFor()
    await tid('import-next').click()
    await tid('import-preview-table').waitFor({ timeout: 30_000 })
    await tid('import-next').click()
    await tid('import-run').waitFor()
    await expect.poll(() => tid('import-progress-rows').innerText(), { timeout: 30_000 }).toMatch(/已处理 [\d,]+ \/ [\d,]+ 行/)
    expect(await tid('import-run').innerText()).toMatch(/行\/秒/)
    await shot('5-running')
    await tid('import-cancel').click()
    await page.locator('.el-message-box').waitFor()
    await shot('5-cancel-confirm')
    await page.locator('.el-message-box .el-button--danger').click()
    await tid('import-run-ended').waitFor({ timeout: 30_000 })
    expect(await tid('import-run-ended').innerText()).toContain('导入已取消')
    await shot('5-cancelled')
    expect((await apiCall<unknown[]>('import:batches', {})).length).toBe(before)
    expect((await leadsMatching('测试公司')).total).toBe(0)
    expect(problems).toEqual([])
  }, 120_000)

  it('moves deal history: the public 8,800-deal CSV as opportunities, with stage mapping, new owners, and undo from the result', async () => {
    await go(page, '/import-export')
    await page.reload()
    await tid('import-wizard').waitFor()
    await tid('import-target-opportunities').click()
    const file = resolve(__dirname, '../../../shared/data/crm-sales-opportunities/sales_pipeline.csv')
    await tid('import-file-input').setInputFiles(file)
    await expect.poll(() => tid('import-file-name').textContent(), { timeout: 20_000 }).toBe('sales_pipeline.csv')
    await tid('import-next').click()
    await tid('import-next').click()
    await tid('import-stage-map').waitFor()
    // Won/Lost are recognised; the two others are chosen here.
    expect(await tid('import-stage-Won').innerText()).toContain('成交')
    expect(await tid('import-stage-Lost').innerText()).toContain('输单')
    await pickOption('import-stage-Engaging', '意向商机')
    await pickOption('import-stage-Prospecting', '潜在商机')
    await shot('3-mapping-opportunities')
    await tid('import-next').click()
    await tid('import-preview-table').waitFor({ timeout: 30_000 })
    expect(await tid('import-preview-rejected').locator('.count__value').innerText()).toBe('0')
    await shot('4-preview-opportunities')
    await tid('import-next').click()
    await tid('import-result').waitFor({ timeout: 60_000 })
    expect(await tid('import-result-imported').locator('.count__value').innerText()).toBe('8,800')
    expect(await tid('import-created-users').locator('.el-tag').count()).toBe(30)
    await shot('6-result-opportunities')
    // Undo from the result page.
    await tid('import-undo').click()
    await page.locator('.el-message-box .el-button--danger').click()
    await expect.poll(() => tid('import-result').innerText(), { timeout: 30_000 }).toContain('已撤销')
    const left = await apiCall<{ total: number }>('opportunities:list', { q: 'Cancity' })
    expect(left.total).toBe(0)
    expect(problems).toEqual([])
  }, 120_000)
})
