// Risks per opportunity (风险评估与控制) and the 优先级 view: open deals ranked
// by risk-adjusted value = amount × win probability × (1 − discount of the
// highest open risk), in integer fen.
import { sql } from 'kysely'
import { z } from 'zod'
import type { Db, DbOrTrx } from '../db/database'
import type { RiskRow } from '../db/tables/scoring.table'
import { notFound } from '../shared/errors'
import { GRADES, RISK_LEVELS, type Grade, type RiskDiscounts, type RiskLevel, type RiskStatus, type RiskType } from '../shared/scoring'
import type { Ctx } from './context'
import { id, optionalId, optionalText, patchShape, requiredText } from './fields'
import { fetchPage, type Page } from './paging'
import { getSettings } from './settings'
import { audit, diff, inTransaction, type Trx } from './write'

export interface Risk {
  id: number
  opportunityId: number
  opportunityTitle: string | null
  type: RiskType
  level: RiskLevel
  description: string
  mitigation: string | null
  ownerId: number | null
  ownerName: string | null
  status: RiskStatus
  createdAt: string
  updatedAt: string
}

const riskFields = {
  type: z.enum(['market', 'credit', 'technical', 'other']),
  level: z.enum(['low', 'medium', 'high']),
  description: requiredText(500),
  /** 控制措施, e.g. 要求担保, 合同条款. */
  mitigation: optionalText(500),
  ownerId: optionalId,
  status: z.enum(['open', 'mitigated', 'closed']).default('open'),
}
export const riskCreateInput = z.object({ opportunityId: id, ...riskFields })
export const riskUpdateInput = z.object({ id, ...patchShape(riskFields) })
export const riskListInput = z.object({
  opportunityId: id.optional(),
  ownerId: id.optional(),
  status: z.enum(['open', 'mitigated', 'closed']).optional(),
  level: z.enum(['low', 'medium', 'high']).optional(),
})

