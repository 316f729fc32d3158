// Follow-up plans (跟进计划): a template of dated steps applied to a deal or a
// lead creates its tasks, owned by the record's owner. Rescheduling moves the
// tasks not yet done; cancelling removes them. Done tasks are history and stay.
import { z } from 'zod'
import type { DbOrTrx } from '../db/database'
import type { PlanRow } from '../db/tables/followup.table'
import { AppError, notFound } from '../shared/errors'
import type { ActivityType } from '../shared/domain'
import type { Ctx } from './context'
import { id, isoDateTime, optionalText, requiredText } from './fields'
import { audit, inTransaction, type Trx } from './write'

const activityType = z.enum(['call', 'email', 'meeting', 'visit', 'wechat', 'sms', 'social', 'note'])
const stepInput = z.object({
  earliestHours: z.number().int().min(0).max(24 * 365).default(0),
  dueHours: z.number().int().min(0).max(24 * 365),
  type: activityType,
  subject: requiredText(200),
  notes: optionalText(500),
})
export const templateSaveInput = z.object({
  id: id.optional(),
  name: requiredText(50),
  description: optionalText(500),
  isDefault: z.boolean().default(false),
  steps: z.array(stepInput).min(1).max(30),
})
export const planApplyInput = z
  .object({
    templateId: id.optional(),
    opportunityId: id.optional(),
    leadId: id.optional(),
    /** When the plan starts; now when absent. */
    startsAt: isoDateTime.optional(),
  })
  .refine((p) => Boolean(p.opportunityId) !== Boolean(p.leadId), { message: 'v.planTarget', path: ['opportunityId'] })
export const planRescheduleInput = z.object({ id, startsAt: isoDateTime })
export const planListInput = z.object({ opportunityId: id.optional(), leadId: id.optional() })

export interface TemplateStep {
  earliestHours: number
  dueHours: number
  type: ActivityType
  subject: string
  notes: string | null
}
export interface FollowupTemplate {
  id: number
  name: string
  description: string | null
  isDefault: boolean
  steps: TemplateStep[]
  /** Plans applied from this template, and how many of them are still running. */
  plans: number
  activePlans: number
}
export interface FollowupPlan {
  id: number
  name: string
  status: 'active' | 'cancelled' | 'done'
  startsAt: string
  opportunityId: number | null
  leadId: number | null
  tasks: Array<{ id: number; subject: string; type: string; dueAt: string | null; doneAt: string | null }>
}

const HOUR = 3_600_000

export async function listTemplates(db: DbOrTrx, _ctx: Ctx): Promise<FollowupTemplate[]> {
  const templates = await db.selectFrom('followup_templates').selectAll().orderBy('is_default', 'desc').orderBy('id').execute()
  const steps = await db.selectFrom('followup_template_steps').selectAll().orderBy('sort_order').execute()
  const usage = await db
    .selectFrom('followup_plans')
    .select(['template_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>(eb.case().when('status', '=', 'active').then(1).else(0).end()).as('active')])
    .where('template_id', 'is not', null)
    .groupBy('template_id')
    .execute()
  const usageOf = new Map(usage.map((u) => [u.template_id, u]))
  return templates.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description,
    isDefault: t.is_default === 1,
    steps: steps
      .filter((s) => s.template_id === t.id)
      .map((s) => ({ earliestHours: s.earliest_hours, dueHours: s.due_hours, type: s.type as ActivityType, subject: s.subject, notes: s.notes })),
    plans: Number(usageOf.get(t.id)?.n ?? 0),
    activePlans: Number(usageOf.get(t.id)?.active ?? 0),
  }))
}

