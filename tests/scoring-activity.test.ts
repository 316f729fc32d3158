// The win model's activity fact, read from the database: completed activities on
// a closed deal count only up to its closing (a note added after a loss says
// nothing about why it was lost), on an open deal all completed ones count, and
// the rate is per 30 days open (at least 14). Real dispatcher, real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { JobEvent } from '../src-main/shared/api'
import type { Stage } from '../src-main/shared/domain'
import { createTestCore, type TestCore } from './helpers/core'

const DAY = 86_400_000
const BASE = Date.parse('2025-06-01T02:00:00.000Z')
let now = new Date(BASE)
let t: TestCore
let stages: Record<string, Stage>

beforeEach(async () => {
  now = new Date(BASE)
  t = await createTestCore({ clock: () => now })
  stages = Object.fromEntries((await t.ok('stages:list', {})).map((s) => [s.key, s]))
})
afterEach(async () => t.cleanup())

const at = (ms: number) => new Date(ms).toISOString()

async function deal(title: string) {
  const a = await t.ok('accounts:create', { name: `${title}客户` } as never)
  return t.ok('opportunities:create', { title, accountId: a.id, amountFen: 1_000_000 } as never)
}
async function done(opportunityId: number, doneAt: number) {
  await t.ok('activities:create', { type: 'call', subject: '电话', opportunityId, doneAt: at(doneAt) } as never)
}

async function retrain() {
  const finished = new Promise<JobEvent>((resolve) => {
    const off = t.bus.on('job', (e) => {
      if (e.state !== 'running') {
        off()
        resolve(e)
      }
    })
  })
  await t.ok('winmodel:retrain', {} as never)
  const e = await finished
  if (e.state !== 'done') throw new Error(String(e.error?.message))
  return e.result as { state: string; features: Array<{ name: string; values: number }> }
}

describe('activity fact of the win model', () => {
  it('counts a closed deal’s activities up to its closing only, an open deal’s all, as a rate per month', async () => {
    // 60 closed deals, 8 days apart, each closed 5 days after it was created.
    // Won (even): 4 in 5 had three calls before closing → 3 / 14 days × 30 = 6.4 a month: "4+/月".
    // Lost (odd): 1 in 5 had three calls; three in ten got one call AFTER the loss, which must not count
    // (counted, it would make a third band, 1 / 14 × 30 = 2.1: "2–4/月").
    for (let i = 0; i < 60; i++) {
      const created = BASE + i * 8 * DAY
      now = new Date(created)
      const d = await deal(`历史${i}`)
      now = new Date(created + 5 * DAY)
      const won = i % 2 === 0
      const calls = won ? i % 10 !== 0 : i % 10 === 3
      if (calls) for (const k of [1, 2, 3]) await done(d.id, created + k * DAY)
      await t.ok('opportunities:move', { id: d.id, stageId: won ? stages.won.id : stages.lost.id, version: d.version, lostReason: '价格' } as never)
      if (!won && [5, 7, 9].includes(i % 10)) {
        now = new Date(created + 7 * DAY)
        await done(d.id, created + 6 * DAY)
      }
    }
    const end = BASE + 60 * 8 * DAY
    now = new Date(end)
    const busy = await deal('新·常联系')
    const quiet = await deal('新·未联系')
    for (const k of [1, 2, 3]) await done(busy.id, end - k * DAY)

    const status = await retrain()
    expect(status.features.find((f) => f.name === 'activity')?.values).toBe(2)

    const b = await t.ok('winmodel:explain', { id: busy.id })
    const q = await t.ok('winmodel:explain', { id: quiet.id })
    expect(b.factors.for.find((f) => f.feature === 'activity')).toMatchObject({ value: '4+/月' })
    expect(q.factors.against.find((f) => f.feature === 'activity')).toMatchObject({ value: '0' })
    expect(b.learnedProbability!).toBeGreaterThan(q.learnedProbability!)
  })
})
