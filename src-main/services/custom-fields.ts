// User-defined fields (text, number, choice, date) on leads, accounts, contacts
// and opportunities. Values live in custom_values, one typed column per kind.
import { z } from 'zod'
import type { DbOrTrx } from '../db/database'
import type { CustomFieldEntity, CustomFieldRow } from '../db/tables/import.table'
import { AppError, notFound } from '../shared/errors'
import type { Ctx } from './context'
import { id, isoDate } from './fields'
import { audit, inTransaction, type Trx } from './write'

export interface CustomField {
  id: number
  entity: CustomFieldEntity
  label: string
  type: 'text' | 'number' | 'choice' | 'date'
  options: string[]
  sortOrder: number
  isActive: boolean
}

export const toCustomField = (r: CustomFieldRow): CustomField => ({
  id: r.id,
  entity: r.entity,
  label: r.label,
  type: r.type,
  options: JSON.parse(r.options) as string[],
  sortOrder: r.sort_order,
  isActive: r.is_active === 1,
})

const entity = z.enum(['lead', 'account', 'contact', 'opportunity'])
const options = z.array(z.string().trim().min(1).max(100)).max(500)
export const customFieldListInput = z.object({ entity: entity.optional(), includeInactive: z.boolean().optional() })
export const customFieldCreateInput = z.object({
  entity,
  label: z.string().trim().min(1).max(50),
  type: z.enum(['text', 'number', 'choice', 'date']),
  options: options.default([]),
})
export const customFieldUpdateInput = z.object({
  id,
  label: z.string().trim().min(1).max(50).optional(),
  options: options.optional(),
  sortOrder: z.number().int().optional(),
  isActive: z.boolean().optional(),
})

export async function listCustomFields(db: DbOrTrx, _ctx: Ctx, input: z.output<typeof customFieldListInput>): Promise<CustomField[]> {
  let q = db.selectFrom('custom_fields').selectAll().orderBy('entity').orderBy('sort_order').orderBy('id')
  if (input.entity) q = q.where('entity', '=', input.entity)
  if (!input.includeInactive) q = q.where('is_active', '=', 1)
  return (await q.execute()).map(toCustomField)
}

async function labelFree(trx: DbOrTrx, e: CustomFieldEntity, label: string, exceptId?: number): Promise<void> {
  let q = trx.selectFrom('custom_fields').select('id').where('entity', '=', e).where('label', '=', label)
  if (exceptId) q = q.where('id', '!=', exceptId)
  if (await q.executeTakeFirst()) throw new AppError('DUPLICATE', { fieldKey: 'field.name', value: label })
}

export async function createCustomField(db: DbOrTrx, ctx: Ctx, input: z.output<typeof customFieldCreateInput>): Promise<CustomField> {
  return inTransaction(db, async (trx) => {
    await labelFree(trx, input.entity, input.label)
    const now = ctx.now().toISOString()
    const max = await trx.selectFrom('custom_fields').select((eb) => eb.fn.max('sort_order').as('m')).where('entity', '=', input.entity).executeTakeFirst()
    const row = await trx
      .insertInto('custom_fields')
      .values({ entity: input.entity, label: input.label, type: input.type, options: JSON.stringify(input.options), sort_order: Number(max?.m ?? 0) + 10, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit(trx, ctx, { action: 'create', entity: 'custom_field', entityId: row.id, changes: input })
    return toCustomField(row)
  })
}

export async function updateCustomField(db: DbOrTrx, ctx: Ctx, input: z.output<typeof customFieldUpdateInput>): Promise<CustomField> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('custom_fields').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('customField', input.id)
    if (input.label) await labelFree(trx, before.entity, input.label, before.id)
    const after = await trx
      .updateTable('custom_fields')
      .set({
        ...(input.label !== undefined && { label: input.label }),
        ...(input.options !== undefined && { options: JSON.stringify(input.options) }),
        ...(input.sortOrder !== undefined && { sort_order: input.sortOrder }),
        ...(input.isActive !== undefined && { is_active: input.isActive ? 1 : 0 }),
        updated_at: ctx.now().toISOString(),
      })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit(trx, ctx, { action: 'update', entity: 'custom_field', entityId: input.id, changes: input })
    return toCustomField(after)
  })
}

