// List export to .xlsx and CSV, read back with other readers (exceljs's
// non-streaming reader, our CSV parser, raw bytes), and the browser's file
// transfer (upload to import, download an export) over HTTP.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ExportResult } from '../src-main/export/export'
import { isFormulaLike, safeCellText } from '../src-main/export/cell-safety'
import { CsvParser } from '../src-main/import/csv-reader'
import { startHttpServer, type RunningServer } from '../src-main/server/http'
import { createTestCore, tempDir, type TestCore } from './helpers/core'
import { runJob } from './helpers/jobs'

let t: TestCore
let server: RunningServer | null = null
beforeEach(async () => {
  t = await createTestCore({ clock: () => new Date('2026-11-29T02:00:00.000Z') })
})
afterEach(async () => {
  await server?.close()
  server = null
  await t.cleanup()
})

async function exportFile(input: Parameters<TestCore['ok']>[1] & object): Promise<ExportResult> {
  const e = await runJob(t, 'export:run', input as never)
  if (e.state !== 'done') throw new Error(`${e.state}: ${e.error?.message}`)
  return e.result as ExportResult
}

async function seed() {
  const field = await t.ok('customFields:create', { entity: 'lead', label: '展位号', type: 'text' })
  const a = await t.ok('leads:create', { company: '杭州云帆科技有限公司', contactName: '李娜', mobile: '13800138000', notes: '=HYPERLINK("http://evil.example","点我")', source: '展会' })
  await t.ok('leads:create', { company: '@SUM(1+1)', contactName: '-王伟', mobile: '13900139000', notes: '含逗号, "引号" 和\n换行' })
  await t.ok('leads:create', { company: '已联系的公司', status: 'contacted' })
  await t.ok('leads:bulkTag', { ids: [a.id], add: ['重点', '展会'] })
  await t.ok('customValues:set', { entity: 'lead', entityId: a.id, values: [{ fieldId: field.id, value: 'A-101' }] })
  return { field }
}

describe('safeCellText', () => {
  it('neutralises text Excel could run as a formula, and only that', () => {
    for (const risky of ['=1+1', '+86 138', '-5', '@SUM(A1)', '\t=1', '\r=1', '  =1']) expect(safeCellText(risky)).toBe(`'${risky}`)
    for (const fine of ['杭州', 'a=b', '13800138000', '', "'=already"]) expect(safeCellText(fine)).toBe(fine)
    expect(isFormulaLike('=x')).toBe(true)
  })
})

describe('export to .xlsx', () => {
  it('writes the filtered list with typed cells, a styled frozen header, autofilter and Chinese intact', async () => {
    const { field } = await seed()
    const r = await exportFile({ entity: 'leads', filters: { status: 'new', sort: 'company', order: 'asc' }, columns: ['company', 'contactName', 'mobile', 'notes', 'tags', 'status', 'createdAt', `cf:${field.id}`] })
    const listed = await t.ok('leads:list', { status: 'new' })
    expect(r).toMatchObject({ rows: listed.total, format: 'xlsx', fileName: '线索-2026-11-29.xlsx' })
    expect(r.token).toMatch(/^[0-9a-f]{32}$/)

    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(r.path)
    const ws = wb.worksheets[0]
    expect(ws.name).toBe('线索')
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['公司名称', '联系人', '手机', '备注', '标签', '状态', '创建时间', '展位号'])
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true)
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(ws.autoFilter).toBe('A1:H1')
    expect(ws.getColumn(1).width).toBeGreaterThan(20) // sized to 杭州云帆科技有限公司
    expect(ws.rowCount).toBe(3)
    // Sorted by company: "@SUM…" before 杭州…
    const formula = ws.getRow(2)
    expect(formula.getCell(1).value).toBe("'@SUM(1+1)")
    expect(formula.getCell(2).value).toBe("'-王伟")
    expect(formula.getCell(4).value).toBe('含逗号, "引号" 和\n换行')
    const yunfan = ws.getRow(3)
    expect(yunfan.getCell(1).value).toBe('杭州云帆科技有限公司')
    expect(yunfan.getCell(3).value).toBe('13800138000')
    expect(yunfan.getCell(4).value).toBe('\'=HYPERLINK("http://evil.example","点我")')
    expect(yunfan.getCell(5).value).toBe('重点、展会')
    expect(yunfan.getCell(6).value).toBe('新线索')
    // A real date (Excel serial, business-time wall clock) with a date format.
    expect(yunfan.getCell(7).value).toEqual(new Date('2026-11-29T10:00:00.000Z'))
    expect(yunfan.getCell(7).numFmt).toBe('yyyy-mm-dd hh:mm')
    expect(yunfan.getCell(8).value).toBe('A-101')
    // No cell anywhere is a formula.
    ws.eachRow((row) => row.eachCell((c) => expect(c.formula).toBeFalsy()))
  })

  it('writes amounts as numbers and dates as dates, in the list’s own order', async () => {
    const acc = await t.ok('accounts:create', { name: '宁波港集团', annualRevenueFen: '123,456,789.50' })
    await t.ok('opportunities:create', { title: '港口设备升级', accountId: acc.id, amountFen: '1,234,567.89', expectedCloseDate: '2026-12-31' })
    await t.ok('opportunities:create', { title: '备件', accountId: acc.id, amountFen: 500 })
    const r = await exportFile({ entity: 'opportunities', filters: { sort: 'amount_fen', order: 'desc' }, columns: ['title', 'accountName', 'amountFen', 'expectedCloseDate', 'stageName', 'probability'] })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(r.path)
    const ws = wb.worksheets[0]
    const row = ws.getRow(2)
    expect(row.getCell(1).value).toBe('港口设备升级')
    expect(row.getCell(3).value).toBe(1234567.89)
    expect(row.getCell(3).numFmt).toBe('#,##0.00')
    expect(row.getCell(4).value).toEqual(new Date(Date.UTC(2026, 11, 31)))
    expect(row.getCell(4).numFmt).toBe('yyyy-mm-dd')
    expect(row.getCell(5).value).toBe('潜在商机')
    expect(row.getCell(6).value).toBe(10)
    expect(ws.getRow(3).getCell(3).value).toBe(5)

    const accounts = await exportFile({ entity: 'accounts', columns: ['name', 'annualRevenueFen'] })
    const wb2 = new ExcelJS.Workbook()
    await wb2.xlsx.readFile(accounts.path)
    expect(wb2.worksheets[0].getRow(2).getCell(2).value).toBe(123456789.5)
  })
})

