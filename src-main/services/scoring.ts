// Scoring models (评分模型) and scoring forms (评分表) on leads and opportunities.
// Arithmetic lives in src-main/scoring/score-model.ts; this file stores models
// as versions, fills answers from the record's data, keeps every submitted
// form, and keeps the latest combined score/grade on the record for lists.
import { z } from 'zod'
import type { DbOrTrx } from '../db/database'
import type { ScoreRow, ScoringModelVersionRow } from '../db/tables/scoring.table'
import { DEFAULT_THRESHOLDS, gradeFor, recommendationFor, validThresholds } from '../scoring/grades'
import { combineTotals, scoreAnswers } from '../scoring/score-model'
import { businessDate } from '../shared/dates'
import { AppError, notFound } from '../shared/errors'
import {
  LEAD_SOURCES,
  OPPORTUNITY_SOURCES,
  type Answers,
  type CompetitionLevel,
  type Criterion,
  type CriterionResult,
  type CriterionSource,
  type Grade,
  type GradeThresholds,
  type Recommendation,
  type ScoreKind,
  type ScoredEntity,
} from '../shared/scoring'
import type { Ctx } from './context'
import { id, optionalText, requiredText } from './fields'
import { getSettings } from './settings'
import { refreshLearnedProbability } from './win-model'
import { audit, inTransaction, type Trx } from './write'

// --- Input schemas -------------------------------------------------------------

const key = z.string().trim().min(1).max(40).regex(/^[\p{L}\p{N}_.-]+$/u, { message: 'v.scoringKey' })
const points = z.number().min(0).max(1000)
const scaleSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('options'), options: z.array(z.object({ key, label: requiredText(40), points })).min(2).max(20) }),
  z.object({ type: z.literal('rating') }),
  z.object({
    type: z.literal('range'),
    unit: z.string().trim().max(10).optional(),
    bands: z.array(z.object({ min: z.number().nullable(), max: z.number().nullable(), points, label: z.string().trim().max(40).optional() })).min(1).max(20),
  }),
])
const criterionSchema = z.object({
  key,
  label: requiredText(40),
  description: z.string().trim().max(500).optional(),
  weight: z.number().positive().max(1000),
  scale: scaleSchema,
  source: z.enum([...OPPORTUNITY_SOURCES, ...LEAD_SOURCES]).optional(),
})
const thresholdsSchema = z
  .object({ A: z.number().min(0).max(100), B: z.number().min(0).max(100), C: z.number().min(0).max(100) })
  .refine(validThresholds, { message: 'v.thresholds' })

/** Which scale each data source fills: a choice for levels, a number for amounts and days. */
const SOURCE_SCALE: Record<CriterionSource, 'options' | 'range'> = {
  amount: 'range',
  marginPercent: 'range',
  cycleDays: 'range',
  credit: 'options',
  competition: 'options',
  source: 'options',
  contactCompleteness: 'range',
}

export const scoringModelSaveInput = z
  .object({
    /** Absent: a new model. Present: a new version of that model. */
    id: id.optional(),
    entity: z.enum(['lead', 'opportunity']),
    name: requiredText(50),
    criteria: z.array(criterionSchema).min(1).max(30),
    thresholds: thresholdsSchema.default(DEFAULT_THRESHOLDS),
    /** Make it the model the form uses for its entity. */
    activate: z.boolean().default(true),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>()
    m.criteria.forEach((c, i) => {
      if (seen.has(c.key)) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'key'], message: 'v.uniqueKeys' })
      seen.add(c.key)
      const s = c.scale
      if (s.type === 'options') {
        if (new Set(s.options.map((o) => o.key)).size !== s.options.length) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'scale'], message: 'v.uniqueKeys' })
        if (!s.options.some((o) => o.points > 0)) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'scale'], message: 'v.scalePoints' })
      }
      if (s.type === 'range') {
        // Bands in order, each ending where the next begins: every number falls in at most one.
        const ok = s.bands.every((b, j) => (b.min === null || b.max === null || b.min < b.max) && (j === 0 || (s.bands[j - 1].max !== null && b.min !== null && s.bands[j - 1].max! <= b.min)))
        if (!ok) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'scale'], message: 'v.bands' })
        if (!s.bands.some((b) => b.points > 0)) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'scale'], message: 'v.scalePoints' })
      }
      if (c.source) {
        const forEntity = (m.entity === 'lead' ? LEAD_SOURCES : OPPORTUNITY_SOURCES) as readonly string[]
        if (!forEntity.includes(c.source) || SOURCE_SCALE[c.source] !== s.type) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'source'], message: 'v.criterionSource' })
      }
    })
  })