function toRisk(r: RiskRow & { opportunity_title: string | null; owner_name: string | null }): Risk {
  return {
    id: r.id,
    opportunityId: r.opportunity_id,
    opportunityTitle: r.opportunity_title,
    type: r.type,
    level: r.level,
    description: r.description,
    mitigation: r.mitigation,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

function selectRisks(db: DbOrTrx) {
  return db
    .selectFrom('risks')
    .innerJoin('opportunities as o', 'o.id', 'risks.opportunity_id')
    .leftJoin('users as u', 'u.id', 'risks.owner_id')
    .selectAll('risks')
    .select(['o.title as opportunity_title', 'u.name as owner_name'])
}

export async function listRisks(db: DbOrTrx, _ctx: Ctx, input: z.output<typeof riskListInput>): Promise<Risk[]> {
  const rows = await selectRisks(db)
    .$if(input.opportunityId !== undefined, (q) => q.where('risks.opportunity_id', '=', input.opportunityId!))
    .$if(input.ownerId !== undefined, (q) => q.where('risks.owner_id', '=', input.ownerId!))
    .$if(input.status !== undefined, (q) => q.where('risks.status', '=', input.status!))
    .$if(input.level !== undefined, (q) => q.where('risks.level', '=', input.level!))
    .orderBy('risks.created_at', 'desc')
    .orderBy('risks.id', 'desc')
    .limit(1000)
    .execute()
  return rows.map(toRisk)
}

async function getRisk(db: DbOrTrx, riskId: number): Promise<Risk> {
  const row = await selectRisks(db).where('risks.id', '=', riskId).executeTakeFirst()
  if (!row) throw notFound('risk', riskId)
  return toRisk(row)
}

/**
 * Only open risks discount a deal: a mitigated risk has its control in place
 * (担保, 合同条款), a closed one is gone. The highest open level counts, not a
 * product of all of them, so that logging five small risks does not bury a deal.
 */
export function highestOpenLevel(risks: ReadonlyArray<{ level: RiskLevel; status: RiskStatus }>): RiskLevel | null {
  let best = -1
  for (const r of risks) if (r.status === 'open') best = Math.max(best, RISK_LEVELS.indexOf(r.level))
  return best < 0 ? null : RISK_LEVELS[best]
}

async function refreshRiskLevel(trx: Trx, opportunityId: number): Promise<void> {
  const risks = await trx.selectFrom('risks').select(['level', 'status']).where('opportunity_id', '=', opportunityId).execute()
  await trx.updateTable('opportunities').set({ risk_level: highestOpenLevel(risks) }).where('id', '=', opportunityId).execute()
}

async function checkOwner(trx: Trx, ownerId: number | null | undefined): Promise<void> {
  if (ownerId != null && !(await trx.selectFrom('users').select('id').where('id', '=', ownerId).executeTakeFirst())) throw notFound('user', ownerId)
}

export async function createRisk(db: DbOrTrx, ctx: Ctx, input: z.output<typeof riskCreateInput>): Promise<Risk> {
  return inTransaction(db, async (trx) => {
    if (!(await trx.selectFrom('opportunities').select('id').where('id', '=', input.opportunityId).executeTakeFirst())) throw notFound('opportunity', input.opportunityId)
    await checkOwner(trx, input.ownerId)
    const now = ctx.now().toISOString()
    const row = await trx
      .insertInto('risks')
      .values({
        opportunity_id: input.opportunityId,
        type: input.type,
        level: input.level,
        description: input.description,
        mitigation: input.mitigation ?? null,
        owner_id: input.ownerId ?? ctx.userId,
        status: input.status,
        created_by: ctx.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await refreshRiskLevel(trx, input.opportunityId)
    await audit(trx, ctx, { action: 'create', entity: 'risk', entityId: row.id, changes: input })
    return getRisk(trx, row.id)
  })
}

export async function updateRisk(db: DbOrTrx, ctx: Ctx, input: z.output<typeof riskUpdateInput>): Promise<Risk> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('risks').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('risk', input.id)
    await checkOwner(trx, input.ownerId)
    const patch = {
      ...(input.type !== undefined && { type: input.type }),
      ...(input.level !== undefined && { level: input.level }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.mitigation !== undefined && { mitigation: input.mitigation }),
      ...(input.ownerId !== undefined && { owner_id: input.ownerId ?? null }),
      ...(input.status !== undefined && { status: input.status }),
    }
    const after = await trx.updateTable('risks').set({ ...patch, updated_at: ctx.now().toISOString() }).where('id', '=', input.id).returningAll().executeTakeFirstOrThrow()
    await refreshRiskLevel(trx, before.opportunity_id)
    await audit(trx, ctx, { action: 'update', entity: 'risk', entityId: input.id, changes: diff(before, after) })
    return getRisk(trx, input.id)
  })
}

export async function deleteRisk(db: DbOrTrx, ctx: Ctx, input: { id: number }): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('risks').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('risk', input.id)
    await trx.deleteFrom('risks').where('id', '=', input.id).execute()
    await refreshRiskLevel(trx, before.opportunity_id)
    await audit(trx, ctx, { action: 'delete', entity: 'risk', entityId: input.id, changes: before })
    return { id: input.id }
  })
}

// --- Risk-adjusted value and the 优先级 view -----------------------------------

export type ProbabilitySource = 'manual' | 'learned' | 'stage'

/**
 * The probability the priority view works with: a hand-set one always; else
 * the learned one when a usable model gave one; else the stage default.
 */
export function effectiveProbability(o: { probability: number; probabilityManual: boolean; learnedProbability: number | null }): { probability: number; source: ProbabilitySource } {
  if (o.probabilityManual) return { probability: o.probability, source: 'manual' }
  if (o.learnedProbability != null) return { probability: o.learnedProbability, source: 'learned' }
  return { probability: o.probability, source: 'stage' }
}

export function riskDiscountOf(level: RiskLevel | null, discounts: RiskDiscounts): number {
  return level ? discounts[level] : 0
}

/**
 * amount × p% × (100 − d)% in integer fen, rounded half up once. BigInt: with
 * amounts up to 10^15 fen the intermediate product passes 2^53.
 */
export function riskAdjustedFen(amountFen: number, probability: number, discountPercent: number): number {
  const num = BigInt(amountFen) * BigInt(probability) * BigInt(100 - discountPercent)
  return Number((num + 5000n) / 10000n)
}

export const priorityListInput = z.object({
  ownerId: id.optional(),
  pipeline: z.string().max(30).optional(),
  grade: z.enum(GRADES as [Grade, ...Grade[]]).optional(),
  riskLevel: z.enum(['low', 'medium', 'high']).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(500).default(20),
})

