// `crm score retrain` and `crm score explain` on a data folder with history.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openAppDatabase } from '../src-main/db/open'
import { tempDir } from './helpers/core'

const ROOT = join(__dirname, '..')
function crm(...args: string[]) {
  const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src-main/cli/crm.ts'), ...args], { encoding: 'utf8', cwd: ROOT })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('crm score', () => {
  it('retrain prints the hold-out metrics; explain prints probability and factors', async () => {
    const dir = tempDir('crm-score-cli-')
    const app = await openAppDatabase(join(dir, 'crm.sqlite'))
    const db = app.db
    const stages = Object.fromEntries((await db.selectFrom('pipeline_stages').select(['id', 'key']).execute()).map((s) => [s.key, s.id]))
    const account = await db.insertInto('accounts').values({ name: '客户', tags: '[]', lifecycle: 'prospect', search_text: '', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' }).returning('id').executeTakeFirstOrThrow()
    // 60 closed deals: 展会 wins 5 in 6, 广告 1 in 6; one open 展会 deal to explain.
    for (let i = 0; i <= 60; i++) {
      const at = new Date(Date.parse('2026-03-01T00:00:00.000Z') + i * 86_400_000).toISOString()
      const open = i === 60
      const source = i % 2 || open ? '展会' : '广告'
      const won = source === '展会' ? i % 12 !== 1 : i % 12 === 0
      const stageId = open ? stages.intent : won ? stages.won : stages.lost
      const row = await db
        .insertInto('opportunities')
        .values({ title: `单${i}`, account_id: account.id, amount_fen: 500_000, stage_id: stageId, probability: open ? 30 : won ? 100 : 0, source, status: open ? 'open' : won ? 'won' : 'lost', closed_at: open ? null : at, stage_changed_at: at, search_text: '', created_at: at, updated_at: at })
        .returning('id')
        .executeTakeFirstOrThrow()
      await db.insertInto('stage_history').values({ opportunity_id: row.id, from_stage_id: null, to_stage_id: stageId, changed_at: at }).execute()
    }
    const openId = (await db.selectFrom('opportunities').select('id').where('status', '=', 'open').executeTakeFirstOrThrow()).id
    await app.close()

    const retrain = crm('score', 'retrain', '--data-dir', dir, '--json')
    expect(retrain.status, retrain.stderr).toBe(0)
    const status = JSON.parse(retrain.stdout)
    expect(status).toMatchObject({ target: 'opportunity', state: 'ready', metrics: { closed: 60, holdout: { split: 'time', train: 42, test: 18 } } })
    expect(status.metrics.holdout.calibration.length).toBeGreaterThan(0)

    const explain = crm('score', 'explain', String(openId), '--data-dir', dir, '--json')
    expect(explain.status, explain.stderr).toBe(0)
    const x = JSON.parse(explain.stdout)
    expect(x).toMatchObject({ id: openId, state: 'ready', used: true, probabilitySource: 'learned', stageProbability: 30 })
    expect(x.factors.for[0]).toMatchObject({ feature: 'source', value: '展会' })
    // Two CLI start-ups (tsx compiles the whole app each time): allow for a busy machine.
  }, 90_000)
})
