// npm run bench:scoring — the learned win probability checked against public data.
//
// 1. x-education-leads/Leads.csv (9,239 leads) imported through the normal import
//    path as leads, extra columns as custom fields; the lead-conversion model is
//    trained on a seeded random 70% and scored on the other 30%.
// 2. crm-sales-opportunities/ (85 accounts, 8,800 opportunities) imported as
//    accounts and opportunities; the win model is trained on the older 70% of
//    closed deals by close date and tested on the newer 30%.
// 3. Timing: retrain on 100,000 synthetic closed deals; explain one deal.
// The data is read from ../shared/data at run time and never copied.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Kysely } from 'kysely'
import type { Database } from '../src-main/db/database'
import { openAppDatabase } from '../src-main/db/open'
import { runImport } from '../src-main/import/engine'
import type { ColumnMapping } from '../src-main/import/types'
import { systemCtx } from '../src-main/services/context'
import { ensureLocalAdmin } from '../src-main/services/users'
import { explainWinProbability, retrainWinModel, winModelRetrainInput, type WinModelStatus } from '../src-main/services/win-model'

const DATA = resolve(process.env.CRM_SHARED_DATA ?? join(import.meta.dirname, '..', '..', 'shared', 'data'))
const NOW = new Date('2026-11-30T02:00:00.000Z')
const SEED = 20261130

async function freshDb(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `crm-bench-${name}-`))
  const app = await openAppDatabase(join(dir, 'crm.sqlite'))
  const admin = await ensureLocalAdmin(app.db, systemCtx())
  const ctx = systemCtx({ userId: admin.id, now: () => NOW })
  return { dir, app, ctx, done: async () => (await app.close(), rmSync(dir, { recursive: true, force: true })) }
}

function printCalibration(s: WinModelStatus): void {
  const h = s.metrics!.holdout!
  console.log('  calibration (hold-out, calibrated):  predicted band | mean predicted | observed | count')
  for (const r of h.calibration) {
    console.log(`    ${(r.from * 100).toFixed(0).padStart(3)}–${(r.to * 100).toFixed(0).padEnd(3)}%   ${(r.predicted * 100).toFixed(1).padStart(5)}%   ${(r.observed * 100).toFixed(1).padStart(5)}%   ${String(r.count).padStart(5)}`)
  }
  console.log(`  brier ${h.brier.toFixed(4)} (always the base rate: ${h.brierBaseRate.toFixed(4)}), log loss ${h.logLoss.toFixed(4)}`)
  if (h.leaks.length) console.log(`  left out as leaking the outcome: ${h.leaks.map((l) => `${l.feature} (AUC ${l.auc})`).join(', ')}`)
}

async function importOrDie(db: Kysely<Database>, ctx: ReturnType<typeof systemCtx>, dir: string, opts: Omit<Parameters<typeof runImport>[2], 'dataDir'>) {
  const r = await runImport(db, ctx, { ...opts, dataDir: dir })
  console.log(`  import ${opts.target}: ${r.imported} imported, ${r.rejected} rejected, ${r.duplicates} duplicates of ${r.rowsRead} rows in ${r.elapsedMs} ms${r.createdFields.length ? `; custom fields: ${r.createdFields.join(', ')}` : ''}`)
  if (r.rejected) console.log(`    first problems: ${r.errors.slice(0, 3).map((e) => `row ${e.row}: ${e.message}`).join(' | ')}`)
  return r
}

