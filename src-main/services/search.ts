import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { escapeLike, likeContains } from '../shared/text'

/** `column LIKE '%folded query%' ESCAPE '\\'`: % and _ typed by a person are literal characters. */
export function matchesText(column: string, query: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} like ${likeContains(query)} escape '\\'`
}

/** Rows whose JSON array column contains the exact string `value`. */
export function jsonArrayHas(column: string, value: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} like ${`%${escapeLike(JSON.stringify(value))}%`} escape '\\'`
}
