// The start-up calls, sent by the first of the app's modules to run (main.ts
// imports it right after boot-url). Vue, Element Plus and the app's own modules
// take a few hundred milliseconds to evaluate on a slow machine; sent from
// main.ts's body, the calls waited for all of that, and the first render then
// waited for their answers. Now they travel meanwhile.
//
// Each call is taken once, by whoever makes the same call first at start-up
// (stores/app.ts init, the board's prefetch); a retry or a later load asks again.
import type { ApiInput, ApiOutput, MethodName } from '../../../src-main/shared/api'
import { firstPageInput, openingBoardFilters } from '@/components/board/boardQuery'
import { storedLocale } from '@/i18n/stored-locale'
import type { ApiResult } from '../../../src-main/shared/errors'
import { api, ApiError, authRequest, isDesktop, type SessionStatus } from './client'
import { getTransportLocale, setTransportLocale } from './transport'

/** Calls older than this are not handed out: start-up is long over (a page left open on a login form, say). */
const FRESH_MS = 10_000

type AuthStatus = Awaited<ReturnType<typeof authRequest<SessionStatus>>>
const sent = new Map<string, Promise<unknown>>()
let status: Promise<AuthStatus> | null = null
const at = Date.now()

/** Same key for the same call, whatever the order of the input's properties. */
function keyOf(method: string, input: unknown): string {
  return `${method} ${JSON.stringify(input, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v))}`
}

function keep<T>(key: string, answer: Promise<T>): void {
  answer.catch(() => undefined) // taken and handled by its caller, or never needed
  sent.set(key, answer)
}

interface Call {
  method: MethodName
  input: unknown
}
interface BatchAnswer {
  status: SessionStatus
  results: Array<ApiResult<unknown>>
}

/**
 * Browser: the session check and the calls in one request (POST /api/batch,
 * src-main/server/http.ts). Should the batch itself fail (the server
 * unreachable, say), each call is asked again on its own, with the usual errors.
 */
function sendBatch(calls: Call[]): void {
  const batch: Promise<BatchAnswer | null> = fetch('/api/batch', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CRM-Locale': getTransportLocale() },
    credentials: 'same-origin',
    body: JSON.stringify({ calls }),
  })
    .then((res) => res.json() as Promise<ApiResult<BatchAnswer>>)
    .then((answer) => (answer.ok ? answer.value : null))
    .catch(() => null)
  status = batch.then((answer) => (answer ? { ok: true as const, value: answer.status } : authRequest<SessionStatus>('status')))
  status.catch(() => undefined)
  calls.forEach((call, i) => {
    const answer = batch.then((all) => {
      const result = all?.results[i]
      if (!result) return api(call.method, call.input as never)
      if (!result.ok) throw new ApiError(result.error)
      return result.value
    })
    keep(keyOf(call.method, call.input), answer)
  })
}

/** The answer of the call sent at start-up with exactly this input, handed out once; else the call made now. */
export function startupAnswer<K extends MethodName>(method: K, input: ApiInput<K>): Promise<ApiOutput<K>> {
  const key = keyOf(method, input)
  const answer = sent.get(key)
  sent.delete(key)
  return answer && Date.now() - at < FRESH_MS ? (answer as Promise<ApiOutput<K>>) : api(method, input)
}

/**
 * Signed in: the start-up answers not taken yet were asked as nobody (refused),
 * so none is handed out any more; whoever needs one asks again.
 */
export function forgetStartup(): void {
  sent.clear()
  status = null
}

/** The session check sent at start-up (HTTP only), once; else null. */
export function takeStartupStatus(): Promise<AuthStatus> | null {
  const s = status
  status = null
  return s && Date.now() - at < FRESH_MS ? s : null
}

// The same calls, in the same language, as stores/app.ts init and the board's
// first load make (the locale is read here: vue-i18n is not loaded yet).
performance.mark('crm:start-up-calls-sent')
setTransportLocale(storedLocale())
const boardFilters = openingBoardFilters()
const calls: Call[] = [
  { method: 'app:info', input: {} },
  { method: 'users:list', input: { includeInactive: true } },
  { method: 'stages:list', input: {} },
  // Opened on the board: its first page, and the pipelines for its selector.
  ...(boardFilters
    ? [
        { method: 'board:get' as const, input: firstPageInput(boardFilters) },
        { method: 'pipelines:list' as const, input: {} },
      ]
    : []),
]
// The desktop's IPC calls cost next to nothing: one each, as usual.
if (isDesktop()) for (const call of calls) keep(keyOf(call.method, call.input), api(call.method, call.input as never))
else sendBatch(calls)
