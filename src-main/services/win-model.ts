// Win probability learned from the team's own history (赢率模型): lead →
// converted, opportunity → won. Loads each record's facts with a handful of
// set-based queries, trains with src-main/scoring (pure), stores the counts as
// JSON in win_models and writes the learned probability to its own column.
//
// The learned probability never touches opportunities.probability: that is
// the stage default or what a person typed (probability_manual = 1). Reports
// and the 优先级 view choose which to use (risks.ts effectiveProbability).
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { z } from 'zod'
import type { DbOrTrx } from '../db/database'
import { answerBucket } from '../scoring/score-model'
import { FEATURE_LABELS, dealFeatures, leadFeatures, stageForPrediction, type CustomFact, type DealFacts, type LeadFacts } from '../scoring/features'
import { learn, predictProbability, type HoldoutMetrics, type LearnRow } from '../scoring/learner'
import type { Platt } from '../scoring/metrics'
import { explainLogOdds, OTHER, type NbModel } from '../scoring/naive-bayes'
import { AppError, notFound, type Locale } from '../shared/errors'
import type { Criterion, Factor, ScoredEntity, WinModelState } from '../shared/scoring'
import type { Ctx } from './context'
import { id } from './fields'
import { getSettings } from './settings'
import { audit, inTransaction } from './write'

/** Below this hold-out AUC the model ranks little better than a coin (0.5): it is kept for inspection, not used. */
export const MIN_USEFUL_AUC = 0.6
/** Each outcome must occur at least this often, whatever the minimum of closed records. */
const MIN_PER_CLASS = 5
const DAY = 86_400_000
const CHUNK = 500

const target = z.enum(['lead', 'opportunity'])
export const winModelStatusInput = z.object({ target: target.default('opportunity') })
export const winModelRetrainInput = z.object({
  target: target.default('opportunity'),
  /** time: train on older records, test on the newest 30% (the honest default). random: seeded 70/30. */
  holdout: z.enum(['time', 'random']).default('time'),
  seed: z.number().int().min(0).max(2 ** 31).default(1),
  /**
   * Leads only: a custom field holding the known outcome (e.g. an imported "是否转化" column).
   * Without it a lead counts as converted once it has been converted, and as lost when marked 无效.
   */
  outcomeFieldId: id.nullish(),
})
export const winModelExplainInput = z.object({ entity: target.default('opportunity'), id })

interface StoredWinModel {
  nb: NbModel
  platt: Platt
  customFields: Array<{ id: number; label: string; type: CustomFact['type'] }>
  answerLabels: Record<string, string>
  stageLabels: Record<string, string>
  outcomeFieldId: number | null
  baselineFeature: string
}

export interface WinModelMetrics {
  /** Closed records with a known outcome. */
  closed: number
  positives: number
  negatives: number
  minClosed: number
  holdout: HoldoutMetrics | null
  /** Loading, hold-out run and final training, in milliseconds. */
  trainMs: number
  outcomeFieldId: number | null
}

export interface WinModelStatus {
  target: ScoredEntity
  state: WinModelState
  /** Whether predictions are shown as the learned probability (only when ready). */
  used: boolean
  trainedAt: string | null
  message: string
  metrics: WinModelMetrics | null
  /** The facts the model uses. */
  features: Array<{ name: string; label: string; values: number }>
  /** Earlier trainings, newest first. */
  history: Array<{ trainedAt: string; state: WinModelState; auc: number | null; closed: number }>
}

export interface WinExplanation {
  entity: ScoredEntity
  id: number
  state: WinModelState
  used: boolean
  /** What the app shows as the win probability (integer percent); null for a lead without a usable model. */
  probability: number | null
  probabilitySource: 'manual' | 'learned' | 'stage' | 'none'
  /** Opportunities: the stage's default probability. */
  stageProbability: number | null
  /** Opportunities: the hand-set probability, when there is one (never overwritten). */
  manualProbability: number | null
  /** The model's probability in percent, one decimal (also shown when not used, for comparison). */
  learnedProbability: number | null
  factors: { for: Factor[]; against: Factor[] }
  message: string
  trainedAt: string | null
  holdoutAuc: number | null
}

// --- Facts -------------------------------------------------------------------

interface LoadedRecord<F> {
  id: number
  facts: F
  label: 0 | 1 | null
  /** Time order for the hold-out split, epoch ms (closed_at for deals, arrival for leads). */
  orderKey: number
  learned: number | null
  // Opportunities only.
  stageProbability: number | null
  probability: number | null
  manual: boolean
}

interface Scope {
  /** closed: records with an outcome (training). open: records still in play (prediction). */
  scope: 'closed' | 'open'
  ids?: number[]
  now: Date
  customFieldIds: readonly number[]
  outcomeFieldId?: number | null
}

// Shared by every record without answers or custom values (read only), rather than 100k empty objects.
const NONE: Readonly<Record<string, never>> = Object.freeze({})
const daysBetween = (from: string, to: number) => Math.max(0, (to - Date.parse(from)) / DAY)

