// The pipeline board (看板): per stage a header (count, amount, weighted amount)
// and a page of cards. Aggregates run in SQL; only the visible cards are loaded.
import { sql, type ExpressionBuilder } from 'kysely'
import { z } from 'zod'
import type { Database, Db } from '../db/database'
import type { StageRow } from '../db/tables/pipeline.table'
import { businessDate } from '../shared/dates'
import type { Stage } from '../shared/domain'
import type { Grade } from '../shared/scoring'
import type { Ctx } from './context'
import { id } from './fields'
import { jsonArrayHas, matchesText } from './search'
import { toStage } from './stages'

export const boardFilterInput = {
  pipeline: z.string().max(30).default('default'),
  q: z.string().max(100).optional(),
  ownerId: id.optional(),
  team: z.string().max(50).optional(),
  source: z.string().max(30).optional(),
  tag: z.string().max(30).optional(),
  industry: z.string().max(50).optional(),
  /** Expected close month, YYYY-MM. */
  closeMonth: z.string().regex(/^\d{4}-\d{2}$/).optional(),
  amountMinFen: z.number().int().min(0).optional(),
  amountMaxFen: z.number().int().min(0).optional(),
  /** Scorecard grade (评分等级). */
  grade: z.enum(['A', 'B', 'C', 'D']).optional(),
  /** Won/lost columns show deals closed in the last N days (the board is about now). */
  closedDays: z.number().int().min(1).max(3650).default(30),
}
/** A board saved view stores these filters (views:save with entity 'board'). */
/**
 * A saved board view (views:save with entity 'board') stores these filters:
 * the board's own, without the defaults, so the view opens on any pipeline.
 */
export const boardViewFilters = z.object({
  ...boardFilterInput,
  pipeline: z.string().max(30).optional(),
  closedDays: z.number().int().min(1).max(3650).optional(),
})
export const boardInput = z.object({ ...boardFilterInput, perColumn: z.number().int().min(1).max(200).default(20) })
export const boardColumnInput = z.object({
  ...boardFilterInput,
  stageId: id,
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(20),
})
type BoardFilters = z.output<typeof boardInput>

export interface BoardCard {
  id: number
  title: string
  accountId: number
  accountName: string
  contactId: number | null
  stageId: number
  amountFen: number
  probability: number
  /** The probability was set by hand and is kept when the stage changes. */
  probabilityManual: boolean
  ownerId: number | null
  ownerName: string | null
  expectedCloseDate: string | null
  version: number
  daysInStage: number
  /** The deal's own last touch: latest done activity or stage change. */
  lastTouchAt: string
  stale: boolean
  nextActivity: { id: number; subject: string; type: string; dueAt: string } | null
  /** A planned activity of this deal is past due. */
  overdue: boolean
  /** Expected close date has passed while the deal is open. */
  closeOverdue: boolean
  /** Latest combined scorecard score and grade (null until scored). */
  score: number | null
  grade: Grade | null
}

export interface BoardColumn {
  stage: Stage
  count: number
  amountFen: number
  weightedFen: number
  cards: BoardCard[]
  hasMore: boolean
}

export interface Board {
  pipeline: string
  columns: BoardColumn[]
  closedSince: string
}

type Eb = ExpressionBuilder<Database, 'opportunities'>

/**
 * Filters shared by the column headers and the cards. Won and lost columns
 * show deals closed since `closedSince`; deals in open stages are open by
 * construction, so their columns need no status test (which keeps the board
 * indexes covering).
 */
