// The contacts list (contacts:list: search, account, owner through the account,
// a selection, paging) and its export; the import history's rejected rows
// downloaded again (import:rejectedFile), also after files/ was swept, and a
// clear error once the file is gone. Real dispatcher, real SQLite file, real files.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ExportResult } from '../src-main/export/export'
import type { ImportResult } from '../src-main/import/engine'
import { resolveFileToken } from '../src-main/import/file-store'
import { createTestCore, type TestCore } from './helpers/core'
import { runJob } from './helpers/jobs'

let t: TestCore
beforeEach(async () => {
  t = await createTestCore({ clock: () => new Date('2026-11-29T02:00:00.000Z') })
})
afterEach(async () => t.cleanup())

/** Two sales people, three accounts (one in the pool), seven contacts. */
async function seed() {
  const li = await t.ok('users:create', { name: '李娜' })
  const zhao = await t.ok('users:create', { name: '赵强' })
  const a1 = await t.ok('accounts:create', { name: '杭州云帆科技', ownerId: li.id })
  const a2 = await t.ok('accounts:create', { name: '苏州精工机械', ownerId: zhao.id })
  const a3 = await t.ok('accounts:create', { name: '公海客户' })
  const people: Array<[number, string, string | null, string | null]> = [
    [a1.id, '王芳', '采购经理', '13800000001'],
    [a1.id, '陈磊', '总经理', '13800000002'],
    [a1.id, '周敏', null, null],
    [a2.id, '王建国', '技术总监', '13900000001'],
    [a2.id, '刘洋', null, '13900000002'],
    [a3.id, '孙丽', '行政', null],
    [a3.id, '王小二', null, null],
  ]
  const contacts = []
  for (const [accountId, name, title, mobile] of people) contacts.push(await t.ok('contacts:create', { accountId, name, title, mobile }))
  return { li, zhao, a1, a2, a3, contacts }
}

describe('contacts:list', () => {
  it('filters by search, account, owner (the account owner) and ids, pages, and carries account and owner', async () => {
    const { li, zhao, a1, a2, contacts } = await seed()
    const all = await t.ok('contacts:list', { pageSize: 100 })
    expect(all.total).toBe(7)
    const wang = all.rows.find((r) => r.name === '王芳')!
    expect(wang).toMatchObject({ accountId: a1.id, accountName: '杭州云帆科技', ownerId: li.id, ownerName: '李娜', title: '采购经理', mobile: '13800000001' })
    expect(all.rows.find((r) => r.name === '孙丽')).toMatchObject({ accountName: '公海客户', ownerId: null, ownerName: null })

    // Keyword: name, title, mobile (folded search text).
    expect((await t.ok('contacts:list', { q: '王' })).rows.map((r) => r.name).sort()).toEqual(['王小二', '王建国', '王芳'].sort())
    expect((await t.ok('contacts:list', { q: '1390000' })).total).toBe(2)
    expect((await t.ok('contacts:list', { q: '总' })).rows.map((r) => r.name).sort()).toEqual(['王建国', '陈磊'].sort())

    // Owner: the contacts of the accounts this user owns; combined with the other filters.
    const ofLi = await t.ok('contacts:list', { ownerId: li.id })
    expect(ofLi.total).toBe(3)
    expect(new Set(ofLi.rows.map((r) => r.accountId))).toEqual(new Set([a1.id]))
    expect((await t.ok('contacts:list', { ownerId: zhao.id, q: '王' })).rows.map((r) => r.name)).toEqual(['王建国'])
    expect((await t.ok('contacts:list', { ownerId: zhao.id, accountId: a1.id })).total).toBe(0)
    expect((await t.ok('contacts:list', { accountId: a2.id })).total).toBe(2)
    expect((await t.ok('contacts:list', { ids: [contacts[0].id, contacts[6].id] })).rows.map((r) => r.name).sort()).toEqual(['王小二', '王芳'].sort())

    // Paging: pages of 3 cover every contact once, in a stable order; the total stays.
    const seen: number[] = []
    for (let page = 1; page <= 3; page++) {
      const p = await t.ok('contacts:list', { page, pageSize: 3, sort: 'name', order: 'asc' })
      expect(p.total).toBe(7)
      expect(p.rows.length).toBe(page < 3 ? 3 : 1)
      seen.push(...p.rows.map((r) => r.id))
    }
    expect(new Set(seen).size).toBe(7)

    // A saved view keeps these filters (validated as the list's own input) and opens to the same rows.
    const view = await t.ok('views:save', { entity: 'contacts', name: '李娜的王姓联系人', filters: { ownerId: li.id, q: '王' }, columns: ['name', 'account', 'owner'] })
    const stored = (await t.ok('views:list', { entity: 'contacts' })).find((v) => v.id === view.id)!
    expect(stored).toMatchObject({ filters: { ownerId: li.id, q: '王' }, columns: ['name', 'account', 'owner'] })
    expect((await t.ok('contacts:list', stored.filters as never)).rows.map((r) => r.name)).toEqual(['王芳'])

    // Bad input is refused by the schema, in the caller's language.
    const bad = await t.call('contacts:list', { ownerId: -1 } as never, { locale: 'en' })
    expect(bad.ok).toBe(false)
  })

  it('exports the filtered list with its columns, the owner included', async () => {
    const { zhao } = await seed()
    const e = await runJob(t, 'export:run', {
      entity: 'contacts',
      format: 'xlsx',
      filters: { ownerId: zhao.id, sort: 'name', order: 'asc' },
      columns: ['name', 'accountName', 'title', 'mobile', 'ownerName', 'createdAt'],
    } as never)
    expect(e.state).toBe('done')
    const r = e.result as ExportResult
    expect(r.rows).toBe((await t.ok('contacts:list', { ownerId: zhao.id })).total)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(resolveFileToken(t.dir, r.token!).path)
    const ws = wb.worksheets[0]
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['姓名', '客户名称', '职务', '手机', '负责人', '创建时间'])
    expect(ws.rowCount).toBe(3)
    const names = [2, 3].map((n) => ws.getRow(n).getCell(1).value)
    expect(names.sort()).toEqual(['刘洋', '王建国'].sort())
    expect(ws.getRow(2).getCell(5).value).toBe('赵强')
    expect(ws.getRow(2).getCell(6).value).toBeInstanceOf(Date)
  })
})

