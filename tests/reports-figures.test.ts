// Every report figure on the hand-made office of tests/helpers/report-fixture.ts.
// Expected values are worked out by hand from the story in that file (literal
// numbers here), never by running the report's own query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { drillSchema } from '../src-main/reports/drill'
import { computeInsights } from '../src-main/reports/insights'
import { queryFor } from '../src-main/reports/period'
import { setRiskAdjustment } from '../src-main/reports/forecast'
import { sql } from 'kysely'
import type { Drill } from '../src-main/shared/reports/types'
import { buildReportFixture, type ReportFixture } from './helpers/report-fixture'

let f: ReportFixture
const NOV = { from: '2026-11-01', to: '2026-11-30' }
const Q4 = { from: '2026-10-01', to: '2026-12-31' }
const rate = (num: number, den: number) => ({ num, den, value: den === 0 ? null : num / den })

beforeAll(async () => {
  f = await buildReportFixture()
}, 60_000)
afterAll(async () => f?.t.cleanup())

/** The records behind a figure, through the API, as titles. */
async function titles(drill: Drill): Promise<string[]> {
  const page = await f.t.ok('reports:drill', { drill, pageSize: 500 })
  return (page.rows as Array<{ title?: string; name?: string; subject?: string; company?: string | null }>).map((r) => r.title ?? r.name ?? r.subject ?? r.company ?? '').sort()
}
async function total(drill: Drill): Promise<number> {
  return (await f.t.ok('reports:drill', { drill, pageSize: 1 })).total
}

describe('销售漏斗', () => {
  it('counts and amounts per stage now, and the November cohort’s conversion from stage history', async () => {
    const r = await f.t.ok('reports:funnel', NOV)
    expect(r.meta.period).toEqual(NOV)
    expect(r.meta.previous).toEqual({ from: '2026-10-01', to: '2026-10-31' })
    const { stages, cohort, steps } = r.current
    // Open: D3 潜在 200k (10%), D9 意向 90k (30%), D4 谈判 80k (60%); won/lost: closed in November.
    expect(stages.map((s) => [s.name, s.count, s.amountFen, s.weightedFen])).toEqual([
      ['潜在商机', 1, 20_000_000, 2_000_000],
      ['意向商机', 1, 9_000_000, 2_700_000],
      ['谈判商机', 1, 8_000_000, 4_800_000],
      ['成交', 3, 17_000_000, 17_000_000],
      ['输单', 2, 11_000_000, 0],
    ])
    // Cohort D1–D5 (460k). Furthest stage: D1 won, D2 意向 (lost), D3 潜在, D4 谈判, D5 won.
    expect(cohort).toMatchObject({ count: 5, amountFen: 46_000_000 })
    expect(steps.map((s) => [s.name, s.reached, s.reachedFen, s.conversion, s.fromStart, s.lostHere])).toEqual([
      ['潜在商机', 5, 46_000_000, rate(5, 5), rate(5, 5), 0],
      ['意向商机', 4, 26_000_000, rate(4, 5), rate(4, 5), 1],
      ['谈判商机', 3, 21_000_000, rate(3, 4), rate(3, 5), 0],
      ['成交', 2, 13_000_000, rate(2, 3), rate(2, 5), 0],
    ])
    // October cohort: D8 won, D7 won, D6 reached 谈判 before it was lost in November.
    expect(r.previous!.steps.map((s) => [s.reached, s.conversion.num, s.conversion.den, s.lostHere])).toEqual([
      [3, 3, 3, 0],
      [3, 3, 3, 0],
      [3, 3, 3, 1],
      [2, 2, 3, 0],
    ])
    // Drill-downs land on exactly those deals.
    expect(await titles(steps[1].drill)).toEqual(['丙 质量追溯', '乙 备件', '乙 设备联网', '甲 智能仓储'].sort())
    expect(await titles(steps[1].lostDrill)).toEqual(['乙 设备联网'])
    expect(await titles(stages[2].drill)).toEqual(['丙 质量追溯'])
    expect(await titles(stages[3].drill)).toEqual(['乙 备件', '甲 智能仓储', '甲 运维'].sort())
  })
})

