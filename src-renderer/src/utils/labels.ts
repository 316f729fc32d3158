// Display names and tag colours for stored values. Enumerations are
// translated; free-text values we know (channels, industries, default stage
// names) are translated too, anything else is shown as typed.
import { t, te } from '@/i18n'
import type { LeadStatus, Lifecycle, OpportunityStatus, Stage, StageKind } from '@/types'
import { SOURCE_CHANNELS } from '@/types'

export type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

export const LEAD_STATUS_TAG: Record<LeadStatus, TagType> = { new: 'primary', contacted: 'warning', qualified: 'success', invalid: 'info' }
export const OPP_STATUS_TAG: Record<OpportunityStatus, TagType> = { open: 'primary', won: 'success', lost: 'danger' }
export const LIFECYCLE_TAG: Record<Lifecycle, TagType> = { prospect: 'info', customer: 'success', loyal: 'primary', churned: 'danger' }
export const STAGE_KIND_TAG: Record<StageKind, TagType> = { open: 'primary', won: 'success', lost: 'danger' }

const SOURCE_KEYS: Record<string, string> = {
  展会: 'tradeShow',
  微信: 'wechat',
  微博: 'weibo',
  LinkedIn: 'linkedin',
  官网: 'website',
  广告: 'ads',
  合作伙伴: 'partner',
  转介绍: 'referral',
  内部推荐: 'internal',
  其他: 'other',
}

const INDUSTRY_KEYS: Record<string, string> = {
  制造业: 'manufacturing',
  汽车零部件: 'autoParts',
  电子信息: 'electronics',
  医疗器械: 'medical',
  食品饮料: 'food',
  物流: 'logistics',
  化工: 'chemicals',
  新能源: 'newEnergy',
  纺织服装: 'textiles',
  建筑工程: 'construction',
  家电: 'appliances',
  塑料橡胶: 'plastics',
  软件与信息服务: 'software',
  零售: 'retail',
  教育: 'education',
  金融: 'finance',
  其他: 'other',
}

export const PROVINCES = [
  '北京', '天津', '上海', '重庆', '河北', '山西', '辽宁', '吉林', '黑龙江', '江苏', '浙江', '安徽', '福建', '江西', '山东', '河南', '湖北',
  '湖南', '广东', '海南', '四川', '贵州', '云南', '陕西', '甘肃', '青海', '台湾', '内蒙古', '广西', '西藏', '宁夏', '新疆', '香港', '澳门',
]

export const LOST_REASON_KEYS = ['price', 'competitor', 'budget', 'needs', 'delayed', 'paused'] as const

export interface Option<V = string> {
  value: V
  label: string
}

export function sourceLabel(value: string | null | undefined): string {
  if (!value) return ''
  const key = SOURCE_KEYS[value]
  return key ? t(`source.${key}`) : value
}

export function industryLabel(value: string | null | undefined): string {
  if (!value) return ''
  const key = INDUSTRY_KEYS[value]
  return key ? t(`industry.${key}`) : value
}

export const sourceOptions = (): Option[] => SOURCE_CHANNELS.map((v) => ({ value: v, label: sourceLabel(v) }))
export const industryOptions = (): Option[] => Object.keys(INDUSTRY_KEYS).map((v) => ({ value: v, label: industryLabel(v) }))
export const provinceOptions = (): Option[] => PROVINCES.map((v) => ({ value: v, label: v }))

/** An enumeration's options from its translation group, e.g. enumOptions('leadStatus', LEAD_STATUSES). */
export function enumOptions<V extends string>(group: string, values: readonly V[]): Option<V>[] {
  return values.map((v) => ({ value: v, label: t(`${group}.${v}`) }))
}

export function enumLabel(group: string, value: string | null | undefined): string {
  if (!value) return ''
  const key = `${group}.${value}`
  return te(key) ? t(key) : value
}

const DEFAULT_STAGE_NAMES: Record<string, string> = { potential: '潜在商机', intent: '意向商机', negotiation: '谈判商机', won: '成交', lost: '输单' }

/** A stage's name; the default stages are translated, renamed ones are shown as named. */
export function stageLabel(stage: Pick<Stage, 'key' | 'name'> | null | undefined, fallback?: string | null): string {
  if (!stage) return fallback ?? ''
  if (DEFAULT_STAGE_NAMES[stage.key] === stage.name) return t(`stageKey.${stage.key}`)
  return stage.name
}

/** A stage name without its stage record (e.g. from the timeline): translate the default names. */
export function stageNameLabel(name: string | null | undefined): string {
  if (!name) return ''
  const key = Object.keys(DEFAULT_STAGE_NAMES).find((k) => DEFAULT_STAGE_NAMES[k] === name)
  return key ? t(`stageKey.${key}`) : name
}

/** A form/timeline label for a field of an entity: entity-specific first, then the common one. */
export function fieldLabel(entity: string, key: string): string {
  if (te(`fieldOf.${entity}.${key}`)) return t(`fieldOf.${entity}.${key}`)
  if (te(`field.${key}`)) return t(`field.${key}`)
  return key
}
