// The import engine: one file → one import batch, in one transaction.
//
// Read (streaming) → find the header → map columns → normalise each row →
// check duplicates and write in chunks of CHUNK rows → rejected rows to an .xlsx.
// Progress and cancel between chunks. The whole file is one transaction: a
// cancel, an error or a crash leaves nothing behind; a dry run (and a preview)
// does everything and rolls back. Memory is bounded by the chunk size.
import { rmSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import type { Db } from '../db/database'
import { bulkStatements } from '../db/sqlite-bulk'
import type { CustomFieldEntity, CustomFieldRow } from '../db/tables/import.table'
import { throwIfCancelled } from '../api/jobs'
import type { Ctx } from '../services/context'
import { audit } from '../services/write'
import { AppError, type Locale } from '../shared/errors'
import { guessDateOrder, isoDateOf, parseDate } from './dates'
import { cellText, fieldDef, suggestMapping, TARGET_FIELDS, type FieldDef } from './fields'
import { keepFile, newFileSlot, type FileSlot } from './file-store'
import { detectHeaderRow, headerNames, HEADER_SCAN_ROWS } from './header'
import { message, type MessageKey } from './messages'
import { normalizeCell, type PhoneParts, type Problem } from './normalize'
import { RejectedRowsFile } from './rejected'
import { openSource, type OpenSource, type SourceInfo } from './source'
import { stageResolver, type StageResolver } from './stage-map'
import type { TextEncoding } from './sniff'
import type { ColumnMapping, ColumnTarget, DateOrder, DedupeKey, DuplicatePolicy, ImportTarget, RawCell, SourceRow } from './types'
import { isCellError } from './types'
import { AccountWriter } from './write-accounts'
import { ChangeLog, CustomValues, Owners, type CustomCell, type DuplicateInfo, type Outcome, type Rec, type TargetWriter, type WriteContext } from './write-common'
import { LeadWriter } from './write-leads'
import { OpportunityWriter } from './write-opportunities'

/** Rows per duplicate-check-and-write chunk (and per progress report / cancel check). Small enough that
 * the rows of a chunk die young (measured: 500 costs less garbage collection than 2,000). */
export const CHUNK = 500
/** Data rows looked at to decide the date order before writing; more are read while it stays undecided. */
const DATE_SCAN_ROWS = 2000
const DATE_SCAN_MAX = 50_000
const MAX_ERRORS = 10_000
const MAX_WARNINGS = 1000
const MAX_CLASHES = 1000

export const ENTITY_OF: Record<ImportTarget, CustomFieldEntity> = { leads: 'lead', accounts: 'account', opportunities: 'opportunity' }
export const DEFAULT_DEDUPE: Record<ImportTarget, DedupeKey[]> = {
  leads: ['externalId', 'mobile', 'email', 'company'],
  accounts: ['externalId', 'company'],
  opportunities: ['externalId'],
}

export interface ReadOptions {
  path: string
  fileName?: string
  sheet?: string
  /** Row number (as shown in the sheet) of the header row; detected when absent. */
  headerRow?: number
  encoding?: TextEncoding
  delimiter?: string
}

export interface ImportRunOptions extends ReadOptions {
  target: ImportTarget
  /** Column mapping; suggested automatically (template first) when absent. */
  columns?: ColumnMapping[]
  template?: Array<{ header: string; target: ColumnTarget }>
  onDuplicate: DuplicatePolicy
  dedupeBy?: DedupeKey[]
  /** Owner for rows that name none (the whole file). */
  ownerId?: number | null
  ownerName?: string
  /** Source channel for rows that name none. */
  source?: string
  stageMap?: Record<string, string | number>
  dateOrder?: DateOrder
  /** Columns mapped to nothing become custom fields of the suggested type (the CLI's --custom-fields). */
  unmappedAsCustom?: boolean
  dryRun?: boolean
  /** Preview: stop after this many data rows, roll back, and return every row's details. */
  preview?: number
  /** Folder for the rejected-rows file (the data folder). */
  dataDir: string
}

export interface RowProblem {
  row: number
  level: 'error' | 'warning'
  field?: string
  message: string
}

export interface PreviewRow {
  row: number
  outcome: Outcome
  /** The row as read (text), to show what a rejected value was. */
  cells: string[]
  values: Record<string, unknown>
  custom: Record<string, unknown>
  problems: Array<{ level: 'error' | 'warning'; field?: string; message: string }>
  duplicate?: DuplicateInfo
  clash?: { existingOwner: string; incomingOwner: string }
}

export interface ImportResult {
  batchId: number | null
  dryRun: boolean
  target: ImportTarget
  file: SourceInfo
  headerRow: number
  columns: ColumnMapping[]
  dateOrder: DateOrder | null
  onDuplicate: DuplicatePolicy
  rowsRead: number
  imported: number
  updated: number
  duplicates: number
  rejected: number
  /** One per rejected row (first MAX_ERRORS): the row number and every reason. */
  errors: Array<{ row: number; message: string }>
  warnings: RowProblem[]
  warningCount: number
  /** 撞单: rows whose customer already belongs to another sales person. */
  clashes: Array<{ row: number; entity: string; id: number; name: string | null; existingOwner: string; incomingOwner: string }>
  createdUsers: string[]
  createdFields: string[]
  /** Opportunities: every stage value in the file, and where it went (null = unknown, rows rejected). A dry run gives the full list for the mapping step. */
  stageValues: Array<{ value: string; count: number; stageId: number | null }>
  rejectedFile: { token: string; name: string; path: string } | null
  elapsedMs: number
  rows?: PreviewRow[]
}

// ---------------------------------------------------------------------------
// Reading the start of a file: sheets, header row, headers, sample rows.

export interface OpenedFile {
  source: OpenSource
  /** Rows read so far, in order (header row included). */
  buffered: SourceRow[]
  headerIndex: number
  headers: string[]
  /** Rows after the header that are in `buffered`. */
  dataStart: number
  /** The rest of the rows, after `buffered`. */
  more: AsyncGenerator<SourceRow>
  exhausted: boolean
}

export const isEmptyRow = (cells: RawCell[]) => cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''))

