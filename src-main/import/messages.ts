// Row-level problems found while importing, in the user's language. (Errors that
// stop a whole import are AppError codes in shared/errors.ts.)
import type { Locale } from '../shared/errors'

const M = {
  required: { 'zh-CN': '缺少必填项：{field}', en: 'Missing required value: {field}' },
  leadIdentity: { 'zh-CN': '公司名称和联系人至少填写一项', en: 'Enter a company or a contact name' },
  badMobile: { 'zh-CN': '{field}格式不正确：{value}', en: 'Invalid {field}: {value}' },
  badEmail: { 'zh-CN': '邮箱格式不正确：{value}', en: 'Invalid e-mail address: {value}' },
  badDate: { 'zh-CN': '{field}不是有效日期：{value}', en: '{field} is not a valid date: {value}' },
  ambiguousDate: { 'zh-CN': '{field}无法确定是 月/日 还是 日/月：{value}', en: '{field} could be month/day or day/month: {value}' },
  badAmount: { 'zh-CN': '{field}不是有效金额：{value}', en: '{field} is not a valid amount: {value}' },
  badNumber: { 'zh-CN': '{field}不是有效数字：{value}', en: '{field} is not a valid number: {value}' },
  badPercent: { 'zh-CN': '{field}应为 0–100 的整数：{value}', en: '{field} should be a whole number 0–100: {value}' },
  unknownStage: { 'zh-CN': '未知的阶段“{value}”，请在阶段对应中指定', en: 'Unknown stage “{value}”; map it to one of ours' },
  cellError: { 'zh-CN': '{field}单元格是错误值 {value}，已按空值导入', en: '{field} cell holds the error {value}; imported as empty' },
  formulaError: { 'zh-CN': '{field}的公式结果是错误值，已按空值导入', en: '{field}: the formula result is an error; imported as empty' },
  formulaNoValue: { 'zh-CN': '{field}是没有计算结果的公式，已按空值导入', en: '{field} is a formula without a saved result; imported as empty' },
  truncated: { 'zh-CN': '{field}超过 {max} 个字，已截断', en: '{field} is longer than {max} characters and was cut' },
  extraPhones: { 'zh-CN': '多余的号码或邮箱已写入备注：{value}', en: 'Extra numbers or addresses were added to the notes: {value}' },
  unknownValue: { 'zh-CN': '{field}的值“{value}”无法识别，已忽略', en: '{field} value “{value}” was not recognised and was left out' },
  noAccount: { 'zh-CN': '没有客户名称，商机归入“{value}”', en: 'No account name; the deal was filed under “{value}”' },
  choiceAdded: { 'zh-CN': '{field}新增选项“{value}”', en: 'New choice “{value}” added to {field}' },
  duplicateOf: { 'zh-CN': '与已有{entity}重复（{key}：{value}）', en: 'Duplicate of an existing {entity} ({key}: {value})' },
  duplicateInFile: { 'zh-CN': '与文件第 {row} 行重复（{key}：{value}）', en: 'Duplicate of row {row} in this file ({key}: {value})' },
  ownerClash: { 'zh-CN': '撞单：该客户已由 {existing} 负责，文件中为 {incoming}', en: 'Ownership clash: {existing} already owns this customer; the file says {incoming}' },
  tooLong: { 'zh-CN': '这一行太长（{count} 列）', en: 'This row is too long ({count} columns)' },
} as const

export type MessageKey = keyof typeof M

export const KEY_LABELS: Record<string, Record<Locale, string>> = {
  mobile: { 'zh-CN': '手机', en: 'mobile' },
  email: { 'zh-CN': '邮箱', en: 'e-mail' },
  company: { 'zh-CN': '公司名称', en: 'company name' },
  externalId: { 'zh-CN': '外部编号', en: 'external ID' },
  lead: { 'zh-CN': '线索', en: 'lead' },
  account: { 'zh-CN': '客户', en: 'account' },
  contact: { 'zh-CN': '联系人', en: 'contact' },
  opportunity: { 'zh-CN': '商机', en: 'opportunity' },
}

export function message(key: MessageKey, params: Record<string, string | number>, locale: Locale): string {
  return M[key][locale].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''))
}
