// Merge two duplicate accounts or leads into one, keeping history: the kept
// record takes the other's missing values and tags; contacts, deals, activities,
// plans, feedback and custom values move over; the other record is deleted and
// both steps are in the audit log (the deleted row in full).
import { z } from 'zod'
import type { DbOrTrx } from '../db/database'
import { AppError, notFound } from '../shared/errors'
import { companyKey } from '../shared/keys'
import { accountSearchText } from './accounts'
import type { Ctx } from './context'
import { deleteCustomValuesOf } from './custom-fields'
import { id } from './fields'
import { leadSearchText } from './leads'
import { oppSearchText } from './opportunities'
import { audit, diff, inTransaction, type Trx } from './write'

export const mergeInput = z.object({
  keepId: id,
  mergeId: id,
  /** Fields where the merged record's value should win over the kept one's. */
  takeFromMerged: z.array(z.string().max(40)).max(50).default([]),
})

const ACCOUNT_FIELDS = ['name', 'industry', 'province', 'city', 'address', 'size', 'annual_revenue_fen', 'source', 'credit_level', 'owner_id', 'website', 'notes', 'external_id'] as const
const LEAD_FIELDS = ['company', 'contact_name', 'title', 'mobile', 'phone', 'email', 'wechat', 'province', 'city', 'industry', 'source', 'owner_id', 'score', 'notes', 'external_id'] as const
const LIFECYCLE_RANK = { prospect: 0, churned: 1, customer: 2, loyal: 3 } as const

function fillFrom<T extends Record<string, unknown>>(keep: T, other: T, fields: readonly string[], take: string[]): Partial<T> {
  const patch: Record<string, unknown> = {}
  for (const f of fields) {
    const mine = keep[f]
    const theirs = other[f]
    if (theirs === null || theirs === undefined || theirs === '') continue
    if (mine === null || mine === undefined || mine === '' || take.includes(f)) patch[f] = theirs
  }
  return patch as Partial<T>
}

const unionTags = (a: string, b: string) => JSON.stringify([...new Set([...(JSON.parse(a) as string[]), ...(JSON.parse(b) as string[])])].slice(0, 50))

/** Custom values: the kept record's win; the merged record's fill the gaps. */
async function moveCustomValues(trx: Trx, entity: 'lead' | 'account', keepId: number, mergeId: number): Promise<void> {
  const keep = new Set((await trx.selectFrom('custom_values').select('field_id').where('entity', '=', entity).where('entity_id', '=', keepId).execute()).map((r) => r.field_id))
  const theirs = await trx.selectFrom('custom_values').selectAll().where('entity', '=', entity).where('entity_id', '=', mergeId).execute()
  for (const v of theirs) {
    if (!keep.has(v.field_id)) await trx.updateTable('custom_values').set({ entity_id: keepId }).where('field_id', '=', v.field_id).where('entity_id', '=', mergeId).execute()
  }
  await deleteCustomValuesOf(trx, entity, [mergeId])
}

export interface MergeResult {
  keepId: number
  mergedId: number
  moved: Record<string, number>
}

