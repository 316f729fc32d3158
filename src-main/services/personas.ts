// Personas (客户画像): a named set of segmentation criteria with a description.
// Each shows how many accounts and leads match; opening one is accounts:list /
// leads:list with `segment: persona.criteria`.
import { z } from 'zod'
import type { DbOrTrx } from '../db/database'
import type { PersonaRow } from '../db/tables/import.table'
import { AppError, notFound } from '../shared/errors'
import type { Ctx } from './context'
import { id } from './fields'
import { accountOnlyCriteria, applySegment, segmentCriteria, type SegmentCriteria } from './segments'
import { audit, inTransaction } from './write'

export interface Persona {
  id: number
  name: string
  description: string | null
  criteria: SegmentCriteria
  accounts: number
  /** null when the criteria name things leads do not have (size, revenue, lifecycle). */
  leads: number | null
  updatedAt: string
}

export async function countSegment(db: DbOrTrx, criteria: SegmentCriteria): Promise<{ accounts: number; leads: number | null }> {
  const a = await applySegment(db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')), 'accounts', criteria).executeTakeFirstOrThrow()
  if (accountOnlyCriteria(criteria)) return { accounts: Number(a.n), leads: null }
  const l = await applySegment(db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')), 'leads', criteria).executeTakeFirstOrThrow()
  return { accounts: Number(a.n), leads: Number(l.n) }
}

async function toPersona(db: DbOrTrx, r: PersonaRow): Promise<Persona> {
  const criteria = segmentCriteria.parse(JSON.parse(r.criteria))
  return { id: r.id, name: r.name, description: r.description, criteria, ...(await countSegment(db, criteria)), updatedAt: r.updated_at }
}

export const personaSaveInput = z.object({
  id: id.optional(),
  name: z.string().trim().min(1).max(50),
  description: z.string().trim().max(1000).nullish(),
  criteria: segmentCriteria,
})
export const segmentCountInput = z.object({ criteria: segmentCriteria })

export async function listPersonas(db: DbOrTrx): Promise<Persona[]> {
  const rows = await db.selectFrom('personas').selectAll().orderBy('name').execute()
  return Promise.all(rows.map((r) => toPersona(db, r)))
}

export async function getPersona(db: DbOrTrx, _ctx: Ctx, input: { id: number }): Promise<Persona> {
  const row = await db.selectFrom('personas').selectAll().where('id', '=', input.id).executeTakeFirst()
  if (!row) throw notFound('persona', input.id)
  return toPersona(db, row)
}

export async function savePersona(db: DbOrTrx, ctx: Ctx, input: z.output<typeof personaSaveInput>): Promise<Persona> {
  return inTransaction(db, async (trx) => {
    const clash = await trx.selectFrom('personas').select('id').where('name', '=', input.name).executeTakeFirst()
    if (clash && clash.id !== input.id) throw new AppError('DUPLICATE', { fieldKey: 'field.name', value: input.name })
    const now = ctx.now().toISOString()
    const values = { name: input.name, description: input.description ?? null, criteria: JSON.stringify(input.criteria), updated_at: now }
    let row: PersonaRow
    if (input.id) {
      const r = await trx.updateTable('personas').set(values).where('id', '=', input.id).returningAll().executeTakeFirst()
      if (!r) throw notFound('persona', input.id)
      row = r
    } else {
      row = await trx.insertInto('personas').values({ ...values, created_by: ctx.userId, created_at: now }).returningAll().executeTakeFirstOrThrow()
    }
    await audit(trx, ctx, { action: input.id ? 'update' : 'create', entity: 'persona', entityId: row.id, changes: input })
    return toPersona(trx, row)
  })
}

export async function deletePersona(db: DbOrTrx, ctx: Ctx, input: { id: number }): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('personas').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('persona', input.id)
    await trx.deleteFrom('personas').where('id', '=', input.id).execute()
    await audit(trx, ctx, { action: 'delete', entity: 'persona', entityId: input.id, changes: before })
    return input
  })
}

export interface Facets {
  provinces: Array<{ value: string; count: number }>
  cities: Array<{ value: string; count: number }>
  industries: Array<{ value: string; count: number }>
  sizes: Array<{ value: string; count: number }>
  lifecycles: Array<{ value: string; count: number }>
  sources: Array<{ value: string; count: number }>
  tags: Array<{ value: string; count: number }>
}

const byCount = (a: { value: string; count: number }, b: { value: string; count: number }) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)

/** The values in use (accounts and leads together), for the persona editor's pickers. */
export async function segmentFacets(db: DbOrTrx): Promise<Facets> {
  const group = async (col: 'province' | 'city' | 'industry' | 'source', withLeads = true) => {
    const counts = new Map<string, number>()
    for (const table of withLeads ? (['accounts', 'leads'] as const) : (['accounts'] as const)) {
      const rows = await db
        .selectFrom(table)
        .select([col, (eb) => eb.fn.countAll<number>().as('n')])
        .where(col, 'is not', null)
        .groupBy(col)
        .execute()
      for (const r of rows as Array<Record<string, unknown>>) counts.set(String(r[col]), (counts.get(String(r[col])) ?? 0) + Number(r.n))
    }
    return [...counts].map(([value, count]) => ({ value, count })).sort(byCount).slice(0, 300)
  }
  const simple = async (col: 'size' | 'lifecycle') =>
    (await db.selectFrom('accounts').select([col, (eb) => eb.fn.countAll<number>().as('n')]).where(col, 'is not', null).groupBy(col).execute()).map((r) => ({
      value: String((r as Record<string, unknown>)[col]),
      count: Number(r.n),
    }))
  const tagCounts = new Map<string, number>()
  for (const table of ['accounts', 'leads'] as const) {
    const rows = await db.selectFrom(table).select('tags').where('tags', '!=', '[]').execute()
    for (const r of rows) for (const t of JSON.parse(r.tags) as string[]) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1)
  }
  return {
    provinces: await group('province'),
    cities: await group('city'),
    industries: await group('industry'),
    sizes: await simple('size'),
    lifecycles: await simple('lifecycle'),
    sources: await group('source'),
    tags: [...tagCounts].map(([value, count]) => ({ value, count })).sort(byCount).slice(0, 300),
  }
}
