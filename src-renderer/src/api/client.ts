import type { ApiEvents, ApiInput, ApiOutput, EventName, MethodName, Transport } from '../../../src-main/shared/api'
import type { User } from '../../../src-main/shared/domain'
import type { ApiErrorData } from '../../../src-main/shared/errors'
import { getTransportLocale, pickTransport } from './transport'

/** An API failure as the UI handles it: the code, the user's-language message, field problems. */
export class ApiError extends Error {
  constructor(readonly data: ApiErrorData) {
    super(data.message)
    this.name = 'ApiError'
  }
  get code() {
    return this.data.code
  }
}

let transport: Transport | null = null
function t(): Transport {
  transport ??= pickTransport()
  return transport
}

/** Call an API method; resolves with its value or throws ApiError. */
export async function api<K extends MethodName>(method: K, input: ApiInput<K>): Promise<ApiOutput<K>> {
  const result = await t().invoke(method, input, getTransportLocale())
  if (!result.ok) throw new ApiError(result.error)
  return result.value
}

export function onEvent<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
  return t().on(event, listener)
}

/** What /api/auth/status (and /api/batch) say of the session. */
export interface SessionStatus {
  requireLogin: boolean
  user: User | null
}

/** HTTP-only: sign in/out (the desktop app is always signed in as its local user). */
export async function authRequest<T>(path: 'login' | 'logout' | 'status', body: unknown = {}): Promise<{ ok: true; value: T } | { ok: false; error: ApiErrorData }> {
  const res = await fetch(`/api/auth/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CRM-Locale': getTransportLocale() }, body: JSON.stringify(body) })
  return (await res.json()) as { ok: true; value: T } | { ok: false; error: ApiErrorData }
}

export function isDesktop(): boolean {
  return Boolean(window.crm)
}
