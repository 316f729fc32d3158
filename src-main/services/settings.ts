import { z } from 'zod'
import type { DbOrTrx } from '../db/database'
import type { Ctx } from './context'
import { patchShape } from './fields'
import { audit, inTransaction } from './write'

/** Known settings and their shapes; unknown keys are refused. */
export const SETTINGS_SCHEMA = z.object({
  companyName: z.string().trim().min(1).max(100).default('我的公司'),
  currency: z.literal('CNY').default('CNY'),
})
export type Settings = z.output<typeof SETTINGS_SCHEMA>
export const settingsUpdateInput = z.object(patchShape(SETTINGS_SCHEMA.shape))

export async function getSettings(db: DbOrTrx, _ctx?: Ctx): Promise<Settings> {
  const rows = await db.selectFrom('settings').selectAll().execute()
  const raw = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]))
  return SETTINGS_SCHEMA.parse(raw)
}

export async function updateSettings(db: DbOrTrx, ctx: Ctx, input: z.output<typeof settingsUpdateInput>): Promise<Settings> {
  return inTransaction(db, async (trx) => {
    const now = ctx.now().toISOString()
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue
      await trx
        .insertInto('settings')
        .values({ key, value: JSON.stringify(value), updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: now }))
        .execute()
    }
    await audit(trx, ctx, { action: 'update', entity: 'settings', entityId: 0, changes: input })
    return getSettings(trx)
  })
}
