// npm run bench:import — import and export speed against exceljs alone, and
// memory for a million rows. Not a test: it prints numbers (targets in the issue:
// import/read ≤ 1.5, export/write ≤ 1.5, peak RSS for 1M rows < 600 MB).
//
// 1. Generates a 100,000-row, 10-column lead list (.xlsx with shared strings, as
//    Excel writes it) in a temp folder.
// 2. Times exceljs's own streaming reader alone on it, and the full import (the
//    engine behind `crm import`: read, normalise, check duplicates, write in one
//    transaction) into a fresh database — alternately, ROUNDS times each; the ratio
//    uses the best time of each (the machine may be busy with other work).
// 3. Times the export of those 100,000 leads (the engine behind export:run) against
//    exceljs's streaming writer alone writing the same rows and columns.
// 4. Imports 1,000,000 rows in a child process and reports its peak RSS.
//
// Options: --rows N (default 100000) --big N (default 1000000, 0 to skip) --rounds N (default 3)
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import ExcelJS from 'exceljs'
import { createCore } from '../src-main/api/core'
import { exportInput, runExport } from '../src-main/export/export'
import { runImport } from '../src-main/import/engine'
import { systemCtx } from '../src-main/services/context'

/** Wall-clock and CPU time (all threads of this process) of the timed part of a step. */
interface Timed {
  ms: number
  cpu: number
}
function done(t0: number, c0: NodeJS.CpuUsage): Timed {
  const c = process.cpuUsage(c0)
  return { ms: performance.now() - t0, cpu: (c.user + c.system) / 1000 }
}

const HEADERS = ['公司名称', '联系人', '职务', '手机', '邮箱', '省份', '城市', '行业', '来源', '登记日期']
const PLACES = [['浙江', '杭州'], ['浙江', '宁波'], ['江苏', '苏州'], ['广东', '深圳'], ['上海', '上海'], ['山东', '青岛'], ['四川', '成都']]
const INDUSTRIES = ['制造业', '电子信息', '汽车零部件', '医疗器械', '食品饮料', '物流', '建材']
const SOURCES = ['展会', '微信', '官网', '转介绍', '广告', '合作伙伴']
const TITLES = ['总经理', '采购经理', '技术总监', '厂长', '销售主管', '行政']
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'

/** Deterministic rows; phones and dates written the ways people write them. */
function leadRow(i: number): Array<string | Date> {
  const [province, city] = PLACES[i % PLACES.length]
  const digits = String(13_000_000_000 + ((i * 7919) % 999_999_999)).slice(0, 11)
  const mobile = i % 3 === 0 ? `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}` : i % 3 === 1 ? `+86-${digits}` : digits
  return [
    `${city}${['华', '盛', '联', '创', '恒', '达'][i % 6]}${['科技', '实业', '精密', '电子', '贸易'][i % 5]}有限公司${i}`,
    `${SURNAMES[i % SURNAMES.length]}${['伟', '芳', '娜', '敏', '静', '强', '磊'][(i >> 3) % 7]}`,
    TITLES[i % TITLES.length],
    mobile,
    `lead${i}@example${i % 97}.com`,
    province,
    city,
    INDUSTRIES[i % INDUSTRIES.length],
    SOURCES[i % SOURCES.length],
    new Date(Date.UTC(2025, 0, 1) + (i % 700) * 86_400_000),
  ]
}

/** The benchmark's lead list (also used by bench-xlsx-read.ts). */
export async function generate(file: string, rows: number): Promise<number> {
  const t = performance.now()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true })
  const ws = wb.addWorksheet('线索')
  ws.columns = HEADERS.map((h, i) => ({ header: h, key: `c${i}`, width: 16, style: i === 9 ? { numFmt: 'yyyy-mm-dd' } : {} }))
  for (let i = 0; i < rows; i++) ws.addRow(leadRow(i)).commit()
  ws.commit()
  await wb.commit()
  return performance.now() - t
}

/** exceljs's own streaming reader, with the options the importer needs (shared strings, styles for dates). */
async function readAlone(file: string): Promise<Timed> {
  const c0 = process.cpuUsage()
  const t = performance.now()
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' })
  let cells = 0
  for await (const ws of reader) for await (const row of ws) cells += (row.values as unknown[]).length
  if (cells === 0) throw new Error('nothing read')
  return done(t, c0)
}

async function importOnce(file: string, dir: string) {
  const core = await createCore(join(dir, 'crm.sqlite'))
  try {
    const c0 = process.cpuUsage()
    const t = performance.now()
    const r = await runImport(core.database.db, systemCtx(), { target: 'leads', path: file, onDuplicate: 'skip', dataDir: dir })
    return { ...done(t, c0), result: r }
  } finally {
    await core.close()
  }
}

const DEFAULT_EXPORT_COLUMNS = ['company', 'contactName', 'title', 'mobile', 'email', 'province', 'city', 'industry', 'source', 'status', 'createdAt']

async function exportOnce(dir: string, out: string): Promise<Timed> {
  const core = await createCore(join(dir, 'crm.sqlite'))
  try {
    const c0 = process.cpuUsage()
    const t = performance.now()
    const r = await runExport(core.database.db, systemCtx(), exportInput.parse({ entity: 'leads', columns: DEFAULT_EXPORT_COLUMNS, out }))
    if (r.rows === 0) throw new Error('nothing exported')
    return done(t, c0)
  } finally {
    await core.close()
  }
}