export interface PriorityRow {
  id: number
  title: string
  accountId: number
  accountName: string
  stageId: number
  stageName: string
  ownerId: number | null
  ownerName: string | null
  expectedCloseDate: string | null
  amountFen: number
  probability: number
  probabilitySource: ProbabilitySource
  /** The stage's (or hand-set) probability, for comparison. */
  stageProbability: number
  learnedProbability: number | null
  weightedFen: number
  riskLevel: RiskLevel | null
  riskDiscount: number
  riskAdjustedFen: number
  score: number | null
  grade: Grade | null
  version: number
}

/** Open opportunities, highest risk-adjusted value first. Ranked in SQL so a page of 20 out of 100k reads no more than it must. */
export async function listPriority(db: Db, _ctx: Ctx, input: z.output<typeof priorityListInput> & { id?: number }): Promise<Page<PriorityRow> & { discounts: RiskDiscounts }> {
  const { riskDiscounts: d } = await getSettings(db)
  const prob = sql<number>`(case when o.probability_manual = 1 then o.probability else coalesce(o.learned_probability, o.probability) end)`
  const discount = sql<number>`(case o.risk_level when 'high' then ${d.high} when 'medium' then ${d.medium} when 'low' then ${d.low} else 0 end)`
  const base = () =>
    db
      .selectFrom('opportunities as o')
      .innerJoin('pipeline_stages as st', 'st.id', 'o.stage_id')
      // One deal (the detail page) whatever its status; otherwise the open ones.
      .$if(input.id !== undefined, (q) => q.where('o.id', '=', input.id!))
      .$if(input.id === undefined, (q) => q.where('o.status', '=', 'open'))
      .$if(input.ownerId !== undefined, (q) => q.where('o.owner_id', '=', input.ownerId!))
      .$if(input.pipeline !== undefined, (q) => q.where('st.pipeline', '=', input.pipeline!))
      .$if(input.grade !== undefined, (q) => q.where('o.grade', '=', input.grade!))
      .$if(input.riskLevel !== undefined, (q) => q.where('o.risk_level', '=', input.riskLevel!))
  const q = base()
    .innerJoin('accounts as a', 'a.id', 'o.account_id')
    .leftJoin('users as u', 'u.id', 'o.owner_id')
    .select([
      'o.id',
      'o.title',
      'o.account_id',
      'a.name as account_name',
      'o.stage_id',
      'st.name as stage_name',
      'o.owner_id',
      'u.name as owner_name',
      'o.expected_close_date',
      'o.amount_fen',
      'o.probability',
      'o.probability_manual',
      'o.learned_probability',
      'o.risk_level',
      'o.score',
      'o.grade',
      'o.version',
    ])
    .orderBy(sql`o.amount_fen * ${prob} * (100 - ${discount})`, 'desc')
    .orderBy('o.id')
  const page = await fetchPage(q, base(), input.page, input.pageSize)
  const rows = page.rows.map((r): PriorityRow => {
    const eff = effectiveProbability({ probability: r.probability, probabilityManual: r.probability_manual === 1, learnedProbability: r.learned_probability })
    const amount = Number(r.amount_fen)
    const discountPct = riskDiscountOf(r.risk_level, d)
    return {
      id: r.id,
      title: r.title,
      accountId: r.account_id,
      accountName: r.account_name,
      stageId: r.stage_id,
      stageName: r.stage_name,
      ownerId: r.owner_id,
      ownerName: r.owner_name,
      expectedCloseDate: r.expected_close_date,
      amountFen: amount,
      probability: eff.probability,
      probabilitySource: eff.source,
      stageProbability: r.probability,
      learnedProbability: r.learned_probability,
      weightedFen: riskAdjustedFen(amount, eff.probability, 0),
      riskLevel: r.risk_level,
      riskDiscount: discountPct,
      riskAdjustedFen: riskAdjustedFen(amount, eff.probability, discountPct),
      score: r.score,
      grade: r.grade,
      version: r.version,
    }
  })
  return { ...page, rows, discounts: d }
}

export const priorityGetInput = z.object({ id })

/** One deal's amount, weighted and risk-adjusted value, for its detail page. */
export async function getPriority(db: Db, ctx: Ctx, input: z.output<typeof priorityGetInput>): Promise<PriorityRow & { discounts: RiskDiscounts }> {
  const page = await listPriority(db, ctx, { id: input.id, page: 1, pageSize: 1 })
  if (page.rows.length === 0) throw notFound('opportunity', input.id)
  return { ...page.rows[0], discounts: page.discounts }
}
