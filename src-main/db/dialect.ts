// The one place for SQL that differs between SQLite and PostgreSQL.
// Everything else is written with Kysely's portable builders.
import type { ColumnDefinitionBuilder, CreateTableBuilder } from 'kysely'

export type DialectName = 'sqlite' | 'postgres'

/** Adds an auto-generated integer primary key named `id`. */
export function withIdColumn<T extends string>(
  table: CreateTableBuilder<T, never>,
  dialect: DialectName = 'sqlite',
): CreateTableBuilder<T, 'id'> {
  return table.addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (col: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
  )
}
