// reports:drill — the records behind a bar, slice or cell. It takes the `Drill`
// the report attached to the figure and lists with the same predicates the
// report aggregated with (where.ts), so the list always matches the number.
import { z } from 'zod'
import type { Db } from '../db/database'
import { toAccount } from '../services/accounts'
import { toActivity } from '../services/activities'
import type { Ctx } from '../services/context'
import { id, isoDate } from '../services/fields'
import { toLead } from '../services/leads'
import { toOpportunity } from '../services/opportunities'
import { fetchPage } from '../services/paging'
import type { Account, Activity, Lead, Opportunity } from '../shared/domain'
import type { Drill, ForecastCategory } from '../shared/reports/types'
import { resolveScope } from './period'
import { accountWhere, activityWhere, leadWhere, oppWhere } from './where'

const key = z.string().trim().min(1).max(100)
const nullableKey = key.nullable()
const count = z.number().int().min(0)

export const opportunityDrillSchema = z
  .object({
    status: z.enum(['open', 'won', 'lost']).optional(),
    stageId: id.optional(),
    reachedStageId: id.optional(),
    furthestStageId: id.optional(),
    enteredStageId: id.optional(),
    lostFromStageId: id.nullable().optional(),
    ownerId: id.nullable().optional(),
    team: key.optional(),
    source: nullableKey.optional(),
    industry: nullableKey.optional(),
    province: nullableKey.optional(),
    size: nullableKey.optional(),
    tag: key.optional(),
    pipeline: key.optional(),
    createdFrom: isoDate.optional(),
    createdTo: isoDate.optional(),
    closedFrom: isoDate.optional(),
    closedTo: isoDate.optional(),
    closeFrom: isoDate.optional(),
    closeTo: isoDate.optional(),
    closeBefore: isoDate.optional(),
    lostReason: nullableKey.optional(),
    competitor: key.optional(),
    competitorResult: z.enum(['won', 'lost', 'open']).optional(),
    forecastCategory: z.enum(['pipeline', 'best_case', 'commit'] satisfies ForecastCategory[]).optional(),
    activitiesMin: count.optional(),
    activitiesMax: count.optional(),
    cycleDaysMin: z.number().min(0).optional(),
    cycleDaysMax: z.number().min(0).optional(),
    responseHoursMin: z.number().min(0).optional(),
    responseHoursMax: z.number().min(0).optional(),
    noResponse: z.boolean().optional(),
  })
  .strict()

const leadDrillSchema = z
  .object({
    source: nullableKey.optional(),
    ownerId: id.nullable().optional(),
    team: key.optional(),
    industry: nullableKey.optional(),
    province: nullableKey.optional(),
    createdFrom: isoDate.optional(),
    createdTo: isoDate.optional(),
    converted: z.boolean().optional(),
  })
  .strict()

const activityDrillSchema = z
  .object({
    type: z.enum(['call', 'email', 'meeting', 'visit', 'wechat', 'sms', 'social', 'note']).optional(),
    ownerId: id.nullable().optional(),
    team: key.optional(),
    doneFrom: isoDate.optional(),
    doneTo: isoDate.optional(),
    source: key.optional(),
    industry: key.optional(),
    province: key.optional(),
    size: key.optional(),
    tag: key.optional(),
  })
  .strict()

const accountDrillSchema = z
  .object({
    province: nullableKey.optional(),
    industry: nullableKey.optional(),
    size: nullableKey.optional(),
    tag: key.optional(),
    ownerId: id.nullable().optional(),
    team: key.optional(),
    source: nullableKey.optional(),
    customers: z.boolean().optional(),
  })
  .strict()

export const drillSchema = z.discriminatedUnion('list', [
  z.object({ list: z.literal('opportunities'), filter: opportunityDrillSchema }).strict(),
  z.object({ list: z.literal('leads'), filter: leadDrillSchema }).strict(),
  z.object({ list: z.literal('activities'), filter: activityDrillSchema }).strict(),
  z.object({ list: z.literal('accounts'), filter: accountDrillSchema }).strict(),
])

export const drillInput = z
  .object({
    drill: drillSchema,
    page: z.number().int().min(1).default(1),
    pageSize: z.number().int().min(1).max(500).default(20),
  })
  .strict()