/** Open a file and find its header row (reading at most what is needed). Closes the file on error. */
export async function openFile(opts: ReadOptions, locale: Locale): Promise<OpenedFile> {
  const source = await openSource(opts.path, { sheet: opts.sheet, encoding: opts.encoding, delimiter: opts.delimiter, fileName: opts.fileName })
  try {
    const it = source.rows
    const buffered: SourceRow[] = []
    let exhausted = false
    const limit = opts.headerRow ? opts.headerRow + 1 : HEADER_SCAN_ROWS
    while (buffered.length < limit) {
      const next = await it.next()
      if (next.done) {
        exhausted = true
        break
      }
      if (!isEmptyRow(next.value.cells)) buffered.push(next.value)
      if (opts.headerRow && next.value.n >= opts.headerRow) break
    }
    const where = source.info.sheet ?? source.info.fileName
    if (buffered.length === 0) throw new AppError('IMPORT_EMPTY', { sheet: where })
    const headerIndex = opts.headerRow ? buffered.findIndex((r) => r.n === opts.headerRow) : detectHeaderRow(buffered)
    if (headerIndex < 0) throw new AppError('IMPORT_NO_HEADER', { rows: opts.headerRow ?? HEADER_SCAN_ROWS })
    const headerRow = buffered[headerIndex]
    // Trailing empty header cells are not columns (values under no header are not read).
    let width = headerRow.cells.length
    while (width > 1 && cellText(headerRow.cells[width - 1] ?? null).trim() === '') width--
    const headers = headerNames(headerRow, width, locale)
    return { source, buffered, headerIndex, headers, dataStart: headerIndex + 1, more: it, exhausted }
  } catch (err) {
    source.close()
    throw err
  }
}

/** Read more rows into the buffer until it holds `count` data rows (or the file ends). */
export async function bufferRows(f: OpenedFile, count: number): Promise<void> {
  while (!f.exhausted && f.buffered.length - f.dataStart < count) {
    const next = await f.more.next()
    if (next.done) f.exhausted = true
    else if (!isEmptyRow(next.value.cells)) f.buffered.push(next.value)
  }
}

