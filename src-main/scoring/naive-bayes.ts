// Naive Bayes over categorical features, with Odoo's stage-aware counting.
// Pure and serialisable: the trained model is plain JSON (counts), stored in
// win_models.model and read back without any code of its own.
//
// Why naive Bayes: every fact's effect is one ratio of two counts that a
// manager can check by hand ("of the won deals 40% came by referral, of the
// lost 10%"), it trains in one pass (100k deals in well under a second) and it
// degrades gracefully with little data. Its known flaw, overconfidence when
// facts are correlated, is measured on the hold-out and corrected by a
// one-parameter scaling (metrics.ts fitPlatt) — see docs/SCORING.md.

/** A fact's value; null = not known (a category of its own: a missing field can tell something). */
export type FeatureValue = string | null
export const MISSING = '∅'
/** Rare values (fewer than minCount examples) are pooled here, so one-off values cannot swing a prediction. */
export const OTHER = '其他(少见)'

export interface Example {
  /**
   * A string or null for an ordinary fact. An array for a "reached" fact
   * (stage-aware counting): the example counts for every value listed.
   */
  features: Record<string, FeatureValue | readonly string[]>
  label: 0 | 1
}

export interface NbFeature {
  /**
   * categorical: P(value | class), values compete (they sum to 1).
   * reached: P(reached value | class), each value a yes/no fact of its own — a
   * won deal passed through every stage, a lost one only the stages it reached,
   * so a later stage is evidence for winning (Odoo's predictive lead scoring).
   */
  kind: 'categorical' | 'reached'
  /** value → [count among label 0, count among label 1] */
  counts: Record<string, [number, number]>
  /** reached: examples of each label whose path is known (the denominators); the others say nothing about stages. */
  totals?: [number, number]
}

export interface NbModel {
  alpha: number
  /** [examples with label 0, with label 1] */
  classCounts: [number, number]
  features: Record<string, NbFeature>
}

export interface TrainOptions {
  /** Laplace smoothing. */
  alpha?: number
  /** Values seen fewer times than this (both classes together) are pooled into OTHER. */
  minCount?: number
  /** Only these features (for single-feature baselines). */
  only?: readonly string[]
  /** Leave these features out (facts found to leak the outcome). */
  exclude?: ReadonlySet<string>
}

/** Counts before rare values are pooled: what one pass over examples produces, and what two passes add up to. */
export interface RawCounts {
  classCounts: [number, number]
  features: Map<string, { kind: NbFeature['kind']; counts: Map<string, [number, number]>; totals: [number, number] }>
}

/** One pass over the examples. Counting is additive, so a hold-out run and the final model share their passes. */
export function countExamples(examples: readonly Example[], exclude?: ReadonlySet<string>): RawCounts {
  const classCounts: [number, number] = [0, 0]
  const features: RawCounts['features'] = new Map()
  for (const ex of examples) {
    classCounts[ex.label]++
    for (const name in ex.features) {
      if (exclude?.has(name)) continue
      const v = ex.features[name]
      const isReached = Array.isArray(v)
      let f = features.get(name)
      if (!f) features.set(name, (f = { kind: isReached ? 'reached' : 'categorical', counts: new Map(), totals: [0, 0] }))
      if (isReached) {
        if ((v as readonly string[]).length > 0) f.totals[ex.label]++
        for (const value of v as readonly string[]) bump(f.counts, value, ex.label)
      } else {
        bump(f.counts, (v as FeatureValue) ?? MISSING, ex.label)
      }
    }
  }
  return { classCounts, features }
}

function bump(counts: Map<string, [number, number]>, value: string, label: 0 | 1): void {
  let c = counts.get(value)
  if (!c) counts.set(value, (c = [0, 0]))
  c[label]++
}

export function mergeCounts(a: RawCounts, b: RawCounts): RawCounts {
  const features: RawCounts['features'] = new Map()
  for (const src of [a, b]) {
    for (const [name, f] of src.features) {
      let into = features.get(name)
      if (!into) features.set(name, (into = { kind: f.kind, counts: new Map(), totals: [0, 0] }))
      into.totals[0] += f.totals[0]
      into.totals[1] += f.totals[1]
      for (const [value, c] of f.counts) {
        const t = into.counts.get(value)
        if (t) {
          t[0] += c[0]
          t[1] += c[1]
        } else into.counts.set(value, [c[0], c[1]])
      }
    }
  }
  return { classCounts: [a.classCounts[0] + b.classCounts[0], a.classCounts[1] + b.classCounts[1]], features }
}

