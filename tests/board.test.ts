import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ReminderScheduler } from '../src-main/api/reminders'
import type { Stage } from '../src-main/shared/domain'
import { createTestCore, type TestCore } from './helpers/core'

// A controllable clock: tests move time forward by hand.
let now = new Date('2026-11-30T02:00:00.000Z') // Monday 10:00 in Shanghai
const clock = () => now
let t: TestCore
let stages: Record<string, Stage>

beforeEach(async () => {
  now = new Date('2026-11-30T02:00:00.000Z')
  t = await createTestCore({ clock })
  stages = Object.fromEntries((await t.ok('stages:list', {})).map((s) => [s.key, s]))
})
afterEach(async () => t.cleanup())

const HOUR = 3_600_000
const DAY = 24 * HOUR
const at = (ms: number) => new Date(Date.parse('2026-11-30T02:00:00.000Z') + ms).toISOString()

async function deal(title: string, extra: Record<string, unknown> = {}) {
  const a = await t.ok('accounts:create', { name: `${title}客户`, tags: ['重点'], industry: '制造业' })
  return t.ok('opportunities:create', { title, accountId: a.id, ...extra } as never)
}

describe('board', () => {
  it('heads each column with count, amount and weighted amount, and pages its cards', async () => {
    for (let i = 0; i < 5; i++) await deal(`潜在${i}`, { amountFen: 100_000 * (i + 1), expectedCloseDate: `2026-12-0${i + 1}` })
    const hot = await deal('谈判A', { amountFen: 1_000_000, stageId: stages.negotiation.id })
    await deal('谈判B', { amountFen: 333, stageId: stages.negotiation.id, probability: 55 })
    const board = await t.ok('board:get', { perColumn: 2 })
    const col = Object.fromEntries(board.columns.map((c) => [c.stage.key, c]))
    expect(board.columns.map((c) => c.stage.name)).toEqual(['潜在商机', '意向商机', '谈判商机', '成交', '输单'])
    // 潜在: 1+2+3+4+5 = 15 × ¥1,000 = 1,500,000 fen; weighted at 10% = 150,000.
    expect(col.potential).toMatchObject({ count: 5, amountFen: 1_500_000, weightedFen: 150_000, hasMore: true })
    expect(col.potential.cards.map((c) => c.title)).toEqual(['潜在0', '潜在1'])
    // 谈判: 1,000,000 × 60% + 333 × 55% = 600,000 + 183.15 → 600,183 fen.
    expect(col.negotiation).toMatchObject({ count: 2, amountFen: 1_000_333, weightedFen: 600_183 })
    expect(col.intent).toMatchObject({ count: 0, amountFen: 0, cards: [] })

    const more = await t.ok('board:column', { stageId: stages.potential.id, offset: 2, limit: 2 })
    expect(more.cards.map((c) => c.title)).toEqual(['潜在2', '潜在3'])
    const last = await t.ok('board:column', { stageId: stages.potential.id, offset: 4, limit: 2 })
    expect(last).toMatchObject({ hasMore: false })
    expect(last.cards.map((c) => c.title)).toEqual(['潜在4'])

    // Filters narrow headers and cards alike.
    const filtered = await t.ok('board:get', { amountMinFen: 500_000 })
    const f = Object.fromEntries(filtered.columns.map((c) => [c.stage.key, c]))
    expect(f.potential.count).toBe(1)
    expect(f.negotiation.cards.map((c) => c.id)).toEqual([hot.id])
    expect((await t.ok('board:get', { tag: '不存在' })).columns.every((c) => c.count === 0)).toBe(true)
  })

  it('orders cards by expected close date, undated deals last, across load-more pages', async () => {
    await deal('无日期1')
    await deal('日期3', { expectedCloseDate: '2026-12-20' })
    await deal('日期1', { expectedCloseDate: '2026-12-01' })
    await deal('无日期2')
    await deal('日期2', { expectedCloseDate: '2026-12-10' })
    const titles: string[] = []
    for (let offset = 0; offset < 6; offset += 2) {
      const page = await t.ok('board:column', { stageId: stages.potential.id, offset, limit: 2 })
      titles.push(...page.cards.map((c) => c.title))
      expect(page.hasMore).toBe(offset + 2 < 5)
    }
    expect(titles).toEqual(['日期1', '日期2', '日期3', '无日期1', '无日期2'])
  })

  it('won and lost columns show recently closed deals only', async () => {
    const d = await deal('旧单', { amountFen: 5000 })
    await t.ok('opportunities:move', { id: d.id, stageId: stages.won.id, version: d.version })
    now = new Date(now.getTime() + 45 * DAY)
    const col = (await t.ok('board:get', {})).columns.find((c) => c.stage.key === 'won')!
    expect(col.count).toBe(0)
    expect((await t.ok('board:get', { closedDays: 60 })).columns.find((c) => c.stage.key === 'won')!.count).toBe(1)
  })

  it('marks stale deals (no touch for the stage’s N days), reset by any activity; shows next task and overdue', async () => {
    const d = await deal('久未跟进') // 潜在商机: stale after 14 days
    now = new Date(now.getTime() + 13 * DAY)
    let card = (await t.ok('board:get', {})).columns[0].cards[0]
    expect(card).toMatchObject({ stale: false, daysInStage: 13, nextActivity: null, overdue: false })
    now = new Date(now.getTime() + 2 * DAY)
    card = (await t.ok('board:get', {})).columns[0].cards[0]
    expect(card.stale).toBe(true)
    expect((await t.ok('myday:get', {})).stale.map((c) => c.id)).toEqual([d.id])

    await t.ok('activities:create', { type: 'call', subject: '电话回访', opportunityId: d.id })
    const task = await t.ok('activities:create', { type: 'visit', subject: '上门拜访', opportunityId: d.id, dueAt: new Date(now.getTime() + DAY).toISOString() })
    card = (await t.ok('board:get', {})).columns[0].cards[0]
    expect(card).toMatchObject({ stale: false, overdue: false, nextActivity: { id: task.id, subject: '上门拜访' } })
    expect((await t.ok('myday:get', {})).stale).toEqual([])
    now = new Date(now.getTime() + 2 * DAY)
    expect((await t.ok('board:get', {})).columns[0].cards[0].overdue).toBe(true)
  })
})

