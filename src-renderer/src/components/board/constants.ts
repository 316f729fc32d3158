// Stored values for the board's pick lists. The stored text is the Chinese
// wording (what the demo data and most teams use), so reports group the same
// reason together whatever the UI language; labels come from i18n (board.*).

export const LOST_REASONS = [
  { key: 'price', value: '价格过高' },
  { key: 'competitor', value: '选择了竞争对手' },
  { key: 'budget', value: '预算取消' },
  { key: 'needs', value: '需求变更' },
  { key: 'delayed', value: '决策延期' },
  { key: 'relationship', value: '关系不到位' },
  { key: 'paused', value: '项目暂停' },
  { key: 'technical', value: '技术方案不匹配' },
] as const

export const FEEDBACK_DEPARTMENTS = [
  { key: 'rnd', value: '研发' },
  { key: 'product', value: '产品' },
  { key: 'afterSales', value: '售后' },
  { key: 'implementation', value: '实施' },
  { key: 'finance', value: '财务' },
  { key: 'salesOps', value: '销售管理' },
  { key: 'other', value: '其他' },
] as const

export const FEEDBACK_TYPES = ['product', 'price', 'service', 'other'] as const
export const FEEDBACK_STATUSES = ['open', 'in_progress', 'resolved'] as const

/** /opportunities shows the list or the board (?view=board); the last choice is remembered here. */
export type OppView = 'list' | 'board'
export const VIEW_KEY = 'crm.opportunities.view'
