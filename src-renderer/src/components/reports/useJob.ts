// Run a job method (reports:exportPdf / exportXlsx / pack) and wait for its
// result, with its progress for an indicator. The job's events arrive over the
// API's event stream; the listener is attached before the call so none is missed.
import { computed, ref } from 'vue'
import { api, onEvent } from '@/api/client'
import type { JobEvent } from '@/types'

type JobMethod = 'reports:exportPdf' | 'reports:exportXlsx' | 'reports:pack'

export function useJob() {
  const running = ref(false)
  const event = ref<JobEvent | null>(null)
  const jobId = ref<string | null>(null)
  const percent = computed(() => {
    const e = event.value
    if (!e?.total) return 0
    return Math.min(100, Math.round((e.done / e.total) * 100))
  })

  async function run<R>(method: JobMethod, input: unknown): Promise<R> {
    running.value = true
    event.value = null
    const seen = new Map<string, JobEvent>()
    let settle: ((e: JobEvent) => void) | null = null
    const finished = new Promise<JobEvent>((resolve) => (settle = resolve))
    const off = onEvent('job', (e) => {
      seen.set(e.jobId, e)
      if (e.jobId !== jobId.value) return
      event.value = e
      if (e.state !== 'running') settle?.(e)
    })
    try {
      const res = (await api(method, input as never)) as unknown as { jobId: string }
      jobId.value = res.jobId
      const early = seen.get(res.jobId)
      if (early) {
        event.value = early
        if (early.state !== 'running') settle!(early)
      }
      const end = await finished
      if (end.state !== 'done') throw new Error(end.error?.message ?? end.state)
      return end.result as R
    } finally {
      off()
      running.value = false
      jobId.value = null
    }
  }

  async function cancel(): Promise<void> {
    if (jobId.value) await api('jobs:cancel', { jobId: jobId.value }).catch(() => undefined)
  }

  return { running, event, percent, run, cancel }
}
