// 工作台 "my day": what one person should do today.
import { z } from 'zod'
import type { Db } from '../db/database'
import { businessDate } from '../shared/dates'
import type { Activity, Lead } from '../shared/domain'
import { selectActivities, toActivity } from './activities'
import { listStaleOpportunities, type BoardCard } from './board'
import type { Ctx } from './context'
import { id } from './fields'
import { listLeads } from './leads'

export const myDayInput = z.object({ userId: id.optional() })

export interface MyDay {
  overdue: Activity[]
  today: Activity[]
  stale: BoardCard[]
  newLeads: Lead[]
}

/** Tasks overdue and due today, stale deals and new leads for a user (the caller by default). */
export async function getMyDay(db: Db, ctx: Ctx, input: z.output<typeof myDayInput>): Promise<MyDay> {
  const userId = input.userId ?? ctx.userId ?? undefined
  const now = ctx.now()
  const nowIso = now.toISOString()
  const endOfToday = new Date(`${businessDate(now)}T23:59:59.999+08:00`).toISOString()
  const tasks = await selectActivities(db)
    .where('activities.done_at', 'is', null)
    .where('activities.due_at', '<=', endOfToday)
    .$if(userId !== undefined, (q) => q.where('activities.owner_id', '=', userId!))
    .orderBy('activities.due_at')
    .limit(500)
    .execute()
  const all = tasks.map(toActivity)
  const leads = await listLeads(db, ctx, { status: 'new', ownerId: userId, sort: 'created_at', order: 'desc', page: 1, pageSize: 20 })
  return {
    overdue: all.filter((a) => a.dueAt! < nowIso),
    today: all.filter((a) => a.dueAt! >= nowIso),
    stale: await listStaleOpportunities(db, ctx, { ownerId: userId, limit: 20 }),
    newLeads: leads.rows,
  }
}