async function leads(): Promise<void> {
  const b = await freshDb('leads')
  try {
    // The file has no company or contact name (the records are anonymised): the prospect id serves as the
    // contact name, which a lead needs; the rest maps as the import wizard would, extra columns as custom fields.
    const header = ['ProspectID', 'LeadOrigin', 'LeadSource', 'TotalVisits', 'TotalTime', 'PageViews', 'Specialization', 'Occupation', 'Converted']
    const custom = (label: string, type: 'choice' | 'number') => ({ kind: 'newCustom', label, type }) as const
    const targets: Record<string, ColumnMapping['target']> = {
      ProspectID: { kind: 'field', field: 'contactName' },
      LeadSource: { kind: 'field', field: 'source' },
      LeadOrigin: custom('LeadOrigin', 'choice'),
      TotalVisits: custom('TotalVisits', 'number'),
      TotalTime: custom('TotalTime', 'number'),
      PageViews: custom('PageViews', 'number'),
      Specialization: custom('Specialization', 'choice'),
      Occupation: custom('Occupation', 'choice'),
      Converted: custom('Converted', 'number'),
    }
    const columns: ColumnMapping[] = header.map((h, index) => ({ index, header: h, target: targets[h] }))
    await importOrDie(b.app.db, b.ctx, b.dir, { target: 'leads', path: join(DATA, 'x-education-leads', 'Leads.csv'), columns, onDuplicate: 'create' })
    const outcome = await b.app.db.selectFrom('custom_fields').select('id').where('entity', '=', 'lead').where('label', '=', 'Converted').executeTakeFirstOrThrow()
    const s = await retrainWinModel(b.app.db, b.ctx, winModelRetrainInput.parse({ target: 'lead', holdout: 'random', seed: SEED, outcomeFieldId: outcome.id }))
    const h = s.metrics!.holdout!
    console.log(`leads holdout AUC: ${h.auc.toFixed(3)} (source-only baseline: ${h.baseline.auc.toFixed(3)})`)
    console.log(`  ${s.message}`)
    printCalibration(s)
  } finally {
    await b.done()
  }
}

async function pipeline(): Promise<void> {
  const b = await freshDb('pipeline')
  try {
    const dir = join(DATA, 'crm-sales-opportunities')
    await importOrDie(b.app.db, b.ctx, b.dir, { target: 'accounts', path: join(dir, 'accounts.csv'), onDuplicate: 'update', unmappedAsCustom: true })
    await importOrDie(b.app.db, b.ctx, b.dir, {
      target: 'opportunities',
      path: join(dir, 'sales_pipeline.csv'),
      onDuplicate: 'create',
      stageMap: { Prospecting: '潜在商机', Engaging: '意向商机' },
      dateOrder: 'ymd',
      unmappedAsCustom: true,
    })
    const s = await retrainWinModel(b.app.db, b.ctx, winModelRetrainInput.parse({ target: 'opportunity', holdout: 'time' }))
    const h = s.metrics!.holdout!
    console.log(`pipeline holdout AUC: ${h.auc.toFixed(3)} (stage-only baseline: ${h.baseline.auc.toFixed(3)})`)
    console.log(`  state: ${s.state} — ${s.message}`)
    printCalibration(s)
  } finally {
    await b.done()
  }
}

