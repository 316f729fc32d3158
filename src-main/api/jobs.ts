import { randomUUID } from 'node:crypto'
import type { JobEvent } from '../shared/api'
import { AppError } from '../shared/errors'
import type { Ctx, JobProgress } from '../services/context'
import type { EventBus } from './events'

interface RunningJob {
  controller: AbortController
  event: JobEvent
}

/**
 * Long jobs (import, export, demo data, PDF) run here in the main process.
 * Each gets an AbortSignal and a progress callback; every change is published
 * as a `job` event. A job must write in transactions so that cancelling it
 * leaves nothing half done.
 */
export class JobRunner {
  private readonly jobs = new Map<string, RunningJob>()

  constructor(private readonly bus: EventBus) {}

  start<R>(method: string, ctx: Ctx, run: (ctx: Ctx) => Promise<R>, onError: (err: unknown) => JobEvent['error']): string {
    const jobId = randomUUID()
    const controller = new AbortController()
    const started = Date.now()
    const event: JobEvent = { jobId, method, state: 'running', done: 0, total: null }
    this.jobs.set(jobId, { controller, event })
    let lastEmit = 0
    const progress = (p: JobProgress) => {
      Object.assign(event, p)
      const elapsed = (Date.now() - started) / 1000
      event.rate = elapsed > 0 ? p.done / elapsed : undefined
      // Throttle to ~10 events a second; the last one always goes out on finish.
      if (Date.now() - lastEmit > 100) {
        lastEmit = Date.now()
        this.bus.emit('job', { ...event })
      }
    }
    this.bus.emit('job', { ...event })
    void run({ ...ctx, signal: controller.signal, progress })
      .then((result) => {
        event.state = 'done'
        event.result = result
      })
      .catch((err: unknown) => {
        const cancelled = controller.signal.aborted || (err instanceof AppError && err.code === 'JOB_CANCELLED')
        event.state = cancelled ? 'cancelled' : 'failed'
        event.error = onError(cancelled ? new AppError('JOB_CANCELLED') : err)
      })
      .finally(() => {
        this.jobs.delete(jobId)
        this.bus.emit('job', { ...event })
      })
    return jobId
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId)
    if (!job) return false
    job.controller.abort()
    return true
  }

  list(): JobEvent[] {
    return [...this.jobs.values()].map((j) => ({ ...j.event }))
  }
}

/** Call inside a job's loop: throws JOB_CANCELLED once the user cancelled. */
export function throwIfCancelled(ctx: Ctx): void {
  if (ctx.signal?.aborted) throw new AppError('JOB_CANCELLED')
}