function applyFilters(f: BoardFilters | z.output<typeof boardColumnInput>, stage: Pick<StageRow, 'kind'> | null, closedSince: string) {
  return (eb: Eb) => {
    const parts = []
    if (stage && stage.kind !== 'open') parts.push(eb('opportunities.closed_at', '>=', closedSince))
    if (!stage) parts.push(eb.or([eb('opportunities.closed_at', 'is', null), eb('opportunities.closed_at', '>=', closedSince)]))
    if (f.q) parts.push(matchesText('opportunities.search_text', f.q) as never)
    if (f.ownerId !== undefined) parts.push(eb('opportunities.owner_id', '=', f.ownerId))
    if (f.team) parts.push(eb('opportunities.owner_id', 'in', eb.selectFrom('users').select('users.id').where('users.team', '=', f.team)))
    if (f.source) parts.push(eb('opportunities.source', '=', f.source))
    if (f.tag || f.industry) {
      let accounts = eb.selectFrom('accounts').select('accounts.id')
      if (f.tag) accounts = accounts.where(jsonArrayHas('accounts.tags', f.tag))
      if (f.industry) accounts = accounts.where('accounts.industry', '=', f.industry)
      parts.push(eb('opportunities.account_id', 'in', accounts))
    }
    if (f.closeMonth) {
      parts.push(eb('opportunities.expected_close_date', '>=', `${f.closeMonth}-01`))
      parts.push(eb('opportunities.expected_close_date', '<=', `${f.closeMonth}-31`))
    }
    if (f.amountMinFen !== undefined) parts.push(eb('opportunities.amount_fen', '>=', f.amountMinFen))
    if (f.amountMaxFen !== undefined) parts.push(eb('opportunities.amount_fen', '<=', f.amountMaxFen))
    if (f.grade) parts.push(eb('opportunities.grade', '=', f.grade))
    return eb.and(parts)
  }
}

export function isStale(stage: Pick<StageRow, 'kind' | 'stale_days'>, lastTouchAt: string, now: Date): boolean {
  if (stage.kind !== 'open' || stage.stale_days == null) return false
  return Date.parse(lastTouchAt) < now.getTime() - stage.stale_days * 86_400_000
}

/**
 * Deals closing soonest first, deals without a date last. Done as two
 * index-ordered reads (dated, then undated) rather than ORDER BY "is null",
 * which would sort the whole column and is not portable in its NULL order.
 */
