// The account form: field list, initial values and the API input.
import type { FieldDef, FormModel } from '@/components/form/fields'
import { t } from '@/i18n'
import type { Account, ApiInput, CreditLevel, Lifecycle } from '@/types'
import { COMPANY_SIZES, CREDIT_LEVELS, LIFECYCLES } from '@/types'
import { fenToYuanInput, yuanToFen } from '@/utils/format'
import { enumOptions, fieldLabel, industryOptions, provinceOptions, sourceOptions } from '@/utils/labels'

export function accountFields(): FieldDef[] {
  const f = (key: string) => fieldLabel('account', key)
  return [
    { key: 'name', label: f('name'), required: true, maxlength: 100, testid: 'field-name', full: true },
    { key: 'industry', label: f('industry'), type: 'select', options: industryOptions(), allowCreate: true },
    { key: 'lifecycle', label: f('lifecycle'), type: 'select', required: true, options: enumOptions('lifecycle', LIFECYCLES) },
    { key: 'province', label: f('province'), type: 'select', options: provinceOptions(), allowCreate: true },
    { key: 'city', label: f('city'), maxlength: 30 },
    { key: 'address', label: f('address'), maxlength: 200, full: true },
    { key: 'ownerId', label: f('ownerId'), type: 'user', hint: t('accounts.ownerHint') },
    { key: 'source', label: f('source'), type: 'select', options: sourceOptions(), allowCreate: true },
    { key: 'size', label: f('size'), type: 'select', options: COMPANY_SIZES.map((s) => ({ value: s, label: t('accounts.sizeValue', { size: s }) })) },
    { key: 'annualRevenue', label: f('annualRevenueFen'), type: 'money', errorPath: 'annualRevenueFen' },
    { key: 'creditLevel', label: f('creditLevel'), type: 'select', options: CREDIT_LEVELS.map((c) => ({ value: c, label: c })) },
    { key: 'website', label: f('website'), maxlength: 200 },
    { key: 'tags', label: f('tags'), type: 'tags', full: true },
    { key: 'notes', label: f('notes'), type: 'textarea', maxlength: 2000 },
  ]
}

export function accountInitial(a?: Account | null, ownerId?: number | null): FormModel {
  if (!a) return { lifecycle: 'prospect', ownerId: ownerId ?? null, tags: [] }
  return { ...a, annualRevenue: fenToYuanInput(a.annualRevenueFen), tags: [...a.tags] }
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() || null : null)

export function accountInput(v: FormModel): ApiInput<'accounts:create'> {
  const revenue = text(v.annualRevenue)
  return {
    name: String(v.name ?? '').trim(),
    industry: text(v.industry),
    lifecycle: (v.lifecycle as Lifecycle) ?? 'prospect',
    province: text(v.province),
    city: text(v.city),
    address: text(v.address),
    ownerId: (v.ownerId as number | null) ?? null,
    source: text(v.source),
    size: text(v.size),
    annualRevenueFen: revenue ? yuanToFen(revenue) : null,
    creditLevel: (v.creditLevel as CreditLevel | null) ?? null,
    website: text(v.website),
    tags: (v.tags as string[]) ?? [],
    notes: text(v.notes),
  }
}
