// Landed migration: never edit. Add a new numbered file instead.
// Follow-up to 0030 (import and segments), after measuring the import:
// - the indexes on sparse columns become partial (WHERE col IS NOT NULL): most rows are
//   typed in, have no external id or batch, and then cost nothing to index; the import's
//   lookups (col IN (…)) still use them (SQLite and PostgreSQL both support this);
// - company keys drop stacked legal suffixes ("ACME Co., Ltd." = "ACME"): recomputed for
//   every account and lead with the same rule as shared/keys.ts at this version.
import { sql, type Kysely } from 'kysely'

const LEGAL_SUFFIXES = ['股份有限公司', '有限责任公司', '有限公司', '分公司', 'companylimited', 'corporation', 'company', 'limited', 'corp', 'inc', 'llc', 'ltd', 'co', 'gmbh']
function companyKey(name: string | null): string | null {
  if (!name) return null
  let key = name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')
  for (let again = true; again; ) {
    again = false
    for (const suffix of LEGAL_SUFFIXES) {
      if (key.length > suffix.length + 1 && key.endsWith(suffix)) {
        key = key.slice(0, -suffix.length)
        again = true
        break
      }
    }
  }
  return key || null
}

const PARTIAL: Array<[index: string, table: string, column: string]> = [
  ['accounts_import_batch_idx', 'accounts', 'import_batch_id'],
  ['contacts_import_batch_idx', 'contacts', 'import_batch_id'],
  ['opportunities_import_batch_idx', 'opportunities', 'import_batch_id'],
  ['leads_import_batch_idx', 'leads', 'import_batch_id'],
  ['accounts_external_id_idx', 'accounts', 'external_id'],
  ['leads_external_id_idx', 'leads', 'external_id'],
  ['opportunities_external_id_idx', 'opportunities', 'external_id'],
  ['leads_company_key_idx', 'leads', 'company_key'],
  ['leads_email_idx', 'leads', 'email'],
  ['contacts_mobile_idx', 'contacts', 'mobile'],
  ['contacts_email_idx', 'contacts', 'email'],
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const [index, table, column] of PARTIAL) {
    await db.schema.dropIndex(index).ifExists().execute()
    await db.schema.createIndex(index).on(table).column(column).where(sql<boolean>`${sql.ref(column)} is not null`).execute()
  }
  for (const [table, from, to] of [['accounts', 'name', 'name_key'], ['leads', 'company', 'company_key']] as const) {
    const rows = (await db.selectFrom(table).select(['id', from, to]).execute()) as Array<Record<string, unknown>>
    for (const row of rows) {
      const key = companyKey(row[from] as string | null)
      if (key !== row[to]) await db.updateTable(table).set({ [to]: key }).where('id', '=', row.id).execute()
    }
  }
}
