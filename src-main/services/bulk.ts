// Bulk actions on list selections: assign an owner, add/remove tags, set lead
// status, delete. One transaction per action, one audit entry per changed record.
import { z } from 'zod'
import type { DbOrTrx } from '../db/database'
import { notFound } from '../shared/errors'
import { accountSearchText } from './accounts'
import type { Ctx } from './context'
import { deleteCustomValuesOf } from './custom-fields'
import { id, tags } from './fields'
import { audit, inTransaction } from './write'

const ids = z.array(id).min(1).max(5000)
export const bulkAssignInput = z.object({ ids, ownerId: id.nullable() })
export const bulkTagInput = z.object({ ids, add: tags.default([]), remove: tags.default([]) })
export const bulkStatusInput = z.object({ ids, status: z.enum(['new', 'contacted', 'qualified', 'invalid']) })
export const bulkDeleteInput = z.object({ ids })

export interface BulkResult {
  changed: number
}

const chunks = <T>(list: T[], size = 500) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size))

async function ensureUser(trx: DbOrTrx, userId: number | null): Promise<void> {
  if (userId === null) return
  if (!(await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst())) throw notFound('user', userId)
}

export function bulkAssign(table: 'leads' | 'accounts') {
  const entity = table === 'leads' ? 'lead' : 'account'
  return async (db: DbOrTrx, ctx: Ctx, input: z.output<typeof bulkAssignInput>): Promise<BulkResult> =>
    inTransaction(db, async (trx) => {
      await ensureUser(trx, input.ownerId)
      let changed = 0
      const now = ctx.now().toISOString()
      for (const part of chunks(input.ids)) {
        const rows = await trx.selectFrom(table).select(['id', 'owner_id']).where('id', 'in', part).execute()
        const moving = rows.filter((r) => r.owner_id !== input.ownerId)
        if (moving.length === 0) continue
        await trx.updateTable(table).set({ owner_id: input.ownerId, updated_at: now }).where('id', 'in', moving.map((r) => r.id)).execute()
        for (const r of moving) await audit(trx, ctx, { action: 'update', entity, entityId: r.id, changes: { owner_id: [r.owner_id, input.ownerId] } })
        changed += moving.length
      }
      return { changed }
    })
}

export function bulkTag(table: 'leads' | 'accounts') {
  const entity = table === 'leads' ? 'lead' : 'account'
  return async (db: DbOrTrx, ctx: Ctx, input: z.output<typeof bulkTagInput>): Promise<BulkResult> =>
    inTransaction(db, async (trx) => {
      let changed = 0
      const now = ctx.now().toISOString()
      for (const part of chunks(input.ids)) {
        const rows = await trx.selectFrom(table).selectAll().where('id', 'in', part).execute()
        for (const r of rows) {
          const before = JSON.parse(r.tags) as string[]
          const after = [...new Set([...before.filter((t) => !input.remove.includes(t)), ...input.add])].slice(0, 50)
          if (JSON.stringify(before) === JSON.stringify(after)) continue
          const tagsJson = JSON.stringify(after)
          const extra = table === 'accounts' ? { search_text: accountSearchText({ ...(r as never as Parameters<typeof accountSearchText>[0]), tags: tagsJson }) } : {}
          await trx.updateTable(table).set({ tags: tagsJson, updated_at: now, ...extra }).where('id', '=', r.id).execute()
          await audit(trx, ctx, { action: 'update', entity, entityId: r.id, changes: { tags: [before, after] } })
          changed++
        }
      }
      return { changed }
    })
}

export async function bulkLeadStatus(db: DbOrTrx, ctx: Ctx, input: z.output<typeof bulkStatusInput>): Promise<BulkResult> {
  return inTransaction(db, async (trx) => {
    let changed = 0
    for (const part of chunks(input.ids)) {
      const rows = await trx.selectFrom('leads').select(['id', 'status']).where('id', 'in', part).where('status', '!=', input.status).execute()
      if (rows.length === 0) continue
      await trx.updateTable('leads').set({ status: input.status, updated_at: ctx.now().toISOString() }).where('id', 'in', rows.map((r) => r.id)).execute()
      for (const r of rows) await audit(trx, ctx, { action: 'update', entity: 'lead', entityId: r.id, changes: { status: [r.status, input.status] } })
      changed += rows.length
    }
    return { changed }
  })
}

/** Deletes leads like leads:delete does, many at once (their activities go with them). */
export async function bulkDeleteLeads(db: DbOrTrx, ctx: Ctx, input: z.output<typeof bulkDeleteInput>): Promise<BulkResult> {
  return inTransaction(db, async (trx) => {
    let changed = 0
    for (const part of chunks(input.ids)) {
      const rows = await trx.selectFrom('leads').selectAll().where('id', 'in', part).execute()
      if (rows.length === 0) continue
      const found = rows.map((r) => r.id)
      await trx.deleteFrom('leads').where('id', 'in', found).execute()
      await deleteCustomValuesOf(trx, 'lead', found)
      for (const r of rows) await audit(trx, ctx, { action: 'delete', entity: 'lead', entityId: r.id, changes: r })
      changed += rows.length
    }
    return { changed }
  })
}
