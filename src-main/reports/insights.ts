// 相关性 and 问题发现: which factors go with winning, said plainly, and the
// weakest stage, source and sales person of the period against the team.
//
// "Goes with winning" = the win rate of deals closed in the period with a given
// source / industry / region / number of activities / first-response time,
// next to the overall win rate. This is correlation on small numbers, so a value
// is judged only with at least MIN_DEALS closed deals, and sentences say how many.
import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../db/database'
import { groupKey, groupText } from '../db/sql-dialect'
import type { Locale } from '../shared/errors'
import { FACTOR_LABELS, keyLabel, word } from '../shared/reports/labels'
import { ratio } from '../shared/reports/period'
import type { FactorRow, FactorValue, Finding, InsightFactor, InsightsData, OpportunityDrillFilter, Ratio } from '../shared/reports/types'
import { countAll, wonCount } from './agg'
import { ACTIVITY_BUCKETS, bucketCase } from './activity'
import { computeFunnel } from './funnel'
import { defineReport, num, type ReportQuery } from './period'
import { activityCountExpr, oppBase, oppWhere, responseHoursExpr } from './where'

export const MIN_DEALS = 5
/** First-response buckets in hours: [0,24) [24,72) [72,∞); deals with no done activity apart. */
const RESPONSE_BUCKETS: ReadonlyArray<readonly [number, number | null]> = [
  [0, 24],
  [24, 72],
  [72, null],
]

const pct = (r: Ratio) => (r.value === null ? '—' : `${(Math.round(r.value * 1000) / 10).toFixed(1)}%`)
const points = (p: number) => `${Math.abs(p).toFixed(1)}`

function value(key: string | null, label: string, closed: number, won: number, overall: Ratio, drill: OpportunityDrillFilter, minDeals: number): FactorValue {
  const winRate = ratio(won, closed)
  const liftPoints = closed >= minDeals && winRate.value !== null && overall.value !== null ? Math.round((winRate.value - overall.value) * 1000) / 10 : null
  return { key, label, closed, won, winRate, liftPoints, drill: { list: 'opportunities', filter: drill } }
}

const SENTENCE = {
  'zh-CN': (factor: string, label: string, v: FactorValue, overall: Ratio) =>
    `${factor}为「${label}」的商机赢单率 ${pct(v.winRate)}（${v.closed} 单中赢 ${v.won} 单），比整体 ${pct(overall)} ${v.liftPoints! >= 0 ? '高' : '低'} ${points(v.liftPoints!)} 个百分点。`,
  en: (factor: string, label: string, v: FactorValue, overall: Ratio) =>
    `${factor} "${label}": win rate ${pct(v.winRate)} (${v.won} of ${v.closed} deals), ${points(v.liftPoints!)} points ${v.liftPoints! >= 0 ? 'above' : 'below'} the overall ${pct(overall)}.`,
}

const FINDING = {
  stage: {
    'zh-CN': (label: string, v: Ratio, team: Ratio) => `「${label}」：离开前一阶段的 ${v.den} 个商机中 ${v.num} 个继续推进（${pct(v)}），是本期最弱的一环；各阶段合计 ${pct(team)}。`,
    en: (label: string, v: Ratio, team: Ratio) => `"${label}": of ${v.den} deals that left the stage before, ${v.num} moved on (${pct(v)}), the weakest step this period; all steps together ${pct(team)}.`,
  },
  source: {
    'zh-CN': (label: string, v: Ratio, team: Ratio) => `来源「${label}」赢单率 ${pct(v)}（${v.den} 单中赢 ${v.num} 单），低于团队 ${pct(team)}。`,
    en: (label: string, v: Ratio, team: Ratio) => `Source "${label}" wins ${pct(v)} (${v.num} of ${v.den}), below the team's ${pct(team)}.`,
  },
  rep: {
    'zh-CN': (label: string, v: Ratio, team: Ratio) => `${label} 的赢单率 ${pct(v)}（${v.den} 单中赢 ${v.num} 单），低于团队 ${pct(team)}。`,
    en: (label: string, v: Ratio, team: Ratio) => `${label} wins ${pct(v)} (${v.num} of ${v.den}), below the team's ${pct(team)}.`,
  },
}

function statements(factors: FactorRow[], overall: Ratio, locale: Locale): string[] {
  const all = factors.flatMap((f) => f.values.filter((v) => v.liftPoints !== null && Math.abs(v.liftPoints) >= 5).map((v) => ({ f, v })))
  all.sort((a, b) => Math.abs(b.v.liftPoints!) - Math.abs(a.v.liftPoints!) || b.v.closed - a.v.closed)
  return all.slice(0, 6).map(({ f, v }) => SENTENCE[locale](FACTOR_LABELS[f.factor][locale], v.label, v, overall))
}