const entityRef = { entity: z.enum(['lead', 'opportunity']), id }
const answersSchema = z.record(key, z.union([z.string().trim().max(40), z.number().finite()]))
export const scoringModelsInput = z.object({ entity: z.enum(['lead', 'opportunity']).optional() })
export const scoringFormInput = z.object(entityRef)
export const scoringSubmitInput = z.object({
  ...entityRef,
  kind: z.enum(['qualitative', 'quantitative']).default('qualitative'),
  answers: answersSchema,
  comment: optionalText(1000),
  /** The version the form was filled against; refused when the model changed meanwhile. Absent: the active version. */
  modelVersionId: id.optional(),
})
export const scoringPreviewInput = z.object({ ...entityRef, answers: answersSchema, modelVersionId: id.optional() })
export const scoringHistoryInput = z.object(entityRef)
export const indicatorsInput = z.object({
  id,
  /** 利润率, percent (may be negative for a loss leader). */
  marginPercent: z.number().min(-100).max(100).nullish(),
  /** 预计成交周期 in days. */
  expectedCycleDays: z.number().int().min(0).max(3650).nullish(),
  competitionLevel: z.enum(['low', 'medium', 'high']).nullish(),
})

// --- Output shapes -------------------------------------------------------------

export interface ScoringModelVersion {
  id: number
  modelId: number
  version: number
  criteria: Criterion[]
  thresholds: GradeThresholds
  createdAt: string
  createdByName: string | null
}

export interface ScoringModel {
  id: number
  entity: ScoredEntity
  name: string
  isActive: boolean
  current: ScoringModelVersion
  versions: Array<{ id: number; version: number; createdAt: string; createdByName: string | null; scoreCount: number }>
}

export interface ScoreEntry {
  id: number
  scorerId: number | null
  scorerName: string | null
  kind: ScoreKind
  total: number
  grade: Grade
  recommendation: Recommendation
  comment: string | null
  createdAt: string
  modelVersionId: number
  version: number
  /** The answers as submitted (scorer's and those taken from the record). */
  answers: Answers
  criteria: CriterionResult[]
}

export interface CombinedScore {
  total: number
  grade: Grade
  recommendation: Recommendation
  /** How many scorers' latest scores were averaged. */
  count: number
}

export interface OpportunityIndicators {
  amountFen: number
  marginPercent: number | null
  expectedCycleDays: number | null
  /** The account's credit level (edited on the account). */
  creditLevel: string | null
  competitionLevel: CompetitionLevel | null
}

export interface ScoringForm {
  entity: ScoredEntity
  entityId: number
  model: { id: number; name: string; versionId: number; version: number; criteria: Criterion[]; thresholds: GradeThresholds }
  /** Answers the record's data gives (value indicators, lead facts); the form pre-fills and marks them. */
  derived: Answers
  indicators: OpportunityIndicators | null
  /** The caller's latest score of this record, to pre-fill a re-evaluation. */
  mine: ScoreEntry | null
  /** Each scorer's latest score (per scorer and kind). */
  scorers: ScoreEntry[]
  combined: CombinedScore | null
  rescore: { due: boolean; reason: 'never' | 'stageChanged' | 'old' | null; lastScoredAt: string | null; refreshDays: number }
}

export interface ScoringHistory {
  scores: Array<{ id: number; at: string; total: number; grade: Grade; kind: ScoreKind; scorerName: string | null; combined: number }>
  probability: Array<{ at: string; stageProbability: number | null; learnedProbability: number | null }>
}

// --- Models and versions ---------------------------------------------------------

function toVersion(row: ScoringModelVersionRow & { created_by_name?: string | null }): ScoringModelVersion {
  return {
    id: row.id,
    modelId: row.model_id,
    version: row.version,
    criteria: JSON.parse(row.criteria) as Criterion[],
    thresholds: JSON.parse(row.thresholds) as GradeThresholds,
    createdAt: row.created_at,
    createdByName: row.created_by_name ?? null,
  }
}

