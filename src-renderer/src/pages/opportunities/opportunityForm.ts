// The opportunity form: field list, initial values and the API input.
import type { FieldDef, FormModel } from '@/components/form/fields'
import { t } from '@/i18n'
import type { ApiInput, Opportunity, Stage } from '@/types'
import { fenToYuanInput, yuanToFen } from '@/utils/format'
import { fieldLabel, sourceOptions, stageLabel } from '@/utils/labels'

export function opportunityFields(stages: Stage[], accountLabel: string | null): FieldDef[] {
  const f = (key: string) => fieldLabel('opportunity', key)
  const isLost = (form: FormModel) => stages.find((s) => s.id === form.stageId)?.kind === 'lost'
  return [
    { key: 'title', label: f('title'), required: true, maxlength: 100, full: true, testid: 'field-title' },
    { key: 'accountId', label: f('accountId'), type: 'account', required: true, initialLabel: accountLabel, testid: 'field-account' },
    { key: 'contactId', label: f('contactId'), type: 'contact', dependsOn: 'accountId' },
    { key: 'amount', label: `${f('amountFen')}（${t('form.yuan')}）`, type: 'money', errorPath: 'amountFen', testid: 'field-amount' },
    { key: 'expectedCloseDate', label: f('expectedCloseDate'), type: 'date' },
    {
      key: 'stageId',
      label: f('stageId'),
      type: 'select',
      required: true,
      options: stages.map((s) => ({ value: s.id, label: `${stageLabel(s)}（${s.probability}%）` })),
    },
    { key: 'probability', label: f('probability'), type: 'percent', placeholder: t('form.probabilityDefault') },
    { key: 'lostReason', label: f('lostReason'), required: true, maxlength: 200, full: true, visibleWhen: isLost, placeholder: t('opportunities.lostPlaceholder') },
    { key: 'ownerId', label: f('ownerId'), type: 'user', hint: t('opportunities.ownerHint') },
    { key: 'source', label: f('source'), type: 'select', options: sourceOptions(), allowCreate: true },
    { key: 'notes', label: f('notes'), type: 'textarea', maxlength: 2000 },
  ]
}

export function opportunityInitial(o: Opportunity | null, opts: { stageId?: number; ownerId?: number | null; accountId?: number }): FormModel {
  if (!o) return { stageId: opts.stageId ?? null, ownerId: opts.ownerId ?? null, accountId: opts.accountId ?? null, amount: '' }
  return { ...o, amount: fenToYuanInput(o.amountFen), probability: o.probabilityManual ? o.probability : null }
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() || null : null)

export function opportunityInput(v: FormModel, stages: Stage[]): ApiInput<'opportunities:create'> {
  const amount = text(v.amount)
  const lost = stages.find((s) => s.id === v.stageId)?.kind === 'lost'
  return {
    title: String(v.title ?? '').trim(),
    accountId: v.accountId as number,
    contactId: (v.contactId as number | null) ?? null,
    amountFen: amount ? (yuanToFen(amount) ?? 0) : 0,
    expectedCloseDate: text(v.expectedCloseDate),
    stageId: v.stageId as number,
    probability: typeof v.probability === 'number' ? v.probability : null,
    ownerId: (v.ownerId as number | null) ?? null,
    source: text(v.source),
    lostReason: lost ? text(v.lostReason) : null,
    notes: text(v.notes),
  }
}
