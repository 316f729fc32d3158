// The fields an import can fill, per target, and the header names people use
// for them (Chinese and English, with the usual variants). Automatic mapping
// compares normalised header text with these aliases; the user corrects the rest.
import type { Locale } from '../shared/errors'
import type { ColumnMapping, ColumnTarget, ImportTarget, RawCell } from './types'
import { isCellError } from './types'

export type FieldType =
  | 'text'
  | 'mobile'
  | 'phone'
  | 'email'
  | 'date'
  | 'datetime'
  | 'money'
  | 'int'
  | 'percent'
  | 'user'
  | 'tags'
  | 'province'
  | 'city'
  | 'size'
  | 'stage'
  | 'leadStatus'
  | 'lifecycle'
  | 'credit'

export interface FieldDef {
  key: string
  type: FieldType
  label: Record<Locale, string>
  /** Longest text kept (longer values are cut with a warning). */
  max?: number
  /** Most specific first: an earlier alias wins when two columns both match exactly. */
  aliases: string[]
}

const f = (key: string, type: FieldType, zh: string, en: string, aliases: string[], max?: number): FieldDef => ({
  key,
  type,
  label: { 'zh-CN': zh, en },
  aliases,
  max,
})

const COMPANY = ['客户名称', '公司名称', '单位名称', '企业名称', '客户公司', '公司全称', '企业全称', '机构名称', '工作单位', '所在公司', '公司', '单位', '企业', '客户',
  'company', 'company name', 'companyname', 'organization', 'organisation', 'account name', 'customer name', 'customer', 'account', 'firm']
const CONTACT = ['联系人', '联系人姓名', '客户姓名', '姓名', '名字', '联系人名称', 'contact', 'contact name', 'contact person', 'full name', 'name']
const TITLE = ['职务', '职位', '岗位', '头衔', '联系人职务', 'title', 'job title', 'position', 'role']
const MOBILE = ['手机', '手机号', '手机号码', '移动电话', '联系手机', '联系电话', '电话', '电话号码', '联系方式', '联系人电话', '联系人手机',
  'mobile', 'mobile phone', 'mobile number', 'cell', 'cellphone', 'cell phone', 'phone', 'phone number', 'tel']
const PHONE = ['座机', '固定电话', '固话', '办公电话', '公司电话', '办公室电话', '总机', 'landline', 'office phone', 'work phone', 'telephone', 'business phone']
const EMAIL = ['邮箱', '电子邮箱', '邮件', '电子邮件', '邮箱地址', 'email', 'e-mail', 'mail', 'email address']
const WECHAT = ['微信', '微信号', '微信id', 'wechat', 'weixin', 'wechat id']
const PROVINCE = ['省份', '省', '所在省份', '客户地区', '地区', '所在地区', '区域', '所属地区', '省/直辖市', 'province', 'state', 'region']
const CITY = ['城市', '市', '所在城市', '客户城市', '所属城市', 'city', 'town']
const INDUSTRY = ['行业', '所属行业', '行业类别', '行业分类', 'industry', 'sector', 'vertical']
const SOURCE = ['来源', '线索来源', '客户来源', '来源渠道', '渠道', '获客渠道', '渠道来源', 'source', 'lead source', 'channel', 'origin']
const OWNER = ['负责人', '分管业务员', '业务员', '销售', '销售员', '销售代表', '跟进人', '归属销售', '所属销售', '客户经理', '所有者', '责任人',
  'owner', 'sales rep', 'salesperson', 'sales person', 'sales agent', 'sales_agent', 'assigned to', 'account manager', 'rep']
const NOTES = ['备注', '说明', '描述', '需求', '备注信息', '客户需求', '其他', 'notes', 'note', 'remark', 'remarks', 'comment', 'comments', 'description', 'memo']
const TAGS = ['标签', '客户标签', 'tags', 'tag', 'labels']
const EXTERNAL = ['编号', '客户编码', '客户编号', '线索编号', '外部编号', '原系统编号', 'id', 'external id', 'record id', 'lead id', 'customer id', 'account id']
const CREATED = ['创建时间', '创建日期', '录入时间', '录入日期', '登记日期', '登记时间', '添加时间', '获取时间', '日期', 'created', 'created at', 'created date', 'create date', 'date', 'date added']

