// Board saved views on the server (views:* with entity 'board'), pipelines
// (rename, delete when empty, the deal's pipeline), follow-up template delete,
// team mode of 工作台 and the extra board card fields.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Stage } from '../src-main/shared/domain'
import { createTestCore, type TestCore } from './helpers/core'

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

const fail = async (p: Promise<{ ok: boolean }>) => {
  const r = (await p) as { ok: false; error: { code: string; message: string; fields?: Array<{ path: string }> } } | { ok: true }
  if (r.ok) throw new Error('expected failure')
  return r.error
}

describe('board saved views', () => {
  it('stores the board’s own filters (team, tag, month, amount range) and they open the same board', async () => {
    await deal('大单', { amountFen: 5_000_000, expectedCloseDate: '2026-12-15' })
    await deal('小单', { amountFen: 100_000, expectedCloseDate: '2026-12-20' })
    const filters = { tag: '重点', closeMonth: '2026-12', amountMinFen: 1_000_000, grade: undefined }
    const view = await t.ok('views:save', { entity: 'board', name: '十二月大单', filters })
    expect(view).toMatchObject({ entity: 'board', name: '十二月大单', shared: false, mine: true })
    expect(view.filters).toEqual({ tag: '重点', closeMonth: '2026-12', amountMinFen: 1_000_000 })
    const [listed] = await t.ok('views:list', { entity: 'board' })
    expect(listed.id).toBe(view.id)
    // The stored filters are valid board:get input as they are.
    const board = await t.ok('board:get', listed.filters as never)
    expect(board.columns.flatMap((c) => c.cards.map((x) => x.title))).toEqual(['大单'])
    // Board views and list views do not mix.
    expect(await t.ok('views:list', { entity: 'opportunities' })).toEqual([])
  })

  it('refuses filters the board does not understand and drops unknown keys', async () => {
    const bad = await fail(t.call('views:save', { entity: 'board', name: '坏视图', filters: { closeMonth: '2026-13-01' } }))
    expect(bad.code).toBe('VALIDATION')
    const neg = await fail(t.call('views:save', { entity: 'board', name: '负数', filters: { amountMinFen: -5 } }))
    expect(neg.code).toBe('VALIDATION')
    const grade = await fail(t.call('views:save', { entity: 'board', name: '等级', filters: { grade: 'E' } }))
    expect(grade.code).toBe('VALIDATION')
    const v = await t.ok('views:save', { entity: 'board', name: '多余字段', filters: { team: '华东', sort: 'x', perColumn: 99 } })
    expect(v.filters).toEqual({ team: '华东' })
  })

  it('private views are the owner’s; shared views are made by managers and seen by all', async () => {
    const rep = await t.ok('users:create', { name: '销售甲', role: 'sales' })
    const rep2 = await t.ok('users:create', { name: '销售乙', role: 'sales' })
    const boss = await t.ok('users:create', { name: '经理丙', role: 'manager' })
    const asRep = { userId: rep.id, role: 'sales' as const }
    const mine = await t.ok('views:save', { entity: 'board', name: '我的视图', filters: { ownerId: rep.id } }, asRep)
    const denied = await fail(t.call('views:save', { entity: 'board', name: '想共享', filters: {}, shared: true }, asRep))
    expect(denied.code).toBe('FORBIDDEN')
    const team = await t.ok('views:save', { entity: 'board', name: '华东团队', filters: { team: '华东' }, shared: true }, { userId: boss.id, role: 'manager' })
    expect((await t.ok('views:list', { entity: 'board' }, asRep)).map((v) => [v.name, v.mine, v.shared])).toEqual([
      ['华东团队', false, true],
      ['我的视图', true, false],
    ])
    expect((await t.ok('views:list', { entity: 'board' }, { userId: rep2.id, role: 'sales' })).map((v) => v.id)).toEqual([team.id])
    // Someone else cannot overwrite or delete it.
    expect((await fail(t.call('views:delete', { id: mine.id }, { userId: rep2.id, role: 'sales' }))).code).toBe('FORBIDDEN')
    expect((await fail(t.call('views:save', { id: team.id, entity: 'board', name: '改名', filters: {} }, asRep))).code).toBe('FORBIDDEN')
    await t.ok('views:delete', { id: mine.id }, asRep)
    expect((await t.ok('views:list', { entity: 'board' }, asRep)).map((v) => v.id)).toEqual([team.id])
  })
})

