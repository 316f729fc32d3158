// npm run bench:board — board query and stage move on 100,000 opportunities
// and 1,000,000 activities, beside a bare count(*) on the same table.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openAppDatabase } from '../src-main/db/open'
import { getBoard, boardInput } from '../src-main/services/board'
import { moveOpportunity } from '../src-main/services/opportunities'
import { systemCtx } from '../src-main/services/context'

const OPPS = Number(process.env.BENCH_OPPS ?? 100_000)
const ACTIVITIES = Number(process.env.BENCH_ACTIVITIES ?? 1_000_000)
const RUNS = 21

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

async function time(fn: () => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    await fn()
    out.push(performance.now() - t0)
  }
  return out
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-bench-board-'))
  const app = await openAppDatabase(join(dir, 'crm.sqlite'))
  const { sqlite, db } = app
  const now = new Date('2026-11-30T02:00:00.000Z')
  const ctx = systemCtx({ now: () => now, userId: 1 })
  const t0 = performance.now()

  // Fixture built with raw prepared statements in one transaction: this measures the board, not the loader.
  const stages = sqlite.prepare("select id, kind, probability from pipeline_stages where pipeline = 'default' order by sort_order").all() as Array<{ id: number; kind: string; probability: number }>
  sqlite.transaction(() => {
    const iso = now.toISOString()
    for (let u = 1; u <= 20; u++) sqlite.prepare('insert into users (name, role, skills, created_at, updated_at) values (?, ?, ?, ?, ?)').run(`销售${u}`, 'sales', '[]', iso, iso)
    const acc = sqlite.prepare("insert into accounts (name, tags, lifecycle, owner_id, search_text, created_at, updated_at) values (?, '[]', 'prospect', ?, ?, ?, ?)")
    for (let a = 1; a <= 5000; a++) acc.run(`客户${a}`, (a % 20) + 1, `客户${a}`, iso, iso)
    const opp = sqlite.prepare(
      'insert into opportunities (title, account_id, amount_fen, expected_close_date, stage_id, probability, owner_id, status, closed_at, stage_changed_at, last_activity_at, search_text, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
    )
    for (let i = 1; i <= OPPS; i++) {
      const stage = stages[i % stages.length]
      const changed = new Date(now.getTime() - (i % 400) * 86_400_000).toISOString()
      const closed = stage.kind === 'open' ? null : changed
      const close = new Date(now.getTime() + ((i % 180) - 30) * 86_400_000).toISOString().slice(0, 10)
      opp.run(`商机${i}`, (i % 5000) + 1, (i % 997) * 10_000, close, stage.id, stage.probability, (i % 20) + 1, stage.kind, closed, changed, changed, `商机${i}`, changed, changed)
    }
    const act = sqlite.prepare('insert into activities (type, subject, due_at, done_at, owner_id, opportunity_id, account_id, created_at, updated_at) values (?,?,?,?,?,?,?,?,?)')
    for (let i = 1; i <= ACTIVITIES; i++) {
      const opp = (i % OPPS) + 1
      const when = new Date(now.getTime() + ((i % 60) - 45) * 86_400_000).toISOString()
      const planned = i % 10 === 0
      act.run('call', `跟进${i}`, planned ? when : null, planned ? null : when, (opp % 20) + 1, opp, (opp % 5000) + 1, when, when)
    }
  })()
  sqlite.pragma('optimize')
  console.log(`fixture: ${OPPS} opportunities, ${ACTIVITIES} activities in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

  const input = boardInput.parse({})
  const board = await getBoard(db, ctx, input)
  console.log(`columns: ${board.columns.map((c) => `${c.stage.name} ${c.count}`).join(', ')}`)

  const count = await time(() => sqlite.prepare('select count(*) from opportunities').get())
  const boardTimes = await time(() => getBoard(db, ctx, input))
  const open = sqlite.prepare("select id, version, stage_id from opportunities where status = 'open' limit ?").all(RUNS) as Array<{ id: number; version: number; stage_id: number }>
  const openStages = stages.filter((s) => s.kind === 'open')
  let k = 0
  const moveTimes = await time(async () => {
    const o = open[k++]
    const target = openStages.find((s) => s.id !== o.stage_id)!
    await moveOpportunity(db, ctx, { id: o.id, stageId: target.id, version: o.version, lostReason: null })
  })

  const z = median(count)
  const x = median(boardTimes)
  const y = median(moveTimes)
  console.log(`board query median ms: ${x.toFixed(2)}`)
  console.log(`stage move median ms: ${y.toFixed(2)}`)
  console.log(`baseline count median ms: ${z.toFixed(2)}`)
  console.log(`board/baseline ratio: ${(x / z).toFixed(1)}, move/baseline ratio: ${(y / z).toFixed(1)}`)
  await app.close()
  rmSync(dir, { recursive: true, force: true })
}

void main()
