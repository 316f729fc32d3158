import { z } from 'zod'
import type { SelectQueryBuilder } from 'kysely'
import type { Database, Db, DbOrTrx } from '../db/database'
import type { ContactRow } from '../db/tables/contacts.table'
import { notFound } from '../shared/errors'
import type { Contact } from '../shared/domain'
import { searchText } from '../shared/text'
import type { Ctx } from './context'
import { matchesText } from './search'
import { email, id, mobile, optionalDate, optionalText, patchShape, requiredText } from './fields'
import { fetchPage, pagingInput, type Page } from './paging'
import { audit, diff, inTransaction } from './write'

export function toContact(row: ContactRow & { account_name: string | null; owner_id: number | null; owner_name: string | null }): Contact {
  return {
    id: row.id,
    accountId: row.account_id,
    accountName: row.account_name,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    name: row.name,
    title: row.title,
    mobile: row.mobile,
    phone: row.phone,
    email: row.email,
    wechat: row.wechat,
    birthday: row.birthday,
    isPrimary: row.is_primary === 1,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

const contactFields = {
  accountId: id,
  name: requiredText(50),
  title: optionalText(50),
  mobile,
  phone: optionalText(30),
  email,
  wechat: optionalText(50),
  birthday: optionalDate,
  isPrimary: z.boolean().default(false),
  notes: optionalText(2000),
}
export const contactCreateInput = z.object(contactFields)
export const contactUpdateInput = z.object({ ...patchShape(contactFields), id })
export const contactListInput = z.object({
  q: z.string().max(100).optional(),
  accountId: id.optional(),
  /** Contacts of the accounts this user owns (a contact has no owner of its own). */
  ownerId: id.optional(),
  /** Exactly these contacts (export of a selection). */
  ids: z.array(id).min(1).max(5000).optional(),
  sort: z.enum(['name', 'created_at', 'updated_at']).default('updated_at'),
  ...pagingInput,
})

function columnsFrom(input: Partial<z.output<typeof contactCreateInput>>) {
  return {
    ...(input.accountId !== undefined && { account_id: input.accountId }),
    ...(input.name !== undefined && { name: input.name }),
    ...(input.title !== undefined && { title: input.title }),
    ...(input.mobile !== undefined && { mobile: input.mobile }),
    ...(input.phone !== undefined && { phone: input.phone }),
    ...(input.email !== undefined && { email: input.email }),
    ...(input.wechat !== undefined && { wechat: input.wechat }),
    ...(input.birthday !== undefined && { birthday: input.birthday ?? null }),
    ...(input.isPrimary !== undefined && { is_primary: input.isPrimary ? 1 : 0 }),
    ...(input.notes !== undefined && { notes: input.notes }),
  }
}

export const contactSearchText = (r: Pick<ContactRow, 'name' | 'title' | 'mobile' | 'phone' | 'email' | 'wechat'>) =>
  searchText(r.name, r.title, r.mobile, r.phone, r.email, r.wechat)

/** One primary contact per account: marking one clears the others. */
async function clearOtherPrimaries(trx: DbOrTrx, accountId: number, keepId: number): Promise<void> {
  await trx.updateTable('contacts').set({ is_primary: 0 }).where('account_id', '=', accountId).where('id', '!=', keepId).where('is_primary', '=', 1).execute()
}

function selectContacts(db: DbOrTrx) {
  return db
    .selectFrom('contacts')
    .innerJoin('accounts', 'accounts.id', 'contacts.account_id')
    .leftJoin('users as owner', 'owner.id', 'accounts.owner_id')
    .selectAll('contacts')
    .select(['accounts.name as account_name', 'accounts.owner_id as owner_id', 'owner.name as owner_name'])
}

async function ensureAccount(db: DbOrTrx, accountId: number | undefined): Promise<void> {
  if (accountId === undefined) return
  const a = await db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst()
  if (!a) throw notFound('account', accountId)
}

/** The list's filters on any query over `contacts` (also used by exports). */
export function applyContactFilters<T>(qb: T, input: { q?: string; accountId?: number; ownerId?: number; ids?: number[] }): T {
  let r = qb as unknown as SelectQueryBuilder<Database, 'contacts', object>
  if (input.q) r = r.where(matchesText('contacts.search_text', input.q))
  if (input.accountId !== undefined) r = r.where('contacts.account_id', '=', input.accountId)
  // A subquery, not a join: the count and export queries read `contacts` alone.
  if (input.ownerId !== undefined) {
    const ownerId = input.ownerId
    r = r.where('contacts.account_id', 'in', (eb) => eb.selectFrom('accounts').select('accounts.id').where('accounts.owner_id', '=', ownerId))
  }
  if (input.ids) r = r.where('contacts.id', 'in', input.ids)
  return r as unknown as T
}

/**
 * The list's order (also used by exports): within one account the primary
 * contact first, then the chosen sort; the id keeps pages stable.
 */
export function orderContacts<T>(qb: T, input: { accountId?: number; sort: 'name' | 'created_at' | 'updated_at'; order: 'asc' | 'desc' }): T {
  let r = qb as unknown as SelectQueryBuilder<Database, 'contacts', object>
  if (input.accountId !== undefined) r = r.orderBy('contacts.is_primary', 'desc')
  return r.orderBy(`contacts.${input.sort}`, input.order).orderBy('contacts.id', input.order) as unknown as T
}

export async function listContacts(db: Db, _ctx: Ctx, input: z.output<typeof contactListInput>): Promise<Page<Contact>> {
  let q = selectContacts(db)
  let c = db.selectFrom('contacts')
  q = applyContactFilters(q, input)
  c = applyContactFilters(c, input)
  q = orderContacts(q, input)
  const page = await fetchPage(q, c, input.page, input.pageSize)
  return { ...page, rows: page.rows.map(toContact) }
}

export async function getContact(db: DbOrTrx, _ctx: Ctx, input: { id: number }): Promise<Contact> {
  const row = await selectContacts(db).where('contacts.id', '=', input.id).executeTakeFirst()
  if (!row) throw notFound('contact', input.id)
  return toContact(row)
}

export async function createContact(db: DbOrTrx, ctx: Ctx, input: z.output<typeof contactCreateInput>): Promise<Contact> {
  return inTransaction(db, async (trx) => {
    await ensureAccount(trx, input.accountId)
    const now = ctx.now().toISOString()
    const cols = { ...columnsFrom(input), account_id: input.accountId, name: input.name }
    const row = await trx
      .insertInto('contacts')
      .values({ ...cols, search_text: contactSearchText({ title: null, mobile: null, phone: null, email: null, wechat: null, ...cols }), created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (input.isPrimary) await clearOtherPrimaries(trx, input.accountId, row.id)
    await audit(trx, ctx, { action: 'create', entity: 'contact', entityId: row.id, changes: input })
    return getContact(trx, ctx, { id: row.id })
  })
}

export async function updateContact(db: DbOrTrx, ctx: Ctx, input: z.output<typeof contactUpdateInput>): Promise<Contact> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('contacts').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('contact', input.id)
    await ensureAccount(trx, input.accountId)
    const cols = columnsFrom(input)
    const after = await trx
      .updateTable('contacts')
      .set({ ...cols, search_text: contactSearchText({ ...before, ...cols }), updated_at: ctx.now().toISOString() })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    if (after.is_primary === 1) await clearOtherPrimaries(trx, after.account_id, after.id)
    await audit(trx, ctx, { action: 'update', entity: 'contact', entityId: input.id, changes: diff(before, after) })
    return getContact(trx, ctx, { id: input.id })
  })
}

export async function deleteContact(db: DbOrTrx, ctx: Ctx, input: { id: number }): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('contacts').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('contact', input.id)
    await trx.deleteFrom('contacts').where('id', '=', input.id).execute()
    await audit(trx, ctx, { action: 'delete', entity: 'contact', entityId: input.id, changes: before })
    return { id: input.id }
  })
}
