import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import type { Caller, Dispatcher } from '../api/dispatch'
import type { EventBus } from '../api/events'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type EventName } from '../shared/api'
import type { ApiResult, Locale } from '../shared/errors'
import { AppError } from '../shared/errors'

export interface IpcWiring {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  dispatcher: Pick<Dispatcher, 'dispatch'>
  bus: EventBus
  /** Who the desktop user is (the local admin unless switched). */
  caller: () => Promise<Omit<Caller, 'locale'>>
  /** Only our own pages may call the API. */
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean
  /** Windows that receive pushed events. */
  targets: () => Array<Pick<WebContents, 'send' | 'isDestroyed'>>
}

/** Register the one generic IPC handler and forward bus events; returns an unregister function. */
export function registerIpc(w: IpcWiring): () => void {
  w.ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method: unknown, input: unknown, locale: unknown): Promise<ApiResult<unknown>> => {
    const loc: Locale = locale === 'en' ? 'en' : 'zh-CN'
    if (!w.isTrustedSender(event)) return { ok: false, error: new AppError('FORBIDDEN').toData(loc) }
    if (typeof method !== 'string') return { ok: false, error: new AppError('UNKNOWN_METHOD', { method: String(method) }).toData(loc) }
    // Job control needs no user lookup (a running import holds the database; Cancel must get through).
    const caller = method === 'jobs:cancel' || method === 'jobs:list' ? { userId: null, role: null } : await w.caller()
    return w.dispatcher.dispatch(method, input, { ...caller, locale: loc })
  })
  const events: EventName[] = ['data:changed', 'job', 'reminder']
  const offs = events.map((name) =>
    w.bus.on(name, (payload) => {
      for (const target of w.targets()) if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, name, payload)
    }),
  )
  return () => {
    w.ipcMain.removeHandler(IPC_INVOKE_CHANNEL)
    offs.forEach((off) => off())
  }
}