export async function mergeAccounts(db: DbOrTrx, ctx: Ctx, input: z.output<typeof mergeInput>): Promise<MergeResult> {
  return inTransaction(db, async (trx) => {
    if (input.keepId === input.mergeId) throw new AppError('INVALID_STATE', { reasonKey: 'reason.mergeSelf' })
    const keep = await trx.selectFrom('accounts').selectAll().where('id', '=', input.keepId).executeTakeFirst()
    if (!keep) throw notFound('account', input.keepId)
    const other = await trx.selectFrom('accounts').selectAll().where('id', '=', input.mergeId).executeTakeFirst()
    if (!other) throw notFound('account', input.mergeId)
    const now = ctx.now().toISOString()
    const patch = {
      ...fillFrom(keep, other, ACCOUNT_FIELDS, input.takeFromMerged),
      tags: unionTags(keep.tags, other.tags),
      // The further along of the two: a customer stays a customer.
      lifecycle: LIFECYCLE_RANK[other.lifecycle] > LIFECYCLE_RANK[keep.lifecycle] ? other.lifecycle : keep.lifecycle,
    }
    const merged = { ...keep, ...patch }
    const after = await trx
      .updateTable('accounts')
      .set({ ...patch, name_key: companyKey(merged.name), search_text: accountSearchText(merged), updated_at: now })
      .where('id', '=', keep.id)
      .returningAll()
      .executeTakeFirstOrThrow()

    const moved: Record<string, number> = {}
    // The kept account's primary contact stays the only primary one.
    const hasPrimary = await trx.selectFrom('contacts').select('id').where('account_id', '=', keep.id).where('is_primary', '=', 1).executeTakeFirst()
    if (hasPrimary) await trx.updateTable('contacts').set({ is_primary: 0 }).where('account_id', '=', other.id).execute()
    moved.contacts = Number((await trx.updateTable('contacts').set({ account_id: keep.id }).where('account_id', '=', other.id).executeTakeFirst()).numUpdatedRows)
    const deals = await trx.selectFrom('opportunities').select(['id', 'title']).where('account_id', '=', other.id).execute()
    for (const d of deals) {
      await trx.updateTable('opportunities').set({ account_id: keep.id, search_text: oppSearchText(d.title, after.name) }).where('id', '=', d.id).execute()
    }
    moved.opportunities = deals.length
    moved.activities = Number((await trx.updateTable('activities').set({ account_id: keep.id }).where('account_id', '=', other.id).executeTakeFirst()).numUpdatedRows)
    moved.leads = Number((await trx.updateTable('leads').set({ converted_account_id: keep.id }).where('converted_account_id', '=', other.id).executeTakeFirst()).numUpdatedRows)
    moved.feedback = Number((await trx.updateTable('feedback').set({ account_id: keep.id }).where('account_id', '=', other.id).executeTakeFirst()).numUpdatedRows)
    await moveCustomValues(trx, 'account', keep.id, other.id)
    await trx.deleteFrom('accounts').where('id', '=', other.id).execute()

    await audit(trx, ctx, { action: 'update', entity: 'account', entityId: keep.id, changes: { ...diff(keep, after), mergedFrom: [other.id, null] } })
    await audit(trx, ctx, { action: 'delete', entity: 'account', entityId: other.id, changes: { ...other, mergedInto: keep.id, moved } })
    return { keepId: keep.id, mergedId: other.id, moved }
  })
}

export async function mergeLeads(db: DbOrTrx, ctx: Ctx, input: z.output<typeof mergeInput>): Promise<MergeResult> {
  return inTransaction(db, async (trx) => {
    if (input.keepId === input.mergeId) throw new AppError('INVALID_STATE', { reasonKey: 'reason.mergeSelf' })
    const keep = await trx.selectFrom('leads').selectAll().where('id', '=', input.keepId).executeTakeFirst()
    if (!keep) throw notFound('lead', input.keepId)
    const other = await trx.selectFrom('leads').selectAll().where('id', '=', input.mergeId).executeTakeFirst()
    if (!other) throw notFound('lead', input.mergeId)
    const now = ctx.now().toISOString()
    const patch = {
      ...fillFrom(keep, other, LEAD_FIELDS, input.takeFromMerged),
      tags: unionTags(keep.tags, other.tags),
      converted_account_id: keep.converted_account_id ?? other.converted_account_id,
      converted_opportunity_id: keep.converted_opportunity_id ?? other.converted_opportunity_id,
    }
    // Notes of both survive.
    if (other.notes && keep.notes && !input.takeFromMerged.includes('notes') && keep.notes !== other.notes) patch.notes = `${keep.notes}\n${other.notes}`
    const merged = { ...keep, ...patch }
    const after = await trx
      .updateTable('leads')
      .set({ ...patch, company_key: companyKey(merged.company), search_text: leadSearchText(merged), updated_at: now })
      .where('id', '=', keep.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    const moved: Record<string, number> = {}
    moved.activities = Number((await trx.updateTable('activities').set({ lead_id: keep.id }).where('lead_id', '=', other.id).executeTakeFirst()).numUpdatedRows)
    moved.plans = Number((await trx.updateTable('followup_plans').set({ lead_id: keep.id }).where('lead_id', '=', other.id).executeTakeFirst()).numUpdatedRows)
    moved.feedback = Number((await trx.updateTable('feedback').set({ lead_id: keep.id }).where('lead_id', '=', other.id).executeTakeFirst()).numUpdatedRows)
    await moveCustomValues(trx, 'lead', keep.id, other.id)
    await trx.deleteFrom('leads').where('id', '=', other.id).execute()
    await audit(trx, ctx, { action: 'update', entity: 'lead', entityId: keep.id, changes: { ...diff(keep, after), mergedFrom: [other.id, null] } })
    await audit(trx, ctx, { action: 'delete', entity: 'lead', entityId: other.id, changes: { ...other, mergedInto: keep.id, moved } })
    return { keepId: keep.id, mergedId: other.id, moved }
  })
}
