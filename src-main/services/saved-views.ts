// Saved views: a list's filters and columns under a name. Everyone sees their own
// views and the shared ones; only admins and managers share a view with the team.
import { z } from 'zod'
import type { DbOrTrx } from '../db/database'
import type { SavedViewRow } from '../db/tables/import.table'
import { AppError, notFound } from '../shared/errors'
import { accountListInput } from './accounts'
import { boardViewFilters } from './board'
import { contactListInput } from './contacts'
import type { Ctx } from './context'
import { id } from './fields'
import { leadListInput } from './leads'
import { opportunityListInput } from './opportunities'
import { audit, inTransaction } from './write'

const FILTERS = {
  leads: leadListInput.omit({ page: true, pageSize: true }),
  accounts: accountListInput.omit({ page: true, pageSize: true }),
  contacts: contactListInput.omit({ page: true, pageSize: true }),
  opportunities: opportunityListInput.omit({ page: true, pageSize: true }),
  /** The pipeline board (看板): its filters, not the list's. */
  board: boardViewFilters,
} as const
const entity = z.enum(['leads', 'accounts', 'contacts', 'opportunities', 'board'])

export interface SavedView {
  id: number
  entity: z.output<typeof entity>
  name: string
  filters: Record<string, unknown>
  columns: string[]
  shared: boolean
  ownerId: number | null
  mine: boolean
  updatedAt: string
}

const toView = (r: SavedViewRow, userId: number | null): SavedView => ({
  id: r.id,
  entity: r.entity as SavedView['entity'],
  name: r.name,
  filters: JSON.parse(r.filters) as Record<string, unknown>,
  columns: JSON.parse(r.columns) as string[],
  shared: r.is_shared === 1,
  ownerId: r.owner_id,
  mine: r.owner_id === userId,
  updatedAt: r.updated_at,
})

export const viewListInput = z.object({ entity })
export const viewSaveInput = z.object({
  id: id.optional(),
  entity,
  name: z.string().trim().min(1).max(50),
  filters: z.record(z.string(), z.unknown()).default({}),
  columns: z.array(z.string().max(40)).max(200).default([]),
  shared: z.boolean().default(false),
})

async function callerRole(db: DbOrTrx, ctx: Ctx): Promise<string | null> {
  if (ctx.userId === null) return 'admin' // system context (CLI)
  return (await db.selectFrom('users').select('role').where('id', '=', ctx.userId).executeTakeFirst())?.role ?? null
}

export async function listViews(db: DbOrTrx, ctx: Ctx, input: z.output<typeof viewListInput>): Promise<SavedView[]> {
  const rows = await db
    .selectFrom('saved_views')
    .selectAll()
    .where('entity', '=', input.entity)
    .where((eb) => eb.or([eb('is_shared', '=', 1), ctx.userId === null ? eb('owner_id', 'is', null) : eb('owner_id', '=', ctx.userId)]))
    .orderBy('name')
    .execute()
  return rows.map((r) => toView(r, ctx.userId))
}

export async function saveView(db: DbOrTrx, ctx: Ctx, input: z.output<typeof viewSaveInput>): Promise<SavedView> {
  return inTransaction(db, async (trx) => {
    // Stored filters are the list's own input, validated now so a view always opens.
    const filters = FILTERS[input.entity].parse(input.filters)
    const role = await callerRole(trx, ctx)
    if (input.shared && role !== 'admin' && role !== 'manager') throw new AppError('FORBIDDEN')
    const now = ctx.now().toISOString()
    const values = { entity: input.entity, name: input.name, filters: JSON.stringify(filters), columns: JSON.stringify(input.columns), is_shared: input.shared ? 1 : 0, updated_at: now }
    let row: SavedViewRow
    if (input.id) {
      const before = await trx.selectFrom('saved_views').selectAll().where('id', '=', input.id).executeTakeFirst()
      if (!before) throw notFound('savedView', input.id)
      if (before.owner_id !== ctx.userId && role !== 'admin') throw new AppError('FORBIDDEN')
      row = await trx.updateTable('saved_views').set(values).where('id', '=', input.id).returningAll().executeTakeFirstOrThrow()
    } else {
      row = await trx.insertInto('saved_views').values({ ...values, owner_id: ctx.userId, created_at: now }).returningAll().executeTakeFirstOrThrow()
    }
    await audit(trx, ctx, { action: input.id ? 'update' : 'create', entity: 'saved_view', entityId: row.id, changes: { name: input.name, entity: input.entity } })
    return toView(row, ctx.userId)
  })
}

export async function deleteView(db: DbOrTrx, ctx: Ctx, input: { id: number }): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('saved_views').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('savedView', input.id)
    if (before.owner_id !== ctx.userId && (await callerRole(trx, ctx)) !== 'admin') throw new AppError('FORBIDDEN')
    await trx.deleteFrom('saved_views').where('id', '=', input.id).execute()
    await audit(trx, ctx, { action: 'delete', entity: 'saved_view', entityId: input.id, changes: before })
    return input
  })
}