/** Values of date columns in buffered data rows, for the date-order guess. */
export function dateColumnValues(f: OpenedFile, target: ImportTarget, columns: ColumnMapping[], customTypes: Map<number, string>): RawCell[] {
  const idx = columns
    .filter((c) => (c.target.kind === 'field' && ['date', 'datetime'].includes(fieldDef(target, c.target.field)?.type ?? '')) ||
      (c.target.kind === 'newCustom' && c.target.type === 'date') ||
      (c.target.kind === 'custom' && customTypes.get(c.target.fieldId) === 'date'))
    .map((c) => c.index)
  const out: RawCell[] = []
  for (let i = f.dataStart; i < f.buffered.length; i++) for (const k of idx) out.push(f.buffered[i].cells[k] ?? null)
  return out
}

// ---------------------------------------------------------------------------
// Running an import.

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

type ColumnPlan =
  | { kind: 'field'; index: number; def: FieldDef; label: string }
  | { kind: 'custom'; index: number; field: CustomFieldRow }

class DryRunDone extends Error {
  constructor(readonly result: ImportResult) {
    super('dry run')
  }
}

function requiredProblem(target: ImportTarget, v: Record<string, unknown>, locale: Locale): Problem | null {
  if (target === 'leads' && !v.company && !v.contactName) return { level: 'error', key: 'leadIdentity', params: {}, field: 'company' }
  if (target === 'accounts' && !v.company) return { level: 'error', key: 'required', params: { field: fieldDef('accounts', 'company')!.label[locale] }, field: 'company' }
  if (target === 'opportunities' && !v.title && !v.company && !v.externalId) {
    return { level: 'error', key: 'required', params: { field: fieldDef('opportunities', 'title')!.label[locale] }, field: 'title' }
  }
  return null
}

/** Check a mapping before anything is read further: known fields, each field once, the identifying field present. */
function checkMapping(target: ImportTarget, columns: ColumnMapping[], locale: Locale): void {
  const used = new Set<string>()
  for (const c of columns) {
    if (c.target.kind !== 'field') continue
    const def = fieldDef(target, c.target.field)
    if (!def) throw new AppError('VALIDATION', { detail: `${c.header} → ${c.target.field}` })
    if (used.has(c.target.field)) throw new AppError('VALIDATION', { detail: `${def.label[locale]} ×2` })
    used.add(c.target.field)
  }
  const need: Record<ImportTarget, string[]> = { leads: ['company', 'contactName'], accounts: ['company'], opportunities: ['title', 'company', 'externalId'] }
  if (!need[target].some((k) => used.has(k))) {
    throw new AppError('IMPORT_MAPPING_REQUIRED', { field: need[target].map((k) => fieldDef(target, k)!.label[locale]).join(' / ') })
  }
}