export async function saveTemplate(db: DbOrTrx, ctx: Ctx, input: z.output<typeof templateSaveInput>): Promise<FollowupTemplate> {
  return inTransaction(db, async (trx) => {
    const now = ctx.now().toISOString()
    let templateId = input.id
    if (templateId) {
      const res = await trx
        .updateTable('followup_templates')
        .set({ name: input.name, description: input.description, updated_at: now })
        .where('id', '=', templateId)
        .executeTakeFirst()
      if (Number(res.numUpdatedRows) === 0) throw notFound('followupTemplate', templateId)
      await trx.deleteFrom('followup_template_steps').where('template_id', '=', templateId).execute()
    } else {
      templateId = (await trx.insertInto('followup_templates').values({ name: input.name, description: input.description, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id
    }
    if (input.isDefault) {
      await trx.updateTable('followup_templates').set({ is_default: 0 }).where('id', '!=', templateId).execute()
      await trx.updateTable('followup_templates').set({ is_default: 1 }).where('id', '=', templateId).execute()
    }
    const steps = [...input.steps].sort((a, b) => a.dueHours - b.dueHours)
    await trx
      .insertInto('followup_template_steps')
      .values(steps.map((s, i) => ({ template_id: templateId!, sort_order: (i + 1) * 10, earliest_hours: s.earliestHours, due_hours: s.dueHours, type: s.type, subject: s.subject, notes: s.notes })))
      .execute()
    await audit(trx, ctx, { action: input.id ? 'update' : 'create', entity: 'followupTemplate', entityId: templateId, changes: input })
    return (await listTemplates(trx, ctx)).find((t) => t.id === templateId)!
  })
}

/**
 * Delete a template. The default template stays (another one must become the
 * default first). Plans already applied from it keep their name and tasks;
 * they merely lose the link to the template.
 */
export async function deleteTemplate(db: DbOrTrx, ctx: Ctx, input: { id: number }): Promise<{ id: number; plansKept: number }> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('followup_templates').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('followupTemplate', input.id)
    if (before.is_default === 1) throw new AppError('INVALID_STATE', { reasonKey: 'reason.defaultTemplate' })
    const kept = await trx.updateTable('followup_plans').set({ template_id: null }).where('template_id', '=', input.id).executeTakeFirst()
    await trx.deleteFrom('followup_template_steps').where('template_id', '=', input.id).execute()
    await trx.deleteFrom('followup_templates').where('id', '=', input.id).execute()
    const plansKept = Number(kept.numUpdatedRows)
    await audit(trx, ctx, { action: 'delete', entity: 'followupTemplate', entityId: input.id, changes: { name: before.name, plansKept } })
    return { id: input.id, plansKept }
  })
}

async function planTasks(db: DbOrTrx, planId: number) {
  return db.selectFrom('activities').select(['id', 'subject', 'type', 'due_at', 'done_at', 'plan_step_hours']).where('plan_id', '=', planId).orderBy('due_at').execute()
}

async function toPlan(db: DbOrTrx, row: PlanRow): Promise<FollowupPlan> {
  const tasks = await planTasks(db, row.id)
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    startsAt: row.starts_at,
    opportunityId: row.opportunity_id,
    leadId: row.lead_id,
    tasks: tasks.map((t) => ({ id: t.id, subject: t.subject, type: t.type, dueAt: t.due_at, doneAt: t.done_at })),
  }
}

async function loadPlan(trx: DbOrTrx, planId: number): Promise<PlanRow> {
  const plan = await trx.selectFrom('followup_plans').selectAll().where('id', '=', planId).executeTakeFirst()
  if (!plan) throw notFound('followupPlan', planId)
  return plan
}