/** 100,000 closed and 2,000 open synthetic deals with a known pattern, written with raw statements (this times the learner, not the loader). */
async function timing(): Promise<void> {
  const b = await freshDb('timing')
  try {
    const { sqlite, db } = b.app
    const CLOSED = Number(process.env.BENCH_CLOSED ?? 100_000)
    const OPEN = 2_000
    const stages = sqlite.prepare("select id, key, kind, probability from pipeline_stages where pipeline = 'default' order by sort_order").all() as Array<{ id: number; key: string; kind: string; probability: number }>
    const open = stages.filter((s) => s.kind === 'open')
    const won = stages.find((s) => s.kind === 'won')!
    const lost = stages.find((s) => s.kind === 'lost')!
    let x = SEED
    const rnd = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32)
    const iso = NOW.toISOString()
    const industries = ['制造业', '零售', '教育', '医疗', '金融', 'IT', '物流', '能源']
    const sources = ['展会', '微信', '官网', '广告', '转介绍', '合作伙伴']
    sqlite.transaction(() => {
      for (let u = 1; u <= 20; u++) sqlite.prepare("insert into users (name, role, skills, created_at, updated_at) values (?, 'sales', '[]', ?, ?)").run(`销售${u}`, iso, iso)
      const acc = sqlite.prepare("insert into accounts (name, industry, province, size, tags, lifecycle, search_text, created_at, updated_at) values (?, ?, ?, ?, '[]', 'prospect', '', ?, ?)")
      for (let a = 1; a <= 5000; a++) acc.run(`客户${a}`, industries[a % industries.length], ['浙江', '江苏', '广东', '北京'][a % 4], ['1-49', '50-199', '200-499', '1000+'][a % 4], iso, iso)
      const opp = sqlite.prepare(
        'insert into opportunities (title, account_id, amount_fen, stage_id, probability, owner_id, source, status, closed_at, stage_changed_at, search_text, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?)',
      )
      const hist = sqlite.prepare('insert into stage_history (opportunity_id, from_stage_id, to_stage_id, changed_at) values (?, ?, ?, ?)')
      for (let i = 0; i < CLOSED + OPEN; i++) {
        const account = 1 + Math.floor(rnd() * 5000)
        const owner = 2 + Math.floor(rnd() * 20)
        const source = sources[Math.floor(rnd() * sources.length)]
        const amount = Math.floor(10 ** (3 + rnd() * 4)) * 100
        const reached = Math.floor(rnd() * open.length)
        // The pattern: later stages, referrals and some owners win more often.
        const p = 0.15 + 0.2 * reached + (source === '转介绍' ? 0.15 : 0) + (owner % 5 === 0 ? 0.1 : 0)
        const isOpen = i >= CLOSED
        const status = isOpen ? 'open' : rnd() < p ? 'won' : 'lost'
        const stage = isOpen ? open[reached] : status === 'won' ? won : lost
        const created = new Date(NOW.getTime() - (400 - (i % 400)) * 86_400_000).toISOString()
        const closed = isOpen ? null : new Date(Date.parse(created) + (10 + (i % 60)) * 86_400_000).toISOString()
        const id = Number(opp.run(`商机${i}`, account, amount, stage.id, stage.probability, owner, source, status, closed, closed ?? created, '', created, created).lastInsertRowid)
        for (let k = 0; k <= reached; k++) hist.run(id, k ? open[k - 1].id : null, open[k].id, created)
        if (!isOpen) hist.run(id, open[reached].id, stage.id, closed)
      }
    })()
    sqlite.pragma('optimize')
    const t0 = performance.now()
    const cpu0 = process.cpuUsage()
    const s = await retrainWinModel(db, b.ctx, winModelRetrainInput.parse({ target: 'opportunity' }))
    const ms = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    console.log(`retrain ms (${CLOSED / 1000}k closed): ${ms.toFixed(0)}`)
    // Wall time depends on what else the machine runs; CPU time is this process's own work.
    console.log(`  (cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, load average ${loadavg()[0].toFixed(1)}; load + train ${s.metrics!.trainMs} ms; hold-out AUC ${s.metrics!.holdout!.auc.toFixed(3)}, stage-only ${s.metrics!.holdout!.baseline.auc.toFixed(3)}; state ${s.state})`)
    const ids = sqlite.prepare("select id from opportunities where status = 'open' limit 201").all() as Array<{ id: number }>
    const times: number[] = []
    for (const { id } of ids) {
      const t = performance.now()
      await explainWinProbability(db, b.ctx, { entity: 'opportunity', id })
      times.push(performance.now() - t)
    }
    times.sort((a, c) => a - c)
    console.log(`score one ms: ${times[Math.floor(times.length / 2)].toFixed(3)}  (median of ${times.length}: load the deal's facts from the database, predict, explain)`)
  } finally {
    await b.done()
  }
}

async function main(): Promise<void> {
  // BENCH_ONLY=timing (or leads, pipeline; comma-separated) runs a part alone; by default all three.
  const only = process.env.BENCH_ONLY?.split(',')
  const part = (name: string) => !only || only.includes(name)
  if (part('leads')) await leads()
  if (part('pipeline')) await pipeline()
  if (part('timing')) await timing()
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
