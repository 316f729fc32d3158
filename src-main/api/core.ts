import { Dispatcher, type Logger } from './dispatch'
import { EventBus } from './events'
import { methods } from './methods'
import { ReminderScheduler } from './reminders'
import { openAppDatabase, type AppDatabase, type OpenAppDatabaseOptions } from '../db/open'

export interface Core {
  database: AppDatabase
  bus: EventBus
  dispatcher: Dispatcher
  /** Due-task reminders; started by the long-running entry points (desktop, serve). */
  reminders: ReminderScheduler
  close(): Promise<void>
}

/** Open the database and wire the method table to it: what every entry point (desktop, server, CLI) starts with. */
export async function createCore(file: string, opts: OpenAppDatabaseOptions & { log?: Logger; clock?: () => Date } = {}): Promise<Core> {
  const database = await openAppDatabase(file, opts)
  const bus = new EventBus()
  const dispatcher = new Dispatcher(database.db, methods, bus, opts.log, opts.clock)
  const reminders = new ReminderScheduler(database.db, bus, opts.clock)
  return {
    database,
    bus,
    dispatcher,
    reminders,
    close: async () => {
      reminders.stop()
      await database.close()
    },
  }
}
