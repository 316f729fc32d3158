// Seeded pseudo-random numbers for the demo data: the same seed always gives
// the same sequence, so demo databases are reproducible (no Math.random here).

/** mulberry32: tiny, fast, good enough for test data. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Rng {
  private readonly next: () => number

  constructor(seed: number) {
    // Mix the seed so that neighbouring seeds (1, 2, 3…) start far apart.
    const mixed = Math.imul((Math.trunc(seed) ^ 0x9e3779b9) >>> 0, 0x85ebca6b) ^ (Math.trunc(seed / 4294967296) | 0)
    this.next = mulberry32(mixed)
  }

  /** Float in [0, 1). */
  float(): number {
    return this.next()
  }

  /** Float in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** Integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[Math.floor(this.next() * items.length)]
  }

  /** Pick with weights: [[value, weight], …]. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((n, [, w]) => n + w, 0)
    let r = this.next() * total
    for (const [value, w] of items) {
      r -= w
      if (r < 0) return value
    }
    return items[items.length - 1][0]
  }

  /** Fisher–Yates, in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      ;[items[i], items[j]] = [items[j], items[i]]
    }
    return items
  }

  /** `k` distinct items (fewer when the list is shorter). */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle([...items]).slice(0, Math.min(k, items.length))
  }

  /** Log-uniform in [min, max): many small values, a few large ones, like deal sizes. */
  logUniform(min: number, max: number): number {
    return Math.exp(this.between(Math.log(min), Math.log(max)))
  }

  /** `n` random digits as a string. */
  digits(n: number): string {
    let s = ''
    for (let i = 0; i < n; i++) s += String(Math.floor(this.next() * 10))
    return s
  }
}

// ---- Random instants on a millisecond time line (UTC), in business hours ----

export const MINUTE = 60_000
export const HOUR = 3_600_000
export const DAY = 86_400_000
/** Asia/Shanghai is UTC+8 all year (no daylight saving). */
const TZ_OFFSET = 8 * HOUR

/** Clamp to [lo, hi] and drop milliseconds (instants are stored to the second). */
const clamp = (t: number, lo: number, hi: number) => Math.floor(Math.min(Math.max(t, lo), hi) / 1000) * 1000

/**
 * An instant in working hours (09:00–18:00 Shanghai time) on the day of `t`, kept inside [lo, hi].
 * Weekend instants move two days (to Thu/Mon or Fri/Tue) when that still fits; otherwise the weekend day is used.
 */
export function workTime(rng: Rng, t: number, lo = -Infinity, hi = Infinity): number {
  const window = (day: number) => {
    const a = Math.max(day + 9 * HOUR - TZ_OFFSET, lo)
    const b = Math.min(day + 18 * HOUR - TZ_OFFSET, hi)
    return a <= b ? a + rng.float() * (b - a) : null
  }
  const day = Math.floor((t + TZ_OFFSET) / DAY) * DAY
  const weekday = (Math.floor(day / DAY) + 4) % 7 // 1970-01-01 was a Thursday; 0 = Sunday
  if (weekday !== 0 && weekday !== 6) return clamp(window(day) ?? t, lo, hi)
  // Saturday → Thursday or Monday, Sunday → Friday or Tuesday, so no weekday piles up.
  const [first, second] = rng.chance(0.5) ? [-2, 2] : [2, -2]
  return clamp(window(day + first * DAY) ?? window(day + second * DAY) ?? window(day) ?? t, lo, hi)
}

/** `n` working-hour instants in [lo, hi], sorted and strictly increasing (at least a minute apart). */
export function spread(rng: Rng, n: number, lo: number, hi: number): number[] {
  const out = Array.from({ length: n }, () => workTime(rng, rng.between(lo, hi), lo, hi)).sort((a, b) => a - b)
  for (let i = 1; i < out.length; i++) if (out[i] <= out[i - 1]) out[i] = out[i - 1] + MINUTE
  return out
}

/** A half-hour slot later today (business time zone), or null when the working day is over. */
export function laterToday(rng: Rng, now: number): number | null {
  const day = Math.floor((now + TZ_OFFSET) / DAY) * DAY - TZ_OFFSET
  const slots: number[] = []
  for (let h = 9; h <= 18; h += 0.5) if (day + h * HOUR > now + 15 * MINUTE) slots.push(day + h * HOUR)
  if (slots.length > 0) return rng.pick(slots)
  const end = day + DAY - MINUTE
  return end - now > 10 * MINUTE ? now + Math.floor(((end - now) * rng.between(0.2, 0.8)) / MINUTE) * MINUTE : null
}
