// Exports started from the app (download by token) read the rows a page at a
// time, so the database stays usable during a large export and cancel gets
// through; the file must be the same as the streamed export (`out`) writes.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ExportResult } from '../src-main/export/export'
import type { JobEvent } from '../src-main/shared/api'
import { createTestCore, tempDir, type TestCore } from './helpers/core'
import { runJob } from './helpers/jobs'

let t: TestCore
beforeEach(async () => {
  t = await createTestCore({ clock: () => new Date('2026-11-29T02:00:00.000Z') })
})
afterEach(async () => {
  await t.cleanup()
})

async function seedLeads(n: number): Promise<void> {
  const sources = ['展会', '微信', '官网']
  const db = t.database.db
  const now = '2026-11-01T00:00:00.000Z'
  const rows = Array.from({ length: n }, (_, i) => ({
    company: `测试公司${String(i).padStart(5, '0')}`,
    contact_name: `联系人${i}`,
    source: sources[i % 3],
    status: i % 4 === 0 ? 'contacted' : 'new',
    score: (i * 37) % 100,
    tags: '[]',
    search_text: `测试公司${i}`,
    created_at: now,
    updated_at: now,
  }))
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('leads').values(rows.slice(i, i + 500) as never).execute()
}

async function exportCsv(input: Record<string, unknown>): Promise<{ r: ExportResult; text: string }> {
  const e = await runJob(t, 'export:run', { entity: 'leads', format: 'csv', ...input } as never)
  if (e.state !== 'done') throw new Error(`${e.state}: ${e.error?.message}`)
  const r = e.result as ExportResult
  return { r, text: readFileSync(r.path, 'utf8') }
}

describe('export by token (paged reads)', () => {
  it('writes the same rows in the same order as the streamed export', async () => {
    await seedLeads(2600)
    const filters = { source: '展会', sort: 'score', order: 'asc' }
    const columns = ['company', 'source', 'status', 'score']
    const paged = await exportCsv({ filters, columns })
    const streamed = await exportCsv({ filters, columns, out: join(tempDir('crm-export-paged-'), 'x.csv') })
    expect(paged.r.token).not.toBeNull()
    expect(streamed.r.token).toBeNull()
    const listed = await t.ok('leads:list', { source: '展会' })
    expect(paged.r.rows).toBe(listed.total)
    expect(paged.text).toBe(streamed.text)
    // Sorted by score, then id, as the list is.
    const scores = paged.text.trim().split(/\r?\n/).slice(1).map((l) => Number(l.split(',')[3]))
    expect(scores).toEqual([...scores].sort((a, b) => a - b))
  })

  it('leaves the database free between pages and can be cancelled', async () => {
    await seedLeads(6000)
    let jobId: string | null = null
    let midCall: number | null = null
    const events: JobEvent[] = []
    const e = await runJob(t, 'export:run', { entity: 'leads', format: 'xlsx' } as never, (ev, id) => {
      events.push(ev)
      jobId = id
      if (ev.state === 'running' && ev.done >= 1000 && midCall === null) {
        midCall = ev.done
        // Another call while the export runs: answered, then the user cancels.
        void t.ok('leads:list', { pageSize: 1 }).then(() => t.ok('jobs:cancel', { jobId: jobId! }))
      }
    })
    expect(midCall).not.toBeNull()
    expect(e.state).toBe('cancelled')
    expect(e.done).toBeLessThan(6000)
  })
})
