// Monthly sales targets (per person) and channel costs (per source): the two
// numbers the reports compare against. Both are "amount per key per month";
// setting null removes the entry.
import { z } from 'zod'
import type { Db, DbOrTrx } from '../db/database'
import { notFound } from '../shared/errors'
import type { Ctx } from './context'
import { fen, id } from './fields'
import { audit, inTransaction } from './write'

export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'v.month' })
const monthRange = { from: month, to: month }

export interface SalesTarget {
  userId: number
  userName: string
  month: string
  amountFen: number
}
export interface ChannelCost {
  source: string
  month: string
  amountFen: number
}

export const targetListInput = z.object({ ...monthRange, userId: id.optional() }).strict()
export const targetSetInput = z
  .object({ items: z.array(z.object({ userId: id, month, amountFen: fen.nullable() }).strict()).min(1).max(600) })
  .strict()
export const costListInput = z.object({ ...monthRange, source: z.string().trim().min(1).max(30).optional() }).strict()
export const costSetInput = z
  .object({ items: z.array(z.object({ source: z.string().trim().min(1).max(30), month, amountFen: fen.nullable() }).strict()).min(1).max(600) })
  .strict()

export async function listTargets(db: DbOrTrx, _ctx: Ctx, input: z.output<typeof targetListInput>): Promise<SalesTarget[]> {
  const rows = await db
    .selectFrom('sales_targets as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.user_id', 'u.name', 't.month', 't.amount_fen'])
    .where('t.month', '>=', input.from)
    .where('t.month', '<=', input.to)
    .$if(input.userId !== undefined, (q) => q.where('t.user_id', '=', input.userId!))
    .orderBy('t.month')
    .orderBy('u.name')
    .execute()
  return rows.map((r) => ({ userId: r.user_id, userName: r.name, month: r.month, amountFen: Number(r.amount_fen) }))
}

export async function setTargets(db: Db, ctx: Ctx, input: z.output<typeof targetSetInput>): Promise<{ saved: number; removed: number }> {
  return inTransaction(db, async (trx) => {
    const now = ctx.now().toISOString()
    let saved = 0
    let removed = 0
    for (const item of input.items) {
      if (!(await trx.selectFrom('users').select('id').where('id', '=', item.userId).executeTakeFirst())) throw notFound('user', item.userId)
      const before = await trx.selectFrom('sales_targets').selectAll().where('user_id', '=', item.userId).where('month', '=', item.month).executeTakeFirst()
      if (item.amountFen === null) {
        if (!before) continue
        await trx.deleteFrom('sales_targets').where('id', '=', before.id).execute()
        await audit(trx, ctx, { action: 'delete', entity: 'sales_target', entityId: before.id, changes: before })
        removed++
        continue
      }
      const row = await trx
        .insertInto('sales_targets')
        .values({ user_id: item.userId, month: item.month, amount_fen: item.amountFen, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['user_id', 'month']).doUpdateSet({ amount_fen: item.amountFen!, updated_at: now }))
        .returning('id')
        .executeTakeFirstOrThrow()
      await audit(trx, ctx, {
        action: before ? 'update' : 'create',
        entity: 'sales_target',
        entityId: row.id,
        changes: before ? { amount_fen: [before.amount_fen, item.amountFen] } : { userId: item.userId, month: item.month, amountFen: item.amountFen },
      })
      saved++
    }
    return { saved, removed }
  })
}

export async function listCosts(db: DbOrTrx, _ctx: Ctx, input: z.output<typeof costListInput>): Promise<ChannelCost[]> {
  const rows = await db
    .selectFrom('channel_costs')
    .select(['source', 'month', 'amount_fen'])
    .where('month', '>=', input.from)
    .where('month', '<=', input.to)
    .$if(input.source !== undefined, (q) => q.where('source', '=', input.source!))
    .orderBy('month')
    .orderBy('source')
    .execute()
  return rows.map((r) => ({ source: r.source, month: r.month, amountFen: Number(r.amount_fen) }))
}

export async function setCosts(db: Db, ctx: Ctx, input: z.output<typeof costSetInput>): Promise<{ saved: number; removed: number }> {
  return inTransaction(db, async (trx) => {
    const now = ctx.now().toISOString()
    let saved = 0
    let removed = 0
    for (const item of input.items) {
      const before = await trx.selectFrom('channel_costs').selectAll().where('source', '=', item.source).where('month', '=', item.month).executeTakeFirst()
      if (item.amountFen === null) {
        if (!before) continue
        await trx.deleteFrom('channel_costs').where('id', '=', before.id).execute()
        await audit(trx, ctx, { action: 'delete', entity: 'channel_cost', entityId: before.id, changes: before })
        removed++
        continue
      }
      const row = await trx
        .insertInto('channel_costs')
        .values({ source: item.source, month: item.month, amount_fen: item.amountFen, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['source', 'month']).doUpdateSet({ amount_fen: item.amountFen!, updated_at: now }))
        .returning('id')
        .executeTakeFirstOrThrow()
      await audit(trx, ctx, {
        action: before ? 'update' : 'create',
        entity: 'channel_cost',
        entityId: row.id,
        changes: before ? { amount_fen: [before.amount_fen, item.amountFen] } : { source: item.source, month: item.month, amountFen: item.amountFen },
      })
      saved++
    }
    return { saved, removed }
  })
}
