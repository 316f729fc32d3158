// Scoring forms, model versions, risks, the 优先级 view and the learned win
// probability through the real dispatcher on a real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { JobEvent } from '../src-main/shared/api'
import type { Stage } from '../src-main/shared/domain'
import { createTestCore, type TestCore } from './helpers/core'

let now = new Date('2026-11-30T02:00:00.000Z')
const clock = () => now
const DAY = 86_400_000
let t: TestCore
let stages: Record<string, Stage>

beforeEach(async () => {
  now = new Date('2026-11-30T02:00:00.000Z')
  t = await createTestCore({ clock })
  stages = Object.fromEntries((await t.ok('stages:list', {})).map((s) => [s.key, s]))
})
afterEach(async () => t.cleanup())

async function deal(title: string, extra: Record<string, unknown> = {}, account: Record<string, unknown> = {}) {
  const a = await t.ok('accounts:create', { name: `${title}客户`, ...account } as never)
  return t.ok('opportunities:create', { title, accountId: a.id, ...extra } as never)
}

/** Run a job method and wait for its result. */
async function runJob<T>(method: 'winmodel:retrain', input: Record<string, unknown>): Promise<T> {
  const done = new Promise<JobEvent>((resolve) => {
    const off = t.bus.on('job', (e) => {
      if (e.state !== 'running') {
        off()
        resolve(e)
      }
    })
  })
  await t.ok(method, input as never)
  const e = await done
  if (e.state !== 'done') throw new Error(`${method}: ${e.error?.message}`)
  return e.result as T
}

// The rep's form on the default 商机 model (weights 20/15/10/10/10/10/10/15):
// need_fit full 20 + budget approved 7/10×15 = 10.5 + cycle 45 days (from the deal) 7/10×10 = 7
// + competition medium (from the deal) 6/10×10 = 6 + outlook 4/5 → 0.75×10 = 7.5 + credit A (from the account) 10
// + urgency soon 7 + willingness 5/5 15 = 83 → A.
const REP = { need_fit: 'full', budget: 'approved', industry_outlook: 4, urgency: 'soon', willingness: 5 }
// The manager's: 14 + 6 + 7 + competition high (own answer) 2 + 5 + 10 + 4 + 7.5 = 55.5 → C.
const MANAGER = { need_fit: 'mostly', budget: 'pending', competition: 'high', industry_outlook: 3, urgency: 'normal', willingness: 3 }