const LEAD_FIELDS: FieldDef[] = [
  f('company', 'text', '公司名称', 'Company', COMPANY, 100),
  f('contactName', 'text', '联系人', 'Contact', CONTACT, 50),
  f('title', 'text', '职务', 'Title', TITLE, 50),
  f('mobile', 'mobile', '手机', 'Mobile', MOBILE),
  f('phone', 'phone', '座机', 'Phone', PHONE),
  f('email', 'email', '邮箱', 'E-mail', EMAIL),
  f('wechat', 'text', '微信', 'WeChat', WECHAT, 50),
  f('province', 'province', '省份', 'Province', PROVINCE),
  f('city', 'city', '城市', 'City', CITY),
  f('industry', 'text', '行业', 'Industry', INDUSTRY, 50),
  f('source', 'text', '来源渠道', 'Source', SOURCE, 30),
  f('status', 'leadStatus', '线索状态', 'Status', ['线索状态', '状态', 'status', 'lead status']),
  f('owner', 'user', '负责人', 'Owner', OWNER),
  f('score', 'percent', '评分', 'Score', ['评分', '线索评分', '分数', 'score', 'lead score']),
  f('tags', 'tags', '标签', 'Tags', TAGS),
  f('notes', 'text', '备注', 'Notes', NOTES, 2000),
  f('externalId', 'text', '外部编号', 'External ID', EXTERNAL, 100),
  f('createdAt', 'datetime', '创建时间', 'Created', CREATED),
]

const ACCOUNT_FIELDS: FieldDef[] = [
  f('company', 'text', '客户名称', 'Account name', COMPANY, 100),
  f('industry', 'text', '行业', 'Industry', INDUSTRY, 50),
  f('province', 'province', '省份', 'Province', PROVINCE),
  f('city', 'city', '城市', 'City', CITY),
  f('address', 'text', '地址', 'Address', ['地址', '详细地址', '公司地址', '通讯地址', '办公地址', '联系地址', 'address', 'street', 'street address'], 200),
  f('size', 'size', '规模', 'Size', ['规模', '公司规模', '人员规模', '员工人数', '人数', '员工数', 'size', 'company size', 'employees', 'headcount']),
  f('annualRevenue', 'money', '年营业额', 'Annual revenue', ['年营业额', '营业额', '年收入', '年销售额', '营收', '年营收', 'annual revenue', 'revenue', 'turnover']),
  f('source', 'text', '来源渠道', 'Source', SOURCE, 30),
  f('tags', 'tags', '标签', 'Tags', TAGS),
  f('creditLevel', 'credit', '信用等级', 'Credit level', ['信用等级', '信用', '信用评级', 'credit', 'credit level', 'credit rating']),
  f('owner', 'user', '负责人', 'Owner', OWNER),
  f('lifecycle', 'lifecycle', '客户阶段', 'Lifecycle', ['客户阶段', '生命周期', '客户状态', 'lifecycle', 'lifecycle stage', 'customer status']),
  f('website', 'text', '网址', 'Website', ['网址', '网站', '官网', '公司网站', 'website', 'web', 'url', 'homepage'], 200),
  f('notes', 'text', '备注', 'Notes', NOTES, 2000),
  f('externalId', 'text', '外部编号', 'External ID', EXTERNAL, 100),
  f('createdAt', 'datetime', '创建时间', 'Created', CREATED),
  f('contactName', 'text', '联系人', 'Contact', CONTACT, 50),
  f('title', 'text', '职务', 'Title', TITLE, 50),
  f('mobile', 'mobile', '手机', 'Mobile', MOBILE),
  f('phone', 'phone', '座机', 'Phone', PHONE),
  f('email', 'email', '邮箱', 'E-mail', EMAIL),
  f('wechat', 'text', '微信', 'WeChat', WECHAT, 50),
  f('birthday', 'date', '生日', 'Birthday', ['生日', '出生日期', '联系人生日', 'birthday', 'date of birth', 'birth date', 'dob']),
]

