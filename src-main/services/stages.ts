import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { DbOrTrx } from '../db/database'
import type { StageRow } from '../db/tables/pipeline.table'
import { AppError, notFound } from '../shared/errors'
import { REQUIRABLE_FIELDS, type Stage } from '../shared/domain'
import type { Ctx } from './context'
import { id, patchShape, percent, requiredText } from './fields'
import { audit, diff, inTransaction } from './write'

export function toStage(row: StageRow): Stage {
  return {
    id: row.id,
    pipeline: row.pipeline,
    key: row.key,
    name: row.name,
    sortOrder: row.sort_order,
    probability: row.probability,
    kind: row.kind,
    staleDays: row.stale_days,
    requiredFields: JSON.parse(row.required_fields) as Stage['requiredFields'],
  }
}

export async function listStages(db: DbOrTrx, _ctx: Ctx, input: { pipeline?: string } = {}): Promise<Stage[]> {
  const rows = await db
    .selectFrom('pipeline_stages')
    .selectAll()
    .where('pipeline', '=', input.pipeline ?? 'default')
    .orderBy('sort_order')
    .execute()
  return rows.map(toStage)
}

export async function getStageRow(db: DbOrTrx, id: number): Promise<StageRow> {
  const row = await db.selectFrom('pipeline_stages').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('stage', id)
  return row
}

export async function firstOpenStage(db: DbOrTrx, pipeline = 'default'): Promise<StageRow> {
  return db
    .selectFrom('pipeline_stages')
    .selectAll()
    .where('pipeline', '=', pipeline)
    .where('kind', '=', 'open')
    .orderBy('sort_order')
    .executeTakeFirstOrThrow()
}

// --- Settings: pipelines and their stages -----------------------------------

const requiredFields = z.array(z.enum(REQUIRABLE_FIELDS)).max(REQUIRABLE_FIELDS.length)
const stageFields = {
  name: requiredText(30),
  probability: percent,
  staleDays: z.number().int().min(1).max(365).nullish(),
  requiredFields: requiredFields.default([]),
  sortOrder: z.number().int().min(0).max(100_000),
}
export const stageCreateInput = z.object({ ...stageFields, pipeline: z.string().trim().min(1).max(30).default('default'), kind: z.enum(['open', 'won', 'lost']).default('open') })
export const stageUpdateInput = z.object({ ...patchShape(stageFields), id })
export const pipelineCreateInput = z.object({ name: requiredText(30) })
export const pipelineUpdateInput = z.object({ key: z.string().min(1).max(30), name: requiredText(30) })
export const pipelineDeleteInput = z.object({ key: z.string().min(1).max(30) })

export interface Pipeline {
  key: string
  name: string
  stageCount: number
}

export async function listPipelines(db: DbOrTrx, _ctx: Ctx): Promise<Pipeline[]> {
  const rows = await db
    .selectFrom('pipelines')
    .leftJoin('pipeline_stages', 'pipeline_stages.pipeline', 'pipelines.key')
    .select(['pipelines.key', 'pipelines.name', (eb) => eb.fn.count<number>('pipeline_stages.id').as('n')])
    .groupBy(['pipelines.key', 'pipelines.name', 'pipelines.sort_order'])
    .orderBy('pipelines.sort_order')
    .execute()
  return rows.map((r) => ({ key: r.key, name: r.name, stageCount: Number(r.n) }))
}

/** A new pipeline (another product line) starts with the method's five stages. */
export async function createPipeline(db: DbOrTrx, ctx: Ctx, input: z.output<typeof pipelineCreateInput>): Promise<Pipeline> {
  return inTransaction(db, async (trx) => {
    const now = ctx.now().toISOString()
    const count = (await listPipelines(trx, ctx)).length
    const key = `p-${randomUUID().slice(0, 8)}`
    await trx.insertInto('pipelines').values({ key, name: input.name, sort_order: (count + 1) * 10, created_at: now }).execute()
    const template = await trx.selectFrom('pipeline_stages').selectAll().where('pipeline', '=', 'default').orderBy('sort_order').execute()
    await trx
      .insertInto('pipeline_stages')
      .values(template.map((s) => ({ pipeline: key, key: s.key, name: s.name, sort_order: s.sort_order, probability: s.probability, kind: s.kind, stale_days: s.stale_days, required_fields: s.required_fields, created_at: now })))
      .execute()
    await audit(trx, ctx, { action: 'create', entity: 'pipeline', entityId: count + 1, changes: { key, name: input.name } })
    return { key, name: input.name, stageCount: template.length }
  })
}

async function getPipelineRow(db: DbOrTrx, key: string) {
  const row = await db.selectFrom('pipelines').selectAll().where('key', '=', key).executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', { entityKey: 'pipeline', id: key })
  return row
}