export type DrillPage =
  | { list: 'opportunities'; rows: Array<Opportunity & { forecastCategory: ForecastCategory }>; total: number; page: number; pageSize: number }
  | { list: 'leads'; rows: Lead[]; total: number; page: number; pageSize: number }
  | { list: 'activities'; rows: Activity[]; total: number; page: number; pageSize: number }
  | { list: 'accounts'; rows: Account[]; total: number; page: number; pageSize: number }

/** A sales person drilling sees only their own records, as in the reports. */
async function scoped(db: Db, ctx: Ctx, drill: Drill): Promise<Drill> {
  const scope = await resolveScope(db, ctx, {})
  if (scope.scope !== 'own') return drill
  return { ...drill, filter: { ...drill.filter, ownerId: scope.filters.ownerId } } as Drill
}

export async function drillRecords(db: Db, ctx: Ctx, input: z.output<typeof drillInput>): Promise<DrillPage> {
  const drill = await scoped(db, ctx, input.drill as Drill)
  const { page, pageSize } = input
  switch (drill.list) {
    case 'opportunities': {
      const f = drill.filter
      const q = db
        .selectFrom('opportunities as o')
        .innerJoin('accounts as acc', 'acc.id', 'o.account_id')
        .innerJoin('pipeline_stages as st', 'st.id', 'o.stage_id')
        .leftJoin('contacts as ct', 'ct.id', 'o.contact_id')
        .leftJoin('users as ow', 'ow.id', 'o.owner_id')
        .selectAll('o')
        .select(['acc.name as account_name', 'ct.name as contact_name', 'st.name as stage_name', 'ow.name as owner_name'])
        .where((eb) => oppWhere(eb, f))
        .orderBy('o.amount_fen', 'desc')
        .orderBy('o.id', 'desc')
      const c = db.selectFrom('opportunities as o').where((eb) => oppWhere(eb, f))
      const p = await fetchPage(q, c, page, pageSize)
      return { list: 'opportunities', ...p, rows: p.rows.map((r) => ({ ...toOpportunity(r), forecastCategory: r.forecast_category })) }
    }
    case 'leads': {
      const f = drill.filter
      const q = db
        .selectFrom('leads as l')
        .leftJoin('users as ow', 'ow.id', 'l.owner_id')
        .selectAll('l')
        .select('ow.name as owner_name')
        .where((eb) => leadWhere(eb, f))
        .orderBy('l.created_at', 'desc')
        .orderBy('l.id', 'desc')
      const p = await fetchPage(q, db.selectFrom('leads as l').where((eb) => leadWhere(eb, f)), page, pageSize)
      return { list: 'leads', ...p, rows: p.rows.map(toLead) }
    }
    case 'activities': {
      const f = drill.filter
      const q = db
        .selectFrom('activities as x')
        .leftJoin('users as ow', 'ow.id', 'x.owner_id')
        .leftJoin('accounts as acc', 'acc.id', 'x.account_id')
        .leftJoin('opportunities as op', 'op.id', 'x.opportunity_id')
        .selectAll('x')
        .select(['ow.name as owner_name', 'acc.name as account_name', 'op.title as opportunity_title'])
        .where((eb) => activityWhere(eb, f))
        .orderBy('x.done_at', 'desc')
        .orderBy('x.id', 'desc')
      const p = await fetchPage(q, db.selectFrom('activities as x').where((eb) => activityWhere(eb, f)), page, pageSize)
      return { list: 'activities', ...p, rows: p.rows.map(toActivity) }
    }
    case 'accounts': {
      const f = drill.filter
      const q = db
        .selectFrom('accounts as a')
        .leftJoin('users as ow', 'ow.id', 'a.owner_id')
        .selectAll('a')
        .select('ow.name as owner_name')
        .where((eb) => accountWhere(eb, f))
        .orderBy('a.name')
        .orderBy('a.id')
      const p = await fetchPage(q, db.selectFrom('accounts as a').where((eb) => accountWhere(eb, f)), page, pageSize)
      return { list: 'accounts', ...p, rows: p.rows.map(toAccount) }
    }
  }
}
