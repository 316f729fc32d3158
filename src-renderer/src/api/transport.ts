// The renderer never touches SQL: it calls the one API table through a
// transport chosen at start — Electron IPC when the preload exposed
// `window.crm`, HTTP (`crm serve`) otherwise.
import type { ApiEvents, ApiInput, ApiOutput, EventName, MethodName, Transport } from '../../../src-main/shared/api'
import type { ApiResult } from '../../../src-main/shared/errors'

declare global {
  interface Window {
    crm?: Transport
  }
}

let currentLocale = 'zh-CN'
export function setTransportLocale(locale: string): void {
  currentLocale = locale
}
export function getTransportLocale(): string {
  return currentLocale
}

export function createHttpTransport(base = ''): Transport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let source: EventSource | null = null

  function ensureEvents(): void {
    if (source || typeof EventSource === 'undefined') return
    const es = new EventSource(`${base}/api/events`)
    source = es
    for (const name of ['data:changed', 'job', 'reminder'] satisfies EventName[]) {
      es.addEventListener(name, (e) => {
        const payload = JSON.parse((e as MessageEvent<string>).data) as unknown
        listeners.get(name)?.forEach((fn) => fn(payload))
      })
    }
    // EventSource retries dropped connections itself, but gives up for good after an
    // HTTP error (401 before sign-in, a restarted server): then open a new one later.
    es.addEventListener('error', () => {
      if (es.readyState !== EventSource.CLOSED) return
      source = null
      setTimeout(ensureEvents, 5_000)
    })
  }

  return {
    async invoke<K extends MethodName>(method: K, input: ApiInput<K>, locale = currentLocale): Promise<ApiResult<ApiOutput<K>>> {
      try {
        const res = await fetch(`${base}/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CRM-Locale': locale },
          credentials: 'same-origin',
          body: JSON.stringify(input ?? {}),
        })
        return (await res.json()) as ApiResult<ApiOutput<K>>
      } catch {
        const message = currentLocale === 'en' ? 'Cannot reach the CRM server. Is it running?' : '无法连接到 CRM 服务，请确认服务已启动。'
        return { ok: false, error: { code: 'INTERNAL', message } }
      }
    },
    on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      ensureEvents()
      const set = listeners.get(event) ?? new Set()
      set.add(listener as (payload: unknown) => void)
      listeners.set(event, set)
      return () => set.delete(listener as (payload: unknown) => void)
    },
  }
}

export function pickTransport(): Transport {
  return window.crm ?? createHttpTransport()
}