export async function runImport(db: Db, ctx: Ctx, opts: ImportRunOptions): Promise<ImportResult> {
  const started = Date.now()
  const locale = ctx.locale
  const target = opts.target
  const entity = ENTITY_OF[target]
  const file = await openFile(opts, locale)
  let slot: FileSlot | null = null
  /** The batch's own copy of the rejected rows (files/ is swept after a day; the history offers it again). */
  let kept: string | null = null
  let rejectedFile: RejectedRowsFile | null = null
  let committed = false
  const cache: { restore: (() => void) | null } = { restore: null }
  try {
    // Mapping: given, or suggested from the header (template first) and the first rows.
    await bufferRows(file, 200)
    const samples = file.buffered.slice(file.dataStart, file.dataStart + 200).map((r) => r.cells)
    let columns = opts.columns ?? suggestMapping(target, file.headers, samples, opts.template).map(({ index, header, target: t, suggestedType }) =>
      t.kind === 'ignore' && opts.unmappedAsCustom && header ? { index, header, target: { kind: 'newCustom', label: header.slice(0, 50), type: suggestedType } as ColumnTarget } : { index, header, target: t },
    )
    columns = columns.filter((c) => c.index >= 0)
    checkMapping(target, columns, locale)

    // Custom fields named by id: they must exist and belong to this kind of record.
    const customIds = columns.flatMap((c) => (c.target.kind === 'custom' ? [c.target.fieldId] : []))
    const existingCustom = customIds.length ? await db.selectFrom('custom_fields').selectAll().where('id', 'in', customIds).execute() : []
    for (const id of customIds) {
      const f = existingCustom.find((x) => x.id === id)
      if (!f || f.entity !== entity) throw new AppError('NOT_FOUND', { entityKey: 'customField', id })
    }

    // Date order: given, or decided by the values; never a silent guess.
    let dateOrder: DateOrder | null = opts.dateOrder ?? null
    if (!dateOrder) {
      const types = new Map(existingCustom.map((f) => [f.id, f.type as string]))
      await bufferRows(file, DATE_SCAN_ROWS)
      let guess = guessDateOrder(dateColumnValues(file, target, columns, types))
      while (guess.needsOrder && !guess.order && !guess.conflicting && !file.exhausted && file.buffered.length - file.dataStart < DATE_SCAN_MAX) {
        await bufferRows(file, Math.min(DATE_SCAN_MAX, (file.buffered.length - file.dataStart) * 4))
        guess = guessDateOrder(dateColumnValues(file, target, columns, types))
      }
      if (guess.needsOrder && !guess.order) throw new AppError('IMPORT_DATE_ORDER_AMBIGUOUS', { example: guess.example ?? '3/5/2026' })
      dateOrder = guess.order === 'ymd' ? null : guess.order
    }

    const headerRowNumber = file.buffered[file.headerIndex].n
    const baseName = basename(file.source.info.fileName, extname(file.source.info.fileName))
    await RejectedRowsFile.prepare()
    rejectedFile = new RejectedRowsFile(
      () => {
        slot ??= newFileSlot(opts.dataDir, `${baseName}-${locale === 'en' ? 'rejected-rows' : '未导入的行'}.xlsx`)
        return slot.path
      },
      file.headers,
      locale,
    )
    const rejected = rejectedFile

    const result = await db.transaction().execute(async (trx) => {
      throwIfCancelled(ctx)
      const now = ctx.now().toISOString()
      const batch = await trx
        .insertInto('import_batches')
        .values({ target, file_name: file.source.info.fileName, status: 'running', created_by: ctx.userId, created_at: now, summary: '{}' })
        .returning('id')
        .executeTakeFirstOrThrow()
      const batchId = batch.id
      const bulk = bulkStatements(db)
      cache.restore = bulk.largeCache(64 * 1024)
      const changes = new ChangeLog(bulk, batchId)
      const users = await trx.selectFrom('users').select(['id', 'name']).execute()
      const owners = new Owners(users, bulk, now, changes)

      // New custom fields (or existing ones with the same label) for columns the user kept.
      const createdFields: string[] = []
      const plan: ColumnPlan[] = []
      const fieldById = new Map(existingCustom.map((f) => [f.id, f]))
      for (const c of columns) {
        if (c.target.kind === 'field') {
          const def = fieldDef(target, c.target.field)!
          plan.push({ kind: 'field', index: c.index, def, label: def.label[locale] })
        } else if (c.target.kind === 'custom') plan.push({ kind: 'custom', index: c.index, field: fieldById.get(c.target.fieldId)! })
        else if (c.target.kind === 'newCustom') {
          const label = c.target.label.trim().slice(0, 50) || c.header
          let field = await trx.selectFrom('custom_fields').selectAll().where('entity', '=', entity).where('label', '=', label).executeTakeFirst()
          if (!field) {
            const sort = await trx.selectFrom('custom_fields').select((eb) => eb.fn.max('sort_order').as('m')).where('entity', '=', entity).executeTakeFirst()
            field = await trx
              .insertInto('custom_fields')
              .values({ entity, label, type: c.target.type, options: JSON.stringify(c.target.options ?? []), sort_order: Number(sort?.m ?? 0) + 10, created_at: now, updated_at: now })
              .returningAll()
              .executeTakeFirstOrThrow()
            changes.created('custom_field', field.id)
            createdFields.push(label)
          }
          plan.push({ kind: 'custom', index: c.index, field })
        }
      }
      const choiceOptions = new Map<number, Set<string>>()
      for (const p of plan) if (p.kind === 'custom' && p.field.type === 'choice') choiceOptions.set(p.field.id, new Set(JSON.parse(p.field.options) as string[]))
      const newChoices = new Map<number, string[]>()

      let stages: StageResolver | null = null
      const stageRows = target === 'opportunities' ? await trx.selectFrom('pipeline_stages').selectAll().where('pipeline', '=', 'default').execute() : []
      if (target === 'opportunities') stages = stageResolver(stageRows, opts.stageMap)

      let defaultOwnerId: number | null = null
      if (opts.ownerId != null) {
        if (!users.some((u) => u.id === opts.ownerId)) throw new AppError('NOT_FOUND', { entityKey: 'user', id: opts.ownerId })
        defaultOwnerId = opts.ownerId
      } else if (opts.ownerName) defaultOwnerId = owners.resolve(opts.ownerName)

      const w: WriteContext = {
        bulk,
        batchId,
        now,
        userId: ctx.userId,
        locale,
        policy: opts.onDuplicate,
        dedupe: new Set(opts.dedupeBy ?? DEFAULT_DEDUPE[target]),
        owners,
        changes,
        custom: new CustomValues(bulk, batchId),
        defaultOwnerId,
      }
      const writer: TargetWriter =
        target === 'leads' ? new LeadWriter(w) : target === 'accounts' ? new AccountWriter(w) : new OpportunityWriter(w, new Map(stageRows.map((s) => [s.id, s])))

      // Expected rows (from the sheet's dimension or the share of the file read): the writer decides
      // from it whether to filter key lookups and build secondary indexes at the end.
      const estimate = file.source.estimateRows(file.buffered[file.buffered.length - 1]?.n ?? headerRowNumber)
      const expectedRows = opts.preview ? opts.preview : estimate === null ? null : Math.max(0, estimate - headerRowNumber)
      writer.begin?.(expectedRows)

      const counts = { rowsRead: 0, imported: 0, updated: 0, duplicates: 0, rejected: 0, warnings: 0 }
      const errors: ImportResult['errors'] = []
      const warnings: RowProblem[] = []
      const clashes: ImportResult['clashes'] = []
      const previewRows: PreviewRow[] = []
      const sources = new Set<string>()
      const stageValues = new Map<string, { count: number; stageId: number | null }>()
      const msg = (p: Problem) => message(p.key as MessageKey, p.params, locale)

      const normalizeRow = (row: SourceRow): Rec => {
        const v: Record<string, unknown> = {}
        const problems: Problem[] = []
        const custom: CustomCell[] = []
        let mobileParts: PhoneParts | null = null
        let phoneParts: PhoneParts | null = null
        const extra: string[] = []
        for (const p of plan) {
          const raw = row.cells[p.index] ?? null
          if (p.kind === 'field') {
            const value = normalizeCell(p.def, raw, { dateOrder, fieldLabel: p.label }, problems)
            if (value === null || value === undefined) continue
            if (p.def.type === 'mobile') mobileParts = value as PhoneParts
            else if (p.def.type === 'phone') phoneParts = value as PhoneParts
            else if (p.def.type === 'email') {
              const e = value as PhoneParts
              v.email = e.email
              extra.push(...e.extra)
            } else v[p.def.key] = value
          } else {
            const cell = customCell(p.field, raw, dateOrder, problems, locale)
            if (!cell) continue
            custom.push(cell)
            if (p.field.type === 'choice' && cell.text) {
              const opts2 = choiceOptions.get(p.field.id)!
              if (!opts2.has(cell.text) && opts2.size < 500) {
                opts2.add(cell.text)
                const list = newChoices.get(p.field.id) ?? []
                list.push(cell.text)
                newChoices.set(p.field.id, list)
              }
            }
          }
        }
        // A mobile in the landline column and a landline in the mobile column both land where they belong.
        const mobile = mobileParts?.mobile ?? phoneParts?.mobile ?? null
        const phone = phoneParts?.phone ?? mobileParts?.phone ?? null
        for (const parts of [mobileParts, phoneParts]) {
          if (!parts) continue
          if (parts.mobile && parts.mobile !== mobile) extra.push(parts.mobile)
          if (parts.phone && parts.phone !== phone) extra.push(parts.phone)
          extra.push(...parts.extra)
        }
        if (mobile) v.mobile = mobile
        if (phone) v.phone = phone
        if (extra.length) {
          v.notes = [v.notes, extra.join(' ')].filter(Boolean).join('\n')
          problems.push({ level: 'warning', key: 'extraPhones', params: { value: extra.join(' ') }, field: 'notes' })
        }
        if (!v.source && opts.source) v.source = opts.source
        const missing = requiredProblem(target, v, locale)
        if (missing) problems.push(missing)
        if (stages) {
          if (typeof v.stage === 'string') {
            const id = stages.resolve(v.stage)
            const seen = stageValues.get(v.stage)
            if (seen) seen.count++
            else if (stageValues.size < 500) stageValues.set(v.stage, { count: 1, stageId: id })
            if (id === null) problems.push({ level: 'error', key: 'unknownStage', params: { value: v.stage }, field: 'stage' })
            else v.stageId = id
          } else v.stageId = stages.defaultStageId
        }
        return { n: row.n, cells: row.cells, v, custom, problems }
      }

      const record = (rec: Rec) => {
        const errs = rec.problems.filter((p) => p.level === 'error')
        if (errs.length > 0) {
          rec.outcome = 'rejected'
          counts.rejected++
          const text = errs.map(msg).join(locale === 'en' ? '; ' : '；')
          if (errors.length < MAX_ERRORS) errors.push({ row: rec.n, message: text })
          rejected.add(rec.n, rec.cells, text)
        } else if (rec.outcome === 'imported') counts.imported++
        else if (rec.outcome === 'updated') counts.updated++
        else if (rec.outcome === 'duplicate') counts.duplicates++
        if (rec.duplicate && rec.outcome !== 'rejected') {
          const d = rec.duplicate
          const keyLabel = { mobile: 'mobile', email: 'email', company: 'company', externalId: 'externalId' }[d.key]
          rec.problems.push({
            level: 'warning',
            key: d.inFileRow !== null ? 'duplicateInFile' : 'duplicateOf',
            params: { row: d.inFileRow ?? '', entity: entityLabel(d.entity, locale), key: keyName(keyLabel, locale), value: d.value },
          })
        }
        if (rec.clash) {
          rec.problems.push({ level: 'warning', key: 'ownerClash', params: { existing: rec.clash.existingOwner, incoming: rec.clash.incomingOwner } })
          if (clashes.length < MAX_CLASHES && rec.duplicate) {
            clashes.push({ row: rec.n, entity: rec.duplicate.entity, id: rec.duplicate.id, name: rec.duplicate.name, ...rec.clash })
          }
        }
        for (const p of rec.problems) {
          if (p.level !== 'warning') continue
          counts.warnings++
          if (warnings.length < MAX_WARNINGS) warnings.push({ row: rec.n, level: 'warning', field: p.field, message: msg(p) })
        }
        if (opts.preview && previewRows.length < opts.preview) {
          previewRows.push({
            row: rec.n,
            outcome: rec.outcome ?? 'rejected',
            cells: rec.cells.map((c) => cellText(c ?? null)),
            values: rec.v,
            custom: Object.fromEntries(rec.custom.map((c) => [plan.find((p) => p.kind === 'custom' && p.field.id === c.fieldId) && (plan.find((p) => p.kind === 'custom' && p.field.id === c.fieldId) as { field: CustomFieldRow }).field.label, c.text ?? c.number ?? c.date])),
            problems: rec.problems.map((p) => ({ level: p.level, field: p.field, message: msg(p) })),
            duplicate: rec.duplicate,
            clash: rec.clash,
          })
        }
        if (typeof rec.v.source === 'string' && sources.size < 200) sources.add(rec.v.source)
      }

      const chunk: Rec[] = []
      const flush = () => {
        if (chunk.length > 0) writer.write(chunk)
        for (const rec of chunk) record(rec)
        chunk.length = 0
      }
      const report = (lastRow: number) => {
        const total = file.source.estimateRows(lastRow)
        const dataTotal = total === null ? null : Math.max(counts.rowsRead, total - headerRowNumber)
        const seconds = (Date.now() - started) / 1000
        const rate = seconds > 0 ? counts.rowsRead / seconds : 0
        const left = dataTotal !== null && rate > 0 ? Math.ceil((dataTotal - counts.rowsRead) / rate) : null
        ctx.progress?.({
          done: counts.rowsRead,
          total: dataTotal,
          message:
            locale === 'en'
              ? `${counts.rowsRead} rows${left !== null ? `, about ${left}s left` : ''}`
              : `已处理 ${counts.rowsRead} 行${left !== null ? `，预计还需 ${left} 秒` : ''}`,
        })
      }

      const all = async function* () {
        for (let i = file.dataStart; i < file.buffered.length; i++) yield file.buffered[i]
        file.buffered.length = file.dataStart // free the buffer as we go on
        if (!file.exhausted) for await (const row of file.more) yield row
      }
      let lastRow = headerRowNumber
      for await (const row of all()) {
        if (isEmptyRow(row.cells)) continue
        counts.rowsRead++
        lastRow = row.n
        const rec = normalizeRow(row)
        if (rec.problems.some((p) => p.level === 'error')) record(rec)
        else chunk.push(rec)
        if (chunk.length >= CHUNK) flush()
        if (counts.rowsRead % CHUNK === 0) {
          // Let the event loop turn: rows may arrive as already-resolved promises for a long
          // stretch, and without this no request (Cancel, other API calls) would be read.
          await yieldToEventLoop()
          throwIfCancelled(ctx)
          report(lastRow)
        }
        if (opts.preview && counts.rowsRead >= opts.preview) break
      }
      flush()
      throwIfCancelled(ctx)
      if (!opts.dryRun && !opts.preview) writer.finish?.()
      if (counts.rowsRead === 0) throw new AppError('IMPORT_EMPTY', { sheet: file.source.info.sheet ?? file.source.info.fileName })
      report(lastRow)

      // Choice options met in the file are added to their fields; sources to the channel list.
      for (const [id, added] of newChoices) {
        const f = await trx.selectFrom('custom_fields').select('options').where('id', '=', id).executeTakeFirstOrThrow()
        const merged = [...new Set([...(JSON.parse(f.options) as string[]), ...added])]
        await trx.updateTable('custom_fields').set({ options: JSON.stringify(merged), updated_at: now }).where('id', '=', id).execute()
      }
      if (sources.size > 0) {
        const known = new Set((await trx.selectFrom('source_channels').select('name').execute()).map((r) => r.name))
        const fresh = [...sources].filter((x) => !known.has(x))
        if (fresh.length) {
          const max = await trx.selectFrom('source_channels').select((eb) => eb.fn.max('sort_order').as('m')).executeTakeFirst()
          await trx.insertInto('source_channels').values(fresh.map((name, i) => ({ name, sort_order: Number(max?.m ?? 0) + (i + 1) * 10, created_at: now }))).execute()
        }
      }

      const rejectedPath = await rejected.close()
      const result: ImportResult = {
        batchId: opts.dryRun || opts.preview ? null : batchId,
        dryRun: Boolean(opts.dryRun || opts.preview),
        target,
        file: file.source.info,
        headerRow: headerRowNumber,
        columns,
        dateOrder,
        onDuplicate: opts.onDuplicate,
        ...counts,
        warningCount: counts.warnings,
        errors,
        warnings,
        clashes,
        createdUsers: owners.created,
        createdFields,
        stageValues: [...stageValues].map(([value, s]) => ({ value, ...s })).sort((a, b) => b.count - a.count),
        rejectedFile: rejectedPath && slot ? { token: (slot as FileSlot).token, name: (slot as FileSlot).name, path: rejectedPath } : null,
        elapsedMs: Date.now() - started,
        ...(opts.preview ? { rows: previewRows.sort((a, b) => a.row - b.row) } : {}),
      }
      if (opts.dryRun || opts.preview) throw new DryRunDone(result)
      const summary = {
        rowsRead: counts.rowsRead, imported: counts.imported, updated: counts.updated, duplicates: counts.duplicates, rejected: counts.rejected,
        warnings: counts.warnings, createdUsers: owners.created, createdFields, clashes: clashes.length, sheet: file.source.info.sheet,
        onDuplicate: opts.onDuplicate, columns: columns.map((c) => ({ header: c.header, target: c.target })),
      }
      kept = rejectedPath ? keepFile(opts.dataDir, rejectedPath, join('imports', String(batchId))) : null
      await trx
        .updateTable('import_batches')
        .set({ status: 'done', summary: JSON.stringify(summary), finished_at: ctx.now().toISOString(), rejected_file: kept })
        .where('id', '=', batchId)
        .execute()
      // One audit entry for the batch: every row carries import_batch_id, updates are in import_changes.
      await audit(trx, ctx, { action: 'create', entity: 'import_batch', entityId: batchId, changes: summary })
      return result
    })
    committed = true
    return { ...result, elapsedMs: Date.now() - started }
  } catch (err) {
    if (err instanceof DryRunDone) {
      committed = true // the rejected-rows file of a dry run is worth keeping
      return { ...err.result, elapsedMs: Date.now() - started }
    }
    throw err
  } finally {
    cache.restore?.()
    file.source.close()
    if (!committed) {
      await rejectedFile?.abort()
      if (slot) rmSync(dirname((slot as FileSlot).path), { recursive: true, force: true })
      const keptPath = kept as string | null
      if (keptPath) rmSync(dirname(keptPath), { recursive: true, force: true })
    }
  }
}