describe('scoring forms', () => {
  it('fills answers from the deal’s value indicators, keeps each scorer’s latest, and shows the mean on cards and lists', async () => {
    const d = await deal('ERP项目', { amountFen: 10_000_000 }, { creditLevel: 'A' })
    const indicators = await t.ok('scoring:setIndicators', { id: d.id, marginPercent: 22.5, expectedCycleDays: 45, competitionLevel: 'medium' })
    expect(indicators).toEqual({ amountFen: 10_000_000, marginPercent: 22.5, expectedCycleDays: 45, creditLevel: 'A', competitionLevel: 'medium' })

    const form = await t.ok('scoring:form', { entity: 'opportunity', id: d.id })
    expect(form.model.criteria.map((c) => c.label)).toEqual(['需求匹配度', '客户购买力/预算', '决策周期', '竞争情况', '行业前景', '客户信誉', '需求紧急程度', '合作意愿'])
    expect(form.derived).toEqual({ decision_cycle: 45, competition: 'medium', credit: 'A' })
    expect(form).toMatchObject({ mine: null, scorers: [], combined: null, rescore: { due: true, reason: 'never' } })

    const preview = await t.ok('scoring:preview', { entity: 'opportunity', id: d.id, answers: { need_fit: 'full' } })
    expect(preview.missing).toEqual(['budget', 'industry_outlook', 'urgency', 'willingness'])

    const rep = await t.ok('scoring:submit', { entity: 'opportunity', id: d.id, kind: 'qualitative', answers: REP, comment: '客户很积极' })
    expect(rep.score).toMatchObject({ total: 83, grade: 'A', recommendation: 'focus', comment: '客户很积极' })
    expect(rep.score.criteria.map((c) => c.contribution)).toEqual([20, 10.5, 7, 6, 7.5, 10, 7, 15])
    expect(rep.score.criteria.filter((c) => c.auto).map((c) => c.key)).toEqual(['decision_cycle', 'competition', 'credit'])

    const mgr = await t.ok('users:create', { name: '王经理', role: 'manager' })
    const asManager = { userId: mgr.id, role: 'manager' as const }
    const m = await t.ok('scoring:submit', { entity: 'opportunity', id: d.id, kind: 'quantitative', answers: MANAGER }, asManager)
    expect(m.score).toMatchObject({ total: 55.5, grade: 'C' })
    // (83 + 55.5) / 2 = 69.25 → 69.3 → B.
    expect(m.combined).toEqual({ total: 69.3, grade: 'B', recommendation: 'normal', count: 2 })

    const opp = await t.ok('opportunities:get', { id: d.id })
    expect(opp).toMatchObject({ score: 69, grade: 'B' })
    const card = (await t.ok('board:get', {})).columns.find((c) => c.stage.key === 'potential')!.cards[0]
    expect(card).toMatchObject({ id: d.id, score: 69, grade: 'B' })
    expect((await t.ok('board:get', { grade: 'A' })).columns.every((c) => c.count === 0)).toBe(true)
    expect((await t.ok('board:get', { grade: 'B' })).columns.find((c) => c.stage.key === 'potential')!.count).toBe(1)

    // A re-evaluation replaces that scorer's part of the mean; every evaluation stays in the history.
    const again = await t.ok('scoring:submit', { entity: 'opportunity', id: d.id, answers: { ...REP, willingness: 1 } })
    expect(again.score.total).toBe(68)
    expect(again.combined.total).toBe(61.8)
    const history = await t.ok('scoring:history', { entity: 'opportunity', id: d.id })
    expect(history.scores.map((s) => [s.total, s.combined, s.kind])).toEqual([
      [83, 83, 'qualitative'],
      [55.5, 69.3, 'quantitative'],
      [68, 61.8, 'qualitative'],
    ])
    const form2 = await t.ok('scoring:form', { entity: 'opportunity', id: d.id })
    // In the order they first scored.
    expect(form2.scorers.map((s) => [s.scorerName, s.total])).toEqual([
      ['管理员', 68],
      ['王经理', 55.5],
    ])
    expect(form2.mine?.answers).toMatchObject({ willingness: 1, credit: 'A' })
    expect(form2.rescore).toMatchObject({ due: false, reason: null })
  })

  it('refuses an incomplete form, naming what is missing', async () => {
    const d = await deal('缺项')
    const r = await t.call('scoring:submit', { entity: 'opportunity', id: d.id, answers: { need_fit: 'full' } })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('SCORE_INCOMPLETE')
      expect(r.error.message).toContain('客户购买力/预算')
      expect(r.error.fields?.map((f) => f.path)).toContain('answers.credit')
    }
  })

  it('sorts and filters lists by score and grade, leads included', async () => {
    const a = await deal('甲')
    const b = await deal('乙')
    const full = { ...REP, decision_cycle: 10, competition: 'low', credit: 'A' }
    await t.ok('scoring:submit', { entity: 'opportunity', id: a.id, answers: full })
    await t.ok('scoring:submit', { entity: 'opportunity', id: b.id, answers: { ...full, need_fit: 'none', willingness: 1, budget: 'none' } })
    const sorted = await t.ok('opportunities:list', { sort: 'score', order: 'desc' })
    // 甲: 20 + 10.5 + 10 + 10 + 7.5 + 10 + 7 + 15 = 90. 乙: 0 + 0 + 10 + 10 + 7.5 + 10 + 7 + 0 = 44.5, kept as 45 on the deal.
    expect(sorted.rows.slice(0, 2).map((o) => [o.title, o.score, o.grade])).toEqual([
      ['甲', 90, 'A'],
      ['乙', 45, 'C'],
    ])
    expect((await t.ok('opportunities:list', { grade: 'C' })).rows.map((o) => o.title)).toEqual(['乙'])

    // Lead model: persona 35, channel 20 (from the lead's source), contact data 20 (from its fields), first response 25.
    const lead = await t.ok('leads:create', { company: '线索公司', mobile: '13800138000', email: 'a@b.cn', source: '展会' })
    const f = await t.ok('scoring:form', { entity: 'lead', id: lead.id })
    expect(f.derived).toEqual({ channel: '展会', contact_data: 2 })
    // 35 + 8/10×20 = 16 + 7/10×20 = 14 + 5/10×25 = 12.5 → 77.5 → B.
    const s = await t.ok('scoring:submit', { entity: 'lead', id: lead.id, answers: { persona_fit: 'high', first_response: 'neutral' } })
    expect(s.combined).toMatchObject({ total: 77.5, grade: 'B' })
    expect(await t.ok('leads:get', { id: lead.id })).toMatchObject({ score: 78, grade: 'B' })
    expect((await t.ok('leads:list', { grade: 'B' })).rows.map((l) => l.id)).toEqual([lead.id])
  })

  it('suggests a re-score after a stage change or when the last score is old', async () => {
    const d = await deal('复评', {}, { creditLevel: 'B' })
    await t.ok('scoring:submit', { entity: 'opportunity', id: d.id, answers: { ...REP, decision_cycle: 10, competition: 'low' } })
    now = new Date(now.getTime() + DAY)
    await t.ok('opportunities:move', { id: d.id, stageId: stages.intent.id, version: d.version })
    expect((await t.ok('scoring:form', { entity: 'opportunity', id: d.id })).rescore).toMatchObject({ due: true, reason: 'stageChanged', refreshDays: 30 })
    await t.ok('scoring:submit', { entity: 'opportunity', id: d.id, answers: { ...REP, decision_cycle: 10, competition: 'low' } })
    now = new Date(now.getTime() + 31 * DAY)
    expect((await t.ok('scoring:form', { entity: 'opportunity', id: d.id })).rescore).toMatchObject({ due: true, reason: 'old' })
    await t.ok('settings:update', { scoreRefreshDays: 60 })
    expect((await t.ok('scoring:form', { entity: 'opportunity', id: d.id })).rescore.due).toBe(false)
  })
})

