// Total 0–100 → grade A/B/C/D → recommendation. Thresholds live in each model
// version, so a stored score can always be re-read with the rules that made it.
import { RECOMMENDATION_OF, type Grade, type GradeThresholds, type Recommendation } from '../shared/scoring'

export const DEFAULT_THRESHOLDS: GradeThresholds = { A: 80, B: 60, C: 40 }

/** Thresholds must fall strictly from A to C inside 0–100, or two grades would overlap. */
export function validThresholds(t: GradeThresholds): boolean {
  return t.A <= 100 && t.A > t.B && t.B > t.C && t.C >= 0
}

/** A total at or above a threshold earns that grade (80 with A = 80 is an A). */
export function gradeFor(total: number, t: GradeThresholds = DEFAULT_THRESHOLDS): Grade {
  if (total >= t.A) return 'A'
  if (total >= t.B) return 'B'
  if (total >= t.C) return 'C'
  return 'D'
}

export function recommendationFor(grade: Grade): Recommendation {
  return RECOMMENDATION_OF[grade]
}
