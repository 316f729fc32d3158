// 工作台 "my day": what one person should do today. Managers and admins also
// get a team mode: the same lists over their team (or one chosen member).
import { z } from 'zod'
import type { Db } from '../db/database'
import { businessDate } from '../shared/dates'
import type { Activity, Lead } from '../shared/domain'
import { AppError } from '../shared/errors'
import { selectActivities, toActivity } from './activities'
import { listStaleOpportunities, type BoardCard } from './board'
import type { Ctx } from './context'
import { id } from './fields'
import { toLead } from './leads'

export const myDayInput = z.object({
  /** Another user's day (managers and admins only). */
  userId: id.optional(),
  /** 'team': the caller's team, or `memberId` alone, for managers and admins. */
  scope: z.enum(['mine', 'team']).default('mine'),
  memberId: id.optional(),
})

export interface MyDayMember {
  id: number
  name: string
  team: string | null
}

export interface MyDay {
  scope: 'mine' | 'team'
  /** Team mode: the people the manager may look at (for the member picker). */
  members: MyDayMember[]
  overdue: Activity[]
  today: Activity[]
  stale: BoardCard[]
  newLeads: Lead[]
}

async function caller(db: Db, ctx: Ctx) {
  if (ctx.userId === null) return { role: 'admin', team: null as string | null } // system context (CLI)
  const row = await db.selectFrom('users').select(['role', 'team']).where('id', '=', ctx.userId).executeTakeFirst()
  return { role: row?.role ?? 'sales', team: row?.team ?? null }
}

/**
 * Whom a manager sees: an admin everyone active; a manager the active members
 * of their own team (everyone when the manager has no team set).
 */
async function teamOf(db: Db, me: { role: string; team: string | null }): Promise<MyDayMember[]> {
  let q = db.selectFrom('users').select(['id', 'name', 'team']).where('is_active', '=', 1)
  if (me.role === 'manager' && me.team) q = q.where('team', '=', me.team)
  return q.orderBy('team').orderBy('name').execute()
}

/** Tasks overdue and due today, stale deals and new leads for a user (the caller by default) or a team. */
export async function getMyDay(db: Db, ctx: Ctx, input: z.output<typeof myDayInput>): Promise<MyDay> {
  const me = await caller(db, ctx)
  const isManager = me.role === 'admin' || me.role === 'manager'
  let ownerIds: number[] | undefined
  let members: MyDayMember[] = []
  if (input.scope === 'team') {
    if (!isManager) throw new AppError('FORBIDDEN')
    members = await teamOf(db, me)
    const allowed = new Set(members.map((m) => m.id))
    if (input.memberId !== undefined) {
      if (!allowed.has(input.memberId)) throw new AppError('FORBIDDEN')
      ownerIds = [input.memberId]
    } else {
      ownerIds = [...allowed]
    }
  } else {
    const userId = input.userId ?? ctx.userId ?? undefined
    if (input.userId !== undefined && input.userId !== ctx.userId && !isManager) throw new AppError('FORBIDDEN')
    ownerIds = userId === undefined ? undefined : [userId]
  }

  const now = ctx.now()
  const nowIso = now.toISOString()
  const endOfToday = new Date(`${businessDate(now)}T23:59:59.999+08:00`).toISOString()
  const none = ownerIds !== undefined && ownerIds.length === 0
  const tasks = none
    ? []
    : await selectActivities(db)
        .where('activities.done_at', 'is', null)
        .where('activities.due_at', '<=', endOfToday)
        .$if(ownerIds !== undefined, (q) => q.where('activities.owner_id', 'in', ownerIds!))
        .orderBy('activities.due_at')
        .limit(500)
        .execute()
  const all = tasks.map(toActivity)
  const leads = none
    ? []
    : await db
        .selectFrom('leads')
        .leftJoin('users as owner', 'owner.id', 'leads.owner_id')
        .selectAll('leads')
        .select('owner.name as owner_name')
        .where('leads.status', '=', 'new')
        .$if(ownerIds !== undefined, (q) => q.where('leads.owner_id', 'in', ownerIds!))
        .orderBy('leads.created_at', 'desc')
        .orderBy('leads.id', 'desc')
        .limit(input.scope === 'team' ? 50 : 20)
        .execute()
  return {
    scope: input.scope,
    members,
    overdue: all.filter((a) => a.dueAt! < nowIso),
    today: all.filter((a) => a.dueAt! >= nowIso),
    stale: await listStaleOpportunities(db, ctx, { ownerIds, limit: input.scope === 'team' ? 50 : 20 }),
    newLeads: leads.map(toLead),
  }
}