const OPPORTUNITY_FIELDS: FieldDef[] = [
  f('title', 'text', '商机名称', 'Title', ['商机名称', '机会名称', '项目名称', '商机', '项目', '机会', 'opportunity name', 'opportunity', 'deal name', 'deal', 'title', 'subject'], 100),
  f('company', 'text', '客户名称', 'Account', COMPANY, 100),
  f('contactName', 'text', '联系人', 'Contact', CONTACT, 50),
  f('amount', 'money', '金额', 'Amount', ['金额', '商机金额', '预计金额', '成交金额', '合同金额', '销售金额', '项目金额', '金额元', 'amount', 'value', 'deal value', 'close value', 'close_value', 'deal amount']),
  f('stage', 'stage', '阶段', 'Stage', ['阶段', '商机阶段', '销售阶段', '商机状态', '状态', 'stage', 'deal stage', 'deal_stage', 'sales stage', 'status']),
  f('probability', 'percent', '赢率', 'Probability', ['赢率', '成交概率', '赢单率', '概率', 'probability', 'win probability']),
  f('owner', 'user', '负责人', 'Owner', OWNER),
  f('source', 'text', '来源渠道', 'Source', SOURCE, 30),
  f('expectedCloseDate', 'date', '预计成交日期', 'Expected close', ['预计成交日期', '预计签单日期', '预计结单日期', '预计成交时间', '预计关闭日期', 'expected close date', 'expected close', 'close date expected', 'target close date']),
  f('createdAt', 'datetime', '创建日期', 'Created', ['创建日期', '创建时间', '开始日期', '立项日期', '发现日期', 'engage date', 'engage_date', 'created', 'created at', 'created date', 'create date', 'start date', 'open date']),
  f('closedAt', 'datetime', '成交/关闭日期', 'Closed', ['成交日期', '关闭日期', '结单日期', '签单日期', '赢单日期', '输单日期', '关闭时间', 'close date', 'close_date', 'closed at', 'closed date', 'closing date', 'won date']),
  f('lostReason', 'text', '输单原因', 'Lost reason', ['输单原因', '丢单原因', '失败原因', 'lost reason', 'loss reason', 'reason lost'], 200),
  f('notes', 'text', '备注', 'Notes', NOTES, 2000),
  f('externalId', 'text', '外部编号', 'External ID', ['商机编号', '编号', '外部编号', '原系统编号', 'opportunity id', 'opportunity_id', 'deal id', 'id', 'external id', 'record id'], 100),
]

export const TARGET_FIELDS: Record<ImportTarget, FieldDef[]> = {
  leads: LEAD_FIELDS,
  accounts: ACCOUNT_FIELDS,
  opportunities: OPPORTUNITY_FIELDS,
}

/** Headers that name a category of customer: no core field, but worth keeping as a choice field. */
const CATEGORY_HEADERS = ['客户分类', '客户类型', '客户类别', '客户性质', '客户等级', '客户级别', '类别', '分类', 'category', 'customer type', 'type', 'segment', 'tier']
/** Columns added by our own rejected-rows file: never data on re-import. */
export const OUR_OWN_HEADERS = ['原行号', '导入错误', 'original row', 'import error']

export function fieldDef(target: ImportTarget, key: string): FieldDef | undefined {
  return TARGET_FIELDS[target].find((d) => d.key === key)
}

/** Header text as compared: NFKC, lower case, no bracketed remarks ("金额(元)"), no spaces or punctuation, no required-markers. */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\((必填|选填|必须|可选|required|optional)\)/g, '')
    .replace(/[*＊]/g, '')
    .replace(/\(([^)]*)\)|\[([^\]]*)\]|【([^】]*)】/g, '$1$2$3')
    .replace(/[^\p{L}\p{N}]+/gu, '')
}

/** Latin words of a header: "closeValue", "close_value" and "Close Value" all give ["close", "value"]. */
function words(text: string): string[] {
  return text
    .normalize('NFKC')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
}

interface Alias {
  field: string
  key: string
  rank: number
  words: string[]
  latin: boolean
}
const ALIAS_INDEX = new Map<ImportTarget, Alias[]>()
function aliasesOf(target: ImportTarget): Alias[] {
  let list = ALIAS_INDEX.get(target)
  if (!list) {
    list = TARGET_FIELDS[target].flatMap((d) =>
      d.aliases.map((a, rank) => ({ field: d.key, key: headerKey(a), rank, words: words(a), latin: [...a].every((ch) => ch.charCodeAt(0) < 0x80) })),
    )
    ALIAS_INDEX.set(target, list)
  }
  return list
}

/** "客户联系人手机" contains 手机; Latin aliases must appear as whole words ("sales rep name" has "rep", "update" has no "date"). */
function containsAlias(header: string, key: string, alias: Alias): boolean {
  if (!alias.latin) return alias.key.length >= 2 && key.includes(alias.key)
  const w = words(header)
  for (let i = 0; i + alias.words.length <= w.length; i++) {
    if (alias.words.every((x, j) => w[i + j] === x)) return true
  }
  return false
}

/** True when the header text is one of the known names of any field (used to find the header row). */
export function isKnownHeader(text: string): boolean {
  const k = headerKey(text)
  if (!k) return false
  return (['leads', 'accounts', 'opportunities'] as const).some((t) => aliasesOf(t).some((a) => a.key === k)) || CATEGORY_HEADERS.some((h) => headerKey(h) === k)
}

