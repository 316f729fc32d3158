// Aggregate expressions shared by the reports (alias `o` = opportunities).
// Money sums are integer sums of fen; weighted sums are Σ(fen × percent),
// divided by 100 once, at the end (docs/ARCHITECTURE.md, "Money").
import { sql } from 'kysely'

export const countAll = sql<number>`count(*)`
export const sumAmount = sql<number>`coalesce(sum(o.amount_fen), 0)`
export const sumWeightedRaw = sql<number>`coalesce(sum(o.amount_fen * o.probability), 0)`
export const wonCount = sql<number>`coalesce(sum(case when o.status = 'won' then 1 else 0 end), 0)`
export const lostCount = sql<number>`coalesce(sum(case when o.status = 'lost' then 1 else 0 end), 0)`
export const wonAmount = sql<number>`coalesce(sum(case when o.status = 'won' then o.amount_fen else 0 end), 0)`

/** Σ(fen × percent) → fen, rounded half up (matches shared/money weightFen for one deal). */
export const weightedFen = (raw: unknown) => Math.floor((Number(raw ?? 0) + 50) / 100)

/** Days, one decimal, from a sum of fractional days and a count. */
export const avgDays = (sum: unknown, n: number): number | null => (n > 0 ? Math.round((Number(sum ?? 0) / n) * 10) / 10 : null)

export const roundDiv = (a: number, b: number): number | null => (b > 0 ? Math.round(a / b) : null)