/** Apply a template (the default one when none is named) to a deal or a lead. */
export async function applyPlan(db: DbOrTrx, ctx: Ctx, input: z.output<typeof planApplyInput>): Promise<FollowupPlan> {
  return inTransaction(db, async (trx) => {
    const templates = await listTemplates(trx, ctx)
    const template = input.templateId ? templates.find((t) => t.id === input.templateId) : templates.find((t) => t.isDefault) ?? templates[0]
    if (!template) throw notFound('followupTemplate', input.templateId ?? 0)
    const target = await planTarget(trx, input)
    const now = ctx.now().toISOString()
    const startsAt = input.startsAt ?? now
    const plan = await trx
      .insertInto('followup_plans')
      .values({ template_id: template.id, name: template.name, opportunity_id: input.opportunityId ?? null, lead_id: input.leadId ?? null, starts_at: startsAt, created_by: ctx.userId, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('activities')
      .values(
        template.steps.map((s) => ({
          type: s.type,
          subject: s.subject,
          notes: s.notes,
          due_at: new Date(Date.parse(startsAt) + s.dueHours * HOUR).toISOString(),
          done_at: null,
          owner_id: target.ownerId ?? ctx.userId,
          lead_id: input.leadId ?? null,
          account_id: target.accountId,
          contact_id: target.contactId,
          opportunity_id: input.opportunityId ?? null,
          plan_id: plan.id,
          plan_step_hours: s.dueHours,
          created_by: ctx.userId,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute()
    await audit(trx, ctx, { action: 'create', entity: 'followupPlan', entityId: plan.id, changes: { template: template.name, ...input, startsAt } })
    return toPlan(trx, plan)
  })
}

async function planTarget(trx: Trx, input: { opportunityId?: number; leadId?: number }) {
  if (input.opportunityId) {
    const o = await trx.selectFrom('opportunities').select(['owner_id', 'account_id', 'contact_id', 'status']).where('id', '=', input.opportunityId).executeTakeFirst()
    if (!o) throw notFound('opportunity', input.opportunityId)
    if (o.status !== 'open') throw new AppError('INVALID_STATE', { reasonKey: 'reason.dealClosed' })
    return { ownerId: o.owner_id, accountId: o.account_id, contactId: o.contact_id }
  }
  const l = await trx.selectFrom('leads').select(['owner_id']).where('id', '=', input.leadId!).executeTakeFirst()
  if (!l) throw notFound('lead', input.leadId!)
  return { ownerId: l.owner_id, accountId: null, contactId: null }
}

/** Move the plan's start: every task not yet done moves with it, keeping its offset. */
export async function reschedulePlan(db: DbOrTrx, ctx: Ctx, input: z.output<typeof planRescheduleInput>): Promise<FollowupPlan> {
  return inTransaction(db, async (trx) => {
    const plan = await loadPlan(trx, input.id)
    if (plan.status !== 'active') throw new AppError('INVALID_STATE', { reasonKey: 'reason.planNotActive' })
    const now = ctx.now().toISOString()
    for (const task of await planTasks(trx, plan.id)) {
      if (task.done_at || task.plan_step_hours == null) continue
      const due = new Date(Date.parse(input.startsAt) + task.plan_step_hours * HOUR).toISOString()
      await trx.updateTable('activities').set({ due_at: due, reminded_at: null, updated_at: now }).where('id', '=', task.id).execute()
    }
    await trx.updateTable('followup_plans').set({ starts_at: input.startsAt, updated_at: now }).where('id', '=', plan.id).execute()
    await audit(trx, ctx, { action: 'update', entity: 'followupPlan', entityId: plan.id, changes: { starts_at: [plan.starts_at, input.startsAt] } })
    return toPlan(trx, await loadPlan(trx, plan.id))
  })
}

/** Stop the plan: its open tasks are removed, done ones stay as history. */
export async function cancelPlan(db: DbOrTrx, ctx: Ctx, input: { id: number }): Promise<FollowupPlan> {
  return inTransaction(db, async (trx) => {
    const plan = await loadPlan(trx, input.id)
    if (plan.status !== 'active') throw new AppError('INVALID_STATE', { reasonKey: 'reason.planNotActive' })
    const removed = await trx.deleteFrom('activities').where('plan_id', '=', plan.id).where('done_at', 'is', null).executeTakeFirst()
    await trx.updateTable('followup_plans').set({ status: 'cancelled', updated_at: ctx.now().toISOString() }).where('id', '=', plan.id).execute()
    await audit(trx, ctx, { action: 'update', entity: 'followupPlan', entityId: plan.id, changes: { status: ['active', 'cancelled'], removedTasks: Number(removed.numDeletedRows) } })
    return toPlan(trx, await loadPlan(trx, plan.id))
  })
}

export async function listPlans(db: DbOrTrx, _ctx: Ctx, input: z.output<typeof planListInput>): Promise<FollowupPlan[]> {
  let q = db.selectFrom('followup_plans').selectAll().orderBy('id', 'desc')
  if (input.opportunityId) q = q.where('opportunity_id', '=', input.opportunityId)
  if (input.leadId) q = q.where('lead_id', '=', input.leadId)
  const rows = await q.limit(50).execute()
  return Promise.all(rows.map((r) => toPlan(db, r)))
}
