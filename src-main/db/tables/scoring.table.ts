import type { Generated, Selectable } from 'kysely'
import type { Grade, RiskLevel, RiskStatus, RiskType, ScoreKind, ScoredEntity } from '../../shared/scoring'

export interface ScoringModelsTable {
  id: Generated<number>
  entity: ScoredEntity
  name: string
  /** The model the form uses for its entity (one active per entity). */
  is_active: Generated<number>
  current_version_id: number | null
  created_at: string
  updated_at: string
}
export type ScoringModelRow = Selectable<ScoringModelsTable>

export interface ScoringModelVersionsTable {
  id: Generated<number>
  model_id: number
  version: number
  /** JSON Criterion[] (shared/scoring.ts). */
  criteria: string
  /** JSON GradeThresholds. */
  thresholds: string
  created_by: number | null
  created_at: string
}
export type ScoringModelVersionRow = Selectable<ScoringModelVersionsTable>

export interface ScoresTable {
  id: Generated<number>
  /** Exactly one of opportunity_id / lead_id is set. */
  opportunity_id: number | null
  lead_id: number | null
  model_version_id: number
  scorer_id: number | null
  kind: ScoreKind
  /** JSON Answers actually used (the scorer's plus those taken from the record). */
  answers: string
  /** JSON array of criterion keys answered from the record's data. */
  auto_keys: string
  /** 0–100, one decimal. */
  total: number
  grade: Grade
  comment: string | null
  created_at: string
}
export type ScoreRow = Selectable<ScoresTable>

export interface RisksTable {
  id: Generated<number>
  opportunity_id: number
  type: RiskType
  level: RiskLevel
  description: string
  mitigation: string | null
  owner_id: number | null
  status: Generated<RiskStatus>
  created_by: number | null
  created_at: string
  updated_at: string
}
export type RiskRow = Selectable<RisksTable>

export interface WinModelsTable {
  id: Generated<number>
  target: ScoredEntity
  state: 'insufficient' | 'weak' | 'ready'
  /** Random per training run; keys the in-memory cache of parsed models. */
  model_key: string
  /** JSON StoredWinModel (services/win-model.ts); null when there was too little data. */
  model: string | null
  /** JSON WinModelMetrics. */
  metrics: string
  trained_by: number | null
  trained_at: string
}
export type WinModelRow = Selectable<WinModelsTable>

export interface ProbabilityHistoryTable {
  id: Generated<number>
  opportunity_id: number | null
  lead_id: number | null
  at: string
  stage_probability: number | null
  learned_probability: number | null
}
