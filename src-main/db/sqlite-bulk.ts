// SQLite-only fast path for bulk imports (see docs/ARCHITECTURE.md, "Data").
//
// Why: an import writes up to millions of rows. Through Kysely every row costs a
// query build and compile (tens of µs); with better-sqlite3 prepared statements it
// costs 2–4 µs. The benchmark (npm run bench:import) needs the import to run at
// nearly the speed of reading the spreadsheet, so the hot loop uses prepared
// statements on the same connection Kysely uses. Rules:
// - only inside a transaction opened through Kysely (checked), so a cancel or a
//   crash rolls everything back together with the Kysely writes around it;
// - table and column names come from typed code, never from input (checked);
// - nothing else: every other query stays a Kysely builder. A PostgreSQL port
//   would implement BulkStatements with COPY / multi-row inserts.
import { dirname } from 'node:path'
import type { Kysely } from 'kysely'
import type { Database } from './database'
import { sqliteHandleOf, type SqliteHandle } from './sqlite'

type Table = keyof Database & string
type Value = string | number | bigint | null
const IDENT = /^[a-z_][a-z0-9_]*$/
/** Keys per lookup statement: one prepared statement serves every chunk (padded with nulls). */
const LOOKUP_CHUNK = 500

function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`bad SQL identifier ${name}`)
  return name
}

export interface BulkStatements {
  /** `insert into table (columns…) values (?…)`: returns a function taking values in column order and returning the new id. */
  inserter(table: Table, columns: readonly string[]): (values: Value[]) => number
  /** `update table set c1 = ?, … where id = ?`. */
  updater(table: Table, columns: readonly string[]): (id: number, values: Value[]) => void
  /** `select columns… from table where key in (…)` for any number of keys. */
  lookup<R>(table: Table, key: string, columns: readonly string[]): (keys: ReadonlyArray<string | number>) => R[]
  /** `insert … on conflict (conflict…) do update set` the other columns (portable upsert syntax). */
  upserter(table: Table, columns: readonly string[], conflict: readonly string[]): (values: Value[]) => void
  /** `delete from table where key = ?`: returns the number of rows deleted. */
  deleter(table: Table, key: string): (value: Value) => number
  /**
   * A bigger page cache while a bulk write runs (index pages of random keys such as
   * mobiles stay in memory: about a quarter faster at 100,000 rows). Returns the restore.
   */
  largeCache(kib: number): () => void
  /** Rows in a table. */
  count(table: Table): number
  /** Every non-null value of one column (streamed, for building an in-memory filter). */
  values(table: Table, column: string): IterableIterator<string | number>
  /**
   * Drop the table's secondary indexes that do not serve the given columns' lookups, for a bulk
   * write much larger than the table: building an index once at the end is several times cheaper
   * than updating it row by row. Returns the rebuild, to call before the transaction commits (a
   * rollback brings the dropped indexes back by itself). Unique indexes are kept (they enforce).
   */
  deferIndexes(table: Table, keepColumns: readonly string[]): { dropped: string[]; rebuild: () => void }
}

function handle(db: Kysely<Database>): SqliteHandle {
  const sqlite = sqliteHandleOf(db)
  if (!sqlite) throw new Error('bulk statements need a database opened with kyselyFor()')
  return sqlite
}

