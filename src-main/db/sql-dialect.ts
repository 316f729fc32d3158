// SQL functions whose spelling differs between SQLite and PostgreSQL, for the
// reports. Everything else in the reports is portable Kysely. Instants are
// stored as UTC ISO-8601 strings (see shared/dates.ts), which both databases
// compare correctly as text; only differences in time need a function.
import { sql, type Expression, type RawBuilder } from 'kysely'

/**
 * Days (fractional) from instant `from` to instant `to`, both ISO-8601 text.
 * SQLite: julianday(to) - julianday(from).
 * PostgreSQL: extract(epoch from (to::timestamptz - from::timestamptz)) / 86400.0
 */
export function daysBetween(from: Expression<string | null>, to: Expression<string | null>): RawBuilder<number> {
  return sql<number>`(julianday(${to}) - julianday(${from}))`
}

/**
 * A GROUP BY key the planner must not satisfy by walking an index in key order.
 * SQLite otherwise likes to scan a whole index on (owner_id, …) to skip a sort,
 * reading every row of the table instead of the period's few; a unary plus
 * makes the key an expression, so the period's range index is used and the
 * (small) groups are sorted. PostgreSQL: unary plus on a number is a no-op;
 * on text it does not exist, so text keys use `|| ''` there (see groupText).
 */
export function groupKey(column: string): RawBuilder<number | null> {
  return sql<number | null>`+${sql.ref(column)}`
}

/** The text counterpart of groupKey: SQLite and PostgreSQL both accept `col || ''` (null stays null). */
export function groupText(column: string): RawBuilder<string | null> {
  return sql<string | null>`(${sql.ref(column)} || '')`
}
