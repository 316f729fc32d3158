// Importing through the real dispatcher on a real SQLite file: inspect,
// preview (nothing written), run as a job, rejected rows as .xlsx, duplicates
// (skip / update / create, 撞单), undo, cancel, accounts with contacts, templates.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportResult } from '../src-main/import/engine'
import type { ColumnMapping } from '../src-main/import/types'
import { createTestCore, type TestCore } from './helpers/core'
import { runJob } from './helpers/jobs'
import { cell, row, serial, valuesRow, writeXlsx } from './helpers/xlsx-fixture'

const DATA = join(__dirname, '..', '..', 'shared', 'data')
let t: TestCore
beforeEach(async () => {
  t = await createTestCore({ clock: () => new Date('2026-11-29T02:00:00.000Z') })
})
afterEach(async () => t.cleanup())

const count = async (table: 'leads' | 'accounts' | 'contacts' | 'opportunities' | 'users' | 'import_batches' | 'custom_fields' | 'custom_values') =>
  Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

async function run(input: Parameters<TestCore['ok']>[1] & object): Promise<ImportResult> {
  const e = await runJob(t, 'import:run', input as never)
  if (e.state !== 'done') throw new Error(`import ${e.state}: ${e.error?.message}`)
  return e.result as ImportResult
}

/** A trade-show list as Excel would save it: a merged title row, then the header, then messy rows. */
function showList(path: string) {
  const H = ['公司名称', '联系人', '手机', '座机', '邮箱', '来源', '登记日期', '预算', '负责人', '展位号']
  return writeXlsx(path, [
    {
      name: '展会线索',
      merges: ['A1:J1'],
      rows: [
        row(1, [cell.str('A1', '2026 上海工业博览会 · 意向客户')]),
        valuesRow(2, H),
        row(3, [cell.str('A3', '杭州云帆科技有限公司'), cell.str('B3', '李娜'), cell.str('C3', '+86 138-0013-8000'), cell.str('D3', '0571-88886666'), cell.str('E3', 'Li.Na@Example.COM'), cell.str('F3', '展会'), cell.date('G3', serial(2026, 3, 5)), cell.num('H3', 120000), cell.str('I3', '王建国'), cell.str('J3', 'A-101')]),
        row(4, [cell.str('A4', '深圳华强电子'), cell.str('B4', '王伟'), cell.str('C4', '１３９１２３４５６７８'), cell.str('E4', 'wang@huaqiang')]),
        row(5, [cell.str('C5', '13700000000'), cell.str('F5', '微信')]),
        row(6, [cell.str('A6', '宁波港集团'), cell.str('B6', '周强'), cell.num('C6', 13600136000), cell.str('G6', '2026年3月5日'), cell.str('I6', '王建国')]),
        row(7, [cell.str('A7', '杭州云帆科技有限公司'), cell.str('B7', '张敏'), cell.str('C7', '13800138001')]),
        row(8, [cell.str('A8', '苏州工业园服务中心'), cell.str('B8', '陈立'), cell.str('C8', '12345')]),
        row(9, [cell.str('A9', '上海申通物流'), cell.error('B9'), cell.str('C9', '135-0000-1111'), cell.str('G9', '2026/3/7')]),
        row(10, [cell.formula('A10', 'CONCATENATE("无锡","精工")', '无锡精工'), cell.str('B10', '赵六'), cell.str('C10', '13500002222'), cell.formulaError('H10', 'VLOOKUP(A10,X:Y,2,0)')]),
      ],
    },
  ])
}

function mapping(result: { columns: ColumnMapping[] }): ColumnMapping[] {
  // The suggestion, plus two columns the user keeps as custom fields.
  return result.columns.map((c) =>
    c.header === '预算' ? { ...c, target: { kind: 'newCustom', label: '预算', type: 'number' } } : c.header === '展位号' ? { ...c, target: { kind: 'newCustom', label: '展位号', type: 'text' } } : c,
  )
}