async function inChunks<T>(ids: number[] | undefined, run: (chunk: number[] | undefined) => Promise<T[]>): Promise<T[]> {
  if (!ids) return run(undefined)
  const out: T[] = []
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await run(ids.slice(i, i + CHUNK))))
  return out
}

async function customFacts(db: DbOrTrx, entity: ScoredEntity, fieldIds: readonly number[], ids: number[] | undefined): Promise<Map<number, Record<number, CustomFact>>> {
  const out = new Map<number, Record<number, CustomFact>>()
  if (fieldIds.length === 0) return out
  const types = new Map(
    (await db.selectFrom('custom_fields').select(['id', 'type']).where('id', 'in', [...fieldIds]).execute()).map((f) => [f.id, f.type as CustomFact['type']]),
  )
  const rows = await inChunks(ids, (chunk) =>
    db
      .selectFrom('custom_values')
      .select(['entity_id', 'field_id', 'value_text', 'value_number'])
      .where('entity', '=', entity)
      .where('field_id', 'in', [...fieldIds])
      .$if(chunk !== undefined, (q) => q.where('entity_id', 'in', chunk!))
      .execute(),
  )
  for (const r of rows) {
    let m = out.get(r.entity_id)
    if (!m) out.set(r.entity_id, (m = {}))
    m[r.field_id] = { type: types.get(r.field_id) ?? 'text', text: r.value_text, number: r.value_number }
  }
  return out
}

/** Each record's latest score answers, bucketed by the criteria of the version that produced them. */
async function latestAnswers(db: DbOrTrx, entity: ScoredEntity, ids: number[] | undefined): Promise<Map<number, Record<string, string | null>>> {
  const col = entity === 'lead' ? 'lead_id' : 'opportunity_id'
  const rows = await inChunks(ids, (chunk) =>
    db
      .selectFrom('scores')
      .select([`${col} as entity_id`, 'answers', 'model_version_id'])
      .where(col, 'is not', null)
      .$if(chunk !== undefined, (q) => q.where(col, 'in', chunk!))
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  )
  const latest = new Map<number, { answers: string; model_version_id: number }>()
  for (const r of rows) latest.set(r.entity_id as number, r)
  const versionIds = [...new Set([...latest.values()].map((r) => r.model_version_id))]
  const criteria = new Map<number, Criterion[]>()
  if (versionIds.length) {
    for (const v of await db.selectFrom('scoring_model_versions').select(['id', 'criteria']).where('id', 'in', versionIds).execute()) {
      criteria.set(v.id, JSON.parse(v.criteria) as Criterion[])
    }
  }
  const out = new Map<number, Record<string, string | null>>()
  for (const [entityId, r] of latest) {
    const answers = JSON.parse(r.answers) as Record<string, string | number>
    const buckets: Record<string, string | null> = {}
    for (const c of criteria.get(r.model_version_id) ?? []) buckets[c.key] = answers[c.key] === undefined ? null : answerBucket(c, answers[c.key])
    out.set(entityId, buckets)
  }
  return out
}

interface StageInfo {
  id: number
  pipeline: string
  key: string
  name: string
  kind: string
  sort_order: number
  probability: number
}

// A deal's status as a small integer computed in SQL: 100k status strings cost more to hand to JS than the scan.
const STATUS_BY_CODE = ['open', 'won', 'lost'] as const

