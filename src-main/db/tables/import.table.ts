import type { Generated, Selectable } from 'kysely'

export type CustomFieldEntity = 'lead' | 'account' | 'contact' | 'opportunity'
export type CustomFieldType = 'text' | 'number' | 'choice' | 'date'

export interface ImportTemplatesTable {
  id: Generated<number>
  name: string
  target: string
  /** JSON: [{ header, target }]. */
  columns: string
  /** JSON: { onDuplicate, source, ownerName, stageMap, dateOrder, dedupeBy }. */
  options: string
  created_by: number | null
  created_at: string
  updated_at: string
}
export type ImportTemplateRow = Selectable<ImportTemplatesTable>

export interface ImportChangesTable {
  id: Generated<number>
  batch_id: number
  entity: string
  entity_id: number
  action: 'create' | 'update'
  /** JSON { cols: {...}, custom: { fieldId: value } } before the import; null for creates. */
  before: string | null
}

export interface CustomFieldsTable {
  id: Generated<number>
  entity: CustomFieldEntity
  label: string
  type: CustomFieldType
  /** JSON array of choices (type choice). */
  options: string
  sort_order: number
  is_active: Generated<number>
  created_at: string
  updated_at: string
}
export type CustomFieldRow = Selectable<CustomFieldsTable>

export interface CustomValuesTable {
  field_id: number
  entity: CustomFieldEntity
  entity_id: number
  value_text: string | null
  value_number: number | null
  /** YYYY-MM-DD */
  value_date: string | null
  import_batch_id: number | null
}
export type CustomValueRow = Selectable<CustomValuesTable>

export interface SavedViewsTable {
  id: Generated<number>
  entity: string
  name: string
  /** JSON: the list method's filter input. */
  filters: string
  /** JSON: column keys in order. */
  columns: string
  /** null = visible to everyone (admin-made shared view). */
  owner_id: number | null
  is_shared: Generated<number>
  created_at: string
  updated_at: string
}
export type SavedViewRow = Selectable<SavedViewsTable>

export interface PersonasTable {
  id: Generated<number>
  name: string
  description: string | null
  /** JSON: services/personas.ts criteria. */
  criteria: string
  created_by: number | null
  created_at: string
  updated_at: string
}
export type PersonaRow = Selectable<PersonasTable>

export interface SourceChannelsTable {
  id: Generated<number>
  name: string
  sort_order: number
  is_active: Generated<number>
  created_at: string
}
export type SourceChannelRow = Selectable<SourceChannelsTable>
