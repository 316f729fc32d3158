// Export jobs: one report or a monthly pack, to PDF (print page printed by
// Chromium/Electron) and to .xlsx (tables + chart images). Files go to the data
// folder's file store and cross the API by token (GET /api/files/<token>), so a
// browser on another machine never names or learns a server path.
//
// Chart images for the workbook: the SVG the print page uses, screenshotted by
// the same browser engine at 2×. Rendering from the option (rather than cutting
// images out of the printed page) keeps the workbook independent of the PDF and
// of page layout, and gives every chart the same pixel size.
import { writeFileSync } from 'node:fs'
import { z } from 'zod'
import { throwIfCancelled } from '../api/jobs'
import type { Db } from '../db/database'
import { dataDirOf, newFileSlot } from '../import/file-store'
import type { Ctx } from '../services/context'
import { getSettings } from '../services/settings'
import { reportCharts } from '../shared/reports/charts'
import { reportTitle, word } from '../shared/reports/labels'
import { wholeMonths } from '../shared/reports/period'
import { REPORT_NAMES, type AnyReport, type ReportName } from '../shared/reports/types'
import { activityReport } from './activity'
import { cycleReport } from './cycle'
import { distributionReport } from './distribution'
import { forecastReport } from './forecast'
import { funnelReport } from './funnel'
import { insightsReport } from './insights'
import { reportInput, type ReportInput } from './period'
import { loadPrintFonts } from './print-fonts'
import { buildPrintPage, defaultOrientation, PAGE_MARGINS, type Orientation } from './print-page'
import { repsReport } from './reps'
import { sourcesReport } from './sources'
import { renderChartSvg } from './svg'
import { withPrinter, type ReportPrinter } from './printer'
import { winLossReport } from './winloss'
import { buildWorkbook, type ChartImage } from './xlsx'

export const REPORTS: { [N in ReportName]: (db: Db, ctx: Ctx, input: ReportInput) => Promise<Extract<AnyReport, { report: N }>> } = {
  funnel: funnelReport,
  sources: sourcesReport,
  reps: repsReport,
  forecast: forecastReport,
  winloss: winLossReport,
  cycle: cycleReport,
  distribution: distributionReport,
  activity: activityReport,
  insights: insightsReport,
}

const reportName = z.enum(REPORT_NAMES as [ReportName, ...ReportName[]])
const orientation = z.enum(['portrait', 'landscape']).optional()
export const exportInput = z.object({ report: reportName, input: reportInput.default({ compare: true }), orientation }).strict()
export const packInput = z
  .object({ reports: z.array(reportName).min(1).max(REPORT_NAMES.length).default([...REPORT_NAMES]), input: reportInput.default({ compare: true }), orientation })
  .strict()

export interface ExportedFile {
  /** Download with GET /api/files/<token>. */
  token: string
  name: string
  /** Path on this machine; only for callers on this machine (desktop, CLI), never over HTTP. */
  path: string | null
  bytes: number
}

/** Width at which charts are drawn for the workbook (px); height follows each chart. */
export const XLSX_CHART_WIDTH = 720

export async function computeReports(db: Db, ctx: Ctx, names: readonly ReportName[], input: ReportInput): Promise<AnyReport[]> {
  const out: AnyReport[] = []
  for (const name of names) {
    throwIfCancelled(ctx)
    out.push(await REPORTS[name](db, ctx, input))
  }
  return out
}

export async function renderPdf(printer: ReportPrinter, company: string, reports: AnyReport[], ctx: Ctx, opts: { orientation?: Orientation; packTitle?: string } = {}): Promise<Buffer> {
  const page = await buildPrintPage({ company, reports, locale: ctx.locale, orientation: opts.orientation ?? defaultOrientation(reports), packTitle: opts.packTitle, generatedAt: ctx.now() })
  return printer.pdf(page.html, { landscape: page.landscape, margin: PAGE_MARGINS })
}

export async function chartImages(printer: ReportPrinter, reports: AnyReport[], ctx: Ctx): Promise<ChartImage[][]> {
  const specs = reports.map((report) => reportCharts(report, ctx.locale))
  throwIfCancelled(ctx)
  const flat = await Promise.all(specs.flat().map(async (c) => ({ title: c.title, svg: await renderChartSvg(c.option, XLSX_CHART_WIDTH, c.height), width: XLSX_CHART_WIDTH, height: c.height })))
  const pngs = await printer.pngs(flat, 2)
  let i = 0
  return specs.map((list) => list.map(() => ({ title: flat[i].title, png: pngs[i], width: flat[i].width, height: flat[i++].height })))
}

export async function renderXlsx(printer: ReportPrinter, company: string, reports: AnyReport[], ctx: Ctx, opts: { packTitle?: string } = {}): Promise<Buffer> {
  const charts = await chartImages(printer, reports, ctx)
  return buildWorkbook({ company, reports, charts, locale: ctx.locale, generatedAt: ctx.now(), packTitle: opts.packTitle })
}

