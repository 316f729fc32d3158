// Due-task reminders (the main process sends a `reminder` event once per task):
// an in-app notification for the signed-in user's own tasks, which opens the
// deal (or the task list) when clicked. The desktop app also shows a system one.
import { h } from 'vue'
import { ElNotification } from 'element-plus'
import { onEvent } from '@/api/client'
import { t } from '@/i18n'
import { router } from '@/router'
import { useAppStore } from '@/stores/app'
import type { ApiEvents } from '../../../src-main/shared/api'
import { formatDateTime } from '@/utils/format'
import { enumLabel } from '@/utils/labels'

type Reminder = ApiEvents['reminder']

export function showReminder(r: Reminder): void {
  const target = r.opportunityId ? `/opportunities/${r.opportunityId}` : '/activities?state=overdue'
  const n = ElNotification({
    title: t('board.reminder.title'),
    type: 'warning',
    duration: 0,
    position: 'bottom-right',
    customClass: 'crm-reminder',
    message: h('div', { 'data-testid': 'reminder', style: 'cursor: pointer; line-height: 1.6' }, [
      h('div', { style: 'font-weight: 600; color: var(--el-text-color-primary)' }, `${enumLabel('activityType', r.type)} · ${r.subject}`),
      r.accountName ? h('div', { style: 'font-size: 12px; color: var(--el-text-color-secondary)' }, r.accountName) : null,
      h('div', { style: 'font-size: 12px; color: var(--el-text-color-secondary); white-space: nowrap' }, t('board.reminder.due', { at: formatDateTime(r.dueAt) })),
      h('div', { style: 'font-size: 12px; color: var(--el-color-primary); margin-top: 2px' }, r.opportunityId ? t('board.reminder.openDeal') : t('board.reminder.openTasks')),
    ]),
    onClick: () => {
      n.close()
      void router.push(target)
    },
  })
}

/** Subscribe once signed in; returns the unsubscribe function. */
export function startReminders(): () => void {
  const store = useAppStore()
  return onEvent('reminder', (r) => {
    const me = store.currentUser?.id
    if (me !== undefined && r.ownerId === me) showReminder(r)
  })
}