/** The same rows and columns through exceljs's streaming writer alone (rows prepared in memory first, not timed). */
async function writeAlone(dir: string, out: string): Promise<Timed> {
  const core = await createCore(join(dir, 'crm.sqlite'))
  const rows = (await core.database.db
    .selectFrom('leads')
    .select(['company', 'contact_name', 'title', 'mobile', 'email', 'province', 'city', 'industry', 'source', 'status', 'created_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()).map((r) => [r.company, r.contact_name, r.title, r.mobile, r.email, r.province, r.city, r.industry, r.source, '新线索', new Date(Date.parse(r.created_at) + 8 * 3600_000)])
  await core.close()
  const c0 = process.cpuUsage()
  const t = performance.now()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useStyles: true, useSharedStrings: false })
  const ws = wb.addWorksheet('线索', { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = DEFAULT_EXPORT_COLUMNS.map((k, i) => ({ header: k, key: k, width: 16, style: i === 10 ? { numFmt: 'yyyy-mm-dd hh:mm' } : {} }))
  ws.getRow(1).commit()
  for (const r of rows) ws.addRow(r).commit()
  ws.commit()
  await wb.commit()
  return done(t, c0)
}

const best = (xs: number[]) => Math.min(...xs)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)}s`



async function child(file: string, dir: string): Promise<void> {
  // Peak RSS by sampling: getrusage's ru_maxrss of a child starts at its parent's RSS at fork
  // time (Linux carries the high-water mark across fork/exec), and the parent has just
  // generated a million rows, so it would report the generator's memory, not the import's.
  let peak = process.memoryUsage.rss()
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 25)
  const { ms, cpu, result } = await importOnce(file, dir)
  clearInterval(sampler)
  const rssMB = Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024
  process.stdout.write(`${JSON.stringify({ ms, cpu, imported: result.imported, rejected: result.rejected, rssMB })}\n`)
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000' },
      big: { type: 'string', default: '1000000' },
      rounds: { type: 'string', default: '3' },
      child: { type: 'string' },
      dir: { type: 'string' },
    },
  })
  if (values.child) return child(values.child, values.dir!)
  const rows = Number(values.rows)
  const big = Number(values.big)
  const rounds = Number(values.rounds)
  const root = mkdtempSync(join(tmpdir(), 'crm-bench-'))
  try {
    const file = join(root, `leads-${rows}.xlsx`)
    const gen = await generate(file, rows)
    console.log(`generated ${rows} rows × ${HEADERS.length} columns: ${fmt(gen)}, ${(statSync(file).size / 1e6).toFixed(1)} MB`)

    const reads: number[] = []
    const imports: number[] = []
    const readCpu: number[] = []
    const importCpu: number[] = []
    let lastDir = ''
    for (let i = 0; i < rounds; i++) {
      const r = await readAlone(file)
      reads.push(r.ms)
      readCpu.push(r.cpu)
      const dir = join(root, `db-${i}`)
      mkdirSync(dir)
      const m = await importOnce(file, dir)
      const { ms, result } = m
      if (result.imported !== rows) throw new Error(`imported ${result.imported} of ${rows} (rejected ${result.rejected})`)
      imports.push(ms)
      importCpu.push(m.cpu)
      if (lastDir) rmSync(lastDir, { recursive: true, force: true })
      lastDir = dir
      console.log(`round ${i + 1}: exceljs read ${fmt(reads[i])} (cpu ${fmt(r.cpu)}), full import ${fmt(ms)} (cpu ${fmt(m.cpu)}, ${Math.round(rows / (ms / 1000))} rows/s)`)
    }
    console.log(`import/read ratio: ${(best(imports) / best(reads)).toFixed(2)}`)
    console.log(`  (best of ${rounds} wall-clock times; median ratio ${(median(imports) / median(reads)).toFixed(2)}; CPU-time ratio ${(median(importCpu) / median(readCpu)).toFixed(2)}; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`)

    const exports: number[] = []
    const writes: number[] = []
    const exportCpu: number[] = []
    const writeCpu: number[] = []
    for (let i = 0; i < rounds; i++) {
      const w = await writeAlone(lastDir, join(root, `write-${i}.xlsx`))
      writes.push(w.ms)
      writeCpu.push(w.cpu)
      const e = await exportOnce(lastDir, join(root, `export-${i}.xlsx`))
      exports.push(e.ms)
      exportCpu.push(e.cpu)
      console.log(`round ${i + 1}: exceljs write ${fmt(writes[i])} (cpu ${fmt(w.cpu)}), full export ${fmt(exports[i])} (cpu ${fmt(e.cpu)})`)
    }
    console.log(`export/write ratio: ${(best(exports) / best(writes)).toFixed(2)}`)
    console.log(`  (best of ${rounds}; median ratio ${(median(exports) / median(writes)).toFixed(2)}; CPU-time ratio ${(median(exportCpu) / median(writeCpu)).toFixed(2)})`)
    rmSync(lastDir, { recursive: true, force: true })

    if (big > 0) {
      const bigFile = join(root, `leads-${big}.xlsx`)
      const g = await generate(bigFile, big)
      console.log(`generated ${big} rows: ${fmt(g)}, ${(statSync(bigFile).size / 1e6).toFixed(1)} MB`)
      const dir = join(root, 'db-big')
      mkdirSync(dir)
      // A child process of its own, so its peak RSS is the import's alone (not the generator's).
      const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--child', bigFile, '--dir', dir], { encoding: 'utf8', maxBuffer: 1 << 20 })
      if (r.status !== 0) throw new Error(`1M import failed: ${r.stderr}`)
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; imported: number; rejected: number; rssMB: number }
      console.log(`1M import: ${out.imported} rows in ${fmt(out.ms)} (${Math.round(out.imported / (out.ms / 1000))} rows/s)`)
      console.log(`peak rss MB (1M rows): ${Math.round(out.rssMB)}`)
    }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

// Run as a script (not when bench-xlsx-read.ts imports generate()).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err)
    process.exitCode = 1
  })
}
