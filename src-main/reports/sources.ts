// 线索来源分析: per source channel — leads, their conversion to deals, deals won
// and lost, won amount, average deal size, and cost per won deal where the
// channel's monthly cost is entered.
//
// Leads count by lead creation in the period; deals by closing in the period
// (win rate = won / (won + lost) closed in it). Channel costs are monthly, so a
// period counts the cost of every month it touches (listed in `costMonths`).
import { sql } from 'kysely'
import type { Db } from '../db/database'
import { groupText } from '../db/sql-dialect'
import { monthsTouched, ratio } from '../shared/reports/period'
import type { OpportunityDrillFilter, ReportFilters, SourceRow, SourcesData } from '../shared/reports/types'
import { countAll, lostCount, roundDiv, wonAmount, wonCount } from './agg'
import { defineReport, num, type ReportQuery } from './period'
import { leadBase, leadsFilterable, leadWhere, oppBase, oppWhere } from './where'

interface Acc {
  leads: number
  converted: number
  opportunities: number
  won: number
  lost: number
  wonFen: number
  costFen: number | null
}

export async function computeSources(db: Db, q: ReportQuery): Promise<SourcesData> {
  const base = oppBase(q.filters)
  const created: OpportunityDrillFilter = { ...base, createdFrom: q.period.from, createdTo: q.period.to }
  const closed: OpportunityDrillFilter = { ...base, closedFrom: q.period.from, closedTo: q.period.to }
  const withLeads = leadsFilterable(q.filters)
  const leadFilter = { ...leadBase(q.filters), createdFrom: q.period.from, createdTo: q.period.to }
  const costMonths = monthsTouched(q.period)

  const [leads, opps, closedRows, costs] = await Promise.all([
    withLeads
      ? db
          .selectFrom('leads as l')
          .select([groupText('l.source').as('source'), countAll.as('n'), sql<number>`coalesce(sum(case when l.converted_opportunity_id is not null then 1 else 0 end), 0)`.as('converted')])
          .where((eb) => leadWhere(eb, leadFilter))
          .groupBy(groupText('l.source'))
          .execute()
      : Promise.resolve([]),
    db.selectFrom('opportunities as o').select([groupText('o.source').as('source'), countAll.as('n')]).where((eb) => oppWhere(eb, created)).groupBy(groupText('o.source')).execute(),
    db
      .selectFrom('opportunities as o')
      .select([groupText('o.source').as('source'), wonCount.as('won'), lostCount.as('lost'), wonAmount.as('wonFen')])
      .where((eb) => oppWhere(eb, closed))
      .groupBy(groupText('o.source'))
      .execute(),
    db
      .selectFrom('channel_costs')
      .select(['source', sql<number>`sum(amount_fen)`.as('fen')])
      .where('month', 'in', costMonths)
      .$if(q.filters.source !== undefined, (qb) => qb.where('source', '=', q.filters.source!))
      .groupBy('source')
      .execute(),
  ])

  const acc = new Map<string | null, Acc>()
  const get = (s: string | null) => {
    let a = acc.get(s)
    if (!a) acc.set(s, (a = { leads: 0, converted: 0, opportunities: 0, won: 0, lost: 0, wonFen: 0, costFen: null }))
    return a
  }
  for (const r of leads) Object.assign(get(r.source), { leads: num(r.n), converted: num(r.converted) })
  for (const r of opps) get(r.source).opportunities = num(r.n)
  for (const r of closedRows) Object.assign(get(r.source), { won: num(r.won), lost: num(r.lost), wonFen: num(r.wonFen) })
  for (const r of costs) get(r.source).costFen = num(r.fen)

  const row = (source: string | null, a: Acc, drills: SourceRow['drills']): SourceRow => ({
    source,
    leads: withLeads ? a.leads : null,
    convertedLeads: withLeads ? a.converted : null,
    leadConversion: withLeads ? ratio(a.converted, a.leads) : null,
    opportunities: a.opportunities,
    won: a.won,
    lost: a.lost,
    winRate: ratio(a.won, a.won + a.lost),
    wonFen: a.wonFen,
    avgDealFen: roundDiv(a.wonFen, a.won),
    costFen: a.costFen,
    costPerWonFen: a.costFen === null ? null : roundDiv(a.costFen, a.won),
    drills,
  })
  const drillsFor = (source: string | null | undefined): SourceRow['drills'] => {
    const s = source === undefined ? {} : { source }
    return {
      leads: withLeads ? { list: 'leads', filter: { ...leadFilter, ...s } } : null,
      convertedLeads: withLeads ? { list: 'leads', filter: { ...leadFilter, ...s, converted: true } } : null,
      opportunities: { list: 'opportunities', filter: { ...created, ...s } },
      won: { list: 'opportunities', filter: { ...closed, ...s, status: 'won' } },
      lost: { list: 'opportunities', filter: { ...closed, ...s, status: 'lost' } },
    }
  }

  const rows = [...acc.entries()]
    .map(([source, a]) => row(source, a, drillsFor(source)))
    .sort((x, y) => y.wonFen - x.wonFen || y.opportunities - x.opportunities || (y.leads ?? 0) - (x.leads ?? 0) || String(x.source).localeCompare(String(y.source), 'zh-CN'))
  const sum = (k: keyof Acc) => [...acc.values()].reduce((n, a) => n + (a[k] ?? 0), 0)
  const anyCost = [...acc.values()].some((a) => a.costFen !== null)
  const totals = row(
    null,
    { leads: sum('leads'), converted: sum('converted'), opportunities: sum('opportunities'), won: sum('won'), lost: sum('lost'), wonFen: sum('wonFen'), costFen: anyCost ? sum('costFen') : null },
    drillsFor(undefined),
  )
  return { rows, totals, costMonths }
}

export function sourcesNotes(f: ReportFilters): string[] {
  const notes: string[] = []
  if (!leadsFilterable(f)) notes.push('note.leadsNotFiltered')
  if (f.ownerId !== undefined || f.team !== undefined || f.industry !== undefined || f.province !== undefined || f.size !== undefined || f.tag !== undefined) notes.push('note.costsWholeChannel')
  return notes
}

export const sourcesReport = defineReport('sources', 'month', computeSources, sourcesNotes)
