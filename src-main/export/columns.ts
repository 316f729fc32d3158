// Columns a list export can have, per entity: key (the list's field name), label,
// cell type (drives the number format) and how to read it from a joined row.
import type { Locale } from '../shared/errors'

export type ExportEntity = 'leads' | 'accounts' | 'contacts' | 'opportunities'
export type CellType = 'text' | 'int' | 'money' | 'percent' | 'date' | 'datetime' | 'tags' | 'bool'

export interface ExportColumn {
  key: string
  label: Record<Locale, string>
  type: CellType
  /** Column of the joined export query (see export.ts). */
  source: string
  /** Value labels for enum columns. */
  labels?: Record<string, Record<Locale, string>>
  /** Shown when the user picks no columns. */
  default?: boolean
}

const c = (key: string, zh: string, en: string, type: CellType, source: string, extra: Partial<ExportColumn> = {}): ExportColumn => ({
  key,
  label: { 'zh-CN': zh, en },
  type,
  source,
  default: true,
  ...extra,
})

const LEAD_STATUS = {
  new: { 'zh-CN': '新线索', en: 'New' },
  contacted: { 'zh-CN': '已联系', en: 'Contacted' },
  qualified: { 'zh-CN': '已确认', en: 'Qualified' },
  invalid: { 'zh-CN': '无效', en: 'Invalid' },
}
const LIFECYCLE = {
  prospect: { 'zh-CN': '潜在客户', en: 'Prospect' },
  customer: { 'zh-CN': '成交客户', en: 'Customer' },
  loyal: { 'zh-CN': '忠诚客户', en: 'Loyal' },
  churned: { 'zh-CN': '流失客户', en: 'Churned' },
}
const OPP_STATUS = {
  open: { 'zh-CN': '进行中', en: 'Open' },
  won: { 'zh-CN': '赢单', en: 'Won' },
  lost: { 'zh-CN': '输单', en: 'Lost' },
}

