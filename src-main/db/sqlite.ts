// SQLite-only pieces of the data layer: opening the file, pragmas, backups.
// Nothing outside src-main/db imports better-sqlite3.
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteAdapter, SqliteDialect } from 'kysely'
import type { Database } from './database'

export type SqliteHandle = BetterSqlite3.Database

export interface OpenOptions {
  /** Path of an Electron-ABI build of better-sqlite3 (desktop only), see scripts/rebuild-native-for-electron.mjs. */
  nativeBinding?: string
  readonly?: boolean
}

export function openSqlite(file: string, opts: OpenOptions = {}): SqliteHandle {
  const sqlite = new BetterSqlite3(file, {
    nativeBinding: opts.nativeBinding,
    readonly: opts.readonly ?? false,
  })
  if (!opts.readonly) sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('synchronous = NORMAL')
  // Reports read a period's worth of index pages from a database of a million rows; with the
  // default 2 MB page cache every page is a read() again. 64 MB cache + memory-mapped reads.
  sqlite.pragma('cache_size = -65536')
  sqlite.pragma('mmap_size = 268435456')
  return sqlite
}

// SQLite runs DDL inside transactions perfectly well; Kysely's adapter just
// says it does not. Saying yes lets the Migrator apply all pending migrations
// in one transaction, so an upgrade can never be half applied.
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true
  }
}

class CrmSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter()
  }
}

// The handle behind each Kysely instance, for the few SQLite-only fast paths (sqlite-bulk.ts).
const HANDLES = new WeakMap<object, SqliteHandle>()

export function kyselyFor(sqlite: SqliteHandle): Kysely<Database> {
  const db = new Kysely<Database>({ dialect: new CrmSqliteDialect({ database: sqlite }) })
  HANDLES.set(db, sqlite)
  return db
}

/** The better-sqlite3 handle a Kysely instance from kyselyFor() runs on. */
export function sqliteHandleOf(db: object): SqliteHandle | undefined {
  return HANDLES.get(db)
}

/** Online, consistent copy of the database file (works while the app runs). */
export async function backupSqlite(sqlite: SqliteHandle, destination: string): Promise<void> {
  await sqlite.backup(destination)
}

/** True when the file holds no tables yet (a brand-new database). */
export function isEmptyDatabase(sqlite: SqliteHandle): boolean {
  const row = sqlite.prepare("select count(*) as n from sqlite_master where type = 'table'").get() as { n: number }
  return row.n === 0
}
