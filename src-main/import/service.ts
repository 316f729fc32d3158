// The import wizard's API: inspect a file, preview, run (a job), undo, batches,
// reusable mapping templates. Inputs are validated here (zod), the work is in engine.ts.
import { z } from 'zod'
import type { Db, DbOrTrx } from '../db/database'
import type { ImportTemplateRow } from '../db/tables/import.table'
import type { Ctx } from '../services/context'
import { id } from '../services/fields'
import { audit, inTransaction } from '../services/write'
import { AppError, notFound } from '../shared/errors'
import { guessDateOrder, type DateOrderGuess } from './dates'
import { bufferRows, dateColumnValues, DEFAULT_DEDUPE, ENTITY_OF, openFile, runImport, type ImportResult, type ImportRunOptions } from './engine'
import { cellText, fieldDef, suggestMapping, TARGET_FIELDS, type SuggestedColumn } from './fields'
import { dataDirOf, resolveInputFile, slotForFile, type FileRef } from './file-store'
import type { SourceInfo } from './source'
import { stageResolver } from './stage-map'
import type { ColumnTarget, DedupeKey, SourceRow } from './types'
import { undoImport, type UndoResult } from './undo'

const target = z.enum(['leads', 'accounts', 'opportunities'])
export const fileRef = z.union([
  z.object({ token: z.string().regex(/^[0-9a-f]{32}$/), name: z.string().max(200).optional() }).strict(),
  z.object({ path: z.string().min(1).max(4096) }).strict(),
])
export const columnTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('field'), field: z.string().max(40) }),
  z.object({ kind: z.literal('custom'), fieldId: id }),
  z.object({
    kind: z.literal('newCustom'),
    label: z.string().trim().min(1).max(50),
    type: z.enum(['text', 'number', 'choice', 'date']),
    options: z.array(z.string().trim().min(1).max(100)).max(500).optional(),
  }),
  z.object({ kind: z.literal('ignore') }),
])
const columnMapping = z.object({ index: z.number().int().min(0).max(16383), header: z.string().max(200), target: columnTarget })
const dedupeKey = z.enum(['mobile', 'email', 'company', 'externalId'])

const readShape = {
  file: fileRef,
  target: target.default('leads'),
  sheet: z.string().max(100).optional(),
  headerRow: z.number().int().min(1).max(1000).optional(),
  encoding: z.enum(['utf8', 'gb18030', 'utf16le', 'utf16be']).optional(),
  delimiter: z.enum([',', '\t', ';', '|']).optional(),
}
export const importInspectInput = z.object({ ...readShape, templateId: id.optional() })

const runShape = {
  ...readShape,
  columns: z.array(columnMapping).max(500).optional(),
  templateId: id.optional(),
  onDuplicate: z.enum(['skip', 'update', 'create']).default('skip'),
  dedupeBy: z.array(dedupeKey).max(4).optional(),
  ownerId: id.nullish(),
  source: z.string().trim().max(30).optional(),
  stageMap: z.record(z.string().max(100), z.union([z.string().max(100), id])).optional(),
  dateOrder: z.enum(['ymd', 'mdy', 'dmy']).optional(),
}
export const importPreviewInput = z.object({ ...runShape, limit: z.number().int().min(1).max(500).default(50) })
export const importRunInput = z.object({ ...runShape, dryRun: z.boolean().default(false) })

async function templateColumns(db: DbOrTrx, templateId: number | undefined): Promise<Array<{ header: string; target: ColumnTarget }> | undefined> {
  if (templateId === undefined) return undefined
  const row = await db.selectFrom('import_templates').selectAll().where('id', '=', templateId).executeTakeFirst()
  if (!row) throw notFound('importTemplate', templateId)
  return JSON.parse(row.columns) as Array<{ header: string; target: ColumnTarget }>
}

