import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import type { Database } from './database'
import { migrate, type MigrateReport } from './migrate'
import { backupSqlite, isEmptyDatabase, kyselyFor, openSqlite, type SqliteHandle } from './sqlite'

export const DB_FILE_NAME = 'crm.sqlite'

export interface AppDatabase {
  db: Kysely<Database>
  sqlite: SqliteHandle
  file: string
  migration: MigrateReport
  close(): Promise<void>
}

export interface OpenAppDatabaseOptions {
  nativeBinding?: string
  /** Skip migrations (the `migrate` command runs them itself). */
  migrate?: boolean
  /** Folder for automatic pre-upgrade copies; defaults to <dir of file>/backups. */
  backupsDir?: string
  now?: () => Date
}

/** Where the database lives for the server and the command line: --data-dir, then CRM_DATA_DIR. */
export function resolveDataDir(flag?: string): string {
  const dir = flag ?? process.env.CRM_DATA_DIR ?? join(process.cwd(), '.crm-data')
  mkdirSync(dir, { recursive: true })
  return dir
}

export function backupFileName(reason: string, now: Date): string {
  return `crm-${now.toISOString().replace(/[:.]/g, '-')}-${reason}.sqlite`
}

/** Open (creating if needed) and migrate the database file, backing it up before any upgrade. */
export async function openAppDatabase(file: string, opts: OpenAppDatabaseOptions = {}): Promise<AppDatabase> {
  const sqlite = openSqlite(file, { nativeBinding: opts.nativeBinding })
  const db = kyselyFor(sqlite)
  const fresh = isEmptyDatabase(sqlite)
  const backupsDir = opts.backupsDir ?? join(file, '..', 'backups')
  const now = opts.now ?? (() => new Date())
  let migration: MigrateReport = { applied: [], current: null }
  try {
    if (opts.migrate !== false) {
      migration = await migrate(db, {
        beforeUpgrade: async (pending) => {
          if (fresh) return
          if (!existsSync(backupsDir)) mkdirSync(backupsDir, { recursive: true })
          await backupSqlite(sqlite, join(backupsDir, backupFileName(`before-${pending[0]}`, now())))
        },
      })
    }
  } catch (err) {
    await db.destroy()
    throw err
  }
  return {
    db,
    sqlite,
    file,
    migration,
    close: () => db.destroy(),
  }
}
