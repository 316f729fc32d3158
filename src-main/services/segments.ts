// Segmentation criteria (region, industry, size, revenue band, lifecycle, tags,
// source) as one filter shape. A persona (客户画像) is a named set of them; the
// account and lead lists (and exports) accept them as `segment`.
import { sql, type SelectQueryBuilder } from 'kysely'
import { z } from 'zod'
import type { Database } from '../db/database'
import { COMPANY_SIZES } from '../shared/domain'
import { jsonArrayHas } from './search'

const list = (max: number) => z.array(z.string().trim().min(1).max(max)).max(100)

export const segmentCriteria = z
  .object({
    provinces: list(30).optional(),
    cities: list(30).optional(),
    industries: list(50).optional(),
    sizes: z.array(z.enum(COMPANY_SIZES)).max(10).optional(),
    revenueMinFen: z.number().int().min(0).optional(),
    revenueMaxFen: z.number().int().min(0).optional(),
    lifecycles: z.array(z.enum(['prospect', 'customer', 'loyal', 'churned'])).max(4).optional(),
    /** Every tag listed must be present. */
    tags: list(30).optional(),
    sources: list(30).optional(),
  })
  .strict()
export type SegmentCriteria = z.output<typeof segmentCriteria>

/** Criteria leads cannot be judged on (they have no size, revenue or lifecycle). */
export function accountOnlyCriteria(c: SegmentCriteria): boolean {
  return Boolean(c.sizes?.length || c.revenueMinFen !== undefined || c.revenueMaxFen !== undefined || c.lifecycles?.length)
}

type Table = 'accounts' | 'leads'

/**
 * Add the criteria to a query on accounts or leads (joins allowed). Empty lists are ignored.
 * For leads, account-only criteria make the segment match nothing (never a silent over-count).
 */
export function applySegment<T>(qb: T, table: Table, c: SegmentCriteria | undefined): T {
  if (!c) return qb
  let r = qb as unknown as SelectQueryBuilder<Database, Table, object>
  const col = (name: string) => sql.ref(`${table}.${name}`)
  const inList = (name: string, values: string[] | undefined) => {
    if (values?.length) r = r.where(sql<boolean>`${col(name)} in (${sql.join(values)})`)
  }
  inList('province', c.provinces)
  inList('city', c.cities)
  inList('industry', c.industries)
  inList('source', c.sources)
  for (const tag of c.tags ?? []) r = r.where(jsonArrayHas(`${table}.tags`, tag))
  if (table === 'accounts') {
    inList('size', c.sizes)
    inList('lifecycle', c.lifecycles)
    if (c.revenueMinFen !== undefined) r = r.where(sql<boolean>`${col('annual_revenue_fen')} >= ${c.revenueMinFen}`)
    if (c.revenueMaxFen !== undefined) r = r.where(sql<boolean>`${col('annual_revenue_fen')} <= ${c.revenueMaxFen}`)
  } else if (accountOnlyCriteria(c)) {
    r = r.where(sql<boolean>`1 = 0`)
  }
  return r as unknown as T
}