/** `minDeals`: closed deals a value needs to be judged (tests lower it to see the findings on a small office). */
export async function computeInsights(db: Db, q: ReportQuery, opts: { minDeals?: number } = {}): Promise<InsightsData> {
  const minDeals = opts.minDeals ?? MIN_DEALS
  const base = oppBase(q.filters)
  const closed: OpportunityDrillFilter = { ...base, closedFrom: q.period.from, closedTo: q.period.to }
  const loc = q.locale

  // Two grouped reads instead of four: (source, owner) from the deals' index, (industry, province)
  // with the account; each returns at most a few hundred groups, folded per factor here.
  const pairs = async (a: 'o.source' | 'a.industry', b: 'o.owner_id' | 'a.province') =>
    db
      .selectFrom('opportunities as o')
      // The customer's columns need the account; the deal's own do not.
      .$if(a.startsWith('a.'), (qb) => qb.innerJoin('accounts as a', 'a.id', 'o.account_id'))
      .select([groupText(a).as('k1'), ((b === 'o.owner_id' ? groupKey(b) : groupText(b)) as RawBuilder<string | number | null>).as('k2'), countAll.as('n'), wonCount.as('won')])
      .where((eb) => oppWhere(eb, closed))
      .groupBy([sql`1`, sql`2`])
      .execute()
  const fold = (rows: Array<{ k1: unknown; k2: unknown; n: unknown; won: unknown }>, k: 'k1' | 'k2') => {
    const m = new Map<string | number | null, { key: string | number | null; n: number; won: number }>()
    for (const r of rows) {
      const key = r[k] as string | number | null
      const e = m.get(key) ?? { key, n: 0, won: 0 }
      e.n += num(r.n)
      e.won += num(r.won)
      m.set(key, e)
    }
    return [...m.values()]
  }
  const deal = await pairs('o.source', 'o.owner_id')
  const customer = await pairs('a.industry', 'a.province')
  const [bySource, byOwner, byIndustry, byProvince] = [fold(deal, 'k1'), fold(deal, 'k2'), fold(customer, 'k1'), fold(customer, 'k2')]
  const closedN = bySource.reduce((s, r) => s + num(r.n), 0)
  const wonN = bySource.reduce((s, r) => s + num(r.won), 0)
  const overall = ratio(wonN, closedN)

  const keyed = (factor: InsightFactor, rows: Array<{ key: string | number | null; n: unknown; won: unknown }>, dim: 'source' | 'industry' | 'province'): FactorRow => ({
    factor,
    values: rows
      .map((r) => value(r.key as string | null, keyLabel(r.key as string | null, loc), num(r.n), num(r.won), overall, { ...closed, [dim]: r.key }, minDeals))
      .sort((a, b) => b.closed - a.closed || (b.winRate.value ?? 0) - (a.winRate.value ?? 0)),
  })

  // Activities per deal and first response, in one pass over the period's closed deals
  // (MATERIALIZED: each deal's two lookups run once, however often the CASEs below use them).
  const actCase = bucketCase(sql`d.acts`, ACTIVITY_BUCKETS)
  const respCase = sql`case when d.h is null then -1 else ${bucketCase(sql`d.h`, RESPONSE_BUCKETS, 'exclusive')} end`
  const [touch] = await db
    .with(
      (cte) => cte('d').materialized(),
      (qb) => qb.selectFrom('opportunities as o').select([activityCountExpr.as('acts'), responseHoursExpr.as('h'), 'o.status']).where((eb) => oppWhere(eb, closed)),
    )
    .selectFrom('d')
    .select([
      ...ACTIVITY_BUCKETS.flatMap((_, i) => [
        sql<number>`coalesce(sum(case when ${actCase} = ${i} then 1 else 0 end), 0)`.as(`a${i}`),
        sql<number>`coalesce(sum(case when ${actCase} = ${i} and d.status = 'won' then 1 else 0 end), 0)`.as(`aw${i}`),
      ]),
      ...[...RESPONSE_BUCKETS.map((_, i) => i), -1].flatMap((i) => [
        sql<number>`coalesce(sum(case when ${respCase} = ${i} then 1 else 0 end), 0)`.as(`r${i}`),
        sql<number>`coalesce(sum(case when ${respCase} = ${i} and d.status = 'won' then 1 else 0 end), 0)`.as(`rw${i}`),
      ]),
    ])
    .execute()
  const cell = (k: string) => num((touch as Record<string, unknown> | undefined)?.[k])
  const activityValues = ACTIVITY_BUCKETS.map(([lo, hi], i) => {
    const label = hi === null ? `${lo}+` : `${lo}–${hi}`
    return value(label, word('activitiesBucket', loc, { label }), cell(`a${i}`), cell(`aw${i}`), overall, { ...closed, activitiesMin: lo, ...(hi === null ? {} : { activitiesMax: hi }) }, minDeals)
  })
  const responseLabels = [word('within24h', loc), word('oneToThreeDays', loc), word('overThreeDays', loc)]
  const responseValues = [
    ...RESPONSE_BUCKETS.map(([lo, hi], i) =>
      value(String(i), responseLabels[i], cell(`r${i}`), cell(`rw${i}`), overall, { ...closed, responseHoursMin: lo, ...(hi === null ? {} : { responseHoursMax: hi }) }, minDeals),
    ),
    value('none', word('noResponse', loc), cell('r-1'), cell('rw-1'), overall, { ...closed, noResponse: true }, minDeals),
  ]

  const factors: FactorRow[] = [
    keyed('source', bySource, 'source'),
    keyed('industry', byIndustry, 'industry'),
    keyed('province', byProvince, 'province'),
    { factor: 'activities', values: activityValues },
    { factor: 'response', values: responseValues },
  ]

  // 问题发现: the weakest stage step, source and person, each against the team.
  const findings: Finding[] = []
  const funnel = await computeFunnel(db, q, { snapshot: false })
  // A step is judged on the deals that have left the stage before it: moved on, or were lost there.
  // Deals still sitting in a stage are undecided; counting them would make every recent cohort's
  // last step look weakest.
  const decided = funnel.steps.slice(1).map((step, i) => {
    const prev = funnel.steps[i]
    return { step, prev, rate: ratio(step.reached, step.reached + prev.lostHere) }
  })
  const judged = decided.filter((d) => d.rate.den >= minDeals)
  if (judged.length > 1) {
    const weakest = [...judged].sort((a, b) => a.rate.value! - b.rate.value! || b.rate.den - a.rate.den)[0]
    const team = ratio(
      judged.reduce((s, x) => s + x.rate.num, 0),
      judged.reduce((s, x) => s + x.rate.den, 0),
    )
    const label = `${weakest.prev.name} → ${weakest.step.name}`
    findings.push({
      kind: 'stage',
      key: String(weakest.step.stageId),
      label,
      value: weakest.rate,
      team,
      text: FINDING.stage[loc](label, weakest.rate, team),
      // The deals lost in the stage before the step.
      drill: weakest.prev.lostDrill,
    })
  }
  const weakestOf = (rows: Array<{ key: string | number | null; n: unknown; won: unknown }>) =>
    rows
      .filter((r) => num(r.n) >= minDeals)
      .map((r) => ({ key: r.key, rate: ratio(num(r.won), num(r.n)) }))
      .filter((r) => overall.value !== null && r.rate.value! < overall.value)
      .sort((a, b) => a.rate.value! - b.rate.value! || b.rate.den - a.rate.den)[0]
  const src = weakestOf(bySource)
  if (src) {
    const label = keyLabel(src.key as string | null, loc)
    findings.push({ kind: 'source', key: String(src.key), label, value: src.rate, team: overall, text: FINDING.source[loc](label, src.rate, overall), drill: { list: 'opportunities', filter: { ...closed, source: src.key as string | null, status: 'lost' } } })
  }
  const rep = q.filters.ownerId === undefined ? weakestOf(byOwner) : undefined
  if (rep) {
    const user = rep.key === null ? undefined : await db.selectFrom('users').select('name').where('id', '=', Number(rep.key)).executeTakeFirst()
    const label = user?.name ?? word('unassigned', loc)
    findings.push({ kind: 'rep', key: String(rep.key), label, value: rep.rate, team: overall, text: FINDING.rep[loc](label, rep.rate, overall), drill: { list: 'opportunities', filter: { ...closed, ownerId: rep.key as number | null, status: 'lost' } } })
  }

  return { overall: { closed: closedN, won: wonN, winRate: overall }, factors, statements: statements(factors, overall, loc), findings, minDeals }
}

export const insightsReport = defineReport('insights', 'month', (db, q) => computeInsights(db, q))
