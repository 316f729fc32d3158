import type { Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { CompetitionLevel, Grade, RiskLevel } from '../../shared/scoring'

export type StageKind = 'open' | 'won' | 'lost'
export type OpportunityStatus = 'open' | 'won' | 'lost'

export interface PipelineStagesTable {
  id: Generated<number>
  pipeline: string
  key: string
  name: string
  sort_order: number
  /** Default win probability, integer percent 0–100. */
  probability: number
  kind: StageKind
  /** Days without any touch before a deal in this stage counts as stale. */
  stale_days: number | null
  /** JSON array of opportunity fields required on entering the stage, e.g. ["lostReason"]. (0040) */
  required_fields: Generated<string>
  created_at: string
}
export type StageRow = Selectable<PipelineStagesTable>

export interface OpportunitiesTable {
  id: Generated<number>
  title: string
  account_id: number
  contact_id: number | null
  /** Integer fen (分). */
  amount_fen: number
  /** YYYY-MM-DD */
  expected_close_date: string | null
  stage_id: number
  /** Integer percent 0–100. */
  probability: number
  /** 1 when a person set the probability; a stage move then keeps it. */
  probability_manual: Generated<number>
  owner_id: number | null
  source: string | null
  status: OpportunityStatus
  lost_reason: string | null
  closed_at: string | null
  stage_changed_at: string
  last_activity_at: string | null
  /** Optimistic lock: every update must name the version it read. */
  version: Generated<number>
  /** 销售预测 category (migration 0060): pipeline / best_case / commit. */
  forecast_category: Generated<'pipeline' | 'best_case' | 'commit'>
  notes: string | null
  search_text: string
  import_batch_id: number | null
  external_id: string | null
  // Scoring (0050). Latest combined score rounded to 0–100, its grade and time.
  score: Generated<number | null>
  grade: Generated<Grade | null>
  scored_at: Generated<string | null>
  /** Learned win probability, integer percent; null when no usable model. Never written to `probability`. */
  learned_probability: Generated<number | null>
  /** Highest level among the deal's open risks. */
  risk_level: Generated<RiskLevel | null>
  // Value indicators (价值指标); the credit level is the account's.
  margin_percent: Generated<number | null>
  expected_cycle_days: Generated<number | null>
  competition_level: Generated<CompetitionLevel | null>
  created_at: string
  updated_at: string
}
export type OpportunityRow = Selectable<OpportunitiesTable>
export type NewOpportunityRow = Insertable<OpportunitiesTable>
export type OpportunityUpdate = Updateable<OpportunitiesTable>

export interface StageHistoryTable {
  id: Generated<number>
  opportunity_id: number
  from_stage_id: number | null
  to_stage_id: number
  changed_by: number | null
  changed_at: string
}