describe('lead import', () => {
  it('inspects, previews without writing, imports in one batch, reports rejected rows in an .xlsx, and undoes', async () => {
    // Someone else already owns 宁波港's mobile number: 撞单 when the file gives it to 王建国.
    const rep = await t.ok('users:create', { name: '销售甲', role: 'sales' })
    const existing = await t.ok('leads:create', { company: '宁波港集团有限公司', contactName: '周强', mobile: '13600136000', ownerId: rep.id })
    const file = showList(join(t.dir, '展会.xlsx'))

    const inspect = await t.ok('import:inspect', { file: { path: file }, target: 'leads' })
    expect(inspect.file).toMatchObject({ format: 'xlsx', sheet: '展会线索' })
    expect(inspect.headerRow).toBe(2)
    const field = (h: string) => inspect.columns.find((c) => c.header === h)?.target
    expect(field('公司名称')).toEqual({ kind: 'field', field: 'company' })
    expect(field('座机')).toEqual({ kind: 'field', field: 'phone' })
    expect(field('登记日期')).toEqual({ kind: 'field', field: 'createdAt' })
    expect(field('负责人')).toEqual({ kind: 'field', field: 'owner' })
    expect(inspect.columns.find((c) => c.header === '预算')).toMatchObject({ target: { kind: 'ignore' }, suggestedType: 'number' })
    expect(inspect.dateOrder.needsOrder).toBe(false)
    const columns = mapping(inspect)

    const leadsBefore = await count('leads')
    const usersBefore = await count('users')
    const preview = await t.ok('import:preview', { file: { path: file }, target: 'leads', columns, limit: 20 })
    expect(preview.dryRun).toBe(true)
    expect(preview.rows?.map((r) => [r.row, r.outcome])).toEqual([
      [3, 'imported'], [4, 'rejected'], [5, 'rejected'], [6, 'duplicate'], [7, 'duplicate'], [8, 'rejected'], [9, 'imported'], [10, 'imported'],
    ])
    const r3 = preview.rows![0]
    expect(r3.values).toMatchObject({ company: '杭州云帆科技有限公司', mobile: '13800138000', phone: '0571-88886666', email: 'li.na@example.com', createdAt: '2026-03-04T16:00:00.000Z', owner: '王建国' })
    expect(preview.rows![1].problems.map((p) => p.message)).toEqual(['邮箱格式不正确：wang@huaqiang'])
    expect(preview.rows![2].problems.map((p) => p.message)).toEqual(['公司名称和联系人至少填写一项'])
    // Nothing was written by the preview, not even the new owner.
    expect(await count('leads')).toBe(leadsBefore)
    expect(await count('users')).toBe(usersBefore)
    expect(await count('import_batches')).toBe(0)

    const progress: number[] = []
    const done = await runJob(t, 'import:run', { file: { path: file }, target: 'leads', columns }, (e) => progress.push(e.done))
    expect(done.state).toBe('done')
    const result = done.result as ImportResult
    expect(result).toMatchObject({ imported: 3, updated: 0, duplicates: 2, rejected: 3, createdUsers: ['王建国'], createdFields: ['预算', '展位号'] })
    expect(result.errors.map((e) => e.row)).toEqual([4, 5, 8])
    expect(result.errors[2].message).toContain('12345')
    expect(progress.at(-1)).toBe(8)
    // 撞单: 宁波港 belongs to 销售甲, the file says 王建国.
    expect(result.clashes).toEqual([{ row: 6, entity: 'lead', id: existing.id, name: '宁波港集团有限公司', existingOwner: '销售甲', incomingOwner: '王建国' }])
    // Row 7 is the same company as row 3 (in-file duplicate); #N/A and a formula error become empty with a warning.
    const warnings = result.warnings.map((w) => `${w.row}:${w.message}`)
    expect(warnings).toContain('7:与文件第 3 行重复（公司名称：杭州云帆科技）')
    expect(warnings).toContain('9:联系人单元格是错误值 #N/A，已按空值导入')
    expect(warnings).toContain('10:预算的公式结果是错误值，已按空值导入')

    const batch = result.batchId!
    const lead = (await t.ok('leads:list', { importBatchId: batch, sort: 'company', order: 'asc' })).rows
    expect(lead.map((l) => l.company)).toEqual(['上海申通物流', '无锡精工', '杭州云帆科技有限公司'])
    const yunfan = lead[2]
    expect(yunfan).toMatchObject({ contactName: '李娜', mobile: '13800138000', phone: '0571-88886666', email: 'li.na@example.com', source: '展会', ownerName: '王建国', createdAt: '2026-03-04T16:00:00.000Z', status: 'new' })
    expect(lead[0]).toMatchObject({ contactName: null, mobile: '13500001111', createdAt: '2026-03-06T16:00:00.000Z' })
    const owner = (await t.ok('users:list', {})).find((u) => u.name === '王建国')
    expect(owner?.isImported).toBe(true)
    const custom = await t.ok('customValues:get', { entity: 'lead', entityId: yunfan.id })
    expect(custom.map((c) => [c.label, c.value])).toEqual([['预算', 120000], ['展位号', 'A-101']])
    // The existing lead was skipped, not changed; the new source channel is in the list.
    expect((await t.ok('leads:get', { id: existing.id })).ownerName).toBe('销售甲')
    expect((await t.ok('channels:list', {})).map((c) => c.name)).toContain('展会')

    // The rejected rows come back as an .xlsx (read with exceljs's non-streaming reader): same columns + row + reason.
    expect(result.rejectedFile?.name).toBe('展会-未导入的行.xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(result.rejectedFile!.path)
    const ws = wb.worksheets[0]
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['公司名称', '联系人', '手机', '座机', '邮箱', '来源', '登记日期', '预算', '负责人', '展位号', '原行号', '导入错误'])
    expect(ws.rowCount).toBe(4)
    expect(ws.getRow(2).getCell(1).value).toBe('深圳华强电子')
    expect(ws.getRow(2).getCell(11).value).toBe(4)
    expect(ws.getRow(2).getCell(12).value).toBe('邮箱格式不正确：wang@huaqiang')
    expect(ws.getRow(4).getCell(3).value).toBe('12345')

    const batches = await t.ok('import:batches', {})
    expect(batches[0]).toMatchObject({ id: batch, status: 'done', fileName: '展会.xlsx', rejectedFile: true, summary: { imported: 3, rejected: 3 } })

    // Undo in one click: the batch's leads, its new user and its new custom fields are gone.
    const undo = await t.ok('import:undo', { batchId: batch })
    expect(undo.deleted).toMatchObject({ leads: 3, users: 1 })
    expect(await count('leads')).toBe(leadsBefore)
    expect(await count('users')).toBe(usersBefore)
    expect(await count('custom_fields')).toBe(0)
    expect((await t.ok('import:batches', {}))[0].status).toBe('undone')
    const again = await t.call('import:undo', { batchId: batch })
    expect(again.ok === false && again.error.code).toBe('IMPORT_UNDO_NOT_POSSIBLE')
  })

  it('update mode overwrites with the file’s values and undo restores the old ones; create mode keeps both', async () => {
    const old = await t.ok('leads:create', { company: '杭州云帆科技', contactName: '李娜', mobile: '13800138000', title: '采购', source: '官网' })
    const csv = join(t.dir, 'update.csv')
    writeFileSync(csv, '公司名称,联系人,手机,职务,邮箱,标签\n杭州云帆科技有限公司,李娜,13800138000,采购经理,lina@yunfan.cn,重点;复购\n新公司,新人,13900000001,,,\n')
    const upd = await run({ file: { path: csv }, target: 'leads', onDuplicate: 'update' })
    expect(upd).toMatchObject({ imported: 1, updated: 1, duplicates: 0 })
    const changed = await t.ok('leads:get', { id: old.id })
    expect(changed).toMatchObject({ title: '采购经理', email: 'lina@yunfan.cn', source: '官网', company: '杭州云帆科技有限公司', tags: ['重点', '复购'] })
    // Found by the new e-mail too: the search text follows the update.
    expect((await t.ok('leads:list', { q: 'lina@yunfan' })).total).toBe(1)

    await t.ok('import:undo', { batchId: upd.batchId! })
    const restored = await t.ok('leads:get', { id: old.id })
    expect(restored).toMatchObject({ title: '采购', email: null, company: '杭州云帆科技', tags: [] })
    expect((await t.ok('leads:list', { q: 'lina@yunfan' })).total).toBe(0)
    expect(await count('leads')).toBe(1)

    const created = await run({ file: { path: csv }, target: 'leads', onDuplicate: 'create' })
    expect(created).toMatchObject({ imported: 2, updated: 0, duplicates: 0 })
    expect(await count('leads')).toBe(3)
  })

  it('reads a GBK CSV (as Excel on Chinese Windows saves it) with a whole-file owner and source', async () => {
    const csv = join(t.dir, 'wechat-group.csv')
    const text = '姓名,手机号码,公司,备注\r\n刘洋,138 1111 2222,"北京""智造""科技",微信群：制造业交流\r\n孙丽,+86 139-3333-4444,,\r\n'
    writeFileSync(csv, iconv.encode(text, 'gbk'))
    const owner = await t.ok('users:create', { name: '小王', role: 'sales' })
    const r = await run({ file: { path: csv }, target: 'leads', ownerId: owner.id, source: '微信' })
    expect(r.file).toMatchObject({ format: 'csv', encoding: 'gb18030' })
    expect(r.imported).toBe(2)
    const rows = (await t.ok('leads:list', { sort: 'created_at', order: 'asc' })).rows
    expect(rows.map((l) => [l.contactName, l.mobile, l.company, l.source, l.ownerName])).toEqual([
      ['刘洋', '13811112222', '北京"智造"科技', '微信', '小王'],
      ['孙丽', '13933334444', null, '微信', '小王'],
    ])
  })

  it('cancelling a running import leaves nothing behind', async () => {
    const csv = join(t.dir, 'big.csv')
    const lines = ['公司名称,联系人,手机']
    for (let i = 0; i < 30_000; i++) lines.push(`测试公司${i},联系人${i},139${String(i).padStart(8, '0')}`)
    writeFileSync(csv, lines.join('\n'))
    let cancelled = false
    const e = await runJob(t, 'import:run', { file: { path: csv }, target: 'leads' }, (ev, jobId) => {
      if (!cancelled && ev.done >= 4000) {
        cancelled = true
        void t.ok('jobs:cancel', { jobId })
      }
    })
    expect(cancelled).toBe(true)
    expect(e.state).toBe('cancelled')
    expect(e.error?.code).toBe('JOB_CANCELLED')
    expect(await count('leads')).toBe(0)
    expect(await count('import_batches')).toBe(0)
  })

  it('refuses a path from a browser caller, and an unreadable file with a clear code', async () => {
    const remote = await t.call('import:inspect', { file: { path: '/etc/passwd' }, target: 'leads' }, { remote: true })
    expect(remote.ok === false && remote.error.code).toBe('FORBIDDEN')
    const xls = await t.call('import:inspect', { file: { path: join(DATA, 'cn-customer-import-template', '客户导入模板.xls') }, target: 'accounts' })
    expect(xls.ok === false && xls.error).toMatchObject({ code: 'IMPORT_LEGACY_XLS', message: '这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 后再导入。' })
    const token = await t.call('import:inspect', { file: { token: '0'.repeat(32) }, target: 'leads' })
    expect(token.ok === false && token.error.code).toBe('FILE_TOKEN_INVALID')
  })
})

