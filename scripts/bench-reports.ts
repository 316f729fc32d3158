// npm run bench:reports — every report on 100,000 opportunities and 1,000,000
// activities (plus stage history, leads, competitors, targets and costs), beside
// a plain scan of the same tables, and the monthly pack printed to PDF.
// Each report runs as the screen opens it: its default period (this month; the
// forecast and insights this quarter) with the previous period for comparison.
// BENCH_PERIOD=quarter|year runs every report over a longer period instead.
// BENCH_ONLY=pack skips the per-report medians and the scan: only the pack PDF
// (the same measure), for quick runs with BENCH_KEEP=DIR reusing the database.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openAppDatabase } from '../src-main/db/open'
import { computeReports, REPORTS, renderPdf } from '../src-main/reports/export'
import { keptChromium } from '../src-main/reports/pdf-chromium'
import { setPrinterFactory, withPrinter } from '../src-main/reports/printer'
import { reportInput } from '../src-main/reports/period'
import { systemCtx } from '../src-main/services/context'
import { REPORT_NAMES } from '../src-main/shared/reports/types'

const OPPS = Number(process.env.BENCH_OPPS ?? 100_000)
const ACTIVITIES = Number(process.env.BENCH_ACTIVITIES ?? 1_000_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 9)
const PACK_RUNS = Number(process.env.BENCH_PACK_RUNS ?? 5)
const DAY = 86_400_000

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
/** Median wall time and median CPU time of this process (better-sqlite3 runs in it, so CPU time is what a quiet machine would take). */
async function timeBoth(fn: () => unknown): Promise<{ wall: number; cpu: number }> {
  const wall: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    await fn()
    wall.push(performance.now() - t0)
    const c = process.cpuUsage(c0)
    cpu.push((c.user + c.system) / 1000)
  }
  return { wall: median(wall), cpu: median(cpu) }
}

