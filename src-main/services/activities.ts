import { z } from 'zod'
import type { Db, DbOrTrx } from '../db/database'
import type { ActivityRow } from '../db/tables/activities.table'
import { notFound } from '../shared/errors'
import type { Activity } from '../shared/domain'
import type { Ctx } from './context'
import { id, isoDateTime, optionalId, optionalText, patchShape, requiredText } from './fields'
import { fetchPage, pagingInput, type Page } from './paging'
import { audit, diff, inTransaction, type Trx } from './write'

type ActivityJoined = ActivityRow & { owner_name: string | null; account_name: string | null; opportunity_title: string | null; lead_company?: string | null; lead_contact?: string | null }

export function toActivity(row: ActivityJoined): Activity {
  return {
    id: row.id,
    type: row.type,
    subject: row.subject,
    notes: row.notes,
    dueAt: row.due_at,
    doneAt: row.done_at,
    outcome: row.outcome,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    leadId: row.lead_id,
    leadName: row.lead_company ?? row.lead_contact ?? null,
    accountId: row.account_id,
    accountName: row.account_name,
    contactId: row.contact_id,
    opportunityId: row.opportunity_id,
    opportunityTitle: row.opportunity_title,
    createdAt: row.created_at,
  }
}

const activityType = z.enum(['call', 'email', 'meeting', 'visit', 'wechat', 'sms', 'social', 'note'])
const activityFields = {
  type: activityType,
  subject: requiredText(200),
  notes: optionalText(5000),
  dueAt: isoDateTime.nullish(),
  doneAt: isoDateTime.nullish(),
  outcome: optionalText(500),
  ownerId: optionalId,
  leadId: optionalId,
  accountId: optionalId,
  contactId: optionalId,
  opportunityId: optionalId,
}
export const activityCreateInput = z.object(activityFields).refine((a) => a.leadId || a.accountId || a.contactId || a.opportunityId, {
  message: 'v.activityLink',
  path: ['accountId'],
})
export const activityUpdateInput = z.object({ ...patchShape(activityFields), id })
export const activityCompleteInput = z.object({ id, outcome: optionalText(500), doneAt: isoDateTime.optional() })
export const activityListInput = z.object({
  leadId: id.optional(),
  accountId: id.optional(),
  contactId: id.optional(),
  opportunityId: id.optional(),
  ownerId: id.optional(),
  type: activityType.optional(),
  /** planned: not done yet; upcoming: planned and due from now on; overdue: planned and due before now; done: finished. */
  state: z.enum(['planned', 'upcoming', 'overdue', 'done']).optional(),
  dueBefore: isoDateTime.optional(),
  ...pagingInput,
})

/** Activities with the names a list or timeline shows beside them. */
export function selectActivities(db: DbOrTrx) {
  return db
    .selectFrom('activities')
    .leftJoin('users as owner', 'owner.id', 'activities.owner_id')
    .leftJoin('accounts', 'accounts.id', 'activities.account_id')
    .leftJoin('opportunities', 'opportunities.id', 'activities.opportunity_id')
    .leftJoin('leads', 'leads.id', 'activities.lead_id')
    .selectAll('activities')
    .select([
      'owner.name as owner_name',
      'accounts.name as account_name',
      'opportunities.title as opportunity_title',
      'leads.company as lead_company',
      'leads.contact_name as lead_contact',
    ])
}

export async function listActivities(db: Db, ctx: Ctx, input: z.output<typeof activityListInput>): Promise<Page<Activity>> {
  const now = ctx.now().toISOString()
  let q = selectActivities(db)
  let c = db.selectFrom('activities')
  const where = <T extends typeof q | typeof c>(qb: T): T => {
    let r = qb as typeof c
    for (const [key, col] of [
      ['leadId', 'activities.lead_id'],
      ['accountId', 'activities.account_id'],
      ['contactId', 'activities.contact_id'],
      ['opportunityId', 'activities.opportunity_id'],
      ['ownerId', 'activities.owner_id'],
    ] as const) {
      const v = input[key]
      if (v !== undefined) r = r.where(col, '=', v)
    }
    if (input.type) r = r.where('activities.type', '=', input.type)
    if (input.state === 'done') r = r.where('activities.done_at', 'is not', null)
    if (input.state === 'planned') r = r.where('activities.done_at', 'is', null).where('activities.due_at', 'is not', null)
    if (input.state === 'overdue') r = r.where('activities.done_at', 'is', null).where('activities.due_at', '<', now)
    if (input.state === 'upcoming') r = r.where('activities.done_at', 'is', null).where('activities.due_at', '>=', now)
    if (input.dueBefore) r = r.where('activities.due_at', '<', input.dueBefore)
    return r as T
  }
  const planned = input.state === 'planned' || input.state === 'upcoming'
  const sortCol = planned || input.state === 'overdue' ? 'activities.due_at' : 'activities.created_at'
  q = where(q).orderBy(sortCol, planned ? 'asc' : input.order).orderBy('activities.id', input.order)
  c = where(c)
  const page = await fetchPage(q, c, input.page, input.pageSize)
  return { ...page, rows: page.rows.map(toActivity) }
}

