// The contract between the renderer and the main process, derived from the
// method table (type-only import: no main-process code reaches the renderer).
import type { z } from 'zod'
import type { Methods } from '../api/methods'
import type { ApiResult } from './errors'

export type MethodName = keyof Methods
export type ApiInput<K extends MethodName> = z.input<Methods[K]['input']>
export type ApiOutput<K extends MethodName> = Methods[K]['job'] extends true
  ? { jobId: string }
  : Awaited<ReturnType<Methods[K]['run']>>

/** What a job method's JobEvent.result holds once it is done (e.g. JobResult<'import:run'>). */
export type JobResult<K extends MethodName> = Awaited<ReturnType<Methods[K]['run']>>

export interface JobEvent {
  jobId: string
  method: string
  state: 'running' | 'done' | 'failed' | 'cancelled'
  done: number
  total: number | null
  /** Rows (or steps) per second, when known. */
  rate?: number
  message?: string
  result?: unknown
  error?: { code: string; message: string }
}

/** Events pushed from the main process (IPC `on`, HTTP server-sent events). */
export interface ApiEvents {
  'data:changed': { method: string }
  job: JobEvent
  /** A planned task fell due (sent once per task by the main-process scheduler). */
  reminder: ReminderEvent
}

export interface ReminderEvent {
  activityId: number
  subject: string
  type: string
  dueAt: string
  ownerId: number | null
  opportunityId: number | null
  accountName: string | null
}
export type EventName = keyof ApiEvents

/** What the preload exposes as `window.crm` and what the HTTP client implements. */
export interface Transport {
  invoke<K extends MethodName>(method: K, input: ApiInput<K>, locale?: string): Promise<ApiResult<ApiOutput<K>>>
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void
}

export type { ApiResult }
export const IPC_INVOKE_CHANNEL = 'crm:invoke'
export const IPC_EVENT_CHANNEL = 'crm:event'

/** A file handed to the main process (upload) — its token names it in API inputs ({ file: { token } }). */
export interface UploadedFile {
  token: string
  name: string
  size: number
}
/** Desktop only: the preload's `window.crmFiles`. Bytes in, a token out; a token out to a file the user picks. */
export interface FilesBridge {
  upload(name: string, bytes: Uint8Array, locale?: string): Promise<ApiResult<UploadedFile>>
  save(token: string, name: string, locale?: string): Promise<ApiResult<{ saved: boolean; path: string | null }>>
}
export const IPC_FILE_UPLOAD_CHANNEL = 'crm:file-upload'
export const IPC_FILE_SAVE_CHANNEL = 'crm:file-save'