async function loadDeals(db: DbOrTrx, scope: Scope): Promise<{ records: Array<LoadedRecord<DealFacts>>; stages: StageInfo[] }> {
  let s = scope
  const stages = await db.selectFrom('pipeline_stages').select(['id', 'pipeline', 'key', 'name', 'kind', 'sort_order', 'probability']).orderBy('pipeline').orderBy('sort_order').execute()
  // Per pipeline, once: its open stage keys (shared by every deal's facts) and the index of each sort order.
  const openByPipeline = new Map<string, StageInfo[]>()
  for (const st of stages) if (st.kind === 'open') openByPipeline.set(st.pipeline, [...(openByPipeline.get(st.pipeline) ?? []), st])
  const pipelineInfo = new Map<string, { keys: readonly string[]; orders: number[] }>()
  for (const st of stages) {
    if (pipelineInfo.has(st.pipeline)) continue
    const open = openByPipeline.get(st.pipeline) ?? []
    pipelineInfo.set(st.pipeline, { keys: Object.freeze(open.map((o) => o.key)), orders: open.map((o) => o.sort_order) })
  }
  const stageById = new Map(stages.map((st) => [st.id, { st, info: pipelineInfo.get(st.pipeline)! }]))

  // Training reads nearly every deal: the table is scanned (an index on status would cost a random read
  // per row), without joins (accounts and owners come from small maps), and only what the facts need
  // crosses into JS: the status as a number and one date (the order key). Handing 100k rows of strings
  // to JS costs more than the scan; the creation date is read below for the deals that have activities.
  // Prediction reads few deals (one, or the open ones) with one joined query each chunk.
  const training = s.scope === 'closed' && !s.ids
  interface DealRow {
    id: number
    account_id: number
    owner_id: number | null
    stage_id: number
    source: string | null
    amount_fen: number
    status_code: number
    order_at?: string
    created_at?: string
    closed_at?: string | null
    probability?: number
    probability_manual?: number
    learned_probability?: number | null
    industry?: string | null
    province?: string | null
    size?: string | null
    owner_name?: string | null
    reached?: number | null
    n?: number | null
  }
  const statusCode = sql<number>`case o.status when 'won' then 1 when 'lost' then 2 else 0 end`.as('status_code')
  const base = ['o.id', 'o.account_id', 'o.owner_id', 'o.stage_id', 'o.source', 'o.amount_fen'] as const
  let rows: DealRow[]
  const reached = new Map<number, number>()
  const activities = new Map<number, { n: number; created_at: string; closed_at: string | null }>()
  const accounts = new Map<number, { industry: string | null; province: string | null; size: string | null }>()
  const owners = new Map<number, string>()
  if (training) {
    rows = await db
      .selectFrom('opportunities as o')
      .select([...base, statusCode, sql<string>`coalesce(o.closed_at, o.created_at)`.as('order_at')])
      .where('o.status', '!=', 'open')
      .execute()
    for (const a of await db.selectFrom('accounts').select(['id', 'industry', 'province', 'size']).execute()) accounts.set(a.id, a)
    for (const u of await db.selectFrom('users').select(['id', 'name']).execute()) owners.set(u.id, u.name)
    // Furthest open stage each deal entered (from its stage history).
    const reachedRows = await db
      .selectFrom('stage_history as sh')
      .innerJoin('pipeline_stages as ps', 'ps.id', 'sh.to_stage_id')
      .select(['sh.opportunity_id', (eb) => eb.fn.max('ps.sort_order').as('reached')])
      .where('ps.kind', '=', 'open')
      .groupBy('sh.opportunity_id')
      .execute()
    for (const r of reachedRows) reached.set(r.opportunity_id, Number(r.reached))
    // Completed activities; for a closed deal only those before it closed. The deal's dates come along
    // (they give the activity rate), so deals without activities never read them.
    const activityRows = await db
      .selectFrom('activities as act')
      .innerJoin('opportunities as o', 'o.id', 'act.opportunity_id')
      .select(['act.opportunity_id', 'o.created_at', 'o.closed_at', (eb) => eb.fn.countAll<number>().as('n')])
      .where('act.done_at', 'is not', null)
      .where((eb) => eb.or([eb('o.closed_at', 'is', null), eb('act.done_at', '<=', eb.ref('o.closed_at'))]))
      .groupBy(['act.opportunity_id', 'o.created_at', 'o.closed_at'])
      .execute()
    for (const r of activityRows) activities.set(r.opportunity_id!, { n: Number(r.n), created_at: r.created_at, closed_at: r.closed_at })
  } else {
    // One query per chunk: the deal, its account and owner, the furthest open stage it entered and its
    // completed activities (for a closed deal only those before it closed).
    rows = await inChunks(s.ids, (chunk) =>
      db
        .selectFrom('opportunities as o')
        .leftJoin('accounts as a', 'a.id', 'o.account_id')
        .leftJoin('users as u', 'u.id', 'o.owner_id')
        .select([...base, statusCode, 'o.created_at', 'o.closed_at', 'o.probability', 'o.probability_manual', 'o.learned_probability'])
        .select(['a.industry', 'a.province', 'a.size', 'u.name as owner_name'])
        .select((eb) => [
          eb
            .selectFrom('stage_history as sh')
            .innerJoin('pipeline_stages as ps', 'ps.id', 'sh.to_stage_id')
            .select((e2) => e2.fn.max('ps.sort_order').as('m'))
            .whereRef('sh.opportunity_id', '=', 'o.id')
            .where('ps.kind', '=', 'open')
            .as('reached'),
          eb
            .selectFrom('activities as act')
            .select((e2) => e2.fn.countAll<number>().as('c'))
            .whereRef('act.opportunity_id', '=', 'o.id')
            .where('act.done_at', 'is not', null)
            .where((e2) => e2.or([e2('o.closed_at', 'is', null), e2('act.done_at', '<=', e2.ref('o.closed_at'))]))
            .as('n'),
        ])
        .$if(chunk !== undefined, (q) => q.where('o.id', 'in', chunk!))
        .$if(chunk === undefined, (q) => q.where('o.status', '=', 'open'))
        .execute(),
    )
    for (const r of rows) {
      accounts.set(r.account_id, { industry: r.industry ?? null, province: r.province ?? null, size: r.size ?? null })
      if (r.owner_id != null && r.owner_name != null) owners.set(r.owner_id, r.owner_name)
      if (r.reached != null) reached.set(r.id, Number(r.reached))
      if (Number(r.n) > 0) activities.set(r.id, { n: Number(r.n), created_at: r.created_at!, closed_at: r.closed_at ?? null })
    }
  }
  // Per-deal facts below are read for these deals only (all of them when training).
  s = { ...s, ids: s.ids ?? (s.scope === 'open' ? rows.map((r) => r.id) : undefined) }
  const custom = await customFacts(db, 'opportunity', s.customFieldIds, s.ids)
  const answers = await latestAnswers(db, 'opportunity', s.ids)
  const now = s.now.getTime()

  const records = new Array<LoadedRecord<DealFacts>>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]
    const { st: stage, info } = stageById.get(r.stage_id)!
    const maxOrder = Math.max(reached.get(r.id) ?? -Infinity, stage.kind === 'open' ? stage.sort_order : -Infinity)
    let reachedIndex = -1
    for (let k = 0; k < info.orders.length; k++) if (info.orders[k] <= maxOrder) reachedIndex = k
    const act = activities.get(r.id)
    const status = STATUS_BY_CODE[r.status_code]
    const account = accounts.get(r.account_id)
    records[i] = {
      id: r.id,
      label: status === 'won' ? 1 : status === 'lost' ? 0 : null,
      orderKey: Date.parse(r.order_at ?? r.closed_at ?? r.created_at!),
      learned: r.learned_probability ?? null,
      stageProbability: stage.probability,
      probability: r.probability ?? null,
      manual: r.probability_manual === 1,
      facts: {
        openStageKeys: info.keys,
        status,
        stageKey: stage.key,
        reachedIndex,
        owner: r.owner_id != null ? (owners.get(r.owner_id) ?? null) : null,
        size: account?.size ?? null,
        amountFen: Number(r.amount_fen),
        source: r.source,
        industry: account?.industry ?? null,
        region: account?.province ?? null,
        activityCount: act ? act.n : 0,
        // Only read by the activity rate, which is '0' without activities.
        ageDays: act ? daysBetween(act.created_at, act.closed_at ? Date.parse(act.closed_at) : now) : 0,
        answers: answers.get(r.id) ?? NONE,
        custom: custom.get(r.id) ?? NONE,
      },
    }
  }
  return { records, stages }
}