/** "月度报表 2026-11" for one month, else the report pack with its period. */
export function packTitleFor(p: { from: string; to: string }, locale: Ctx['locale']): string {
  return wholeMonths(p) === 1 ? `${word('monthlyPack', locale)} ${p.from.slice(0, 7)}` : `${word('reportPack', locale)} ${p.from} ~ ${p.to}`
}

export function exportFileName(reports: AnyReport[], ctx: Ctx, ext: 'pdf' | 'xlsx', packTitle?: string): string {
  const p = reports[0].meta.period
  const title = reports.length === 1 && !packTitle ? reportTitle(reports[0].report, ctx.locale) : (packTitle ?? word('monthlyPack', ctx.locale))
  return `${title.replace(/[/~]/g, '-').replace(/\s+/g, '')}_${p.from}_${p.to}.${ext}`
}

function store(db: Db, ctx: Ctx, name: string, data: Buffer): ExportedFile {
  const slot = newFileSlot(dataDirOf(db), name)
  writeFileSync(slot.path, data)
  return { token: slot.token, name: slot.name, path: ctx.remote ? null : slot.path, bytes: data.length }
}

const step = (ctx: Ctx, done: number, total: number, zh: string, en: string) => ctx.progress?.({ done, total, message: ctx.locale === 'en' ? en : zh })

/** withPrinter for a PDF: the browser starts, and the font files are read, while `fn` computes the reports. */
export function withPdfPrinter<T>(fn: (p: ReportPrinter) => Promise<T>): Promise<T> {
  void loadPrintFonts()
  return withPrinter(fn)
}

export async function exportPdf(db: Db, ctx: Ctx, input: z.output<typeof exportInput>): Promise<ExportedFile> {
  step(ctx, 0, 2, '正在计算报表', 'Computing the report')
  const [reports, pdf] = await withPdfPrinter(async (p) => {
    const reports = await computeReports(db, ctx, [input.report], input.input)
    const { companyName } = await getSettings(db)
    step(ctx, 1, 2, '正在生成 PDF', 'Printing the PDF')
    return [reports, await renderPdf(p, companyName, reports, ctx, { orientation: input.orientation })] as const
  })
  throwIfCancelled(ctx)
  step(ctx, 2, 2, '完成', 'Done')
  return store(db, ctx, exportFileName(reports, ctx, 'pdf'), pdf)
}

export async function exportXlsx(db: Db, ctx: Ctx, input: z.output<typeof exportInput>): Promise<ExportedFile> {
  step(ctx, 0, 2, '正在计算报表', 'Computing the report')
  const reports = await computeReports(db, ctx, [input.report], input.input)
  const { companyName } = await getSettings(db)
  step(ctx, 1, 2, '正在生成 Excel', 'Writing the workbook')
  const xlsx = await withPrinter((p) => renderXlsx(p, companyName, reports, ctx))
  throwIfCancelled(ctx)
  step(ctx, 2, 2, '完成', 'Done')
  return store(db, ctx, exportFileName(reports, ctx, 'xlsx'), xlsx)
}

/** 月度报表: the selected reports in one PDF and one workbook, one browser session for both. */
export async function exportPack(db: Db, ctx: Ctx, input: z.output<typeof packInput>): Promise<{ pdf: ExportedFile; xlsx: ExportedFile }> {
  const total = input.reports.length + 2
  step(ctx, 0, total, '正在计算报表', 'Computing the reports')
  const reports: AnyReport[] = []
  const [pdf, xlsx, packTitle] = await withPdfPrinter(async (p) => {
    for (const name of input.reports) {
      reports.push(...(await computeReports(db, ctx, [name], input.input)))
      step(ctx, reports.length, total, `已计算 ${reports.length}/${input.reports.length} 张报表`, `Computed ${reports.length}/${input.reports.length} reports`)
    }
    const { companyName } = await getSettings(db)
    const packTitle = packTitleFor(reports[0].meta.period, ctx.locale)
    const pdfBuf = await renderPdf(p, companyName, reports, ctx, { orientation: input.orientation ?? 'landscape', packTitle })
    throwIfCancelled(ctx)
    step(ctx, total - 1, total, '正在生成 Excel', 'Writing the workbook')
    return [pdfBuf, await renderXlsx(p, companyName, reports, ctx, { packTitle }), packTitle] as const
  })
  throwIfCancelled(ctx)
  step(ctx, total, total, '完成', 'Done')
  return { pdf: store(db, ctx, exportFileName(reports, ctx, 'pdf', packTitle), pdf), xlsx: store(db, ctx, exportFileName(reports, ctx, 'xlsx', packTitle), xlsx) }
}