describe('scoring models', () => {
  it('each save is a new version; old scores keep the version that made them', async () => {
    const d = await deal('版本', {}, { creditLevel: 'A' })
    const v1 = await t.ok('scoring:submit', { entity: 'opportunity', id: d.id, answers: { ...REP, decision_cycle: 10, competition: 'low' } })
    const [model] = await t.ok('scoring:models', { entity: 'opportunity' })
    expect(model).toMatchObject({ name: '商机评分（默认）', isActive: true, current: { version: 1 } })

    const criteria = [
      { key: 'need_fit', label: '需求匹配度', weight: 3, scale: model.current.criteria[0].scale },
      { key: 'willingness', label: '合作意愿', weight: 1, scale: { type: 'rating' as const } },
    ]
    const saved = await t.ok('scoring:saveModel', { id: model.id, entity: 'opportunity', name: '商机评分（精简）', criteria, thresholds: { A: 85, B: 65, C: 45 } })
    expect(saved.current).toMatchObject({ version: 2, thresholds: { A: 85, B: 65, C: 45 } })
    expect(saved.versions.map((v) => [v.version, v.scoreCount])).toEqual([
      [2, 0],
      [1, 1],
    ])
    // A form opened before the change is refused rather than scored against the wrong rules.
    const stale = await t.call('scoring:submit', { entity: 'opportunity', id: d.id, answers: { ...REP }, modelVersionId: v1.score.modelVersionId })
    expect(stale.ok ? null : stale.error.code).toBe('INVALID_STATE')
    // need_fit mostly 7/10 × 75 = 52.5 + willingness 4/5 → 0.75 × 25 = 18.75 → 71.3 → B under the new 85/65/45.
    const v2 = await t.ok('scoring:submit', { entity: 'opportunity', id: d.id, answers: { need_fit: 'mostly', willingness: 4 } })
    expect(v2.score).toMatchObject({ total: 71.3, grade: 'B', version: 2 })
    const form = await t.ok('scoring:form', { entity: 'opportunity', id: d.id })
    expect(form.mine).toMatchObject({ version: 2 })
    const history = await t.ok('scoring:history', { entity: 'opportunity', id: d.id })
    expect(history.scores.map((s) => s.total)).toEqual([90, 71.3])

    const bad = await t.call('scoring:saveModel', { entity: 'opportunity', name: 'x', criteria: [{ ...criteria[0], source: 'contactCompleteness' }], thresholds: { A: 50, B: 60, C: 40 } })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.fields?.map((f) => f.path).sort()).toEqual(['criteria.0.source', 'thresholds'])
    const forbidden = await t.call('scoring:saveModel', { entity: 'lead', name: 'x', criteria }, { role: 'sales' })
    expect(forbidden.ok ? null : forbidden.error.code).toBe('FORBIDDEN')
  })
})

