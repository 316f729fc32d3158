// Report exports on the hand-made office: PDF (headless Chromium) checked with
// poppler (pdftotext, pdffonts, pdftoppm), .xlsx read back with exceljs, the
// monthly pack, and the command line's JSON matching the API.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportedFile } from '../src-main/reports/export'
import { buildReportFixture, type ReportFixture } from './helpers/report-fixture'

const ROOT = join(__dirname, '..')
const SHOTS = join(ROOT, 'test-output', 'screenshots')
const NOV = { from: '2026-11-01', to: '2026-11-30' }
let f: ReportFixture

beforeAll(async () => {
  f = await buildReportFixture()
  await f.t.ok('settings:update', { companyName: '测试贸易有限公司' })
}, 60_000)
afterAll(async () => f?.t.cleanup())

/** Start a job through the API and wait for its end event. */
async function runJob(method: 'reports:exportPdf' | 'reports:exportXlsx' | 'reports:pack', input: object): Promise<any> {
  const started = await f.t.ok(method, input as never)
  const { jobId } = started as unknown as { jobId: string }
  return new Promise((resolve, reject) => {
    const check = (e: { state: string; result?: unknown; error?: unknown; jobId: string }) => {
      if (e.jobId !== jobId || e.state === 'running') return
      off()
      if (e.state === 'done') resolve(e.result)
      else reject(new Error(`${method} ${e.state}: ${JSON.stringify(e.error)}`))
    }
    const off = f.t.bus.on('job', check)
    for (const e of f.t.dispatcher.jobs.list()) check(e)
  })
}

const text = (file: string, page?: number) => execFileSync('pdftotext', ['-layout', ...(page ? ['-f', String(page), '-l', String(page)] : []), file, '-'], { encoding: 'utf8' })

describe('PDF', () => {
  it('prints a report with company, title, period, filters, the numbers, page numbers and embedded CJK fonts', async () => {
    const file: ExportedFile = await runJob('reports:exportPdf', { report: 'reps', input: NOV })
    expect(file.name).toBe('销售业绩_2026-11-01_2026-11-30.pdf')
    expect(file.path && existsSync(file.path)).toBe(true)
    expect(file.token).toMatch(/^[0-9a-f]{32}$/)
    const all = text(file.path!)
    for (const s of ['测试贸易有限公司', '销售业绩', '2026-11-01 ~ 2026-11-30', '全部数据', '张三', '140,000.00', '150,000.00', '93.3%', '66.7%', '170,000.00', '第 1 页']) expect(all).toContain(s)
    const fonts = execFileSync('pdffonts', [file.path!], { encoding: 'utf8' }).trim().split('\n').slice(2)
    expect(fonts.length).toBeGreaterThan(0)
    // Every font is embedded (Chromium writes the CFF-based Noto Sans CJK as embedded Type 3 glyph programs).
    for (const line of fonts) expect(line).toMatch(/\syes\s+(yes|no)\s+yes\s+\d+\s+\d+\s*$/)
    mkdirSync(SHOTS, { recursive: true })
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', file.path!, join(SHOTS, 'report-reps')])
    expect(existsSync(join(SHOTS, 'report-reps-1.png'))).toBe(true)
  })
})

