import { z } from 'zod'
import type { SelectQueryBuilder } from 'kysely'
import type { Database, Db, DbOrTrx } from '../db/database'
import type { AccountRow } from '../db/tables/accounts.table'
import { AppError, notFound } from '../shared/errors'
import type { Account } from '../shared/domain'
import { companyKey } from '../shared/keys'
import { searchText } from '../shared/text'
import type { Ctx } from './context'
import { jsonArrayHas, matchesText } from './search'
import { applySegment, segmentCriteria } from './segments'
import { fen, id, optionalId, optionalText, patchShape, requiredText, tags } from './fields'
import { fetchPage, pagingInput, type Page } from './paging'
import { oppSearchText } from './opportunities'
import { audit, diff, inTransaction } from './write'

type AccountWithOwner = AccountRow & { owner_name: string | null }

export function toAccount(row: AccountWithOwner): Account {
  return {
    id: row.id,
    name: row.name,
    industry: row.industry,
    province: row.province,
    city: row.city,
    address: row.address,
    size: row.size,
    annualRevenueFen: row.annual_revenue_fen,
    source: row.source,
    tags: JSON.parse(row.tags) as string[],
    creditLevel: row.credit_level,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    lifecycle: row.lifecycle,
    website: row.website,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

const accountFields = {
  name: requiredText(100),
  industry: optionalText(50),
  province: optionalText(30),
  city: optionalText(30),
  address: optionalText(200),
  size: optionalText(20),
  annualRevenueFen: fen.nullish(),
  source: optionalText(30),
  tags: tags.default([]),
  creditLevel: z.enum(['A', 'B', 'C', 'D']).nullish(),
  ownerId: optionalId,
  lifecycle: z.enum(['prospect', 'customer', 'loyal', 'churned']).default('prospect'),
  website: optionalText(200),
  notes: optionalText(2000),
}
export const accountCreateInput = z.object(accountFields)
export const accountUpdateInput = z.object({ ...patchShape(accountFields), id })

export const accountListInput = z.object({
  q: z.string().max(100).optional(),
  ownerId: id.optional(),
  /** Accounts in the shared pool (公海): no owner. */
  pool: z.boolean().optional(),
  industry: z.string().max(50).optional(),
  province: z.string().max(30).optional(),
  lifecycle: z.enum(['prospect', 'customer', 'loyal', 'churned']).optional(),
  tag: z.string().max(30).optional(),
  city: z.string().max(30).optional(),
  size: z.string().max(20).optional(),
  source: z.string().max(30).optional(),
  importBatchId: id.optional(),
  /** Segment / persona criteria (services/segments.ts). */
  segment: segmentCriteria.optional(),
  sort: z.enum(['name', 'created_at', 'updated_at']).default('updated_at'),
  ...pagingInput,
})
export type AccountFilters = Omit<z.output<typeof accountListInput>, 'page' | 'pageSize' | 'order' | 'sort'>

/** The list's filters on any query over `accounts` (also used by exports). */
export function applyAccountFilters<T>(qb: T, input: AccountFilters): T {
  let r = qb as unknown as SelectQueryBuilder<Database, 'accounts', object>
  if (input.q) r = r.where(matchesText('accounts.search_text', input.q))
  if (input.ownerId !== undefined) r = r.where('accounts.owner_id', '=', input.ownerId)
  if (input.pool) r = r.where('accounts.owner_id', 'is', null)
  if (input.industry) r = r.where('accounts.industry', '=', input.industry)
  if (input.province) r = r.where('accounts.province', '=', input.province)
  if (input.lifecycle) r = r.where('accounts.lifecycle', '=', input.lifecycle)
  if (input.tag) r = r.where(jsonArrayHas('accounts.tags', input.tag))
  if (input.city) r = r.where('accounts.city', '=', input.city)
  if (input.size) r = r.where('accounts.size', '=', input.size)
  if (input.source) r = r.where('accounts.source', '=', input.source)
  if (input.importBatchId !== undefined) r = r.where('accounts.import_batch_id', '=', input.importBatchId)
  return applySegment(r, 'accounts', input.segment) as unknown as T
}

function columnsFrom(input: Partial<z.output<typeof accountCreateInput>>) {
  return {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.industry !== undefined && { industry: input.industry }),
    ...(input.province !== undefined && { province: input.province }),
    ...(input.city !== undefined && { city: input.city }),
    ...(input.address !== undefined && { address: input.address }),
    ...(input.size !== undefined && { size: input.size }),
    ...(input.annualRevenueFen !== undefined && { annual_revenue_fen: input.annualRevenueFen ?? null }),
    ...(input.source !== undefined && { source: input.source }),
    ...(input.tags !== undefined && { tags: JSON.stringify(input.tags) }),
    ...(input.creditLevel !== undefined && { credit_level: input.creditLevel ?? null }),
    ...(input.ownerId !== undefined && { owner_id: input.ownerId ?? null }),
    ...(input.lifecycle !== undefined && { lifecycle: input.lifecycle }),
    ...(input.website !== undefined && { website: input.website }),
    ...(input.notes !== undefined && { notes: input.notes }),
  }
}

export function accountSearchText(r: Pick<AccountRow, 'name' | 'industry' | 'province' | 'city' | 'tags' | 'source'>): string {
  return searchText(r.name, r.industry, r.province, r.city, r.source, (JSON.parse(r.tags) as string[]).join(' '))
}

function selectAccounts(db: DbOrTrx) {
  return db
    .selectFrom('accounts')
    .leftJoin('users as owner', 'owner.id', 'accounts.owner_id')
    .selectAll('accounts')
    .select('owner.name as owner_name')
}

/** Deals are found by their customer's name too: keep that in step with a rename. */
async function refreshDealSearchText(trx: DbOrTrx, accountId: number, accountName: string): Promise<void> {
  const deals = await trx.selectFrom('opportunities').select(['id', 'title']).where('account_id', '=', accountId).execute()
  for (const d of deals) {
    await trx.updateTable('opportunities').set({ search_text: oppSearchText(d.title, accountName) }).where('id', '=', d.id).execute()
  }
}

async function ensureUser(db: DbOrTrx, userId: number | null | undefined): Promise<void> {
  if (userId == null) return
  const u = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst()
  if (!u) throw notFound('user', userId)
}

export async function listAccounts(db: Db, _ctx: Ctx, input: z.output<typeof accountListInput>): Promise<Page<Account>> {
  let q = selectAccounts(db)
  let c = db.selectFrom('accounts')
  const where = <T extends typeof q | typeof c>(qb: T): T => applyAccountFilters(qb, input)
  q = where(q).orderBy(`accounts.${input.sort}`, input.order).orderBy('accounts.id', input.order)
  c = where(c)
  const page = await fetchPage(q, c, input.page, input.pageSize)
  return { ...page, rows: page.rows.map(toAccount) }
}

export async function getAccount(db: DbOrTrx, _ctx: Ctx, input: { id: number }): Promise<Account> {
  const row = await selectAccounts(db).where('accounts.id', '=', input.id).executeTakeFirst()
  if (!row) throw notFound('account', input.id)
  return toAccount(row)
}

export async function createAccount(db: DbOrTrx, ctx: Ctx, input: z.output<typeof accountCreateInput>): Promise<Account> {
  return inTransaction(db, async (trx) => {
    await ensureUser(trx, input.ownerId)
    const now = ctx.now().toISOString()
    const cols = { ...columnsFrom(input), name: input.name, tags: JSON.stringify(input.tags), lifecycle: input.lifecycle }
    const row = await trx
      .insertInto('accounts')
      .values({
        ...cols,
        search_text: accountSearchText({ industry: null, province: null, city: null, source: null, ...cols }),
        name_key: companyKey(cols.name),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await audit(trx, ctx, { action: 'create', entity: 'account', entityId: row.id, changes: input })
    return getAccount(trx, ctx, { id: row.id })
  })
}

export async function updateAccount(db: DbOrTrx, ctx: Ctx, input: z.output<typeof accountUpdateInput>): Promise<Account> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('accounts').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('account', input.id)
    await ensureUser(trx, input.ownerId)
    const merged = { ...before, ...columnsFrom(input) }
    const after = await trx
      .updateTable('accounts')
      .set({ ...columnsFrom(input), search_text: accountSearchText(merged), name_key: companyKey(merged.name), updated_at: ctx.now().toISOString() })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    if (after.name !== before.name) await refreshDealSearchText(trx, after.id, after.name)
    await audit(trx, ctx, { action: 'update', entity: 'account', entityId: input.id, changes: diff(before, after) })
    return getAccount(trx, ctx, { id: input.id })
  })
}

export async function deleteAccount(db: DbOrTrx, ctx: Ctx, input: { id: number }): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('accounts').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('account', input.id)
    // Deals are the team's history: never lose them as a side effect of deleting a customer.
    const opps = await trx
      .selectFrom('opportunities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', input.id)
      .executeTakeFirstOrThrow()
    if (Number(opps.n) > 0) {
      throw new AppError('IN_USE', { entityKey: 'account', count: Number(opps.n), dependentKey: 'opportunities' })
    }
    await trx.deleteFrom('accounts').where('id', '=', input.id).execute()
    await audit(trx, ctx, { action: 'delete', entity: 'account', entityId: input.id, changes: before })
    return { id: input.id }
  })
}
