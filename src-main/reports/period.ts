// The input every report takes, and the one wrapper that turns a report's
// computation into its API result: resolve the period (default: this month or
// this quarter), apply the caller's scope (a sales person sees only their own
// deals), run the computation for the period and, by the same function, for the
// previous period.
import { z } from 'zod'
import type { Db } from '../db/database'
import type { Ctx } from '../services/context'
import { id, isoDate } from '../services/fields'
import { businessDate } from '../shared/dates'
import type { Locale } from '../shared/errors'
import { instantRange, presetRange, previousPeriod, type PeriodPreset } from '../shared/reports/period'
import type { PeriodRange, Report, ReportFilters, ReportName } from '../shared/reports/types'

const label = z.string().trim().min(1).max(50)

export const reportFilterShape = {
  ownerId: id.optional(),
  team: label.optional(),
  source: label.optional(),
  industry: label.optional(),
  province: label.optional(),
  size: label.optional(),
  tag: label.optional(),
  pipeline: z.string().trim().min(1).max(30).optional(),
}

export const reportInput = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** Used when from/to are absent; each report has its own default. */
    preset: z.enum(['month', 'quarter', 'year']).optional(),
    compare: z.boolean().default(true),
    ...reportFilterShape,
  })
  .strict()
  .refine((v) => (v.from === undefined) === (v.to === undefined), { message: 'v.periodBoth', path: ['to'] })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'v.periodOrder', path: ['to'] })
export type ReportInput = z.output<typeof reportInput>

/** What a report computation sees: one period, the filters in force, the clock. */
export interface ReportQuery {
  period: PeriodRange
  /** [start, end) UTC instants of the period's business days. */
  range: { start: string; end: string }
  filters: ReportFilters
  now: Date
  /** Today's business date. */
  today: string
  locale: Locale
  /**
   * Results of queries that do not depend on the period (open deals now), shared by the
   * current and the previous period's computation of one report: see sharedQuery.
   */
  shared?: Map<string, Promise<unknown>>
}

/**
 * Run a query once per report call: the current and the previous period often ask the
 * very same thing (the open deals as they are now). Keyed by the compiled SQL and its
 * parameters, so only a literally identical query is shared.
 */
export function sharedQuery<T>(q: ReportQuery, query: { compile(): { sql: string; parameters: readonly unknown[] }; execute(): Promise<T> }): Promise<T> {
  if (!q.shared) return query.execute()
  const c = query.compile()
  const key = `${c.sql}\u0000${JSON.stringify(c.parameters)}`
  let hit = q.shared.get(key) as Promise<T> | undefined
  if (!hit) q.shared.set(key, (hit = query.execute()))
  return hit
}

export interface Scope {
  filters: ReportFilters
  scope: 'all' | 'own'
  ownerName: string | null
}

/** Sales people see their own numbers only; managers and admins see everyone's (and may filter). */
export async function resolveScope(db: Db, ctx: Ctx, filters: ReportFilters): Promise<Scope> {
  const f: ReportFilters = { ...filters }
  let scope: Scope['scope'] = 'all'
  if (ctx.userId !== null) {
    const me = await db.selectFrom('users').select(['id', 'role']).where('id', '=', ctx.userId).executeTakeFirst()
    if (me?.role === 'sales') {
      f.ownerId = me.id
      scope = 'own'
    }
  }
  for (const k of Object.keys(f) as Array<keyof ReportFilters>) if (f[k] === undefined) delete f[k]
  const owner = f.ownerId === undefined ? undefined : await db.selectFrom('users').select('name').where('id', '=', f.ownerId).executeTakeFirst()
  return { filters: f, scope, ownerName: owner?.name ?? null }
}

export function filtersOf(input: ReportInput): ReportFilters {
  const { ownerId, team, source, industry, province, size, tag, pipeline } = input
  return { ownerId, team, source, industry, province, size, tag, pipeline }
}

export function resolvePeriod(input: { from?: string; to?: string; preset?: PeriodPreset }, today: string, preset: PeriodPreset): PeriodRange {
  if (input.from && input.to) return { from: input.from, to: input.to }
  return presetRange(input.preset ?? preset, today)
}

export function queryFor(period: PeriodRange, filters: ReportFilters, ctx: Ctx, shared?: Map<string, Promise<unknown>>): ReportQuery {
  const now = ctx.now()
  return { period, range: instantRange(period), filters, now, today: businessDate(now), locale: ctx.locale, shared }
}

export type Compute<D> = (db: Db, q: ReportQuery) => Promise<D>

/** Notes a computation may add about filters that cannot apply to part of it. */
export type NotesFor = (filters: ReportFilters) => string[]

/** The API handler for a report: period, scope, current and previous by the same computation. */
export function defineReport<N extends ReportName, D>(name: N, preset: PeriodPreset, compute: Compute<D>, notes: NotesFor = () => []) {
  return async (db: Db, ctx: Ctx, input: ReportInput): Promise<Report<N, D>> => {
    const today = businessDate(ctx.now())
    const period = resolvePeriod(input, today, preset)
    const previous = input.compare ? previousPeriod(period) : null
    const scope = await resolveScope(db, ctx, filtersOf(input))
    const shared = new Map<string, Promise<unknown>>()
    const current = await compute(db, queryFor(period, scope.filters, ctx, shared))
    const before = previous ? await compute(db, queryFor(previous, scope.filters, ctx, shared)) : null
    return {
      report: name,
      meta: {
        report: name,
        period,
        previous,
        filters: scope.filters,
        scope: scope.scope,
        ownerName: scope.ownerName,
        asOf: ctx.now().toISOString(),
        notes: notes(scope.filters),
      },
      current,
      previous: before,
    }
  }
}

/** Integer sums come back from SQLite as numbers and from PostgreSQL as strings: read them once, here. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v))
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))
