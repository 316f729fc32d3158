// Landed migration: never edit. Add a new numbered file instead.
// Import/export and segmentation:
// - import_templates: reusable column mappings;
// - custom_fields + custom_values: user-defined fields (value as text / number / date, portable SQL, no JSON1);
// - saved_views, personas (客户画像), source_channels (editable list, seeded);
// - import_changes: what one import batch created and, for updated records, their values before it (undo);
// - import_batch_id on accounts/contacts/opportunities (leads had it), external_id (the other system's id),
//   name_key/company_key (normalised company names, indexed, for duplicate control), tags on leads.
import { sql, type Kysely } from 'kysely'
import { withIdColumn } from '../dialect'

// Frozen copy of shared/keys.ts companyKey as of this migration (migrations never import moving code).
const LEGAL_SUFFIXES = ['股份有限公司', '有限责任公司', '有限公司', '分公司', 'companylimited', 'corporation', 'company', 'limited', 'corp', 'inc', 'llc', 'ltd', 'co', 'gmbh']
function companyKey(name: string | null): string | null {
  if (!name) return null
  let key = name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')
  for (const suffix of LEGAL_SUFFIXES) {
    if (key.length > suffix.length + 1 && key.endsWith(suffix)) {
      key = key.slice(0, -suffix.length)
      break
    }
  }
  return key || null
}

const DEFAULT_CHANNELS = ['展会', '微信', '微博', 'LinkedIn', '官网', '广告', '合作伙伴', '转介绍', '内部推荐', '其他']

export async function up(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString()

  await withIdColumn(db.schema.createTable('import_templates'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    // JSON: [{ header, target }] and { onDuplicate, source, ownerName, stageMap, dateOrder }.
    .addColumn('columns', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('import_templates_name_uq', ['target', 'name'])
    .execute()

  await withIdColumn(db.schema.createTable('custom_fields'))
    .addColumn('entity', 'text', (c) => c.notNull().check(sql`entity in ('lead','account','contact','opportunity')`))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('text','number','choice','date')`))
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('custom_fields_label_uq', ['entity', 'label'])
    .execute()

  await db.schema
    .createTable('custom_values')
    .addColumn('field_id', 'integer', (c) => c.notNull().references('custom_fields.id').onDelete('cascade'))
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('value_text', 'text')
    .addColumn('value_number', 'double precision')
    .addColumn('value_date', 'text')
    .addColumn('import_batch_id', 'integer', (c) => c.references('import_batches.id').onDelete('set null'))
    .addPrimaryKeyConstraint('custom_values_pk', ['field_id', 'entity_id'])
    .execute()
  await db.schema.createIndex('custom_values_entity_idx').on('custom_values').columns(['entity', 'entity_id']).execute()
  await db.schema.createIndex('custom_values_batch_idx').on('custom_values').column('import_batch_id').execute()

  await withIdColumn(db.schema.createTable('saved_views'))
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('columns', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('owner_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('is_shared', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('saved_views_entity_idx').on('saved_views').columns(['entity', 'owner_id']).execute()

  await withIdColumn(db.schema.createTable('personas'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('criteria', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await withIdColumn(db.schema.createTable('source_channels'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await withIdColumn(db.schema.createTable('import_changes'))
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('import_batches.id').onDelete('cascade'))
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('create','update')`))
    // JSON of the columns (and custom values) before the import changed them; null for creates.
    .addColumn('before', 'text')
    .execute()
  await db.schema.createIndex('import_changes_batch_idx').on('import_changes').columns(['batch_id', 'entity']).execute()

  await db.schema.alterTable('import_batches').addColumn('finished_at', 'text').execute()
  await db.schema.alterTable('import_batches').addColumn('undone_at', 'text').execute()
  await db.schema.alterTable('import_batches').addColumn('rejected_file', 'text').execute()

  for (const table of ['accounts', 'contacts', 'opportunities']) {
    await db.schema
      .alterTable(table)
      .addColumn('import_batch_id', 'integer', (c) => c.references('import_batches.id').onDelete('set null'))
      .execute()
    await db.schema.createIndex(`${table}_import_batch_idx`).on(table).column('import_batch_id').execute()
  }
  await db.schema.createIndex('leads_import_batch_idx').on('leads').column('import_batch_id').execute()
  for (const table of ['accounts', 'leads', 'opportunities']) {
    await db.schema.alterTable(table).addColumn('external_id', 'text').execute()
    await db.schema.createIndex(`${table}_external_id_idx`).on(table).column('external_id').execute()
  }
  await db.schema.alterTable('accounts').addColumn('name_key', 'text').execute()
  await db.schema.alterTable('leads').addColumn('company_key', 'text').execute()
  await db.schema.alterTable('leads').addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]')).execute()
  await db.schema.createIndex('accounts_name_key_idx').on('accounts').column('name_key').execute()
  await db.schema.createIndex('leads_company_key_idx').on('leads').column('company_key').execute()
  await db.schema.createIndex('leads_email_idx').on('leads').column('email').execute()
  await db.schema.createIndex('contacts_mobile_idx').on('contacts').column('mobile').execute()
  await db.schema.createIndex('contacts_email_idx').on('contacts').column('email').execute()

  // Backfill the name keys of existing rows (computed in JS: SQLite has no NFKC).
  for (const [table, from, to] of [['accounts', 'name', 'name_key'], ['leads', 'company', 'company_key']] as const) {
    const rows = (await db.selectFrom(table).select(['id', from]).execute()) as Array<Record<string, unknown>>
    for (const row of rows) {
      const key = companyKey(row[from] as string | null)
      if (key) await db.updateTable(table).set({ [to]: key }).where('id', '=', row.id).execute()
    }
  }

  // Source channels: the method's defaults plus every source already in use.
  const used = new Set<string>(DEFAULT_CHANNELS)
  for (const table of ['leads', 'accounts', 'opportunities']) {
    const rows = (await db.selectFrom(table).select('source').distinct().where('source', 'is not', null).execute()) as Array<{ source: string }>
    for (const r of rows) if (r.source.trim()) used.add(r.source.trim())
  }
  const channels = [...used].map((name, i) => ({ name, sort_order: (i + 1) * 10, is_active: 1, created_at: now }))
  await db.insertInto('source_channels').values(channels).execute()
}
