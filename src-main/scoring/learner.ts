// Train and measure: hold out the newest 30% (or a seeded random 30%), train
// naive Bayes on the rest, measure AUC against a one-fact baseline, calibrate,
// then train the model that is kept on everything. Pure.
import { auc, aucOfGroups, brier, calibrationTable, fitPlatt, logLoss, seededShuffle, type Platt } from './metrics'
import { countExamples, effectNumber, logOddsOf, mergeCounts, modelFromCounts, sigmoid, type Example, type FeatureValue, type NbModel } from './naive-bayes'
import type { CalibrationRow } from '../shared/scoring'

/** A record's facts as counted in training (a stage may be the list of stages passed) and its outcome. */
export interface LearnRow extends Example {
  /** Facts that read differently when predicting (the stage reached rather than the stages passed). */
  predictAs?: Record<string, FeatureValue>
}

/** The facts as seen when predicting: one value each. */
export function predictFacts(r: LearnRow): Record<string, FeatureValue> {
  return (r.predictAs ? { ...r.features, ...r.predictAs } : r.features) as Record<string, FeatureValue>
}

export interface LearnOptions {
  /** time: rows are given oldest first, the newest share is held out. random: a seeded shuffle. */
  split: 'time' | 'random'
  seed?: number
  /** Share used for training in the hold-out run. */
  trainShare?: number
  /** The one fact a plain rule would use (stage for deals, source for leads): the bar to beat. */
  baselineFeature: string
  alpha?: number
  minCount?: number
}

export interface HoldoutMetrics {
  split: 'time' | 'random'
  seed: number | null
  train: number
  test: number
  testPositives: number
  /** AUC of the model's ranking on the hold-out (all facts). */
  auc: number
  baseline: { feature: string; auc: number }
  /**
   * Which model is kept: all facts, or the one fact alone when the others made
   * the ranking worse on the hold-out (they add noise, not knowledge).
   */
  kept: 'all' | 'baseline'
  /** Hold-out AUC of the kept model. */
  keptAuc: number
  /** Brier score of the calibrated probabilities, and of always guessing the training base rate. */
  brier: number
  brierBaseRate: number
  logLoss: number
  /** Calibrated probabilities on the hold-out, each half calibrated on the other half (no peeking). */
  calibration: CalibrationRow[]
  /**
   * Facts left out because on their own they all but decide the outcome on the
   * hold-out (AUC ≥ 0.97 or ≤ 0.03): such a field is nearly always filled in at
   * closing (成交金额 0 on lost deals, a "signed" flag) and would make the model
   * look perfect on history and useless on open deals.
   */
  leaks: Array<{ feature: string; auc: number }>
}

export interface LearnResult {
  model: NbModel
  /** Applied to the kept model's log-odds: p = σ(a·s + b). */
  platt: Platt
  holdout: HoldoutMetrics
}

const r4 = (x: number) => Math.round(x * 10_000) / 10_000

export function holdoutSplit(n: number, opts: Pick<LearnOptions, 'split' | 'seed' | 'trainShare'>): { train: number[]; test: number[] } {
  const order = opts.split === 'random' ? seededShuffle(n, opts.seed ?? 1) : Array.from({ length: n }, (_, i) => i)
  const cut = Math.round(n * (opts.trainShare ?? 0.7))
  return { train: order.slice(0, cut), test: order.slice(cut) }
}

