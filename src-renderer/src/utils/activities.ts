import { ElMessage, ElMessageBox } from 'element-plus'
import { api } from '@/api/client'
import { t } from '@/i18n'
import type { Activity } from '@/types'
import { showError } from './errors'

/** Ask for an optional outcome, then mark the activity done. Resolves true when it was completed. */
export async function completeActivity(activity: Activity): Promise<boolean> {
  let outcome = ''
  try {
    const answer = await ElMessageBox.prompt(t('activities.completePrompt'), t('activities.completeTitle'), {
      confirmButtonText: t('activities.complete'),
      cancelButtonText: t('common.cancel'),
      inputPlaceholder: activity.subject,
      inputValue: '',
    })
    outcome = (answer as { value?: string }).value ?? ''
  } catch {
    return false
  }
  try {
    await api('activities:complete', { id: activity.id, outcome: outcome.trim() || null })
    ElMessage.success(t('activities.completed'))
    return true
  } catch (err) {
    showError(err)
    return false
  }
}

/** planned / overdue / done, for the tag next to an activity. */
export function activityState(a: Pick<Activity, 'dueAt' | 'doneAt'>): 'planned' | 'overdue' | 'done' {
  if (a.doneAt) return 'done'
  if (a.dueAt && new Date(a.dueAt).getTime() < Date.now()) return 'overdue'
  return 'planned'
}

export const ACTIVITY_STATE_TAG = { planned: 'warning', overdue: 'danger', done: 'success' } as const
