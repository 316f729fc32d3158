// `crm report NAME`: a report as JSON (the same data the screen shows), PDF or .xlsx.
//   crm report funnel|sources|reps|forecast|winloss|cycle|distribution|activity|insights|pack
//       [--from YYYY-MM-DD --to YYYY-MM-DD] [--format json|pdf|xlsx] [--out FILE]
//       [--owner 姓名] [--team 团队] [--source 渠道] [--orientation portrait|landscape]
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { createCore } from '../api/core'
import { DB_FILE_NAME, resolveDataDir } from '../db/open'
import { computeReports, packTitleFor, renderPdf, renderXlsx, withPdfPrinter } from '../reports/export'
import { reportInput } from '../reports/period'
import { withPrinter } from '../reports/printer'
import { systemCtx } from '../services/context'
import { getSettings } from '../services/settings'
import { AppError, VALIDATION_MESSAGES, type Locale } from '../shared/errors'
import { REPORT_NAMES, type ReportName } from '../shared/reports/types'
import type { CommonFlags } from './commands'
import type { Output } from './output'

export interface ReportFlags extends CommonFlags {
  locale: Locale
  name?: string
  from?: string
  to?: string
  format?: string
  out?: string
  owner?: string
  team?: string
  source?: string
  orientation?: string
}

export async function cmdReport(flags: ReportFlags, out: Output): Promise<void> {
  const pack = flags.name === 'pack'
  if (!flags.name || (!pack && !REPORT_NAMES.includes(flags.name as ReportName))) throw new AppError('VALIDATION', { detail: `report ${[...REPORT_NAMES, 'pack'].join('|')}` })
  const format = flags.format ?? 'json'
  if (!['json', 'pdf', 'xlsx'].includes(format)) throw new AppError('VALIDATION', { detail: '--format json|pdf|xlsx' })
  if (format !== 'json' && !flags.out) throw new AppError('VALIDATION', { detail: '--out FILE' })
  if (pack && format === 'json') throw new AppError('VALIDATION', { detail: 'report pack --format pdf|xlsx' })
  if (flags.orientation && !['portrait', 'landscape'].includes(flags.orientation)) throw new AppError('VALIDATION', { detail: '--orientation portrait|landscape' })

  const dir = resolveDataDir(flags.dataDir)
  const core = await createCore(join(dir, DB_FILE_NAME))
  try {
    const db = core.database.db
    const ctx = systemCtx({ locale: flags.locale })
    let ownerId: number | undefined
    if (flags.owner) {
      const u = await db.selectFrom('users').select('id').where('name', '=', flags.owner).executeTakeFirst()
      if (!u) throw new AppError('NOT_FOUND', { entityKey: 'user', id: flags.owner })
      ownerId = u.id
    }
    // The same validation as the API: dates, order, filters.
    const parsed = reportInput.safeParse({ from: flags.from, to: flags.to, ownerId, team: flags.team, source: flags.source })
    if (!parsed.success) throw new AppError('VALIDATION', { detail: parsed.error.issues.map((i) => `${i.path.join('.')} ${VALIDATION_MESSAGES[i.message]?.[flags.locale] ?? i.message}`).join('; ') })
    const input = parsed.data
    const names = pack ? REPORT_NAMES : [flags.name as ReportName]
    const target = flags.out ? resolve(flags.out) : null
    if (target) mkdirSync(dirname(target), { recursive: true })

    if (format === 'json') {
      const reports = await computeReports(db, ctx, names, input)
      const json = `${JSON.stringify(reports[0], null, 2)}\n`
      if (target) {
        writeFileSync(target, json)
        out.result({ report: flags.name, format, out: target, bytes: Buffer.byteLength(json) }, `已写入 ${target}`)
      } else {
        process.stdout.write(json)
      }
      return
    }
    const { companyName } = await getSettings(db)
    const orientation = flags.orientation as 'portrait' | 'landscape' | undefined
    // As the app's export does: the browser starts (and for a PDF the font files are read) while the reports are computed.
    const [reports, data] = await (format === 'pdf' ? withPdfPrinter : withPrinter)(async (p) => {
      const reports = await computeReports(db, ctx, names, input)
      const packTitle = pack ? packTitleFor(reports[0].meta.period, flags.locale) : undefined
      const data = format === 'pdf' ? await renderPdf(p, companyName, reports, ctx, { orientation: orientation ?? (pack ? 'landscape' : undefined), packTitle }) : await renderXlsx(p, companyName, reports, ctx, { packTitle })
      return [reports, data] as const
    })
    writeFileSync(target!, data)
    out.result({ report: flags.name, format, out: target, bytes: data.length, period: reports[0].meta.period }, `已生成 ${target}（${Math.ceil(data.length / 1024)} KB）`)
  } finally {
    await core.close()
  }
}
