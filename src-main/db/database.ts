import type { Kysely, Transaction } from 'kysely'
import type { AccountsTable } from './tables/accounts.table'
import type { ActivitiesTable } from './tables/activities.table'
import type { AuditLogTable, SettingsTable } from './tables/audit.table'
import type { ContactsTable } from './tables/contacts.table'
import type { ImportBatchesTable, LeadsTable } from './tables/leads.table'
import type { CustomFieldsTable, CustomValuesTable, ImportChangesTable, ImportTemplatesTable, PersonasTable, SavedViewsTable, SourceChannelsTable } from './tables/import.table'
import type { OpportunitiesTable, PipelineStagesTable, StageHistoryTable } from './tables/pipeline.table'
import type { UsersTable } from './tables/users.table'
import type { FeedbackTable, FollowupPlansTable, FollowupTemplateStepsTable, FollowupTemplatesTable, PipelinesTable } from './tables/followup.table'
import type { ProbabilityHistoryTable, RisksTable, ScoresTable, ScoringModelVersionsTable, ScoringModelsTable, WinModelsTable } from './tables/scoring.table'
import type { ChannelCostsTable, OpportunityCompetitorsTable, SalesTargetsTable } from './tables/reports.table'

/** The whole schema as Kysely sees it (hand-written; migrations are the source of truth for SQL). */
export interface Database {
  users: UsersTable
  accounts: AccountsTable
  contacts: ContactsTable
  leads: LeadsTable
  import_batches: ImportBatchesTable
  pipeline_stages: PipelineStagesTable
  opportunities: OpportunitiesTable
  stage_history: StageHistoryTable
  activities: ActivitiesTable
  audit_log: AuditLogTable
  settings: SettingsTable
  import_templates: ImportTemplatesTable
  import_changes: ImportChangesTable
  custom_fields: CustomFieldsTable
  custom_values: CustomValuesTable
  saved_views: SavedViewsTable
  personas: PersonasTable
  source_channels: SourceChannelsTable
  pipelines: PipelinesTable
  followup_templates: FollowupTemplatesTable
  followup_template_steps: FollowupTemplateStepsTable
  followup_plans: FollowupPlansTable
  feedback: FeedbackTable
  sales_targets: SalesTargetsTable
  channel_costs: ChannelCostsTable
  opportunity_competitors: OpportunityCompetitorsTable
  scoring_models: ScoringModelsTable
  scoring_model_versions: ScoringModelVersionsTable
  scores: ScoresTable
  risks: RisksTable
  win_models: WinModelsTable
  probability_history: ProbabilityHistoryTable
}

export type Db = Kysely<Database>
/** A database handle or an open transaction: services accept either. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>