describe('线索来源分析', () => {
  it('leads, conversion, win rate, won amount, average deal and cost per won deal per source', async () => {
    const r = await f.t.ok('reports:sources', NOV)
    const rows = r.current.rows.map((s) => [s.source, s.leads, s.convertedLeads, s.opportunities, s.won, s.lost, s.winRate.value, s.wonFen, s.avgDealFen, s.costFen, s.costPerWonFen])
    expect(rows).toEqual([
      ['展会', 2, 1, 2, 2, 1, 2 / 3, 14_000_000, 7_000_000, 2_000_000, 1_000_000],
      ['转介绍', 0, 0, 1, 1, 1, 1 / 2, 3_000_000, 3_000_000, null, null],
      ['官网', 1, 0, 2, 0, 0, null, 0, null, 500_000, null],
      ['微信', 1, 0, 0, 0, 0, null, 0, null, null, null],
    ])
    expect(r.current.rows[0].leadConversion).toEqual(rate(1, 2))
    const t = r.current.totals
    expect([t.leads, t.convertedLeads, t.opportunities, t.won, t.lost, t.wonFen, t.costFen, t.costPerWonFen]).toEqual([4, 1, 5, 3, 2, 17_000_000, 2_500_000, 833_333])
    expect(r.current.costMonths).toEqual(['2026-11'])
    expect(await titles(r.current.rows[0].drills.won)).toEqual(['甲 智能仓储', '甲 运维'])
    expect(await titles(r.current.rows[0].drills.convertedLeads!)).toEqual(['甲公司'])
    // October: only D8 (官网) closed, won.
    expect(r.previous!.rows.find((s) => s.source === '官网')).toMatchObject({ won: 1, wonFen: 7_000_000, opportunities: 1 })
  })

  it('says when a filter cannot apply to leads, and filters deals by segment', async () => {
    const r = await f.t.ok('reports:sources', { ...NOV, size: '50-199' })
    expect(r.meta.notes).toEqual(['note.leadsNotFiltered', 'note.costsWholeChannel'])
    expect(r.current.totals.leads).toBeNull()
    // 甲公司 (50-199): D1 and D7 won, D3 created.
    expect([r.current.totals.won, r.current.totals.wonFen, r.current.totals.opportunities]).toEqual([2, 14_000_000, 2])
  })
})

describe('销售业绩', () => {
  it('won against target, win rate, activities, average cycle, open pipeline and ranking', async () => {
    const r = await f.t.ok('reports:reps', NOV)
    const { zhang, li, wang } = f.users
    expect(r.current.rows.map((x) => [x.rank, x.userId, x.name, x.team, x.wonFen, x.targetFen, x.attainment?.value, x.wonCount, x.lostCount, x.winRate.value, x.activities, x.avgCycleDays, x.openCount, x.openFen, x.openWeightedFen])).toEqual([
      [1, zhang, '张三', '华东组', 14_000_000, 15_000_000, 14 / 15, 2, 1, 2 / 3, 6, 22, 0, 0, 0],
      [2, wang, '王五', '华南组', 3_000_000, 5_000_000, 3 / 5, 1, 1, 1 / 2, 1, 3, 1, 9_000_000, 2_700_000],
      [3, li, '李四', '华东组', 0, 10_000_000, 0, 0, 0, null, 0, null, 2, 28_000_000, 6_800_000],
    ])
    const t = r.current.totals
    expect([t.wonFen, t.targetFen, t.wonCount, t.lostCount, t.activities, t.avgCycleDays, t.openCount, t.openFen, t.openWeightedFen]).toEqual([17_000_000, 30_000_000, 3, 2, 7, 15.7, 3, 37_000_000, 9_500_000])
    expect(await total(r.current.rows[0].drills.activities)).toBe(6)
    // October: 李四 won D8 and called once.
    expect(r.previous!.rows.find((x) => x.userId === li)).toMatchObject({ wonFen: 7_000_000, activities: 1, rank: 1 })
  })

  it('filters by team', async () => {
    const r = await f.t.ok('reports:reps', { ...NOV, team: '华南组' })
    expect(r.current.rows.map((x) => x.name)).toEqual(['王五'])
    expect(r.current.totals.targetFen).toBe(5_000_000)
  })
})