describe('import:rejectedFile', () => {
  async function importCsv(name: string, body: string): Promise<ImportResult> {
    const path = join(t.dir, name)
    // Written by hand, not by exceljs: UTF-8 with BOM as Excel saves it.
    writeFileSync(path, '\ufeff' + body.replace(/\n/g, '\r\n'))
    const e = await runJob(t, 'import:run', { file: { path }, target: 'leads' } as never)
    if (e.state !== 'done') throw new Error(`import ${e.state}: ${e.error?.message}`)
    return e.result as ImportResult
  }

  it('hands out a batch’s rejected rows again, also after the day-old download folder is swept; a deleted file is a clear error', async () => {
    const r = await importCsv(
      '展会名单.csv',
      ['公司名称,联系人,手机,邮箱', '杭州云帆科技,王芳,13800000001,wang@yunfan.cn', '坏邮箱公司,李四,13800000002,li@@bad', '坏手机公司,张三,12345,', '苏州精工,刘洋,13900000002,'].join('\n') + '\n',
    )
    expect(r).toMatchObject({ imported: 2, rejected: 2 })
    const batchId = r.batchId!
    expect((await t.ok('import:batches', {}))[0]).toMatchObject({ id: batchId, rejectedFile: true })

    // The download folder of the run itself is swept after a day: simulate that.
    rmSync(dirname(r.rejectedFile!.path), { recursive: true, force: true })

    const got = await t.ok('import:rejectedFile', { batchId })
    expect(got.name).toBe('展会名单-未导入的行.xlsx')
    expect(got.token).not.toBe(r.rejectedFile!.token)
    const slot = resolveFileToken(t.dir, got.token)
    expect(slot.name).toBe(got.name)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(slot.path)
    const ws = wb.worksheets[0]
    expect(ws.rowCount).toBe(3)
    expect([ws.getRow(2).getCell(1).value, ws.getRow(3).getCell(1).value]).toEqual(['坏邮箱公司', '坏手机公司'])
    expect(ws.getRow(2).getCell(5).value).toBe(3) // the original row number

    // Twice: each call is its own token; the kept file stays.
    const again = await t.ok('import:rejectedFile', { batchId })
    expect(again.token).not.toBe(got.token)
    expect(readFileSync(resolveFileToken(t.dir, again.token).path).equals(readFileSync(slot.path))).toBe(true)

    // Undoing the batch keeps the file: the history still lists it.
    await t.ok('import:undo', { batchId })
    expect((await t.ok('import:rejectedFile', { batchId })).name).toBe(got.name)

    // The kept file deleted from disk: a clear message in the caller's language, not a crash.
    const batch = await t.database.db.selectFrom('import_batches').select('rejected_file').where('id', '=', batchId).executeTakeFirstOrThrow()
    expect(batch.rejected_file && existsSync(batch.rejected_file)).toBe(true)
    rmSync(batch.rejected_file!)
    const gone = await t.call('import:rejectedFile', { batchId })
    expect(gone.ok).toBe(false)
    if (gone.ok) return
    expect(gone.error.code).toBe('IMPORT_REJECTED_FILE_GONE')
    expect(gone.error.message).toContain(`第 ${batchId} 批导入`)
    const goneEn = await t.call('import:rejectedFile', { batchId }, { locale: 'en' })
    expect(!goneEn.ok && goneEn.error.message).toContain(`import batch ${batchId} is no longer on disk`)
  })

  it('says so for a batch without rejected rows and for an unknown batch', async () => {
    const r = await importCsv('clean.csv', '公司名称,手机\n杭州云帆科技,13800000001\n')
    expect(r.rejected).toBe(0)
    const none = await t.call('import:rejectedFile', { batchId: r.batchId! })
    expect(!none.ok && none.error.code).toBe('IMPORT_NO_REJECTED_ROWS')
    const unknown = await t.call('import:rejectedFile', { batchId: 9999 })
    expect(!unknown.ok && unknown.error.code).toBe('NOT_FOUND')
  })
})
