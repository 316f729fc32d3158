// Worker thread that reads a spreadsheet (unzip, XML or CSV parsing) while the
// main thread checks and writes the rows: on two cores the import then runs at
// about the speed of reading alone. Rows go back in batches; the main thread
// grants credit per batch, so memory stays bounded whatever the file size.
//
// One worker reads one file at a time and then waits for the next (source.ts
// keeps it for a while): the import wizard opens the same file for each of its
// steps, and starting a worker (loading the parsers) costs about a second.
import { parentPort } from 'node:worker_threads'
import { AppError } from '../shared/errors'
import { openSource, type OpenSourceOptions } from './source'
import type { SourceRow } from './types'

export const BATCH_ROWS = 1000
export type WorkerIn = { t: 'open'; path: string; opts: OpenSourceOptions } | { t: 'more' } | { t: 'stop' }
export type WorkerOut =
  | { t: 'info'; info: unknown }
  | { t: 'rows'; rows: SourceRow[]; estimate: number | null }
  | { t: 'end' }
  /** Answer to 'stop': the file is closed, the worker waits for the next. */
  | { t: 'stopped' }
  | { t: 'error'; code: string | null; params: Record<string, unknown>; message: string }

const port = parentPort!
let credit = 0
let wake: (() => void) | null = null
let stop = false
let reading = false
const post = (m: WorkerOut) => port.postMessage(m)

async function read(path: string, opts: OpenSourceOptions): Promise<void> {
  credit = 4
  stop = false
  reading = true
  try {
    // In the worker the source is always read in-thread.
    const source = await openSource(path, { ...opts, thread: 'same' })
    post({ t: 'info', info: source.info })
    let batch: SourceRow[] = []
    for await (const row of source.rows) {
      if (stop) break // leaving the loop closes the file
      batch.push(row)
      if (batch.length < BATCH_ROWS) continue
      while (credit <= 0 && !stop) await new Promise<void>((r) => (wake = r))
      if (stop) break
      credit--
      post({ t: 'rows', rows: batch, estimate: source.estimateRows(row.n) })
      batch = []
    }
    if (stop) {
      source.close()
      post({ t: 'stopped' })
      return
    }
    if (batch.length) post({ t: 'rows', rows: batch, estimate: null })
    post({ t: 'end' })
  } catch (err) {
    if (stop) return void post({ t: 'stopped' })
    if (err instanceof AppError) post({ t: 'error', code: err.code, params: err.params, message: err.message })
    else post({ t: 'error', code: null, params: {}, message: err instanceof Error ? err.message : String(err) })
  } finally {
    reading = false
  }
}

port.on('message', (m: WorkerIn) => {
  if (m.t === 'more') {
    credit++
    wake?.()
  } else if (m.t === 'stop') {
    if (!reading) return void post({ t: 'stopped' })
    stop = true
    wake?.()
  } else if (m.t === 'open') void read(m.path, m.opts)
})