export interface InspectResult {
  file: SourceInfo
  headerRow: number
  headers: string[]
  columns: SuggestedColumn[]
  /** The fields of this target, for the mapping drop-downs. */
  fields: Array<{ key: string; label: string; type: string; required: boolean }>
  customFields: Array<{ id: number; label: string; type: string; options: string[] }>
  /** The first rows as text (header search starts here), for choosing the header row by hand. */
  topRows: Array<{ row: number; cells: string[] }>
  dateOrder: DateOrderGuess
  /** Opportunities: distinct stage values in the sample, with the stage they go to (null = needs mapping). */
  stageValues: Array<{ value: string; count: number; stageId: number | null }>
  dedupeBy: DedupeKey[]
  sampledRows: number
}

/** Opportunities: rows read (beyond the sample) to collect every stage name for the mapping step. */
const STAGE_SCAN_ROWS = 200_000

const REQUIRED: Record<string, string[]> = { leads: ['company', 'contactName'], accounts: ['company'], opportunities: [] }

/** Sheets, header row, suggested mapping, date order and stage values from the first rows of a file. */
export async function inspectImport(db: Db, ctx: Ctx, input: z.output<typeof importInspectInput>): Promise<InspectResult> {
  const { path, name } = resolveInputFile(db, ctx, input.file as FileRef)
  const f = await openFile({ path, fileName: name, sheet: input.sheet, headerRow: input.headerRow, encoding: input.encoding, delimiter: input.delimiter }, ctx.locale)
  try {
    await bufferRows(f, 2000)
    const data = f.buffered.slice(f.dataStart)
    const columns = suggestMapping(input.target, f.headers, data.slice(0, 200).map((r) => r.cells), await templateColumns(db, input.templateId))
    const entity = ENTITY_OF[input.target]
    const customFields = (await db.selectFrom('custom_fields').selectAll().where('entity', '=', entity).where('is_active', '=', 1).orderBy('sort_order').execute()).map(
      (c) => ({ id: c.id, label: c.label, type: c.type, options: JSON.parse(c.options) as string[] }),
    )
    const types = new Map(customFields.map((c) => [c.id, c.type as string]))
    const dateOrder = guessDateOrder(dateColumnValues(f, input.target, columns, types))
    let stageValues: InspectResult['stageValues'] = []
    const stageCol = columns.find((c) => c.target.kind === 'field' && c.target.field === 'stage')
    if (input.target === 'opportunities' && stageCol) {
      const stages = stageResolver(await db.selectFrom('pipeline_stages').selectAll().where('pipeline', '=', 'default').execute())
      const counts = new Map<string, number>()
      const add = (cells: SourceRow['cells']) => {
        const v = cellText(cells[stageCol.index] ?? null).trim()
        if (v && (counts.size < 500 || counts.has(v))) counts.set(v, (counts.get(v) ?? 0) + 1)
      }
      for (const r of data) add(r.cells)
      // Every stage name must be mapped before the run, not only those of the first rows:
      // read on through the file (stage column only), up to STAGE_SCAN_ROWS rows.
      let scanned = data.length
      if (!f.exhausted) {
        for await (const r of f.more) {
          add(r.cells)
          if (++scanned >= STAGE_SCAN_ROWS) break
        }
      }
      stageValues = [...counts].sort((a, b) => b[1] - a[1]).map(([value, count]) => ({ value, count, stageId: stages.resolve(value) }))
    }
    return {
      file: f.source.info,
      headerRow: f.buffered[f.headerIndex].n,
      headers: f.headers,
      columns,
      fields: TARGET_FIELDS[input.target].map((d) => ({ key: d.key, label: d.label[ctx.locale], type: d.type, required: REQUIRED[input.target].includes(d.key) })),
      customFields,
      topRows: f.buffered.slice(0, Math.min(f.buffered.length, f.headerIndex + 11)).map((r) => ({ row: r.n, cells: r.cells.map(cellText) })),
      dateOrder,
      stageValues,
      dedupeBy: DEFAULT_DEDUPE[input.target],
      sampledRows: data.length,
    }
  } finally {
    f.source.close()
  }
}

