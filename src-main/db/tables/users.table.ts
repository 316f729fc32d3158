import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

export type UserRole = 'admin' | 'manager' | 'sales'

export interface UsersTable {
  id: Generated<number>
  name: string
  role: UserRole
  team: string | null
  email: string | null
  mobile: string | null
  /** JSON array of skill labels, e.g. ["制造业","大客户"]. */
  skills: string
  /** scrypt hash; needed only to log in over a non-loopback HTTP server. */
  password_hash: string | null
  is_active: Generated<number>
  /** 1 when the user was created by an import (owner names not yet known). */
  is_imported: Generated<number>
  created_at: string
  updated_at: string
}
export type UserRow = Selectable<UsersTable>
export type NewUserRow = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
