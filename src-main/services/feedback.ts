// Customer feedback (客户反馈): what a customer said, routed to a department,
// tracked until resolved; open items show on the deal.
import { z } from 'zod'
import type { Db, DbOrTrx } from '../db/database'
import type { FeedbackRow } from '../db/tables/followup.table'
import { notFound } from '../shared/errors'
import type { Ctx } from './context'
import { id, optionalId, optionalText, patchShape, requiredText } from './fields'
import { audit, diff, inTransaction } from './write'

export const FEEDBACK_TYPES = ['product', 'price', 'service', 'other'] as const
export const FEEDBACK_STATUSES = ['open', 'in_progress', 'resolved'] as const

const fields = {
  type: z.enum(FEEDBACK_TYPES),
  department: optionalText(30),
  content: requiredText(2000),
  status: z.enum(FEEDBACK_STATUSES).default('open'),
  response: optionalText(2000),
  opportunityId: optionalId,
  accountId: optionalId,
  leadId: optionalId,
}
export const feedbackCreateInput = z.object(fields).refine((f) => f.opportunityId || f.accountId || f.leadId, { message: 'v.feedbackLink', path: ['opportunityId'] })
export const feedbackUpdateInput = z.object({ ...patchShape(fields), id })
export const feedbackListInput = z.object({
  opportunityId: id.optional(),
  accountId: id.optional(),
  status: z.enum(FEEDBACK_STATUSES).optional(),
  openOnly: z.boolean().optional(),
})

export interface Feedback {
  id: number
  type: (typeof FEEDBACK_TYPES)[number]
  department: string | null
  content: string
  status: (typeof FEEDBACK_STATUSES)[number]
  response: string | null
  opportunityId: number | null
  accountId: number | null
  leadId: number | null
  createdBy: number | null
  createdAt: string
  resolvedAt: string | null
}

function toFeedback(r: FeedbackRow): Feedback {
  return {
    id: r.id,
    type: r.type,
    department: r.department,
    content: r.content,
    status: r.status,
    response: r.response,
    opportunityId: r.opportunity_id,
    accountId: r.account_id,
    leadId: r.lead_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
  }
}

export async function listFeedback(db: Db, _ctx: Ctx, input: z.output<typeof feedbackListInput>): Promise<Feedback[]> {
  let q = db.selectFrom('feedback').selectAll().orderBy('created_at', 'desc').limit(200)
  if (input.opportunityId) q = q.where('opportunity_id', '=', input.opportunityId)
  if (input.accountId) q = q.where('account_id', '=', input.accountId)
  if (input.status) q = q.where('status', '=', input.status)
  if (input.openOnly) q = q.where('status', '!=', 'resolved')
  return (await q.execute()).map(toFeedback)
}

export async function createFeedback(db: DbOrTrx, ctx: Ctx, input: z.output<typeof feedbackCreateInput>): Promise<Feedback> {
  return inTransaction(db, async (trx) => {
    let accountId = input.accountId ?? null
    if (input.opportunityId) {
      const o = await trx.selectFrom('opportunities').select('account_id').where('id', '=', input.opportunityId).executeTakeFirst()
      if (!o) throw notFound('opportunity', input.opportunityId)
      accountId ??= o.account_id
    }
    if (accountId && !(await trx.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst())) throw notFound('account', accountId)
    if (input.leadId && !(await trx.selectFrom('leads').select('id').where('id', '=', input.leadId).executeTakeFirst())) throw notFound('lead', input.leadId)
    const now = ctx.now().toISOString()
    const row = await trx
      .insertInto('feedback')
      .values({
        type: input.type,
        department: input.department,
        content: input.content,
        status: input.status,
        response: input.response,
        opportunity_id: input.opportunityId ?? null,
        account_id: accountId,
        lead_id: input.leadId ?? null,
        created_by: ctx.userId,
        created_at: now,
        updated_at: now,
        resolved_at: input.status === 'resolved' ? now : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit(trx, ctx, { action: 'create', entity: 'feedback', entityId: row.id, changes: input })
    return toFeedback(row)
  })
}

export async function updateFeedback(db: DbOrTrx, ctx: Ctx, input: z.output<typeof feedbackUpdateInput>): Promise<Feedback> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('feedback').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('feedback', input.id)
    const now = ctx.now().toISOString()
    const patch = {
      ...(input.type !== undefined && { type: input.type }),
      ...(input.department !== undefined && { department: input.department }),
      ...(input.content !== undefined && { content: input.content }),
      ...(input.response !== undefined && { response: input.response }),
      ...(input.status !== undefined && { status: input.status, resolved_at: input.status === 'resolved' ? (before.resolved_at ?? now) : null }),
      updated_at: now,
    }
    const after = await trx.updateTable('feedback').set(patch).where('id', '=', input.id).returningAll().executeTakeFirstOrThrow()
    await audit(trx, ctx, { action: 'update', entity: 'feedback', entityId: input.id, changes: diff(before, after) })
    return toFeedback(after)
  })
}
