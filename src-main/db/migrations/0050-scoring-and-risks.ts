// Landed migration: never edit. Add a new numbered file instead.
// Scoring and evaluation:
// - scoring_models + scoring_model_versions: each save of a model is a new version
//   (criteria and grade thresholds as JSON); scores name the version that made them;
// - scores: one row per submitted form (every re-evaluation kept), on a lead or an opportunity;
// - risks per opportunity; opportunities.risk_level = highest open risk (for the 优先级 ranking);
// - opportunity value indicators (margin, expected cycle, competition; credit is the account's);
// - win_models: the learned model (counts as JSON) with its hold-out metrics;
// - probability_history: learned and stage probability over time (the detail chart);
// - denormalised latest combined score/grade and learned probability on leads and
//   opportunities, indexed, so lists and the board filter and sort by them cheaply.
// Seeds the default 商机 and 线索 models (version 1).
import { sql, type Kysely } from 'kysely'
import { withIdColumn } from '../dialect'

// Frozen copies of the default models as of this migration.
const rating = { type: 'rating' }
const OPPORTUNITY_CRITERIA = [
  { key: 'need_fit', label: '需求匹配度', weight: 20, scale: { type: 'options', options: [
    { key: 'full', label: '完全匹配', points: 10 }, { key: 'mostly', label: '基本匹配', points: 7 }, { key: 'partly', label: '部分匹配', points: 4 }, { key: 'none', label: '不匹配', points: 0 }] } },
  { key: 'budget', label: '客户购买力/预算', weight: 15, scale: { type: 'options', options: [
    { key: 'ample', label: '预算充足', points: 10 }, { key: 'approved', label: '预算基本到位', points: 7 }, { key: 'pending', label: '预算待定', points: 4 }, { key: 'none', label: '无预算', points: 0 }] } },
  { key: 'decision_cycle', label: '决策周期', weight: 10, source: 'cycleDays', scale: { type: 'range', unit: '天', bands: [
    { min: null, max: 31, points: 10, label: '1 个月内' }, { min: 31, max: 91, points: 7, label: '1–3 个月' }, { min: 91, max: 181, points: 4, label: '3–6 个月' }, { min: 181, max: null, points: 1, label: '半年以上' }] } },
  { key: 'competition', label: '竞争情况', weight: 10, source: 'competition', scale: { type: 'options', options: [
    { key: 'low', label: '竞争少', points: 10 }, { key: 'medium', label: '竞争一般', points: 6 }, { key: 'high', label: '竞争激烈', points: 2 }] } },
  { key: 'industry_outlook', label: '行业前景', weight: 10, scale: rating },
  { key: 'credit', label: '客户信誉', weight: 10, source: 'credit', scale: { type: 'options', options: [
    { key: 'A', label: 'A 信誉优良', points: 10 }, { key: 'B', label: 'B 信誉良好', points: 7 }, { key: 'C', label: 'C 一般', points: 4 }, { key: 'D', label: 'D 较差', points: 0 }] } },
  { key: 'urgency', label: '需求紧急程度', weight: 10, scale: { type: 'options', options: [
    { key: 'urgent', label: '非常紧急', points: 10 }, { key: 'soon', label: '较紧急', points: 7 }, { key: 'normal', label: '一般', points: 4 }, { key: 'none', label: '不紧急', points: 1 }] } },
  { key: 'willingness', label: '合作意愿', weight: 15, scale: rating },
]
const LEAD_CRITERIA = [
  { key: 'persona_fit', label: '目标客户画像匹配度', weight: 35, scale: { type: 'options', options: [
    { key: 'high', label: '高度匹配', points: 10 }, { key: 'partial', label: '部分匹配', points: 6 }, { key: 'low', label: '不匹配', points: 0 }] } },
  { key: 'channel', label: '来源渠道', weight: 20, source: 'source', scale: { type: 'options', options: [
    { key: '转介绍', label: '转介绍', points: 10 }, { key: '内部推荐', label: '内部推荐', points: 10 }, { key: '展会', label: '展会', points: 8 },
    { key: '官网', label: '官网', points: 7 }, { key: '合作伙伴', label: '合作伙伴', points: 7 }, { key: 'LinkedIn', label: 'LinkedIn', points: 6 },
    { key: '微信', label: '微信', points: 6 }, { key: '广告', label: '广告', points: 4 }, { key: '微博', label: '微博', points: 3 }, { key: '其他', label: '其他', points: 3 }] } },
  { key: 'contact_data', label: '联系信息完整度', weight: 20, source: 'contactCompleteness', scale: { type: 'range', unit: '项', bands: [
    { min: null, max: 1, points: 0, label: '无' }, { min: 1, max: 2, points: 4, label: '1 项' }, { min: 2, max: 3, points: 7, label: '2 项' }, { min: 3, max: null, points: 10, label: '3 项及以上' }] } },
  { key: 'first_response', label: '首次联系响应', weight: 25, scale: { type: 'options', options: [
    { key: 'positive', label: '积极回应', points: 10 }, { key: 'neutral', label: '一般', points: 5 }, { key: 'none', label: '未回应', points: 0 }] } },
]
const THRESHOLDS = { A: 80, B: 60, C: 40 }