describe('risks and the 优先级 view', () => {
  it('ranks open deals by amount × probability × (1 − risk discount)', async () => {
    const d1 = await deal('高风险大单', { amountFen: 10_000_000 }) // 潜在 10% → 1,000,000 weighted
    const d2 = await deal('谈判中', { amountFen: 5_000_000, stageId: stages.negotiation.id }) // 60% → 3,000,000
    const d3 = await deal('手动赢率', { amountFen: 1_000_000, probability: 90 }) // 90% → 900,000
    const risk = await t.ok('risks:create', { opportunityId: d1.id, type: 'credit', level: 'high', description: '客户付款记录差', mitigation: '要求担保' })
    expect(risk).toMatchObject({ opportunityTitle: '高风险大单', status: 'open', ownerName: '管理员' })
    expect(await t.ok('opportunities:get', { id: d1.id })).toMatchObject({ riskLevel: 'high' })

    const p = await t.ok('priority:list', {})
    // 1,000,000 × (1 − 35%) = 650,000.
    expect(p.rows.map((r) => [r.title, r.probability, r.probabilitySource, r.weightedFen, r.riskDiscount, r.riskAdjustedFen])).toEqual([
      ['谈判中', 60, 'stage', 3_000_000, 0, 3_000_000],
      ['手动赢率', 90, 'manual', 900_000, 0, 900_000],
      ['高风险大单', 10, 'stage', 1_000_000, 35, 650_000],
    ])
    expect(p.discounts).toEqual({ low: 5, medium: 15, high: 35 })

    expect(await t.ok('priority:get', { id: d1.id })).toMatchObject({ amountFen: 10_000_000, weightedFen: 1_000_000, riskLevel: 'high', riskDiscount: 35, riskAdjustedFen: 650_000 })
    await t.ok('risks:update', { id: risk.id, status: 'mitigated' })
    expect((await t.ok('priority:list', {})).rows.map((r) => r.title)).toEqual(['谈判中', '高风险大单', '手动赢率'])
    await t.ok('risks:create', { opportunityId: d2.id, type: 'market', level: 'medium', description: '竞品降价' })
    await t.ok('settings:update', { riskDiscounts: { low: 5, medium: 80, high: 90 } })
    const p2 = await t.ok('priority:list', {})
    expect(p2.rows.map((r) => [r.title, r.riskAdjustedFen])).toEqual([
      ['高风险大单', 1_000_000],
      ['手动赢率', 900_000],
      ['谈判中', 600_000],
    ])
    expect((await t.ok('risks:list', { opportunityId: d2.id })).map((r) => r.description)).toEqual(['竞品降价'])
    await t.ok('risks:delete', { id: risk.id })
    expect(await t.ok('risks:list', { opportunityId: d1.id })).toEqual([])
    expect(d3.probabilityManual).toBe(true)
  })
})

