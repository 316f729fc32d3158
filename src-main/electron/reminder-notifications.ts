// Due-task reminders as system notifications on the desktop. The scheduler
// (api/reminders.ts) publishes one `reminder` event per task that falls due;
// the window shows it as an in-app notice too (the event reaches the renderer
// over IPC), and this puts it in the system's notification centre, where it is
// seen with the window minimised. A click brings the window forward.
// Thin and Electron-free in its signature, so tests hand it a fake Notification.
import type { EventBus } from '../api/events'
import type { ReminderEvent } from '../shared/api'
import type { Locale } from '../shared/errors'
import { BUSINESS_TZ } from '../shared/dates'

export interface SystemNotification {
  on(event: 'click', listener: () => void): unknown
  show(): void
}

export interface NotificationApi {
  isSupported(): boolean
  new (options: { title: string; body: string }): SystemNotification
}

export interface ReminderNotificationDeps {
  bus: EventBus
  Notification: NotificationApi
  /** The desktop's user: reminders for other people's tasks are not theirs to see. */
  currentUserId: () => Promise<number | null>
  /** The system's language (the notification is the system's, not the page's). */
  locale: () => Locale
  /** Bring the window forward. */
  focus: () => void
}

const TITLE: Record<Locale, string> = { 'zh-CN': '跟进提醒', en: 'Follow-up due' }

function body(r: ReminderEvent, locale: Locale): string {
  const due = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: BUSINESS_TZ, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(r.dueAt))
  return `${r.subject}${r.accountName ? ` · ${r.accountName}` : ''}\n${locale === 'en' ? `due ${due}` : `计划 ${due}`}`
}

/** Show each reminder of the desktop user (or of nobody's task) as a system notification; returns the unsubscribe. */
export function notifyReminders(deps: ReminderNotificationDeps): () => void {
  return deps.bus.on('reminder', (r) => {
    void (async () => {
      if (!deps.Notification.isSupported()) return
      const me = await deps.currentUserId()
      if (r.ownerId !== null && r.ownerId !== me) return
      const locale = deps.locale()
      const n = new deps.Notification({ title: TITLE[locale], body: body(r, locale) })
      n.on('click', deps.focus)
      n.show()
    })().catch((err: unknown) => console.error('[reminders] notification failed', err))
  })
}
