import { z } from 'zod'
import type { SelectQueryBuilder } from 'kysely'
import type { Database, Db, DbOrTrx } from '../db/database'
import type { OpportunityRow, StageRow } from '../db/tables/pipeline.table'
import { AppError, notFound } from '../shared/errors'
import type { Opportunity, RequirableField } from '../shared/domain'
import { searchText } from '../shared/text'
import type { Ctx } from './context'
import { matchesText } from './search'
import { fen, id, isoDate, optionalDate, optionalId, optionalText, patchShape, percent, requiredText } from './fields'
import { fetchPage, pagingInput, type Page } from './paging'
import { firstOpenStage, getStageRow } from './stages'
import { refreshLearnedProbability } from './win-model'
import { audit, diff, inTransaction, type Trx } from './write'

type OppJoined = OpportunityRow & {
  account_name: string | null
  contact_name: string | null
  stage_name: string | null
  /** Present when the query joined the pipeline (get/list); report drill rows go without. */
  pipeline?: string
  pipeline_name?: string | null
  owner_name: string | null
}

export function toOpportunity(row: OppJoined): Opportunity {
  return {
    id: row.id,
    title: row.title,
    accountId: row.account_id,
    accountName: row.account_name,
    contactId: row.contact_id,
    contactName: row.contact_name,
    amountFen: row.amount_fen,
    expectedCloseDate: row.expected_close_date,
    stageId: row.stage_id,
    stageName: row.stage_name,
    ...(row.pipeline !== undefined && { pipeline: row.pipeline, pipelineName: row.pipeline_name ?? null }),
    probability: row.probability,
    probabilityManual: row.probability_manual === 1,
    learnedProbability: row.learned_probability,
    score: row.score,
    grade: row.grade,
    riskLevel: row.risk_level,
    marginPercent: row.margin_percent,
    expectedCycleDays: row.expected_cycle_days,
    competitionLevel: row.competition_level,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    source: row.source,
    status: row.status,
    lostReason: row.lost_reason,
    closedAt: row.closed_at,
    stageChangedAt: row.stage_changed_at,
    lastActivityAt: row.last_activity_at,
    version: row.version,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

const oppFields = {
  title: requiredText(100),
  accountId: id,
  contactId: optionalId,
  amountFen: fen.default(0),
  expectedCloseDate: optionalDate,
  stageId: id.optional(),
  /** Setting a probability by hand pins it: stage moves keep it. `null` un-pins. */
  probability: percent.nullish(),
  ownerId: optionalId,
  source: optionalText(30),
  lostReason: optionalText(200),
  notes: optionalText(2000),
}
export const opportunityCreateInput = z.object(oppFields)
export const opportunityUpdateInput = z.object({ ...patchShape(oppFields), id, version: z.number().int().positive() })
export const opportunityMoveInput = z.object({
  id,
  stageId: id,
  version: z.number().int().positive(),
  lostReason: optionalText(200),
  amountFen: fen.optional(),
  expectedCloseDate: isoDate.optional(),
  contactId: id.optional(),
})
export const opportunityListInput = z.object({
  q: z.string().max(100).optional(),
  stageId: id.optional(),
  /** Pipeline key: deals whose stage belongs to it. */
  pipeline: z.string().max(30).optional(),
  status: z.enum(['open', 'won', 'lost']).optional(),
  ownerId: id.optional(),
  accountId: id.optional(),
  closeFrom: isoDate.optional(),
  closeTo: isoDate.optional(),
  /** Scorecard grade (评分等级). */
  grade: z.enum(['A', 'B', 'C', 'D']).optional(),
  sort: z.enum(['created_at', 'updated_at', 'amount_fen', 'expected_close_date', 'title', 'score']).default('updated_at'),
  ...pagingInput,
})

function selectOpps(db: DbOrTrx) {
  return db
    .selectFrom('opportunities')
    .innerJoin('accounts', 'accounts.id', 'opportunities.account_id')
    .innerJoin('pipeline_stages as stage', 'stage.id', 'opportunities.stage_id')
    .leftJoin('pipelines', 'pipelines.key', 'stage.pipeline')
    .leftJoin('contacts', 'contacts.id', 'opportunities.contact_id')
    .leftJoin('users as owner', 'owner.id', 'opportunities.owner_id')
    .selectAll('opportunities')
    .select(['accounts.name as account_name', 'contacts.name as contact_name', 'stage.name as stage_name', 'stage.pipeline', 'pipelines.name as pipeline_name', 'owner.name as owner_name'])
}

/** The list's filters on any query over `opportunities` (also used by exports). */
export function applyOpportunityFilters<T>(qb: T, input: Omit<z.output<typeof opportunityListInput>, 'page' | 'pageSize' | 'order' | 'sort'>): T {
  let r = qb as unknown as SelectQueryBuilder<Database, 'opportunities', object>
  if (input.q) r = r.where(matchesText('opportunities.search_text', input.q))
  if (input.stageId !== undefined) r = r.where('opportunities.stage_id', '=', input.stageId)
  if (input.pipeline) r = r.where('opportunities.stage_id', 'in', (eb) => eb.selectFrom('pipeline_stages').select('pipeline_stages.id').where('pipeline_stages.pipeline', '=', input.pipeline!))
  if (input.status) r = r.where('opportunities.status', '=', input.status)
  if (input.ownerId !== undefined) r = r.where('opportunities.owner_id', '=', input.ownerId)
  if (input.accountId !== undefined) r = r.where('opportunities.account_id', '=', input.accountId)
  if (input.closeFrom) r = r.where('opportunities.expected_close_date', '>=', input.closeFrom)
  if (input.closeTo) r = r.where('opportunities.expected_close_date', '<=', input.closeTo)
  if (input.grade) r = r.where('opportunities.grade', '=', input.grade)
  return r as unknown as T
}

export async function listOpportunities(db: Db, _ctx: Ctx, input: z.output<typeof opportunityListInput>): Promise<Page<Opportunity>> {
  let q = selectOpps(db)
  let c = db.selectFrom('opportunities')
  const where = <T extends typeof q | typeof c>(qb: T): T => applyOpportunityFilters(qb, input)
  q = where(q).orderBy(`opportunities.${input.sort}`, input.order).orderBy('opportunities.id', input.order)
  c = where(c)
  const page = await fetchPage(q, c, input.page, input.pageSize)
  return { ...page, rows: page.rows.map(toOpportunity) }
}

export async function getOpportunity(db: DbOrTrx, _ctx: Ctx, input: { id: number }): Promise<Opportunity> {
  const row = await selectOpps(db).where('opportunities.id', '=', input.id).executeTakeFirst()
  if (!row) throw notFound('opportunity', input.id)
  return toOpportunity(row)
}

async function checkLinks(trx: Trx, input: { accountId?: number; contactId?: number | null; ownerId?: number | null }, accountId: number) {
  if (!(await trx.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst())) throw notFound('account', accountId)
  if (input.contactId != null) {
    const contact = await trx.selectFrom('contacts').select(['id', 'account_id']).where('id', '=', input.contactId).executeTakeFirst()
    if (!contact) throw notFound('contact', input.contactId)
    if (contact.account_id !== accountId) throw new AppError('INVALID_STATE', { reasonKey: 'reason.contactOtherAccount' })
  }
  if (input.ownerId != null && !(await trx.selectFrom('users').select('id').where('id', '=', input.ownerId).executeTakeFirst())) {
    throw notFound('user', input.ownerId)
  }
}

/** Status, close time and probability implied by entering a stage. A pinned probability is kept. */
function stageEffects(stage: StageRow, current: { probability: number; probability_manual: number }, now: string, lostReason: string | null) {
  return {
    stage_id: stage.id,
    status: stage.kind,
    closed_at: stage.kind === 'open' ? null : now,
    // A hand-set probability survives moves between open stages; a closed deal is simply
    // 100% or 0%, and closing ends the pin (a reopened deal starts from its stage's default).
    probability: current.probability_manual === 1 && stage.kind === 'open' ? current.probability : stage.probability,
    probability_manual: stage.kind === 'open' ? current.probability_manual : 0,
    stage_changed_at: now,
    lost_reason: stage.kind === 'lost' ? lostReason : null,
  }
}

type RequirableRow = Pick<OpportunityRow, 'lost_reason' | 'amount_fen' | 'expected_close_date' | 'contact_id'>

/** The fields a stage requires on entry (configured in Settings) must be filled after the move. */
export function checkStageRequirements(stage: StageRow, deal: RequirableRow): void {
  const required = JSON.parse(stage.required_fields) as RequirableField[]
  const missing = required.filter((field) => {
    switch (field) {
      case 'lostReason':
        return !deal.lost_reason
      case 'amountFen':
        return !(deal.amount_fen > 0)
      case 'expectedCloseDate':
        return !deal.expected_close_date
      case 'contactId':
        return deal.contact_id == null
      default:
        return false
    }
  })
  if (missing.length > 0) {
    throw new AppError('STAGE_REQUIRES', { stage: stage.name, fieldsKey: missing.map((f) => `field.${f}`) }, { fields: missing.map((f) => ({ path: f, message: '' })) })
  }
}

export const oppSearchText = (title: string, accountName: string | null) => searchText(title, accountName)

export async function createOpportunity(db: DbOrTrx, ctx: Ctx, input: z.output<typeof opportunityCreateInput>): Promise<Opportunity> {
  return inTransaction(db, async (trx) => {
    await checkLinks(trx, input, input.accountId)
    const stage = input.stageId ? await getStageRow(trx, input.stageId) : await firstOpenStage(trx)
    const now = ctx.now().toISOString()
    const manual = input.probability != null
    const effects = stageEffects(stage, { probability: input.probability ?? stage.probability, probability_manual: manual ? 1 : 0 }, now, input.lostReason ?? null)
    checkStageRequirements(stage, { ...effects, amount_fen: input.amountFen, expected_close_date: input.expectedCloseDate ?? null, contact_id: input.contactId ?? null })
    const account = await trx.selectFrom('accounts').select('name').where('id', '=', input.accountId).executeTakeFirstOrThrow()
    const row = await trx
      .insertInto('opportunities')
      .values({
        title: input.title,
        account_id: input.accountId,
        contact_id: input.contactId ?? null,
        amount_fen: input.amountFen,
        expected_close_date: input.expectedCloseDate ?? null,
        ...effects,
        owner_id: input.ownerId ?? ctx.userId,
        source: input.source ?? null,
        notes: input.notes ?? null,
        search_text: oppSearchText(input.title, account.name),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('stage_history')
      .values({ opportunity_id: row.id, from_stage_id: null, to_stage_id: stage.id, changed_by: ctx.userId, changed_at: now })
      .execute()
    await audit(trx, ctx, { action: 'create', entity: 'opportunity', entityId: row.id, changes: input })
    await refreshLearnedProbability(trx, ctx, 'opportunity', row.id)
    return getOpportunity(trx, ctx, { id: row.id })
  })
}

/** Load for update and enforce the optimistic lock: a stale version gets CONFLICT with the newer record. */
async function loadForUpdate(trx: Trx, ctx: Ctx, id: number, version: number): Promise<OpportunityRow> {
  const before = await trx.selectFrom('opportunities').selectAll().where('id', '=', id).executeTakeFirst()
  if (!before) throw notFound('opportunity', id)
  if (before.version !== version) {
    throw new AppError('CONFLICT', { version: before.version }, { current: await getOpportunity(trx, ctx, { id }) })
  }
  return before
}

async function saveOpportunity(trx: Trx, ctx: Ctx, before: OpportunityRow, patch: Partial<OpportunityRow>): Promise<Opportunity> {
  const now = ctx.now().toISOString()
  const after = await trx
    .updateTable('opportunities')
    .set({ ...patch, version: before.version + 1, updated_at: now })
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .returningAll()
    .executeTakeFirstOrThrow()
  if (patch.stage_id !== undefined && patch.stage_id !== before.stage_id) {
    await trx
      .insertInto('stage_history')
      .values({ opportunity_id: before.id, from_stage_id: before.stage_id, to_stage_id: patch.stage_id, changed_by: ctx.userId, changed_at: now })
      .execute()
  }
  await audit(trx, ctx, { action: 'update', entity: 'opportunity', entityId: before.id, changes: diff(before, after) })
  // Stage, amount or owner may have changed: re-predict (one query when no learned model is in use).
  await refreshLearnedProbability(trx, ctx, 'opportunity', before.id)
  return getOpportunity(trx, ctx, { id: before.id })
}

export async function updateOpportunity(db: DbOrTrx, ctx: Ctx, input: z.output<typeof opportunityUpdateInput>): Promise<Opportunity> {
  return inTransaction(db, async (trx) => {
    const before = await loadForUpdate(trx, ctx, input.id, input.version)
    const accountId = input.accountId ?? before.account_id
    await checkLinks(trx, input, accountId)
    // Moving the deal to another customer: the old customer's contact no longer fits.
    const contactFollows = input.contactId === undefined && input.accountId !== undefined && input.accountId !== before.account_id
    const patch: Partial<OpportunityRow> = {
      ...(input.title !== undefined && { title: input.title }),
      ...(input.accountId !== undefined && { account_id: input.accountId }),
      ...(input.contactId !== undefined && { contact_id: input.contactId ?? null }),
      ...(contactFollows && { contact_id: null }),
      ...(input.amountFen !== undefined && { amount_fen: input.amountFen }),
      ...(input.expectedCloseDate !== undefined && { expected_close_date: input.expectedCloseDate ?? null }),
      ...(input.ownerId !== undefined && { owner_id: input.ownerId ?? null }),
      ...(input.source !== undefined && { source: input.source }),
      ...(input.notes !== undefined && { notes: input.notes }),
    }
    if (input.lostReason !== undefined && before.status === 'lost') patch.lost_reason = input.lostReason
    if (input.probability !== undefined) {
      patch.probability_manual = input.probability === null ? 0 : 1
      if (input.probability !== null) patch.probability = input.probability
    }
    if (input.stageId !== undefined && input.stageId !== before.stage_id) {
      const stage = await getStageRow(trx, input.stageId)
      const current = { probability: patch.probability ?? before.probability, probability_manual: patch.probability_manual ?? before.probability_manual }
      Object.assign(patch, stageEffects(stage, current, ctx.now().toISOString(), input.lostReason ?? before.lost_reason))
      checkStageRequirements(stage, { ...before, ...patch })
    } else if (input.probability === null) {
      patch.probability = (await getStageRow(trx, before.stage_id)).probability
    }
    const title = patch.title ?? before.title
    const account = await trx.selectFrom('accounts').select('name').where('id', '=', accountId).executeTakeFirstOrThrow()
    patch.search_text = oppSearchText(title, account.name)
    return saveOpportunity(trx, ctx, before, patch)
  })
}

/** Board move: change stage only (plus the fields the target stage requires). */
export async function moveOpportunity(db: DbOrTrx, ctx: Ctx, input: z.output<typeof opportunityMoveInput>): Promise<Opportunity> {
  return inTransaction(db, async (trx) => {
    const before = await loadForUpdate(trx, ctx, input.id, input.version)
    const stage = await getStageRow(trx, input.stageId)
    const patch: Partial<OpportunityRow> = stageEffects(stage, before, ctx.now().toISOString(), input.lostReason ?? null)
    // The move dialog asks for what the target stage requires; it arrives with the move.
    if (input.amountFen !== undefined) patch.amount_fen = input.amountFen
    if (input.expectedCloseDate !== undefined) patch.expected_close_date = input.expectedCloseDate
    if (input.contactId !== undefined) patch.contact_id = input.contactId
    checkStageRequirements(stage, { ...before, ...patch })
    if (patch.contact_id != null) await checkLinks(trx, { contactId: patch.contact_id }, before.account_id)
    return saveOpportunity(trx, ctx, before, patch)
  })
}

export async function deleteOpportunity(db: DbOrTrx, ctx: Ctx, input: { id: number }): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('opportunities').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('opportunity', input.id)
    await trx.updateTable('leads').set({ converted_opportunity_id: null }).where('converted_opportunity_id', '=', input.id).execute()
    await trx.deleteFrom('opportunities').where('id', '=', input.id).execute()
    await audit(trx, ctx, { action: 'delete', entity: 'opportunity', entityId: input.id, changes: before })
    return { id: input.id }
  })
}