describe('销售预测', () => {
  it('weighted pipeline by expected close month against targets, with commit and best case', async () => {
    const r = await f.t.ok('reports:forecast', Q4)
    expect(r.current.months.map((m) => [m.month, m.wonFen, m.commitFen, m.bestCaseFen, m.pipelineFen, m.weightedFen, m.targetFen, m.commitForecastFen, m.bestCaseForecastFen, m.gapFen, m.riskAdjustedFen])).toEqual([
      ['2026-10', 7_000_000, 0, 0, 0, 0, null, 7_000_000, 7_000_000, null, null],
      ['2026-11', 17_000_000, 0, 8_000_000, 0, 4_800_000, 30_000_000, 17_000_000, 25_000_000, 13_000_000, null],
      ['2026-12', 0, 20_000_000, 0, 0, 2_000_000, 12_000_000, 20_000_000, 20_000_000, -8_000_000, null],
    ])
    const t = r.current.totals
    expect([t.wonFen, t.commitFen, t.bestCaseFen, t.weightedFen, t.targetFen, t.commitForecastFen, t.bestCaseForecastFen, t.gapFen]).toEqual([24_000_000, 20_000_000, 8_000_000, 6_800_000, 42_000_000, 44_000_000, 52_000_000, -2_000_000])
    expect(t.attainment).toEqual(rate(24_000_000, 42_000_000))
    expect(r.current.overdue).toMatchObject({ count: 1, amountFen: 9_000_000, weightedFen: 2_700_000 })
    expect(r.current.riskAdjusted).toBe('unavailable')
    expect(await titles(r.current.months[2].drills.commit)).toEqual(['甲 数字工厂'])
    expect(await titles(r.current.overdue.drill)).toEqual(['甲 二期'])
    // Default period: this quarter.
    expect((await f.t.ok('reports:forecast', {})).meta.period).toEqual(Q4)
  })

  it('fills the risk-adjusted column only once a scorer is registered (hook)', async () => {
    setRiskAdjustment({ probabilityExpr: sql<number>`o.probability / 2` })
    try {
      const r = await f.t.ok('reports:forecast', Q4)
      // D4 80k × 30% = 24k; D3 200k × 5% = 10k.
      expect(r.current.months.map((m) => m.riskAdjustedFen)).toEqual([0, 2_400_000, 1_000_000])
      expect(r.current.riskAdjusted).toBe('available')
    } finally {
      setRiskAdjustment(null)
    }
  })
})

describe('赢单/输单分析', () => {
  it('lost reasons, competitors and our win rate against each, stage when lost', async () => {
    const r = await f.t.ok('reports:winloss', NOV)
    const d = r.current
    expect([d.won.count, d.won.amountFen, d.lost.count, d.lost.amountFen, d.winRate.value]).toEqual([3, 17_000_000, 2, 11_000_000, 3 / 5])
    expect(d.reasons.map((x) => [x.reason, x.count, x.amountFen, x.share.value])).toEqual([
      ['选择了竞争对手', 1, 6_000_000, 1 / 2],
      ['价格过高', 1, 5_000_000, 1 / 2],
    ])
    // 对手甲: beaten on D1 (won) and D6 (marked), lost to on D2. 对手乙: lost to on D6; still on open D3.
    expect(d.competitors.map((c) => [c.name, c.met, c.won, c.lost, c.winRate.value, c.open])).toEqual([
      ['对手甲', 3, 2, 1, 2 / 3, 0],
      ['对手乙', 1, 0, 1, 0, 1],
    ])
    expect(d.lostByStage.map((x) => [x.name, x.count, x.amountFen])).toEqual([
      ['意向商机', 1, 5_000_000],
      ['谈判商机', 1, 6_000_000],
    ])
    expect(await titles(d.competitors[0].wonDrill)).toEqual(['丙 MES', '甲 智能仓储'])
    expect(await titles(d.competitors[1].openDrill)).toEqual(['甲 数字工厂'])
    expect(await titles(d.lostByStage[1].drill)).toEqual(['丙 MES'])
  })
})

