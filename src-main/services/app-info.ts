import type { Db } from '../db/database'
import type { User } from '../shared/domain'
import type { Ctx } from './context'
import { getSettings, type Settings } from './settings'
import { getUser } from './users'

export interface AppInfo {
  version: string
  settings: Settings
  currentUser: User | null
  /** True when there is nothing yet: the renderer then offers demo data or a fresh start. */
  isEmpty: boolean
  counts: { users: number; accounts: number; leads: number; opportunities: number }
}

export const APP_VERSION = '0.1.0'

export async function getAppInfo(db: Db, ctx: Ctx): Promise<AppInfo> {
  const count = async (table: 'users' | 'accounts' | 'leads' | 'opportunities') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  const counts = {
    users: await count('users'),
    accounts: await count('accounts'),
    leads: await count('leads'),
    opportunities: await count('opportunities'),
  }
  return {
    version: APP_VERSION,
    settings: await getSettings(db),
    currentUser: ctx.userId === null ? null : await getUser(db, ctx, { id: ctx.userId }).catch(() => null),
    isEmpty: counts.accounts + counts.leads + counts.opportunities === 0,
    counts,
  }
}