async function pageOfIds(db: Db, stage: StageRow, filter: ReturnType<typeof applyFilters>, offset: number, limit: number): Promise<Array<{ id: number }>> {
  const base = () => db.selectFrom('opportunities').select('opportunities.id').where('opportunities.stage_id', '=', stage.id).where(filter)
  const dated = await base()
    .where('opportunities.expected_close_date', 'is not', null)
    .orderBy('opportunities.expected_close_date')
    .orderBy('opportunities.id')
    .limit(limit)
    .offset(offset)
    .execute()
  if (dated.length === limit) return dated
  // Offset into the undated part: how many dated rows the offset already skipped past.
  const datedTotal = dated.length > 0 || offset === 0 ? offset + dated.length : Number((await base().where('opportunities.expected_close_date', 'is not', null).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  const undated = await base()
    .where('opportunities.expected_close_date', 'is', null)
    .orderBy('opportunities.id')
    .limit(limit - dated.length)
    .offset(Math.max(0, offset - datedTotal))
    .execute()
  return [...dated, ...undated]
}

async function loadCards(db: Db, ctx: Ctx, stage: StageRow, filter: ReturnType<typeof applyFilters>, offset: number, limit: number): Promise<{ cards: BoardCard[]; hasMore: boolean }> {
  // Two steps: first the page of ids (sorting touches only the index and the
  // sort keys), then details and next task for those ids alone. In one query
  // SQLite would evaluate the next-task subquery for every deal in the column
  // before sorting.
  const pageIds = await pageOfIds(db, stage, filter, offset, limit + 1)
  const ids = pageIds.slice(0, limit).map((r) => r.id)
  if (ids.length === 0) return { cards: [], hasMore: false }
  const detailRows = await db
    .selectFrom('opportunities')
    .innerJoin('accounts', 'accounts.id', 'opportunities.account_id')
    .leftJoin('users as owner', 'owner.id', 'opportunities.owner_id')
    .select([
      'opportunities.id',
      'opportunities.title',
      'opportunities.account_id',
      'accounts.name as account_name',
      'opportunities.contact_id',
      'opportunities.stage_id',
      'opportunities.amount_fen',
      'opportunities.probability',
      'opportunities.probability_manual',
      'opportunities.owner_id',
      'owner.name as owner_name',
      'opportunities.expected_close_date',
      'opportunities.version',
      'opportunities.stage_changed_at',
      'opportunities.last_activity_at',
      'opportunities.status',
      'opportunities.score',
      'opportunities.grade',
      // The next planned task: one index seek per card (activities_opp_open_idx).
      (eb) =>
        eb
          .selectFrom('activities')
          .select('activities.id')
          .whereRef('activities.opportunity_id', '=', 'opportunities.id')
          .where('activities.done_at', 'is', null)
          .where('activities.due_at', 'is not', null)
          .orderBy('activities.due_at')
          .limit(1)
          .as('next_activity_id'),
    ])
    .where('opportunities.id', 'in', ids)
    .execute()
  const byId = new Map(detailRows.map((r) => [r.id, r]))
  const rows = ids.map((id) => byId.get(id)!)
  const page = rows
  const nextIds = page.map((r) => r.next_activity_id).filter((x): x is number => x != null)
  const next = nextIds.length
    ? await db.selectFrom('activities').select(['id', 'subject', 'type', 'due_at']).where('id', 'in', nextIds).execute()
    : []
  const nextById = new Map(next.map((a) => [a.id, a]))
  const now = ctx.now()
  const nowIso = now.toISOString()
  const today = businessDate(now)
  const cards = page.map((r): BoardCard => {
    const lastTouchAt = r.last_activity_at && r.last_activity_at > r.stage_changed_at ? r.last_activity_at : r.stage_changed_at
    const n = r.next_activity_id != null ? nextById.get(r.next_activity_id) : undefined
    return {
      id: r.id,
      title: r.title,
      accountId: r.account_id,
      accountName: r.account_name,
      contactId: r.contact_id,
      stageId: r.stage_id,
      amountFen: r.amount_fen,
      probability: r.probability,
      probabilityManual: r.probability_manual === 1,
      ownerId: r.owner_id,
      ownerName: r.owner_name,
      expectedCloseDate: r.expected_close_date,
      version: r.version,
      daysInStage: Math.max(0, Math.floor((now.getTime() - Date.parse(r.stage_changed_at)) / 86_400_000)),
      lastTouchAt,
      stale: isStale(stage, lastTouchAt, now),
      nextActivity: n ? { id: n.id, subject: n.subject, type: n.type, dueAt: n.due_at! } : null,
      overdue: Boolean(n && n.due_at! < nowIso),
      closeOverdue: r.status === 'open' && r.expected_close_date != null && r.expected_close_date < today,
      score: r.score,
      grade: r.grade,
    }
  })
  return { cards, hasMore: pageIds.length > limit }
}

async function stagesOf(db: Db, pipeline: string): Promise<StageRow[]> {
  return db.selectFrom('pipeline_stages').selectAll().where('pipeline', '=', pipeline).orderBy('sort_order').execute()
}

function closedSinceOf(ctx: Ctx, days: number): string {
  return new Date(ctx.now().getTime() - days * 86_400_000).toISOString()
}

export async function getBoard(db: Db, ctx: Ctx, input: BoardFilters): Promise<Board> {
  const stages = await stagesOf(db, input.pipeline)
  const closedSince = closedSinceOf(ctx, input.closedDays)
  const totalsOf = (ids: number[], filter: ReturnType<typeof applyFilters>) =>
    ids.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('opportunities')
          .select([
            'opportunities.stage_id',
            (eb) => eb.fn.countAll<number>().as('count'),
            (eb) => eb.fn.coalesce(eb.fn.sum<number>('opportunities.amount_fen'), sql<number>`0`).as('amount'),
            (eb) => eb.fn.coalesce(eb.fn.sum<number>(sql`opportunities.amount_fen * opportunities.probability`), sql<number>`0`).as('weighted_raw'),
          ])
          .where('opportunities.stage_id', 'in', ids)
          .where(filter)
          .groupBy('opportunities.stage_id')
          .execute()
  const openStages = stages.filter((s) => s.kind === 'open')
  const closedStages = stages.filter((s) => s.kind !== 'open')
  const totals = [
    ...(await totalsOf(openStages.map((s) => s.id), applyFilters(input, { kind: 'open' }, closedSince))),
    ...(await totalsOf(closedStages.map((s) => s.id), applyFilters(input, { kind: 'won' }, closedSince))),
  ]
  const byStage = new Map(totals.map((t) => [t.stage_id, t]))
  const columns: BoardColumn[] = []
  for (const stage of stages) {
    const t = byStage.get(stage.id)
    const count = Number(t?.count ?? 0)
    const { cards, hasMore } = count ? await loadCards(db, ctx, stage, applyFilters(input, stage, closedSince), 0, input.perColumn) : { cards: [], hasMore: false }
    columns.push({
      stage: toStage(stage),
      count,
      amountFen: Number(t?.amount ?? 0),
      // Integer arithmetic: Σ(fen × percent) / 100, rounded once.
      weightedFen: Math.round(Number(t?.weighted_raw ?? 0) / 100),
      cards,
      hasMore,
    })
  }
  return { pipeline: input.pipeline, columns, closedSince }
}

/** "Load more" for one column as the user scrolls. */
export async function getBoardColumn(db: Db, ctx: Ctx, input: z.output<typeof boardColumnInput>): Promise<{ cards: BoardCard[]; hasMore: boolean }> {
  const stage = await db.selectFrom('pipeline_stages').selectAll().where('id', '=', input.stageId).executeTakeFirst()
  if (!stage) return { cards: [], hasMore: false }
  return loadCards(db, ctx, stage, applyFilters(input, stage, closedSinceOf(ctx, input.closedDays)), input.offset, input.limit)
}

/** Open deals not touched within their stage's stale period (for 工作台 and reminders). */
export async function listStaleOpportunities(db: Db, ctx: Ctx, input: { ownerId?: number; ownerIds?: number[]; limit?: number }): Promise<BoardCard[]> {
  if (input.ownerIds && input.ownerIds.length === 0) return []
  // Every pipeline's open stages with a stale period.
  const stages = await db.selectFrom('pipeline_stages').selectAll().where('kind', '=', 'open').where('stale_days', 'is not', null).orderBy('pipeline').orderBy('sort_order').execute()
  const now = ctx.now()
  const out: BoardCard[] = []
  for (const stage of stages) {
    const cutoff = new Date(now.getTime() - stage.stale_days! * 86_400_000).toISOString()
    // last touch = the later of last activity and stage change, written portably (no max()/greatest()).
    const staleIds = await db
      .selectFrom('opportunities')
      .select('id')
      .where('stage_id', '=', stage.id)
      .where('status', '=', 'open')
      .$if(input.ownerId !== undefined, (q) => q.where('owner_id', '=', input.ownerId!))
      .$if(input.ownerIds !== undefined, (q) => q.where('owner_id', 'in', input.ownerIds!))
      .where(sql<boolean>`(case when last_activity_at > stage_changed_at then last_activity_at else stage_changed_at end) < ${cutoff}`)
      .orderBy('stage_changed_at')
      .limit(input.limit ?? 50)
      .execute()
    if (staleIds.length === 0) continue
    const ids = staleIds.map((r) => r.id)
    const { cards } = await loadCards(db, ctx, stage, (eb) => eb('opportunities.id', 'in', ids), 0, ids.length)
    out.push(...cards)
  }
  return out.slice(0, input.limit ?? 50)
}
