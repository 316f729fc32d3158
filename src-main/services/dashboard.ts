import { sql } from 'kysely'
import { z } from 'zod'
import type { Db } from '../db/database'
import { businessDate } from '../shared/dates'
import type { Ctx } from './context'
import { id } from './fields'

export const dashboardInput = z.object({ ownerId: id.optional() })

export interface StageSummary {
  stageId: number
  name: string
  kind: 'open' | 'won' | 'lost'
  probability: number
  count: number
  amountFen: number
  weightedFen: number
}

export interface DashboardSummary {
  openCount: number
  openAmountFen: number
  weightedFen: number
  wonThisMonthFen: number
  wonThisMonthCount: number
  newLeads: number
  overdueTasks: number
  todayTasks: number
  stages: StageSummary[]
}

/** Headline numbers for 工作台 and the funnel, for one owner or the whole team. */
export async function getDashboard(db: Db, ctx: Ctx, input: z.output<typeof dashboardInput>): Promise<DashboardSummary> {
  const now = ctx.now()
  const monthStart = `${businessDate(now).slice(0, 7)}-01`
  const ownerFilter = input.ownerId

  const stagesQ = db
    .selectFrom('pipeline_stages as s')
    .leftJoin('opportunities as o', (join) => {
      const j = join.onRef('o.stage_id', '=', 's.id')
      return ownerFilter === undefined ? j : j.on('o.owner_id', '=', ownerFilter)
    })
    .select([
      's.id as stageId',
      's.name',
      's.kind',
      's.probability',
      (eb) => eb.fn.count<number>('o.id').as('count'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('o.amount_fen'), sql<number>`0`).as('amountFen'),
      // Integer arithmetic: the sum of fen × percent, divided once at the end.
      (eb) => eb.fn.coalesce(eb.fn.sum<number>(sql`o.amount_fen * o.probability`), sql<number>`0`).as('weightedRaw'),
    ])
    .where('s.pipeline', '=', 'default')
    .groupBy(['s.id', 's.name', 's.kind', 's.probability', 's.sort_order'])
    .orderBy('s.sort_order')
  const stageRows = await stagesQ.execute()
  const stages: StageSummary[] = stageRows.map((r) => ({
    stageId: r.stageId,
    name: r.name,
    kind: r.kind,
    probability: r.probability,
    count: Number(r.count),
    amountFen: Number(r.amountFen),
    weightedFen: Math.round(Number(r.weightedRaw) / 100),
  }))
  const open = stages.filter((s) => s.kind === 'open')

  const won = await db
    .selectFrom('opportunities')
    .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), sql<number>`0`).as('fen')])
    .where('status', '=', 'won')
    .where('closed_at', '>=', new Date(`${monthStart}T00:00:00+08:00`).toISOString())
    .$if(ownerFilter !== undefined, (q) => q.where('owner_id', '=', ownerFilter!))
    .executeTakeFirstOrThrow()

  const newLeads = await db
    .selectFrom('leads')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'new')
    .$if(ownerFilter !== undefined, (q) => q.where('owner_id', '=', ownerFilter!))
    .executeTakeFirstOrThrow()

  const endOfToday = new Date(`${businessDate(now)}T23:59:59.999+08:00`).toISOString()
  const tasks = await db
    .selectFrom('activities')
    .select([
      (eb) => eb.fn.sum<number>(eb.case().when('due_at', '<', now.toISOString()).then(1).else(0).end()).as('overdue'),
      (eb) => eb.fn.sum<number>(eb.case().when('due_at', '>=', now.toISOString()).then(1).else(0).end()).as('today'),
    ])
    .where('done_at', 'is', null)
    .where('due_at', '<=', endOfToday)
    .$if(ownerFilter !== undefined, (q) => q.where('owner_id', '=', ownerFilter!))
    .executeTakeFirstOrThrow()

  return {
    openCount: open.reduce((n, s) => n + s.count, 0),
    openAmountFen: open.reduce((n, s) => n + s.amountFen, 0),
    weightedFen: open.reduce((n, s) => n + s.weightedFen, 0),
    wonThisMonthFen: Number(won.fen),
    wonThisMonthCount: Number(won.n),
    newLeads: Number(newLeads.n),
    overdueTasks: Number(tasks.overdue ?? 0),
    todayTasks: Number(tasks.today ?? 0),
    stages,
  }
}
