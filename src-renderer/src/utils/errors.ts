// One way to show API failures: the server's message (already in the user's
// language) in an ElMessage, VALIDATION problems mapped onto form items.
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/client'
import { t } from '@/i18n'

let unauthorizedHandler: (() => void) | null = null

/** Called when any call answers UNAUTHORIZED (the session ended): the app shows the login page. */
export function setUnauthorizedHandler(fn: () => void): void {
  unauthorizedHandler = fn
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message
  return t('error.unexpected')
}

export function isApiError(err: unknown, code?: ApiError['code']): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code)
}

export function showError(err: unknown): void {
  if (isApiError(err, 'UNAUTHORIZED')) unauthorizedHandler?.()
  if (!(err instanceof ApiError)) console.error(err)
  ElMessage.error({ message: errorMessage(err), grouping: true, showClose: true, duration: 5000 })
}

/** VALIDATION problems by top-level input key ("amountFen", "tags"), for el-form-item `error`. */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!isApiError(err, 'VALIDATION') || !err.data.fields) return {}
  const out: Record<string, string> = {}
  for (const f of err.data.fields) {
    const key = f.path.split('.')[0] ?? ''
    if (key && !out[key]) out[key] = f.message
  }
  return out
}