async function versionRow(db: DbOrTrx, versionId: number): Promise<ScoringModelVersion> {
  const row = await db
    .selectFrom('scoring_model_versions as v')
    .leftJoin('users as u', 'u.id', 'v.created_by')
    .selectAll('v')
    .select('u.name as created_by_name')
    .where('v.id', '=', versionId)
    .executeTakeFirst()
  if (!row) throw notFound('scoringModel', versionId)
  return toVersion(row)
}

export async function listScoringModels(db: DbOrTrx, _ctx: Ctx, input: z.output<typeof scoringModelsInput>): Promise<ScoringModel[]> {
  const models = await db.selectFrom('scoring_models').selectAll().$if(input.entity !== undefined, (q) => q.where('entity', '=', input.entity!)).orderBy('entity').orderBy('id').execute()
  if (models.length === 0) return []
  const versions = await db
    .selectFrom('scoring_model_versions as v')
    .leftJoin('users as u', 'u.id', 'v.created_by')
    .selectAll('v')
    .select(['u.name as created_by_name', (eb) => eb.selectFrom('scores').select((e) => e.fn.countAll<number>().as('n')).whereRef('scores.model_version_id', '=', 'v.id').as('score_count')])
    .where('v.model_id', 'in', models.map((m) => m.id))
    .orderBy('v.version', 'desc')
    .execute()
  return models.map((m) => {
    const own = versions.filter((v) => v.model_id === m.id)
    const current = own.find((v) => v.id === m.current_version_id) ?? own[0]
    return {
      id: m.id,
      entity: m.entity,
      name: m.name,
      isActive: m.is_active === 1,
      current: toVersion(current),
      versions: own.map((v) => ({ id: v.id, version: v.version, createdAt: v.created_at, createdByName: v.created_by_name, scoreCount: Number(v.score_count ?? 0) })),
    }
  })
}

