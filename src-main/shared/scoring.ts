// Scoring, risks and the learned win probability as the renderer sees them.
// Pure types and constants (no runtime imports): safe for the renderer.

export type ScoredEntity = 'lead' | 'opportunity'
export type Grade = 'A' | 'B' | 'C' | 'D'
export const GRADES: Grade[] = ['A', 'B', 'C', 'D']
/** 定性 (a person's judgement, usually the rep) or 定量 (checked against data, usually the manager). */
export type ScoreKind = 'qualitative' | 'quantitative'
export type Recommendation = 'focus' | 'normal' | 'hold' | 'drop'

export const RECOMMENDATION_OF: Record<Grade, Recommendation> = { A: 'focus', B: 'normal', C: 'hold', D: 'drop' }
export const RECOMMENDATION_LABELS: Record<Recommendation, { 'zh-CN': string; en: string }> = {
  focus: { 'zh-CN': '重点跟进', en: 'Focus' },
  normal: { 'zh-CN': '正常跟进', en: 'Follow up normally' },
  hold: { 'zh-CN': '暂缓', en: 'On hold' },
  drop: { 'zh-CN': '放弃', en: 'Drop' },
}

/** Lowest total for each grade; below C is D. */
export interface GradeThresholds {
  A: number
  B: number
  C: number
}

/** Record data a criterion can be answered from instead of asking (value indicators, lead facts). */
export const OPPORTUNITY_SOURCES = ['amount', 'marginPercent', 'cycleDays', 'credit', 'competition'] as const
export const LEAD_SOURCES = ['source', 'contactCompleteness'] as const
export type CriterionSource = (typeof OPPORTUNITY_SOURCES)[number] | (typeof LEAD_SOURCES)[number]

export interface ScaleOption {
  key: string
  label: string
  points: number
}
export interface ScaleBand {
  /** Inclusive lower bound; null = no bound. */
  min: number | null
  /** Exclusive upper bound; null = no bound. */
  max: number | null
  points: number
  label?: string
}
export type Scale =
  | { type: 'options'; options: ScaleOption[] }
  /** 1–5 stars: 1 is worth nothing, 5 the full weight. */
  | { type: 'rating' }
  /** A number (yuan, percent, days …) mapped to points by bands. */
  | { type: 'range'; unit?: string; bands: ScaleBand[] }

export interface Criterion {
  /** Stable within a model across versions (answers and the learner refer to it). */
  key: string
  label: string
  description?: string
  /** Relative weight; the form shows weights normalised to 100. */
  weight: number
  scale: Scale
  /** Answered from the record when the scorer leaves it empty. */
  source?: CriterionSource
}

/** Option key (options), 1–5 (rating) or a number (range). */
export type Answer = string | number
export type Answers = Record<string, Answer>

export interface CriterionResult {
  key: string
  label: string
  /** Weight normalised to 100, one decimal. */
  weight: number
  answer: Answer | null
  answerLabel: string | null
  /** Share of the criterion's weight earned, 0–1. */
  fraction: number
  /** Points this criterion adds to the 0–100 total, one decimal. */
  contribution: number
  /** The answer came from the record's data (value indicator, lead facts), not from the scorer. */
  auto: boolean
}

export interface ScoreBreakdown {
  total: number
  grade: Grade
  recommendation: Recommendation
  criteria: CriterionResult[]
}

export type RiskType = 'market' | 'credit' | 'technical' | 'other'
export type RiskLevel = 'low' | 'medium' | 'high'
export type RiskStatus = 'open' | 'mitigated' | 'closed'
export const RISK_TYPES: RiskType[] = ['market', 'credit', 'technical', 'other']
export const RISK_LEVELS: RiskLevel[] = ['low', 'medium', 'high']
export const RISK_STATUSES: RiskStatus[] = ['open', 'mitigated', 'closed']
export type CompetitionLevel = 'low' | 'medium' | 'high'

/** Percent taken off the weighted value for the highest open risk. */
export interface RiskDiscounts {
  low: number
  medium: number
  high: number
}

export type WinModelTarget = ScoredEntity
/** never: not trained yet; insufficient: too few closed records; weak: trained but no better than chance, not used; ready: used. */
export type WinModelState = 'never' | 'insufficient' | 'weak' | 'ready'

export interface CalibrationRow {
  /** Predicted probability band, e.g. 0.2–0.3. */
  from: number
  to: number
  count: number
  /** Mean predicted probability in the band. */
  predicted: number
  /** Share that actually converted / won. */
  observed: number
}

export interface Factor {
  feature: string
  label: string
  value: string
  /** Change in log-odds this fact brings (positive = for, negative = against). */
  effect: number
}
