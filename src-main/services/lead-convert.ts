// Convert a lead into account + contact + opportunity in one step (one
// transaction). The lead stays, marked qualified and linked to what it became;
// its activities follow to the account so the history is in one place.
import { z } from 'zod'
import type { DbOrTrx } from '../db/database'
import { AppError, notFound } from '../shared/errors'
import { companyKey } from '../shared/keys'
import { accountCreateInput, createAccount } from './accounts'
import { contactCreateInput, createContact } from './contacts'
import type { Ctx } from './context'
import { fen, id, optionalDate, optionalId } from './fields'
import { createOpportunity, opportunityCreateInput } from './opportunities'
import { audit, inTransaction } from './write'

export const leadConvertInput = z.object({
  id,
  /** auto: the account with the same company name if there is one, else a new one. */
  account: z
    .discriminatedUnion('mode', [z.object({ mode: z.literal('auto') }), z.object({ mode: z.literal('new') }), z.object({ mode: z.literal('existing'), accountId: id })])
    .default({ mode: 'auto' }),
  createContact: z.boolean().default(true),
  opportunity: z
    .object({
      title: z.string().trim().min(1).max(100).optional(),
      amountFen: fen.optional(),
      stageId: id.optional(),
      expectedCloseDate: optionalDate,
    })
    .nullish(),
  ownerId: optionalId,
})

export interface ConvertResult {
  leadId: number
  accountId: number
  accountCreated: boolean
  contactId: number | null
  opportunityId: number | null
}

export async function convertLead(db: DbOrTrx, ctx: Ctx, input: z.output<typeof leadConvertInput>): Promise<ConvertResult> {
  return inTransaction(db, async (trx) => {
    const lead = await trx.selectFrom('leads').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!lead) throw notFound('lead', input.id)
    if (lead.converted_account_id !== null) throw new AppError('INVALID_STATE', { reasonKey: 'reason.leadConverted' })
    const ownerId = input.ownerId ?? lead.owner_id ?? ctx.userId
    const accountName = (lead.company ?? lead.contact_name ?? '').trim()

    let accountId: number | null = null
    let accountCreated = false
    if (input.account.mode === 'existing') {
      if (!(await trx.selectFrom('accounts').select('id').where('id', '=', input.account.accountId).executeTakeFirst())) throw notFound('account', input.account.accountId)
      accountId = input.account.accountId
    } else if (input.account.mode === 'auto') {
      const key = companyKey(accountName)
      const same = key ? await trx.selectFrom('accounts').select('id').where('name_key', '=', key).orderBy('id').executeTakeFirst() : undefined
      accountId = same?.id ?? null
    }
    if (accountId === null) {
      const account = await createAccount(
        trx,
        ctx,
        accountCreateInput.parse({
          name: accountName,
          industry: lead.industry,
          province: lead.province,
          city: lead.city,
          source: lead.source,
          tags: JSON.parse(lead.tags) as string[],
          ownerId,
          notes: lead.notes,
        }),
      )
      accountId = account.id
      accountCreated = true
    }

    let contactId: number | null = null
    if (input.createContact && (lead.contact_name || lead.mobile || lead.email)) {
      const existing = await trx.selectFrom('contacts').select(['id', 'mobile', 'email', 'name']).where('account_id', '=', accountId).execute()
      const same = existing.find((c) => (lead.mobile && c.mobile === lead.mobile) || (lead.email && c.email === lead.email))
      contactId = same?.id ?? null
      if (!contactId) {
        const contact = await createContact(
          trx,
          ctx,
          contactCreateInput.parse({
            accountId,
            name: lead.contact_name ?? lead.mobile ?? lead.email,
            title: lead.title,
            mobile: lead.mobile,
            phone: lead.phone,
            email: lead.email,
            wechat: lead.wechat,
            isPrimary: existing.length === 0,
          }),
        )
        contactId = contact.id
      }
    }

    let opportunityId: number | null = null
    if (input.opportunity) {
      const o = input.opportunity
      const opp = await createOpportunity(
        trx,
        ctx,
        opportunityCreateInput.parse({
          title: o.title ?? accountName,
          accountId,
          contactId,
          amountFen: o.amountFen ?? 0,
          stageId: o.stageId,
          expectedCloseDate: o.expectedCloseDate ?? null,
          ownerId,
          source: lead.source,
        }),
      )
      opportunityId = opp.id
    }

    // The lead's history moves along: its activities now also show on the account (and contact).
    await trx.updateTable('activities').set({ account_id: accountId }).where('lead_id', '=', lead.id).where('account_id', 'is', null).execute()
    if (contactId) await trx.updateTable('activities').set({ contact_id: contactId }).where('lead_id', '=', lead.id).where('contact_id', 'is', null).execute()
    if (opportunityId) {
      await trx.updateTable('activities').set({ opportunity_id: opportunityId }).where('lead_id', '=', lead.id).where('opportunity_id', 'is', null).execute()
      // The deal's "last touched" is the lead's last done activity (the stale-deal clock).
      await trx
        .updateTable('opportunities')
        .set((eb) => ({ last_activity_at: eb.selectFrom('activities').select((a) => a.fn.max('done_at').as('m')).where('opportunity_id', '=', opportunityId) }))
        .where('id', '=', opportunityId)
        .execute()
    }

    await trx
      .updateTable('leads')
      .set({ status: 'qualified', converted_account_id: accountId, converted_opportunity_id: opportunityId, updated_at: ctx.now().toISOString() })
      .where('id', '=', lead.id)
      .execute()
    const result = { leadId: lead.id, accountId, accountCreated, contactId, opportunityId }
    await audit(trx, ctx, { action: 'update', entity: 'lead', entityId: lead.id, changes: { converted: result, status: [lead.status, 'qualified'] } })
    return result
  })
}