describe('pipelines', () => {
  it('are renamed, deleted only when empty, and a deal tells its pipeline', async () => {
    const p = await t.ok('pipelines:create', { name: '运维服务线' })
    const renamed = await t.ok('pipelines:update', { key: p.key, name: '运维与服务' })
    expect(renamed).toMatchObject({ key: p.key, name: '运维与服务', stageCount: 5 })
    expect((await t.ok('pipelines:list', {})).map((x) => x.name)).toEqual(['默认销售流程', '运维与服务'])

    const pStages = await t.ok('stages:list', { pipeline: p.key })
    const d = await deal('服务合同', { stageId: pStages[1].id })
    const got = await t.ok('opportunities:get', { id: d.id })
    expect(got).toMatchObject({ pipeline: p.key, pipelineName: '运维与服务', stageName: '意向商机' })
    const other = await deal('默认线')
    expect((await t.ok('opportunities:get', { id: other.id })).pipeline).toBe('default')
    const list = await t.ok('opportunities:list', { pipeline: p.key })
    expect(list.rows.map((r) => [r.title, r.pipelineName])).toEqual([['服务合同', '运维与服务']])
    expect((await t.ok('board:get', { pipeline: p.key })).columns.flatMap((c) => c.cards.map((x) => x.id))).toEqual([d.id])

    const inUse = await fail(t.call('pipelines:delete', { key: p.key }))
    expect(inUse.code).toBe('IN_USE')
    await t.ok('opportunities:delete', { id: d.id })
    await t.ok('pipelines:delete', { key: p.key })
    expect((await t.ok('pipelines:list', {})).map((x) => x.key)).toEqual(['default'])
    expect(await t.ok('stages:list', { pipeline: p.key })).toEqual([])

    expect((await fail(t.call('pipelines:delete', { key: 'default' }))).code).toBe('INVALID_STATE')
    expect((await fail(t.call('pipelines:update', { key: 'nope', name: '不存在' }))).code).toBe('NOT_FOUND')
    const rep = await t.ok('users:create', { name: '销售', role: 'sales' })
    expect((await fail(t.call('pipelines:update', { key: 'default', name: '改名' }, { userId: rep.id, role: 'sales' }))).code).toBe('FORBIDDEN')
  })
})

describe('follow-up template delete', () => {
  it('keeps the default template and the tasks of plans already applied', async () => {
    const tpl = await t.ok('plans:saveTemplate', { name: '展会跟进', steps: [{ dueHours: 4, type: 'call', subject: '展会当天电话' }, { dueHours: 48, type: 'wechat', subject: '微信资料' }] })
    const d = await deal('展会商机')
    const plan = await t.ok('plans:apply', { opportunityId: d.id, templateId: tpl.id })
    const listed = (await t.ok('plans:templates', {})).find((x) => x.id === tpl.id)!
    expect(listed).toMatchObject({ plans: 1, activePlans: 1 })

    const res = await t.ok('plans:deleteTemplate', { id: tpl.id })
    expect(res).toEqual({ id: tpl.id, plansKept: 1 })
    expect((await t.ok('plans:templates', {})).map((x) => x.name)).toEqual(['标准跟进计划'])
    // The plan and its tasks stay, and can still be rescheduled.
    const [kept] = await t.ok('plans:list', { opportunityId: d.id })
    expect(kept).toMatchObject({ id: plan.id, name: '展会跟进', status: 'active' })
    expect(kept.tasks.map((x) => x.subject)).toEqual(['展会当天电话', '微信资料'])
    const moved = await t.ok('plans:reschedule', { id: plan.id, startsAt: at(DAY) })
    expect(moved.tasks.map((x) => x.dueAt)).toEqual([at(DAY + 4 * HOUR), at(DAY + 48 * HOUR)])

    const def = (await t.ok('plans:templates', {}))[0]
    expect((await fail(t.call('plans:deleteTemplate', { id: def.id }))).code).toBe('INVALID_STATE')
    // Once another template is the default, the old default can go.
    const other = await t.ok('plans:saveTemplate', { name: '新默认', isDefault: true, steps: [{ dueHours: 2, type: 'call', subject: '电话' }] })
    await t.ok('plans:deleteTemplate', { id: def.id })
    expect((await t.ok('plans:templates', {})).map((x) => [x.id, x.isDefault])).toEqual([[other.id, true]])
    expect((await fail(t.call('plans:deleteTemplate', { id: 9999 }))).code).toBe('NOT_FOUND')
    const rep = await t.ok('users:create', { name: '销售', role: 'sales' })
    expect((await fail(t.call('plans:deleteTemplate', { id: other.id }, { userId: rep.id, role: 'sales' }))).code).toBe('FORBIDDEN')
  })
})

