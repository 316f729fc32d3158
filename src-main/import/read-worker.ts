// Worker thread that reads a spreadsheet (unzip, XML or CSV parsing) while the
// main thread checks and writes the rows: on two cores the import then runs at
// about the speed of reading alone. Rows go back in batches; the main thread
// grants credit per batch, so memory stays bounded whatever the file size.
import { parentPort, workerData } from 'node:worker_threads'
import { AppError } from '../shared/errors'
import { openSource, type OpenSourceOptions } from './source'
import type { SourceRow } from './types'

export const BATCH_ROWS = 1000
export type WorkerIn = { t: 'more' }
export type WorkerOut =
  | { t: 'info'; info: unknown }
  | { t: 'rows'; rows: SourceRow[]; estimate: number | null }
  | { t: 'end' }
  | { t: 'error'; code: string | null; params: Record<string, unknown>; message: string }

async function main(): Promise<void> {
  const port = parentPort!
  const { path, opts } = workerData as { path: string; opts: OpenSourceOptions }
  let credit = 4
  let wake: (() => void) | null = null
  port.on('message', (m: WorkerIn) => {
    if (m.t === 'more') {
      credit++
      wake?.()
    }
  })
  const post = (m: WorkerOut) => port.postMessage(m)
  try {
    // In the worker the source is always read in-thread.
    const source = await openSource(path, { ...opts, thread: 'same' })
    post({ t: 'info', info: source.info })
    let batch: SourceRow[] = []
    for await (const row of source.rows) {
      batch.push(row)
      if (batch.length < BATCH_ROWS) continue
      while (credit <= 0) await new Promise<void>((r) => (wake = r))
      credit--
      post({ t: 'rows', rows: batch, estimate: source.estimateRows(row.n) })
      batch = []
    }
    if (batch.length) post({ t: 'rows', rows: batch, estimate: null })
    post({ t: 'end' })
  } catch (err) {
    if (err instanceof AppError) post({ t: 'error', code: err.code, params: err.params, message: err.message })
    else post({ t: 'error', code: null, params: {}, message: err instanceof Error ? err.message : String(err) })
  } finally {
    port.close()
  }
}

void main()
