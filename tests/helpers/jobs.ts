import type { JobEvent } from '../../src-main/shared/api'
import type { MethodName, ApiInput } from '../../src-main/shared/api'
import type { Caller } from '../../src-main/api/dispatch'
import type { TestCore } from './core'

/** Start a job method through the dispatcher and wait for its last event (done, failed or cancelled). */
export async function runJob<K extends MethodName>(
  t: TestCore,
  method: K,
  input: ApiInput<K>,
  onEvent?: (e: JobEvent, jobId: string) => void,
  caller: Partial<Caller> = {},
): Promise<JobEvent> {
  const events: JobEvent[] = []
  let jobId: string | null = null
  let finish: ((e: JobEvent) => void) | null = null
  // Listen before starting: a small job can finish before the call returns.
  const off = t.bus.on('job', (e) => {
    events.push(e)
    if (jobId && e.jobId === jobId) {
      onEvent?.(e, jobId)
      if (e.state !== 'running') finish?.(e)
    }
  })
  try {
    const started = (await t.ok(method, input, caller)) as unknown as { jobId: string }
    jobId = started.jobId
    const done = new Promise<JobEvent>((resolve) => (finish = resolve))
    for (const e of events) {
      if (e.jobId !== jobId) continue
      onEvent?.(e, jobId)
      if (e.state !== 'running') return e
    }
    return await done
  } finally {
    off()
  }
}
