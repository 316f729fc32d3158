import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

export interface ContactsTable {
  id: Generated<number>
  account_id: number
  name: string
  title: string | null
  mobile: string | null
  phone: string | null
  email: string | null
  wechat: string | null
  /** YYYY-MM-DD */
  birthday: string | null
  is_primary: Generated<number>
  notes: string | null
  search_text: string
  import_batch_id: number | null
  created_at: string
  updated_at: string
}
export type ContactRow = Selectable<ContactsTable>
export type NewContactRow = Insertable<ContactsTable>
export type ContactUpdate = Updateable<ContactsTable>