/** Small deterministic PRNG (mulberry32): the same database every run. */
function rng(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function main(): Promise<void> {
  // BENCH_KEEP=DIR keeps (and reuses) the database there, for looking at query plans.
  const keep = process.env.BENCH_KEEP
  if (keep) mkdirSync(keep, { recursive: true })
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'crm-bench-reports-'))
  const reuse = keep !== undefined && existsSync(join(dir, 'crm.sqlite'))
  const app = await openAppDatabase(join(dir, 'crm.sqlite'))
  const { sqlite, db } = app
  const now = new Date('2026-11-30T02:00:00.000Z')
  const iso = (t: number) => new Date(t).toISOString()
  const day = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10)
  const r = rng(20261130)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]
  const t0 = performance.now()

  const SOURCES = ['展会', '微信', '微博', 'LinkedIn', '官网', '广告', '合作伙伴', '转介绍', '内部推荐', '其他']
  const INDUSTRIES = ['制造业', '汽车零部件', '电子信息', '化工', '新能源', '医疗器械', '食品饮料', '物流', '纺织服装', '建材']
  const PROVINCES = ['浙江', '江苏', '上海', '广东', '福建', '山东', '安徽', '湖北', '四川', '北京', '天津', '河南', '湖南', '江西', '重庆', '陕西', '辽宁', '河北', '广西', '云南']
  const SIZES = ['1-49', '50-199', '200-499', '500-999', '1000+']
  const REASONS = ['价格过高', '选择了竞争对手', '预算取消', '需求变更', '决策延期', '关系不到位']
  const COMPETITORS = ['友商A', '友商B', '友商C', '友商D', '友商E', '友商F']
  const TYPES = ['call', 'email', 'meeting', 'visit', 'wechat', 'sms', 'social', 'note']
  const CATEGORIES = ['pipeline', 'pipeline', 'best_case', 'commit']
  const stages = sqlite.prepare("select id, kind, probability from pipeline_stages where pipeline = 'default' order by sort_order").all() as Array<{ id: number; kind: string; probability: number }>
  const open = stages.filter((s) => s.kind === 'open')
  const won = stages.find((s) => s.kind === 'won')!
  const lost = stages.find((s) => s.kind === 'lost')!

  // Bulk load without the secondary indexes, then build them once: minutes become seconds.
  const indexes = reuse
    ? []
    : (sqlite.prepare("select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in ('opportunities', 'activities', 'stage_history', 'leads', 'accounts')").all() as Array<{ name: string; sql: string }>)
  for (const ix of indexes) sqlite.exec(`drop index ${ix.name}`)
  if (!reuse) sqlite.transaction(() => {
    const stamp = iso(now.getTime() - 400 * DAY)
    const user = sqlite.prepare('insert into users (name, role, team, skills, created_at, updated_at) values (?, ?, ?, ?, ?, ?)')
    const USERS = 40
    for (let u = 1; u <= USERS; u++) user.run(`销售${u}`, 'sales', `第${((u - 1) % 4) + 1}组`, '[]', stamp, stamp)
    const userIds = (sqlite.prepare("select id from users where role = 'sales'").all() as Array<{ id: number }>).map((x) => x.id)
    const ACCOUNTS = 20_000
    const acc = sqlite.prepare("insert into accounts (name, industry, province, size, source, tags, lifecycle, owner_id, search_text, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    for (let a = 1; a <= ACCOUNTS; a++) {
      acc.run(`客户${a}`, pick(INDUSTRIES), pick(PROVINCES), pick(SIZES), pick(SOURCES), r() < 0.2 ? '["重点客户"]' : '[]', r() < 0.3 ? 'customer' : 'prospect', pick(userIds), `客户${a}`, stamp, stamp)
    }
    const opp = sqlite.prepare(
      'insert into opportunities (title, account_id, amount_fen, expected_close_date, stage_id, probability, owner_id, source, status, lost_reason, closed_at, stage_changed_at, last_activity_at, forecast_category, search_text, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
    )
    const hist = sqlite.prepare('insert into stage_history (opportunity_id, from_stage_id, to_stage_id, changed_by, changed_at) values (?, ?, ?, ?, ?)')
    const comp = sqlite.prepare('insert into opportunity_competitors (opportunity_id, name, won_against, created_at, updated_at) values (?, ?, ?, ?, ?)')
    const act = sqlite.prepare('insert into activities (type, subject, due_at, done_at, owner_id, account_id, opportunity_id, created_at, updated_at) values (?,?,?,?,?,?,?,?,?)')
    const perOpp = ACTIVITIES / OPPS
    let acts = 0
    for (let i = 1; i <= OPPS; i++) {
      const created = now.getTime() - r() * 365 * DAY
      const roll = r()
      const status = roll < 0.25 ? 'won' : roll < 0.6 ? 'lost' : 'open'
      const reached = status === 'won' ? 2 : Math.floor(r() * 3)
      const closed = status === 'open' ? null : Math.min(now.getTime() - 3600_000, created + (7 + r() * 120) * DAY)
      const stage = status === 'won' ? won : status === 'lost' ? lost : open[reached]
      const owner = pick(userIds)
      const account = 1 + Math.floor(r() * ACCOUNTS)
      const amount = Math.round(30_000 + r() * r() * 2_000_000) * 100
      const end = closed ?? now.getTime()
      const changes = [created, ...Array.from({ length: reached }, (_, k) => created + ((k + 1) / (reached + 2)) * (end - created))]
      if (closed !== null) changes.push(closed)
      const expected = closed ?? now.getTime() + (r() * 150 - 30) * DAY
      const info = opp.run(
        `商机${i}`, account, amount, day(expected), stage.id, stage.probability, owner, r() < 0.05 ? null : pick(SOURCES), status,
        status === 'lost' ? pick(REASONS) : null, closed === null ? null : iso(closed), iso(changes[changes.length - 1]), iso(end),
        status === 'open' ? pick(CATEGORIES) : 'pipeline', `商机${i}`, iso(created), iso(end),
      )
      const id = Number(info.lastInsertRowid)
      const path = [...Array.from({ length: reached + 1 }, (_, k) => open[k].id), ...(status === 'won' ? [won.id] : status === 'lost' ? [lost.id] : [])]
      changes.forEach((at, k) => hist.run(id, k === 0 ? null : path[k - 1], path[k], owner, iso(at)))
      if (r() < 0.2) comp.run(id, pick(COMPETITORS), r() < 0.1 ? 1 : null, iso(created), iso(created))
      const n = Math.round(perOpp * (0.5 + r()))
      for (let k = 0; k < n && acts < ACTIVITIES; k++, acts++) {
        const at = created + r() * (end - created)
        const planned = status === 'open' && k === n - 1
        act.run(pick(TYPES), `跟进${acts}`, planned ? iso(now.getTime() + r() * 14 * DAY) : null, planned ? null : iso(at), owner, account, id, iso(at), iso(at))
      }
    }
    // Activities left over (rounding): on leads' side, no deal.
    for (; acts < ACTIVITIES; acts++) {
      const at = now.getTime() - r() * 365 * DAY
      act.run(pick(TYPES), `跟进${acts}`, null, iso(at), pick(userIds), 1 + Math.floor(r() * ACCOUNTS), null, iso(at), iso(at))
    }
    const lead = sqlite.prepare('insert into leads (company, source, status, owner_id, province, industry, converted_opportunity_id, search_text, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?)')
    for (let i = 1; i <= 50_000; i++) {
      const at = iso(now.getTime() - r() * 365 * DAY)
      const converted = r() < 0.15 ? 1 + Math.floor(r() * OPPS) : null
      lead.run(`线索${i}`, pick(SOURCES), converted ? 'qualified' : 'contacted', pick(userIds), pick(PROVINCES), pick(INDUSTRIES), converted, `线索${i}`, at, at)
    }
    const target = sqlite.prepare('insert into sales_targets (user_id, month, amount_fen, created_at, updated_at) values (?, ?, ?, ?, ?)')
    const cost = sqlite.prepare('insert into channel_costs (source, month, amount_fen, created_at, updated_at) values (?, ?, ?, ?, ?)')
    for (let m = 0; m < 14; m++) {
      const month = `${2025 + Math.floor((10 + m) / 12)}-${String(((10 + m) % 12) + 1).padStart(2, '0')}`
      for (const u of userIds) target.run(u, month, 50_000_000, stamp, stamp)
      for (const s of SOURCES) cost.run(s, month, 3_000_000, stamp, stamp)
    }
  })()
  for (const ix of indexes) sqlite.exec(ix.sql)
  sqlite.pragma('optimize')
  sqlite.exec('analyze')
  const counts = sqlite.prepare('select (select count(*) from opportunities) o, (select count(*) from activities) a, (select count(*) from stage_history) h, (select count(*) from leads) l').get() as Record<string, number>
  console.log(`fixture: ${counts.o} opportunities, ${counts.a} activities, ${counts.h} stage changes, ${counts.l} leads in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

  const ctx = systemCtx({ now: () => now })
  const period = process.env.BENCH_PERIOD as 'quarter' | 'year' | undefined
  const input = reportInput.parse(period ? { preset: period } : {})
  const cpu: string[] = []
  const packOnly = process.env.BENCH_ONLY === 'pack'
  // BENCH_ONLY=pack still runs each report once, so the pack meets the same warm caches as in a full run.
  if (packOnly) for (const name of REPORT_NAMES) await REPORTS[name](db, ctx, input)
  if (!packOnly) for (const name of REPORT_NAMES) {
    await REPORTS[name](db, ctx, input) // warm the page cache and the statement cache
    const ms = await timeBoth(() => REPORTS[name](db, ctx, input))
    console.log(`report ${name} median ms: ${ms.wall.toFixed(1)}`)
    cpu.push(`cpu report ${name} median ms: ${ms.cpu.toFixed(1)}`)
  }
  // The same tables, read whole: what a report would cost if it scanned instead of using indexes.
  const scan = sqlite.prepare(
    'select (select count(*) + sum(amount_fen) + sum(length(title)) from opportunities) + (select count(*) + sum(length(subject)) + sum(length(type)) from activities) + (select count(*) + sum(length(changed_at)) from stage_history)',
  )
  if (!packOnly) {
    const base = await timeBoth(() => scan.get())
    console.log(`baseline scan median ms: ${base.wall.toFixed(1)}`)
    // On a shared, busy machine wall time includes waiting for a CPU; CPU time does not.
    for (const line of cpu) console.log(line)
    console.log(`cpu baseline scan median ms: ${base.cpu.toFixed(1)}`)
  }

  // As the app's export does (exportPdf, exportPack): the browser starts in the background while
  // the reports are computed, then prints the page. BENCH_PACK=sequential computes first and starts
  // the browser after, as this script did before (for comparison).
  const t1 = performance.now()
  const print = (p: Parameters<typeof renderPdf>[0], reports: Awaited<ReturnType<typeof computeReports>>) =>
    renderPdf(p, '基准测试有限公司', reports, ctx, { orientation: 'landscape', packTitle: '月度报表' })
  const pdf =
    process.env.BENCH_PACK === 'sequential'
      ? await computeReports(db, ctx, REPORT_NAMES, input).then((reports) => withPrinter((p) => print(p, reports)))
      : await withPrinter(async (p) => print(p, await computeReports(db, ctx, REPORT_NAMES, input)))
  console.log(`pack pdf ms (Chromium started for this export, as the command line does): ${(performance.now() - t1).toFixed(0)} (${REPORT_NAMES.length} reports, ${Math.round(pdf.length / 1024)} KB)`)
  // crm serve keeps one Chromium while people work with the reports (keptChromium: started by their
  // first report call, closed after ten idle minutes); an export there does not start a browser.
  const kept = keptChromium()
  kept.warm()
  await kept.ready()
  setPrinterFactory(kept.factory)
  // Several exports, as an office makes them: the median, since one run on a shared machine can be far off.
  const keptMs: number[] = []
  let keptKb = 0
  for (let i = 0; i < PACK_RUNS; i++) {
    const t2 = performance.now()
    const pdfKept = await withPrinter(async (p) => print(p, await computeReports(db, ctx, REPORT_NAMES, input)))
    keptMs.push(performance.now() - t2)
    keptKb = Math.round(pdfKept.length / 1024)
  }
  console.log(`pack pdf median ms (crm serve, browser kept): ${median(keptMs).toFixed(0)} (${PACK_RUNS} runs: ${keptMs.map((x) => x.toFixed(0)).join(', ')}; ${keptKb} KB)`)
  await kept.close()
  // Wall times on a shared machine depend on what else runs: say how busy it was.
  console.log(`  (load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} on this machine)`)
  await app.close()
  if (!keep) rmSync(dir, { recursive: true, force: true })
}

void main()