async function runOptions(db: Db, ctx: Ctx, input: z.output<typeof importRunInput> | z.output<typeof importPreviewInput>): Promise<ImportRunOptions> {
  const { path, name } = resolveInputFile(db, ctx, input.file as FileRef)
  for (const c of input.columns ?? []) {
    if (c.target.kind === 'field' && !fieldDef(input.target, c.target.field)) throw new AppError('VALIDATION', { detail: `${c.header} → ${c.target.field}` })
  }
  return {
    target: input.target,
    path,
    fileName: name,
    sheet: input.sheet,
    headerRow: input.headerRow,
    encoding: input.encoding,
    delimiter: input.delimiter,
    columns: input.columns as ImportRunOptions['columns'],
    template: await templateColumns(db, input.templateId),
    onDuplicate: input.onDuplicate,
    dedupeBy: input.dedupeBy,
    ownerId: input.ownerId,
    source: input.source || undefined,
    stageMap: input.stageMap,
    dateOrder: input.dateOrder,
    dataDir: dataDirOf(db),
  }
}

/** First rows exactly as they would be stored, each with its problems and duplicate status (nothing is kept). */
export async function previewImport(db: Db, ctx: Ctx, input: z.output<typeof importPreviewInput>): Promise<ImportResult> {
  return runImport(db, ctx, { ...(await runOptions(db, ctx, input)), preview: input.limit })
}

/** The import itself (a job): one transaction, progress per chunk, cancel rolls back. */
export async function runImportJob(db: Db, ctx: Ctx, input: z.output<typeof importRunInput>): Promise<ImportResult> {
  return runImport(db, ctx, { ...(await runOptions(db, ctx, input)), dryRun: input.dryRun })
}

export const importUndoInput = z.object({ batchId: id }).strict()
export async function undoImportBatch(db: Db, ctx: Ctx, input: z.output<typeof importUndoInput>): Promise<UndoResult> {
  return undoImport(db, ctx, input)
}

export const importBatchesInput = z.object({ limit: z.number().int().min(1).max(200).default(50) })
export interface ImportBatch {
  id: number
  target: string
  fileName: string
  status: string
  createdBy: string | null
  createdAt: string
  finishedAt: string | null
  undoneAt: string | null
  summary: Record<string, unknown>
  rejectedFile: boolean
}
export async function listImportBatches(db: Db, _ctx: Ctx, input: z.output<typeof importBatchesInput>): Promise<ImportBatch[]> {
  const rows = await db
    .selectFrom('import_batches')
    .leftJoin('users', 'users.id', 'import_batches.created_by')
    .selectAll('import_batches')
    .select('users.name as user_name')
    .orderBy('import_batches.id', 'desc')
    .limit(input.limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    target: r.target,
    fileName: r.file_name,
    status: r.status,
    createdBy: r.user_name,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    undoneAt: r.undone_at,
    summary: JSON.parse(r.summary) as Record<string, unknown>,
    rejectedFile: Boolean(r.rejected_file),
  }))
}

export const importRejectedFileInput = z.object({ batchId: id }).strict()
/**
 * The rejected rows of a past import, to download again: a new token for the
 * batch's kept file. A file removed from disk is a clear error, not a crash.
 */
export async function rejectedFileOfBatch(db: Db, _ctx: Ctx, input: z.output<typeof importRejectedFileInput>): Promise<{ token: string; name: string }> {
  const batch = await db.selectFrom('import_batches').select(['id', 'rejected_file']).where('id', '=', input.batchId).executeTakeFirst()
  if (!batch) throw notFound('importBatch', input.batchId)
  if (!batch.rejected_file) throw new AppError('IMPORT_NO_REJECTED_ROWS', { id: batch.id })
  const slot = slotForFile(dataDirOf(db), batch.rejected_file)
  if (!slot) throw new AppError('IMPORT_REJECTED_FILE_GONE', { id: batch.id })
  return { token: slot.token, name: slot.name }
}

