// Preload: exposes a generic `invoke`/`on` and nothing domain-specific, so adding
// an API method never changes this file. `crmFiles` moves file bytes (the
// sandboxed page has no file system): upload → token, token → save dialog.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_FILE_SAVE_CHANNEL, IPC_FILE_UPLOAD_CHANNEL, IPC_INVOKE_CHANNEL, type FilesBridge, type Transport } from '../shared/api'

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

const files: FilesBridge = {
  upload: (name, bytes, locale) => ipcRenderer.invoke(IPC_FILE_UPLOAD_CHANNEL, name, bytes, locale),
  save: (token, name, locale) => ipcRenderer.invoke(IPC_FILE_SAVE_CHANNEL, token, name, locale),
}

contextBridge.exposeInMainWorld('crm', bridge)
contextBridge.exposeInMainWorld('crmFiles', files)