export type Confidence = 'template' | 'exact' | 'partial' | 'none'
export interface SuggestedColumn extends ColumnMapping {
  confidence: Confidence
  /** For unmapped columns: the custom field type the values look like. */
  suggestedType: 'text' | 'number' | 'date' | 'choice'
  samples: string[]
}

/** Guess a custom field type from sample values. */
export function guessType(values: RawCell[]): SuggestedColumn['suggestedType'] {
  const present = values.filter((v) => v !== null && v !== '' && !isCellError(v))
  if (present.length === 0) return 'text'
  if (present.every((v) => v instanceof Date || (typeof v === 'string' && /^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?$/.test(v.trim())))) return 'date'
  if (present.every((v) => typeof v === 'number' || (typeof v === 'string' && /^-?[\d,]+(\.\d+)?$/.test(v.trim())))) return 'number'
  const distinct = new Set(present.map((v) => String(v).trim()))
  if (present.length >= 4 && distinct.size <= Math.max(2, present.length / 3) && distinct.size <= 30) return 'choice'
  return 'text'
}

export function cellText(v: RawCell): string {
  if (v === null) return ''
  if (v instanceof Date) return v.toISOString().slice(0, v.getUTCHours() || v.getUTCMinutes() ? 16 : 10).replace('T', ' ')
  if (isCellError(v)) return v.error
  return String(v)
}

/**
 * Suggest a target for every column: a saved template first (by header text),
 * then exact alias matches (the most specific alias wins a field), then headers
 * that contain an alias. Each field is used once; the rest stays unmapped
 * (with a custom-field type suggestion), except known category headers which
 * are proposed as a new choice field.
 */
export function suggestMapping(
  target: ImportTarget,
  headers: string[],
  samples: RawCell[][],
  template?: Array<{ header: string; target: ColumnTarget }>,
): SuggestedColumn[] {
  const aliases = aliasesOf(target)
  const out: SuggestedColumn[] = headers.map((header, index) => {
    const col = samples.map((r) => r[index] ?? null)
    return {
      index,
      header,
      target: { kind: 'ignore' },
      confidence: 'none',
      suggestedType: guessType(col),
      samples: col.filter((v) => v !== null && v !== '').slice(0, 5).map(cellText),
    }
  })
  const taken = new Set<string>()
  const keys = headers.map(headerKey)

  if (template) {
    for (const t of template) {
      const col = out.find((c, i) => c.confidence === 'none' && keys[i] === headerKey(t.header))
      if (!col) continue
      if (t.target.kind === 'field') {
        if (taken.has(t.target.field) || !fieldDef(target, t.target.field)) continue
        taken.add(t.target.field)
      }
      col.target = t.target
      col.confidence = 'template'
    }
  }
  // Exact matches, best-ranked alias first across all columns.
  const exact: Array<{ col: number; field: string; rank: number }> = []
  keys.forEach((k, col) => {
    if (!k || out[col].confidence !== 'none' || OUR_OWN_HEADERS.some((h) => headerKey(h) === k)) return
    for (const a of aliases) if (a.key === k) exact.push({ col, field: a.field, rank: a.rank })
  })
  exact.sort((a, b) => a.rank - b.rank || a.col - b.col)
  for (const m of exact) {
    if (taken.has(m.field) || out[m.col].confidence !== 'none') continue
    taken.add(m.field)
    out[m.col].target = { kind: 'field', field: m.field }
    out[m.col].confidence = 'exact'
  }
  // Headers containing an alias ("客户联系人手机" → mobile); longer aliases are more telling.
  const byLength = [...aliases].filter((a) => a.key.length >= 2).sort((a, b) => b.key.length - a.key.length || a.rank - b.rank)
  keys.forEach((k, col) => {
    if (!k || out[col].confidence !== 'none' || OUR_OWN_HEADERS.some((h) => headerKey(h) === k)) return
    if (CATEGORY_HEADERS.some((h) => headerKey(h) === k)) return
    const hit = byLength.find((a) => !taken.has(a.field) && containsAlias(headers[col], k, a))
    if (!hit) return
    taken.add(hit.field)
    out[col].target = { kind: 'field', field: hit.field }
    out[col].confidence = 'partial'
  })
  // Category columns become a choice field rather than being dropped.
  keys.forEach((k, col) => {
    if (out[col].confidence !== 'none' || !CATEGORY_HEADERS.some((h) => headerKey(h) === k)) return
    out[col].target = { kind: 'newCustom', label: headers[col], type: 'choice' }
    out[col].confidence = 'partial'
  })
  return out
}
