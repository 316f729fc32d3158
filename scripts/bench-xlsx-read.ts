// npm run bench:xlsx-read — reading speed of the importer's .xlsx reader. Not a test: it prints
// numbers. On /tmp/leads100k-bench.xlsx (the 100,000-row lead list of bench:import, generated
// the same way when missing), alternately ROUNDS times each:
// - exceljs's own streaming WorkbookReader alone (what bench:import compares the import with);
// - our reader with exceljs's shared-strings and worksheet parsers (CRM_XLSX_PARSER=exceljs);
// - our reader with our own parsers (sheet-xml.ts, shared-strings-xml.ts), the default;
// each counting every cell, in this thread, from opening the file to the last row. Prints the
// best time of each, the time to the first row, and the ratios; then (not timed) checks that
// both paths give identical rows.
// Options: --file PATH --rows N (when generating) --rounds N (default 3)
import { existsSync, statSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import ExcelJS from 'exceljs'
import { openXlsx, type XlsxParser } from '../src-main/import/xlsx-reader'
import { generate } from './bench-import'

interface Run {
  ms: number
  first: number
  cells: number
}

async function exceljsAlone(file: string): Promise<Run> {
  const t = performance.now()
  let first = 0
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' })
  let cells = 0
  for await (const ws of reader)
    for await (const row of ws) {
      if (!first) first = performance.now() - t
      cells += (row.values as unknown[]).length - 1
    }
  return { ms: performance.now() - t, first, cells }
}

async function ours(file: string, parser: XlsxParser): Promise<Run> {
  const t = performance.now()
  let first = 0
  const x = await openXlsx(file, undefined, parser)
  let cells = 0
  for await (const row of x.rows) {
    if (!first) first = performance.now() - t
    cells += row.cells.length
  }
  return { ms: performance.now() - t, first, cells }
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)}s`

/** Not timed: both paths read side by side, every row compared (dates by time, errors by value). */
async function compare(file: string): Promise<number> {
  const a = (await openXlsx(file, undefined, 'exceljs')).rows
  const b = (await openXlsx(file, undefined, 'lean')).rows
  const key = (v: unknown) => (v instanceof Date ? `D${v.getTime()}` : JSON.stringify(v))
  let n = 0
  while (true) {
    const [x, y] = await Promise.all([a.next(), b.next()])
    if (x.done || y.done) {
      if (!x.done || !y.done) throw new Error(`row counts differ after ${n} rows`)
      return n
    }
    const same = x.value.n === y.value.n && x.value.cells.length === y.value.cells.length && x.value.cells.every((v, i) => key(v) === key(y.value.cells[i]))
    if (!same) throw new Error(`row ${x.value.n} differs: ${JSON.stringify(x.value)} / ${JSON.stringify(y.value)}`)
    n++
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { file: { type: 'string', default: '/tmp/leads100k-bench.xlsx' }, rows: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '3' } } })
  const file = values.file
  if (!existsSync(file)) {
    const ms = await generate(file, Number(values.rows))
    console.log(`generated ${file} (${values.rows} rows) in ${fmt(ms)}`)
  }
  console.log(`file: ${file}, ${(statSync(file).size / 1e6).toFixed(1)} MB`)
  // exceljs itself is loaded before timing, for all three (the importer loads it too).
  await openXlsx(file, undefined, 'lean').then((x) => x.close())
  const runs: Record<string, Run[]> = { exceljs: [], old: [], lean: [] }
  for (let i = 0; i < Number(values.rounds); i++) {
    runs.exceljs.push(await exceljsAlone(file))
    runs.old.push(await ours(file, 'exceljs'))
    runs.lean.push(await ours(file, 'lean'))
    const last = (k: string) => runs[k][runs[k].length - 1]
    console.log(`round ${i + 1}: exceljs alone ${fmt(last('exceljs').ms)}, old path ${fmt(last('old').ms)}, new path ${fmt(last('lean').ms)}`)
  }
  const best = (k: string) => runs[k].reduce((a, b) => (b.ms < a.ms ? b : a))
  const cells = new Set(Object.values(runs).flatMap((r) => r.map((x) => x.cells)))
  if (cells.size !== 1) throw new Error(`the readers counted different cells: ${[...cells].join(', ')}`)
  for (const [k, label] of [['exceljs', 'exceljs alone'], ['old', 'old path (exceljs parsers)'], ['lean', 'new path (own parsers)']] as const)
    console.log(`${label}: ${fmt(best(k).ms)} (first row after ${fmt(best(k).first)})`)
  console.log(`new/exceljs ratio: ${(best('lean').ms / best('exceljs').ms).toFixed(2)}`)
  console.log(`new/old ratio: ${(best('lean').ms / best('old').ms).toFixed(2)}`)
  console.log(`  (best of ${values.rounds}; ${[...cells][0]} cells; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`)
  console.log(`rows identical on both paths: ${await compare(file)}`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
