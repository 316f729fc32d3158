// Run a job method (export:run, reports:exportPdf / exportXlsx / pack …) and wait
// for its result, with its progress for an indicator. The job's events arrive
// over the API's event stream; the listener is attached before the call so none
// is missed, and the job list is polled as a fallback should the last event be lost.
import { computed, onBeforeUnmount, ref } from 'vue'
import { api, onEvent } from '@/api/client'
import type { JobEvent } from '@/types'

type JobMethod = 'export:run' | 'reports:exportPdf' | 'reports:exportXlsx' | 'reports:pack'

/** A job that ended otherwise than done: `state` says whether it was cancelled or failed. */
export class JobEndedError extends Error {
  constructor(readonly state: JobEvent['state'], message: string) {
    super(message)
  }
}

const POLL_MS = 1500

export function useJob() {
  const running = ref(false)
  const event = ref<JobEvent | null>(null)
  const jobId = ref<string | null>(null)
  const percent = computed(() => {
    const e = event.value
    if (!e?.total) return 0
    return Math.min(100, Math.round((e.done / e.total) * 100))
  })
  let stopWatching: (() => void) | null = null

  async function run<R>(method: JobMethod, input: unknown): Promise<R> {
    running.value = true
    event.value = null
    const seen = new Map<string, JobEvent>()
    let settle: ((e: JobEvent) => void) | null = null
    const finished = new Promise<JobEvent>((resolve) => (settle = resolve))
    const take = (e: JobEvent) => {
      event.value = e
      if (e.state !== 'running') settle?.(e)
    }
    const off = onEvent('job', (e) => {
      seen.set(e.jobId, e)
      if (e.jobId === jobId.value) take(e)
    })
    const poll = setInterval(async () => {
      if (!jobId.value) return
      const mine = (await api('jobs:list', {}).catch(() => null))?.find((j) => j.jobId === jobId.value)
      if (mine) take(mine)
    }, POLL_MS)
    stopWatching = () => {
      off()
      clearInterval(poll)
    }
    try {
      const res = (await api(method, input as never)) as unknown as { jobId: string }
      jobId.value = res.jobId
      const early = seen.get(res.jobId)
      if (early) take(early)
      const end = await finished
      if (end.state !== 'done') throw new JobEndedError(end.state, end.error?.message ?? end.state)
      return end.result as R
    } finally {
      stopWatching?.()
      stopWatching = null
      running.value = false
      jobId.value = null
    }
  }

  async function cancel(): Promise<void> {
    if (jobId.value) await api('jobs:cancel', { jobId: jobId.value }).catch(() => undefined)
  }

  onBeforeUnmount(() => stopWatching?.())

  return { running, event, jobId, percent, run, cancel }
}
