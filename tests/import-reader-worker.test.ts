// The reader worker is kept between files: the wizard opens a file once per
// step, and starting a worker costs about a second. A worker told to stop half
// way (only the first rows were wanted) must serve the next file whole; a bad
// file must not cost the worker either.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { AppError } from '../src-main/shared/errors'
import { openSource, readerWorkersStarted } from '../src-main/import/source'

const dir = mkdtempSync(join(tmpdir(), 'crm-reader-worker-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function csv(name: string, rows: number): string {
  const path = join(dir, name)
  const lines = ['公司名称,联系人,手机']
  for (let i = 0; i < rows; i++) lines.push(`公司${i},联系人${i},139${String(i).padStart(8, '0')}`)
  writeFileSync(path, lines.join('\n'))
  return path
}

async function readAll(path: string, limit = Infinity): Promise<number> {
  const s = await openSource(path, { thread: 'worker' })
  let n = 0
  try {
    for await (const r of s.rows) {
      expect(r.cells[0]).toBe(n === 0 ? '公司名称' : `公司${n - 1}`)
      if (++n >= limit) break
    }
  } finally {
    s.close()
  }
  return n
}

describe('reader worker', () => {
  it('serves the start of a file, then a whole file, then a bad file, then another, with one worker', async () => {
    const before = readerWorkersStarted()
    const big = csv('big.csv', 50_000)
    expect(await readAll(big, 200)).toBe(200) // stops the worker half way
    expect(await readAll(big)).toBe(50_001)
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0])) // an old .xls
    await expect(openSource(bad, { thread: 'worker' })).rejects.toBeInstanceOf(AppError)
    expect(await readAll(csv('small.csv', 10))).toBe(11)
    expect(readerWorkersStarted() - before).toBe(1)
  })

  it('two files open at once get two workers, and both read whole', async () => {
    const before = readerWorkersStarted()
    const a = csv('a.csv', 5_000)
    const b = csv('b.csv', 7_000)
    const [na, nb] = await Promise.all([readAll(a), readAll(b)])
    expect([na, nb]).toEqual([5_001, 7_001])
    expect(readerWorkersStarted() - before).toBeLessThanOrEqual(2)
  })
})
