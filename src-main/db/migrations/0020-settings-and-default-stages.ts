// Landed migration: never edit. Add a new numbered file instead.
// Adds the key/value settings table and seeds the method's default pipeline
// (潜在 10% → 意向 30% → 谈判 60% → 成交 100% / 输单 0%).
import type { Kysely } from 'kysely'

const DEFAULT_STAGES = [
  { key: 'potential', name: '潜在商机', sort_order: 10, probability: 10, kind: 'open', stale_days: 14 },
  { key: 'intent', name: '意向商机', sort_order: 20, probability: 30, kind: 'open', stale_days: 10 },
  { key: 'negotiation', name: '谈判商机', sort_order: 30, probability: 60, kind: 'open', stale_days: 7 },
  { key: 'won', name: '成交', sort_order: 40, probability: 100, kind: 'won', stale_days: null },
  { key: 'lost', name: '输单', sort_order: 50, probability: 0, kind: 'lost', stale_days: null },
] as const

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  const existing = await db.selectFrom('pipeline_stages').select('id').limit(1).execute()
  if (existing.length === 0) {
    const now = new Date().toISOString()
    await db
      .insertInto('pipeline_stages')
      .values(DEFAULT_STAGES.map((s) => ({ ...s, pipeline: 'default', created_at: now })))
      .execute()
  }
}