/** Saving never edits a version: it adds the next one, so every stored score can still be read with the rules that made it. */
export async function saveScoringModel(db: DbOrTrx, ctx: Ctx, input: z.output<typeof scoringModelSaveInput>): Promise<ScoringModel> {
  return inTransaction(db, async (trx) => {
    const now = ctx.now().toISOString()
    let modelId = input.id
    let next = 1
    if (modelId !== undefined) {
      const before = await trx.selectFrom('scoring_models').selectAll().where('id', '=', modelId).executeTakeFirst()
      if (!before) throw notFound('scoringModel', modelId)
      if (before.entity !== input.entity) throw new AppError('INVALID_STATE', { reasonKey: 'reason.modelEntity' })
      const last = await trx.selectFrom('scoring_model_versions').select((eb) => eb.fn.max('version').as('v')).where('model_id', '=', modelId).executeTakeFirst()
      next = Number(last?.v ?? 0) + 1
      await trx.updateTable('scoring_models').set({ name: input.name, updated_at: now }).where('id', '=', modelId).execute()
    } else {
      modelId = (await trx.insertInto('scoring_models').values({ entity: input.entity, name: input.name, is_active: 0, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id
    }
    const version = await trx
      .insertInto('scoring_model_versions')
      .values({ model_id: modelId, version: next, criteria: JSON.stringify(input.criteria), thresholds: JSON.stringify(input.thresholds), created_by: ctx.userId, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx.updateTable('scoring_models').set({ current_version_id: version.id }).where('id', '=', modelId).execute()
    if (input.activate) {
      await trx.updateTable('scoring_models').set({ is_active: 0 }).where('entity', '=', input.entity).where('id', '!=', modelId).execute()
      await trx.updateTable('scoring_models').set({ is_active: 1 }).where('id', '=', modelId).execute()
    }
    await audit(trx, ctx, { action: input.id ? 'update' : 'create', entity: 'scoringModel', entityId: modelId, changes: { version: next, name: input.name, criteria: input.criteria, thresholds: input.thresholds } })
    return (await listScoringModels(trx, ctx, { entity: input.entity })).find((m) => m.id === modelId)!
  })
}

async function activeVersion(db: DbOrTrx, entity: ScoredEntity): Promise<{ modelId: number; name: string; version: ScoringModelVersion }> {
  const model = await db.selectFrom('scoring_models').selectAll().where('entity', '=', entity).where('is_active', '=', 1).orderBy('id', 'desc').executeTakeFirst()
  if (!model?.current_version_id) throw new AppError('INVALID_STATE', { reasonKey: 'reason.noScoringModel' })
  return { modelId: model.id, name: model.name, version: await versionRow(db, model.current_version_id) }
}

// --- Records' data: value indicators and lead facts -----------------------------

interface RecordData {
  derived: Answers
  indicators: OpportunityIndicators | null
  stageChangedAt: string | null
}

async function recordData(db: DbOrTrx, ctx: Ctx, entity: ScoredEntity, recordId: number, criteria: Criterion[]): Promise<RecordData> {
  const values: Partial<Record<CriterionSource, string | number | null>> = {}
  let indicators: OpportunityIndicators | null = null
  let stageChangedAt: string | null = null
  if (entity === 'opportunity') {
    const o = await db
      .selectFrom('opportunities as o')
      .innerJoin('accounts as a', 'a.id', 'o.account_id')
      .select(['o.amount_fen', 'o.margin_percent', 'o.expected_cycle_days', 'o.expected_close_date', 'o.competition_level', 'o.stage_changed_at', 'a.credit_level'])
      .where('o.id', '=', recordId)
      .executeTakeFirst()
    if (!o) throw notFound('opportunity', recordId)
    indicators = { amountFen: Number(o.amount_fen), marginPercent: o.margin_percent, expectedCycleDays: o.expected_cycle_days, creditLevel: o.credit_level, competitionLevel: o.competition_level }
    stageChangedAt = o.stage_changed_at
    // Without a typed-in cycle, the days left until the expected close date stand in for it.
    const untilClose = o.expected_close_date ? Math.max(0, Math.round((Date.parse(o.expected_close_date) - Date.parse(businessDate(ctx.now()))) / 86_400_000)) : null
    Object.assign(values, {
      amount: Math.floor(Number(o.amount_fen) / 100),
      marginPercent: o.margin_percent,
      cycleDays: o.expected_cycle_days ?? untilClose,
      credit: o.credit_level,
      competition: o.competition_level,
    })
  } else {
    const l = await db.selectFrom('leads').select(['source', 'mobile', 'phone', 'email', 'wechat']).where('id', '=', recordId).executeTakeFirst()
    if (!l) throw notFound('lead', recordId)
    values.source = l.source
    values.contactCompleteness = [l.mobile, l.phone, l.email, l.wechat].filter((v) => v != null && v !== '').length
  }
  const derived: Answers = {}
  for (const c of criteria) {
    if (!c.source) continue
    const v = values[c.source]
    if (v == null || v === '') continue
    if (c.scale.type === 'options') {
      // A value with no option of its own falls to "其他/other" when the scale has one.
      const opt = c.scale.options.find((o) => o.key === String(v)) ?? c.scale.options.find((o) => ['其他', 'other'].includes(o.key))
      if (opt) derived[c.key] = opt.key
    } else if (typeof v === 'number') {
      derived[c.key] = v
    }
  }
  return { derived, indicators, stageChangedAt }
}

// --- Scores ------------------------------------------------------------------------

const targetCol = (entity: ScoredEntity) => (entity === 'lead' ? 'lead_id' : 'opportunity_id')

type ScoreWithNames = ScoreRow & { scorer_name: string | null }

async function scoreRows(db: DbOrTrx, entity: ScoredEntity, recordId: number): Promise<ScoreWithNames[]> {
  return db
    .selectFrom('scores')
    .leftJoin('users as u', 'u.id', 'scores.scorer_id')
    .selectAll('scores')
    .select('u.name as scorer_name')
    .where(`scores.${targetCol(entity)}`, '=', recordId)
    .orderBy('scores.created_at')
    .orderBy('scores.id')
    .execute()
}

async function toEntries(db: DbOrTrx, rows: ScoreWithNames[]): Promise<ScoreEntry[]> {
  const versions = new Map<number, ScoringModelVersion>()
  for (const vid of new Set(rows.map((r) => r.model_version_id))) versions.set(vid, await versionRow(db, vid))
  return rows.map((r) => {
    const v = versions.get(r.model_version_id)!
    const answers = JSON.parse(r.answers) as Answers
    const auto = new Set(JSON.parse(r.auto_keys) as string[])
    const { breakdown } = scoreAnswers(v.criteria, v.thresholds, answers)
    return {
      id: r.id,
      scorerId: r.scorer_id,
      scorerName: r.scorer_name,
      kind: r.kind,
      total: r.total,
      grade: r.grade,
      recommendation: recommendationFor(r.grade),
      comment: r.comment,
      createdAt: r.created_at,
      modelVersionId: r.model_version_id,
      version: v.version,
      answers,
      criteria: breakdown.criteria.map((c) => ({ ...c, auto: auto.has(c.key) })),
    }
  })
}

/** Latest score per (scorer, kind): the rep's 定性 and the manager's 定量 both count once. */
function latestPerScorer<T extends { scorer_id: number | null; kind: ScoreKind }>(rows: T[]): T[] {
  const latest = new Map<string, T>()
  for (const r of rows) latest.set(`${r.scorer_id ?? 'system'}:${r.kind}`, r)
  return [...latest.values()]
}

async function combinedOf(db: DbOrTrx, rows: ScoreRow[]): Promise<CombinedScore | null> {
  const latest = latestPerScorer(rows)
  const total = combineTotals(latest.map((r) => r.total))
  if (total === null) return null
  // Graded with the thresholds of the newest score's version (the rules in force now).
  const newest = rows[rows.length - 1]
  const v = await db.selectFrom('scoring_model_versions').select('thresholds').where('id', '=', newest.model_version_id).executeTakeFirstOrThrow()
  const grade = gradeFor(total, JSON.parse(v.thresholds) as GradeThresholds)
  return { total, grade, recommendation: recommendationFor(grade), count: latest.length }
}

export async function getScoringForm(db: DbOrTrx, ctx: Ctx, input: z.output<typeof scoringFormInput>): Promise<ScoringForm> {
  const { modelId, name, version } = await activeVersion(db, input.entity)
  const data = await recordData(db, ctx, input.entity, input.id, version.criteria)
  const rows = await scoreRows(db, input.entity, input.id)
  const scorers = await toEntries(db, latestPerScorer(rows))
  const mineRow = [...rows].reverse().find((r) => r.scorer_id === ctx.userId)
  const mine = mineRow ? (await toEntries(db, [mineRow]))[0] : null
  const settings = await getSettings(db)
  const last = rows[rows.length - 1]
  let reason: ScoringForm['rescore']['reason'] = null
  if (!last) reason = 'never'
  else if (data.stageChangedAt && data.stageChangedAt > last.created_at) reason = 'stageChanged'
  else if (ctx.now().getTime() - Date.parse(last.created_at) > settings.scoreRefreshDays * 86_400_000) reason = 'old'
  return {
    entity: input.entity,
    entityId: input.id,
    model: { id: modelId, name, versionId: version.id, version: version.version, criteria: version.criteria, thresholds: version.thresholds },
    derived: data.derived,
    indicators: data.indicators,
    mine,
    scorers,
    combined: await combinedOf(db, rows),
    rescore: { due: reason !== null, reason, lastScoredAt: last?.created_at ?? null, refreshDays: settings.scoreRefreshDays },
  }
}

async function versionFor(db: DbOrTrx, entity: ScoredEntity, versionId: number | undefined): Promise<ScoringModelVersion> {
  const active = await activeVersion(db, entity)
  if (versionId === undefined || versionId === active.version.id) return active.version
  // Filled against an older version (someone saved the model meanwhile): ask to reload rather than mis-score.
  throw new AppError('INVALID_STATE', { reasonKey: 'reason.modelChanged' })
}

function scoreOrRefuse(v: ScoringModelVersion, answers: Answers, derived: Answers) {
  const scored = scoreAnswers(v.criteria, v.thresholds, answers, derived)
  if (scored.problems.length > 0) {
    const fields = scored.problems.map((p) => ({ path: `answers.${p.key}`, message: '' }))
    const labels = scored.problems.map((p) => v.criteria.find((c) => c.key === p.key)?.label ?? p.key)
    throw new AppError('SCORE_INCOMPLETE', { criteria: labels.join('、') }, { fields })
  }
  return scored
}

/** Live totals while the form is being filled (nothing is stored). */
export async function previewScore(db: DbOrTrx, ctx: Ctx, input: z.output<typeof scoringPreviewInput>) {
  const v = input.modelVersionId ? await versionRow(db, input.modelVersionId) : (await activeVersion(db, input.entity)).version
  const data = await recordData(db, ctx, input.entity, input.id, v.criteria)
  const { breakdown, problems } = scoreAnswers(v.criteria, v.thresholds, input.answers, data.derived)
  return { ...breakdown, missing: problems.map((p) => p.key) }
}

/** Keep the record's latest combined score and grade on the record itself (lists and the board sort and filter by them). */
async function storeCombined(trx: Trx, entity: ScoredEntity, recordId: number, combined: CombinedScore | null, at: string): Promise<void> {
  const cols = { score: combined ? Math.round(combined.total) : null, grade: combined?.grade ?? null, scored_at: combined ? at : null }
  if (entity === 'opportunity') await trx.updateTable('opportunities').set(cols).where('id', '=', recordId).execute()
  else await trx.updateTable('leads').set(cols).where('id', '=', recordId).execute()
}

export async function submitScore(db: DbOrTrx, ctx: Ctx, input: z.output<typeof scoringSubmitInput>): Promise<{ score: ScoreEntry; combined: CombinedScore }> {
  return inTransaction(db, async (trx) => {
    const v = await versionFor(trx, input.entity, input.modelVersionId)
    const data = await recordData(trx, ctx, input.entity, input.id, v.criteria)
    const { breakdown, used } = scoreOrRefuse(v, input.answers, data.derived)
    const auto = breakdown.criteria.filter((c) => c.auto).map((c) => c.key)
    const now = ctx.now().toISOString()
    const row = await trx
      .insertInto('scores')
      .values({
        [targetCol(input.entity)]: input.id,
        model_version_id: v.id,
        scorer_id: ctx.userId,
        kind: input.kind,
        answers: JSON.stringify(used),
        auto_keys: JSON.stringify(auto),
        total: breakdown.total,
        grade: breakdown.grade,
        comment: input.comment ?? null,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const rows = await scoreRows(trx, input.entity, input.id)
    const combined = (await combinedOf(trx, rows))!
    await storeCombined(trx, input.entity, input.id, combined, now)
    await audit(trx, ctx, { action: 'create', entity: 'score', entityId: row.id, changes: { entity: input.entity, id: input.id, total: breakdown.total, grade: breakdown.grade, combined: combined.total } })
    // The answers are facts for the learned probability too.
    await refreshLearnedProbability(trx, ctx, input.entity, input.id)
    const [score] = await toEntries(trx, rows.filter((r) => r.id === row.id))
    return { score, combined }
  })
}

/** Every evaluation in order (动态评估) with the combined score after each, and the probability over time. */
export async function getScoringHistory(db: DbOrTrx, _ctx: Ctx, input: z.output<typeof scoringHistoryInput>): Promise<ScoringHistory> {
  const rows = await scoreRows(db, input.entity, input.id)
  const scores: ScoringHistory['scores'] = rows.map((r, i) => ({
    id: r.id,
    at: r.created_at,
    total: r.total,
    grade: r.grade,
    kind: r.kind,
    scorerName: r.scorer_name,
    combined: combineTotals(latestPerScorer(rows.slice(0, i + 1)).map((x) => x.total))!,
  }))
  const col = targetCol(input.entity)
  const probability = await db
    .selectFrom('probability_history')
    .select(['at', 'stage_probability', 'learned_probability'])
    .where(col, '=', input.id)
    .orderBy('at')
    .orderBy('id')
    .execute()
  return { scores, probability: probability.map((p) => ({ at: p.at, stageProbability: p.stage_probability, learnedProbability: p.learned_probability })) }
}

/**
 * Value indicators (价值指标) of an opportunity. Not version-locked: they are
 * separate fields from the deal form's, so concurrent edits of the two cannot
 * overwrite each other. The credit level is the account's (one truth per customer).
 */
export async function setIndicators(db: DbOrTrx, ctx: Ctx, input: z.output<typeof indicatorsInput>): Promise<OpportunityIndicators> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('opportunities').select(['id', 'margin_percent', 'expected_cycle_days', 'competition_level']).where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('opportunity', input.id)
    const patch = {
      ...(input.marginPercent !== undefined && { margin_percent: input.marginPercent }),
      ...(input.expectedCycleDays !== undefined && { expected_cycle_days: input.expectedCycleDays }),
      ...(input.competitionLevel !== undefined && { competition_level: input.competitionLevel }),
    }
    if (Object.keys(patch).length) await trx.updateTable('opportunities').set({ ...patch, updated_at: ctx.now().toISOString() }).where('id', '=', input.id).execute()
    await audit(trx, ctx, { action: 'update', entity: 'opportunity', entityId: input.id, changes: { indicators: patch } })
    return (await recordData(trx, ctx, 'opportunity', input.id, [])).indicators!
  })
}
