// Scorecard arithmetic (评分表). Pure: no database, no clock.
//
// Each criterion earns a fraction (0–1) of its weight: options by points over the
// best option's points, a 1–5 rating as (r − 1) / 4, a number by the points of
// the band it falls in over the best band's points. Weights are relative and
// normalised to 100, so the total is always 0–100 whatever the weights add up to.
// Every criterion must be answered: a blank is neither zero (which would punish
// an unknown) nor left out (which would let one strong answer score 100).
import type { Answer, Answers, Criterion, CriterionResult, GradeThresholds, ScaleBand, ScoreBreakdown } from '../shared/scoring'
import { gradeFor, recommendationFor } from './grades'

const round1 = (x: number) => Math.round(x * 10) / 10

export function bandOf(bands: ScaleBand[], value: number): ScaleBand | undefined {
  return bands.find((b) => (b.min === null || value >= b.min) && (b.max === null || value < b.max))
}

function bandLabel(b: ScaleBand, unit = ''): string {
  if (b.label) return b.label
  if (b.min === null && b.max === null) return '全部'
  if (b.min === null) return `< ${b.max}${unit}`
  if (b.max === null) return `≥ ${b.min}${unit}`
  return `${b.min}–${b.max}${unit}`
}

/** Fraction of the weight earned by one answer, and how to show it; null when the answer does not fit the scale. */
export function rateAnswer(c: Criterion, answer: Answer): { fraction: number; label: string } | null {
  const s = c.scale
  switch (s.type) {
    case 'options': {
      const best = Math.max(...s.options.map((o) => o.points))
      const o = s.options.find((x) => x.key === String(answer))
      if (!o) return null
      return { fraction: best > 0 ? Math.max(0, o.points) / best : 0, label: o.label }
    }
    case 'rating': {
      const r = Number(answer)
      if (!Number.isInteger(r) || r < 1 || r > 5) return null
      return { fraction: (r - 1) / 4, label: `${r}/5` }
    }
    case 'range': {
      const v = typeof answer === 'number' ? answer : Number(answer)
      if (!Number.isFinite(v)) return null
      const band = bandOf(s.bands, v)
      if (!band) return null
      const best = Math.max(...s.bands.map((b) => b.points))
      return { fraction: best > 0 ? Math.max(0, band.points) / best : 0, label: `${v}${s.unit ?? ''}（${bandLabel(band, s.unit)}）` }
    }
  }
}

/** Weights normalised to 100. */
export function normalisedWeights(criteria: Criterion[]): number[] {
  const sum = criteria.reduce((s, c) => s + c.weight, 0)
  return criteria.map((c) => (sum > 0 ? (c.weight / sum) * 100 : 0))
}

export interface ScoreProblem {
  key: string
  problem: 'missing' | 'invalid'
}

/**
 * Score a form. `answers` are the scorer's; `derived` are answers taken from the
 * record (value indicators, lead facts) for criteria that have a source. A
 * scorer's own answer wins over a derived one.
 */
export function scoreAnswers(
  criteria: Criterion[],
  thresholds: GradeThresholds,
  answers: Answers,
  derived: Answers = {},
): { breakdown: ScoreBreakdown; problems: ScoreProblem[]; used: Answers } {
  const weights = normalisedWeights(criteria)
  const problems: ScoreProblem[] = []
  const used: Answers = {}
  const results: CriterionResult[] = criteria.map((c, i) => {
    const own = answers[c.key]
    const hasOwn = own !== undefined && own !== ''
    const answer = hasOwn ? own : derived[c.key]
    const rated = answer === undefined ? null : rateAnswer(c, answer)
    if (answer === undefined) problems.push({ key: c.key, problem: 'missing' })
    else if (!rated) problems.push({ key: c.key, problem: 'invalid' })
    else used[c.key] = answer
    const fraction = rated?.fraction ?? 0
    return {
      key: c.key,
      label: c.label,
      weight: round1(weights[i]),
      answer: answer ?? null,
      answerLabel: rated?.label ?? null,
      fraction,
      contribution: round1(weights[i] * fraction),
      auto: !hasOwn && answer !== undefined,
    }
  })
  // Sum the unrounded contributions, round once.
  const total = round1(criteria.reduce((s, _c, i) => s + weights[i] * results[i].fraction, 0))
  const grade = gradeFor(total, thresholds)
  return { breakdown: { total, grade, recommendation: recommendationFor(grade), criteria: results }, problems, used }
}

/**
 * Several people scored the same record (e.g. the rep 定性, the manager 定量):
 * the combined score is the plain mean of each scorer's latest total, one
 * decimal. A mean, not a role weighting: both views count, and a reader can
 * redo the sum by hand from the form.
 */
export function combineTotals(totals: number[]): number | null {
  if (totals.length === 0) return null
  return round1(totals.reduce((s, t) => s + t, 0) / totals.length)
}

/** The value a criterion's answer contributes to the learner: option key, rating, or the band's label for numbers. */
export function answerBucket(c: Criterion, answer: Answer): string | null {
  if (c.scale.type === 'range') {
    const v = Number(answer)
    const band = Number.isFinite(v) ? bandOf(c.scale.bands, v) : undefined
    return band ? bandLabel(band, c.scale.unit) : null
  }
  return String(answer)
}
