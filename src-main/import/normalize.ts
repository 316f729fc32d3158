// Cell values → stored values, one field type at a time. Every problem is
// reported with the field it concerns; errors reject the row, warnings do not.
import { COMPANY_SIZES } from '../shared/domain'
import { normalizeMobile } from '../shared/phone'
import { yuanToFen } from '../shared/money'
import { instantOf, isoDateOf, parseDate } from './dates'
import { cellText, type FieldDef } from './fields'
import type { MessageKey } from './messages'
import type { DateOrder, RawCell } from './types'
import { isCellError } from './types'

export interface Problem {
  level: 'error' | 'warning'
  key: MessageKey
  params: Record<string, string | number>
  /** Field key or custom field label the problem is about. */
  field?: string
}

/** Phone and e-mail cells give their main value plus extra ones found in the same cell (they go to the notes). */
export interface PhoneParts {
  mobile: string | null
  phone: string | null
  email?: string
  extra: string[]
}

export interface NormalizeContext {
  dateOrder: DateOrder | null
  fieldLabel: string
}

const LANDLINE = /^(?:\+?86)?(0\d{2,3})?-?(\d{7,8})(?:-(\d{1,6}))?$|^(400|800)-?\d{3}-?\d{4}$/

/** "138 0013 8000 / 0532-88886666" → mobile and landline; anything else is invalid. */
export function splitPhones(text: string): { parts: PhoneParts; invalid: string[] } {
  const parts: PhoneParts = { mobile: null, phone: null, extra: [] }
  const invalid: string[] = []
  // Several numbers in one cell are separated by / , ; 、 or line breaks (spaces live inside numbers).
  for (const piece of text.normalize('NFKC').split(/[/,;，；、\n]+|\s{2,}/)) {
    const raw = piece.trim()
    if (!raw) continue
    const mobile = normalizeMobile(raw)
    if (mobile) {
      if (!parts.mobile) parts.mobile = mobile
      else if (mobile !== parts.mobile) parts.extra.push(mobile)
      continue
    }
    const compact = raw.replace(/[\s()（）]/g, '').replace(/^\+86-?/, '').replace(/[–—]/g, '-')
    if (LANDLINE.test(compact)) {
      if (!parts.phone) parts.phone = compact
      else parts.extra.push(compact)
      continue
    }
    invalid.push(raw)
  }
  return { parts, invalid }
}

const PROVINCE_SUFFIX = /(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/
export function normalizeProvince(text: string): string {
  const t = text.trim()
  const short = t.replace(PROVINCE_SUFFIX, '')
  return short.length >= 2 ? short : t
}
export function normalizeCity(text: string): string {
  const t = text.trim()
  const short = t.replace(/市$/, '')
  return short.length >= 2 ? short : t
}

/** "120人", "50-199", "100~499人", "1000人以上" → one of COMPANY_SIZES. */
export function sizeBand(value: RawCell): string | null {
  let n: number | null = null
  if (typeof value === 'number') n = value
  else if (typeof value === 'string') {
    const t = value.normalize('NFKC').replace(/[,\s]/g, '')
    if ((COMPANY_SIZES as readonly string[]).includes(t)) return t
    const nums = [...t.matchAll(/\d+/g)].map((m) => Number(m[0]))
    if (nums.length >= 2) n = (nums[0] + nums[1]) / 2
    else if (nums.length === 1) n = nums[0]
  }
  if (n === null || !Number.isFinite(n) || n < 1) return null
  return n < 50 ? '1-49' : n < 200 ? '50-199' : n < 500 ? '200-499' : n < 1000 ? '500-999' : '1000+'
}

/** Amounts: numbers, "12,000.50", "¥ 3,000", "1.2万", "3亿元" → integer fen. */
export function amountFen(value: RawCell): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 100) : null
  if (typeof value !== 'string') return null
  const t = value.normalize('NFKC').replace(/[¥￥,\s元]|rmb|cny/gi, '')
  const unit = /^(-?[\d.]+)(万|亿)$/.exec(t)
  if (unit) {
    const base = yuanToFen(unit[1])
    if (base === null) return null
    return base * (unit[2] === '万' ? 10_000 : 100_000_000)
  }
  return yuanToFen(t)
}

const LEAD_STATUS: Record<string, string> = {
  new: 'new', 新线索: 'new', 新: 'new', 未联系: 'new', 待跟进: 'new', 待联系: 'new',
  contacted: 'contacted', 已联系: 'contacted', 跟进中: 'contacted', 联系中: 'contacted', 已跟进: 'contacted',
  qualified: 'qualified', 已确认: 'qualified', 有效: 'qualified', 合格: 'qualified', 已转化: 'qualified', 意向: 'qualified',
  invalid: 'invalid', 无效: 'invalid', 无效线索: 'invalid', 空号: 'invalid', 错号: 'invalid', 无意向: 'invalid',
}
const LIFECYCLE: Record<string, string> = {
  prospect: 'prospect', 潜在: 'prospect', 潜在客户: 'prospect', 意向客户: 'prospect',
  customer: 'customer', 客户: 'customer', 成交客户: 'customer', 已成交: 'customer', 正式客户: 'customer',
  loyal: 'loyal', 忠诚客户: 'loyal', 老客户: 'loyal', vip: 'loyal', 重点客户: 'loyal',
  churned: 'churned', 流失: 'churned', 已流失: 'churned', 流失客户: 'churned',
}

