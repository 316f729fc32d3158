// Landed migration: never edit. Add a new numbered file instead.
// Pipeline board and follow-up: several pipelines, fields a stage requires on
// entry, follow-up plan templates and plans, customer feedback, reminders.
import { sql, type Kysely } from 'kysely'
import { withIdColumn } from '../dialect'

export async function up(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString()

  await db.schema
    .createTable('pipelines')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.insertInto('pipelines').values({ key: 'default', name: '默认销售流程', sort_order: 10, created_at: now }).execute()

  // JSON array of opportunity fields a deal must have on entering the stage.
  await db.schema.alterTable('pipeline_stages').addColumn('required_fields', 'text', (c) => c.notNull().defaultTo('[]')).execute()
  await db.updateTable('pipeline_stages').set({ required_fields: '["lostReason"]' }).where('pipeline', '=', 'default').where('kind', '=', 'lost').execute()
  await db.updateTable('pipeline_stages').set({ required_fields: '["amountFen"]' }).where('pipeline', '=', 'default').where('kind', '=', 'won').execute()

  await withIdColumn(db.schema.createTable('followup_templates'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await withIdColumn(db.schema.createTable('followup_template_steps'))
    .addColumn('template_id', 'integer', (c) => c.notNull().references('followup_templates.id').onDelete('cascade'))
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    // The step is due `due_hours` after the plan starts; `earliest_hours` opens its window (e.g. day 3–5).
    .addColumn('earliest_hours', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('due_hours', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .execute()

  const template = await db
    .insertInto('followup_templates')
    .values({ name: '标准跟进计划', description: '24 小时内首次电话；3–5 天内发送资料和方案；7–10 天内第二次电话', is_default: 1, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('followup_template_steps')
    .values([
      { template_id: template.id, sort_order: 10, earliest_hours: 0, due_hours: 24, type: 'call', subject: '首次电话沟通：了解需求', notes: '24 小时内完成' },
      { template_id: template.id, sort_order: 20, earliest_hours: 72, due_hours: 120, type: 'email', subject: '发送产品资料和方案', notes: '第 3–5 天内发送' },
      { template_id: template.id, sort_order: 30, earliest_hours: 168, due_hours: 240, type: 'call', subject: '第二次电话跟进：确认反馈', notes: '第 7–10 天内完成' },
    ])
    .execute()

  await withIdColumn(db.schema.createTable('followup_plans'))
    .addColumn('template_id', 'integer', (c) => c.references('followup_templates.id').onDelete('set null'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('opportunity_id', 'integer', (c) => c.references('opportunities.id').onDelete('cascade'))
    .addColumn('lead_id', 'integer', (c) => c.references('leads.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active','cancelled','done')`))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('followup_plans_opp_idx').on('followup_plans').column('opportunity_id').execute()
  await db.schema.createIndex('followup_plans_lead_idx').on('followup_plans').column('lead_id').execute()

  await db.schema.alterTable('activities').addColumn('plan_id', 'integer', (c) => c.references('followup_plans.id').onDelete('set null')).execute()
  await db.schema.alterTable('activities').addColumn('plan_step_hours', 'integer').execute()
  // Set when the reminder for a due task went out, so each is sent once.
  await db.schema.alterTable('activities').addColumn('reminded_at', 'text').execute()
  await db.schema.createIndex('activities_plan_idx').on('activities').column('plan_id').execute()
  // Next planned activity of a deal, and due tasks for the reminder scheduler.
  await db.schema.createIndex('activities_opp_open_idx').on('activities').columns(['opportunity_id', 'done_at', 'due_at']).execute()
  await db.schema.createIndex('activities_due_idx').on('activities').columns(['done_at', 'due_at']).execute()

  // Board columns: headers are answered from this covering index (no table reads),
  // pages of cards sort one stage's entries by expected close date.
  await db.schema.createIndex('opps_board_totals_idx').on('opportunities').columns(['stage_id', 'closed_at', 'amount_fen', 'probability']).execute()
  await db.schema.createIndex('opps_board_cards_idx').on('opportunities').columns(['stage_id', 'expected_close_date']).execute()

  await withIdColumn(db.schema.createTable('feedback'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('product','price','service','other')`))
    .addColumn('department', 'text')
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open','in_progress','resolved')`))
    .addColumn('response', 'text')
    .addColumn('opportunity_id', 'integer', (c) => c.references('opportunities.id').onDelete('cascade'))
    .addColumn('account_id', 'integer', (c) => c.references('accounts.id').onDelete('cascade'))
    .addColumn('lead_id', 'integer', (c) => c.references('leads.id').onDelete('cascade'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute()
  await db.schema.createIndex('feedback_opp_idx').on('feedback').columns(['opportunity_id', 'status']).execute()
  await db.schema.createIndex('feedback_account_idx').on('feedback').column('account_id').execute()
}
