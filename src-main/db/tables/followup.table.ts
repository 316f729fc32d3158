import type { Generated, Selectable } from 'kysely'

export interface PipelinesTable {
  key: string
  name: string
  sort_order: number
  created_at: string
}

export interface FollowupTemplatesTable {
  id: Generated<number>
  name: string
  description: string | null
  is_default: Generated<number>
  created_at: string
  updated_at: string
}

export interface FollowupTemplateStepsTable {
  id: Generated<number>
  template_id: number
  sort_order: number
  /** Hours after the plan starts when the step's window opens. */
  earliest_hours: Generated<number>
  /** Hours after the plan starts when the step is due. */
  due_hours: number
  type: string
  subject: string
  notes: string | null
}
export type TemplateStepRow = Selectable<FollowupTemplateStepsTable>

export type PlanStatus = 'active' | 'cancelled' | 'done'
export interface FollowupPlansTable {
  id: Generated<number>
  template_id: number | null
  name: string
  opportunity_id: number | null
  lead_id: number | null
  status: Generated<PlanStatus>
  starts_at: string
  created_by: number | null
  created_at: string
  updated_at: string
}
export type PlanRow = Selectable<FollowupPlansTable>

export type FeedbackType = 'product' | 'price' | 'service' | 'other'
export type FeedbackStatus = 'open' | 'in_progress' | 'resolved'
export interface FeedbackTable {
  id: Generated<number>
  type: FeedbackType
  department: string | null
  content: string
  status: Generated<FeedbackStatus>
  response: string | null
  opportunity_id: number | null
  account_id: number | null
  lead_id: number | null
  created_by: number | null
  created_at: string
  updated_at: string
  resolved_at: string | null
}
export type FeedbackRow = Selectable<FeedbackTable>