export function splitTags(text: string): string[] {
  return [...new Set(text.split(/[,，;；、|/\n]+/).map((t) => t.trim().slice(0, 30)).filter(Boolean))].slice(0, 50)
}

/**
 * Normalise one cell for a field. Returns the stored value (string, number, string[] or PhoneParts)
 * or null for empty/invalid; problems go into `problems`.
 */
export function normalizeCell(def: Pick<FieldDef, 'key' | 'type' | 'max'>, raw: RawCell, ctx: NormalizeContext, problems: Problem[]): unknown {
  const field = def.key
  const label = ctx.fieldLabel
  if (raw === null) return null
  if (isCellError(raw)) {
    if (raw.formula && raw.error === 'formula') problems.push({ level: 'warning', key: 'formulaNoValue', params: { field: label }, field })
    else if (raw.formula && raw.error === '#ERROR') problems.push({ level: 'warning', key: 'formulaError', params: { field: label }, field })
    else problems.push({ level: 'warning', key: 'cellError', params: { field: label, value: raw.error }, field })
    return null
  }
  // The cell as trimmed text (computed once; no closure: this runs for every cell of every row).
  const t = typeof raw === 'string' ? raw.trim() : cellText(raw).trim()
  if (t === '') return null
  switch (def.type) {
    case 'text':
    case 'user':
    case 'stage': {
      let out = def.key === 'notes' || !/\s\s|[\t\n\r]/.test(t) ? t : t.replace(/\s+/g, ' ')
      if (def.max && out.length > def.max) {
        problems.push({ level: 'warning', key: 'truncated', params: { field: label, max: def.max }, field })
        out = out.slice(0, def.max)
      }
      return out || null
    }
    case 'mobile':
    case 'phone': {
      const value = typeof raw === 'number' ? String(Math.round(raw)) : t
      const { parts, invalid } = splitPhones(value)
      if (invalid.length > 0) {
        problems.push({ level: 'error', key: 'badMobile', params: { field: label, value: invalid.join(' ') }, field })
        return null
      }
      return parts
    }
    case 'email': {
      const all = t.normalize('NFKC').toLowerCase().split(/[\s,;，；、]+/).filter(Boolean)
      const ok = all.filter((e) => /^[^\s@]+@[^\s@]+\.[^\s@.]+$/.test(e) && e.length <= 200)
      if (ok.length === 0) {
        problems.push({ level: 'error', key: 'badEmail', params: { value: t }, field })
        return null
      }
      return { mobile: null, phone: null, extra: ok.slice(1), email: ok[0] }
    }
    case 'date':
    case 'datetime': {
      const p = parseDate(raw, ctx.dateOrder)
      if (p && 'ambiguous' in p) {
        problems.push({ level: 'error', key: 'ambiguousDate', params: { field: label, value: t }, field })
        return null
      }
      if (!p) {
        problems.push({ level: 'error', key: 'badDate', params: { field: label, value: t }, field })
        return null
      }
      return def.type === 'date' ? isoDateOf(p) : instantOf(p)
    }
    case 'money': {
      const fen = amountFen(raw)
      if (fen === null || fen < 0 || fen > 1e15) {
        problems.push({ level: 'error', key: 'badAmount', params: { field: label, value: t }, field })
        return null
      }
      return fen
    }
    case 'int':
    case 'percent': {
      let n = typeof raw === 'number' ? raw : Number(t.replace(/[%％\s,]/g, ''))
      if (typeof raw === 'number' && def.type === 'percent' && n > 0 && n <= 1 && !Number.isInteger(n)) n = n * 100 // a 80% cell holds 0.8
      n = Math.round(n)
      if (!Number.isFinite(n) || (def.type === 'percent' && (n < 0 || n > 100))) {
        problems.push({ level: 'error', key: def.type === 'percent' ? 'badPercent' : 'badNumber', params: { field: label, value: t }, field })
        return null
      }
      return n
    }
    case 'tags':
      return splitTags(t)
    case 'province':
      return normalizeProvince(t).slice(0, 30) || null
    case 'city':
      return normalizeCity(t).slice(0, 30) || null
    case 'size': {
      const band = sizeBand(raw)
      if (!band) problems.push({ level: 'warning', key: 'unknownValue', params: { field: label, value: t }, field })
      return band
    }
    case 'leadStatus':
    case 'lifecycle': {
      const table = def.type === 'leadStatus' ? LEAD_STATUS : LIFECYCLE
      const v = table[t.toLowerCase()]
      if (!v) problems.push({ level: 'warning', key: 'unknownValue', params: { field: label, value: t }, field })
      return v ?? null
    }
    case 'credit': {
      const v = /^([abcd])(级|类)?$/i.exec(t)
      if (!v) problems.push({ level: 'warning', key: 'unknownValue', params: { field: label, value: t }, field })
      return v ? v[1].toUpperCase() : null
    }
  }
}
