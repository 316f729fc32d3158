// Records → categorical facts for the learner. Pure: the services load the
// facts (one row per deal or lead), this file decides how they are cut.
//
// Numbers are cut into log2 bands (1, 2–3, 4–7, 8–15 …): amounts, visits and
// times are spread over orders of magnitude, and doubling is a step people
// read easily. Free text is cleaned and placeholders ("Select", "请选择")
// count as unknown. How long a deal has been open is deliberately NOT a fact:
// a closed deal's duration is known only at its end, an open deal's is its age
// so far, so the learner would read "young" as "lost" (docs/SCORING.md).
import type { FeatureValue } from './naive-bayes'

const PLACEHOLDERS = new Set(['', 'select', '请选择', '-', '--', 'n/a', 'na', 'null', 'undefined', '#n/a'])

// The same few owners, industries and channels recur on every deal: fold each distinct text once.
const CLEANED = new Map<string, FeatureValue>()

/** Trimmed, NFKC-folded text; placeholders and blanks are unknown (null). */
export function cleanCategory(v: string | null | undefined): FeatureValue {
  if (v == null) return null
  let out = CLEANED.get(v)
  if (out === undefined) {
    const t = v.normalize('NFKC').trim()
    out = PLACEHOLDERS.has(t.toLowerCase()) ? null : t
    if (CLEANED.size > 50_000) CLEANED.clear()
    CLEANED.set(v, out)
  }
  return out
}

// Thousands separators by hand: Intl formatting costs microseconds a call, and 100k deals need millions.
const fmt = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')

/** log2 band of a number, e.g. 5 → "4–7", 0 → "0", 0.5 → "0–1", −3 → "<0". */
export function log2Band(x: number | null | undefined): FeatureValue {
  if (x == null || !Number.isFinite(x)) return null
  if (x < 0) return '<0'
  if (x === 0) return '0'
  if (x < 1) return '0–1'
  const k = Math.floor(Math.log2(x))
  return (BANDS[k] ??= k === 0 ? '1' : `${fmt(2 ** k)}–${fmt(2 ** (k + 1) - 1)}`)
}
const BANDS: string[] = []

/** Amount band in yuan by log2: ¥0, ¥1, ¥2–3 … ¥65,536–131,071. */
export function amountBand(amountFen: number): string {
  const yuan = Math.floor(amountFen / 100)
  if (yuan <= 0) return '¥0'
  const k = Math.floor(Math.log2(yuan))
  return (AMOUNT_BANDS[k] ??= `¥${log2Band(yuan)}`)
}
const AMOUNT_BANDS: string[] = []

/**
 * Completed activities per 30 days open (at least 14 days counted, so a
 * two-day-old deal with one call is not "15 a month"). A rate rather than a
 * count, so that old deals are not favoured merely for having had more time.
 */
export function activityBand(count: number, ageDays: number): string {
  if (count <= 0) return '0'
  const rate = (count / Math.max(14, ageDays)) * 30
  if (rate < 1) return '<1/月'
  if (rate < 2) return '1–2/月'
  if (rate < 4) return '2–4/月'
  return '4+/月'
}

export interface CustomFact {
  type: 'text' | 'number' | 'choice' | 'date'
  text: string | null
  number: number | null
}

/** A custom field's value as a fact: numbers by log2 band, choices and short texts as they are; dates are not used. */
export function customValue(f: CustomFact | undefined): FeatureValue {
  if (!f) return null
  if (f.type === 'number') return log2Band(f.number ?? (f.text != null && f.text.trim() !== '' ? Number(f.text) : null))
  if (f.type === 'date') return null
  return cleanCategory(f.text)
}

interface CommonFacts {
  source: string | null
  industry: string | null
  region: string | null
  activityCount: number
  ageDays: number
  /** Latest score's answers, already bucketed (criterion key → option / rating / band). */
  answers: Record<string, string | null>
  /** Custom field id → fact. */
  custom: Record<number, CustomFact>
}

export interface DealFacts extends CommonFacts {
  /** Open stages of the deal's pipeline, in order. */
  openStageKeys: readonly string[]
  status: 'open' | 'won' | 'lost'
  /** Current stage key (open deals). */
  stageKey: string
  /** Index in openStageKeys of the furthest open stage the deal reached; −1 when unknown. */
  reachedIndex: number
  owner: string | null
  size: string | null
  amountFen: number
}

