import type { DbOrTrx } from '../db/database'
import type { StageRow } from '../db/tables/pipeline.table'
import { notFound } from '../shared/errors'
import type { Stage } from '../shared/domain'
import type { Ctx } from './context'

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