describe('stage settings and moves', () => {
  it('asks for the fields a stage requires, configured in settings; a hand-set probability survives the move', async () => {
    await t.ok('stages:update', { id: stages.negotiation.id, requiredFields: ['contactId', 'expectedCloseDate'], staleDays: 5, name: '商务谈判' })
    const d = await deal('需联系人', { probability: 35 })
    const r = await t.call('opportunities:move', { id: d.id, stageId: stages.negotiation.id, version: d.version })
    if (r.ok) throw new Error('expected failure')
    expect(r.error.code).toBe('STAGE_REQUIRES')
    expect(r.error.message).toBe('进入「商务谈判」需要填写：联系人、预计成交日期')
    const contact = await t.ok('contacts:create', { accountId: d.accountId, name: '王经理' })
    const moved = await t.ok('opportunities:move', { id: d.id, stageId: stages.negotiation.id, version: d.version, contactId: contact.id, expectedCloseDate: '2026-12-20' })
    expect(moved).toMatchObject({ stageName: '商务谈判', probability: 35, probabilityManual: true, contactId: contact.id, expectedCloseDate: '2026-12-20' })
    // Audit and stage history recorded.
    const audit = await t.database.db.selectFrom('audit_log').select('method').where('entity', '=', 'opportunity').where('entity_id', '=', d.id).execute()
    expect(audit.map((a) => a.method)).toContain('opportunities:move')

    // The second person, still on the old version, gets a conflict with the newer values.
    const stale = await t.call('opportunities:move', { id: d.id, stageId: stages.intent.id, version: d.version })
    if (stale.ok) throw new Error('expected conflict')
    expect(stale.error.code).toBe('CONFLICT')
    expect(stale.error.current).toMatchObject({ stageName: '商务谈判', version: moved.version })
  })

  it('manages pipelines and stages; a stage in use cannot be deleted; sales people cannot change settings', async () => {
    const p = await t.ok('pipelines:create', { name: '运维服务线' })
    expect(p.stageCount).toBe(5)
    const list = await t.ok('pipelines:list', {})
    expect(list.map((x) => x.name)).toEqual(['默认销售流程', '运维服务线'])
    const extra = await t.ok('stages:create', { pipeline: p.key, name: '方案评审', probability: 45, sortOrder: 25 })
    const names = (await t.ok('stages:list', { pipeline: p.key })).map((s) => s.name)
    expect(names).toEqual(['潜在商机', '意向商机', '方案评审', '谈判商机', '成交', '输单'])
    await t.ok('stages:delete', { id: extra.id })
    await deal('占用')
    const inUse = await t.call('stages:delete', { id: stages.potential.id })
    if (inUse.ok) throw new Error('expected failure')
    expect(inUse.error.code).toBe('IN_USE')
    const sales = await t.ok('users:create', { name: '销售小李', role: 'sales' })
    const denied = await t.call('stages:update', { id: stages.intent.id, probability: 99 }, { userId: sales.id, role: 'sales' })
    if (denied.ok) throw new Error('expected failure')
    expect(denied.error.code).toBe('FORBIDDEN')
  })
})

