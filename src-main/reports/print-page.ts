// The print page: one standalone HTML document per PDF (a report, or a monthly
// pack of several). Charts are inline SVG rendered on the server from the same
// ECharts options as the screen; tables are the same tables as the screen and
// the workbook. No script and no remote content (CSP says so), so both Chromium
// (crm serve, CLI) and Electron print it the same way.
//
// Fonts: the system's Noto Sans CJK (Debian: fonts-noto-cjk) by family name,
// with the usual Windows/macOS Chinese fonts after it; Chromium embeds the
// subset it uses into the PDF.
import { businessDateTime } from '../shared/dates'
import type { Locale } from '../shared/errors'
import { CHART_FONT, reportCharts } from '../shared/reports/charts'
import { formatCell } from '../shared/reports/format'
import { noteText, reportTitle, word } from '../shared/reports/labels'
import { reportTables } from '../shared/reports/tables'
import type { AnyReport, ReportMeta, ReportTable } from '../shared/reports/types'
import { PRINT_FONT_FAMILY, printFontFaces } from './print-fonts'
import { renderChartSvg } from './svg'

export type Orientation = 'portrait' | 'landscape'

/** Reports whose tables are wide print landscape unless asked otherwise. */
export const WIDE_REPORTS = new Set(['sources', 'reps', 'forecast'])
export function defaultOrientation(reports: AnyReport[]): Orientation {
  return reports.some((r) => WIDE_REPORTS.has(r.report)) ? 'landscape' : 'portrait'
}

/** Printable width in CSS px (96 dpi) of A4 minus the side margins below (12 mm each). */
export const CONTENT_WIDTH: Record<Orientation, number> = { portrait: Math.floor(((210 - 24) / 25.4) * 96), landscape: Math.floor(((297 - 24) / 25.4) * 96) }
export const PAGE_MARGINS = { top: '20mm', bottom: '16mm', left: '12mm', right: '12mm' }

export interface PrintOptions {
  company: string
  reports: AnyReport[]
  locale: Locale
  orientation: Orientation
  /** Title of a pack (several reports); a single report uses its own title. */
  packTitle?: string
  generatedAt: Date
}

export interface PrintPage {
  html: string
  landscape: boolean
  title: string
}