describe('xlsx', () => {
  it('one sheet per table, styled frozen header, real numbers with formats, the chart as an image', async () => {
    const file: ExportedFile = await runJob('reports:exportXlsx', { report: 'reps', input: NOV })
    expect(file.name).toBe('销售业绩_2026-11-01_2026-11-30.xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file.path!)
    expect(wb.worksheets.map((w) => w.name)).toEqual(['摘要', '关键指标', '销售排名（按赢单金额）'])
    const summary = wb.getWorksheet('摘要')!
    expect(summary.getCell('A1').value).toBe('测试贸易有限公司')
    expect(summary.getCell('A2').value).toBe('销售业绩')
    expect(summary.getImages()).toHaveLength(1)
    const png = wb.getImage(Number(summary.getImages()[0].imageId))
    expect(png.extension).toBe('png')
    expect((png.buffer as unknown as Buffer).subarray(1, 4).toString()).toBe('PNG')

    const ws = wb.getWorksheet('销售排名（按赢单金额）')!
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    const header = ws.getRow(1).values as unknown[]
    expect(header.slice(1, 7)).toEqual(['排名', '销售', '团队', '赢单金额（元）', '目标（元）', '完成率'])
    expect(ws.getCell('A1').font?.bold).toBe(true)
    expect((ws.getCell('A1').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FF3B6FD8')
    // 张三: ¥140,000 won of a ¥150,000 target; win rate 2 of 3.
    expect(ws.getCell('B2').value).toBe('张三')
    expect(ws.getCell('D2').value).toBe(140000)
    expect(ws.getCell('D2').numFmt).toBe('#,##0.00')
    expect(ws.getCell('F2').value).toBeCloseTo(14 / 15, 10)
    expect(ws.getCell('F2').numFmt).toBe('0.0%')
    expect(ws.getCell('G2').numFmt).toBe('#,##0')
    expect(ws.getCell('K2').value).toBe(22)
    expect(ws.getCell('K2').numFmt).toBe('0.0')
    // Total row (3 people + total): bold, ¥170,000.
    expect(ws.getCell('B5').value).toBe('合计')
    expect(ws.getCell('D5').value).toBe(170000)
    expect(ws.getCell('D5').font?.bold).toBe(true)
    const kpis = wb.getWorksheet('关键指标')!
    expect(kpis.getCell('A2').value).toBe('赢单金额')
    expect([kpis.getCell('B2').value, kpis.getCell('C2').value, kpis.getCell('D2').value]).toEqual([170000, 70000, 100000])
    expect(kpis.getCell('B2').numFmt).toBe('#,##0.00')
  })
})

describe('monthly pack', () => {
  it('puts the selected reports into one PDF and one workbook', async () => {
    const t0 = Date.now()
    const pack: { pdf: ExportedFile; xlsx: ExportedFile } = await runJob('reports:pack', { reports: ['funnel', 'sources', 'forecast'], input: NOV })
    const ms = Date.now() - t0
    expect(pack.pdf.name).toBe('月度报表2026-11_2026-11-01_2026-11-30.pdf')
    const all = text(pack.pdf.path!)
    for (const s of ['月度报表 2026-11', '销售漏斗', '线索来源分析', '销售预测', '转介绍', '460,000.00']) expect(all).toContain(s)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(pack.xlsx.path!)
    expect(wb.worksheets[0].name).toBe('摘要')
    expect(wb.worksheets.length).toBe(1 + 3 + 2 + 3)
    expect(wb.worksheets[0].getImages().length).toBe(4)
    // The budget is 5 s on a quiet machine; a busy CI box gets slack.
    expect(ms).toBeLessThan(60_000)
  })
})

describe('command line', () => {
  it('crm report … --format json gives the same numbers as the API; --format pdf writes the file', async () => {
    const crm = (...args: string[]) => spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src-main/cli/crm.ts'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 120_000 })
    const json = crm('report', 'funnel', '--data-dir', f.t.dir, '--from', NOV.from, '--to', NOV.to, '--format', 'json')
    expect(json.status, json.stderr).toBe(0)
    const cli = JSON.parse(json.stdout)
    const api = await f.t.ok('reports:funnel', NOV)
    expect(cli.current).toEqual(api.current)
    expect(cli.previous).toEqual(api.previous)
    // A filtered report, portrait: the filter is printed in the header block.
    const out = join(f.t.dir, 'out', 'winloss.pdf')
    const pdf = crm('report', 'winloss', '--data-dir', f.t.dir, '--from', NOV.from, '--to', NOV.to, '--team', '华东组', '--orientation', 'portrait', '--format', 'pdf', '--out', out, '--json')
    expect(pdf.status, pdf.stderr).toBe(0)
    expect(JSON.parse(pdf.stdout)).toMatchObject({ report: 'winloss', format: 'pdf', out })
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-')
    const first = text(out, 1)
    expect(first).toContain('赢单/输单分析')
    expect(first).toContain('团队：华东组')
    expect(execFileSync('pdfinfo', [out], { encoding: 'utf8' })).toMatch(/Page size:\s+59[56](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/)
  }, 180_000)
})

describe('chart SVG', () => {
  it('keeps a quoted font family list inside the text style attribute', async () => {
    const { renderChartSvg } = await import('../src-main/reports/svg')
    const { CHART_FONT } = await import('../src-main/shared/reports/charts')
    const svg = await renderChartSvg({ textStyle: { fontFamily: CHART_FONT }, xAxis: { type: 'category', data: ['展会', '微信'] }, yAxis: {}, series: [{ type: 'bar', data: [1, 2] }] }, 300, 200)
    const texts = svg.match(/<text [^>]*>/g) ?? []
    expect(texts.length).toBeGreaterThan(2)
    // Every attribute of every text is name="value": no stray words from a style cut short by a quote.
    for (const t of texts) expect(t).toMatch(/^<text(?: [a-z-]+="[^"]*")*>$/)
    expect(texts[0]).toContain("font-family:'Noto Sans CJK SC', 'Source Han Sans SC'")
  })
})