export function learn(rows: readonly LearnRow[], opts: LearnOptions): LearnResult {
  const nbOpts = { alpha: opts.alpha ?? 1, minCount: opts.minCount ?? 5 }
  const { train, test } = holdoutSplit(rows.length, opts)
  const labels = test.map((i) => rows[i].label)
  const testFacts = test.map((i) => predictFacts(rows[i]))
  // Two counting passes in all: the older (or random) 70%, and the rest; the kept model adds them up.
  const trainCounts = countExamples(train.map((i) => rows[i]))
  const testCounts = countExamples(test.map((i) => rows[i]))

  let probe = modelFromCounts(trainCounts, nbOpts)
  const leaks = leakingFeatures(probe, testFacts, labels)
  const exclude = new Set(leaks.map((l) => l.feature))
  if (exclude.size) probe = modelFromCounts(trainCounts, { ...nbOpts, exclude })
  const scores = testFacts.map((f) => logOddsOf(probe, f))
  const base = modelFromCounts(trainCounts, { ...nbOpts, only: [opts.baselineFeature], exclude })
  const baseScores = testFacts.map((f) => logOddsOf(base, f))

  const fullAuc = r4(auc(scores, labels))
  const baseAuc = r4(auc(baseScores, labels))
  const kept = baseAuc > fullAuc ? 'baseline' : 'all'
  const keptScores = kept === 'all' ? scores : baseScores

  // Calibration measured honestly: fit the scaling on a random half of the hold-out, apply it to the other half, and swap.
  const calibrated = new Array<number>(test.length)
  const shuffled = seededShuffle(test.length, 1)
  const halves = [shuffled.slice(0, test.length >> 1), shuffled.slice(test.length >> 1)]
  for (const [fit, apply] of [halves, [halves[1], halves[0]]]) {
    const p = fitPlatt(fit.map((k) => keptScores[k]), fit.map((k) => labels[k]))
    for (const k of apply) calibrated[k] = sigmoid(p.a * keptScores[k] + p.b)
  }
  const trainRate = trainCounts.classCounts[1] / Math.max(1, train.length)
  const holdout: HoldoutMetrics = {
    split: opts.split,
    seed: opts.split === 'random' ? (opts.seed ?? 1) : null,
    train: train.length,
    test: test.length,
    testPositives: labels.reduce<number>((s, y) => s + y, 0),
    auc: fullAuc,
    baseline: { feature: opts.baselineFeature, auc: baseAuc },
    kept,
    keptAuc: Math.max(fullAuc, baseAuc),
    brier: r4(brier(calibrated, labels)),
    brierBaseRate: r4(brier(labels.map(() => trainRate), labels)),
    logLoss: r4(logLoss(calibrated, labels)),
    calibration: calibrationTable(calibrated, labels),
    leaks,
  }
  // The kept model learns from every row; the scaling fitted on the whole hold-out carries over.
  const platt = fitPlatt(keptScores, labels)
  const model = modelFromCounts(mergeCounts(trainCounts, testCounts), { ...nbOpts, exclude, ...(kept === 'baseline' && { only: [opts.baselineFeature] }) })
  return { model, platt: { a: r4(platt.a), b: r4(platt.b) }, holdout }
}

export const LEAK_AUC = 0.97

/**
 * Each fact's AUC on its own. In naive Bayes a fact's contribution is exactly
 * the one-fact model's log-odds minus a constant, so one pass over the
 * explanations gives every one-fact AUC.
 */
export function leakingFeatures(model: NbModel, facts: ReadonlyArray<Record<string, FeatureValue>>, labels: ReadonlyArray<0 | 1>): Array<{ feature: string; auc: number }> {
  const out: Array<{ feature: string; auc: number }> = []
  const effects = new Array<number>(facts.length)
  for (const name of Object.keys(model.features)) {
    for (let k = 0; k < facts.length; k++) effects[k] = effectNumber(model, name, facts[k][name])
    const a = aucOfGroups(effects, labels)
    if (a >= LEAK_AUC || a <= 1 - LEAK_AUC) out.push({ feature: name, auc: r4(a) })
  }
  return out
}

/** Calibrated probability (0–1) of a record's facts under a kept model. */
export function predictProbability(model: NbModel, platt: Platt, facts: Record<string, FeatureValue>): number {
  return sigmoid(platt.a * logOddsOf(model, facts) + platt.b)
}
