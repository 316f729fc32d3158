// 赢单/输单分析: deals closed in the period — lost reasons, competitors met and
// our win rate against each, and the stage deals were in when they were lost.
//
// Against a competitor we "won" when the deal says so (won_against), else when
// we won the deal; a lost deal counts as lost against every competitor on it
// unless marked otherwise (e.g. lost to someone else).
import { sql } from 'kysely'
import type { Db } from '../db/database'
import { groupText } from '../db/sql-dialect'
import { ratio } from '../shared/reports/period'
import type { CompetitorRow, LostReasonRow, LostStageRow, OpportunityDrillFilter, WinLossData } from '../shared/reports/types'
import { countAll, lostCount, sumAmount, wonAmount, wonCount } from './agg'
import { defineReport, num, sharedQuery, type ReportQuery } from './period'
import { competitorResultExpr, lostFromExpr, oppBase, oppWhere } from './where'

export async function computeWinLoss(db: Db, q: ReportQuery): Promise<WinLossData> {
  const base = oppBase(q.filters)
  const closed: OpportunityDrillFilter = { ...base, closedFrom: q.period.from, closedTo: q.period.to }
  const lost: OpportunityDrillFilter = { ...closed, status: 'lost' }
  const won: OpportunityDrillFilter = { ...closed, status: 'won' }

  const [totals, reasons, competitors, openCompetitors, byStage, stages] = await Promise.all([
    db
      .selectFrom('opportunities as o')
      .select([wonCount.as('won'), lostCount.as('lost'), wonAmount.as('wonFen'), sql<number>`coalesce(sum(case when o.status = 'lost' then o.amount_fen else 0 end), 0)`.as('lostFen')])
      .where((eb) => oppWhere(eb, closed))
      .executeTakeFirstOrThrow(),
    db.selectFrom('opportunities as o').select([groupText('o.lost_reason').as('lost_reason'), countAll.as('n'), sumAmount.as('fen')]).where((eb) => oppWhere(eb, lost)).groupBy(groupText('o.lost_reason')).execute(),
    db
      .selectFrom('opportunity_competitors as oc')
      .innerJoin('opportunities as o', 'o.id', 'oc.opportunity_id')
      .select([
        groupText('oc.name').as('name'),
        countAll.as('met'),
        sql<number>`coalesce(sum(case when ${competitorResultExpr} = 1 then 1 else 0 end), 0)`.as('won'),
        sql<number>`coalesce(sum(case when ${competitorResultExpr} = 0 then 1 else 0 end), 0)`.as('lost'),
      ])
      .where((eb) => oppWhere(eb, closed))
      .groupBy(groupText('oc.name'))
      .execute(),
    sharedQuery(
      q,
      db
        .selectFrom('opportunity_competitors as oc')
        .innerJoin('opportunities as o', 'o.id', 'oc.opportunity_id')
        .select([groupText('oc.name').as('name'), countAll.as('n')])
        .where((eb) => oppWhere(eb, { ...base, status: 'open' }))
        .groupBy(groupText('oc.name')),
    ),
    db
      .selectFrom(db.selectFrom('opportunities as o').select([lostFromExpr.as('stage'), 'o.amount_fen']).where((eb) => oppWhere(eb, lost)).as('l'))
      .select(['l.stage', sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(l.amount_fen), 0)`.as('fen')])
      .groupBy('l.stage')
      .execute(),
    db.selectFrom('pipeline_stages').select(['id', 'name', 'sort_order', 'pipeline']).execute(),
  ])

  const lostN = num(totals.lost)
  const wonN = num(totals.won)
  const reasonRows: LostReasonRow[] = reasons
    .map((r) => ({ reason: r.lost_reason, count: num(r.n), amountFen: num(r.fen), share: ratio(num(r.n), lostN), drill: { list: 'opportunities' as const, filter: { ...lost, lostReason: r.lost_reason } } }))
    .sort((a, b) => b.count - a.count || b.amountFen - a.amountFen || String(a.reason).localeCompare(String(b.reason), 'zh-CN'))

  const names = new Set([...competitors.map((c) => c.name ?? ''), ...openCompetitors.map((c) => c.name ?? '')])
  const competitorRows: CompetitorRow[] = [...names]
    .map((name) => {
      const c = competitors.find((r) => (r.name ?? '') === name)
      const w = num(c?.won)
      const l = num(c?.lost)
      return {
        name,
        met: num(c?.met),
        won: w,
        lost: l,
        winRate: ratio(w, w + l),
        open: num(openCompetitors.find((r) => (r.name ?? '') === name)?.n),
        drill: { list: 'opportunities' as const, filter: { ...closed, competitor: name } },
        wonDrill: { list: 'opportunities' as const, filter: { ...closed, competitor: name, competitorResult: 'won' as const } },
        lostDrill: { list: 'opportunities' as const, filter: { ...closed, competitor: name, competitorResult: 'lost' as const } },
        openDrill: { list: 'opportunities' as const, filter: { ...base, status: 'open' as const, competitor: name } },
      }
    })
    .sort((a, b) => b.met - a.met || b.open - a.open || a.name.localeCompare(b.name, 'zh-CN'))

  const stageName = new Map(stages.map((s) => [s.id, s]))
  const stageRows: LostStageRow[] = byStage
    .map((r) => {
      const id = r.stage === null ? null : num(r.stage)
      return { stageId: id, name: id === null ? null : (stageName.get(id)?.name ?? null), count: num(r.n), amountFen: num(r.fen), share: ratio(num(r.n), lostN), drill: { list: 'opportunities' as const, filter: { ...lost, lostFromStageId: id } } }
    })
    .sort((a, b) => (a.stageId === null ? 1 : 0) - (b.stageId === null ? 1 : 0) || (stageName.get(a.stageId ?? 0)?.sort_order ?? 0) - (stageName.get(b.stageId ?? 0)?.sort_order ?? 0))

  return {
    won: { count: wonN, amountFen: num(totals.wonFen), drill: { list: 'opportunities', filter: won } },
    lost: { count: lostN, amountFen: num(totals.lostFen), drill: { list: 'opportunities', filter: lost } },
    winRate: ratio(wonN, wonN + lostN),
    reasons: reasonRows,
    competitors: competitorRows,
    lostByStage: stageRows,
  }
}

export const winLossReport = defineReport('winloss', 'month', computeWinLoss)