// Templates: a mapping by header text (so it fits the next file with other column order) plus options.
export interface ImportTemplate {
  id: number
  name: string
  target: string
  columns: Array<{ header: string; target: ColumnTarget }>
  options: Record<string, unknown>
  updatedAt: string
}
const toTemplate = (r: ImportTemplateRow): ImportTemplate => ({
  id: r.id,
  name: r.name,
  target: r.target,
  columns: JSON.parse(r.columns) as ImportTemplate['columns'],
  options: JSON.parse(r.options) as Record<string, unknown>,
  updatedAt: r.updated_at,
})

export const templateListInput = z.object({ target: target.optional() })
export async function listTemplates(db: Db, _ctx: Ctx, input: z.output<typeof templateListInput>): Promise<ImportTemplate[]> {
  let q = db.selectFrom('import_templates').selectAll().orderBy('name')
  if (input.target) q = q.where('target', '=', input.target)
  return (await q.execute()).map(toTemplate)
}

export const templateSaveInput = z.object({
  id: id.optional(),
  name: z.string().trim().min(1).max(50),
  target,
  columns: z.array(z.object({ header: z.string().min(1).max(200), target: columnTarget })).max(500),
  options: z
    .object({
      onDuplicate: z.enum(['skip', 'update', 'create']).optional(),
      dedupeBy: z.array(dedupeKey).max(4).optional(),
      source: z.string().max(30).optional(),
      ownerId: id.nullish(),
      stageMap: z.record(z.string().max(100), z.union([z.string().max(100), id])).optional(),
      dateOrder: z.enum(['ymd', 'mdy', 'dmy']).optional(),
    })
    .default({}),
})
/** Save (create, or replace by id / by name) a mapping template. */
export async function saveTemplate(db: Db, ctx: Ctx, input: z.output<typeof templateSaveInput>): Promise<ImportTemplate> {
  return inTransaction(db, async (trx) => {
    const now = ctx.now().toISOString()
    const values = { name: input.name, target: input.target, columns: JSON.stringify(input.columns), options: JSON.stringify(input.options), updated_at: now }
    const existing = input.id
      ? await trx.selectFrom('import_templates').select('id').where('id', '=', input.id).executeTakeFirst()
      : await trx.selectFrom('import_templates').select('id').where('target', '=', input.target).where('name', '=', input.name).executeTakeFirst()
    if (input.id && !existing) throw notFound('importTemplate', input.id)
    let row: ImportTemplateRow
    if (existing) {
      row = await trx.updateTable('import_templates').set(values).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow()
    } else {
      row = await trx.insertInto('import_templates').values({ ...values, created_by: ctx.userId, created_at: now }).returningAll().executeTakeFirstOrThrow()
    }
    await audit(trx, ctx, { action: existing ? 'update' : 'create', entity: 'import_template', entityId: row.id, changes: { name: input.name } })
    return toTemplate(row)
  })
}

export async function deleteTemplate(db: Db, ctx: Ctx, input: { id: number }): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    const r = await trx.deleteFrom('import_templates').where('id', '=', input.id).executeTakeFirst()
    if (Number(r.numDeletedRows) === 0) throw notFound('importTemplate', input.id)
    await audit(trx, ctx, { action: 'delete', entity: 'import_template', entityId: input.id, changes: {} })
    return input
  })
}

export const importFieldsInput = z.object({ target: target.default('leads') })
export async function listImportFields(_db: Db, ctx: Ctx, input: z.output<typeof importFieldsInput>) {
  return TARGET_FIELDS[input.target].map((d) => ({ key: d.key, label: d.label[ctx.locale], type: d.type, required: REQUIRED[input.target].includes(d.key) }))
}
