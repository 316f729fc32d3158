// Undo one import batch in one click: delete what it created, restore what it
// updated (values saved in import_changes), in one transaction. Refused once the
// imported records have been worked on (activities, deals, contacts, plans added
// by hand), because deleting them would delete that work too.
import type { Db } from '../db/database'
import { accountSearchText } from '../services/accounts'
import { contactSearchText } from '../services/contacts'
import type { Ctx } from '../services/context'
import { leadSearchText } from '../services/leads'
import { oppSearchText } from '../services/opportunities'
import { audit, inTransaction, type Trx } from '../services/write'
import { AppError, notFound } from '../shared/errors'
import { companyKey } from '../shared/keys'

const TABLE_OF = { lead: 'leads', account: 'accounts', contact: 'contacts', opportunity: 'opportunities' } as const
type Entity = keyof typeof TABLE_OF

async function countOf(q: { executeTakeFirst(): Promise<{ n: number | string | bigint } | undefined> }): Promise<number> {
  return Number((await q.executeTakeFirst())?.n ?? 0)
}

/** Work done since the import on records it created. */
async function touched(trx: Trx, batchId: number): Promise<number> {
  const created = (table: 'leads' | 'accounts' | 'contacts' | 'opportunities') => trx.selectFrom(table).select('id').where('import_batch_id', '=', batchId)
  let n = await countOf(
    trx
      .selectFrom('activities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) =>
        eb.or([
          eb('lead_id', 'in', created('leads')),
          eb('account_id', 'in', created('accounts')),
          eb('contact_id', 'in', created('contacts')),
          eb('opportunity_id', 'in', created('opportunities')),
        ]),
      ),
  )
  for (const table of ['opportunities', 'contacts'] as const) {
    n += await countOf(
      trx
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', 'in', created('accounts'))
        .where((eb) => eb.or([eb('import_batch_id', 'is', null), eb('import_batch_id', '!=', batchId)])),
    )
  }
  n += await countOf(trx.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).where('converted_account_id', 'in', created('accounts')))
  // Follow-up plans and feedback (migration 0040) hang off leads, deals and accounts too.
  n += await countOf(
    trx
      .selectFrom('followup_plans')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or([eb('lead_id', 'in', created('leads')), eb('opportunity_id', 'in', created('opportunities'))])),
  )
  n += await countOf(
    trx
      .selectFrom('feedback')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or([eb('lead_id', 'in', created('leads')), eb('opportunity_id', 'in', created('opportunities')), eb('account_id', 'in', created('accounts'))])),
  )
  return n
}

type Before = { cols: Record<string, unknown>; custom?: Record<string, [string | null, number | null, string | null] | null> }

async function restore(trx: Trx, entity: Entity, id: number, before: Before, now: string): Promise<void> {
  const table = TABLE_OF[entity]
  if (Object.keys(before.cols).length > 0) {
    await trx.updateTable(table).set(before.cols as never).where('id', '=', id).execute()
  }
  // Derived columns follow the restored values.
  if (entity === 'lead') {
    const r = await trx.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirst()
    if (r) await trx.updateTable('leads').set({ search_text: leadSearchText(r), company_key: companyKey(r.company), updated_at: now }).where('id', '=', id).execute()
  } else if (entity === 'account') {
    const r = await trx.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst()
    if (r) await trx.updateTable('accounts').set({ search_text: accountSearchText(r), name_key: companyKey(r.name), updated_at: now }).where('id', '=', id).execute()
  } else if (entity === 'contact') {
    const r = await trx.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst()
    if (r) await trx.updateTable('contacts').set({ search_text: contactSearchText(r), updated_at: now }).where('id', '=', id).execute()
  } else {
    const r = await trx
      .selectFrom('opportunities')
      .innerJoin('accounts', 'accounts.id', 'opportunities.account_id')
      .select(['opportunities.title', 'opportunities.version', 'accounts.name'])
      .where('opportunities.id', '=', id)
      .executeTakeFirst()
    if (r) {
      await trx
        .updateTable('opportunities')
        .set({ search_text: oppSearchText(r.title, r.name), version: r.version + 1, updated_at: now })
        .where('id', '=', id)
        .execute()
    }
  }
  for (const [fieldId, value] of Object.entries(before.custom ?? {})) {
    if (!value) continue // it had no value: the batch's value was deleted already
    await trx
      .insertInto('custom_values')
      .values({ field_id: Number(fieldId), entity, entity_id: id, value_text: value[0], value_number: value[1], value_date: value[2], import_batch_id: null })
      .onConflict((oc) => oc.columns(['field_id', 'entity_id']).doUpdateSet({ value_text: value[0], value_number: value[1], value_date: value[2], import_batch_id: null }))
      .execute()
  }
}