describe('follow-up plans', () => {
  it('the default plan creates the three tasks of the method, owned by the deal owner, with the right dates', async () => {
    const rep = await t.ok('users:create', { name: '张伟', role: 'sales' })
    const d = await deal('新商机', { ownerId: rep.id })
    const plan = await t.ok('plans:apply', { opportunityId: d.id })
    expect(plan.name).toBe('标准跟进计划')
    expect(plan.tasks.map((x) => [x.subject, x.dueAt])).toEqual([
      ['首次电话沟通：了解需求', at(1 * DAY)],
      ['发送产品资料和方案', at(5 * DAY)],
      ['第二次电话跟进：确认反馈', at(10 * DAY)],
    ])
    const tasks = await t.ok('activities:list', { opportunityId: d.id, state: 'planned' })
    expect(tasks.rows.every((x) => x.ownerId === rep.id)).toBe(true)

    // First call done; then the plan moves two days later: only the open tasks move.
    await t.ok('activities:complete', { id: plan.tasks[0].id })
    const moved = await t.ok('plans:reschedule', { id: plan.id, startsAt: at(2 * DAY) })
    expect(moved.tasks.map((x) => x.dueAt)).toEqual([at(1 * DAY), at(7 * DAY), at(12 * DAY)])
    expect(moved.tasks[0].doneAt).toBe(now.toISOString())

    const cancelled = await t.ok('plans:cancel', { id: plan.id })
    expect(cancelled.status).toBe('cancelled')
    expect(cancelled.tasks.map((x) => x.subject)).toEqual(['首次电话沟通：了解需求'])
    const again = await t.call('plans:cancel', { id: plan.id })
    expect(again.ok).toBe(false)
  })

  it('custom templates; a plan on a lead; bad targets refused', async () => {
    const tpl = await t.ok('plans:saveTemplate', {
      name: '展会线索跟进',
      steps: [
        { dueHours: 72, type: 'wechat', subject: '微信发送展会资料' },
        { dueHours: 4, type: 'call', subject: '展会当天电话' },
      ],
    })
    expect(tpl.steps.map((s) => s.subject)).toEqual(['展会当天电话', '微信发送展会资料'])
    const lead = await t.ok('leads:create', { company: '展会客户', source: '展会' })
    const plan = await t.ok('plans:apply', { leadId: lead.id, templateId: tpl.id })
    expect(plan.tasks.map((x) => x.dueAt)).toEqual([at(4 * HOUR), at(72 * HOUR)])
    expect((await t.ok('plans:list', { leadId: lead.id })).map((p) => p.id)).toEqual([plan.id])

    const both = await t.call('plans:apply', { leadId: lead.id, opportunityId: 1 })
    if (both.ok) throw new Error('expected failure')
    expect(both.error.fields?.[0].message).toBe('跟进计划需要关联一个商机或一条线索（只能选一个）')
    const d = await deal('已成交')
    await t.ok('opportunities:move', { id: d.id, stageId: stages.won.id, version: 1, amountFen: 100 })
    const closed = await t.call('plans:apply', { opportunityId: d.id })
    if (closed.ok) throw new Error('expected failure')
    expect(closed.error.message).toContain('已关闭')
  })
})

