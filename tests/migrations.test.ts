import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { sql, type Kysely, type Migration } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate, checkRegistryOrder, latestMigrationName } from '../src-main/db/migrate'
import { MIGRATIONS } from '../src-main/db/migrations/registry'
import { openAppDatabase } from '../src-main/db/open'
import { kyselyFor, openSqlite } from '../src-main/db/sqlite'
import { AppError } from '../src-main/shared/errors'
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

describe('migrations', () => {
  it('are listed in increasing order, in steps of 10', () => {
    expect(() => checkRegistryOrder(MIGRATIONS)).not.toThrow()
    for (const [name] of MIGRATIONS) expect(Number(name.slice(0, 4)) % 10, name).toBe(0)
    expect(() => checkRegistryOrder([MIGRATIONS[1], MIGRATIONS[0]])).toThrow(/out of order/)
  })

  it('bring a fresh database to the latest version with the default pipeline', async () => {
    const dir = tempDir()
    const app = await openAppDatabase(join(dir, 'crm.sqlite'))
    cleanups.push(() => app.close())
    expect(app.migration.current).toBe(latestMigrationName())
    const stages = await app.db.selectFrom('pipeline_stages').select(['name', 'probability', 'kind']).orderBy('sort_order').execute()
    expect(stages).toEqual([
      { name: '潜在商机', probability: 10, kind: 'open' },
      { name: '意向商机', probability: 30, kind: 'open' },
      { name: '谈判商机', probability: 60, kind: 'open' },
      { name: '成交', probability: 100, kind: 'won' },
      { name: '输单', probability: 0, kind: 'lost' },
    ])
    expect(app.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(app.sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    // A fresh database needs no backup.
    expect(existsSync(join(dir, 'backups'))).toBe(false)
  })

  it('upgrade an older database, keeping its data and backing it up first', async () => {
    const dir = tempDir()
    const file = join(dir, 'crm.sqlite')
    const old = rawDb(file)
    await migrate(old, { target: '0010-initial-schema' })
    const now = new Date().toISOString()
    await old.insertInto('users').values({ name: '老用户', role: 'admin', skills: '[]', created_at: now, updated_at: now }).execute()
    await old.insertInto('accounts').values({ name: '老客户有限公司', tags: '[]', lifecycle: 'customer', search_text: '老客户有限公司', created_at: now, updated_at: now }).execute()
    // 0010 has no stages yet: they arrive with 0020.
    expect((await old.selectFrom('pipeline_stages').selectAll().execute()).length).toBe(0)
    await old.destroy()
    cleanups.pop()

    const app = await openAppDatabase(file)
    cleanups.push(() => app.close())
    expect(app.migration.applied).toEqual(MIGRATIONS.slice(1).map(([name]) => name))
    const accounts = await app.db.selectFrom('accounts').select('name').execute()
    expect(accounts).toEqual([{ name: '老客户有限公司' }])
    expect((await app.db.selectFrom('pipeline_stages').selectAll().execute()).length).toBe(5)

    const backups = readdirSync(join(dir, 'backups'))
    expect(backups).toHaveLength(1)
    expect(backups[0]).toMatch(/before-0020/)
    const copy = rawDb(join(dir, 'backups', backups[0]))
    expect(await copy.selectFrom('accounts').select('name').execute()).toEqual([{ name: '老客户有限公司' }])
    const copyMigrations = await copy.selectFrom('kysely_migration').select('name').execute()
    expect(copyMigrations.map((m) => m.name)).toEqual(['0010-initial-schema'])
  })

  it('refuse a database written by a newer version, with a clear message', async () => {
    const dir = tempDir()
    const file = join(dir, 'crm.sqlite')
    const first = await openAppDatabase(file)
    await first.db.insertInto('kysely_migration' as any).values({ name: '9990-from-the-future', timestamp: new Date().toISOString() }).execute()
    await first.close()

    const err = await openAppDatabase(file).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('DB_TOO_NEW')
    expect((err as AppError).toData('zh-CN').message).toContain('请升级本软件')
    expect((err as AppError).toData('zh-CN').message).toContain('9990-from-the-future')
  })

  it('apply all pending migrations in one transaction: a failing one leaves nothing half done', async () => {
    const dir = tempDir()
    const db = rawDb(join(dir, 'crm.sqlite'))
    const broken: Migration = {
      up: async (trx) => {
        await trx.schema.createTable('half_done').addColumn('id', 'integer').execute()
        await sql`select * from table_that_does_not_exist`.execute(trx)
      },
    }
    const err = await migrate(db, { migrations: [...MIGRATIONS, ['9990-broken', broken]] }).catch((e: unknown) => e)
    expect((err as AppError).code).toBe('DB_MIGRATION_FAILED')
    const tables = await db.introspection.getTables({ withInternalKyselyTables: true })
    const names = tables.map((t) => t.name)
    expect(names).not.toContain('half_done')
    expect(names).not.toContain('accounts')
  })
})