export const EXPORT_COLUMNS: Record<ExportEntity, ExportColumn[]> = {
  leads: [
    c('id', '编号', 'ID', 'int', 'id', { default: false }),
    c('company', '公司名称', 'Company', 'text', 'company'),
    c('contactName', '联系人', 'Contact', 'text', 'contact_name'),
    c('title', '职务', 'Title', 'text', 'title'),
    c('mobile', '手机', 'Mobile', 'text', 'mobile'),
    c('phone', '座机', 'Phone', 'text', 'phone'),
    c('email', '邮箱', 'E-mail', 'text', 'email'),
    c('wechat', '微信', 'WeChat', 'text', 'wechat'),
    c('province', '省份', 'Province', 'text', 'province'),
    c('city', '城市', 'City', 'text', 'city'),
    c('industry', '行业', 'Industry', 'text', 'industry'),
    c('source', '来源渠道', 'Source', 'text', 'source'),
    c('status', '状态', 'Status', 'text', 'status', { labels: LEAD_STATUS }),
    c('ownerName', '负责人', 'Owner', 'text', 'owner_name'),
    c('score', '评分', 'Score', 'int', 'score'),
    c('tags', '标签', 'Tags', 'tags', 'tags'),
    c('notes', '备注', 'Notes', 'text', 'notes'),
    c('externalId', '外部编号', 'External ID', 'text', 'external_id', { default: false }),
    c('createdAt', '创建时间', 'Created', 'datetime', 'created_at'),
    c('updatedAt', '更新时间', 'Updated', 'datetime', 'updated_at', { default: false }),
  ],
  accounts: [
    c('id', '编号', 'ID', 'int', 'id', { default: false }),
    c('name', '客户名称', 'Account', 'text', 'name'),
    c('industry', '行业', 'Industry', 'text', 'industry'),
    c('province', '省份', 'Province', 'text', 'province'),
    c('city', '城市', 'City', 'text', 'city'),
    c('address', '地址', 'Address', 'text', 'address'),
    c('size', '规模', 'Size', 'text', 'size'),
    c('annualRevenueFen', '年营业额（元）', 'Annual revenue (CNY)', 'money', 'annual_revenue_fen'),
    c('source', '来源渠道', 'Source', 'text', 'source'),
    c('tags', '标签', 'Tags', 'tags', 'tags'),
    c('creditLevel', '信用等级', 'Credit', 'text', 'credit_level'),
    c('ownerName', '负责人', 'Owner', 'text', 'owner_name'),
    c('lifecycle', '客户阶段', 'Lifecycle', 'text', 'lifecycle', { labels: LIFECYCLE }),
    c('website', '网址', 'Website', 'text', 'website'),
    c('notes', '备注', 'Notes', 'text', 'notes', { default: false }),
    c('externalId', '外部编号', 'External ID', 'text', 'external_id', { default: false }),
    c('createdAt', '创建时间', 'Created', 'datetime', 'created_at'),
    c('updatedAt', '更新时间', 'Updated', 'datetime', 'updated_at', { default: false }),
  ],
  contacts: [
    c('id', '编号', 'ID', 'int', 'id', { default: false }),
    c('name', '姓名', 'Name', 'text', 'name'),
    c('accountName', '客户名称', 'Account', 'text', 'account_name'),
    c('title', '职务', 'Title', 'text', 'title'),
    c('mobile', '手机', 'Mobile', 'text', 'mobile'),
    c('phone', '座机', 'Phone', 'text', 'phone'),
    c('email', '邮箱', 'E-mail', 'text', 'email'),
    c('wechat', '微信', 'WeChat', 'text', 'wechat'),
    c('birthday', '生日', 'Birthday', 'date', 'birthday'),
    c('isPrimary', '主要联系人', 'Primary', 'bool', 'is_primary'),
    c('ownerName', '负责人', 'Owner', 'text', 'owner_name', { default: false }),
    c('notes', '备注', 'Notes', 'text', 'notes', { default: false }),
    c('createdAt', '创建时间', 'Created', 'datetime', 'created_at', { default: false }),
    c('updatedAt', '更新时间', 'Updated', 'datetime', 'updated_at', { default: false }),
  ],
  opportunities: [
    c('id', '编号', 'ID', 'int', 'id', { default: false }),
    c('title', '商机名称', 'Opportunity', 'text', 'title'),
    c('accountName', '客户名称', 'Account', 'text', 'account_name'),
    c('contactName', '联系人', 'Contact', 'text', 'contact_name'),
    c('amountFen', '金额（元）', 'Amount (CNY)', 'money', 'amount_fen'),
    c('stageName', '阶段', 'Stage', 'text', 'stage_name'),
    c('probability', '赢率', 'Probability', 'percent', 'probability'),
    c('status', '状态', 'Status', 'text', 'status', { labels: OPP_STATUS }),
    c('expectedCloseDate', '预计成交日期', 'Expected close', 'date', 'expected_close_date'),
    c('ownerName', '负责人', 'Owner', 'text', 'owner_name'),
    c('source', '来源渠道', 'Source', 'text', 'source'),
    c('lostReason', '输单原因', 'Lost reason', 'text', 'lost_reason', { default: false }),
    c('closedAt', '关闭时间', 'Closed', 'datetime', 'closed_at', { default: false }),
    c('lastActivityAt', '最近跟进', 'Last activity', 'datetime', 'last_activity_at', { default: false }),
    c('notes', '备注', 'Notes', 'text', 'notes', { default: false }),
    c('externalId', '外部编号', 'External ID', 'text', 'external_id', { default: false }),
    c('createdAt', '创建时间', 'Created', 'datetime', 'created_at'),
    c('updatedAt', '更新时间', 'Updated', 'datetime', 'updated_at', { default: false }),
  ],
}

export const ENTITY_OF_EXPORT: Record<ExportEntity, 'lead' | 'account' | 'contact' | 'opportunity'> = {
  leads: 'lead',
  accounts: 'account',
  contacts: 'contact',
  opportunities: 'opportunity',
}
