import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

export type Lifecycle = 'prospect' | 'customer' | 'loyal' | 'churned'
export type CreditLevel = 'A' | 'B' | 'C' | 'D'

export interface AccountsTable {
  id: Generated<number>
  name: string
  industry: string | null
  province: string | null
  city: string | null
  address: string | null
  /** Head-count band, e.g. "1-49", "50-199". */
  size: string | null
  annual_revenue_fen: number | null
  source: string | null
  /** JSON array of tags. */
  tags: string
  credit_level: CreditLevel | null
  /** null = in the shared pool (公海). */
  owner_id: number | null
  lifecycle: Lifecycle
  website: string | null
  notes: string | null
  search_text: string
  /** Import batch that created the row (0030); undo deletes by it. */
  import_batch_id: number | null
  /** The row's id in the system it was imported from (客户编码), for re-imports. */
  external_id: string | null
  /** shared/keys.ts companyKey(name): duplicate control. */
  name_key: string | null
  created_at: string
  updated_at: string
}
export type AccountRow = Selectable<AccountsTable>
export type NewAccountRow = Insertable<AccountsTable>
export type AccountUpdate = Updateable<AccountsTable>
