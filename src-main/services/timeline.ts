import { z } from 'zod'
import type { Db } from '../db/database'
import type { TimelineItem } from '../shared/domain'
import type { Ctx } from './context'
import { selectActivities, toActivity } from './activities'
import { id } from './fields'

export const timelineInput = z.object({
  entity: z.enum(['account', 'contact', 'lead', 'opportunity']),
  id,
  limit: z.number().int().min(1).max(500).default(200),
})

/** Everything that happened to a record, newest first: activities, stage moves, edits. */
export async function getTimeline(db: Db, _ctx: Ctx, input: z.output<typeof timelineInput>): Promise<TimelineItem[]> {
  const linkColumn = {
    account: 'activities.account_id',
    contact: 'activities.contact_id',
    lead: 'activities.lead_id',
    opportunity: 'activities.opportunity_id',
  } as const
  const activities = await selectActivities(db).where(linkColumn[input.entity], '=', input.id).orderBy('activities.created_at', 'desc').limit(input.limit).execute()

  const items: TimelineItem[] = activities.map((row) => ({
    kind: 'activity',
    at: row.done_at ?? row.due_at ?? row.created_at,
    activity: toActivity(row),
  }))

  if (input.entity === 'opportunity' || input.entity === 'account') {
    let q = db
      .selectFrom('stage_history')
      .innerJoin('opportunities', 'opportunities.id', 'stage_history.opportunity_id')
      .innerJoin('pipeline_stages as to_stage', 'to_stage.id', 'stage_history.to_stage_id')
      .leftJoin('pipeline_stages as from_stage', 'from_stage.id', 'stage_history.from_stage_id')
      .leftJoin('users', 'users.id', 'stage_history.changed_by')
      .select(['stage_history.changed_at', 'stage_history.opportunity_id', 'opportunities.title', 'from_stage.name as from_name', 'to_stage.name as to_name', 'users.name as user_name'])
      .orderBy('stage_history.changed_at', 'desc')
      .limit(input.limit)
    q = input.entity === 'opportunity' ? q.where('stage_history.opportunity_id', '=', input.id) : q.where('opportunities.account_id', '=', input.id)
    for (const s of await q.execute()) {
      items.push({ kind: 'stage', at: s.changed_at, opportunityId: s.opportunity_id, opportunityTitle: s.title, fromStage: s.from_name, toStage: s.to_name, userName: s.user_name })
    }
  }

  const edits = await db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .select(['audit_log.at', 'audit_log.action', 'audit_log.entity', 'audit_log.changes', 'users.name as user_name'])
    .where('audit_log.entity', '=', input.entity)
    .where('audit_log.entity_id', '=', input.id)
    .orderBy('audit_log.id', 'desc')
    .limit(input.limit)
    .execute()
  for (const e of edits) {
    items.push({ kind: 'audit', at: e.at, action: e.action, entity: e.entity, changes: JSON.parse(e.changes) as Record<string, unknown>, userName: e.user_name })
  }
  return items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, input.limit)
}
