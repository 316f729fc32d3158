// Preload: exposes a generic `invoke`/`on` and nothing domain-specific, so adding
// an API method never changes this file.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type Transport } from '../shared/api'

const bridge: Transport = {
  invoke: (method, input, locale) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, input, locale),
  on: (event, listener) => {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) (listener as (p: unknown) => void)(payload)
    }
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler)
    return () => ipcRenderer.off(IPC_EVENT_CHANNEL, handler)
  },
}

contextBridge.exposeInMainWorld('crm', bridge)
