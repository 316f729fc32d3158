import type { Locale } from '../shared/errors'

export interface JobProgress {
  done: number
  total: number | null
  message?: string
}

/** Who is asking, in which language, and at what time. Passed to every service. */
export interface Ctx {
  userId: number | null
  locale: Locale
  /** Injected clock: tests and the reminder scheduler control time through it. */
  now: () => Date
  /** API method being served, recorded in the audit log. */
  method?: string
  /** Set for long jobs: cancellation and progress reporting. */
  signal?: AbortSignal
  progress?: (p: JobProgress) => void
  /** True for HTTP callers: file paths on this machine are not theirs to name (import/file-store.ts). */
  remote?: boolean
  /** The main process's job runner, for jobs:list / jobs:cancel. */
  jobs?: { cancel(jobId: string): boolean; list(): unknown[] }
}

export function systemCtx(overrides: Partial<Ctx> = {}): Ctx {
  return { userId: null, locale: 'zh-CN', now: () => new Date(), ...overrides }
}
