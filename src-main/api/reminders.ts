// One main-process scheduler for due-task reminders. It publishes `reminder`
// events: Electron shows a system notification, browsers an in-app notice.
// The clock is injected so tests drive it with tick().
import type { Db } from '../db/database'
import type { ReminderEvent } from '../shared/api'
import type { EventBus } from './events'

export type ReminderPayload = ReminderEvent

export class ReminderScheduler {
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Send each reminder for tasks that fell due and were not reminded yet; returns what was sent. */
  async tick(): Promise<ReminderPayload[]> {
    const nowIso = this.now().toISOString()
    const due = await this.db
      .selectFrom('activities')
      .leftJoin('accounts', 'accounts.id', 'activities.account_id')
      .select([
        'activities.id',
        'activities.subject',
        'activities.type',
        'activities.due_at',
        'activities.owner_id',
        'activities.opportunity_id',
        'accounts.name as account_name',
      ])
      .where('activities.done_at', 'is', null)
      .where('activities.due_at', '<=', nowIso)
      .where('activities.reminded_at', 'is', null)
      .orderBy('activities.due_at')
      .limit(200)
      .execute()
    if (due.length === 0) return []
    await this.db
      .updateTable('activities')
      .set({ reminded_at: nowIso })
      .where('id', 'in', due.map((d) => d.id))
      .execute()
    const sent = due.map((d) => ({
      activityId: d.id,
      subject: d.subject,
      type: d.type,
      dueAt: d.due_at!,
      ownerId: d.owner_id,
      opportunityId: d.opportunity_id,
      accountName: d.account_name,
    }))
    for (const payload of sent) this.bus.emit('reminder', payload)
    return sent
  }

  start(intervalMs = 30_000): void {
    if (this.timer) return
    const run = () => void this.tick().catch((err: unknown) => console.error('[reminders] tick failed', err))
    run()
    this.timer = setInterval(run, intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}
