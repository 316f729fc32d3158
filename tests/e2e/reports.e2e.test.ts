// The report pages in a real browser: `crm demo` + `crm serve` on a temp data
// dir, Debian Chromium through playwright-core. Each report draws its charts and
// tables; the period in the URL changes the figures; a funnel bar drills to the
// records behind it (same count); PDF and Excel exports download and read back.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/core'
import { formatFen } from '../../src-main/shared/money'
import { crm, launchBrowser, openAppPage, pageApi, serve, type Served, SHOTS } from './serve'
import type { FunnelReport } from '../../src-main/shared/reports/types'

let server: Served
let browser: Browser
let page: Page
let downloads: string
const problems: string[] = []

const REPORTS = ['funnel', 'sources', 'reps', 'forecast', 'winloss', 'cycle', 'distribution', 'activity', 'insights'] as const

beforeAll(async () => {
  const dataDir = tempDir('crm-e2e-reports-')
  downloads = tempDir('crm-e2e-reports-dl-')
  const demo = crm(['demo', '--data-dir', dataDir, '--json'])
  expect(demo.status, demo.stderr).toBe(0)
  server = await serve(dataDir)
  browser = await launchBrowser()
  page = await openAppPage(browser, problems, { height: 1000, firstRunDone: true, downloads: true })
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const go = (hashPath: string) => page.goto(`${server.url}/#${hashPath}`)

const apiCall = <T>(method: string, input: unknown) => pageApi<T>(page, method, input)

/** Wait until the report on screen is loaded (optionally for a given period "from~to"). */
async function loaded(name: string, period?: string): Promise<void> {
  const sel = `[data-testid="report-${name}"][data-loading="0"]${period ? `[data-period="${period}"]` : ':not([data-period=""])'}`
  await page.locator(sel).waitFor({ timeout: 20_000 })
}
/** The twelve whole months before this one, as a custom period in the URL: demo data on any day of the year. */
function lastTwelveMonths(): string {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).split('-').map(Number)
  const iso = (d: number) => new Date(d).toISOString().slice(0, 10)
  return `period=custom&from=${iso(Date.UTC(y, m - 13, 1))}&to=${iso(Date.UTC(y, m - 1, 0))}`
}
const periodOf = async (name: string) => (await page.locator(`[data-testid="report-${name}"]`).getAttribute('data-period'))!

describe('report pages (数据分析)', () => {
  it('opens every report with its key figures, charts on canvas and tables of numbers', async () => {
    // Last month: a whole month of demo deals on any day (this month is empty on the 1st); the tabs keep it.
    await go('/reports/funnel?period=lastMonth')
    for (const name of REPORTS) {
      // Through the tabs, as a user would (the route follows).
      await page.locator(`#tab-${name}`).click()
      await expect.poll(() => page.url(), { timeout: 15_000 }).toContain(`#/reports/${name}`)
      await loaded(name)
      const view = page.locator(`[data-testid="report-${name}"]`)
      // Key figures row, at least one chart drawn on a canvas, and tables with formatted numbers.
      await expect(view.locator('[data-testid="kpi-value"]').first().innerText()).resolves.toMatch(/\d|—/)
      await view.locator('.rchart canvas').first().waitFor()
      const canvas = (await view.locator('.rchart canvas').first().boundingBox())!
      expect(canvas.height).toBeGreaterThan(150)
      const cells = await view.locator('.rtable td .is-num').allInnerTexts()
      expect(cells.length, name).toBeGreaterThan(2)
      expect(cells.some((c) => /\d/.test(c)), name).toBe(true)
      // The tab of the report is the active one.
      await expect(page.locator('.el-tabs__item.is-active').innerText()).resolves.not.toBe('')
      await page.screenshot({ path: join(SHOTS, `reports-${name}.png`), fullPage: true })
    }
    // Money in 元 with separators, rates as percentages (last month: rates need closed deals).
    await go('/reports/sources?period=lastMonth')
    await loaded('sources')
    const texts = await page.locator('[data-testid="table-sources"] td .is-num').allInnerTexts()
    expect(texts.some((x) => /^\d{1,3}(,\d{3})*\.\d{2}$/.test(x))).toBe(true)
    expect(texts.some((x) => /^\d+\.\d%$/.test(x))).toBe(true)
    expect(problems).toEqual([])
  })

  it('changes the period through the header: the figures change and the state survives a reload', async () => {
    // Deals created in the period, on screen and from the API for the same range. Last month
    // has a whole month of demo deals on any day; this month and this year may be empty
    // (the 1st of the month, the 1st of January), so the test compares with the API, not by size.
    const shown = async () => Number((await page.locator('[data-testid="kpi-0"] [data-testid="kpi-value"]').innerText()).replace(/,/g, ''))
    const created = async (period: string) => {
      const [from, to] = period.split('~')
      return (await apiCall<FunnelReport>('reports:funnel', { from, to, compare: false })).current.cohort.count
    }
    await go('/reports/funnel?period=lastMonth')
    await loaded('funnel')
    const last = await periodOf('funnel')
    expect(last).toMatch(/^(\d{4}-\d{2})-01~\1-\d{2}$/)
    const lastValue = await shown()
    expect(lastValue).toBeGreaterThan(0)
    expect(lastValue).toBe(await created(last))

    await page.locator('[data-testid="period-year"]').click()
    await expect.poll(() => page.url(), { timeout: 15_000 }).toContain('period=year')
    const view = page.locator('[data-testid="report-funnel"]')
    await expect.poll(() => view.getAttribute('data-period'), { timeout: 20_000 }).not.toBe(last)
    await loaded('funnel')
    const year = await periodOf('funnel')
    expect(year).toMatch(/^(\d{4})-01-01~\1-12-31$/)
    // This year holds last month, or (in January) follows it.
    expect(year.slice(0, 4) >= last.slice(0, 4)).toBe(true)
    const yearValue = await shown()
    expect(yearValue).toBe(await created(year))
    await expect(page.locator('[data-testid="report-range-text"]').innerText()).resolves.toContain(year.slice(0, 10))

    // A filter and the comparison switch go to the URL too; a reload keeps them.
    await page.locator('[data-testid="report-compare"]').click()
    await expect.poll(() => page.url(), { timeout: 15_000 }).toContain('compare=0')
    await loaded('funnel', year)
    await expect(page.locator('[data-testid="kpi-delta"]').count()).resolves.toBe(0)
    await page.reload()
    await loaded('funnel', year)
    await expect(page.locator('[data-testid="period-year"].is-active').count()).resolves.toBe(1)
    await expect(page.locator('[data-testid="kpi-delta"]').count()).resolves.toBe(0)
    expect(await shown()).toBe(yearValue)

    // This month: the calendar month after last month.
    await page.locator('[data-testid="period-month"]').click()
    await expect.poll(() => view.getAttribute('data-period'), { timeout: 20_000 }).not.toBe(year)
    await loaded('funnel')
    const month = await periodOf('funnel')
    expect(month).toMatch(/^(\d{4}-\d{2})-01~\1-\d{2}$/)
    expect(month.slice(0, 7) > last.slice(0, 7)).toBe(true)
    expect(await shown()).toBe(await created(month))
  })

  it('clicks a funnel bar and lands on the records behind it, as many as the bar says', async () => {
    await go(`/reports/funnel?${lastTwelveMonths()}`)
    await loaded('funnel')
    const [from, to] = (await periodOf('funnel')).split('~')
    const report = await apiCall<FunnelReport>('reports:funnel', { from, to, compare: true })
    const items = [{ name: '本期新建', value: report.current.cohort.count }, ...report.current.steps.map((s) => ({ name: s.name, value: s.reached }))]
    // Second segment: the first stage (deals that reached it). Funnel layout as in shared/reports/charts.ts: top 24, bottom 16, gap 2.
    const index = 1
    expect(items[index].value).toBeGreaterThan(0)
    const canvas = page.locator('[data-testid="chart-steps"] canvas').first()
    const drawer = page.locator('.el-drawer')
    // The chart may still be resizing or animating in: click until the drawer opens (the click's
    // position is recomputed each time from the canvas as it is then).
    await expect
      .poll(
        async () => {
          const box = (await canvas.boundingBox())!
          const n = items.length
          const h = (box.height - 24 - 16 - 2 * (n - 1)) / n
          await page.mouse.click(box.x + box.width / 2, box.y + 24 + index * (h + 2) + h / 2)
          return drawer.locator('[data-testid="drill-count"]').waitFor({ timeout: 2_000 }).then(() => true, () => false)
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true)
    expect(Number(await drawer.locator('[data-testid="drill-count"]').getAttribute('data-count'))).toBe(items[index].value)
    await expect(drawer.locator('.dhead__title').innerText()).resolves.toContain(items[index].name)
    const rows = drawer.locator('[data-testid="drill-table"] .el-table__body tr')
    await expect(rows.count()).resolves.toBe(Math.min(20, items[index].value))
    await page.screenshot({ path: join(SHOTS, 'reports-drill.png') })

    // Each record links to its page.
    const first = drawer.locator('[data-testid="drill-table"] .el-table__body tr').first().locator('a').first()
    const title = await first.innerText()
    await first.click()
    await expect.poll(() => page.url(), { timeout: 15_000 }).toMatch(/#\/opportunities\/\d+/)
    await expect(page.locator('h1').first().innerText()).resolves.toContain(title)

    // A table cell drills too: the stage's open deals, and the list page shows the same number.
    await go('/reports/funnel')
    await loaded('funnel')
    const cell = page.locator('[data-testid="table-stages"] a[data-testid="cell-stages-count"]').first()
    const figure = Number((await cell.innerText()).replace(/,/g, ''))
    await cell.click()
    await page.locator('.el-drawer [data-testid="drill-count"]').waitFor()
    expect(Number(await page.locator('.el-drawer [data-testid="drill-count"]').getAttribute('data-count'))).toBe(figure)
    await page.locator('.el-drawer [data-testid="drill-list-link"]').click()
    await expect.poll(() => page.url(), { timeout: 15_000 }).toContain('#/opportunities?')
    expect(page.url()).toMatch(/stageId=\d+/)
    await expect(page.locator('.data-table__total').first().innerText()).resolves.toContain(String(figure))
  })

  it('links the weakest stage, source and rep of the insights report to their records', async () => {
    await go(`/reports/insights?${lastTwelveMonths()}`)
    await loaded('insights')
    const links = page.locator('[data-testid^="finding-link-"]')
    expect(await links.count()).toBeGreaterThan(0)
    await links.first().click()
    await page.locator('.el-drawer [data-testid="drill-count"]').waitFor()
    expect(Number(await page.locator('.el-drawer [data-testid="drill-count"]').getAttribute('data-count'))).toBeGreaterThan(0)
  })

  it('exports the report to PDF (title and the numbers on screen) and to Excel (a sheet per table, real numbers)', async () => {
    await go('/reports/funnel')
    await loaded('funnel')
    const amount = (await page.locator('[data-testid="table-stages"] [data-testid="cell-stages-amount"]').first().innerText()).trim()
    const stage = (await page.locator('[data-testid="table-stages"] [data-testid="cell-stages-stage"]').first().innerText()).trim()

    await page.locator('[data-testid="export-pdf"] button').click()
    const pdfDownload = page.waitForEvent('download', { timeout: 60_000 })
    await page.locator('[data-testid="export-pdf-landscape"]').click()
    const pdf = await pdfDownload
    const pdfPath = join(downloads, pdf.suggestedFilename())
    await pdf.saveAs(pdfPath)
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/)
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' })
    expect(text).toContain('销售漏斗')
    expect(text).toContain(amount)
    expect(text).toContain(stage)
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdfPath, join(SHOTS, 'reports-export-pdf')])

    const xlsxDownload = page.waitForEvent('download', { timeout: 60_000 })
    await page.locator('[data-testid="export-xlsx"]').click()
    const xlsx = await xlsxDownload
    const xlsxPath = join(downloads, xlsx.suggestedFilename())
    await xlsx.saveAs(xlsxPath)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(readFileSync(xlsxPath) as unknown as ArrayBuffer)
    // Summary sheet + key figures + stages + conversion steps.
    expect(wb.worksheets.length).toBeGreaterThanOrEqual(4)
    const numbers: number[] = []
    for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((c) => typeof c.value === 'number' && numbers.push(c.value)))
    // The amount on screen ("33,113,600.00" 元) is a number in the workbook, not text.
    const yuan = Number(amount.replace(/,/g, ''))
    expect(numbers).toContain(yuan)
    expect(formatFen(Math.round(yuan * 100))).toBe(amount)
    expect(problems).toEqual([])
  })

  it('builds the monthly report pack from the selected reports', async () => {
    await go('/reports/reps')
    await loaded('reps')
    await page.locator('[data-testid="export-pack"]').click()
    const dialog = page.locator('[data-testid="pack-dialog"]')
    await dialog.waitFor()
    // Select none, then sales performance and lead sources only.
    await dialog.locator('.pack__label .el-checkbox').click()
    for (const n of ['reps', 'sources']) await dialog.locator(`[data-testid="pack-${n}"]`).click()
    await dialog.locator('[data-testid="pack-run"]').click()
    await dialog.locator('[data-testid="pack-pdf"]').waitFor({ timeout: 60_000 })
    const download = page.waitForEvent('download')
    await dialog.locator('[data-testid="pack-pdf"]').click()
    const file = await download
    const path = join(downloads, file.suggestedFilename())
    await file.saveAs(path)
    const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' })
    expect(text).toContain('线索来源分析')
    expect(text).toContain('销售业绩')
    expect(text).not.toContain('销售漏斗')
    expect(text).not.toContain('客户分布')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
  })

  it('sets a monthly sales target and the performance report measures attainment against it', async () => {
    // Last month, which has won deals on any day; the targets dialog opens on the shown period's month.
    await go('/reports/reps?period=lastMonth')
    await loaded('reps')
    const [from, to] = (await periodOf('reps')).split('~')
    const reps = await apiCall<{ current: { rows: Array<{ userId: number | null; wonFen: number; targetFen: number | null }> } }>('reports:reps', { from, to, compare: false })
    const rep = reps.current.rows.find((r) => r.userId !== null && r.wonFen > 0)!
    expect(rep.targetFen).toBeNull()
    await page.locator('[data-testid="targets-open"]').click()
    const dialog = page.locator('[data-testid="targets-dialog"]')
    await dialog.waitFor()
    const input = dialog.locator(`[data-testid="target-${rep.userId}"] input`)
    await input.fill('2000000')
    await page.screenshot({ path: join(SHOTS, 'reports-targets.png') })
    await dialog.locator('[data-testid="targets-save"]').click()
    // The report reloads on the change: the rep's row shows the target and the attainment.
    const target = page.locator('[data-testid="table-reps"] [data-testid="cell-reps-target"]', { hasText: '2,000,000.00' })
    await target.first().waitFor()
    // Half up, as 四舍五入 (toFixed would round 118.85 down, its binary value being 118.8499…):
    // tenths of a percent of ¥2,000,000 (200,000,000 fen) are whole multiples of 200,000 fen.
    const expected = `${(Math.round(rep.wonFen / 200_000) / 10).toFixed(1)}%`
    const row = page.locator('[data-testid="table-reps"] .el-table__body tr').filter({ has: page.locator('[data-testid="cell-reps-target"]', { hasText: '2,000,000.00' }) })
    await expect(row.first().locator('[data-testid="cell-reps-attainment"]').innerText()).resolves.toBe(expected)
  })

  it('shows the report cards on the 工作台 and drills from them', async () => {
    await go('/')
    const cards = page.locator('[data-testid="dashboard-report-cards"]')
    await cards.waitFor()
    const activities = cards.locator('[data-testid="dash-card-activities"]')
    const figure = Number((await activities.locator('.rcard__value').innerText()).replace(/,/g, ''))
    await activities.click()
    await page.locator('.el-drawer [data-testid="drill-count"]').waitFor()
    expect(Number(await page.locator('.el-drawer [data-testid="drill-count"]').getAttribute('data-count'))).toBe(figure)
    await page.screenshot({ path: join(SHOTS, 'reports-dashboard.png') })
  })
})