describe('reminders, feedback and my day', () => {
  it('a task falling due is announced once by the scheduler; rescheduling re-arms it', async () => {
    const rep = await t.ok('users:create', { name: '李娜', role: 'sales' })
    const d = await deal('提醒测试', { ownerId: rep.id })
    const plan = await t.ok('plans:apply', { opportunityId: d.id })
    const sent: number[] = []
    t.bus.on('reminder', (r) => sent.push(r.activityId))
    const scheduler = new ReminderScheduler(t.database.db, t.bus, clock)
    expect(await scheduler.tick()).toEqual([])
    now = new Date(now.getTime() + DAY + 60_000)
    const first = await scheduler.tick()
    expect(first).toMatchObject([{ activityId: plan.tasks[0].id, subject: '首次电话沟通：了解需求', ownerId: rep.id, accountName: '提醒测试客户' }])
    expect(await scheduler.tick()).toEqual([])
    await t.ok('plans:reschedule', { id: plan.id, startsAt: now.toISOString() })
    now = new Date(now.getTime() + DAY + 60_000)
    expect((await scheduler.tick()).map((r) => r.activityId)).toEqual([plan.tasks[0].id])
    expect(sent).toEqual([plan.tasks[0].id, plan.tasks[0].id])
  })

  it('feedback is routed and open items show on the deal', async () => {
    const d = await deal('反馈测试')
    const fb = await t.ok('feedback:create', { type: 'price', department: '销售管理', content: '客户认为报价偏高 15%', opportunityId: d.id })
    expect(fb).toMatchObject({ status: 'open', accountId: d.accountId })
    await t.ok('feedback:create', { type: 'product', department: '研发', content: '需要支持 OPC UA', opportunityId: d.id })
    expect((await t.ok('feedback:list', { opportunityId: d.id, openOnly: true })).length).toBe(2)
    const done = await t.ok('feedback:update', { id: fb.id, status: 'resolved', response: '申请了 8% 折扣' })
    expect(done.resolvedAt).toBe(now.toISOString())
    expect((await t.ok('feedback:list', { opportunityId: d.id, openOnly: true })).map((f) => f.department)).toEqual(['研发'])
    const bad = await t.call('feedback:create', { type: 'complaint', content: 'x', opportunityId: d.id } as never)
    expect(bad.ok).toBe(false)
  })

  it('my day lists overdue and today’s tasks and new leads for the caller', async () => {
    const d = await deal('今日')
    await t.ok('activities:create', { type: 'call', subject: '昨天该打的电话', opportunityId: d.id, dueAt: at(-DAY) })
    await t.ok('activities:create', { type: 'email', subject: '今天下午发邮件', opportunityId: d.id, dueAt: at(4 * HOUR) })
    await t.ok('activities:create', { type: 'visit', subject: '下周拜访', opportunityId: d.id, dueAt: at(7 * DAY) })
    await t.ok('leads:create', { company: '新线索公司', ownerId: t.admin.userId })
    const day = await t.ok('myday:get', {})
    expect(day.overdue.map((a) => a.subject)).toEqual(['昨天该打的电话'])
    expect(day.today.map((a) => a.subject)).toEqual(['今天下午发邮件'])
    expect(day.newLeads.map((l) => l.company)).toEqual(['新线索公司'])
  })
})