/** "2026-11-29 10:00" in Asia/Shanghai. */
export function dateTimeText(at: Date): string {
  const { date, time } = businessDateTime(at)
  return `${date} ${time}`
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

export function periodText(meta: ReportMeta, _locale: Locale): string {
  const range = (p: { from: string; to: string }) => (p.from === p.to ? p.from : `${p.from} ~ ${p.to}`)
  return range(meta.period)
}

export function filterText(meta: ReportMeta, locale: Locale): string {
  const f = meta.filters
  const parts: string[] = []
  if (f.ownerId !== undefined) parts.push(`${word('owner', locale)}：${meta.ownerName ?? f.ownerId}`)
  if (f.team) parts.push(`${word('team', locale)}：${f.team}`)
  if (f.source) parts.push(`${word('source', locale)}：${f.source}`)
  if (f.industry) parts.push(`${word('industry', locale)}：${f.industry}`)
  if (f.province) parts.push(`${word('province', locale)}：${f.province}`)
  if (f.size) parts.push(`${word('size', locale)}：${f.size}`)
  if (f.tag) parts.push(`${word('tag', locale)}：${f.tag}`)
  if (f.pipeline && f.pipeline !== 'default') parts.push(`${word('pipeline', locale)}：${f.pipeline}`)
  if (parts.length === 0) parts.push(word('allData', locale))
  if (meta.scope === 'own') parts.push(word('ownOnly', locale))
  return parts.join('；')
}

function tableHtml(t: ReportTable): string {
  const numeric = (type: string) => type !== 'text'
  const cell = (r: ReportTable['rows'][number], key: string, type: string) => {
    const ty = r.cellTypes?.[key] ?? type
    const v = r.cells[key]
    return `<td class="${numeric(ty) && typeof v !== 'string' ? 'num' : ''}">${esc(formatCell(v ?? null, ty as never))}</td>`
  }
  const head = t.columns.map((c) => `<th class="${numeric(c.type) ? 'num' : ''}">${esc(c.label)}</th>`).join('')
  const body = t.rows.map((r) => `<tr>${t.columns.map((c) => cell(r, c.key, c.type)).join('')}</tr>`).join('')
  const total = t.total ? `<tfoot><tr>${t.columns.map((c) => cell(t.total!, c.key, c.type)).join('')}</tr></tfoot>` : ''
  const empty = t.rows.length === 0 ? `<tr><td class="empty" colspan="${t.columns.length}">—</td></tr>` : ''
  const wide = t.columns.length > 9 ? ' wide' : ''
  return `<section class="table"><h3>${esc(t.title)}</h3><table class="${wide}"><thead><tr>${head}</tr></thead><tbody>${body}${empty}</tbody>${total}</table></section>`
}

async function reportHtml(report: AnyReport, o: PrintOptions, width: number, first: boolean): Promise<string> {
  const L = o.locale
  const meta = report.meta
  const charts = reportCharts(report, L)
  const tables = reportTables(report, L)
  const info = [
    [word('period', L), periodText(meta, L)],
    ...(meta.previous ? [[word('previous', L), `${meta.previous.from} ~ ${meta.previous.to}`]] : []),
    [word('filters', L), filterText(meta, L)],
    [word('generated', L), dateTimeText(o.generatedAt)],
  ]
  const notes = [...meta.notes.map((n) => noteText(n, L)), ...(report.report === 'forecast' && report.current.riskAdjusted === 'unavailable' ? [word('riskUnavailable', L)] : [])]
  const insights = report.report === 'insights' ? [...report.current.findings.map((f) => f.text), ...report.current.statements] : []
  const figures: string[] = []
  for (const c of charts) {
    // Wider than the screen's 720 px in landscape, but not taller than needed: charts stay a third of a page or so.
    const height = Math.round(c.height * Math.min(1.15, width / 720))
    const option = { ...c.option, textStyle: { ...(c.option.textStyle as object), fontFamily: PRINT_FONT } }
    figures.push(`<figure class="chart"><figcaption>${esc(c.title)}</figcaption>${await renderChartSvg(option, width, height)}</figure>`)
  }
  const chartHtml = figures.join('')
  return `<article class="report${first ? '' : ' break'}" data-report="${report.report}">
  <header class="title">
    <div class="company">${esc(o.company)}</div>
    <h1>${esc(reportTitle(report.report, L))}</h1>
    <dl>${info.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>
  </header>
  ${insights.length ? `<ul class="insights">${insights.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>` : ''}
  ${chartHtml}
  ${tables.map(tableHtml).join('')}
  ${notes.length ? `<ul class="notes">${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
</article>`
}

/** The page's own cut-down font first (print-fonts.ts), then the system fonts by name. */
const PRINT_FONT = `"${PRINT_FONT_FAMILY}", ${CHART_FONT}`

/** A CSS string literal; `<` escaped too, as it sits inside <style>. */
const cssString = (s: string) => `"${s.replace(/[\\"<>\n\r]/g, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`

/** Running header and footer in the page margins (CSS margin boxes): company, title, period, page numbers. */
interface Margins {
  topLeft: string
  topRight: string
  bottomLeft: string
  /** CSS content value with counter(page) and counter(pages). */
  pageNumbers: string
}

const MARGIN_TEXT = `font-family: ${PRINT_FONT}; font-size: 7.5pt; color: #7a8396;`

const CSS = (orientation: Orientation, m: Margins) => `
@page {
  size: A4 ${orientation};
  margin: ${PAGE_MARGINS.top} ${PAGE_MARGINS.right} ${PAGE_MARGINS.bottom} ${PAGE_MARGINS.left};
  @top-left { ${MARGIN_TEXT} content: ${cssString(m.topLeft)}; vertical-align: bottom; padding-bottom: 4mm; }
  @top-right { ${MARGIN_TEXT} content: ${cssString(m.topRight)}; vertical-align: bottom; padding-bottom: 4mm; }
  @bottom-left { ${MARGIN_TEXT} content: ${cssString(m.bottomLeft)}; vertical-align: top; padding-top: 4mm; }
  @bottom-right { ${MARGIN_TEXT} content: ${m.pageNumbers}; vertical-align: top; padding-top: 4mm; }
}
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: ${PRINT_FONT}; font-size: 10pt; color: #1f2533; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.report.break { break-before: page; }
header.title { border-bottom: 2px solid #3b6fd8; padding-bottom: 8px; margin-bottom: 14px; }
header.title .company { font-size: 10pt; color: #5b6475; letter-spacing: 0.5px; }
header.title h1 { font-size: 20pt; margin: 2px 0 8px; font-weight: 700; color: #16203a; }
header.title dl { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0; font-size: 9pt; }
header.title dl div { display: flex; gap: 6px; }
header.title dt { color: #7a8396; }
header.title dd { margin: 0; }
figure.chart { margin: 0 0 14px; break-inside: avoid; }
figure.chart figcaption, section.table h3 { font-size: 11pt; font-weight: 700; margin: 0 0 6px; color: #16203a; }
figure.chart svg { display: block; width: 100%; height: auto; }
section.table { margin: 0 0 16px; break-inside: auto; }
section.table h3 { break-after: avoid; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; }
table.wide { font-size: 8pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th { background: #eef2f9; color: #2a3550; font-weight: 700; text-align: left; padding: 5px 6px; border-bottom: 1px solid #c9d3e3; white-space: nowrap; }
td { padding: 4px 6px; border-bottom: 1px solid #e6eaf1; }
tbody tr:nth-child(even) td { background: #fafbfd; }
tfoot td { font-weight: 700; border-top: 1.5px solid #9aa7bd; background: #f4f6fa; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.empty { text-align: center; color: #9aa5b8; }
ul.notes { font-size: 8.5pt; color: #5b6475; padding-left: 16px; margin: 4px 0 0; }
ul.insights { font-size: 10pt; background: #f6f8fc; border-left: 3px solid #f0a73a; padding: 8px 12px 8px 24px; margin: 0 0 14px; }
ul.insights li { margin: 2px 0; }
.cover h1 { font-size: 24pt; margin: 40px 0 8px; }
.cover ol { font-size: 12pt; line-height: 1.9; }
`

export async function buildPrintPage(o: PrintOptions): Promise<PrintPage> {
  const L = o.locale
  const width = CONTENT_WIDTH[o.orientation]
  const single = o.reports.length === 1 && !o.packTitle
  const title = single ? reportTitle(o.reports[0].report, L) : (o.packTitle ?? word('monthlyPack', L))
  const cover = single
    ? ''
    : `<section class="cover"><div class="company">${esc(o.company)}</div><h1>${esc(title)}</h1><p>${esc(word('period', L))}：${esc(periodText(o.reports[0].meta, L))}</p><ol>${o.reports.map((r) => `<li>${esc(reportTitle(r.report, L))}</li>`).join('')}</ol></section>`
  const body = (await Promise.all(o.reports.map((r, i) => reportHtml(r, o, width, single ? i === 0 : false)))).join('\n')
  const [before, after] = word('page', L, { page: '\u0001', pages: '\u0002' }).split('\u0001')
  const [middle, end] = after.split('\u0002')
  const margins: Margins = {
    topLeft: `${o.company} · ${title}`,
    topRight: periodText(o.reports[0].meta, L),
    bottomLeft: o.company,
    pageNumbers: `${cssString(before)} counter(page) ${cssString(middle)} counter(pages) ${cssString(end)}`,
  }
  const fonts = await printFontFaces(`${cover}${body}${Object.values(margins).join('')}`)
  const html = `<!doctype html>
<html lang="${L === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<title>${esc(`${o.company} ${title}`)}</title><style>${fonts}${CSS(o.orientation, margins)}</style></head>
<body>${cover}${body}</body></html>`
  return { html, landscape: o.orientation === 'landscape', title }
}