describe('my day team mode', () => {
  it('managers see their team’s tasks, stale deals and new leads, or one member’s; sales people cannot', async () => {
    const boss = await t.ok('users:create', { name: '王经理', role: 'manager', team: '华东' })
    const a = await t.ok('users:create', { name: '华东甲', role: 'sales', team: '华东' })
    const b = await t.ok('users:create', { name: '华东乙', role: 'sales', team: '华东' })
    const c = await t.ok('users:create', { name: '华北丙', role: 'sales', team: '华北' })
    for (const [u, name] of [[a, '甲'], [b, '乙'], [c, '丙']] as const) {
      const d = await deal(`${name}的商机`, { ownerId: u.id })
      await t.ok('activities:create', { type: 'call', subject: `${name}逾期电话`, opportunityId: d.id, dueAt: at(-DAY), ownerId: u.id })
      await t.ok('activities:create', { type: 'email', subject: `${name}今天邮件`, opportunityId: d.id, dueAt: at(3 * HOUR), ownerId: u.id })
      await t.ok('leads:create', { company: `${name}新线索`, ownerId: u.id })
    }
    const asBoss = { userId: boss.id, role: 'manager' as const }
    // Own day: the manager has nothing.
    const own = await t.ok('myday:get', {}, asBoss)
    expect([own.scope, own.overdue.length, own.today.length, own.newLeads.length, own.members]).toEqual(['mine', 0, 0, 0, []])

    const team = await t.ok('myday:get', { scope: 'team' }, asBoss)
    expect(team.members.map((m) => m.name).sort()).toEqual(['华东乙', '华东甲', '王经理'].sort())
    expect(team.overdue.map((x) => x.subject).sort()).toEqual(['乙逾期电话', '甲逾期电话'])
    expect(team.today.map((x) => x.subject).sort()).toEqual(['乙今天邮件', '甲今天邮件'])
    expect(team.newLeads.map((l) => l.company).sort()).toEqual(['乙新线索', '甲新线索'])

    // Fifteen days on, the potential-stage deals (stale after 14 days) go stale.
    now = new Date(now.getTime() + 15 * DAY)
    const later = await t.ok('myday:get', { scope: 'team' }, asBoss)
    expect(later.stale.map((x) => x.title).sort()).toEqual(['乙的商机', '甲的商机'])

    const one = await t.ok('myday:get', { scope: 'team', memberId: a.id }, asBoss)
    expect(one.overdue.map((x) => x.ownerName)).toEqual(['华东甲', '华东甲'])
    expect(one.stale.map((x) => x.title)).toEqual(['甲的商机'])
    // Another team's member is out of reach for this manager, not for an admin.
    expect((await fail(t.call('myday:get', { scope: 'team', memberId: c.id }, asBoss))).code).toBe('FORBIDDEN')
    const all = await t.ok('myday:get', { scope: 'team' })
    expect(all.newLeads.map((l) => l.company).sort()).toEqual(['丙新线索', '乙新线索', '甲新线索'])

    const asRep = { userId: a.id, role: 'sales' as const }
    expect((await fail(t.call('myday:get', { scope: 'team' }, asRep))).code).toBe('FORBIDDEN')
    expect((await fail(t.call('myday:get', { userId: b.id }, asRep))).code).toBe('FORBIDDEN')
    expect((await t.ok('myday:get', {}, asRep)).newLeads.map((l) => l.company)).toEqual(['甲新线索'])
  })
})

describe('board card', () => {
  it('carries contact, stage and whether the probability was set by hand', async () => {
    const acc = await t.ok('accounts:create', { name: '联系人客户' })
    const contact = await t.ok('contacts:create', { name: '赵工', accountId: acc.id })
    await t.ok('opportunities:create', { title: '手动概率', accountId: acc.id, contactId: contact.id, probability: 35 })
    await t.ok('opportunities:create', { title: '阶段概率', accountId: acc.id })
    const col = (await t.ok('board:get', {})).columns.find((c) => c.stage.key === 'potential')!
    const byTitle = Object.fromEntries(col.cards.map((c) => [c.title, c]))
    expect(byTitle['手动概率']).toMatchObject({ contactId: contact.id, stageId: stages.potential.id, probability: 35, probabilityManual: true })
    expect(byTitle['阶段概率']).toMatchObject({ contactId: null, stageId: stages.potential.id, probability: stages.potential.probability, probabilityManual: false })
  })
})