const POSITIVE = new Set(['1', 'yes', 'y', 'true', '是', '已转化', '转化', 'converted', 'won', '成交', '赢单'])
const NEGATIVE = new Set(['0', 'no', 'n', 'false', '否', '未转化', 'not converted', 'lost', '输单', '无效'])

/** A known outcome typed or imported into a custom field ("1"/"0", 是/否, yes/no …); null when it says neither. */
export function outcomeOf(f: CustomFact | undefined): 0 | 1 | null {
  if (!f) return null
  if (f.number != null) return f.number > 0 ? 1 : 0
  const t = f.text?.normalize('NFKC').trim().toLowerCase()
  if (!t) return null
  return POSITIVE.has(t) ? 1 : NEGATIVE.has(t) ? 0 : null
}

async function loadLeads(db: DbOrTrx, s: Scope): Promise<Array<LoadedRecord<LeadFacts>>> {
  const outcomeId = s.outcomeFieldId ?? null
  const rows = await inChunks(s.ids, (chunk) =>
    db
      .selectFrom('leads')
      .select(['id', 'status', 'source', 'industry', 'province', 'mobile', 'phone', 'email', 'wechat', 'created_at', 'updated_at', 'converted_account_id', 'converted_opportunity_id', 'learned_probability'])
      .$if(chunk !== undefined, (q) => q.where('id', 'in', chunk!))
      .execute(),
  )
  const activityRows = await inChunks(s.ids, (chunk) =>
    db
      .selectFrom('activities')
      .select(['lead_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('lead_id', 'is not', null)
      .where('done_at', 'is not', null)
      .$if(chunk !== undefined, (q) => q.where('lead_id', 'in', chunk!))
      .groupBy('lead_id')
      .execute(),
  )
  const activities = new Map(activityRows.map((r) => [r.lead_id!, Number(r.n)]))
  const custom = await customFacts(db, 'lead', outcomeId ? [...s.customFieldIds, outcomeId] : s.customFieldIds, s.ids)
  const answers = await latestAnswers(db, 'lead', s.ids)
  const now = s.now.getTime()
  const out: Array<LoadedRecord<LeadFacts>> = []
  for (const r of rows) {
    const cf = custom.get(r.id) ?? NONE
    const converted = r.converted_account_id != null || r.converted_opportunity_id != null
    // A known outcome in the chosen field wins; otherwise conversion (1) or 无效 (0).
    const label = (outcomeId ? outcomeOf(cf[outcomeId]) : null) ?? (converted ? 1 : r.status === 'invalid' ? 0 : null)
    if (!s.ids && (s.scope === 'closed') !== (label !== null)) continue
    const finished = label !== null ? Date.parse(r.updated_at) : now
    out.push({
      id: r.id,
      label,
      orderKey: Date.parse(r.created_at),
      learned: r.learned_probability,
      stageProbability: null,
      probability: null,
      manual: false,
      facts: {
        source: r.source,
        industry: r.industry,
        region: r.province,
        contactWays: [r.mobile, r.phone, r.email, r.wechat].filter((v) => v != null && v !== '').length,
        activityCount: activities.get(r.id) ?? 0,
        ageDays: daysBetween(r.created_at, finished),
        answers: answers.get(r.id) ?? NONE,
        custom: cf,
      },
    })
  }
  return out
}

/** Custom fields used as facts: active, not dates, not the outcome itself. */
async function factFields(db: DbOrTrx, entity: ScoredEntity, outcomeFieldId: number | null): Promise<StoredWinModel['customFields']> {
  const rows = await db.selectFrom('custom_fields').select(['id', 'label', 'type']).where('entity', '=', entity).where('is_active', '=', 1).where('type', '!=', 'date').orderBy('sort_order').orderBy('id').execute()
  return rows.filter((f) => f.id !== outcomeFieldId).map((f) => ({ id: f.id, label: f.label, type: f.type }))
}

// --- Stored models -----------------------------------------------------------

interface CurrentModel {
  id: number
  state: 'insufficient' | 'weak' | 'ready'
  trainedAt: string
  stored: StoredWinModel | null
  metrics: WinModelMetrics
}

// Parsed models by their random key: a stage move re-predicts one deal without re-reading the counts.
const CACHE = new Map<string, CurrentModel>()
const CACHE_LIMIT = 8

async function currentModel(db: DbOrTrx, t: ScoredEntity): Promise<CurrentModel | null> {
  const head = await db.selectFrom('win_models').select(['id', 'model_key']).where('target', '=', t).orderBy('id', 'desc').limit(1).executeTakeFirst()
  if (!head) return null
  const hit = CACHE.get(head.model_key)
  if (hit) return hit
  const row = await db.selectFrom('win_models').selectAll().where('id', '=', head.id).executeTakeFirstOrThrow()
  const parsed: CurrentModel = {
    id: row.id,
    state: row.state,
    trainedAt: row.trained_at,
    stored: row.model ? (JSON.parse(row.model) as StoredWinModel) : null,
    metrics: JSON.parse(row.metrics) as WinModelMetrics,
  }
  remember(head.model_key, parsed)
  return parsed
}

function remember(key: string, model: CurrentModel): void {
  if (CACHE.size >= CACHE_LIMIT) CACHE.delete(CACHE.keys().next().value!)
  CACHE.set(key, model)
}

function predictFacts(target: ScoredEntity, stored: StoredWinModel, facts: DealFacts | LeadFacts) {
  const ids = stored.customFields.map((f) => f.id)
  return target === 'opportunity' ? (dealFeatures(facts as DealFacts, 'predict', ids) as Record<string, string | null>) : leadFeatures(facts as LeadFacts, ids)
}

/** Learned probability as stored (integer percent, kept within 1–99: history never proves certainty). */
function toPercent(p: number): number {
  return Math.min(99, Math.max(1, Math.round(p * 100)))
}

// --- Messages ----------------------------------------------------------------

const WORDS = {
  opportunity: { 'zh-CN': { things: '商机', closed: '已关闭的商机', outcome: '成交和输单' }, en: { things: 'deals', closed: 'closed deals', outcome: 'won and lost' } },
  lead: { 'zh-CN': { things: '线索', closed: '已有结果的线索', outcome: '转化和无效' }, en: { things: 'leads', closed: 'finished leads', outcome: 'converted and disqualified' } },
} as const

function statusMessage(t: ScoredEntity, state: WinModelState, m: WinModelMetrics | null, locale: Locale, stored: StoredWinModel | null = null): string {
  const w = WORDS[t][locale]
  const fallback = t === 'opportunity' ? (locale === 'en' ? 'the stage default probability is used' : '暂用阶段默认赢率') : locale === 'en' ? 'no probability is shown' : '暂不显示转化概率'
  if (state === 'never' || !m) return locale === 'en' ? `No model trained yet; ${fallback}.` : `尚未训练模型，${fallback}。`
  if (state === 'insufficient') {
    return locale === 'en'
      ? `Only ${m.closed} ${w.closed} (${m.positives} / ${m.negatives}); at least ${m.minClosed} are needed, with ${MIN_PER_CLASS} or more of each outcome. Until then ${fallback}.`
      : `${w.closed}只有 ${m.closed} 个（${w.outcome}分别 ${m.positives} / ${m.negatives} 个），至少需要 ${m.minClosed} 个且每种结果不少于 ${MIN_PER_CLASS} 个，${fallback}。`
  }
  const h = m.holdout!
  const base = FEATURE_LABELS[h.baseline.feature]?.[locale] ?? h.baseline.feature
  const leaks = h.leaks.length
    ? ' ' +
      (locale === 'en'
        ? `Left out: ${h.leaks.map((l) => `${stored ? featureLabel(stored, l.feature, locale) : l.feature} (AUC ${l.auc.toFixed(2)} on its own)`).join(', ')} — a fact that alone decides the outcome is almost always filled in at closing.`
        : `已排除：${h.leaks.map((l) => `${stored ? featureLabel(stored, l.feature, locale) : l.feature}（单独 AUC ${l.auc.toFixed(2)}）`).join('、')}——单凭它就能判断结果的字段，几乎总是在关闭时才填写的。`)
    : ''
  const where = h.split === 'time' ? (locale === 'en' ? 'the newest' : '最新的') : locale === 'en' ? 'a random' : '随机抽出的'
  if (state === 'weak') {
    return (locale === 'en'
      ? `The history shows only a weak pattern: on ${where} ${h.test} ${w.things} the model's AUC is ${h.auc.toFixed(2)} (0.5 = chance; ${base} alone: ${h.baseline.auc.toFixed(2)}). Its predictions are not reliable, so ${fallback}.`
      : `历史数据中的规律很弱：在${where} ${h.test} 个${w.things}上检验，模型 AUC 只有 ${h.auc.toFixed(2)}（0.5 相当于随机猜测；仅按${base}为 ${h.baseline.auc.toFixed(2)}）。预测不可靠，${fallback}。`) + leaks
  }
  const onlyBase =
    h.kept === 'baseline'
      ? locale === 'en'
        ? ` The other facts made the ranking worse, so the model uses ${base} alone (its win rates in your history).`
        : `其他因素没有带来提升，模型只按${base}（历史成交率）预测。`
      : ''
  return (locale === 'en'
    ? `Checked on ${where} ${h.test} ${w.things}: AUC ${h.auc.toFixed(2)} (${base} alone: ${h.baseline.auc.toFixed(2)}).`
    : `在${where} ${h.test} 个${w.things}上检验：AUC ${h.auc.toFixed(2)}（仅按${base}为 ${h.baseline.auc.toFixed(2)}）。`) + onlyBase + leaks
}

function featureLabel(stored: StoredWinModel, name: string, locale: Locale): string {
  if (name.startsWith('answer:')) return `${locale === 'en' ? 'Score' : '评分'} · ${stored.answerLabels[name.slice(7)] ?? name.slice(7)}`
  if (name.startsWith('cf:')) return stored.customFields.find((f) => `cf:${f.id}` === name)?.label ?? name
  return FEATURE_LABELS[name]?.[locale] ?? name
}

function valueLabel(stored: StoredWinModel, name: string, value: string, locale: Locale): string {
  if (name === 'stage') return stored.stageLabels[value] ?? value
  if (value === OTHER) return locale === 'en' ? 'other (rare)' : OTHER
  if (value === '∅') return locale === 'en' ? 'not filled' : '未填写'
  return value
}

// --- Training ----------------------------------------------------------------

/** Between the phases of a retrain job: stop when the user cancelled (nothing has been written yet). */
function cancelled(ctx: Ctx): void {
  if (ctx.signal?.aborted) throw new AppError('JOB_CANCELLED')
}

export async function retrainWinModel(db: DbOrTrx, ctx: Ctx, input: z.output<typeof winModelRetrainInput>): Promise<WinModelStatus> {
  const t0 = performance.now()
  const t = input.target
  const now = ctx.now()
  const settings = await getSettings(db)
  const outcomeFieldId = t === 'lead' ? (input.outcomeFieldId ?? null) : null
  if (outcomeFieldId !== null && !(await db.selectFrom('custom_fields').select('id').where('id', '=', outcomeFieldId).where('entity', '=', 'lead').executeTakeFirst())) {
    throw notFound('customField', outcomeFieldId)
  }
  ctx.progress?.({ done: 0, total: 3, message: 'load' })
  const fields = await factFields(db, t, outcomeFieldId)
  const scope: Scope = { scope: 'closed', now, customFieldIds: fields.map((f) => f.id), outcomeFieldId }
  const stageLabels: Record<string, string> = {}
  let records: Array<LoadedRecord<DealFacts | LeadFacts>>
  if (t === 'opportunity') {
    const loaded = await loadDeals(db, scope)
    records = loaded.records
    // Stage keys are shared by the pipelines made from the default template; the default pipeline names them.
    for (const st of [...loaded.stages].reverse()) if (st.kind === 'open' && (st.pipeline === 'default' || !stageLabels[st.key])) stageLabels[st.key] = st.name
  } else {
    records = await loadLeads(db, scope)
  }
  cancelled(ctx)
  const labeled = records.filter((r) => r.label !== null).sort((a, b) => a.orderKey - b.orderKey || a.id - b.id)
  const positives = labeled.filter((r) => r.label === 1).length
  const metrics: WinModelMetrics = { closed: labeled.length, positives, negatives: labeled.length - positives, minClosed: settings.winModelMinClosed, holdout: null, trainMs: 0, outcomeFieldId }
  let state: 'insufficient' | 'weak' | 'ready' = 'insufficient'
  let stored: StoredWinModel | null = null
  if (labeled.length >= settings.winModelMinClosed && positives >= MIN_PER_CLASS && metrics.negatives >= MIN_PER_CLASS) {
    ctx.progress?.({ done: 1, total: 3, message: 'train' })
    const ids = fields.map((f) => f.id)
    const rows: LearnRow[] = labeled.map((r) => {
      if (t === 'lead') return { features: leadFeatures(r.facts as LeadFacts, ids), label: r.label! }
      // Training and prediction differ only in the stage (stages passed vs the stage reached).
      return { features: dealFeatures(r.facts as DealFacts, 'train', ids), predictAs: { stage: stageForPrediction(r.facts as DealFacts) }, label: r.label! }
    })
    const baselineFeature = t === 'opportunity' ? 'stage' : 'source'
    const result = learn(rows, { split: input.holdout, seed: input.seed, baselineFeature })
    metrics.holdout = result.holdout
    state = result.holdout.keptAuc >= MIN_USEFUL_AUC ? 'ready' : 'weak'
    const answerLabels: Record<string, string> = {}
    const versions = await db
      .selectFrom('scoring_model_versions')
      .innerJoin('scoring_models', 'scoring_models.id', 'scoring_model_versions.model_id')
      .select('scoring_model_versions.criteria')
      .where('scoring_models.entity', '=', t)
      .orderBy('scoring_model_versions.id')
      .execute()
    for (const v of versions) for (const c of JSON.parse(v.criteria) as Criterion[]) answerLabels[c.key] = c.label
    stored = { nb: result.model, platt: result.platt, customFields: fields, answerLabels, stageLabels, outcomeFieldId, baselineFeature }
  }
  cancelled(ctx)
  metrics.trainMs = Math.round(performance.now() - t0)
  ctx.progress?.({ done: 2, total: 3, message: 'save' })
  return inTransaction(db, async (trx) => {
    const key = randomUUID()
    const row = await trx
      .insertInto('win_models')
      .values({ target: t, state, model_key: key, model: stored ? JSON.stringify(stored) : null, metrics: JSON.stringify(metrics), trained_by: ctx.userId, trained_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow()
    remember(key, { id: row.id, state, trainedAt: now.toISOString(), stored, metrics })
    await refreshAllLearned(trx, ctx, t)
    await audit(trx, ctx, { action: 'create', entity: 'winModel', entityId: row.id, changes: { target: t, state, closed: metrics.closed, auc: metrics.holdout?.auc ?? null } })
    return getWinModelStatus(trx, ctx, { target: t })
  })
}

export async function getWinModelStatus(db: DbOrTrx, ctx: Ctx, input: { target: ScoredEntity }): Promise<WinModelStatus> {
  const current = await currentModel(db, input.target)
  const history = await db.selectFrom('win_models').select(['trained_at', 'state', 'metrics']).where('target', '=', input.target).orderBy('id', 'desc').limit(10).execute()
  const state: WinModelState = current?.state ?? 'never'
  const stored = current?.stored ?? null
  return {
    target: input.target,
    state,
    used: state === 'ready',
    trainedAt: current?.trainedAt ?? null,
    message: statusMessage(input.target, state, current?.metrics ?? null, ctx.locale, stored),
    metrics: current?.metrics ?? null,
    features: stored ? Object.entries(stored.nb.features).map(([name, f]) => ({ name, label: featureLabel(stored, name, ctx.locale), values: Object.keys(f.counts).length })) : [],
    history: history.map((h) => {
      const m = JSON.parse(h.metrics) as WinModelMetrics
      return { trainedAt: h.trained_at, state: h.state, auc: m.holdout?.auc ?? null, closed: m.closed }
    }),
  }
}

// --- Predictions -------------------------------------------------------------

type Table = 'opportunities' | 'leads'
const tableOf = (t: ScoredEntity): Table => (t === 'lead' ? 'leads' : 'opportunities')

async function loadForPrediction(db: DbOrTrx, t: ScoredEntity, stored: StoredWinModel | null, scope: Omit<Scope, 'customFieldIds'>) {
  const s = { ...scope, customFieldIds: stored?.customFields.map((f) => f.id) ?? [], outcomeFieldId: stored?.outcomeFieldId ?? null }
  return t === 'opportunity' ? (await loadDeals(db, s)).records : await loadLeads(db, s)
}

/** Write new learned probabilities (only where they changed) and a history point for each change. */
async function writeLearned(db: DbOrTrx, ctx: Ctx, t: ScoredEntity, changes: Array<{ id: number; learned: number | null; stage: number | null }>): Promise<void> {
  if (changes.length === 0) return
  const byValue = new Map<number | null, number[]>()
  for (const c of changes) byValue.set(c.learned, [...(byValue.get(c.learned) ?? []), c.id])
  for (const [value, ids] of byValue) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await db.updateTable(tableOf(t)).set({ learned_probability: value }).where('id', 'in', ids.slice(i, i + CHUNK)).execute()
    }
  }
  const at = ctx.now().toISOString()
  const col = t === 'lead' ? 'lead_id' : 'opportunity_id'
  for (let i = 0; i < changes.length; i += 200) {
    await db
      .insertInto('probability_history')
      .values(changes.slice(i, i + 200).map((c) => ({ [col]: c.id, at, stage_probability: c.stage, learned_probability: c.learned })))
      .execute()
  }
}

/** Re-predict every open deal (or unfinished lead) after a retrain. */
async function refreshAllLearned(db: DbOrTrx, ctx: Ctx, t: ScoredEntity): Promise<number> {
  const model = await currentModel(db, t)
  const stored = model?.state === 'ready' ? model.stored : null
  const records = await loadForPrediction(db, t, stored, { scope: 'open', now: ctx.now() })
  const changes: Array<{ id: number; learned: number | null; stage: number | null }> = []
  for (const r of records) {
    if (r.label !== null) continue
    const learned = stored ? toPercent(predictProbability(stored.nb, stored.platt, predictFacts(t, stored, r.facts))) : null
    if (learned !== r.learned) changes.push({ id: r.id, learned, stage: r.stageProbability })
  }
  await writeLearned(db, ctx, t, changes)
  return changes.length
}

/**
 * Re-predict one record after something it is judged on changed (stage,
 * amount, owner, a new score). Cheap when no model is in use: one query.
 */
export async function refreshLearnedProbability(db: DbOrTrx, ctx: Ctx, t: ScoredEntity, recordId: number): Promise<void> {
  const model = await currentModel(db, t)
  if (!model) return
  const stored = model.state === 'ready' ? model.stored : null
  const [r] = await loadForPrediction(db, t, stored, { scope: 'open', ids: [recordId], now: ctx.now() })
  if (!r) return
  // A closed deal or finished lead keeps the last prediction it had while open.
  const learned = r.label !== null ? r.learned : stored ? toPercent(predictProbability(stored.nb, stored.platt, predictFacts(t, stored, r.facts))) : null
  const col = t === 'lead' ? 'lead_id' : 'opportunity_id'
  const last = await db.selectFrom('probability_history').select(['stage_probability', 'learned_probability']).where(col, '=', recordId).orderBy('at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()
  const stageChanged = t === 'opportunity' && r.label === null && (last?.stage_probability ?? null) !== r.stageProbability
  if (learned === r.learned && !stageChanged) return
  if (learned !== r.learned) await db.updateTable(tableOf(t)).set({ learned_probability: learned }).where('id', '=', recordId).execute()
  if (last || learned !== null || stageChanged) {
    await db.insertInto('probability_history').values({ [col]: recordId, at: ctx.now().toISOString(), stage_probability: r.stageProbability, learned_probability: learned }).execute()
  }
}

const r1 = (x: number) => Math.round(x * 10) / 10

/** Probability and the facts for and against it, in the reader's language. */
export async function explainWinProbability(db: DbOrTrx, ctx: Ctx, input: z.output<typeof winModelExplainInput>): Promise<WinExplanation> {
  const t = input.entity
  const model = await currentModel(db, t)
  const stored = model?.stored ?? null
  const [r] = await loadForPrediction(db, t, stored, { scope: 'open', ids: [input.id], now: ctx.now() })
  if (!r) throw notFound(t, input.id)
  const state: WinModelState = model?.state ?? 'never'
  const used = state === 'ready'
  let learnedProbability: number | null = null
  const factors: WinExplanation['factors'] = { for: [], against: [] }
  if (stored) {
    const facts = predictFacts(t, stored, r.facts)
    const { logOdds, contributions } = explainLogOdds(stored.nb, facts)
    learnedProbability = r1(100 / (1 + Math.exp(-(stored.platt.a * logOdds + stored.platt.b))))
    // Effects as they act on the calibrated probability (scaled by Platt's a); tiny ones are noise.
    const shown = contributions
      .map((c): Factor => ({ feature: c.feature, label: featureLabel(stored, c.feature, ctx.locale), value: valueLabel(stored, c.feature, c.value, ctx.locale), effect: Math.round(c.effect * stored.platt.a * 100) / 100 }))
      .filter((f) => Math.abs(f.effect) >= 0.05)
    factors.for = shown.filter((f) => f.effect > 0).sort((a, b) => b.effect - a.effect).slice(0, 5)
    factors.against = shown.filter((f) => f.effect < 0).sort((a, b) => a.effect - b.effect).slice(0, 5)
  }
  let probability: number | null
  let probabilitySource: WinExplanation['probabilitySource']
  if (t === 'opportunity' && r.manual) {
    probability = r.probability
    probabilitySource = 'manual'
  } else if (used && learnedProbability !== null && r.label === null) {
    probability = toPercent(learnedProbability / 100)
    probabilitySource = 'learned'
  } else if (t === 'opportunity') {
    probability = r.probability
    probabilitySource = 'stage'
  } else {
    probability = null
    probabilitySource = 'none'
  }
  return {
    entity: t,
    id: input.id,
    state,
    used,
    probability,
    probabilitySource,
    stageProbability: r.stageProbability,
    manualProbability: r.manual ? r.probability : null,
    learnedProbability,
    factors,
    message: statusMessage(t, state, model?.metrics ?? null, ctx.locale, stored),
    trainedAt: model?.trainedAt ?? null,
    holdoutAuc: model?.metrics.holdout?.auc ?? null,
  }
}
