// One interface over .xlsx and CSV: sheets, rows with their row numbers, progress.
import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { AppError, type ErrorCode } from '../shared/errors'
import type { WorkerIn, WorkerOut } from './read-worker'
import { basename } from 'node:path'
import { openCsv } from './csv-reader'
import { sniffFile, type TextEncoding } from './sniff'
import { sheetLastRow } from './zip'
import type { SheetInfo, SourceRow } from './types'
import { openXlsx } from './xlsx-reader'

export interface SourceInfo {
  fileName: string
  format: 'xlsx' | 'csv'
  /** CSV only. */
  encoding: TextEncoding | null
  delimiter: string | null
  /** .xlsx only: every sheet, hidden ones marked (they are never read). */
  sheets: SheetInfo[]
  /** The sheet being read (.xlsx), or null for CSV. */
  sheet: string | null
  size: number
}

export interface OpenSource {
  info: SourceInfo
  rows: AsyncGenerator<SourceRow>
  /**
   * Estimated number of rows in the sheet, given the last row number read so far:
   * .xlsx from the sheet's <dimension>, CSV from the share of bytes read. Null if unknown.
   */
  estimateRows(lastRow: number): number | null
  close(): void
}

export interface OpenSourceOptions {
  sheet?: string
  encoding?: TextEncoding
  delimiter?: string
  /** Shown in messages instead of the path's file name (uploads are stored under a token). */
  fileName?: string
  /**
   * Read in a worker thread ('worker'), in this thread ('same'), or decide by size ('auto':
   * files over 4 MB, when the worker script is there; CRM_IMPORT_WORKER=on|off overrides).
   */
  thread?: 'auto' | 'worker' | 'same'
}

const WORKER_MIN_BYTES = 4 * 1024 * 1024

/** The worker script next to this module (.ts under tsx, .js once built); null if the build has none. */
function workerScript(): URL | null {
  for (const name of ['read-worker.js', 'read-worker.mjs', 'read-worker.ts']) {
    const url = new URL(`./${name}`, import.meta.url)
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url
  }
  return null
}

/** How long a reader worker that finished a file waits for the next one before it exits. */
const IDLE_WORKER_MS = 60_000

/** A started reader worker, kept between files (see read-worker.ts). */
interface ReaderWorker {
  worker: Worker
  idleTimer: NodeJS.Timeout | null
}
let idle: ReaderWorker | null = null
/** Settles when a worker told to stop is free again (the wizard's next step usually opens the file at once). */
let stopping: Promise<void> | null = null
let workersStarted = 0

/** Reader workers started by this process so far (tests check that one serves several files). */
export function readerWorkersStarted(): number {
  return workersStarted
}

function startWorker(): ReaderWorker | null {
  const script = workerScript()
  if (!script) return null
  // The reader's live heap is small (rows go out in bounded batches, shared strings sit in a
  // Buffer): a modest old-generation limit makes V8 collect early instead of growing (RSS).
  const resourceLimits = { maxOldGenerationSizeMb: 192 }
  let worker: Worker
  if (script.pathname.endsWith('.ts')) {
    // Running from TypeScript sources (tsx: the CLI, the benchmark): a worker does not inherit
    // tsx's loader, so it registers it before loading the script.
    let tsxApi: string
    try {
      tsxApi = import.meta.resolve('tsx/esm/api')
    } catch {
      return null
    }
    worker = new Worker(`import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(script.href)}) })`, { eval: true, resourceLimits })
  } else worker = new Worker(script, { resourceLimits })
  workersStarted++
  return { worker, idleTimer: null }
}

/** The idle worker if there is one (or one about to be: told to stop, it answers within moments), else a new one. */
async function takeWorker(): Promise<ReaderWorker | null> {
  if (!idle && stopping) await Promise.race([stopping, new Promise((r) => setTimeout(r, 1000).unref())])
  const w = idle
  idle = null
  if (w) {
    if (w.idleTimer) clearTimeout(w.idleTimer)
    w.idleTimer = null
    w.worker.removeAllListeners('exit')
    w.worker.ref()
    return w
  }
  return startWorker()
}

/** A worker that read a file to its end waits for the next one; a second idle worker exits. */
function releaseWorker(w: ReaderWorker): void {
  w.worker.removeAllListeners('message').removeAllListeners('error').removeAllListeners('exit')
  if (idle) {
    void w.worker.terminate()
    return
  }
  idle = w
  // A worker waiting for its next file must not keep the process (the CLI) alive.
  w.worker.unref()
  w.worker.on('exit', () => {
    if (idle === w) idle = null
  })
  w.idleTimer = setTimeout(() => {
    if (idle === w) idle = null
    void w.worker.terminate()
  }, IDLE_WORKER_MS)
  w.idleTimer.unref()
}

