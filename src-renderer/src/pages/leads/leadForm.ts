// The lead form: field list, initial values and the API input.
import type { FieldDef, FormModel } from '@/components/form/fields'
import type { ApiInput, Lead, LeadStatus } from '@/types'
import { LEAD_STATUSES } from '@/types'
import { enumOptions, fieldLabel, industryOptions, provinceOptions, sourceOptions } from '@/utils/labels'

export function leadFields(): FieldDef[] {
  const f = (key: string) => fieldLabel('lead', key)
  return [
    { key: 'company', label: f('company'), maxlength: 100, testid: 'field-company' },
    { key: 'contactName', label: f('contactName'), maxlength: 50, testid: 'field-contact-name' },
    { key: 'title', label: f('title'), maxlength: 50 },
    { key: 'mobile', label: f('mobile'), maxlength: 20 },
    { key: 'phone', label: f('phone'), maxlength: 30 },
    { key: 'email', label: f('email'), maxlength: 100 },
    { key: 'wechat', label: f('wechat'), maxlength: 50 },
    { key: 'industry', label: f('industry'), type: 'select', options: industryOptions(), allowCreate: true },
    { key: 'province', label: f('province'), type: 'select', options: provinceOptions(), allowCreate: true },
    { key: 'city', label: f('city'), maxlength: 30 },
    { key: 'source', label: f('source'), type: 'select', options: sourceOptions(), allowCreate: true },
    { key: 'status', label: f('status'), type: 'select', required: true, options: enumOptions('leadStatus', LEAD_STATUSES) },
    { key: 'ownerId', label: f('ownerId'), type: 'user' },
    { key: 'score', label: f('score'), type: 'number', min: 0, max: 100 },
    { key: 'notes', label: f('notes'), type: 'textarea', maxlength: 2000 },
  ]
}

export function leadInitial(l: Lead | null, ownerId?: number | null): FormModel {
  return l ? { ...l } : { status: 'new', ownerId: ownerId ?? null }
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() || null : null)

export function leadInput(v: FormModel): ApiInput<'leads:create'> {
  return {
    company: text(v.company),
    contactName: text(v.contactName),
    title: text(v.title),
    mobile: text(v.mobile),
    phone: text(v.phone),
    email: text(v.email),
    wechat: text(v.wechat),
    industry: text(v.industry),
    province: text(v.province),
    city: text(v.city),
    source: text(v.source),
    status: (v.status as LeadStatus) ?? 'new',
    ownerId: (v.ownerId as number | null) ?? null,
    score: typeof v.score === 'number' ? v.score : null,
    notes: text(v.notes),
  }
}

export function leadName(l: Pick<Lead, 'company' | 'contactName'>, unnamed: string): string {
  return l.company ?? l.contactName ?? unnamed
}
