// Landed migration: never edit. Add a new numbered file instead.
// Reports and analytics: what the reports need and nothing else records yet.
// - sales_targets: per user per calendar month (YYYY-MM, Asia/Shanghai), integer fen;
// - channel_costs: per source channel per month, integer fen (cost per won deal);
// - opportunity_competitors: competitors met on a deal; won_against null = follow the deal's outcome;
// - opportunities.forecast_category: pipeline / best_case / commit (销售预测);
// - indexes for the period scans the reports make (query plans checked in tests/reports-migration.test.ts).
import { sql, type Kysely } from 'kysely'
import { withIdColumn } from '../dialect'

export async function up(db: Kysely<any>): Promise<void> {
  await withIdColumn(db.schema.createTable('sales_targets'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('sales_targets_user_month_uq', ['user_id', 'month'])
    .execute()
  await db.schema.createIndex('sales_targets_month_idx').on('sales_targets').column('month').execute()

  await withIdColumn(db.schema.createTable('channel_costs'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('channel_costs_source_month_uq', ['source', 'month'])
    .execute()

  await withIdColumn(db.schema.createTable('opportunity_competitors'))
    .addColumn('opportunity_id', 'integer', (c) => c.notNull().references('opportunities.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('won_against', 'integer', (c) => c.check(sql`won_against in (0, 1)`))
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('opportunity_competitors_uq', ['opportunity_id', 'name'])
    .execute()
  await db.schema.createIndex('opportunity_competitors_name_idx').on('opportunity_competitors').columns(['name', 'opportunity_id']).execute()

  await db.schema
    .alterTable('opportunities')
    .addColumn('forecast_category', 'text', (c) => c.notNull().defaultTo('pipeline').check(sql`forecast_category in ('pipeline','best_case','commit')`))
    .execute()

  // The reports read one period of deals or activities and group it by a few columns. Each index
  // below starts with what bounds the period and carries the grouping columns, so such a query
  // reads only the period's index entries and never the table.
  // Deals closed in a period (win/loss, sources, reps, cycle, insights): status is won/lost.
  await db.schema.createIndex('opps_report_closed_idx').on('opportunities').columns(['status', 'closed_at', 'owner_id', 'source', 'amount_fen', 'created_at', 'account_id', 'stage_id', 'probability']).execute()
  // Deals created in a period (funnel cohort, sources).
  await db.schema.createIndex('opps_report_created_idx').on('opportunities').columns(['created_at', 'status', 'owner_id', 'source', 'amount_fen', 'stage_id', 'account_id']).execute()
  // Open deals by expected close month, owner, stage (forecast, reps, funnel now).
  await db.schema.createIndex('opps_report_open_idx').on('opportunities').columns(['status', 'expected_close_date', 'owner_id', 'forecast_category', 'amount_fen', 'probability', 'stage_id']).execute()
  // Activities done in a period by person and type: one short range per (person, type), read in group order (no sort).
  await db.schema.createIndex('activities_report_owner_type_idx').on('activities').columns(['owner_id', 'type', 'done_at']).execute()
  // Leads created in a period by source, with their conversion.
  await db.schema.createIndex('leads_report_created_idx').on('leads').columns(['created_at', 'source', 'owner_id', 'converted_opportunity_id']).execute()
}
