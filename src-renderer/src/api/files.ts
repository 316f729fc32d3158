// Files that cross the API by token (see src-main/import/file-store.ts): a job
// (export, report PDF/xlsx, rejected rows) leaves a file in the main process's
// file store and returns its token; the renderer then hands it to the user.
// In the browser that is GET /api/files/<token> as an attachment.

/** Let the user save a generated file under the given name. */
export async function downloadFile(token: string, name: string): Promise<void> {
  const a = document.createElement('a')
  a.href = `/api/files/${encodeURIComponent(token)}`
  a.download = name
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
}
