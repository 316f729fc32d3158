// One path for every write: a transaction, an audit entry per changed row.
import type { Transaction } from 'kysely'
import type { Database, DbOrTrx } from '../db/database'
import type { Ctx } from './context'

export type Trx = Transaction<Database>

/** Run `fn` in a transaction, or inside the caller's transaction when already in one. */
export async function inTransaction<T>(db: DbOrTrx, fn: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Trx)
  return db.transaction().execute(fn)
}

type Plain = Record<string, unknown>

/** Fields that change on every write and would only add noise to the audit diff. */
const NOISE = new Set(['updated_at', 'search_text', 'version'])

export function diff(before: Plain, after: Plain): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {}
  for (const key of Object.keys(after)) {
    if (NOISE.has(key)) continue
    if (before[key] !== after[key]) changes[key] = [before[key] ?? null, after[key] ?? null]
  }
  return changes
}

export async function audit(
  trx: Trx,
  ctx: Ctx,
  entry: { action: 'create' | 'update' | 'delete'; entity: string; entityId: number; changes: unknown },
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      at: ctx.now().toISOString(),
      user_id: ctx.userId,
      method: ctx.method ?? null,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId,
      changes: JSON.stringify(entry.changes),
    })
    .execute()
}
