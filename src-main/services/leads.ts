import { z } from 'zod'
import type { SelectQueryBuilder } from 'kysely'
import type { Database, Db, DbOrTrx } from '../db/database'
import type { LeadRow } from '../db/tables/leads.table'
import { notFound } from '../shared/errors'
import type { Lead } from '../shared/domain'
import { companyKey } from '../shared/keys'
import { searchText } from '../shared/text'
import type { Ctx } from './context'
import { jsonArrayHas, matchesText } from './search'
import { applySegment, segmentCriteria } from './segments'
import { email, id, mobile, optionalId, optionalText, patchShape, tags } from './fields'
import { fetchPage, pagingInput, type Page } from './paging'
import { refreshLearnedProbability } from './win-model'
import { audit, diff, inTransaction } from './write'

export function toLead(row: LeadRow & { owner_name: string | null }): Lead {
  return {
    id: row.id,
    company: row.company,
    contactName: row.contact_name,
    title: row.title,
    mobile: row.mobile,
    phone: row.phone,
    email: row.email,
    wechat: row.wechat,
    province: row.province,
    city: row.city,
    industry: row.industry,
    source: row.source,
    status: row.status,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    score: row.score,
    grade: row.grade,
    scoredAt: row.scored_at,
    learnedProbability: row.learned_probability,
    notes: row.notes,
    tags: JSON.parse(row.tags) as string[],
    importBatchId: row.import_batch_id,
    convertedAccountId: row.converted_account_id,
    convertedOpportunityId: row.converted_opportunity_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

const leadStatus = z.enum(['new', 'contacted', 'qualified', 'invalid'])
const leadFields = {
  company: optionalText(100),
  contactName: optionalText(50),
  title: optionalText(50),
  mobile,
  phone: optionalText(30),
  email,
  wechat: optionalText(50),
  province: optionalText(30),
  city: optionalText(30),
  industry: optionalText(50),
  source: optionalText(30),
  status: leadStatus.default('new'),
  ownerId: optionalId,
  score: z.number().int().min(0).max(100).nullish(),
  notes: optionalText(2000),
  tags: tags.default([]),
}
// A lead must say who it is: a company or a person, and some way to reach them is encouraged but optional.
export const leadCreateInput = z.object(leadFields).refine((l) => Boolean(l.company || l.contactName), {
  message: 'v.leadIdentity',
  path: ['company'],
})
export const leadUpdateInput = z.object({ ...patchShape(leadFields), id })
export const leadListInput = z.object({
  q: z.string().max(100).optional(),
  status: leadStatus.optional(),
  source: z.string().max(30).optional(),
  ownerId: id.optional(),
  unassigned: z.boolean().optional(),
  province: z.string().max(30).optional(),
  industry: z.string().max(50).optional(),
  tag: z.string().max(30).optional(),
  importBatchId: id.optional(),
  /** Segment / persona criteria (services/segments.ts). */
  segment: segmentCriteria.optional(),
  /** Scorecard grade (评分等级). */
  grade: z.enum(['A', 'B', 'C', 'D']).optional(),
  sort: z.enum(['created_at', 'updated_at', 'company', 'score']).default('created_at'),
  ...pagingInput,
})
export type LeadFilters = Omit<z.output<typeof leadListInput>, 'page' | 'pageSize' | 'order' | 'sort'>

/** The list's filters on any query over `leads` (also used by exports). */
export function applyLeadFilters<T>(qb: T, input: LeadFilters): T {
  let r = qb as unknown as SelectQueryBuilder<Database, 'leads', object>
  if (input.q) r = r.where(matchesText('leads.search_text', input.q))
  if (input.status) r = r.where('leads.status', '=', input.status)
  if (input.source) r = r.where('leads.source', '=', input.source)
  if (input.ownerId !== undefined) r = r.where('leads.owner_id', '=', input.ownerId)
  if (input.unassigned) r = r.where('leads.owner_id', 'is', null)
  if (input.province) r = r.where('leads.province', '=', input.province)
  if (input.industry) r = r.where('leads.industry', '=', input.industry)
  if (input.tag) r = r.where(jsonArrayHas('leads.tags', input.tag))
  if (input.importBatchId !== undefined) r = r.where('leads.import_batch_id', '=', input.importBatchId)
  if (input.grade) r = r.where('leads.grade', '=', input.grade)
  return applySegment(r, 'leads', input.segment) as unknown as T
}

function columnsFrom(input: Partial<z.output<typeof leadCreateInput>>) {
  return {
    ...(input.company !== undefined && { company: input.company }),
    ...(input.contactName !== undefined && { contact_name: input.contactName }),
    ...(input.title !== undefined && { title: input.title }),
    ...(input.mobile !== undefined && { mobile: input.mobile }),
    ...(input.phone !== undefined && { phone: input.phone }),
    ...(input.email !== undefined && { email: input.email }),
    ...(input.wechat !== undefined && { wechat: input.wechat }),
    ...(input.province !== undefined && { province: input.province }),
    ...(input.city !== undefined && { city: input.city }),
    ...(input.industry !== undefined && { industry: input.industry }),
    ...(input.source !== undefined && { source: input.source }),
    ...(input.status !== undefined && { status: input.status }),
    ...(input.ownerId !== undefined && { owner_id: input.ownerId ?? null }),
    ...(input.score !== undefined && { score: input.score ?? null }),
    ...(input.notes !== undefined && { notes: input.notes }),
    ...(input.tags !== undefined && { tags: JSON.stringify(input.tags) }),
  }
}

export const leadSearchText = (r: Partial<LeadRow>) =>
  searchText(r.company, r.contact_name, r.title, r.mobile, r.phone, r.email, r.wechat, r.province, r.city, r.industry, r.source)

function selectLeads(db: DbOrTrx) {
  return db.selectFrom('leads').leftJoin('users as owner', 'owner.id', 'leads.owner_id').selectAll('leads').select('owner.name as owner_name')
}

export async function listLeads(db: Db, _ctx: Ctx, input: z.output<typeof leadListInput>): Promise<Page<Lead>> {
  let q = selectLeads(db)
  let c = db.selectFrom('leads')
  const where = <T extends typeof q | typeof c>(qb: T): T => applyLeadFilters(qb, input)
  q = where(q).orderBy(`leads.${input.sort}`, input.order).orderBy('leads.id', input.order)
  c = where(c)
  const page = await fetchPage(q, c, input.page, input.pageSize)
  return { ...page, rows: page.rows.map(toLead) }
}

export async function getLead(db: DbOrTrx, _ctx: Ctx, input: { id: number }): Promise<Lead> {
  const row = await selectLeads(db).where('leads.id', '=', input.id).executeTakeFirst()
  if (!row) throw notFound('lead', input.id)
  return toLead(row)
}

async function ensureOwner(db: DbOrTrx, ownerId: number | null | undefined): Promise<void> {
  if (ownerId == null) return
  if (!(await db.selectFrom('users').select('id').where('id', '=', ownerId).executeTakeFirst())) throw notFound('user', ownerId)
}

export async function createLead(db: DbOrTrx, ctx: Ctx, input: z.output<typeof leadCreateInput>): Promise<Lead> {
  return inTransaction(db, async (trx) => {
    await ensureOwner(trx, input.ownerId)
    const now = ctx.now().toISOString()
    const cols = { ...columnsFrom(input), status: input.status }
    const row = await trx
      .insertInto('leads')
      .values({ ...cols, search_text: leadSearchText(cols as Partial<LeadRow>), company_key: companyKey(cols.company), created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    await audit(trx, ctx, { action: 'create', entity: 'lead', entityId: row.id, changes: input })
    await refreshLearnedProbability(trx, ctx, 'lead', row.id)
    return getLead(trx, ctx, { id: row.id })
  })
}

export async function updateLead(db: DbOrTrx, ctx: Ctx, input: z.output<typeof leadUpdateInput>): Promise<Lead> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('leads').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('lead', input.id)
    await ensureOwner(trx, input.ownerId)
    const cols = columnsFrom(input)
    const after = await trx
      .updateTable('leads')
      .set({
        ...cols,
        search_text: leadSearchText({ ...before, ...cols } as Partial<LeadRow>),
        company_key: companyKey(cols.company !== undefined ? cols.company : before.company),
        updated_at: ctx.now().toISOString(),
      })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit(trx, ctx, { action: 'update', entity: 'lead', entityId: input.id, changes: diff(before, after) })
    // Source, industry or contact data may have changed: re-predict (one query when no learned model is in use).
    await refreshLearnedProbability(trx, ctx, 'lead', input.id)
    return getLead(trx, ctx, { id: input.id })
  })
}

export async function deleteLead(db: DbOrTrx, ctx: Ctx, input: { id: number }): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('leads').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('lead', input.id)
    await trx.deleteFrom('leads').where('id', '=', input.id).execute()
    await audit(trx, ctx, { action: 'delete', entity: 'lead', entityId: input.id, changes: before })
    return { id: input.id }
  })
}
