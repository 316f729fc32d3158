import type { Generated, Selectable } from 'kysely'

/** Monthly sales target of one person. */
export interface SalesTargetsTable {
  id: Generated<number>
  user_id: number
  /** YYYY-MM, a calendar month in Asia/Shanghai. */
  month: string
  /** Integer fen (分). */
  amount_fen: number
  created_at: string
  updated_at: string
}
export type SalesTargetRow = Selectable<SalesTargetsTable>

/** What a lead channel cost in one month (展会 booth, ads …). */
export interface ChannelCostsTable {
  id: Generated<number>
  source: string
  /** YYYY-MM */
  month: string
  /** Integer fen (分). */
  amount_fen: number
  created_at: string
  updated_at: string
}
export type ChannelCostRow = Selectable<ChannelCostsTable>

/** A competitor met on a deal. */
export interface OpportunityCompetitorsTable {
  id: Generated<number>
  opportunity_id: number
  name: string
  /** 1 we beat them, 0 they beat us, null: follows the deal (won → 1, lost → 0, open → undecided). */
  won_against: number | null
  notes: string | null
  created_at: string
  updated_at: string
}
export type OpportunityCompetitorRow = Selectable<OpportunityCompetitorsTable>

export type ForecastCategory = 'pipeline' | 'best_case' | 'commit'
