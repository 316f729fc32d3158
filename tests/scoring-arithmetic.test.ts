// Scorecard arithmetic, grade thresholds and risk adjustment: pure functions, hand-computed answers.
import { describe, expect, it } from 'vitest'
import { DEFAULT_THRESHOLDS, gradeFor, recommendationFor, validThresholds } from '../src-main/scoring/grades'
import { answerBucket, combineTotals, normalisedWeights, rateAnswer, scoreAnswers } from '../src-main/scoring/score-model'
import { effectiveProbability, highestOpenLevel, riskAdjustedFen, riskDiscountOf } from '../src-main/services/risks'
import type { Criterion } from '../src-main/shared/scoring'

const CRITERIA: Criterion[] = [
  { key: 'fit', label: '需求匹配度', weight: 2, scale: { type: 'options', options: [{ key: 'full', label: '完全', points: 10 }, { key: 'half', label: '部分', points: 5 }, { key: 'none', label: '不匹配', points: 0 }] } },
  { key: 'will', label: '合作意愿', weight: 1, scale: { type: 'rating' } },
  {
    key: 'cycle',
    label: '决策周期',
    weight: 1,
    source: 'cycleDays',
    scale: { type: 'range', unit: '天', bands: [{ min: null, max: 31, points: 10 }, { min: 31, max: 91, points: 7 }, { min: 91, max: null, points: 1 }] },
  },
]

describe('scorecard arithmetic', () => {
  it('normalises weights to 100 and adds up each criterion’s share', () => {
    expect(normalisedWeights(CRITERIA)).toEqual([50, 25, 25])
    // fit: 5/10 of 50 = 25; will: (4 − 1)/4 of 25 = 18.75; cycle 45 days → 7/10 of 25 = 17.5; total 61.25 → 61.3.
    const { breakdown, problems } = scoreAnswers(CRITERIA, DEFAULT_THRESHOLDS, { fit: 'half', will: 4, cycle: 45 })
    expect(problems).toEqual([])
    expect(breakdown.criteria.map((c) => [c.key, c.weight, c.contribution, c.answerLabel])).toEqual([
      ['fit', 50, 25, '部分'],
      ['will', 25, 18.8, '4/5'],
      ['cycle', 25, 17.5, '45天（31–91天）'],
    ])
    expect(breakdown).toMatchObject({ total: 61.3, grade: 'B', recommendation: 'normal' })
  })

  it('extremes: every best answer is 100, every worst is 0', () => {
    expect(scoreAnswers(CRITERIA, DEFAULT_THRESHOLDS, { fit: 'full', will: 5, cycle: 0 }).breakdown).toMatchObject({ total: 100, grade: 'A', recommendation: 'focus' })
    // The worst cycle band still earns 1/10 of its 25: 2.5.
    expect(scoreAnswers(CRITERIA, DEFAULT_THRESHOLDS, { fit: 'none', will: 1, cycle: 400 }).breakdown).toMatchObject({ total: 2.5, grade: 'D', recommendation: 'drop' })
  })

  it('takes answers from the record where the criterion has a source, the scorer’s own answer first', () => {
    const derived = scoreAnswers(CRITERIA, DEFAULT_THRESHOLDS, { fit: 'full', will: 3 }, { cycle: 20 })
    expect(derived.breakdown.criteria[2]).toMatchObject({ answer: 20, contribution: 25, auto: true })
    expect(derived.used).toEqual({ fit: 'full', will: 3, cycle: 20 })
    const own = scoreAnswers(CRITERIA, DEFAULT_THRESHOLDS, { fit: 'full', will: 3, cycle: 100 }, { cycle: 20 })
    expect(own.breakdown.criteria[2]).toMatchObject({ answer: 100, contribution: 2.5, auto: false })
  })

  it('reports unanswered and out-of-scale answers instead of guessing', () => {
    const { problems } = scoreAnswers(CRITERIA, DEFAULT_THRESHOLDS, { fit: 'maybe', will: 6 })
    expect(problems).toEqual([
      { key: 'fit', problem: 'invalid' },
      { key: 'will', problem: 'invalid' },
      { key: 'cycle', problem: 'missing' },
    ])
    expect(rateAnswer(CRITERIA[1], 2.5)).toBeNull()
  })

  it('buckets answers for the learner: option key, rating, band label', () => {
    expect(answerBucket(CRITERIA[0], 'half')).toBe('half')
    expect(answerBucket(CRITERIA[1], 4)).toBe('4')
    expect(answerBucket(CRITERIA[2], 45)).toBe('31–91天')
  })

  it('combines several scorers as the plain mean of their latest totals', () => {
    expect(combineTotals([72, 85])).toBe(78.5)
    expect(combineTotals([61.3, 70, 90])).toBe(73.8)
    expect(combineTotals([])).toBeNull()
  })
})

describe('grades', () => {
  it('a total at a threshold earns that grade', () => {
    expect([80, 79.9, 60, 59.9, 40, 39.9, 0].map((t) => gradeFor(t))).toEqual(['A', 'B', 'B', 'C', 'C', 'D', 'D'])
    expect([90, 89, 50].map((t) => gradeFor(t, { A: 90, B: 70, C: 50 }))).toEqual(['A', 'B', 'C'])
    expect(['A', 'B', 'C', 'D'].map((g) => recommendationFor(g as 'A'))).toEqual(['focus', 'normal', 'hold', 'drop'])
  })

  it('thresholds must fall from A to C', () => {
    expect(validThresholds({ A: 80, B: 60, C: 40 })).toBe(true)
    expect(validThresholds({ A: 60, B: 60, C: 40 })).toBe(false)
    expect(validThresholds({ A: 101, B: 60, C: 40 })).toBe(false)
    expect(validThresholds({ A: 80, B: 60, C: -1 })).toBe(false)
  })
})

describe('risk adjustment', () => {
  it('amount × probability × (1 − discount), integer fen, rounded once', () => {
    // ¥10,000 at 60% with a medium risk (15%): 1,000,000 × 0.6 × 0.85 = 510,000 fen.
    expect(riskAdjustedFen(1_000_000, 60, 15)).toBe(510_000)
    // 333 × 55 × 85 = 1,556,775 → 155.6775 → 156.
    expect(riskAdjustedFen(333, 55, 15)).toBe(156)
    // 10^15 fen stays exact past 2^53 in the intermediate product.
    expect(riskAdjustedFen(1e15, 55, 35)).toBe(357_500_000_000_000)
    expect(riskAdjustedFen(1_000_000, 60, 0)).toBe(600_000)
  })

  it('the highest open risk sets the discount; mitigated and closed risks do not count', () => {
    const d = { low: 5, medium: 15, high: 35 }
    expect(highestOpenLevel([{ level: 'low', status: 'open' }, { level: 'high', status: 'mitigated' }, { level: 'medium', status: 'open' }])).toBe('medium')
    expect(highestOpenLevel([{ level: 'high', status: 'closed' }])).toBeNull()
    expect(riskDiscountOf('high', d)).toBe(35)
    expect(riskDiscountOf(null, d)).toBe(0)
  })

  it('uses a hand-set probability first, then the learned one, then the stage’s', () => {
    expect(effectiveProbability({ probability: 45, probabilityManual: true, learnedProbability: 80 })).toEqual({ probability: 45, source: 'manual' })
    expect(effectiveProbability({ probability: 30, probabilityManual: false, learnedProbability: 80 })).toEqual({ probability: 80, source: 'learned' })
    expect(effectiveProbability({ probability: 30, probabilityManual: false, learnedProbability: null })).toEqual({ probability: 30, source: 'stage' })
  })
})