/** Rename a pipeline (the key, used by stages and saved views, stays). */
export async function updatePipeline(db: DbOrTrx, ctx: Ctx, input: z.output<typeof pipelineUpdateInput>): Promise<Pipeline> {
  return inTransaction(db, async (trx) => {
    const before = await getPipelineRow(trx, input.key)
    await trx.updateTable('pipelines').set({ name: input.name }).where('key', '=', input.key).execute()
    await audit(trx, ctx, { action: 'update', entity: 'pipeline', entityId: before.sort_order / 10, changes: { key: input.key, name: [before.name, input.name] } })
    return (await listPipelines(trx, ctx)).find((p) => p.key === input.key)!
  })
}

/** Delete a pipeline with no opportunities in any of its stages (the default pipeline stays). */
export async function deletePipeline(db: DbOrTrx, ctx: Ctx, input: z.output<typeof pipelineDeleteInput>): Promise<{ key: string }> {
  return inTransaction(db, async (trx) => {
    const before = await getPipelineRow(trx, input.key)
    if (input.key === 'default') throw new AppError('INVALID_STATE', { reasonKey: 'reason.defaultPipeline' })
    const stageIds = (await trx.selectFrom('pipeline_stages').select('id').where('pipeline', '=', input.key).execute()).map((s) => s.id)
    if (stageIds.length > 0) {
      const used = await trx.selectFrom('opportunities').select((eb) => eb.fn.countAll<number>().as('n')).where('stage_id', 'in', stageIds).executeTakeFirstOrThrow()
      if (Number(used.n) > 0) throw new AppError('IN_USE', { entityKey: 'pipeline', count: Number(used.n), dependentKey: 'opportunities' })
      await trx.deleteFrom('stage_history').where((eb) => eb.or([eb('from_stage_id', 'in', stageIds), eb('to_stage_id', 'in', stageIds)])).execute()
      await trx.deleteFrom('pipeline_stages').where('pipeline', '=', input.key).execute()
    }
    await trx.deleteFrom('pipelines').where('key', '=', input.key).execute()
    await audit(trx, ctx, { action: 'delete', entity: 'pipeline', entityId: before.sort_order / 10, changes: { ...before, stages: stageIds.length } })
    return { key: input.key }
  })
}

export async function createStage(db: DbOrTrx, ctx: Ctx, input: z.output<typeof stageCreateInput>): Promise<Stage> {
  return inTransaction(db, async (trx) => {
    if (!(await trx.selectFrom('pipelines').select('key').where('key', '=', input.pipeline).executeTakeFirst())) throw notFound('pipeline', 0)
    const row = await trx
      .insertInto('pipeline_stages')
      .values({
        pipeline: input.pipeline,
        key: `s-${randomUUID().slice(0, 8)}`,
        name: input.name,
        sort_order: input.sortOrder,
        probability: input.kind === 'won' ? 100 : input.kind === 'lost' ? 0 : input.probability,
        kind: input.kind,
        stale_days: input.staleDays ?? null,
        required_fields: JSON.stringify(input.requiredFields),
        created_at: ctx.now().toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit(trx, ctx, { action: 'create', entity: 'stage', entityId: row.id, changes: input })
    return toStage(row)
  })
}

export async function updateStage(db: DbOrTrx, ctx: Ctx, input: z.output<typeof stageUpdateInput>): Promise<Stage> {
  return inTransaction(db, async (trx) => {
    const before = await getStageRow(trx, input.id)
    const patch = {
      ...(input.name !== undefined && { name: input.name }),
      // Won and lost stages are 100% and 0% by definition.
      ...(input.probability !== undefined && before.kind === 'open' && { probability: input.probability }),
      ...(input.staleDays !== undefined && { stale_days: input.staleDays ?? null }),
      ...(input.requiredFields !== undefined && { required_fields: JSON.stringify(input.requiredFields) }),
      ...(input.sortOrder !== undefined && { sort_order: input.sortOrder }),
    }
    const after = Object.keys(patch).length ? await trx.updateTable('pipeline_stages').set(patch).where('id', '=', input.id).returningAll().executeTakeFirstOrThrow() : before
    await audit(trx, ctx, { action: 'update', entity: 'stage', entityId: input.id, changes: diff(before, after) })
    return toStage(after)
  })
}

export async function deleteStage(db: DbOrTrx, ctx: Ctx, input: { id: number }): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    const before = await getStageRow(trx, input.id)
    const used = await trx.selectFrom('opportunities').select((eb) => eb.fn.countAll<number>().as('n')).where('stage_id', '=', input.id).executeTakeFirstOrThrow()
    if (Number(used.n) > 0) throw new AppError('IN_USE', { entityKey: 'stage', count: Number(used.n), dependentKey: 'opportunities' })
    await trx.deleteFrom('stage_history').where((eb) => eb.or([eb('from_stage_id', '=', input.id), eb('to_stage_id', '=', input.id)])).execute()
    await trx.deleteFrom('pipeline_stages').where('id', '=', input.id).execute()
    await audit(trx, ctx, { action: 'delete', entity: 'stage', entityId: input.id, changes: before })
    return { id: input.id }
  })
}