describe('accounts with contacts', () => {
  it('imports the Chinese customer template: landlines kept, owner by name, region normalised, category as a choice field', async () => {
    // The public template's header and example row, plus two rows of our own: a second person at the
    // same company (one account, two contacts) and a landline-only customer.
    const template = readFileSync(join(DATA, 'cn-customer-import-template', '客户导入模板.sheet1.csv'), 'utf8').trimEnd()
    const extra = [
      'YX-000001,青岛博益特生物材料股份有限公司,容商天下,院线-商业公司,李四,13700000001,采购,女,山东省,青岛市,企业,2类,刘玲玉,,,,,,,,,',
      'YX-000002,青岛海岸医疗器械有限公司,青岛海岸医疗器械有限公司,终端医院,王五,0532-88886666,科长,男,山东省,青岛市,企业,3类,张建,,,,,,,,,',
    ]
    const csv = join(t.dir, '客户.csv')
    writeFileSync(csv, [template, ...extra].join('\n') + '\n')
    const r = await run({ file: { path: csv }, target: 'accounts' })
    expect(r).toMatchObject({ imported: 3, rejected: 0, createdUsers: ['刘玲玉', '张建'], createdFields: ['客户分类', '客户性质'] })
    const accounts = (await t.ok('accounts:list', { sort: 'name', order: 'asc' })).rows
    expect(accounts.map((a) => [a.name, a.province, a.ownerName])).toEqual([
      ['容商天下', '山东', '刘玲玉'],
      ['青岛海岸医疗器械有限公司', '山东', '张建'],
    ])
    const contacts = (await t.ok('contacts:list', { accountId: accounts[0].id, sort: 'name', order: 'asc' })).rows
    expect(contacts.map((c) => [c.name, c.mobile, c.isPrimary])).toEqual([
      ['张三', '13700000000', true],
      ['李四', '13700000001', false],
    ])
    const haian = (await t.ok('contacts:list', { accountId: accounts[1].id })).rows[0]
    expect(haian).toMatchObject({ name: '王五', mobile: null, phone: '0532-88886666', title: '科长' })
    const fields = await t.ok('customFields:list', { entity: 'account' })
    expect(fields.find((f) => f.label === '客户分类')).toMatchObject({ type: 'choice', options: ['院线-商业公司', '终端医院'] })
    expect((await t.ok('accounts:get', { id: accounts[0].id })).city).toBe('青岛')

    // The same file again, skipping duplicates: nothing new (the people are there already).
    const again = await run({ file: { path: csv }, target: 'accounts' })
    expect(again).toMatchObject({ imported: 0, duplicates: 3 })
    expect(await count('contacts')).toBe(3)
  })

  it('saves a mapping as a template and applies it to a file with other column order', async () => {
    const a = join(t.dir, 'a.csv')
    writeFileSync(a, '单位,电话,展位\n某某科技,13800000000,B-12\n')
    const inspect = await t.ok('import:inspect', { file: { path: a }, target: 'leads' })
    const columns = inspect.columns.map((c) => (c.header === '展位' ? { header: c.header, target: { kind: 'newCustom' as const, label: '展位号', type: 'text' as const } } : { header: c.header, target: c.target }))
    const saved = await t.ok('import:saveTemplate', { name: '展会名单', target: 'leads', columns, options: { source: '展会' } })
    expect((await t.ok('import:templates', { target: 'leads' })).map((x) => x.name)).toEqual(['展会名单'])
    const b = join(t.dir, 'b.csv')
    writeFileSync(b, '展位,单位,电话\nC-3,另一家公司,13900000000\n')
    const second = await t.ok('import:inspect', { file: { path: b }, target: 'leads', templateId: saved.id })
    expect(second.columns.map((c) => [c.header, c.confidence, c.target])).toEqual([
      ['展位', 'template', { kind: 'newCustom', label: '展位号', type: 'text' }],
      ['单位', 'template', { kind: 'field', field: 'company' }],
      ['电话', 'template', { kind: 'field', field: 'mobile' }],
    ])
  })
})