export async function up(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString()

  await withIdColumn(db.schema.createTable('scoring_models'))
    .addColumn('entity', 'text', (c) => c.notNull().check(sql`entity in ('lead','opportunity')`))
    .addColumn('name', 'text', (c) => c.notNull())
    // One active model per entity (the one the form uses); enforced by the service.
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('current_version_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await withIdColumn(db.schema.createTable('scoring_model_versions'))
    .addColumn('model_id', 'integer', (c) => c.notNull().references('scoring_models.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('criteria', 'text', (c) => c.notNull())
    .addColumn('thresholds', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('scoring_model_versions_uq', ['model_id', 'version'])
    .execute()

  await withIdColumn(db.schema.createTable('scores'))
    // Exactly one of opportunity_id / lead_id (as in followup_plans): real foreign keys, deleted with the record.
    .addColumn('opportunity_id', 'integer', (c) => c.references('opportunities.id').onDelete('cascade'))
    .addColumn('lead_id', 'integer', (c) => c.references('leads.id').onDelete('cascade'))
    .addColumn('model_version_id', 'integer', (c) => c.notNull().references('scoring_model_versions.id'))
    .addColumn('scorer_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('qualitative','quantitative')`))
    .addColumn('answers', 'text', (c) => c.notNull())
    // Keys answered from the record's data rather than by the scorer (JSON array).
    .addColumn('auto_keys', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('total', 'real', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('scores_one_target', sql`(opportunity_id is null) <> (lead_id is null)`)
    .execute()
  await db.schema.createIndex('scores_opp_idx').on('scores').columns(['opportunity_id', 'created_at']).execute()
  await db.schema.createIndex('scores_lead_idx').on('scores').columns(['lead_id', 'created_at']).execute()

  await withIdColumn(db.schema.createTable('risks'))
    .addColumn('opportunity_id', 'integer', (c) => c.notNull().references('opportunities.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('market','credit','technical','other')`))
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('low','medium','high')`))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('mitigation', 'text')
    .addColumn('owner_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open','mitigated','closed')`))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('risks_opp_idx').on('risks').columns(['opportunity_id', 'status']).execute()
  await db.schema.createIndex('risks_owner_idx').on('risks').columns(['owner_id', 'status']).execute()

  await withIdColumn(db.schema.createTable('win_models'))
    .addColumn('target', 'text', (c) => c.notNull().check(sql`target in ('lead','opportunity')`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('insufficient','weak','ready')`))
    // Random key per training run: the in-memory cache of parsed models is keyed by it.
    .addColumn('model_key', 'text', (c) => c.notNull())
    .addColumn('model', 'text')
    .addColumn('metrics', 'text', (c) => c.notNull())
    .addColumn('trained_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('trained_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('win_models_target_idx').on('win_models').columns(['target', 'id']).execute()

  await withIdColumn(db.schema.createTable('probability_history'))
    .addColumn('opportunity_id', 'integer', (c) => c.references('opportunities.id').onDelete('cascade'))
    .addColumn('lead_id', 'integer', (c) => c.references('leads.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('stage_probability', 'integer')
    .addColumn('learned_probability', 'integer')
    .addCheckConstraint('probability_history_one_target', sql`(opportunity_id is null) <> (lead_id is null)`)
    .execute()
  await db.schema.createIndex('probability_history_opp_idx').on('probability_history').columns(['opportunity_id', 'at']).execute()
  await db.schema.createIndex('probability_history_lead_idx').on('probability_history').columns(['lead_id', 'at']).execute()

  // Latest combined score and grade, learned probability, highest open risk, value indicators.
  await db.schema.alterTable('opportunities').addColumn('score', 'integer').execute()
  await db.schema.alterTable('opportunities').addColumn('grade', 'text').execute()
  await db.schema.alterTable('opportunities').addColumn('scored_at', 'text').execute()
  await db.schema.alterTable('opportunities').addColumn('learned_probability', 'integer').execute()
  await db.schema.alterTable('opportunities').addColumn('risk_level', 'text').execute()
  await db.schema.alterTable('opportunities').addColumn('margin_percent', 'real').execute()
  await db.schema.alterTable('opportunities').addColumn('expected_cycle_days', 'integer').execute()
  await db.schema.alterTable('opportunities').addColumn('competition_level', 'text').execute()
  // leads.score exists since 0010 (typed in or imported); the scorecard writes it too.
  await db.schema.alterTable('leads').addColumn('grade', 'text').execute()
  await db.schema.alterTable('leads').addColumn('scored_at', 'text').execute()
  await db.schema.alterTable('leads').addColumn('learned_probability', 'integer').execute()
  // Filter by grade (then by score within it), sort by score.
  await db.schema.createIndex('opps_grade_idx').on('opportunities').columns(['grade', 'score']).execute()
  await db.schema.createIndex('opps_score_idx').on('opportunities').column('score').execute()
  await db.schema.createIndex('leads_grade_idx').on('leads').columns(['grade', 'score']).execute()
  await db.schema.createIndex('leads_score_idx').on('leads').column('score').execute()
  // The learner reads every deal's furthest stage from its history: covering, so no table reads (3× faster on 100k deals).
  await db.schema.createIndex('stage_history_path_idx').on('stage_history').columns(['opportunity_id', 'to_stage_id']).execute()

  for (const [entity, name, criteria] of [
    ['opportunity', '商机评分（默认）', OPPORTUNITY_CRITERIA],
    ['lead', '线索评分（默认）', LEAD_CRITERIA],
  ] as const) {
    const model = await db
      .insertInto('scoring_models')
      .values({ entity, name, is_active: 1, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    const version = await db
      .insertInto('scoring_model_versions')
      .values({ model_id: model.id, version: 1, criteria: JSON.stringify(criteria), thresholds: JSON.stringify(THRESHOLDS), created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.updateTable('scoring_models').set({ current_version_id: version.id }).where('id', '=', model.id).execute()
  }
}
