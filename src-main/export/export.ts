// List export: any list with its current filters and columns, to .xlsx (exceljs
// streaming writer: typed dates and numbers with formats, styled frozen header,
// autofilter, column widths) or CSV (UTF-8 with BOM so Excel reads Chinese right).
// In the app (download by token) rows are read by id in pages: first the ordered
// ids (filters and sort of the list), then 1000 rows at a time, so the database
// is never held for the whole export; the CLI and the benchmark (`out`) stream
// one statement. Memory stays flat either way. Formula-like text is neutralised (cell-safety.ts).
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs'
import { dirname } from 'node:path'
import type ExcelJS from 'exceljs'
import { loadExcel } from '../import/excel'
import { iterateCompiled } from '../db/sqlite-bulk'
import { sqliteHandleOf } from '../db/sqlite'
import { z } from 'zod'
import { sql, type SelectQueryBuilder } from 'kysely'
import type { Database, Db } from '../db/database'
import { throwIfCancelled } from '../api/jobs'
import { accountListInput, applyAccountFilters } from '../services/accounts'
import { applyContactFilters, contactListInput, orderContacts } from '../services/contacts'
import type { Ctx } from '../services/context'
import { applyLeadFilters, leadListInput } from '../services/leads'
import { applyOpportunityFilters, opportunityListInput } from '../services/opportunities'
import { AppError, type Locale } from '../shared/errors'
import { businessDate } from '../shared/dates'
import { dataDirOf, newFileSlot } from '../import/file-store'
import { safeCellText } from './cell-safety'
import { ENTITY_OF_EXPORT, EXPORT_COLUMNS, type CellType, type ExportColumn, type ExportEntity } from './columns'

const PAGE = 1000

const common = {
  /** Column keys in order (see export:columns); custom fields as "cf:<id>". Default: the list's usual columns. */
  columns: z.array(z.string().max(40)).min(1).max(200).optional(),
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  /** Desktop and CLI: where to write. Browser: leave out and download by token. */
  out: z.string().min(1).max(4096).optional(),
  fileName: z.string().trim().min(1).max(100).optional(),
}
const noPaging = { page: true, pageSize: true } as const
export const exportInput = z.discriminatedUnion('entity', [
  z.object({ entity: z.literal('leads'), filters: leadListInput.omit(noPaging).prefault({}), ...common }),
  z.object({ entity: z.literal('accounts'), filters: accountListInput.omit(noPaging).prefault({}), ...common }),
  z.object({ entity: z.literal('contacts'), filters: contactListInput.omit(noPaging).prefault({}), ...common }),
  z.object({ entity: z.literal('opportunities'), filters: opportunityListInput.omit(noPaging).prefault({}), ...common }),
])
export type ExportInput = z.output<typeof exportInput>

export interface ExportResult {
  entity: ExportEntity
  format: 'xlsx' | 'csv'
  rows: number
  columns: string[]
  /** Where the file is: `out` when given, else a file under the data folder … */
  path: string
  fileName: string
  /** … to download by token (GET /api/files/<token>). Null when written to `out`. */
  token: string | null
}

interface Col extends ExportColumn {
  /** Alias of the value in the page query. */
  alias: string
  choices?: string[]
}

/** Columns the user can choose, with labels in their language (custom fields included). */
export async function exportColumns(db: Db, ctx: Ctx, input: { entity: ExportEntity }) {
  const custom = await db
    .selectFrom('custom_fields')
    .selectAll()
    .where('entity', '=', ENTITY_OF_EXPORT[input.entity])
    .where('is_active', '=', 1)
    .orderBy('sort_order')
    .execute()
  return [
    ...EXPORT_COLUMNS[input.entity].map((c) => ({ key: c.key, label: c.label[ctx.locale], type: c.type, default: Boolean(c.default) })),
    ...custom.map((f) => ({ key: `cf:${f.id}`, label: f.label, type: f.type === 'number' ? 'int' : f.type === 'date' ? 'date' : 'text', default: true })),
  ]
}

async function resolveColumns(db: Db, entity: ExportEntity, keys: string[] | undefined): Promise<Col[]> {
  const custom = await db.selectFrom('custom_fields').selectAll().where('entity', '=', ENTITY_OF_EXPORT[entity]).execute()
  const all: Col[] = [
    ...EXPORT_COLUMNS[entity].map((c) => ({ ...c, alias: c.source })),
    ...custom.map((f): Col => ({
      key: `cf:${f.id}`,
      label: { 'zh-CN': f.label, en: f.label },
      type: f.type === 'number' ? 'int' : f.type === 'date' ? 'date' : 'text',
      source: `cf${f.id}`,
      alias: `cf${f.id}`,
      default: f.is_active === 1,
    })),
  ]
  if (!keys) return all.filter((c) => c.default)
  return keys.map((k) => {
    const col = all.find((c) => c.key === k)
    if (!col) throw new AppError('VALIDATION', { detail: `columns: ${k}` })
    return col
  })
}

