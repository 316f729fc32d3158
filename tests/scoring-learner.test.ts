// The learner on small hand-made data whose right answer is known: naive Bayes
// counts, stage-aware counting, AUC with ties, calibration, Platt, hold-out split.
import { describe, expect, it } from 'vitest'
import { activityBand, amountBand, cleanCategory, log2Band, stagesForTraining, stageForPrediction } from '../src-main/scoring/features'
import { holdoutSplit, learn, type LearnRow } from '../src-main/scoring/learner'
import { auc, brier, calibrationTable, fitPlatt, seededShuffle } from '../src-main/scoring/metrics'
import { explainLogOdds, logOddsOf, OTHER, trainNaiveBayes, type Example } from '../src-main/scoring/naive-bayes'

const ex = (features: Example['features'], label: 0 | 1): Example => ({ features, label })
const repeat = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x)

describe('AUC', () => {
  it('is the chance a positive outranks a negative, ties counting half', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75)
    expect(auc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1)
    expect(auc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0)
    // Positive 2 vs negatives 1 (win) and 2 (tie): 1.5; positive 3 beats both: 2 → 3.5 / 4.
    expect(auc([1, 2, 2, 3], [0, 0, 1, 1])).toBe(0.875)
    expect(auc([5, 5, 5, 5], [0, 1, 0, 1])).toBe(0.5)
    expect(auc([1, 2], [1, 1])).toBeNaN()
  })
})

describe('calibration and Brier', () => {
  it('groups predictions into bands and compares them with what happened', () => {
    const rows = calibrationTable([0.05, 0.15, 0.12, 0.95, 0.91], [0, 0, 1, 1, 1])
    expect(rows).toEqual([
      { from: 0, to: 0.1, count: 1, predicted: 0.05, observed: 0 },
      { from: 0.1, to: 0.2, count: 2, predicted: 0.135, observed: 0.5 },
      { from: 0.9, to: 1, count: 2, predicted: 0.93, observed: 1 },
    ])
    // (0.25² + 0.25²) / 2
    expect(brier([0.25, 0.75], [0, 1])).toBe(0.0625)
  })

  it('Platt scaling flattens scores that carry no signal to the base rate', () => {
    const scores = [-2, -1, 0, 1, 2, -2, -1, 0, 1, 2]
    const labels: Array<0 | 1> = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]
    const p = fitPlatt(scores, labels)
    expect(p.a).toBeLessThan(0.05)
    expect(1 / (1 + Math.exp(-p.b))).toBeCloseTo(0.5, 1)
    // Six scores that separate perfectly: a positive slope, held back by the smoothed targets (4/5 and 1/5),
    // so three examples of each cannot claim certainty.
    const q = fitPlatt([-3, -2, -1, 1, 2, 3], [0, 0, 0, 1, 1, 1])
    expect(q.a).toBeGreaterThan(0.5)
    expect(1 / (1 + Math.exp(-(q.a * 3 + q.b)))).toBeLessThan(0.9)
  })
})

describe('naive Bayes', () => {
  it('counts, smooths and explains exactly as computed by hand', () => {
    // Won: red ×3, blue ×1. Lost: red ×1, blue ×5.
    const data = [...repeat(3, ex({ color: 'red' }, 1)), ex({ color: 'blue' }, 1), ex({ color: 'red' }, 0), ...repeat(5, ex({ color: 'blue' }, 0))]
    const m = trainNaiveBayes(data, { alpha: 1, minCount: 1 })
    expect(m.classCounts).toEqual([6, 4])
    expect(m.features.color.counts).toEqual({ red: [1, 3], blue: [5, 1] })
    // P(red|won) = (3+1)/(4+2) = 2/3; P(red|lost) = (1+1)/(6+2) = 1/4 → ln(8/3). Prior ln(5/7).
    const x = explainLogOdds(m, { color: 'red' })
    expect(x.prior).toBeCloseTo(Math.log(5 / 7), 10)
    expect(x.contributions).toEqual([{ feature: 'color', value: 'red', effect: expect.closeTo(Math.log(8 / 3), 10) }])
    expect(1 / (1 + Math.exp(-x.logOdds))).toBeCloseTo(0.6557, 4)
    // An unseen value tells nothing.
    expect(logOddsOf(m, { color: 'green' })).toBeCloseTo(Math.log(5 / 7), 10)
  })

  it('pools rare values so a one-off cannot swing a prediction', () => {
    const data = [...repeat(6, ex({ city: '杭州' }, 1)), ...repeat(6, ex({ city: '宁波' }, 0)), ex({ city: '温州' }, 1), ex({ city: '台州' }, 0)]
    const m = trainNaiveBayes(data, { minCount: 2 })
    expect(m.features.city.counts).toEqual({ 杭州: [0, 6], 宁波: [6, 0], [OTHER]: [1, 1] })
    expect(explainLogOdds(m, { city: '丽水' }).contributions[0]).toMatchObject({ value: OTHER, effect: 0 })
  })

  it('stage-aware counting: a won deal passed every stage, a lost one only those it reached', () => {
    const stages = ['potential', 'intent', 'negotiation']
    expect(stagesForTraining({ openStageKeys: stages, status: 'won', reachedIndex: 0 })).toEqual(stages)
    expect(stagesForTraining({ openStageKeys: stages, status: 'lost', reachedIndex: 1 })).toEqual(['potential', 'intent'])
    // Path unknown (imported straight as won or lost): no stage fact either way.
    expect(stagesForTraining({ openStageKeys: stages, status: 'lost', reachedIndex: -1 })).toEqual([])
    expect(stagesForTraining({ openStageKeys: stages, status: 'won', reachedIndex: -1 })).toEqual([])
    expect(stageForPrediction({ openStageKeys: stages, status: 'won', reachedIndex: -1, stageKey: 'won' })).toBeNull()
    expect(stageForPrediction({ openStageKeys: stages, status: 'lost', reachedIndex: 1, stageKey: 'lost' })).toBe('intent')
    expect(stageForPrediction({ openStageKeys: stages, status: 'open', reachedIndex: 2, stageKey: 'negotiation' })).toBe('negotiation')

    // 2 won; 2 lost at 潜在; 2 lost at 意向.
    const data = [
      ...repeat(2, ex({ stage: stages }, 1)),
      ...repeat(2, ex({ stage: ['potential'] }, 0)),
      ...repeat(2, ex({ stage: ['potential', 'intent'] }, 0)),
    ]
    const m = trainNaiveBayes(data)
    expect(m.features.stage).toEqual({ kind: 'reached', counts: { potential: [4, 2], intent: [2, 2], negotiation: [0, 2] }, totals: [4, 2] })
    // P(negotiation|won) = 3/4, P(negotiation|lost) = 1/6 → ln 4.5; P(potential|won) = 3/4, P(potential|lost) = 5/6 → ln 0.9.
    expect(explainLogOdds(m, { stage: 'negotiation' }).contributions[0].effect).toBeCloseTo(Math.log(4.5), 10)
    expect(explainLogOdds(m, { stage: 'potential' }).contributions[0].effect).toBeCloseTo(Math.log(0.9), 10)
  })
})

