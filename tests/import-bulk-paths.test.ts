// The import's two shortcuts for large files, on real SQLite files: the key
// filter that spares database lookups for keys that cannot exist, and the
// secondary indexes built once at the end. Both must keep every duplicate found
// and leave the table with exactly its indexes, whether the import ends, is
// cancelled, or fails.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportResult } from '../src-main/import/engine'
import { KeyFilter, keyHash } from '../src-main/import/key-filter'
import { createTestCore, type TestCore } from './helpers/core'
import { runJob } from './helpers/jobs'

describe('KeyFilter', () => {
  it('never misses a key it was given, rarely claims one it was not, and grows', () => {
    const f = new KeyFilter(16)
    for (let i = 0; i < 200_000; i++) f.add(`139${String(i).padStart(8, '0')}`)
    expect(f.size).toBe(200_000)
    for (let i = 0; i < 200_000; i++) expect(f.mayHave(`139${String(i).padStart(8, '0')}`)).toBe(true)
    let falsePositives = 0
    for (let i = 0; i < 200_000; i++) if (f.mayHave(`138${String(i).padStart(8, '0')}`)) falsePositives++
    expect(falsePositives).toBeLessThan(200) // 32-bit hashes: about n / 2^32 per probe
    expect(keyHash('')).not.toBe(0)
    f.add('王芳@例子.中国')
    expect(f.mayHave('王芳@例子.中国')).toBe(true)
  })
})

describe('large imports', () => {
  let t: TestCore
  beforeEach(async () => {
    t = await createTestCore({ clock: () => new Date('2026-11-29T02:00:00.000Z') })
  })
  afterEach(async () => t.cleanup())

  const indexes = async () =>
    (await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'index' and tbl_name = 'leads' and sql is not null order by name`.execute(t.database.db)).rows
  const leadCount = async () => Number((await t.database.db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  /** 30,000 rows by default: enough to pass the point where the secondary indexes are dropped (20,000 written). */
  function bigCsv(name: string, dupes: Array<[row: number, mobile: string]>, rows = 30_000): string {
    const path = join(t.dir, name)
    const lines = ['公司名称,联系人,手机,省份']
    for (let i = 0; i < rows; i++) lines.push(`大批公司${i},联系人${i},137${String(i).padStart(8, '0')},浙江`)
    for (const [r, mobile] of dupes) lines[r] = `重复公司${r},重复${r},${mobile},江苏`
    writeFileSync(path, lines.join('\n'))
    return path
  }

  it('finds duplicates in the table and across chunks, and ends with every index rebuilt and used', async () => {
    const before = await indexes()
    expect(before.map((i) => i.name)).toContain('leads_status_idx')
    // Two leads already in the table, matched by mobile.
    await t.ok('leads:create', { company: '老客户甲', mobile: '13900000001' })
    await t.ok('leads:create', { company: '老客户乙', mobile: '13900000002' })
    // Rows 100 and 25,000 hit the old leads; row 28,000 repeats row 5's mobile (written 4 chunks earlier).
    const path = bigCsv('big.csv', [[100, '13900000001'], [25_000, '13900000002'], [28_000, '13700000004']])
    const e = await runJob(t, 'import:run', { file: { path }, target: 'leads', onDuplicate: 'skip' })
    expect(e.state).toBe('done')
    const r = e.result as ImportResult
    expect(r.duplicates).toBe(3)
    expect(r.imported).toBe(30_000 - 3)
    expect(await leadCount()).toBe(2 + 30_000 - 3)
    expect(await indexes()).toEqual(before)
    // The rebuilt status index holds every row (a query through it counts them all).
    const plan = await sql<{ detail: string }>`explain query plan select count(*) from leads where status = 'new'`.execute(t.database.db)
    expect(plan.rows.map((p) => p.detail).join(' ')).toContain('leads_status_idx')
    const byStatus = await t.database.db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'new').executeTakeFirstOrThrow()
    expect(Number(byStatus.n)).toBe(2 + 30_000 - 3)
  })

  it('a cancel after the indexes were dropped leaves the table and its indexes as they were', async () => {
    const before = await indexes()
    // 80,000 rows, cancelled after 24,000: the import must still be running when the cancel arrives.
    const path = bigCsv('cancel.csv', [], 80_000)
    let cancelled = false
    const e = await runJob(t, 'import:run', { file: { path }, target: 'leads' }, (ev, jobId) => {
      if (!cancelled && ev.done >= 24_000) {
        cancelled = true
        void t.ok('jobs:cancel', { jobId })
      }
    })
    expect(cancelled).toBe(true)
    expect(e.state).toBe('cancelled')
    expect(await leadCount()).toBe(0)
    expect(await indexes()).toEqual(before)
  })

  it('an update that gives a lead a new mobile makes that mobile a duplicate key for later rows', async () => {
    await t.ok('leads:create', { company: '改号公司', email: 'gaihao@example.com' })
    const path = join(t.dir, 'update.csv')
    const lines = ['公司名称,联系人,手机,邮箱']
    lines.push('改号公司,张三,13811112222,gaihao@example.com') // updates the old lead: it gets this mobile
    for (let i = 0; i < 600; i++) lines.push(`填充公司${i},李四${i},136${String(i).padStart(8, '0')},`) // pushes the next row into a later chunk
    lines.push('另一家,王五,13811112222,') // same mobile as the updated lead
    writeFileSync(path, lines.join('\n'))
    const e = await runJob(t, 'import:run', { file: { path }, target: 'leads', onDuplicate: 'update' })
    const r = e.result as ImportResult
    expect(e.state).toBe('done')
    expect(r.updated).toBe(2)
    expect(r.imported).toBe(600)
  })
})