/** Deleting a field deletes its values (FK cascade); deactivate it instead to keep them. */
export async function deleteCustomField(db: DbOrTrx, ctx: Ctx, input: { id: number }): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('custom_fields').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('customField', input.id)
    await trx.deleteFrom('custom_values').where('field_id', '=', input.id).execute()
    await trx.deleteFrom('custom_fields').where('id', '=', input.id).execute()
    await audit(trx, ctx, { action: 'delete', entity: 'custom_field', entityId: input.id, changes: before })
    return input
  })
}

export const customValuesGetInput = z.object({ entity, entityId: id })
export interface CustomValue {
  fieldId: number
  label: string
  type: CustomField['type']
  value: string | number | null
}

export async function getCustomValues(db: DbOrTrx, _ctx: Ctx, input: z.output<typeof customValuesGetInput>): Promise<CustomValue[]> {
  const rows = await db
    .selectFrom('custom_fields')
    .leftJoin('custom_values', (j) => j.onRef('custom_values.field_id', '=', 'custom_fields.id').on('custom_values.entity_id', '=', input.entityId))
    .select(['custom_fields.id', 'custom_fields.label', 'custom_fields.type', 'custom_values.value_text', 'custom_values.value_number', 'custom_values.value_date'])
    .where('custom_fields.entity', '=', input.entity)
    .where('custom_fields.is_active', '=', 1)
    .orderBy('custom_fields.sort_order')
    .execute()
  return rows.map((r) => ({
    fieldId: r.id,
    label: r.label,
    type: r.type,
    value: r.type === 'number' ? r.value_number : r.type === 'date' ? r.value_date : r.value_text,
  }))
}

export const customValuesSetInput = z.object({
  entity,
  entityId: id,
  values: z.array(z.object({ fieldId: id, value: z.union([z.string().max(500), z.number(), z.null()]) })).max(200),
})

const ENTITY_TABLE = { lead: 'leads', account: 'accounts', contact: 'contacts', opportunity: 'opportunities' } as const

export async function setCustomValues(db: DbOrTrx, ctx: Ctx, input: z.output<typeof customValuesSetInput>): Promise<CustomValue[]> {
  return inTransaction(db, async (trx) => {
    if (!(await trx.selectFrom(ENTITY_TABLE[input.entity]).select('id').where('id', '=', input.entityId).executeTakeFirst())) throw notFound(input.entity, input.entityId)
    const changes: Record<string, unknown> = {}
    for (const v of input.values) {
      const field = await trx.selectFrom('custom_fields').selectAll().where('id', '=', v.fieldId).executeTakeFirst()
      if (!field || field.entity !== input.entity) throw notFound('customField', v.fieldId)
      const empty = v.value === null || v.value === ''
      if (empty) {
        await trx.deleteFrom('custom_values').where('field_id', '=', field.id).where('entity_id', '=', input.entityId).execute()
        changes[field.label] = null
        continue
      }
      const cols = { value_text: null as string | null, value_number: null as number | null, value_date: null as string | null }
      if (field.type === 'number') {
        const n = typeof v.value === 'number' ? v.value : Number(String(v.value).replace(/,/g, ''))
        if (!Number.isFinite(n)) throw new AppError('VALIDATION', { detail: `${field.label}: ${v.value}` })
        cols.value_number = n
      } else if (field.type === 'date') {
        const d = isoDate.safeParse(String(v.value))
        if (!d.success) throw new AppError('VALIDATION', { detail: `${field.label}: ${v.value}` })
        cols.value_date = d.data
      } else {
        cols.value_text = String(v.value).trim()
        if (field.type === 'choice' && !(JSON.parse(field.options) as string[]).includes(cols.value_text)) {
          throw new AppError('VALIDATION', { detail: `${field.label}: ${v.value}` })
        }
      }
      await trx
        .insertInto('custom_values')
        .values({ field_id: field.id, entity: input.entity, entity_id: input.entityId, ...cols, import_batch_id: null })
        .onConflict((oc) => oc.columns(['field_id', 'entity_id']).doUpdateSet({ ...cols, import_batch_id: null }))
        .execute()
      changes[field.label] = v.value
    }
    await audit(trx, ctx, { action: 'update', entity: input.entity, entityId: input.entityId, changes: { custom: changes } })
    return getCustomValues(trx, ctx, { entity: input.entity, entityId: input.entityId })
  })
}

/** Remove the custom values of deleted records (custom_values has no FK to them: the entity is polymorphic). */
export async function deleteCustomValuesOf(trx: Trx, e: CustomFieldEntity, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await trx.deleteFrom('custom_values').where('entity', '=', e).where('entity_id', 'in', ids.slice(i, i + 500)).execute()
  }
}
