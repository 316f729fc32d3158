// Files that cross the API by token (see src-main/import/file-store.ts).
// In: uploadFile hands a file to the main process and gets its token, used as
// { file: { token } } (import:inspect …). Out: a job (export, report PDF/xlsx,
// rejected rows) leaves a file in the file store and returns its token;
// downloadFile hands it to the user.
// Browser: POST /api/files/upload and GET /api/files/<token>, same session as /api.
// Desktop (sandboxed page): the preload's `window.crmFiles` — bytes over IPC in,
// the system save dialog out.
import type { FilesBridge, UploadedFile } from '../../../src-main/shared/api'
import type { ApiResult } from '../../../src-main/shared/errors'
import { ApiError } from './client'
import { getTransportLocale } from './transport'

declare global {
  interface Window {
    crmFiles?: FilesBridge
  }
}

export type { UploadedFile }

function unwrap<T>(r: ApiResult<T>): T {
  if (!r.ok) throw new ApiError(r.error)
  return r.value
}

/** Hand a file the user picked to the main process; resolves with its token. */
export async function uploadFile(file: File): Promise<UploadedFile> {
  const locale = getTransportLocale()
  if (window.crmFiles) return unwrap(await window.crmFiles.upload(file.name, new Uint8Array(await file.arrayBuffer()), locale))
  let res: Response
  try {
    res = await fetch('/api/files/upload', {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'X-File-Name': encodeURIComponent(file.name), 'X-CRM-Locale': locale },
      credentials: 'same-origin',
      body: file,
    })
  } catch {
    const message = locale === 'en' ? 'Cannot reach the CRM server. Is it running?' : '无法连接到 CRM 服务，请确认服务已启动。'
    throw new ApiError({ code: 'INTERNAL', message })
  }
  return unwrap((await res.json()) as ApiResult<UploadedFile>)
}

/** Let the user save a generated file under the given name. */
export async function downloadFile(token: string, name: string): Promise<void> {
  if (window.crmFiles) {
    unwrap(await window.crmFiles.save(token, name, getTransportLocale()))
    return
  }
  const a = document.createElement('a')
  a.href = `/api/files/${encodeURIComponent(token)}`
  a.download = name
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
}
