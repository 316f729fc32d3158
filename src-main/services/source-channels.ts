// The editable list of lead source channels (展会, 微信, 官网 …). Free text stays
// allowed on records; the list feeds pickers and filters. Renaming a channel
// renames it on every lead, account and opportunity that uses it.
import { z } from 'zod'
import type { DbOrTrx } from '../db/database'
import type { SourceChannelRow } from '../db/tables/import.table'
import { AppError, notFound } from '../shared/errors'
import type { Ctx } from './context'
import { id } from './fields'
import { audit, inTransaction } from './write'

export interface SourceChannel {
  id: number
  name: string
  sortOrder: number
  isActive: boolean
  /** Leads + accounts + opportunities using it. */
  usage: number
}

const name = z.string().trim().min(1).max(30)
export const channelListInput = z.object({ includeInactive: z.boolean().optional() })
export const channelCreateInput = z.object({ name })
export const channelUpdateInput = z.object({ id, name: name.optional(), isActive: z.boolean().optional() })
export const channelReorderInput = z.object({ ids: z.array(id).min(1).max(500) })

async function usage(db: DbOrTrx, value: string): Promise<number> {
  let n = 0
  for (const table of ['leads', 'accounts', 'opportunities'] as const) {
    const r = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', value).executeTakeFirstOrThrow()
    n += Number(r.n)
  }
  return n
}

async function toChannel(db: DbOrTrx, r: SourceChannelRow): Promise<SourceChannel> {
  return { id: r.id, name: r.name, sortOrder: r.sort_order, isActive: r.is_active === 1, usage: await usage(db, r.name) }
}

export async function listChannels(db: DbOrTrx, _ctx: Ctx, input: z.output<typeof channelListInput>): Promise<SourceChannel[]> {
  let q = db.selectFrom('source_channels').selectAll().orderBy('sort_order').orderBy('id')
  if (!input.includeInactive) q = q.where('is_active', '=', 1)
  const rows = await q.execute()
  return Promise.all(rows.map((r) => toChannel(db, r)))
}

async function nameFree(db: DbOrTrx, value: string, exceptId?: number): Promise<void> {
  let q = db.selectFrom('source_channels').select('id').where('name', '=', value)
  if (exceptId) q = q.where('id', '!=', exceptId)
  if (await q.executeTakeFirst()) throw new AppError('DUPLICATE', { fieldKey: 'field.name', value })
}

export async function createChannel(db: DbOrTrx, ctx: Ctx, input: z.output<typeof channelCreateInput>): Promise<SourceChannel> {
  return inTransaction(db, async (trx) => {
    await nameFree(trx, input.name)
    const max = await trx.selectFrom('source_channels').select((eb) => eb.fn.max('sort_order').as('m')).executeTakeFirst()
    const row = await trx
      .insertInto('source_channels')
      .values({ name: input.name, sort_order: Number(max?.m ?? 0) + 10, created_at: ctx.now().toISOString() })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit(trx, ctx, { action: 'create', entity: 'source_channel', entityId: row.id, changes: input })
    return toChannel(trx, row)
  })
}

export async function updateChannel(db: DbOrTrx, ctx: Ctx, input: z.output<typeof channelUpdateInput>): Promise<SourceChannel> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('source_channels').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('sourceChannel', input.id)
    if (input.name && input.name !== before.name) {
      await nameFree(trx, input.name, before.id)
      for (const table of ['leads', 'accounts', 'opportunities'] as const) {
        await trx.updateTable(table).set({ source: input.name }).where('source', '=', before.name).execute()
      }
    }
    const after = await trx
      .updateTable('source_channels')
      .set({ ...(input.name !== undefined && { name: input.name }), ...(input.isActive !== undefined && { is_active: input.isActive ? 1 : 0 }) })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit(trx, ctx, { action: 'update', entity: 'source_channel', entityId: input.id, changes: { name: [before.name, after.name], isActive: [before.is_active, after.is_active] } })
    return toChannel(trx, after)
  })
}

export async function reorderChannels(db: DbOrTrx, ctx: Ctx, input: z.output<typeof channelReorderInput>): Promise<SourceChannel[]> {
  return inTransaction(db, async (trx) => {
    for (const [i, channelId] of input.ids.entries()) {
      await trx.updateTable('source_channels').set({ sort_order: (i + 1) * 10 }).where('id', '=', channelId).execute()
    }
    await audit(trx, ctx, { action: 'update', entity: 'source_channel', entityId: 0, changes: { order: input.ids } })
    return listChannels(trx, ctx, { includeInactive: true })
  })
}

/** A channel in use cannot be deleted (its records would keep a name nobody can pick): deactivate it instead. */
export async function deleteChannel(db: DbOrTrx, ctx: Ctx, input: { id: number }): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom('source_channels').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!row) throw notFound('sourceChannel', input.id)
    const n = await usage(trx, row.name)
    if (n > 0) throw new AppError('IN_USE', { entityKey: 'sourceChannel', count: n, dependentKey: 'records' })
    await trx.deleteFrom('source_channels').where('id', '=', input.id).execute()
    await audit(trx, ctx, { action: 'delete', entity: 'source_channel', entityId: input.id, changes: row })
    return input
  })
}
