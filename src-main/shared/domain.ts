// Domain types as the renderer sees them: camelCase, JSON fields parsed,
// money in integer fen. Pure types, no runtime imports (safe for the renderer).

import type { CompetitionLevel, Grade, RiskLevel } from './scoring'

export type Role = 'admin' | 'manager' | 'sales'
export type Lifecycle = 'prospect' | 'customer' | 'loyal' | 'churned'
export type CreditLevel = 'A' | 'B' | 'C' | 'D'
export type LeadStatus = 'new' | 'contacted' | 'qualified' | 'invalid'
export type OpportunityStatus = 'open' | 'won' | 'lost'
export type StageKind = 'open' | 'won' | 'lost'
export type ActivityType = 'call' | 'email' | 'meeting' | 'visit' | 'wechat' | 'sms' | 'social' | 'note'

export const LEAD_STATUSES: LeadStatus[] = ['new', 'contacted', 'qualified', 'invalid']
export const LIFECYCLES: Lifecycle[] = ['prospect', 'customer', 'loyal', 'churned']
export const CREDIT_LEVELS: CreditLevel[] = ['A', 'B', 'C', 'D']
export const ACTIVITY_TYPES: ActivityType[] = ['call', 'email', 'meeting', 'visit', 'wechat', 'sms', 'social', 'note']
/** Default lead channels from the method; free text is allowed too. */
export const SOURCE_CHANNELS = ['展会', '微信', '微博', 'LinkedIn', '官网', '广告', '合作伙伴', '转介绍', '内部推荐', '其他'] as const
export const COMPANY_SIZES = ['1-49', '50-199', '200-499', '500-999', '1000+'] as const

export interface User {
  id: number
  name: string
  role: Role
  team: string | null
  email: string | null
  mobile: string | null
  skills: string[]
  isActive: boolean
  isImported: boolean
  hasPassword: boolean
}

export interface Account {
  id: number
  name: string
  industry: string | null
  province: string | null
  city: string | null
  address: string | null
  size: string | null
  annualRevenueFen: number | null
  source: string | null
  tags: string[]
  creditLevel: CreditLevel | null
  ownerId: number | null
  ownerName: string | null
  lifecycle: Lifecycle
  website: string | null
  notes: string | null
  createdAt: string
  updatedAt: string
}

export interface Contact {
  id: number
  accountId: number
  accountName: string | null
  /** The account's owner: contacts have none of their own. */
  ownerId: number | null
  ownerName: string | null
  name: string
  title: string | null
  mobile: string | null
  phone: string | null
  email: string | null
  wechat: string | null
  birthday: string | null
  isPrimary: boolean
  notes: string | null
  createdAt: string
  updatedAt: string
}

export interface Lead {
  id: number
  company: string | null
  contactName: string | null
  title: string | null
  mobile: string | null
  phone: string | null
  email: string | null
  wechat: string | null
  province: string | null
  city: string | null
  industry: string | null
  source: string | null
  status: LeadStatus
  ownerId: number | null
  ownerName: string | null
  score: number | null
  /** Scorecard grade of the latest combined score (评分表); null until scored. */
  grade: Grade | null
  scoredAt: string | null
  /** Learned conversion probability, integer percent; null without a usable model. */
  learnedProbability: number | null
  notes: string | null
  tags: string[]
  importBatchId: number | null
  convertedAccountId: number | null
  convertedOpportunityId: number | null
  createdAt: string
  updatedAt: string
}

/** Opportunity fields a stage can require on entry (Settings → 销售阶段). */
export const REQUIRABLE_FIELDS = ['lostReason', 'amountFen', 'expectedCloseDate', 'contactId'] as const
export type RequirableField = (typeof REQUIRABLE_FIELDS)[number]

export interface Stage {
  id: number
  pipeline: string
  key: string
  name: string
  sortOrder: number
  probability: number
  kind: StageKind
  staleDays: number | null
  requiredFields: RequirableField[]
}

export interface Opportunity {
  id: number
  title: string
  accountId: number
  accountName: string | null
  contactId: number | null
  contactName: string | null
  amountFen: number
  expectedCloseDate: string | null
  stageId: number
  stageName: string | null
  /** Pipeline (销售流程) of the deal's stage: key and name (set by opportunities get/list). */
  pipeline?: string
  pipelineName?: string | null
  probability: number
  probabilityManual: boolean
  /** Learned win probability (integer percent), beside the stage/hand-set one; null without a usable model. */
  learnedProbability: number | null
  /** Latest combined scorecard score (0–100) and its grade; null until scored. */
  score: number | null
  grade: Grade | null
  /** Highest level among open risks. */
  riskLevel: RiskLevel | null
  /** Value indicators (价值指标). */
  marginPercent: number | null
  expectedCycleDays: number | null
  competitionLevel: CompetitionLevel | null
  ownerId: number | null
  ownerName: string | null
  source: string | null
  status: OpportunityStatus
  lostReason: string | null
  closedAt: string | null
  stageChangedAt: string
  lastActivityAt: string | null
  version: number
  notes: string | null
  createdAt: string
  updatedAt: string
}

export interface Activity {
  id: number
  type: ActivityType
  subject: string
  notes: string | null
  dueAt: string | null
  doneAt: string | null
  outcome: string | null
  ownerId: number | null
  ownerName: string | null
  leadId: number | null
  leadName: string | null
  accountId: number | null
  accountName: string | null
  contactId: number | null
  opportunityId: number | null
  opportunityTitle: string | null
  createdAt: string
}

/** One line of a record's timeline: an activity, a stage change or an edit. */
export type TimelineItem =
  | { kind: 'activity'; at: string; activity: Activity }
  | { kind: 'stage'; at: string; opportunityId: number; opportunityTitle: string; fromStage: string | null; toStage: string; userName: string | null }
  | { kind: 'audit'; at: string; action: 'create' | 'update' | 'delete'; entity: string; changes: Record<string, unknown>; userName: string | null }