export interface UndoResult {
  batchId: number
  deleted: { leads: number; accounts: number; contacts: number; opportunities: number; users: number }
  restored: number
}

export async function undoImport(db: Db, ctx: Ctx, input: { batchId: number }): Promise<UndoResult> {
  return inTransaction(db, async (trx) => {
    const batch = await trx.selectFrom('import_batches').selectAll().where('id', '=', input.batchId).executeTakeFirst()
    if (!batch) throw notFound('importBatch', input.batchId)
    if (batch.status === 'undone') throw new AppError('IMPORT_UNDO_NOT_POSSIBLE', { reasonKey: 'reason.importUndone' })
    if ((await touched(trx, batch.id)) > 0) throw new AppError('IMPORT_UNDO_NOT_POSSIBLE', { reasonKey: 'reason.importTouched' })
    const now = ctx.now().toISOString()
    const changes = await trx.selectFrom('import_changes').selectAll().where('batch_id', '=', batch.id).orderBy('id', 'desc').execute()

    await trx.deleteFrom('custom_values').where('import_batch_id', '=', batch.id).execute()
    let restored = 0
    for (const c of changes) {
      if (c.action !== 'update' || !(c.entity in TABLE_OF) || !c.before) continue
      await restore(trx, c.entity as Entity, c.entity_id, JSON.parse(c.before) as Before, now)
      restored++
    }
    const historyIds = changes.filter((c) => c.action === 'create' && c.entity === 'stage_history').map((c) => c.entity_id)
    if (historyIds.length) await trx.deleteFrom('stage_history').where('id', 'in', historyIds).execute()

    const del = async (table: 'leads' | 'opportunities' | 'contacts' | 'accounts') =>
      Number((await trx.deleteFrom(table).where('import_batch_id', '=', batch.id).executeTakeFirst()).numDeletedRows)
    // Deals before accounts (restrict), contacts with their accounts.
    const opportunities = await del('opportunities')
    const contacts = await del('contacts')
    const leads = await del('leads')
    const accounts = await del('accounts')

    // Users and custom fields the import created go too, unless something uses them now.
    let users = 0
    for (const c of changes.filter((x) => x.action === 'create' && x.entity === 'user')) {
      const id = c.entity_id
      const uses =
        (await countOf(trx.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).where('owner_id', '=', id))) +
        (await countOf(trx.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).where('owner_id', '=', id))) +
        (await countOf(trx.selectFrom('opportunities').select((eb) => eb.fn.countAll<number>().as('n')).where('owner_id', '=', id))) +
        (await countOf(trx.selectFrom('activities').select((eb) => eb.fn.countAll<number>().as('n')).where((eb) => eb.or([eb('owner_id', '=', id), eb('created_by', '=', id)]))))
      const user = await trx.selectFrom('users').select(['is_imported', 'password_hash']).where('id', '=', id).executeTakeFirst()
      if (uses === 0 && user?.is_imported === 1 && user.password_hash === null) {
        await trx.deleteFrom('users').where('id', '=', id).execute()
        users++
      }
    }
    for (const c of changes.filter((x) => x.action === 'create' && x.entity === 'custom_field')) {
      const left = await countOf(trx.selectFrom('custom_values').select((eb) => eb.fn.countAll<number>().as('n')).where('field_id', '=', c.entity_id))
      if (left === 0) await trx.deleteFrom('custom_fields').where('id', '=', c.entity_id).execute()
    }

    await trx.updateTable('import_batches').set({ status: 'undone', undone_at: now }).where('id', '=', batch.id).execute()
    const result = { batchId: batch.id, deleted: { leads, accounts, contacts, opportunities, users }, restored }
    await audit(trx, ctx, { action: 'delete', entity: 'import_batch', entityId: batch.id, changes: result })
    return result
  })
}