export interface LeadFacts extends CommonFacts {
  /** How many ways to reach the lead are filled: mobile, phone, e-mail, WeChat. */
  contactWays: number
}

/** The stage a deal counts as being in when predicted: its current stage if open, else the furthest it reached (null: unknown). */
export function stageForPrediction(f: Pick<DealFacts, 'openStageKeys' | 'status' | 'stageKey' | 'reachedIndex'>): string | null {
  if (f.status === 'open') return f.stageKey
  return f.reachedIndex < 0 ? null : (f.openStageKeys[f.reachedIndex] ?? null)
}

/**
 * Stage-aware counting for training (Odoo): a won deal passed every open
 * stage; a lost one counts for the stages up to the one it reached. A closed
 * deal whose path is unknown (imported straight as won or lost) says nothing
 * about stages: counting imported wins for every stage and imported losses for
 * the first would make any deal past the first stage look like a winner.
 */
export function stagesForTraining(f: Pick<DealFacts, 'openStageKeys' | 'status' | 'reachedIndex'>): readonly string[] {
  if (f.reachedIndex < 0 && f.status !== 'open') return NO_STAGES
  return stagePrefix(f.openStageKeys, f.status === 'won' ? f.openStageKeys.length : Math.max(0, f.reachedIndex) + 1)
}

// The lists are read only: 100k deals share the few prefixes of their pipeline's stages instead of a new array each.
const NO_STAGES: readonly string[] = Object.freeze([])
const PREFIXES = new WeakMap<readonly string[], Array<readonly string[]>>()
function stagePrefix(keys: readonly string[], n: number): readonly string[] {
  let byLength = PREFIXES.get(keys)
  if (!byLength) PREFIXES.set(keys, (byLength = []))
  return (byLength[n] ??= Object.freeze(keys.slice(0, n)))
}

function common(f: CommonFacts, fields: readonly number[], into: Record<string, FeatureValue | readonly string[]>): void {
  into.source = cleanCategory(f.source)
  into.industry = cleanCategory(f.industry)
  into.region = cleanCategory(f.region)
  into.activity = activityBand(f.activityCount, f.ageDays)
  for (const key in f.answers) into[`answer:${key}`] = f.answers[key]
  for (const id of fields) into[`cf:${id}`] = customValue(f.custom[id])
}

/** Facts of a deal. `train` gives the stage as the list of stages passed (stage-aware counting). */
export function dealFeatures(f: DealFacts, mode: 'train' | 'predict', customFields: readonly number[]): Record<string, FeatureValue | readonly string[]> {
  const out: Record<string, FeatureValue | readonly string[]> = {
    stage: mode === 'train' ? stagesForTraining(f) : stageForPrediction(f),
    owner: cleanCategory(f.owner),
    size: cleanCategory(f.size),
    amount: amountBand(f.amountFen),
  }
  common(f, customFields, out)
  return out
}

export function leadFeatures(f: LeadFacts, customFields: readonly number[]): Record<string, FeatureValue> {
  const out: Record<string, FeatureValue> = { contact: String(Math.min(3, f.contactWays)) + (f.contactWays >= 3 ? '+' : '') }
  common(f, customFields, out)
  return out as Record<string, FeatureValue>
}

/** Names of the fixed facts, for explanations. */
export const FEATURE_LABELS: Record<string, { 'zh-CN': string; en: string }> = {
  stage: { 'zh-CN': '阶段', en: 'Stage' },
  owner: { 'zh-CN': '负责人', en: 'Owner' },
  size: { 'zh-CN': '客户规模', en: 'Company size' },
  amount: { 'zh-CN': '金额区间', en: 'Amount band' },
  source: { 'zh-CN': '来源渠道', en: 'Source' },
  industry: { 'zh-CN': '行业', en: 'Industry' },
  region: { 'zh-CN': '地区', en: 'Region' },
  activity: { 'zh-CN': '跟进频率', en: 'Activity rate' },
  contact: { 'zh-CN': '联系方式数量', en: 'Ways to reach' },
}