describe('learned win probability', () => {
  it('says when there is too little history and keeps the stage probability', async () => {
    expect(await t.ok('winmodel:status', {})).toMatchObject({ state: 'never', used: false })
    for (let i = 0; i < 6; i++) {
      const d = await deal(`少${i}`)
      await t.ok('opportunities:move', { id: d.id, stageId: i % 2 ? stages.won.id : stages.lost.id, version: d.version, amountFen: 100, lostReason: '价格' })
    }
    const s = await runJob<{ state: string; message: string }>('winmodel:retrain', {})
    expect(s.state).toBe('insufficient')
    expect(s.message).toBe('已关闭的商机只有 6 个（成交和输单分别 3 / 3 个），至少需要 50 个且每种结果不少于 5 个，暂用阶段默认赢率。')
    const open = await deal('开放')
    expect(await t.ok('winmodel:explain', { id: open.id })).toMatchObject({ state: 'insufficient', used: false, probability: 10, probabilitySource: 'stage', learnedProbability: null })
  })

  it('learns from closed deals, explains its factors, never overwrites a hand-set probability', async () => {
    // 80 closed deals over 80 days: referrals (转介绍) win 4 in 5, ads (广告) 1 in 5.
    for (let i = 0; i < 80; i++) {
      now = new Date(Date.parse('2026-06-01T02:00:00.000Z') + i * DAY)
      const source = i % 2 ? '转介绍' : '广告'
      const won = source === '转介绍' ? i % 10 !== 1 : i % 10 === 0
      const d = await deal(`历史${i}`, { amountFen: 1_000_000, source })
      await t.ok('opportunities:move', { id: d.id, stageId: won ? stages.won.id : stages.lost.id, version: d.version, lostReason: '价格' })
    }
    now = new Date('2026-11-30T02:00:00.000Z')
    const referral = await deal('新转介绍', { amountFen: 1_000_000, source: '转介绍' })
    const ad = await deal('新广告', { amountFen: 1_000_000, source: '广告' })
    const pinned = await deal('手动', { amountFen: 1_000_000, source: '广告', probability: 70 })

    const status = await runJob<{ state: string; metrics: { closed: number; holdout: { auc: number; train: number; test: number } } }>('winmodel:retrain', {})
    expect(status.state).toBe('ready')
    expect(status.metrics).toMatchObject({ closed: 80, holdout: { train: 56, test: 24 } })
    expect(status.metrics.holdout.auc).toBeGreaterThan(0.75)

    const r = await t.ok('opportunities:get', { id: referral.id })
    const a = await t.ok('opportunities:get', { id: ad.id })
    expect(r.learnedProbability!).toBeGreaterThan(60)
    expect(a.learnedProbability!).toBeLessThan(40)
    // The stage probability is untouched: the learned one lives beside it.
    expect([r.probability, a.probability]).toEqual([10, 10])
    const p = await t.ok('opportunities:get', { id: pinned.id })
    expect(p).toMatchObject({ probability: 70, probabilityManual: true })

    const x = await t.ok('winmodel:explain', { id: referral.id })
    expect(x).toMatchObject({ state: 'ready', used: true, probabilitySource: 'learned', stageProbability: 10 })
    expect(x.factors.for[0]).toMatchObject({ feature: 'source', label: '来源渠道', value: '转介绍' })
    expect((await t.ok('winmodel:explain', { id: ad.id })).factors.against[0]).toMatchObject({ label: '来源渠道', value: '广告' })
    expect(await t.ok('winmodel:explain', { id: pinned.id })).toMatchObject({ probability: 70, probabilitySource: 'manual', manualProbability: 70 })

    // A stage move re-predicts at once and adds a point to the probability history.
    const moved = await t.ok('opportunities:move', { id: ad.id, stageId: stages.negotiation.id, version: a.version })
    const h = await t.ok('scoring:history', { entity: 'opportunity', id: ad.id })
    expect(h.probability.map((q) => q.stageProbability)).toEqual([10, 60])
    expect(h.probability[1].learnedProbability).toBe(moved.learnedProbability)
    // Ranked by the learned probability (no hand-set one, no risk).
    const pr = await t.ok('priority:list', {})
    expect(pr.rows.find((row) => row.id === referral.id)).toMatchObject({ probabilitySource: 'learned', probability: r.learnedProbability })
  })
})
