// Types and pure constants shared with the main process (type-only / side-effect free).
export type {
  Account,
  Activity,
  ActivityType,
  Contact,
  CreditLevel,
  Lead,
  LeadStatus,
  Lifecycle,
  Opportunity,
  OpportunityStatus,
  Role,
  Stage,
  StageKind,
  TimelineItem,
  User,
} from '../../src-main/shared/domain'
import type { ApiOutput } from '../../src-main/shared/api'
export type { ApiInput, ApiOutput, JobEvent, MethodName } from '../../src-main/shared/api'
export type { ApiErrorData } from '../../src-main/shared/errors'

export { ACTIVITY_TYPES, COMPANY_SIZES, CREDIT_LEVELS, LEAD_STATUSES, LIFECYCLES, SOURCE_CHANNELS } from '../../src-main/shared/domain'

/** A page of a list method's result. */
export interface Page<T> {
  rows: T[]
  total: number
  page: number
  pageSize: number
}

export type AppInfo = ApiOutput<'app:info'>
export type Settings = ApiOutput<'settings:get'>
export type DashboardSummary = ApiOutput<'dashboard:summary'>
export type StageSummary = DashboardSummary['stages'][number]