describe('销售周期', () => {
  it('days per stage, total and distribution of the deals won', async () => {
    const r = await f.t.ok('reports:cycle', NOV)
    const d = r.current
    // Won: D1 10 days, D5 3, D7 34. Lost: D2 7, D6 35.
    expect(d.won).toMatchObject({ count: 3, avgDays: 15.7, medianDays: 10 })
    expect(d.lost).toMatchObject({ count: 2, avgDays: 21 })
    // 潜在: D1 3 + D5 3 + D7 34 days; 意向: D1 3; 谈判: D1 4.
    expect(d.stages.map((s) => [s.name, s.deals, s.avgDays])).toEqual([
      ['潜在商机', 3, 13.3],
      ['意向商机', 1, 3],
      ['谈判商机', 1, 4],
    ])
    expect(d.buckets.map((b) => [b.label, b.count])).toEqual([
      ['0–30', 2],
      ['30–60', 1],
      ['60–90', 0],
      ['90–120', 0],
      ['120–180', 0],
      ['180+', 0],
    ])
    expect(await titles(d.buckets[1].drill)).toEqual(['甲 运维'])
    expect(await titles(d.stages[2].drill)).toEqual(['甲 智能仓储'])
    // October: D8, 24 days.
    expect(r.previous!.won).toMatchObject({ count: 1, avgDays: 24, medianDays: 24 })
  })
})

describe('客户分布', () => {
  it('accounts, customers and deals won by province, industry and size', async () => {
    const r = await f.t.ok('reports:distribution', NOV)
    const d = r.current
    expect(d.byProvince.map((x) => [x.key, x.accounts, x.customers, x.wonCount, x.wonFen])).toEqual([
      ['浙江', 2, 1, 2, 14_000_000],
      ['江苏', 1, 0, 1, 3_000_000],
    ])
    expect(d.byIndustry.map((x) => [x.key, x.accounts, x.customers, x.wonCount, x.wonFen])).toEqual([
      ['制造业', 2, 1, 2, 14_000_000],
      ['电子', 1, 0, 1, 3_000_000],
    ])
    expect(d.bySize.map((x) => [x.key, x.accounts, x.wonCount])).toEqual([
      ['1-49', 1, 0],
      ['50-199', 1, 2],
      ['200-499', 1, 1],
    ])
    expect(d.totals).toEqual({ accounts: 3, customers: 1, wonCount: 3, wonFen: 17_000_000 })
    expect(await titles(d.byProvince[0].customersDrill)).toEqual(['丙公司'])
    expect(await titles(d.byProvince[0].wonDrill)).toEqual(['甲 智能仓储', '甲 运维'])
  })
})

describe('活动分析', () => {
  it('activities by type and person, and win rate by activities per deal', async () => {
    const r = await f.t.ok('reports:activity', NOV)
    const d = r.current
    expect(d.total).toBe(7)
    // Most frequent first; ties in the usual type order (call, email, meeting, visit …).
    expect(d.byType.map((x) => [x.type, x.count])).toEqual([
      ['call', 5],
      ['meeting', 1],
      ['visit', 1],
    ])
    expect(d.byOwner.map((o) => [o.name, o.total, o.byType])).toEqual([
      ['张三', 6, { call: 4, visit: 1, meeting: 1 }],
      ['王五', 1, { call: 1 }],
    ])
    // Closed in November: D1 has 3 done activities, D2, D5, D6 (October email) and D7 one each.
    expect(d.byDealActivity.map((b) => [b.label, b.deals, b.won])).toEqual([
      ['0–2', 4, 2],
      ['3–5', 1, 1],
      ['6–9', 0, 0],
      ['10+', 0, 0],
    ])
    expect([d.avgPerWon, d.avgPerLost]).toEqual([1.7, 1])
    expect(await titles(d.byDealActivity[1].drill)).toEqual(['甲 智能仓储'])
    expect(await total(d.byType[0].drill)).toBe(5)
    expect(r.previous!.total).toBe(2)
  })
})

