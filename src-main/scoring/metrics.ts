// Measuring a probability model on a hold-out: AUC (ranking), calibration
// (do 70% predictions come true 70% of the time), Brier score and log loss,
// and Platt scaling to correct over- or under-confidence. Pure.
import type { CalibrationRow } from '../shared/scoring'

/**
 * Area under the ROC curve, rank-based (Mann–Whitney U): the chance that a
 * random positive scores above a random negative. Tied scores share their
 * average rank, so a constant predictor gets exactly 0.5. NaN without both classes.
 */
export function auc(scores: readonly number[], labels: ReadonlyArray<0 | 1>): number {
  const n = scores.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b])
  let rankSumPos = 0
  let pos = 0
  for (let i = 0; i < n; ) {
    let j = i
    while (j < n && scores[order[j]] === scores[order[i]]) j++
    const avgRank = (i + 1 + j) / 2 // ranks i+1 … j
    for (let k = i; k < j; k++) {
      if (labels[order[k]] === 1) {
        rankSumPos += avgRank
        pos++
      }
    }
    i = j
  }
  const neg = n - pos
  if (pos === 0 || neg === 0) return Number.NaN
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg)
}

/**
 * The same AUC for scores that take few distinct values (one per category of
 * a fact): counted per value, so no sort of all n scores is needed.
 */
export function aucOfGroups(scores: readonly number[], labels: ReadonlyArray<0 | 1>): number {
  const groups = new Map<number, [number, number]>()
  for (let i = 0; i < scores.length; i++) {
    let g = groups.get(scores[i])
    if (!g) groups.set(scores[i], (g = [0, 0]))
    g[labels[i]]++
  }
  let negBelow = 0
  let wins = 0
  let pos = 0
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const [n, p] = groups.get(key)!
    wins += p * (negBelow + n / 2)
    negBelow += n
    pos += p
  }
  return pos === 0 || negBelow === 0 ? Number.NaN : wins / (pos * negBelow)
}

/** Equal-width bands of predicted probability (0–10%, 10–20% …); empty bands are left out. */
export function calibrationTable(probs: readonly number[], labels: ReadonlyArray<0 | 1>, bins = 10): CalibrationRow[] {
  const rows = Array.from({ length: bins }, (_, b) => ({ from: b / bins, to: (b + 1) / bins, count: 0, sumP: 0, pos: 0 }))
  probs.forEach((p, i) => {
    const r = rows[Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))]
    r.count++
    r.sumP += p
    r.pos += labels[i]
  })
  const r3 = (x: number) => Math.round(x * 1000) / 1000
  return rows
    .filter((r) => r.count > 0)
    .map((r) => ({ from: r3(r.from), to: r3(r.to), count: r.count, predicted: r3(r.sumP / r.count), observed: r3(r.pos / r.count) }))
}

/** Mean squared error of the probabilities (0 is perfect; always guessing the base rate p gives p(1−p)). */
export function brier(probs: readonly number[], labels: ReadonlyArray<0 | 1>): number {
  let s = 0
  probs.forEach((p, i) => (s += (p - labels[i]) ** 2))
  return probs.length ? s / probs.length : Number.NaN
}

export function logLoss(probs: readonly number[], labels: ReadonlyArray<0 | 1>): number {
  const eps = 1e-12
  let s = 0
  probs.forEach((p, i) => (s -= labels[i] ? Math.log(Math.max(eps, p)) : Math.log(Math.max(eps, 1 - p))))
  return probs.length ? s / probs.length : Number.NaN
}

export interface Platt {
  a: number
  b: number
}

/**
 * Platt scaling: p = σ(a·s + b) fitted by Newton's method on held-out scores,
 * with Platt's smoothed targets so a small hold-out cannot push probabilities
 * to 0 or 1. `a` is kept ≥ 0 (a model that ranks backwards is not turned
 * around, it is flattened). When the scores carry no signal, a → 0 and every
 * prediction falls back to the base rate: that is the guard against overfitting.
 */
export function fitPlatt(scores: readonly number[], labels: ReadonlyArray<0 | 1>): Platt {
  const pos = labels.reduce<number>((s, y) => s + y, 0)
  const neg = labels.length - pos
  const hi = (pos + 1) / (pos + 2)
  const lo = 1 / (neg + 2)
  const t = labels.map((y) => (y ? hi : lo))
  let a = 1
  let b = Math.log((pos + 1) / (neg + 1))
  const n = scores.length
  // σ(z) at the current (a, b), kept from the loss pass that accepted them: the gradient needs the same
  // z, and computing it again would double the exponentials (the hot part on a 30k hold-out).
  let probs = new Float64Array(n)
  let trial = new Float64Array(n)
  const nll = (a: number, b: number, into: Float64Array) => {
    let f = 0
    for (let i = 0; i < n; i++) {
      const z = a * scores[i] + b
      // log(1 + e^z) computed stably; σ(z) from the same exponential.
      let log1pExp: number
      if (z > 0) {
        const e = Math.exp(-z)
        log1pExp = z + Math.log1p(e)
        into[i] = 1 / (1 + e)
      } else {
        const e = Math.exp(z)
        log1pExp = Math.log1p(e)
        into[i] = e / (1 + e)
      }
      f += log1pExp - t[i] * z
    }
    return f
  }
  let f = nll(a, b, probs)
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0
    let gb = 0
    let haa = 1e-9
    let hab = 0
    let hbb = 1e-9
    for (let i = 0; i < n; i++) {
      const p = probs[i]
      const d = p - t[i]
      const w = p * (1 - p)
      ga += d * scores[i]
      gb += d
      haa += w * scores[i] * scores[i]
      hab += w * scores[i]
      hbb += w
    }
    if (Math.abs(ga) < 1e-7 && Math.abs(gb) < 1e-7) break
    const det = haa * hbb - hab * hab
    const da = -(hbb * ga - hab * gb) / det
    const db = -(haa * gb - hab * ga) / det
    let step = 1
    let improved = false
    while (step > 1e-8) {
      const na = Math.max(0, a + step * da)
      const nb = b + step * db
      const nf = nll(na, nb, trial)
      if (nf < f - 1e-12) {
        a = na
        b = nb
        f = nf
        ;[probs, trial] = [trial, probs]
        improved = true
        break
      }
      step /= 2
    }
    if (!improved) break
  }
  return { a, b }
}

/** Deterministic PRNG (mulberry32) for seeded hold-out splits. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Fisher–Yates shuffle of 0…n−1 with a seed. */
export function seededShuffle(n: number, seed: number): number[] {
  const rnd = seededRandom(seed)
  const idx = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[idx[i], idx[j]] = [idx[j], idx[i]]
  }
  return idx
}