/** Open in a worker thread; null when no worker can be started (then the caller reads in-thread). */
async function openInWorker(path: string, opts: OpenSourceOptions): Promise<OpenSource | null> {
  const rw = await takeWorker()
  if (!rw) return null
  const worker = rw.worker
  const queue: Array<SourceRow[]> = []
  let ended = false
  let failure: Error | null = null
  let estimate: number | null = null
  let wake: (() => void) | null = null
  let info: SourceInfo | null = null
  let started: ((ok: boolean) => void) | null = null
  let done = false
  let stopped = false
  let whenFree = () => {}
  const ready = new Promise<boolean>((resolve) => (started = resolve))
  worker.on('message', (m: WorkerOut) => {
    if (m.t === 'info') {
      info = m.info as SourceInfo
      started?.(true)
    } else if (m.t === 'rows') {
      queue.push(m.rows)
      if (m.estimate !== null) estimate = m.estimate
    } else if (m.t === 'end') {
      ended = true
      // Told to stop just as it finished: it waits for the next file already.
      if (done) {
        releaseWorker(rw)
        return whenFree()
      }
    } else if (m.t === 'stopped') {
      if (done) {
        releaseWorker(rw)
        whenFree()
      }
      return
    } else {
      failure = m.code ? new AppError(m.code as ErrorCode, m.params) : new AppError('IMPORT_CORRUPT', { detail: m.message })
      started?.(true)
    }
    wake?.()
  })
  // A worker that cannot even start (e.g. a build without the script) means: read here instead.
  worker.on('error', (err) => {
    failure ??= err instanceof Error ? err : new Error(String(err))
    started?.(false)
    wake?.()
  })
  worker.on('exit', () => {
    if (!ended) failure ??= new Error('reader stopped')
    started?.(false)
    wake?.()
  })
  worker.postMessage({ t: 'open', path, opts: { ...opts, thread: 'same' } } satisfies WorkerIn)
  /**
   * Done with this file. A worker that read it to the end, or reported it unreadable, serves the
   * next file; one still reading is told to stop and serves the next once it has (the wizard reads
   * only the start of a file in its first steps); one that failed otherwise is ended.
   */
  const finish = () => {
    if (done) return
    done = true
    if (ended || failure instanceof AppError) releaseWorker(rw)
    else if (failure || stopped) void worker.terminate()
    else {
      stopped = true
      let settle = () => {}
      const free = new Promise<void>((r) => (settle = r))
      stopping = free
      worker.once('exit', () => settle())
      whenFree = () => {
        if (stopping === free) stopping = null
        settle()
      }
      worker.postMessage({ t: 'stop' } satisfies WorkerIn)
    }
  }
  const ok = await ready
  // Set by the handlers above (TypeScript cannot see that through the closures).
  const failed = failure as Error | null
  if (!ok || !info) {
    done = true
    if (failed instanceof AppError) {
      releaseWorker(rw)
      throw failed
    }
    void worker.terminate()
    return null
  }
  if (failed) {
    finish()
    throw failed
  }
  async function* rows(): AsyncGenerator<SourceRow> {
    try {
      while (true) {
        const batch = queue.shift()
        if (batch) {
          worker.postMessage({ t: 'more' } satisfies WorkerIn)
          for (const r of batch) yield r
          continue
        }
        if (failure) throw failure
        if (ended) return
        await new Promise<void>((r) => (wake = r))
        wake = null
      }
    } finally {
      finish()
    }
  }
  return {
    info: info as SourceInfo,
    rows: rows(),
    estimateRows: (n) => (estimate !== null && estimate >= n ? estimate : null),
    close: finish,
  }
}

export async function openSource(path: string, opts: OpenSourceOptions = {}): Promise<OpenSource> {
  const kind = await sniffFile(path)
  const size = (await stat(path)).size
  // The environment decides only 'auto' (the worker itself always reads with 'same').
  const env = process.env.CRM_IMPORT_WORKER
  const asked = opts.thread ?? 'auto'
  const thread = asked !== 'auto' ? asked : env === 'on' ? 'worker' : env === 'off' ? 'same' : 'auto'
  if (thread === 'worker' || (thread === 'auto' && size >= WORKER_MIN_BYTES)) {
    const threaded = await openInWorker(path, opts)
    if (threaded) return threaded
  }
  const fileName = opts.fileName ?? basename(path)
  if (kind.format === 'xlsx') {
    const x = await openXlsx(path, opts.sheet)
    const lastRow = x.part ? await sheetLastRow(path, size, x.part).catch(() => null) : null
    return {
      info: { fileName, format: 'xlsx', encoding: null, delimiter: null, sheets: x.sheets, sheet: x.sheet, size },
      rows: x.rows,
      estimateRows: (n) => {
        if (lastRow && lastRow >= n) return lastRow
        const f = x.fraction()
        return f !== null && f > 0 && f < 1 ? Math.round(n / f) : null
      },
      close: x.close,
    }
  }
  const encoding = opts.encoding ?? kind.encoding
  const csv = await openCsv(path, encoding, opts.delimiter)
  async function* rows(): AsyncGenerator<SourceRow> {
    let n = 0
    for await (const cells of csv.records) yield { n: ++n, cells }
  }
  return {
    info: { fileName, format: 'csv', encoding, delimiter: csv.delimiter, sheets: [], sheet: null, size },
    rows: rows(),
    estimateRows: (n) => {
      const f = csv.bytesRead() / size
      return f >= 1 ? null : f > 0 ? Math.round(n / f) : null
    },
    close: csv.close,
  }
}
