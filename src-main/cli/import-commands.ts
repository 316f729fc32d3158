// `crm import FILE`, `crm export ENTITY --out FILE`, `crm import-undo BATCH`:
// the same engine as the import wizard and list export, for scripts and big files.
import { join, resolve } from 'node:path'
import { createCore } from '../api/core'
import { DB_FILE_NAME, resolveDataDir } from '../db/open'
import { exportInput, runExport } from '../export/export'
import { runImport } from '../import/engine'
import { parseStageMap } from '../import/stage-map'
import type { DateOrder, DedupeKey, DuplicatePolicy, ImportTarget } from '../import/types'
import { undoImport } from '../import/undo'
import { systemCtx } from '../services/context'
import { ensureLocalAdmin } from '../services/users'
import { AppError, type Locale } from '../shared/errors'
import type { CommonFlags } from './commands'
import type { Output } from './output'

export interface ImportFlags extends CommonFlags {
  locale: Locale
  file?: string
  target?: string
  stageMap?: string
  sheet?: string
  onDuplicate?: string
  dedupeBy?: string
  dryRun?: boolean
  dateOrder?: string
  owner?: string
  source?: string
  customFields?: boolean
  headerRow?: number
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) throw new AppError('VALIDATION', { detail: `--${flag} ${value} (${allowed.join('|')})` })
  return value as T
}

async function withCore<T>(flags: CommonFlags & { locale: Locale }, fn: (core: Awaited<ReturnType<typeof createCore>>, dir: string, ctx: ReturnType<typeof systemCtx>) => Promise<T>): Promise<T> {
  const dir = resolveDataDir(flags.dataDir)
  const core = await createCore(join(dir, DB_FILE_NAME))
  try {
    const admin = await ensureLocalAdmin(core.database.db, systemCtx())
    return await fn(core, dir, systemCtx({ userId: admin.id, locale: flags.locale }))
  } finally {
    await core.close()
  }
}

export async function cmdImport(flags: ImportFlags, out: Output): Promise<void> {
  if (!flags.file) throw new AppError('VALIDATION', { detail: 'crm import FILE' })
  const target = oneOf(flags.target, ['leads', 'accounts', 'opportunities'] as const, 'target') ?? 'leads'
  const onDuplicate = oneOf(flags.onDuplicate, ['skip', 'update', 'create'] as const, 'on-duplicate') ?? 'skip'
  const dateOrder = oneOf(flags.dateOrder, ['ymd', 'mdy', 'dmy'] as const, 'date-order')
  const dedupeBy = flags.dedupeBy?.split(',').map((k) => oneOf(k.trim(), ['mobile', 'email', 'company', 'externalId'] as const, 'dedupe-by')!) as DedupeKey[] | undefined
  const stageMap = flags.stageMap ? parseStageMap(flags.stageMap) : undefined
  const path = resolve(flags.file)
  await withCore(flags, async (core, dir, baseCtx) => {
    const locale = flags.locale
    const ctx = {
      ...baseCtx,
      progress: (p: { message?: string }) => out.info(`  ${p.message ?? ''}`),
    }
    const r = await runImport(core.database.db, ctx, {
      target: target as ImportTarget,
      path,
      sheet: flags.sheet,
      headerRow: flags.headerRow,
      onDuplicate: onDuplicate as DuplicatePolicy,
      dedupeBy,
      stageMap,
      dateOrder: dateOrder as DateOrder | undefined,
      ownerName: flags.owner,
      source: flags.source,
      unmappedAsCustom: flags.customFields,
      dryRun: flags.dryRun,
      dataDir: dir,
    })
    const data = { imported: r.imported, updated: r.updated, duplicates: r.duplicates, rejected: r.rejected, errors: r.errors, batch: r.batchId }
    const en = locale === 'en'
    const lines = [
      en
        ? `${r.dryRun ? 'Dry run (nothing written): ' : ''}${r.imported} imported, ${r.updated} updated, ${r.duplicates} skipped as duplicates, ${r.rejected} rejected (${r.rowsRead} rows).`
        : `${r.dryRun ? '试运行（未写入）：' : ''}导入 ${r.imported} 行，更新 ${r.updated} 行，重复跳过 ${r.duplicates} 行，未导入 ${r.rejected} 行（共 ${r.rowsRead} 行）。`,
      ...(r.batchId ? [en ? `Batch ${r.batchId} (undo: crm import-undo ${r.batchId})` : `批次 ${r.batchId}（撤销：crm import-undo ${r.batchId}）`] : []),
      ...(r.createdUsers.length ? [`${en ? 'New users (imported)' : '新建用户（导入）'}：${r.createdUsers.join('、')}`] : []),
      ...(r.createdFields.length ? [`${en ? 'New custom fields' : '新建自定义字段'}：${r.createdFields.join('、')}`] : []),
      ...(r.clashes.length ? [`${en ? 'Ownership clashes (撞单)' : '撞单'}：${r.clashes.length}`] : []),
      ...(r.rejectedFile ? [`${en ? 'Rejected rows' : '未导入的行'}：${r.rejectedFile.path}`] : []),
      ...r.errors.slice(0, 20).map((e) => `  ${en ? 'row' : '第'} ${e.row}${en ? '' : ' 行'}：${e.message}`),
      ...(r.errors.length > 20 ? [`  …`] : []),
    ]
    out.result(data, lines.join('\n'))
  })
}

export async function cmdExport(flags: CommonFlags & { locale: Locale; entity?: string; out?: string }, out: Output): Promise<void> {
  const entity = oneOf(flags.entity, ['leads', 'accounts', 'contacts', 'opportunities'] as const, 'entity')
  if (!entity || !flags.out) throw new AppError('VALIDATION', { detail: 'crm export leads|accounts|contacts|opportunities --out FILE.xlsx|FILE.csv' })
  const file = resolve(flags.out)
  const format = /\.csv$/i.test(file) ? 'csv' : /\.xlsx$/i.test(file) ? 'xlsx' : null
  if (!format) throw new AppError('VALIDATION', { detail: '--out FILE.xlsx | FILE.csv' })
  await withCore(flags, async (core, _dir, baseCtx) => {
    const ctx = { ...baseCtx, progress: (p: { message?: string }) => out.info(`  ${p.message ?? ''}`) }
    const r = await runExport(core.database.db, ctx, exportInput.parse({ entity, format, out: file }))
    out.result({ entity, rows: r.rows, out: r.path }, flags.locale === 'en' ? `Exported ${r.rows} rows to ${r.path}` : `已导出 ${r.rows} 行到 ${r.path}`)
  })
}

export async function cmdImportUndo(flags: CommonFlags & { locale: Locale; batch?: string }, out: Output): Promise<void> {
  const batchId = Number(flags.batch)
  if (!Number.isInteger(batchId) || batchId <= 0) throw new AppError('VALIDATION', { detail: 'crm import-undo BATCH' })
  await withCore(flags, async (core, _dir, ctx) => {
    const r = await undoImport(core.database.db, ctx, { batchId })
    const d = r.deleted
    out.result(
      r,
      flags.locale === 'en'
        ? `Batch ${batchId} undone: removed ${d.leads} leads, ${d.accounts} accounts, ${d.contacts} contacts, ${d.opportunities} opportunities, ${d.users} users; restored ${r.restored} updated records.`
        : `已撤销批次 ${batchId}：删除线索 ${d.leads} 条、客户 ${d.accounts} 家、联系人 ${d.contacts} 位、商机 ${d.opportunities} 个、用户 ${d.users} 位；恢复被更新的记录 ${r.restored} 条。`,
    )
  })
}