describe('facts', () => {
  it('cuts numbers into log2 bands and cleans placeholders', () => {
    expect([0, 0.5, 1, 5, 1000, -2, null].map(log2Band)).toEqual(['0', '0–1', '1', '4–7', '512–1,023', '<0', null])
    expect(amountBand(1_000_000)).toBe('¥8,192–16,383')
    expect(amountBand(50)).toBe('¥0')
    expect([' Select ', '请选择', '', 'Ｇｏｏｇｌｅ', null].map(cleanCategory)).toEqual([null, null, null, 'Google', null])
    // 3 activities in a 30-day-old deal: 3 a month; one call on a 2-day-old deal counts over 14 days.
    expect([activityBand(0, 10), activityBand(3, 30), activityBand(1, 2), activityBand(10, 30)]).toEqual(['0', '2–4/月', '2–4/月', '4+/月'])
  })
})

describe('learn', () => {
  it('holds out the newest 30% (or a seeded random 30%)', () => {
    expect(holdoutSplit(10, { split: 'time' })).toEqual({ train: [0, 1, 2, 3, 4, 5, 6], test: [7, 8, 9] })
    const r = holdoutSplit(10, { split: 'random', seed: 7 })
    expect(r.train).toEqual(seededShuffle(10, 7).slice(0, 7))
    expect([...r.train, ...r.test].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('finds a real pattern, beats the one-fact baseline, and leaves out a fact that gives the outcome away', () => {
    // 400 deals: referrals win 3 in 4, ads 1 in 4; the channel is the signal. "closeValue" is 0 exactly
    // for the lost deals (filled in at closing): a leak the learner must refuse.
    const rows: LearnRow[] = []
    for (let i = 0; i < 400; i++) {
      const source = i % 2 === 0 ? '转介绍' : '广告'
      const won = (source === '转介绍' ? i % 8 !== 0 : i % 8 === 1) ? 1 : 0
      const region = ['华东', '华南'][Math.floor(i / 2) % 2]
      const facts = { source, region, closeValue: won ? 'positive' : 'zero' }
      rows.push({ features: facts, label: won as 0 | 1 })
    }
    const r = learn(rows, { split: 'time', baselineFeature: 'region' })
    expect(r.holdout.leaks).toEqual([{ feature: 'closeValue', auc: 1 }])
    expect(r.model.features.closeValue).toBeUndefined()
    expect(r.holdout).toMatchObject({ train: 280, test: 120 })
    // source decides 3:1 either way: AUC = P(referral-won outranks ad-lost etc.) = 0.75 on this pattern.
    expect(r.holdout.auc).toBeCloseTo(0.75, 1)
    expect(r.holdout.baseline.auc).toBeCloseTo(0.5, 1)
    expect(r.platt.a).toBeGreaterThan(0)
    expect(r.holdout).toMatchObject({ kept: 'all' })
  })

  it('keeps the one-fact model when the other facts only add noise', () => {
    // The outcome follows the stage channel exactly 3 in 4; "rep" is pure noise spread over 40 names.
    const rows: LearnRow[] = []
    for (let i = 0; i < 600; i++) {
      const channel = i % 2 ? 'A' : 'B'
      const won = (channel === 'A' ? i % 4 !== 1 : i % 4 === 0) ? 1 : 0
      const facts = { channel, rep: `rep${(i * 7919) % 40}`, size: `s${(i * 104729) % 9}` }
      rows.push({ features: facts, label: won as 0 | 1 })
    }
    const r = learn(rows, { split: 'random', seed: 3, baselineFeature: 'channel' })
    expect(r.holdout.baseline.auc).toBeGreaterThanOrEqual(r.holdout.auc)
    expect(r.holdout).toMatchObject({ kept: 'baseline', keptAuc: r.holdout.baseline.auc })
    expect(Object.keys(r.model.features)).toEqual(['channel'])
  })
})