/** Prepared statements on the connection behind `db`. Call inside `db.transaction()`. */
export function bulkStatements(db: Kysely<Database>): BulkStatements {
  const sqlite = handle(db)
  const inTrx = () => {
    if (!sqlite.inTransaction) throw new Error('bulk statements run only inside a transaction')
  }
  return {
    inserter(table, columns) {
      const stmt = sqlite.prepare(`insert into ${ident(table)} (${columns.map(ident).join(', ')}) values (${columns.map(() => '?').join(', ')})`)
      return (values) => {
        inTrx()
        return Number(stmt.run(values).lastInsertRowid)
      }
    },
    updater(table, columns) {
      const stmt = sqlite.prepare(`update ${ident(table)} set ${columns.map((c) => `${ident(c)} = ?`).join(', ')} where id = ?`)
      return (id, values) => {
        inTrx()
        stmt.run([...values, id])
      }
    },
    lookup<R>(table: Table, key: string, columns: readonly string[]) {
      const stmt = sqlite.prepare(
        `select ${columns.map(ident).join(', ')} from ${ident(table)} where ${ident(key)} in (${Array.from({ length: LOOKUP_CHUNK }, () => '?').join(', ')})`,
      )
      return (keys) => {
        const out: R[] = []
        for (let i = 0; i < keys.length; i += LOOKUP_CHUNK) {
          const chunk: Array<string | number | null> = keys.slice(i, i + LOOKUP_CHUNK)
          while (chunk.length < LOOKUP_CHUNK) chunk.push(null)
          for (const row of stmt.all(chunk)) out.push(row as R)
        }
        return out
      }
    },
    upserter(table, columns, conflict) {
      const updates = columns.filter((c) => !conflict.includes(c)).map((c) => `${ident(c)} = excluded.${ident(c)}`)
      const stmt = sqlite.prepare(
        `insert into ${ident(table)} (${columns.map(ident).join(', ')}) values (${columns.map(() => '?').join(', ')}) ` +
          `on conflict (${conflict.map(ident).join(', ')}) do update set ${updates.join(', ')}`,
      )
      return (values) => {
        inTrx()
        stmt.run(values)
      }
    },
    largeCache(kib) {
      const before = sqlite.pragma('cache_size', { simple: true }) as number
      sqlite.pragma(`cache_size = ${-Math.abs(Math.trunc(kib))}`)
      return () => {
        sqlite.pragma(`cache_size = ${Math.trunc(before)}`)
      }
    },
    count(table) {
      return sqlite.prepare(`select count(*) from ${ident(table)}`).pluck().get() as number
    },
    values(table, column) {
      return sqlite.prepare(`select ${ident(column)} from ${ident(table)} where ${ident(column)} is not null`).pluck().iterate() as IterableIterator<string | number>
    },
    deferIndexes(table, keepColumns) {
      inTrx()
      const indexes = sqlite
        .prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null`)
        .all(ident(table)) as Array<{ name: string; sql: string }>
      const drop = indexes.filter((ix) => {
        if (/^\s*create\s+unique\b/i.test(ix.sql)) return false
        const cols = (sqlite.prepare(`select name from pragma_index_info(?)`).pluck().all(ix.name) as Array<string | null>)
        return !cols.some((c) => c !== null && keepColumns.includes(c))
      })
      for (const ix of drop) sqlite.exec(`drop index ${ident(ix.name)}`)
      return {
        dropped: drop.map((ix) => ix.name),
        rebuild: () => {
          inTrx()
          for (const ix of drop) sqlite.exec(ix.sql)
        },
      }
    },
    deleter(table, key) {
      const stmt = sqlite.prepare(`delete from ${ident(table)} where ${ident(key)} = ?`)
      return (value) => {
        inTrx()
        return stmt.run([value]).changes
      }
    },
  }
}

/**
 * Run a compiled (Kysely-built) select and hand its rows over in batches, holding
 * Kysely's connection meanwhile so that nothing else runs on it. For exports:
 * Kysely's own stream() costs a promise per row. The statement stays open between
 * batches (the callback may await, e.g. for the file to drain, but must not query).
 */
export async function iterateCompiled<R>(
  db: Kysely<Database>,
  query: { sql: string; parameters: readonly unknown[] },
  batchSize: number,
  onBatch: (rows: R[]) => Promise<void> | void,
): Promise<void> {
  const sqlite = handle(db)
  await db.connection().execute(async () => {
    const stmt = sqlite.prepare(query.sql)
    let batch: R[] = []
    for (const row of stmt.iterate(...query.parameters)) {
      batch.push(row as R)
      if (batch.length >= batchSize) {
        await onBatch(batch)
        batch = []
      }
    }
    if (batch.length) await onBatch(batch)
  })
}

/** Folder holding the database file: the data folder (uploads, exports and rejected-row files live under it). */
export function databaseDir(db: Kysely<Database>): string {
  return dirname(handle(db).name)
}