describe('export to CSV', () => {
  it('is UTF-8 with a BOM and CRLF, quoted where needed, formulas neutralised', async () => {
    await seed()
    const r = await exportFile({ entity: 'leads', format: 'csv', filters: { sort: 'company', order: 'asc', status: 'new' }, columns: ['company', 'contactName', 'notes', 'createdAt'] })
    const bytes = readFileSync(r.path)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = bytes.toString('utf8').slice(1)
    expect(text.split('\r\n')[0]).toBe('公司名称,联系人,备注,创建时间')
    const out: string[][] = []
    const p = new CsvParser(',')
    p.push(text, out)
    p.end(out)
    expect(out.filter((r) => r.length > 1)).toEqual([
      ['公司名称', '联系人', '备注', '创建时间'],
      ["'@SUM(1+1)", "'-王伟", '含逗号, "引号" 和\n换行', '2026-11-29 10:00'],
      ['杭州云帆科技有限公司', '李娜', '\'=HYPERLINK("http://evil.example","点我")', '2026-11-29 10:00'],
    ])
  })

  it('writes to a path on the desktop, never for a browser caller', async () => {
    const out = join(tempDir('crm-export-'), '导出', '客户.csv')
    await t.ok('accounts:create', { name: '客户甲' })
    const r = await exportFile({ entity: 'accounts', format: 'csv', out })
    expect(r).toMatchObject({ path: out, token: null, rows: 1 })
    expect(readFileSync(out, 'utf8')).toContain('客户甲')
    const remote = await runJob(t, 'export:run', { entity: 'accounts', format: 'csv', out: join(tempDir('crm-export-'), 'x.csv') }, undefined, { remote: true })
    expect(remote.state).toBe('failed')
    expect(remote.error?.code).toBe('FORBIDDEN')
  })
})

describe('files over HTTP', () => {
  it('uploads a file to import and downloads an export, with the API’s own rules', async () => {
    const staticDir = tempDir('crm-static-')
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html>')
    server = await startHttpServer({ db: t.database.db, dispatcher: t.dispatcher, bus: t.bus, staticDir, port: 0, log: { error: () => {}, info: () => {} } })
    const csv = '公司名称,手机\n上传的公司,13800000000\n'
    const up = await fetch(`${server.url}/api/files/upload`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'X-File-Name': encodeURIComponent('微信群名单.csv') },
      body: csv,
    })
    expect(up.status).toBe(200)
    const { value } = (await up.json()) as { value: { token: string; name: string; size: number } }
    expect(value).toMatchObject({ name: '微信群名单.csv', size: Buffer.byteLength(csv) })

    const inspect = await fetch(`${server.url}/api/import:inspect`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ file: { token: value.token }, target: 'leads' }) })
    const body = (await inspect.json()) as { ok: boolean; value: { file: { fileName: string }; headers: string[] } }
    expect(body).toMatchObject({ ok: true, value: { file: { fileName: '微信群名单.csv' }, headers: ['公司名称', '手机'] } })
    // A server path from a browser is refused.
    const byPath = await fetch(`${server.url}/api/import:inspect`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ file: { path: '/etc/hosts' }, target: 'leads' }) })
    expect(byPath.status).toBe(403)

    // Only octet-stream uploads (a form cannot send one cross-site).
    const form = await fetch(`${server.url}/api/files/upload`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' })
    expect(form.status).toBe(400)

    await t.ok('accounts:create', { name: '下载测试' })
    const r = await exportFile({ entity: 'accounts', format: 'csv' })
    const down = await fetch(`${server.url}/api/files/${r.token}`)
    expect(down.status).toBe(200)
    expect(down.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(r.fileName)}`)
    expect(Buffer.from(await down.arrayBuffer()).equals(readFileSync(r.path))).toBe(true)
    expect((await fetch(`${server.url}/api/files/${'a'.repeat(32)}`)).status).toBe(404)
    expect((await fetch(`${server.url}/api/files/..%2F..%2Fcrm.sqlite`)).status).toBe(404)
  })
})
