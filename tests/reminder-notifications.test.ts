// Desktop reminders: the scheduler's `reminder` events become system
// notifications for the desktop's user (electron/reminder-notifications.ts).
// Electron cannot start here, so a stand-in Notification records what would be
// shown; the scheduler, the database and the event bus are the real ones.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ReminderScheduler } from '../src-main/api/reminders'
import { notifyReminders, type NotificationApi } from '../src-main/electron/reminder-notifications'
import type { Locale } from '../src-main/shared/errors'
import { createTestCore, type TestCore } from './helpers/core'

let t: TestCore
let now = new Date('2026-11-20T01:00:00.000Z')
beforeEach(async () => {
  t = await createTestCore({ clock: () => now })
})
afterEach(async () => t.cleanup())

function fakeNotifications(supported = true) {
  const shown: Array<{ title: string; body: string; click: () => void }> = []
  const Notification = class {
    private click: () => void = () => {}
    constructor(private readonly options: { title: string; body: string }) {}
    static isSupported() {
      return supported
    }
    on(_event: 'click', fn: () => void) {
      this.click = fn
    }
    show() {
      shown.push({ ...this.options, click: this.click })
    }
  } satisfies NotificationApi
  return { Notification, shown }
}

const settle = () => new Promise((r) => setTimeout(r, 50))

describe('desktop reminder notifications', () => {
  it('shows the desktop user’s due tasks (and unowned ones) in the system’s language; a click brings the window forward', async () => {
    const me = await t.ok('users:create', { name: '王建国', role: 'sales' })
    const other = await t.ok('users:create', { name: '李娜', role: 'sales' })
    const acc = await t.ok('accounts:create', { name: '杭州青禾机电有限公司' })
    const task = (subject: string, ownerId: number | null) =>
      t.ok('activities:create', { type: 'call', subject, dueAt: '2026-11-20T02:00:00.000Z', accountId: acc.id, ...(ownerId === null ? {} : { ownerId }) })
    await task('首次电话沟通', me.id)
    await task('别人的电话', other.id)
    const { Notification, shown } = fakeNotifications()
    let locale: Locale = 'zh-CN'
    let focused = 0
    const stop = notifyReminders({ bus: t.bus, Notification, currentUserId: async () => me.id, locale: () => locale, focus: () => focused++ })
    const scheduler = new ReminderScheduler(t.database.db, t.bus, () => now)
    // Not due yet: nothing.
    await scheduler.tick()
    await settle()
    expect(shown).toEqual([])
    now = new Date('2026-11-20T02:01:00.000Z')
    expect(await scheduler.tick()).toHaveLength(2)
    await settle()
    expect(shown.map((n) => [n.title, n.body])).toEqual([['跟进提醒', '首次电话沟通 · 杭州青禾机电有限公司\n计划 11/20 10:00']])
    shown[0].click()
    expect(focused).toBe(1)
    // English system, a task of nobody's: shown too.
    locale = 'en'
    await t.database.db.insertInto('activities').values({ type: 'email', subject: 'Send the quote', due_at: '2026-11-20T02:00:30.000Z', owner_id: null, account_id: acc.id, created_at: now.toISOString(), updated_at: now.toISOString() }).execute()
    await scheduler.tick()
    await settle()
    expect(shown.map((n) => [n.title, n.body])[1]).toEqual(['Follow-up due', 'Send the quote · 杭州青禾机电有限公司\ndue 20/11, 10:00'])
    stop()
  })

  it('shows nothing where the system has no notifications', async () => {
    const me = await t.ok('users:create', { name: '王建国', role: 'sales' })
    const acc = await t.ok('accounts:create', { name: '宁波信腾新材料股份有限公司' })
    await t.ok('activities:create', { type: 'call', subject: '电话', dueAt: '2026-11-20T00:30:00.000Z', ownerId: me.id, accountId: acc.id })
    const { Notification, shown } = fakeNotifications(false)
    notifyReminders({ bus: t.bus, Notification, currentUserId: async () => me.id, locale: () => 'zh-CN', focus: () => {} })
    expect(await new ReminderScheduler(t.database.db, t.bus, () => now).tick()).toHaveLength(1)
    await settle()
    expect(shown).toEqual([])
  })
})