describe('相关性 and 问题发现', () => {
  it('win rate by factor next to the overall rate; too few deals are not judged', async () => {
    const r = await f.t.ok('reports:insights', NOV)
    const d = r.current
    expect(d.overall).toEqual({ closed: 5, won: 3, winRate: rate(3, 5) })
    const factor = (name: string) => d.factors.find((x) => x.factor === name)!.values.map((v) => [v.label, v.closed, v.won, v.liftPoints])
    expect(factor('source')).toEqual([
      ['展会', 3, 2, null],
      ['转介绍', 2, 1, null],
    ])
    expect(factor('industry')).toEqual([
      ['制造业', 3, 2, null],
      ['电子', 2, 1, null],
    ])
    // First done activity: D5 after 4 h; D1, D2 after 24 h; D6 after 15 days, D7 after 32 days.
    expect(factor('response')).toEqual([
      ['24 小时内', 1, 1, null],
      ['1–3 天', 2, 1, null],
      ['3 天以上', 2, 1, null],
      ['无跟进', 0, 0, null],
    ])
    expect(d.findings).toEqual([])
    expect(d.minDeals).toBe(5)
  })

  it('points out the weakest stage, source and rep against the team, with the records (threshold 2)', async () => {
    const q = queryFor(NOV, {}, { userId: null, locale: 'zh-CN', now: () => new Date('2026-11-20T02:00:00Z') })
    const d = await computeInsights(f.t.database.db, q, { minDeals: 2 })
    // Steps judged on decided deals: 潜在→意向 4 of 4 (none lost in 潜在), 意向→谈判 3 of 4 (D2 lost in 意向), 谈判→成交 2 of 2.
    expect(d.findings.map((x) => [x.kind, x.label, x.value, x.team])).toEqual([
      ['stage', '意向商机 → 谈判商机', rate(3, 4), rate(9, 10)],
      ['source', '转介绍', rate(1, 2), rate(3, 5)],
      ['rep', '王五', rate(1, 2), rate(3, 5)],
    ])
    expect(d.findings[1].text).toBe('来源「转介绍」赢单率 50.0%（2 单中赢 1 单），低于团队 60.0%。')
    // Largest differences first; among equal ones, the value with more deals.
    expect(d.statements.slice(0, 2)).toEqual([
      '跟进次数为「0–2 次」的商机赢单率 50.0%（4 单中赢 2 单），比整体 60.0% 低 10.0 个百分点。',
      '线索来源为「转介绍」的商机赢单率 50.0%（2 单中赢 1 单），比整体 60.0% 低 10.0 个百分点。',
    ])
    expect(d.findings[0].text).toBe('「意向商机 → 谈判商机」：离开前一阶段的 4 个商机中 3 个继续推进（75.0%），是本期最弱的一环；各阶段合计 90.0%。')
    expect(await titles(d.findings[0].drill)).toEqual(['乙 设备联网'])
    expect(await titles(d.findings[2].drill)).toEqual(['丙 MES'])
  })
})

describe('drill-down', () => {
  it('every drill of every report is valid input for reports:drill, and each listed total matches its figure', async () => {
    const reports = await Promise.all(
      (['funnel', 'sources', 'reps', 'forecast', 'winloss', 'cycle', 'distribution', 'activity', 'insights'] as const).map((n) => f.t.ok(`reports:${n}`, n === 'forecast' ? Q4 : NOV)),
    )
    const drills: Drill[] = []
    JSON.stringify(reports, (_k, v: unknown) => {
      if (v && typeof v === 'object' && 'list' in v && 'filter' in v) drills.push(v as Drill)
      return v
    })
    expect(drills.length).toBeGreaterThan(150)
    for (const d of drills) expect(drillSchema.safeParse(d).success, JSON.stringify(d)).toBe(true)
    // Counts next to their drills: funnel stages, reasons, competitors met, cycle buckets, distribution accounts.
    const [funnel, , , , winloss, cycle, distribution] = reports as any[]
    for (const s of funnel.current.stages) expect(await total(s.drill)).toBe(s.count)
    for (const s of funnel.current.steps) expect(await total(s.drill)).toBe(s.reached)
    for (const x of winloss.current.reasons) expect(await total(x.drill)).toBe(x.count)
    for (const x of winloss.current.competitors) expect(await total(x.drill)).toBe(x.met)
    for (const x of cycle.current.buckets) expect(await total(x.drill)).toBe(x.count)
    for (const x of distribution.current.byIndustry) expect(await total(x.drill)).toBe(x.accounts)
  })
})

