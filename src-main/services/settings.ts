import { z } from 'zod'
import type { DbOrTrx } from '../db/database'
import type { Ctx } from './context'
import { patchShape } from './fields'
import { audit, inTransaction } from './write'

/** Known settings and their shapes; unknown keys are refused. */
export const SETTINGS_SCHEMA = z.object({
  companyName: z.string().trim().min(1).max(100).default('我的公司'),
  currency: z.literal('CNY').default('CNY'),
  // Scoring (services/scoring.ts, risks.ts, win-model.ts).
  /** Suggest a re-score when the latest score is older than this. */
  scoreRefreshDays: z.number().int().min(1).max(365).default(30),
  /** Percent taken off the weighted value for the highest open risk (风险调整后价值). */
  riskDiscounts: z
    .object({ low: z.number().int().min(0).max(100), medium: z.number().int().min(0).max(100), high: z.number().int().min(0).max(100) })
    .default({ low: 5, medium: 15, high: 35 }),
  /** Fewer closed deals (or finished leads) than this: no learned probability, the stage default is used. */
  winModelMinClosed: z.number().int().min(20).max(100_000).default(50),
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
