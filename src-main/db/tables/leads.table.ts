import type { Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { Grade } from '../../shared/scoring'

export type LeadStatus = 'new' | 'contacted' | 'qualified' | 'invalid'

export interface LeadsTable {
  id: Generated<number>
  company: string | null
  contact_name: string | null
  title: string | null
  mobile: string | null
  phone: string | null
  email: string | null
  wechat: string | null
  province: string | null
  city: string | null
  industry: string | null
  source: string | null
  status: LeadStatus
  owner_id: number | null
  score: number | null
  notes: string | null
  import_batch_id: number | null
  converted_account_id: number | null
  converted_opportunity_id: number | null
  search_text: string
  external_id: string | null
  /** shared/keys.ts companyKey(company): duplicate control. */
  company_key: string | null
  /** JSON array of tags. */
  tags: Generated<string>
  /** Grade of the latest combined scorecard score (0050). */
  grade: Generated<Grade | null>
  scored_at: Generated<string | null>
  /** Learned conversion probability, integer percent (0050). */
  learned_probability: Generated<number | null>
  created_at: string
  updated_at: string
}
export type LeadRow = Selectable<LeadsTable>
export type NewLeadRow = Insertable<LeadsTable>
export type LeadUpdate = Updateable<LeadsTable>

export interface ImportBatchesTable {
  id: Generated<number>
  target: string
  file_name: string
  status: string
  created_by: number | null
  created_at: string
  /** JSON: counts imported/updated/skipped/rejected. */
  summary: string
  finished_at: string | null
  undone_at: string | null
  /** Path of the .xlsx of rejected rows, when there were any. */
  rejected_file: string | null
}
