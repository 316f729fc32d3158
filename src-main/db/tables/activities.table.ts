import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

export type ActivityType = 'call' | 'email' | 'meeting' | 'visit' | 'wechat' | 'sms' | 'social' | 'note'

export interface ActivitiesTable {
  id: Generated<number>
  type: ActivityType
  subject: string
  notes: string | null
  /** Planned time (UTC ISO); null for a record of something already done. */
  due_at: string | null
  /** When it was done (UTC ISO); null while planned. */
  done_at: string | null
  outcome: string | null
  owner_id: number | null
  lead_id: number | null
  account_id: number | null
  contact_id: number | null
  opportunity_id: number | null
  created_by: number | null
  created_at: string
  updated_at: string
  /** Follow-up plan that created this task, and its step's due offset in hours. (0040) */
  plan_id: number | null
  plan_step_hours: number | null
  /** When the due reminder went out. (0040) */
  reminded_at: string | null
}
export type ActivityRow = Selectable<ActivitiesTable>
export type NewActivityRow = Insertable<ActivitiesTable>
export type ActivityUpdate = Updateable<ActivitiesTable>
