import type { Option } from '@/utils/labels'

export type FieldType =
  | 'text'
  | 'password'
  | 'textarea'
  | 'select'
  | 'number'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'money'
  | 'switch'
  | 'tags'
  | 'user'
  | 'account'
  | 'contact'

/** One input of a record form; pages describe their forms as a list of these. */
export interface FieldDef {
  key: string
  /** Already translated. */
  label: string
  type?: FieldType
  required?: boolean
  options?: Option<string | number | boolean>[]
  /** Selects: allow values that are not in the options (free text). */
  allowCreate?: boolean
  placeholder?: string
  /** Take the whole row instead of half of it. */
  full?: boolean
  /** data-testid of the input element. */
  testid?: string
  /** Input key the server reports VALIDATION problems under, when not `key` (e.g. amount → amountFen). */
  errorPath?: string
  /** Contact fields: the form key holding the account id. */
  dependsOn?: string
  /** Account fields: the name to show for the preset account id. */
  initialLabel?: string | null
  min?: number
  max?: number
  maxlength?: number
  /** Small help text under the input. */
  hint?: string
  /** Show the field only when this returns true for the current values. */
  visibleWhen?: (form: FormModel) => boolean
}

export type FormModel = Record<string, unknown>

export function emptyValue(field: FieldDef): unknown {
  switch (field.type) {
    case 'tags':
      return []
    case 'switch':
      return false
    case 'text':
    case 'password':
    case 'textarea':
    case 'money':
    case undefined:
      return ''
    default:
      return null
  }
}

export const isChoice = (f: FieldDef) => ['select', 'user', 'account', 'contact', 'date', 'datetime', 'tags'].includes(f.type ?? 'text')