function entityLabel(entity: string, locale: Locale): string {
  const zh: Record<string, string> = { lead: '线索', account: '客户', contact: '联系人', opportunity: '商机' }
  return locale === 'en' ? entity : (zh[entity] ?? entity)
}
function keyName(key: string, locale: Locale): string {
  const labels: Record<string, [string, string]> = { mobile: ['手机', 'mobile'], email: ['邮箱', 'e-mail'], company: ['公司名称', 'company name'], externalId: ['外部编号', 'external ID'] }
  return labels[key]?.[locale === 'en' ? 1 : 0] ?? key
}

/** A cell for a custom field, by the field's type. */
function customCell(field: CustomFieldRow, raw: RawCell, order: DateOrder | null, problems: Problem[], _locale: Locale): CustomCell | null {
  if (raw === null || (typeof raw === 'string' && raw.trim() === '')) return null
  if (isCellError(raw)) {
    const key = !raw.formula ? 'cellError' : raw.error === 'formula' ? 'formulaNoValue' : 'formulaError'
    problems.push({ level: 'warning', key, params: { field: field.label, value: raw.error }, field: field.label })
    return null
  }
  const base: CustomCell = { fieldId: field.id, text: null, number: null, date: null }
  switch (field.type) {
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(cellText(raw).normalize('NFKC').replace(/[,¥￥\s%]/g, ''))
      if (!Number.isFinite(n)) {
        problems.push({ level: 'error', key: 'badNumber', params: { field: field.label, value: cellText(raw) }, field: field.label })
        return null
      }
      return { ...base, number: n }
    }
    case 'date': {
      const p = parseDate(raw, order)
      if (!p || 'ambiguous' in p) {
        problems.push({ level: 'error', key: p ? 'ambiguousDate' : 'badDate', params: { field: field.label, value: cellText(raw) }, field: field.label })
        return null
      }
      return { ...base, date: isoDateOf(p) }
    }
    default:
      return { ...base, text: cellText(raw).trim().slice(0, 500) }
  }
}

export { TARGET_FIELDS }