export async function getActivity(db: DbOrTrx, _ctx: Ctx, input: { id: number }): Promise<Activity> {
  const row = await selectActivities(db).where('activities.id', '=', input.id).executeTakeFirst()
  if (!row) throw notFound('activity', input.id)
  return toActivity(row)
}

async function checkLinks(trx: Trx, a: { leadId?: number | null; accountId?: number | null; contactId?: number | null; opportunityId?: number | null; ownerId?: number | null }) {
  const checks = [
    ['lead', 'leads', a.leadId],
    ['account', 'accounts', a.accountId],
    ['contact', 'contacts', a.contactId],
    ['opportunity', 'opportunities', a.opportunityId],
    ['user', 'users', a.ownerId],
  ] as const
  for (const [entity, table, value] of checks) {
    if (value == null) continue
    const found = await trx.selectFrom(table).select('id').where('id', '=', value).executeTakeFirst()
    if (!found) throw notFound(entity, value)
  }
}

/**
 * Any touch resets an opportunity's "stale" clock: last_activity_at is the
 * latest done activity, recomputed whenever one is added, changed or removed.
 */
async function refreshLastActivity(trx: Trx, opportunityIds: Array<number | null | undefined>): Promise<void> {
  for (const id of new Set(opportunityIds.filter((x): x is number => x != null))) {
    await trx
      .updateTable('opportunities')
      .set((eb) => ({
        last_activity_at: eb.selectFrom('activities').select((a) => a.fn.max('done_at').as('m')).where('opportunity_id', '=', id),
      }))
      .where('id', '=', id)
      .execute()
  }
}

export async function createActivity(db: DbOrTrx, ctx: Ctx, input: z.output<typeof activityCreateInput>): Promise<Activity> {
  return inTransaction(db, async (trx) => {
    await checkLinks(trx, input)
    // Fill the account from the opportunity so the account timeline shows deal activities too.
    let accountId = input.accountId ?? null
    if (accountId == null && input.opportunityId != null) {
      accountId = (await trx.selectFrom('opportunities').select('account_id').where('id', '=', input.opportunityId).executeTakeFirstOrThrow()).account_id
    }
    const now = ctx.now().toISOString()
    // Neither planned nor done given: it is a record of something done now.
    const doneAt = input.doneAt ?? (input.dueAt ? null : now)
    const row = await trx
      .insertInto('activities')
      .values({
        type: input.type,
        subject: input.subject,
        notes: input.notes ?? null,
        due_at: input.dueAt ?? null,
        done_at: doneAt,
        outcome: input.outcome ?? null,
        owner_id: input.ownerId ?? ctx.userId,
        lead_id: input.leadId ?? null,
        account_id: accountId,
        contact_id: input.contactId ?? null,
        opportunity_id: input.opportunityId ?? null,
        created_by: ctx.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (doneAt) await refreshLastActivity(trx, [input.opportunityId])
    await audit(trx, ctx, { action: 'create', entity: 'activity', entityId: row.id, changes: input })
    return getActivity(trx, ctx, { id: row.id })
  })
}

export async function updateActivity(db: DbOrTrx, ctx: Ctx, input: z.output<typeof activityUpdateInput>): Promise<Activity> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('activities').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('activity', input.id)
    await checkLinks(trx, input)
    const map = {
      type: 'type', subject: 'subject', notes: 'notes', dueAt: 'due_at', doneAt: 'done_at', outcome: 'outcome', ownerId: 'owner_id',
      leadId: 'lead_id', accountId: 'account_id', contactId: 'contact_id', opportunityId: 'opportunity_id',
    } as const
    const patch: Record<string, unknown> = { updated_at: ctx.now().toISOString() }
    for (const [key, col] of Object.entries(map)) {
      const v = input[key as keyof typeof map]
      if (v !== undefined) patch[col] = v ?? null
    }
    const after = await trx.updateTable('activities').set(patch).where('id', '=', input.id).returningAll().executeTakeFirstOrThrow()
    await refreshLastActivity(trx, [before.opportunity_id, after.opportunity_id])
    await audit(trx, ctx, { action: 'update', entity: 'activity', entityId: input.id, changes: diff(before, after) })
    return getActivity(trx, ctx, { id: input.id })
  })
}

export async function completeActivity(db: DbOrTrx, ctx: Ctx, input: z.output<typeof activityCompleteInput>): Promise<Activity> {
  return updateActivity(db, ctx, { id: input.id, doneAt: input.doneAt ?? ctx.now().toISOString(), outcome: input.outcome })
}

export async function deleteActivity(db: DbOrTrx, ctx: Ctx, input: { id: number }): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('activities').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('activity', input.id)
    await trx.deleteFrom('activities').where('id', '=', input.id).execute()
    await refreshLastActivity(trx, [before.opportunity_id])
    await audit(trx, ctx, { action: 'delete', entity: 'activity', entityId: input.id, changes: before })
    return { id: input.id }
  })
}
