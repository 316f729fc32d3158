import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely'
import { AppError } from '../shared/errors'
import { MIGRATIONS } from './migrations/registry'

const MIGRATION_TABLE = 'kysely_migration'

export interface MigrateOptions {
  /** Stop after this migration (tests upgrade an "old" database this way). */
  target?: string
  /** Called once before pending migrations run on a database that has data. */
  beforeUpgrade?: (pending: string[]) => Promise<void>
  migrations?: ReadonlyArray<readonly [string, Migration]>
}

export interface MigrateReport {
  applied: string[]
  current: string | null
}

export function checkRegistryOrder(list: ReadonlyArray<readonly [string, Migration]>): void {
  for (let i = 1; i < list.length; i++) {
    if (!(list[i - 1][0] < list[i][0])) throw new Error(`migration ${list[i][0]} is out of order`)
  }
}

async function executedNames(db: Kysely<any>): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true })
  if (!tables.some((t) => t.name === MIGRATION_TABLE)) return []
  const rows = await db.selectFrom(MIGRATION_TABLE).select('name').orderBy('name').execute()
  return rows.map((r: { name: string }) => r.name)
}

/** Bring the schema to the latest (or `target`) version. Refuses a database written by a newer app. */
export async function migrate(db: Kysely<any>, opts: MigrateOptions = {}): Promise<MigrateReport> {
  const list = opts.migrations ?? MIGRATIONS
  checkRegistryOrder(list)
  const known = new Set(list.map(([name]) => name))
  const executed = await executedNames(db)
  const unknown = executed.filter((n) => !known.has(n))
  if (unknown.length > 0) {
    throw new AppError('DB_TOO_NEW', { version: unknown[unknown.length - 1] })
  }
  const targetIndex = opts.target ? list.findIndex(([n]) => n === opts.target) : list.length - 1
  if (targetIndex < 0) throw new Error(`unknown migration ${opts.target}`)
  const pending = list.slice(0, targetIndex + 1).filter(([n]) => !executed.includes(n)).map(([n]) => n)
  if (pending.length > 0 && executed.length > 0 && opts.beforeUpgrade) await opts.beforeUpgrade(pending)

  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => Object.fromEntries(list) },
  })
  const result: MigrationResultSet = opts.target
    ? await migrator.migrateTo(opts.target)
    : await migrator.migrateToLatest()
  if (result.error) {
    throw new AppError('DB_MIGRATION_FAILED', { detail: String((result.error as Error).message ?? result.error) })
  }
  const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
  const all = await executedNames(db)
  return { applied, current: all[all.length - 1] ?? null }
}

export function latestMigrationName(): string {
  return MIGRATIONS[MIGRATIONS.length - 1][0]
}