/** Pool rare values and smooth: the model that predicts. */
export function modelFromCounts(raw: RawCounts, opts: TrainOptions = {}): NbModel {
  const alpha = opts.alpha ?? 1
  const minCount = opts.minCount ?? 5
  const only = opts.only ? new Set(opts.only) : null
  const features: Record<string, NbFeature> = {}
  for (const [name, f] of raw.features) {
    if ((only && !only.has(name)) || opts.exclude?.has(name)) continue
    const counts: Record<string, [number, number]> = {}
    for (const [value, c] of f.counts) {
      // Stage values are few and all meaningful; pooling applies to ordinary facts only.
      const key = f.kind === 'categorical' && c[0] + c[1] < minCount ? OTHER : value
      const into = (counts[key] ??= [0, 0])
      into[0] += c[0]
      into[1] += c[1]
    }
    features[name] = f.kind === 'reached' ? { kind: f.kind, counts, totals: [f.totals[0], f.totals[1]] } : { kind: f.kind, counts }
  }
  return { alpha, classCounts: [raw.classCounts[0], raw.classCounts[1]], features }
}

export function trainNaiveBayes(examples: readonly Example[], opts: TrainOptions = {}): NbModel {
  return modelFromCounts(countExamples(examples, opts.exclude), opts)
}

export interface Contribution {
  feature: string
  /** The value used (after pooling), as shown to people. */
  value: string
  /** log P(value | 1) − log P(value | 0). */
  effect: number
}

// Number of values per feature, computed once per (parsed) model rather than on every prediction.
const VALUE_COUNTS = new WeakMap<NbFeature, number>()
function valueCount(f: NbFeature): number {
  let k = VALUE_COUNTS.get(f)
  if (k === undefined) VALUE_COUNTS.set(f, (k = f.kind === 'reached' ? 2 : Object.keys(f.counts).length))
  return k
}

/** The log-likelihood ratio a value contributes, or null when the value tells nothing (never seen, no pool). */
function effectOf(model: NbModel, f: NbFeature, value: string): { value: string; effect: number } | null {
  const a = model.alpha
  const [n0, n1] = (f.kind === 'reached' && f.totals) || model.classCounts
  let used = value
  let c = f.counts[value]
  if (!c && f.kind === 'categorical' && f.counts[OTHER]) c = f.counts[(used = OTHER)]
  if (!c) return null
  const k = valueCount(f)
  const p1 = (c[1] + a) / (n1 + a * k)
  const p0 = (c[0] + a) / (n0 + a * k)
  return { value: used, effect: Math.log(p1) - Math.log(p0) }
}

/** Log prior odds of label 1. */
export function priorLogOdds(model: NbModel): number {
  const [n0, n1] = model.classCounts
  return Math.log(n1 + model.alpha) - Math.log(n0 + model.alpha)
}

/** Log-odds of label 1 and each fact's share of it. A "reached" fact is given as the single value reached so far. */
export function explainLogOdds(model: NbModel, features: Record<string, FeatureValue>): { logOdds: number; prior: number; contributions: Contribution[] } {
  const prior = priorLogOdds(model)
  let logOdds = prior
  const contributions: Contribution[] = []
  for (const name in model.features) {
    const e = effectOf(model, model.features[name], features[name] ?? MISSING)
    if (!e) continue
    logOdds += e.effect
    contributions.push({ feature: name, value: e.value, effect: e.effect })
  }
  return { logOdds, prior, contributions }
}

/** One fact's effect as a bare number (0 when it tells nothing): the allocation-free hot path. */
export function effectNumber(model: NbModel, name: string, value: FeatureValue | undefined): number {
  const f = model.features[name]
  if (!f) return 0
  let c = f.counts[value ?? MISSING]
  if (!c && f.kind === 'categorical') c = f.counts[OTHER]
  if (!c) return 0
  const a = model.alpha
  const n = (f.kind === 'reached' && f.totals) || model.classCounts
  const k = valueCount(f)
  return Math.log((c[1] + a) / (n[1] + a * k)) - Math.log((c[0] + a) / (n[0] + a * k))
}

/** Just the log-odds (the hot path when scoring many records). */
export function logOddsOf(model: NbModel, features: Record<string, FeatureValue>): number {
  let s = priorLogOdds(model)
  for (const name in model.features) s += effectNumber(model, name, features[name])
  return s
}

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))
