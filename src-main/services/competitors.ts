// Competitors met on a deal (赢单/输单分析), and a deal's forecast category (销售预测).
import { z } from 'zod'
import type { Db, DbOrTrx } from '../db/database'
import type { OpportunityCompetitorRow } from '../db/tables/reports.table'
import { AppError, notFound } from '../shared/errors'
import type { ForecastCategory } from '../shared/reports/types'
import type { Ctx } from './context'
import { id, optionalText, requiredText } from './fields'
import { audit, diff, inTransaction } from './write'

export interface Competitor {
  id: number
  opportunityId: number
  name: string
  /** true we beat them, false they beat us, null: follows the deal's outcome. */
  wonAgainst: boolean | null
  notes: string | null
}

const toCompetitor = (r: OpportunityCompetitorRow): Competitor => ({
  id: r.id,
  opportunityId: r.opportunity_id,
  name: r.name,
  wonAgainst: r.won_against === null ? null : r.won_against === 1,
  notes: r.notes,
})
const flag = (v: boolean | null | undefined) => (v === null || v === undefined ? null : v ? 1 : 0)

export const competitorListInput = z.object({ opportunityId: id }).strict()
export const competitorAddInput = z.object({ opportunityId: id, name: requiredText(50), wonAgainst: z.boolean().nullish(), notes: optionalText(500) }).strict()
export const competitorUpdateInput = z.object({ id, name: requiredText(50).optional(), wonAgainst: z.boolean().nullish(), notes: optionalText(500).optional() }).strict()
export const forecastCategoryInput = z.object({ id, version: z.number().int().positive(), category: z.enum(['pipeline', 'best_case', 'commit']) }).strict()

export async function listCompetitors(db: DbOrTrx, _ctx: Ctx, input: z.output<typeof competitorListInput>): Promise<Competitor[]> {
  const rows = await db.selectFrom('opportunity_competitors').selectAll().where('opportunity_id', '=', input.opportunityId).orderBy('name').execute()
  return rows.map(toCompetitor)
}

/** Names used so far, most frequent first (for autocomplete and the win/loss filter). */
export async function competitorNames(db: DbOrTrx): Promise<Array<{ name: string; deals: number }>> {
  const rows = await db
    .selectFrom('opportunity_competitors')
    .select(['name', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('name')
    .orderBy('n', 'desc')
    .orderBy('name')
    .execute()
  return rows.map((r) => ({ name: r.name, deals: Number(r.n) }))
}

async function ensureUnique(trx: DbOrTrx, opportunityId: number, name: string, except?: number): Promise<void> {
  const clash = await trx
    .selectFrom('opportunity_competitors')
    .select('id')
    .where('opportunity_id', '=', opportunityId)
    .where('name', '=', name)
    .$if(except !== undefined, (q) => q.where('id', '!=', except!))
    .executeTakeFirst()
  if (clash) throw new AppError('DUPLICATE', { fieldKey: 'field.competitor', value: name })
}

export async function addCompetitor(db: Db, ctx: Ctx, input: z.output<typeof competitorAddInput>): Promise<Competitor> {
  return inTransaction(db, async (trx) => {
    if (!(await trx.selectFrom('opportunities').select('id').where('id', '=', input.opportunityId).executeTakeFirst())) throw notFound('opportunity', input.opportunityId)
    await ensureUnique(trx, input.opportunityId, input.name)
    const now = ctx.now().toISOString()
    const row = await trx
      .insertInto('opportunity_competitors')
      .values({ opportunity_id: input.opportunityId, name: input.name, won_against: flag(input.wonAgainst), notes: input.notes ?? null, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit(trx, ctx, { action: 'create', entity: 'opportunity_competitor', entityId: row.id, changes: input })
    return toCompetitor(row)
  })
}

export async function updateCompetitor(db: Db, ctx: Ctx, input: z.output<typeof competitorUpdateInput>): Promise<Competitor> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('opportunity_competitors').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('competitor', input.id)
    if (input.name !== undefined) await ensureUnique(trx, before.opportunity_id, input.name, before.id)
    const after = await trx
      .updateTable('opportunity_competitors')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.wonAgainst !== undefined && { won_against: flag(input.wonAgainst) }),
        ...(input.notes !== undefined && { notes: input.notes }),
        updated_at: ctx.now().toISOString(),
      })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit(trx, ctx, { action: 'update', entity: 'opportunity_competitor', entityId: input.id, changes: diff(before, after) })
    return toCompetitor(after)
  })
}

export async function deleteCompetitor(db: Db, ctx: Ctx, input: { id: number }): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('opportunity_competitors').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('competitor', input.id)
    await trx.deleteFrom('opportunity_competitors').where('id', '=', input.id).execute()
    await audit(trx, ctx, { action: 'delete', entity: 'opportunity_competitor', entityId: input.id, changes: before })
    return { id: input.id }
  })
}

/** Set a deal's forecast category. It is part of the deal, so it takes and bumps the deal's version (optimistic lock). */
export async function setForecastCategory(db: Db, ctx: Ctx, input: z.output<typeof forecastCategoryInput>): Promise<{ id: number; version: number; forecastCategory: ForecastCategory }> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('opportunities').select(['id', 'version', 'forecast_category']).where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('opportunity', input.id)
    if (before.version !== input.version) throw new AppError('CONFLICT', { version: before.version })
    if (before.forecast_category === input.category) return { id: before.id, version: before.version, forecastCategory: before.forecast_category }
    const after = await trx
      .updateTable('opportunities')
      .set({ forecast_category: input.category, version: before.version + 1, updated_at: ctx.now().toISOString() })
      .where('id', '=', input.id)
      .where('version', '=', input.version)
      .returning(['id', 'version', 'forecast_category'])
      .executeTakeFirstOrThrow()
    await audit(trx, ctx, { action: 'update', entity: 'opportunity', entityId: input.id, changes: { forecast_category: [before.forecast_category, input.category] } })
    return { id: after.id, version: after.version, forecastCategory: after.forecast_category }
  })
}