describe('scope, input and the numbers reports compare against', () => {
  it('a sales person sees only their own numbers, in reports and in drill-downs', async () => {
    const zhang = { userId: f.users.zhang, role: 'sales' as const }
    const r = await f.t.ok('reports:winloss', { ...NOV, ownerId: f.users.li }, zhang)
    expect(r.meta).toMatchObject({ scope: 'own', ownerName: '张三', filters: { ownerId: f.users.zhang } })
    expect([r.current.won.count, r.current.lost.count]).toEqual([2, 1])
    const all = await f.t.ok('reports:drill', { drill: { list: 'opportunities', filter: { status: 'won' } } }, zhang)
    expect(all.total).toBe(2)
    const dash = await f.t.ok('reports:dashboard', {}, zhang)
    expect(dash.scope).toBe('own')
    expect(dash.cards.find((c) => c.key === 'won')).toMatchObject({ value: 14_000_000, previous: 0, target: 15_000_000 })
    const team = await f.t.ok('reports:dashboard', {})
    expect(team.cards.find((c) => c.key === 'won')).toMatchObject({ value: 17_000_000, previous: 7_000_000, target: 30_000_000 })
    expect(team.cards.find((c) => c.key === 'activities')).toMatchObject({ value: 7, previous: 2 })
  })

  it('on the 1st of the month, before any deal closes, the win rate is no rate (not 0 %) beside last month’s', async () => {
    f.setClock('2026-12-01T01:00:00.000Z') // 09:00 in Beijing
    try {
      const dash = await f.t.ok('reports:dashboard', {})
      expect(dash.period).toEqual({ from: '2026-12-01', to: '2026-12-31' })
      // November: 3 won, 2 lost.
      expect(dash.cards.find((c) => c.key === 'winRate')).toMatchObject({ value: null, previous: 0.6 })
      expect(dash.cards.find((c) => c.key === 'won')).toMatchObject({ value: 0, previous: 17_000_000 })
    } finally {
      f.setClock()
    }
  })

  it('refuses a half or reversed period, and lets only managers set targets and costs', async () => {
    const half = await f.t.call('reports:funnel', { from: '2026-11-01' })
    expect(half.ok).toBe(false)
    if (!half.ok) expect(half.error.fields?.[0].message).toBe('开始日期和结束日期需同时填写')
    const reversed = await f.t.call('reports:funnel', { from: '2026-11-30', to: '2026-11-01' })
    if (reversed.ok) throw new Error('expected failure')
    expect(reversed.error.fields?.[0].message).toBe('结束日期不能早于开始日期')
    const denied = await f.t.call('targets:set', { items: [{ userId: f.users.zhang, month: '2026-11', amountFen: 1 }] }, { userId: f.users.zhang, role: 'sales' })
    if (denied.ok) throw new Error('expected failure')
    expect(denied.error.code).toBe('FORBIDDEN')
    const badMonth = await f.t.call('costs:set', { items: [{ source: '展会', month: '2026-13', amountFen: 1 }] })
    if (badMonth.ok) throw new Error('expected failure')
    expect(badMonth.error.fields?.[0].message).toBe('月份格式应为 YYYY-MM')
    expect(await f.t.ok('targets:list', { from: '2026-11', to: '2026-12', userId: f.users.zhang })).toEqual([
      { userId: f.users.zhang, userName: '张三', month: '2026-11', amountFen: 15_000_000 },
      { userId: f.users.zhang, userName: '张三', month: '2026-12', amountFen: 12_000_000 },
    ])
    expect(await f.t.ok('costs:list', { from: '2026-11', to: '2026-11' })).toEqual([
      { source: '官网', month: '2026-11', amountFen: 500_000 },
      { source: '展会', month: '2026-11', amountFen: 2_000_000 },
    ])
    expect(await f.t.ok('competitors:names', {})).toEqual([
      { name: '对手甲', deals: 3 },
      { name: '对手乙', deals: 2 },
    ])
    const dup = await f.t.call('competitors:add', { opportunityId: f.deals.D1, name: '对手甲' })
    if (dup.ok) throw new Error('expected failure')
    expect(dup.error.code).toBe('DUPLICATE')
    const stale = await f.t.call('forecast:setCategory', { id: f.deals.D3, version: 1, category: 'pipeline' })
    if (stale.ok) throw new Error('expected failure')
    expect(stale.error.code).toBe('CONFLICT')
  })
})
