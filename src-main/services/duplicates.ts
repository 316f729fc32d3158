// Likely duplicates already in the database (same normalised mobile, e-mail or
// company name), and 撞单: one customer claimed by two sales people. Feeds the
// merge screen.
import { z } from 'zod'
import type { DbOrTrx } from '../db/database'
import type { Ctx } from './context'

export const duplicatesInput = z.object({
  entity: z.enum(['leads', 'accounts']),
  by: z.enum(['company', 'mobile', 'email']).default('company'),
  /** Only groups whose records belong to different sales people (撞单). */
  clashesOnly: z.boolean().default(false),
  limit: z.number().int().min(1).max(500).default(100),
})

export interface DuplicateGroup {
  key: string
  records: Array<{ id: number; name: string | null; ownerId: number | null; ownerName: string | null; createdAt: string }>
  /** More than one owner among the records. */
  ownerClash: boolean
}

export async function findDuplicates(db: DbOrTrx, _ctx: Ctx, input: z.output<typeof duplicatesInput>): Promise<DuplicateGroup[]> {
  if (input.entity === 'accounts' && input.by !== 'company') return [] // accounts have no mobile/e-mail of their own (their contacts do)
  const col = input.entity === 'accounts' ? 'name_key' : input.by === 'company' ? 'company_key' : input.by
  // Kysely cannot type a column chosen at run time across two tables; the names above are fixed strings.
  const t = db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>
  let groups = t
    .selectFrom(input.entity)
    .select((eb) => [eb.ref(col).as('k'), eb.fn.countAll<number>().as('n'), eb.fn.count<number>('owner_id').distinct().as('owners')])
    .where(col, 'is not', null)
    .groupBy(col)
    .having((eb) => eb.fn.countAll(), '>', 1)
  if (input.clashesOnly) groups = groups.having((eb) => eb.fn.count('owner_id').distinct(), '>', 1)
  const found = await groups.orderBy('n', 'desc').limit(input.limit).execute()
  const out: DuplicateGroup[] = []
  for (const g of found) {
    const rows = await t
      .selectFrom(`${input.entity} as t`)
      .leftJoin('users', 'users.id', 't.owner_id')
      .select([
        't.id as id',
        `t.${input.entity === 'accounts' ? 'name' : 'company'} as name`,
        't.owner_id as owner_id',
        'users.name as owner_name',
        't.created_at as created_at',
      ])
      .where(`t.${col}`, '=', g.k)
      .orderBy('t.id')
      .execute()
    out.push({
      key: String(g.k),
      records: rows.map((r) => ({
        id: Number(r.id),
        name: (r.name as string | null) ?? null,
        ownerId: (r.owner_id as number | null) ?? null,
        ownerName: (r.owner_name as string | null) ?? null,
        createdAt: String(r.created_at),
      })),
      ownerClash: Number(g.owners) > 1,
    })
  }
  return out
}