type Row = Record<string, unknown>

/**
 * The list's query (its joins, filters and sort) with every custom column as a
 * LEFT JOIN, streamed row by row. One query, no per-page round trips: the export
 * holds the connection while it writes (as an import does), so other calls wait.
 */
function exportQuery(db: Db, input: ExportInput, cols: Col[]) {
  const custom = cols.filter((c) => c.key.startsWith('cf:')).map((c) => ({ id: Number(c.key.slice(3)), type: c.type, alias: c.alias }))
  // Only the columns asked for (a row object per record is the main cost of reading).
  const JOINED = new Set(
    { leads: ['owner_name'], accounts: ['owner_name'], contacts: ['account_name', 'owner_name'], opportunities: ['account_name', 'contact_name', 'stage_name', 'owner_name'] }[input.entity],
  )
  const own = (table: string) => [...new Set(['id', ...cols.filter((c) => !c.key.startsWith('cf:') && !JOINED.has(c.source)).map((c) => c.source)])].map((c) => `${table}.${c}` as never)
  const entity = ENTITY_OF_EXPORT[input.entity]
  // Custom columns: one LEFT JOIN each on (field, record); the value column by the field's type.
  const withCustom = <T>(qb: T, table: string): T => {
    let q = qb as unknown as SelectQueryBuilder<Database, any, any>
    for (const f of custom) {
      const t = `cv${f.id}`
      q = q
        .leftJoin(`custom_values as ${t}` as any, (j: any) => j.onRef(`${t}.entity_id`, '=', `${table}.id`).on(`${t}.field_id`, '=', f.id).on(`${t}.entity`, '=', entity))
        .select(sql.ref(`${t}.${f.type === 'int' ? 'value_number' : f.type === 'date' ? 'value_date' : 'value_text'}`).as(f.alias))
    }
    return q as unknown as T
  }
  switch (input.entity) {
    case 'leads': {
      const fl = input.filters as z.output<typeof leadListInput>
      const q = db.selectFrom('leads').leftJoin('users as owner', 'owner.id', 'leads.owner_id').select(own('leads')).select('owner.name as owner_name')
      return {
        rows: withCustom(applyLeadFilters(q, fl), 'leads').orderBy(`leads.${fl.sort}`, fl.order).orderBy('leads.id', fl.order),
        count: applyLeadFilters(db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')), fl),
        ids: applyLeadFilters(db.selectFrom('leads').select('leads.id'), fl).orderBy(`leads.${fl.sort}`, fl.order).orderBy('leads.id', fl.order),
        byIds: (ids: number[]) => withCustom(q, 'leads').where('leads.id', 'in', ids),
      }
    }
    case 'accounts': {
      const fl = input.filters as z.output<typeof accountListInput>
      const q = db.selectFrom('accounts').leftJoin('users as owner', 'owner.id', 'accounts.owner_id').select(own('accounts')).select('owner.name as owner_name')
      return {
        rows: withCustom(applyAccountFilters(q, fl), 'accounts').orderBy(`accounts.${fl.sort}`, fl.order).orderBy('accounts.id', fl.order),
        count: applyAccountFilters(db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')), fl),
        ids: applyAccountFilters(db.selectFrom('accounts').select('accounts.id'), fl).orderBy(`accounts.${fl.sort}`, fl.order).orderBy('accounts.id', fl.order),
        byIds: (ids: number[]) => withCustom(q, 'accounts').where('accounts.id', 'in', ids),
      }
    }
    case 'contacts': {
      const fl = input.filters as z.output<typeof contactListInput>
      const q = db
        .selectFrom('contacts')
        .innerJoin('accounts', 'accounts.id', 'contacts.account_id')
        .leftJoin('users as owner', 'owner.id', 'accounts.owner_id')
        .select(own('contacts'))
        .select(['accounts.name as account_name', 'owner.name as owner_name'])
      return {
        rows: orderContacts(withCustom(applyContactFilters(q, fl), 'contacts'), fl),
        count: applyContactFilters(db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')), fl),
        ids: orderContacts(applyContactFilters(db.selectFrom('contacts').select('contacts.id'), fl), fl),
        byIds: (ids: number[]) => withCustom(q, 'contacts').where('contacts.id', 'in', ids),
      }
    }
    case 'opportunities': {
      const fl = input.filters as z.output<typeof opportunityListInput>
      const q = db
        .selectFrom('opportunities')
        .innerJoin('accounts', 'accounts.id', 'opportunities.account_id')
        .innerJoin('pipeline_stages as stage', 'stage.id', 'opportunities.stage_id')
        .leftJoin('contacts', 'contacts.id', 'opportunities.contact_id')
        .leftJoin('users as owner', 'owner.id', 'opportunities.owner_id')
        .select(own('opportunities'))
        .select(['accounts.name as account_name', 'contacts.name as contact_name', 'stage.name as stage_name', 'owner.name as owner_name'])
      return {
        rows: withCustom(applyOpportunityFilters(q, fl), 'opportunities').orderBy(`opportunities.${fl.sort}`, fl.order).orderBy('opportunities.id', fl.order),
        count: applyOpportunityFilters(db.selectFrom('opportunities').select((eb) => eb.fn.countAll<number>().as('n')), fl),
        ids: applyOpportunityFilters(q.clearSelect().select('opportunities.id'), fl).orderBy(`opportunities.${fl.sort}`, fl.order).orderBy('opportunities.id', fl.order),
        byIds: (ids: number[]) => withCustom(q, 'opportunities').where('opportunities.id', 'in', ids),
      }
    }
  }
}

// Cell values ----------------------------------------------------------------

const dateCell = (ymd: string): Date | null => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd)
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null
}
/** Excel has no time zones: show the business-time wall clock (exceljs writes a Date's UTC fields). */
const wallClock = (iso: string): Date | null => {
  const t = Date.parse(iso)
  return Number.isNaN(t) ? null : new Date(t + 8 * 3600 * 1000)
}
const pad = (n: number) => String(n).padStart(2, '0')
const wallText = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`

function typedValue(col: Col, raw: unknown, locale: Locale): string | number | Date | boolean | null {
  if (raw === null || raw === undefined || raw === '') return null
  switch (col.type) {
    case 'money':
      return Number(raw) / 100
    case 'int':
    case 'percent':
      return typeof raw === 'number' ? raw : Number(raw)
    case 'date':
      return dateCell(String(raw))
    case 'datetime':
      return wallClock(String(raw))
    case 'bool':
      return raw === 1 || raw === true ? (locale === 'en' ? 'Yes' : '是') : null
    case 'tags': {
      const list = JSON.parse(String(raw)) as string[]
      return list.length ? safeCellText(list.join(locale === 'en' ? ', ' : '、')) : null
    }
    default: {
      const label = col.labels?.[String(raw)]?.[locale]
      return safeCellText(label ?? String(raw))
    }
  }
}

const NUM_FMT: Partial<Record<CellType, string>> = { money: '#,##0.00', int: '0', percent: '0"%"', date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm' }

/** Display width of text: CJK characters are twice as wide. */
function textWidth(s: string): number {
  let w = 0
  for (const ch of s) w += /[\u1100-\uffff]/.test(ch) ? 2 : 1
  return w
}

interface Sink {
  header(cols: Col[], sample: Array<Record<string, unknown>>): void
  row(values: Array<string | number | Date | boolean | null>): void
  /** After each page: let the file catch up (back-pressure). */
  pageDone(): Promise<void>
  close(): Promise<void>
  abort(): Promise<void>
}

function xlsxSink(excel: typeof ExcelJS, path: string, sheetName: string, locale: Locale): Sink {
  // Inline strings (no shared-string table): memory stays flat however many rows.
  const wb = new excel.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false })
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] })
  return {
    header(cols, sample) {
      ws.columns = cols.map((c) => {
        const label = c.label[locale]
        let width = textWidth(label) + 2
        for (const r of sample.slice(0, 200)) {
          const v = typedValue(c, r[c.alias], locale)
          const text = v instanceof Date ? (c.type === 'date' ? '2026-01-01' : '2026-01-01 00:00') : v === null ? '' : typeof v === 'number' ? v.toLocaleString('en') : String(v)
          width = Math.max(width, textWidth(text) + 2)
        }
        return { header: label, key: c.alias, width: Math.min(Math.max(width, 8), 50), style: NUM_FMT[c.type] ? { numFmt: NUM_FMT[c.type] } : {} }
      })
      const head = ws.getRow(1)
      head.eachCell((cell) => {
        cell.style = {
          font: { bold: true, color: { argb: 'FFFFFFFF' } },
          fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF2F6FED' } },
          alignment: { vertical: 'middle' },
          border: { bottom: { style: 'thin', color: { argb: 'FF1D4FB8' } } },
        }
      })
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } }
      head.commit()
    },
    row(values) {
      ws.addRow(values).commit()
    },
    async pageDone() {},
    async close() {
      ws.commit()
      await wb.commit()
    },
    async abort() {
      ws.commit()
      await wb.commit().catch(() => {})
    },
  }
}

function csvField(v: string | number | Date | boolean | null, type: CellType): string {
  if (v === null) return ''
  let s: string
  if (v instanceof Date) s = type === 'date' ? v.toISOString().slice(0, 10) : wallText(v)
  else if (typeof v === 'number') s = type === 'money' ? v.toFixed(2) : String(v)
  else s = String(v)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function csvSink(path: string, locale: Locale): Sink {
  const out: WriteStream = createWriteStream(path)
  let buf = '\ufeff' // BOM: Excel then reads the file as UTF-8 (Chinese intact)
  let types: CellType[] = []
  return {
    header(cols) {
      types = cols.map((c) => c.type)
      buf += cols.map((c) => csvField(safeCellText(c.label[locale]), 'text')).join(',') + '\r\n'
    },
    row(values) {
      buf += values.map((v, i) => csvField(v, types[i])).join(',') + '\r\n'
    },
    async pageDone() {
      const chunk = buf
      buf = ''
      if (chunk && !out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()))
    },
    async close() {
      await this.pageDone()
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())))
    },
    async abort() {
      out.destroy()
    },
  }
}

export async function runExport(db: Db, ctx: Ctx, input: ExportInput): Promise<ExportResult> {
  const locale = ctx.locale
  const cols = await resolveColumns(db, input.entity, input.columns)
  const entityLabel = { leads: ['线索', 'leads'], accounts: ['客户', 'accounts'], contacts: ['联系人', 'contacts'], opportunities: ['商机', 'opportunities'] }[input.entity]
  const stamp = businessDate(ctx.now())
  const fileName = `${input.fileName ?? `${entityLabel[locale === 'en' ? 1 : 0]}-${stamp}`}.${input.format}`
  let path: string
  let token: string | null = null
  if (input.out) {
    if (ctx.remote) throw new AppError('FORBIDDEN', { reasonKey: 'reason.pathNotAllowed' })
    path = input.out
    mkdirSync(dirname(path), { recursive: true })
  } else {
    const slot = newFileSlot(dataDirOf(db), fileName)
    path = slot.path
    token = slot.token
  }
  const query = exportQuery(db, input, cols)
  const total = Number((await query.count.executeTakeFirstOrThrow()).n)
  const sink = input.format === 'csv' ? csvSink(path, locale) : xlsxSink(await loadExcel(), path, entityLabel[locale === 'en' ? 1 : 0], locale)
  try {
    let done = 0
    // The first rows size the columns; then row by row.
    const sample: Row[] = []
    let headerWritten = false
    const report = () => ctx.progress?.({ done, total, message: locale === 'en' ? `${done} / ${total} rows` : `已导出 ${done} / ${total} 行` })
    const write = (r: Row) => {
      sink.row(cols.map((c) => typedValue(c, r[c.alias], locale)))
      done++
    }
    // SQLite: rows straight from the statement in batches (db/sqlite-bulk.ts); elsewhere Kysely's stream.
    const onBatch = async (rows: Row[]) => {
      for (const r of rows) {
        if (!headerWritten) {
          sample.push(r)
          if (sample.length < 200) continue
          sink.header(cols, sample)
          headerWritten = true
          for (const x of sample) write(x)
          continue
        }
        write(r)
      }
      throwIfCancelled(ctx)
      await sink.pageDone()
      report()
      // Let the event loop run between pages: progress events go out, the file
      // stream flushes, and a cancel request gets through.
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    if (!input.out) {
      // In the app (download by token): the ordered ids first, then the rows a
      // page at a time in separate statements, so the database is free between
      // pages and the user can keep working (and cancel) during a large export.
      const ids = ((await (query.ids as SelectQueryBuilder<Database, any, { id: number }>).execute()) as Array<{ id: number }>).map((r) => r.id)
      for (let i = 0; i < ids.length; i += PAGE) {
        const part = ids.slice(i, i + PAGE)
        const got = (await (query.byIds(part) as SelectQueryBuilder<Database, any, Row>).execute()) as Row[]
        const byId = new Map(got.map((r) => [r.id as number, r]))
        await onBatch(part.map((id) => byId.get(id)).filter((r): r is Row => r !== undefined))
      }
    } else if (sqliteHandleOf(db)) await iterateCompiled<Row>(db, query.rows.compile(), PAGE, onBatch)
    else {
      let batch: Row[] = []
      for await (const r of query.rows.stream(PAGE) as AsyncIterable<Row>) {
        batch.push(r)
        if (batch.length >= PAGE) {
          await onBatch(batch)
          batch = []
        }
      }
      await onBatch(batch)
    }
    if (!headerWritten) {
      sink.header(cols, sample)
      for (const x of sample) write(x)
    }
    await sink.pageDone()
    report()
    await sink.close()
    return { entity: input.entity, format: input.format, rows: done, columns: cols.map((c) => c.key), path, fileName, token }
  } catch (err) {
    await sink.abort()
    rmSync(token ? dirname(path) : path, { recursive: true, force: true })
    throw err
  }
}
