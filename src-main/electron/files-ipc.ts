// Files on the desktop. The page is sandboxed (no file system, no Node), so the
// preload hands file bytes to these two handlers:
// - upload: bytes → a new slot in the data folder's file store → its token
//   (then used as { file: { token } } like an upload from the browser);
// - save: a token (export, rejected rows) → the system save dialog → a copy there.
// Inputs are checked here, never trusted: only our own pages, a string name, a
// byte array under the upload limit, a well-formed token.
import { BrowserWindow, dialog, type IpcMain, type IpcMainInvokeEvent } from 'electron'
import { copyFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { newFileSlot, resolveFileToken } from '../import/file-store'
import { MAX_UPLOAD_BYTES } from '../server/files'
import { IPC_FILE_SAVE_CHANNEL, IPC_FILE_UPLOAD_CHANNEL, type UploadedFile } from '../shared/api'
import { AppError, type ApiResult, type Locale } from '../shared/errors'

export interface FilesIpcWiring {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  /** The data folder (the database's), whose files/ holds uploads and generated files. */
  dataDir: string
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean
  /** Where the save dialog starts (the user's Downloads folder). */
  defaultDir: () => string
}

const localeOf = (v: unknown): Locale => (v === 'en' ? 'en' : 'zh-CN')

async function asResult<T>(locale: Locale, fn: () => Promise<T>): Promise<ApiResult<T>> {
  try {
    return { ok: true, value: await fn() }
  } catch (err) {
    const e = err instanceof AppError ? err : new AppError('INTERNAL')
    if (!(err instanceof AppError)) console.error('[files-ipc]', err)
    return { ok: false, error: e.toData(locale) }
  }
}

export function registerFilesIpc(w: FilesIpcWiring): () => void {
  w.ipcMain.handle(IPC_FILE_UPLOAD_CHANNEL, (event, name: unknown, bytes: unknown, locale: unknown): Promise<ApiResult<UploadedFile>> =>
    asResult(localeOf(locale), async () => {
      if (!w.isTrustedSender(event)) throw new AppError('FORBIDDEN')
      if (typeof name !== 'string' || name.length === 0 || name.length > 255) throw new AppError('VALIDATION', { detail: 'name' })
      if (!(bytes instanceof Uint8Array)) throw new AppError('VALIDATION', { detail: 'bytes' })
      if (bytes.byteLength > MAX_UPLOAD_BYTES) throw new AppError('FILE_TOO_LARGE', { limit: `${MAX_UPLOAD_BYTES / 1024 / 1024} MB` })
      const slot = newFileSlot(w.dataDir, name)
      try {
        await writeFile(slot.path, bytes)
      } catch (err) {
        await rm(dirname(slot.path), { recursive: true, force: true })
        throw err
      }
      return { token: slot.token, name: slot.name, size: bytes.byteLength }
    }),
  )

  w.ipcMain.handle(IPC_FILE_SAVE_CHANNEL, (event, token: unknown, name: unknown, locale: unknown): Promise<ApiResult<{ saved: boolean; path: string | null }>> =>
    asResult(localeOf(locale), async () => {
      if (!w.isTrustedSender(event)) throw new AppError('FORBIDDEN')
      if (typeof token !== 'string') throw new AppError('FILE_TOKEN_INVALID')
      const file = resolveFileToken(w.dataDir, token)
      const suggested = typeof name === 'string' && name.trim() ? name.trim().slice(0, 200) : file.name
      const owner = BrowserWindow.fromWebContents(event.sender)
      const options = { defaultPath: join(w.defaultDir(), suggested.replace(/[\\/]/g, '_')) }
      const choice = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options)
      if (choice.canceled || !choice.filePath) return { saved: false, path: null }
      await copyFile(file.path, choice.filePath)
      return { saved: true, path: choice.filePath }
    }),
  )

  return () => {
    w.ipcMain.removeHandler(IPC_FILE_UPLOAD_CHANNEL)
    w.ipcMain.removeHandler(IPC_FILE_SAVE_CHANNEL)
  }
}
