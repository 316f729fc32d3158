import type { Generated, Selectable } from 'kysely'

export interface AuditLogTable {
  id: Generated<number>
  at: string
  user_id: number | null
  /** API method that caused the change, e.g. "accounts:update". */
  method: string | null
  action: 'create' | 'update' | 'delete'
  entity: string
  entity_id: number
  /** JSON: for updates { field: [before, after] }, for create/delete the row. */
  changes: string
}
export type AuditRow = Selectable<AuditLogTable>

export interface SettingsTable {
  key: string
  /** JSON value. */
  value: string
  updated_at: string
}
