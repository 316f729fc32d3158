// 0030 (import and segments) on a database that already has data: everything is
// kept, duplicate keys are backfilled, source channels are seeded from what is in use.
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../src-main/db/migrate'
import { openAppDatabase } from '../src-main/db/open'
import { kyselyFor, openSqlite } from '../src-main/db/sqlite'
import { companyKey } from '../src-main/shared/keys'
import { tempDir } from './helpers/core'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

function rawDb(file: string): Kysely<any> {
  const db = kyselyFor(openSqlite(file))
  cleanups.push(() => db.destroy())
  return db
}

describe('migrations 0030-import-and-segments and 0070-import-keys-and-partial-indexes', () => {
  it('upgrades a 0020 database with data, keeping every row and filling the new keys', async () => {
    const file = join(tempDir('crm-mig30-'), 'crm.sqlite')
    const db = rawDb(file)
    await migrate(db, { target: '0020-settings-and-default-stages' })
    const now = '2026-01-02T03:04:05.000Z'
    const user = await db.insertInto('users').values({ name: '王建国', role: 'admin', skills: '[]', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()
    const acc = await db
      .insertInto('accounts')
      .values({ name: '华为技术（深圳）有限公司', source: '老客户介绍', tags: '["重点"]', lifecycle: 'customer', owner_id: user.id, search_text: 'x', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('contacts').values({ account_id: acc.id, name: '李娜', mobile: '13800138000', search_text: '', created_at: now, updated_at: now }).execute()
    const batch = await db.insertInto('import_batches').values({ target: 'leads', file_name: 'old.xlsx', status: 'done', created_at: now, summary: '{"imported":1}' }).returning('id').executeTakeFirstOrThrow()
    await db
      .insertInto('leads')
      .values({ company: 'ACME Co., Ltd.', contact_name: 'Bob', source: '展会', status: 'new', import_batch_id: batch.id, search_text: '', created_at: now, updated_at: now })
      .execute()
    await db.insertInto('leads').values({ contact_name: '个人客户', source: '抖音', status: 'new', search_text: '', created_at: now, updated_at: now }).execute()
    const stage = await db.selectFrom('pipeline_stages').select('id').where('key', '=', 'won').executeTakeFirstOrThrow()
    await db
      .insertInto('opportunities')
      .values({ title: '交换机', account_id: acc.id, amount_fen: 1_000_000, stage_id: stage.id, probability: 100, status: 'won', stage_changed_at: now, search_text: '', created_at: now, updated_at: now })
      .execute()

    const report = await migrate(db, { target: '0030-import-and-segments' })
    expect(report.applied).toEqual(['0030-import-and-segments'])

    const accounts = await db.selectFrom('accounts').selectAll().execute()
    expect(accounts).toHaveLength(1)
    expect(accounts[0]).toMatchObject({ name: '华为技术（深圳）有限公司', tags: '["重点"]', lifecycle: 'customer', owner_id: user.id, import_batch_id: null, external_id: null })
    expect(accounts[0].name_key).toBe(companyKey('华为技术(深圳)'))
    const leads = await db.selectFrom('leads').selectAll().orderBy('id').execute()
    // 0030 dropped one legal suffix ("ACME Co., Ltd." → "acmeco"); 0070 drops them all (below).
    expect(leads.map((l) => [l.company_key, l.tags, l.import_batch_id])).toEqual([
      ['acmeco', '[]', batch.id],
      [null, '[]', null],
    ])
    expect((await db.selectFrom('contacts').selectAll().execute())[0]).toMatchObject({ name: '李娜', mobile: '13800138000', import_batch_id: null })
    expect((await db.selectFrom('opportunities').selectAll().execute())[0]).toMatchObject({ title: '交换机', amount_fen: 1_000_000, import_batch_id: null })
    expect((await db.selectFrom('import_batches').selectAll().execute())[0]).toMatchObject({ file_name: 'old.xlsx', summary: '{"imported":1}', undone_at: null })
    const channels = (await db.selectFrom('source_channels').select('name').orderBy('sort_order').execute()).map((c) => c.name)
    expect(channels.slice(0, 10)).toEqual(['展会', '微信', '微博', 'LinkedIn', '官网', '广告', '合作伙伴', '转介绍', '内部推荐', '其他'])
    expect(channels.slice(10).sort()).toEqual(['抖音', '老客户介绍'].sort())
    for (const table of ['import_templates', 'custom_fields', 'custom_values', 'saved_views', 'personas', 'import_changes']) {
      expect(await db.selectFrom(table).selectAll().execute()).toEqual([])
    }
    await db.destroy()
    cleanups.pop()

    // And the app opens it at the latest version with the data intact.
    const app = await openAppDatabase(file)
    cleanups.push(() => app.close())
    expect((await app.db.selectFrom('accounts').select('name').execute()).map((a) => a.name)).toEqual(['华为技术（深圳）有限公司'])
    // 0070: stacked suffixes dropped, so the key matches what the services now compute.
    expect((await app.db.selectFrom('leads').select('company_key').where('contact_name', '=', 'Bob').executeTakeFirstOrThrow()).company_key).toBe(companyKey('ACME'))
    // The duplicate lookups of an import use the new (partial) indexes, never a scan.
    const plan = (q: string) => (app.sqlite.prepare(`explain query plan ${q}`).all('x', 'y') as Array<{ detail: string }>).map((r) => r.detail).join(' ')
    expect(plan('select id from leads where company_key in (?, ?)')).toContain('INDEX leads_company_key_idx')
    expect(plan('select id from leads where email in (?, ?)')).toContain('INDEX leads_email_idx')
    expect(plan('select id from accounts where name_key in (?, ?)')).toContain('INDEX accounts_name_key_idx')
    expect(plan('select id from opportunities where external_id in (?, ?)')).toContain('INDEX opportunities_external_id_idx')
    expect(plan('select id from contacts where mobile in (?, ?)')).toContain('INDEX contacts_mobile_idx')
  })
})
