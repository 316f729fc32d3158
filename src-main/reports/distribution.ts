// 客户分布: customers by province, industry and head-count band — accounts and
// customers now, deals won in the period and their amount.
//
// Shown as ranked bars, not a map of China: no well-kept map-data package is
// available to us (the npm ones are small, unmaintained copies), and a map of
// China published in an app must follow the official standard map; a ranked
// bar reads the same numbers more exactly.
import type { Db } from '../db/database'
import { groupText } from '../db/sql-dialect'
import type { AccountDrillFilter, DistributionData, DistributionRow, OpportunityDrillFilter } from '../shared/reports/types'
import { sql } from 'kysely'
import { COMPANY_SIZES } from '../shared/domain'
import { countAll, sumAmount } from './agg'
import { defineReport, num, type ReportQuery } from './period'
import { accountBase, accountWhere, oppBase, oppWhere } from './where'

type Dim = 'province' | 'industry' | 'size'
/** Head-count bands in their natural order; unknown bands after them. */
const sizeRank = (k: string | null) => {
  const i = (COMPANY_SIZES as readonly string[]).indexOf(k ?? '')
  return i < 0 ? COMPANY_SIZES.length : i
}

async function byDimension(db: Db, q: ReportQuery, dim: Dim): Promise<DistributionRow[]> {
  const acc: AccountDrillFilter = accountBase(q.filters)
  const won: OpportunityDrillFilter = { ...oppBase(q.filters), status: 'won', closedFrom: q.period.from, closedTo: q.period.to }
  const col = `a.${dim}` as const
  const [accounts, deals] = await Promise.all([
    db
      .selectFrom('accounts as a')
      .select([`${col} as key`, countAll.as('n'), sql<number>`coalesce(sum(case when a.lifecycle in ('customer', 'loyal') then 1 else 0 end), 0)`.as('customers')])
      .where((eb) => accountWhere(eb, acc))
      .groupBy(col)
      .execute(),
    db
      .selectFrom('opportunities as o')
      .innerJoin('accounts as a', 'a.id', 'o.account_id')
      .select([groupText(col).as('key'), countAll.as('n'), sumAmount.as('fen')])
      .where((eb) => oppWhere(eb, won))
      .groupBy(groupText(col))
      .execute(),
  ])
  const keys = new Set<string | null>([...accounts.map((r) => r.key), ...deals.map((r) => r.key)])
  return [...keys]
    .map((key) => {
      const a = accounts.find((r) => r.key === key)
      const d = deals.find((r) => r.key === key)
      return {
        key,
        accounts: num(a?.n),
        customers: num(a?.customers),
        wonCount: num(d?.n),
        wonFen: num(d?.fen),
        drill: { list: 'accounts' as const, filter: { ...acc, [dim]: key } },
        customersDrill: { list: 'accounts' as const, filter: { ...acc, [dim]: key, customers: true } },
        wonDrill: { list: 'opportunities' as const, filter: { ...won, [dim]: key } },
      }
    })
    .sort((x, y) => (x.key === null ? 1 : 0) - (y.key === null ? 1 : 0) || (dim === 'size' ? sizeRank(x.key) - sizeRank(y.key) : 0) || y.accounts - x.accounts || y.wonFen - x.wonFen || String(x.key).localeCompare(String(y.key), 'zh-CN'))
}

export async function computeDistribution(db: Db, q: ReportQuery): Promise<DistributionData> {
  const [byProvince, byIndustry, bySize] = [await byDimension(db, q, 'province'), await byDimension(db, q, 'industry'), await byDimension(db, q, 'size')]
  const sum = (k: 'accounts' | 'customers' | 'wonCount' | 'wonFen') => byProvince.reduce((s, r) => s + r[k], 0)
  return { byProvince, byIndustry, bySize, totals: { accounts: sum('accounts'), customers: sum('customers'), wonCount: sum('wonCount'), wonFen: sum('wonFen') } }
}

export const distributionReport = defineReport('distribution', 'month', computeDistribution)
