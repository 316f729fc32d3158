import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestCore, type TestCore } from './helpers/core'

let t: TestCore
beforeEach(async () => {
  t = await createTestCore({ clock: () => new Date('2026-11-29T02:00:00.000Z') })
})
afterEach(async () => t.cleanup())

async function count(table: 'accounts' | 'contacts' | 'leads' | 'opportunities' | 'activities' | 'audit_log' | 'stage_history') {
  const r = await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(r.n)
}

describe('accounts and contacts', () => {
  it('create, read, update, search, delete — each write audited', async () => {
    const a = await t.ok('accounts:create', { name: '杭州云帆科技有限公司', industry: '制造业', province: '浙江', city: '杭州', tags: ['重点'], annualRevenueFen: '1,234,567.89' })
    expect(a).toMatchObject({ name: '杭州云帆科技有限公司', lifecycle: 'prospect', tags: ['重点'], annualRevenueFen: 123456789 })
    const updated = await t.ok('accounts:update', { id: a.id, city: '宁波', ownerId: t.admin.userId })
    expect(updated.city).toBe('宁波')
    expect(updated.ownerName).toBe('管理员')
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('entity', '=', 'account').orderBy('id').execute()
    expect(audit.map((e) => e.action)).toEqual(['create', 'update'])
    // Only what changed: fields absent from an update stay as they were (tags, lifecycle).
    expect(JSON.parse(audit[1].changes)).toEqual({ city: ['杭州', '宁波'], owner_id: [null, t.admin.userId] })
    expect(updated).toMatchObject({ tags: ['重点'], lifecycle: 'prospect', industry: '制造业' })
    expect(audit[1].method).toBe('accounts:update')

    // Full-width input finds half-width data (NFKC folding at write and query time).
    await t.ok('accounts:create', { name: 'ABC 电子 123 厂' })
    const found = await t.ok('accounts:list', { q: 'ａｂｃ　电子' })
    expect(found.rows.map((r) => r.name)).toEqual(['ABC 电子 123 厂'])
    // LIKE wildcards in the query are literal.
    expect((await t.ok('accounts:list', { q: '%' })).total).toBe(0)

    const c = await t.ok('contacts:create', { accountId: a.id, name: '李娜', mobile: '+86 138-0013-8000', email: 'Li.Na@Example.COM', birthday: '1988-05-20' })
    expect(c).toMatchObject({ mobile: '13800138000', email: 'li.na@example.com', accountName: '杭州云帆科技有限公司' })
    expect((await t.ok('contacts:list', { accountId: a.id })).rows).toHaveLength(1)

    await t.ok('accounts:delete', { id: a.id })
    expect(await count('contacts')).toBe(0)
    const gone = await t.call('accounts:get', { id: a.id })
    expect(gone.ok).toBe(false)
    if (!gone.ok) expect(gone.error.code).toBe('NOT_FOUND')
  })

  it('pages and filters lists', async () => {
    for (let i = 1; i <= 25; i++) await t.ok('accounts:create', { name: `客户${String(i).padStart(2, '0')}`, province: i % 2 ? '浙江' : '江苏' })
    const p1 = await t.ok('accounts:list', { page: 1, pageSize: 10, sort: 'name', order: 'asc' })
    expect(p1.total).toBe(25)
    expect(p1.rows.map((r) => r.name).slice(0, 2)).toEqual(['客户01', '客户02'])
    const p3 = await t.ok('accounts:list', { page: 3, pageSize: 10, sort: 'name', order: 'asc' })
    expect(p3.rows.map((r) => r.name)).toEqual(['客户21', '客户22', '客户23', '客户24', '客户25'])
    const zj = await t.ok('accounts:list', { province: '浙江', pageSize: 100 })
    expect(zj.total).toBe(13)
    expect((await t.ok('accounts:list', { pool: true })).total).toBe(25)
  })
})

describe('bad input is refused with a clear code and nothing is written', () => {
  it('wrong types and missing fields → VALIDATION with per-field messages in the caller’s language', async () => {
    const auditBefore = await count('audit_log')
    const r = await t.call('accounts:create', { name: 42 } as never)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('VALIDATION')
    expect(r.error.fields?.[0].path).toBe('name')
    expect(r.error.message).toMatch(/^输入有误/)

    const en = await t.call('accounts:create', {} as never, { locale: 'en' })
    if (en.ok) throw new Error('expected failure')
    expect(en.error.message).toMatch(/^Invalid input/)

    const mobile = await t.call('leads:create', { company: '某公司', mobile: '12345' })
    if (mobile.ok) throw new Error('expected failure')
    expect(mobile.error.fields).toEqual([{ path: 'mobile', message: '手机号应为 11 位中国大陆手机号' }])

    const noName = await t.call('leads:create', { mobile: '13800138000' })
    if (noName.ok) throw new Error('expected failure')
    expect(noName.error.fields?.[0].message).toBe('公司名称和联系人至少填写一项')

    const extra = await t.call('accounts:get', { id: 1, drop: 'table' } as never)
    expect(extra.ok).toBe(false)
    expect(await count('accounts')).toBe(0)
    expect(await count('audit_log')).toBe(auditBefore)
  })

  it('unknown ids → NOT_FOUND, unknown methods → UNKNOWN_METHOD, and no partial write', async () => {
    const a = await t.ok('accounts:create', { name: '甲公司' })
    const r = await t.call('opportunities:create', { title: '项目', accountId: a.id, ownerId: 999 })
    if (r.ok) throw new Error('expected failure')
    expect(r.error.code).toBe('NOT_FOUND')
    expect(r.error.message).toContain('用户')
    expect(await count('opportunities')).toBe(0)
    expect(await count('stage_history')).toBe(0)

    const m = await t.call('accounts:drop' as never, {} as never)
    if (m.ok) throw new Error('expected failure')
    expect(m.error.code).toBe('UNKNOWN_METHOD')

    const enMissing = await t.call('contacts:update', { id: 12345, name: 'x' }, { locale: 'en' })
    if (enMissing.ok) throw new Error('expected failure')
    expect(enMissing.error.message).toBe('The contact (id 12345) was not found; it may have been deleted.')
  })

  it('a customer with deals cannot be deleted; roles are enforced', async () => {
    const a = await t.ok('accounts:create', { name: '乙公司' })
    await t.ok('opportunities:create', { title: '二期', accountId: a.id })
    const r = await t.call('accounts:delete', { id: a.id })
    if (r.ok) throw new Error('expected failure')
    expect(r.error.code).toBe('IN_USE')
    expect(r.error.message).toBe('无法删除：该客户还有 1 个商机，请先删除或转移它们。')
    expect(await count('accounts')).toBe(1)

    const sales = await t.ok('users:create', { name: '张伟', role: 'sales' })
    const forbidden = await t.call('users:create', { name: '越权' }, { userId: sales.id, role: 'sales' })
    if (forbidden.ok) throw new Error('expected failure')
    expect(forbidden.error.code).toBe('FORBIDDEN')
    const dup = await t.call('users:create', { name: '张伟' })
    if (dup.ok) throw new Error('expected failure')
    expect(dup.error.code).toBe('DUPLICATE')
  })
})

describe('opportunities', () => {
  it('stage moves record history, set status, keep a hand-set probability, and need a lost reason', async () => {
    const stages = await t.ok('stages:list', {})
    const byKey = Object.fromEntries(stages.map((s) => [s.key, s]))
    const a = await t.ok('accounts:create', { name: '丙公司' })
    const o = await t.ok('opportunities:create', { title: 'MES 项目', accountId: a.id, amountFen: '120,000' })
    expect(o).toMatchObject({ stageName: '潜在商机', probability: 10, status: 'open', amountFen: 12_000_000, version: 1, ownerId: t.admin.userId })

    const moved = await t.ok('opportunities:move', { id: o.id, stageId: byKey.intent.id, version: 1 })
    expect(moved).toMatchObject({ stageName: '意向商机', probability: 30, version: 2 })

    const pinned = await t.ok('opportunities:update', { id: o.id, version: 2, probability: 45 })
    expect(pinned).toMatchObject({ probability: 45, probabilityManual: true })
    const moved2 = await t.ok('opportunities:move', { id: o.id, stageId: byKey.negotiation.id, version: 3 })
    expect(moved2.probability).toBe(45)

    const noReason = await t.call('opportunities:move', { id: o.id, stageId: byKey.lost.id, version: 4 })
    if (noReason.ok) throw new Error('expected failure')
    expect(noReason.error.code).toBe('STAGE_REQUIRES')
    expect(noReason.error.message).toBe('进入「输单」需要填写：输单原因')

    const won = await t.ok('opportunities:move', { id: o.id, stageId: byKey.won.id, version: 4, amountFen: 11_500_000 })
    expect(won).toMatchObject({ status: 'won', closedAt: '2026-11-29T02:00:00.000Z', amountFen: 11_500_000 })

    const history = await t.database.db.selectFrom('stage_history').select(['from_stage_id', 'to_stage_id']).where('opportunity_id', '=', o.id).orderBy('id').execute()
    expect(history).toEqual([
      { from_stage_id: null, to_stage_id: byKey.potential.id },
      { from_stage_id: byKey.potential.id, to_stage_id: byKey.intent.id },
      { from_stage_id: byKey.intent.id, to_stage_id: byKey.negotiation.id },
      { from_stage_id: byKey.negotiation.id, to_stage_id: byKey.won.id },
    ])
  })

  it('a save based on an old version gets CONFLICT with the newer values, not a silent overwrite', async () => {
    const a = await t.ok('accounts:create', { name: '丁公司' })
    const o = await t.ok('opportunities:create', { title: '原标题', accountId: a.id })
    await t.ok('opportunities:update', { id: o.id, version: 1, title: '甲改的标题' })
    const r = await t.call('opportunities:update', { id: o.id, version: 1, title: '乙改的标题' })
    if (r.ok) throw new Error('expected conflict')
    expect(r.error.code).toBe('CONFLICT')
    expect(r.error.current).toMatchObject({ title: '甲改的标题', version: 2 })
    expect((await t.ok('opportunities:get', { id: o.id })).title).toBe('甲改的标题')
  })

  it('money is integer fen: sums are exact where floats are not', async () => {
    const a = await t.ok('accounts:create', { name: '戊公司' })
    // 0.1 + 0.2 yuan, three times over: binary floats would drift.
    for (const amount of ['0.10', '0.20', '0.10', '0.20', '0.10', '0.20']) await t.ok('opportunities:create', { title: `单 ${amount}`, accountId: a.id, amountFen: amount })
    const d = await t.ok('dashboard:summary', {})
    expect(d.openAmountFen).toBe(90)
    expect(d.openCount).toBe(6)
    expect(d.stages.find((s) => s.name === '潜在商机')).toMatchObject({ count: 6, amountFen: 90, weightedFen: 9 })
  })
})

describe('activities and timeline', () => {
  it('logs and plans follow-ups, touches the deal, and shows everything on the timeline', async () => {
    const a = await t.ok('accounts:create', { name: '己公司' })
    const o = await t.ok('opportunities:create', { title: '设备联网', accountId: a.id })
    const done = await t.ok('activities:create', { type: 'call', subject: '首次电话沟通需求', opportunityId: o.id })
    expect(done).toMatchObject({ doneAt: '2026-11-29T02:00:00.000Z', accountId: a.id, accountName: '己公司' })
    expect((await t.ok('opportunities:get', { id: o.id })).lastActivityAt).toBe('2026-11-29T02:00:00.000Z')

    const planned = await t.ok('activities:create', { type: 'email', subject: '发送资料', opportunityId: o.id, dueAt: '2026-11-28T02:00:00.000Z' })
    expect(planned.doneAt).toBeNull()
    expect((await t.ok('activities:list', { state: 'overdue' })).rows.map((r) => r.id)).toEqual([planned.id])
    expect((await t.ok('dashboard:summary', {})).overdueTasks).toBe(1)
    await t.ok('activities:complete', { id: planned.id, outcome: '客户已收到' })
    expect((await t.ok('activities:list', { state: 'overdue' })).total).toBe(0)

    const noLink = await t.call('activities:create', { type: 'note', subject: '孤立记录' })
    expect(noLink.ok).toBe(false)

    const timeline = await t.ok('timeline:get', { entity: 'opportunity', id: o.id })
    const kinds = timeline.map((i) => i.kind)
    expect(kinds).toContain('activity')
    expect(kinds).toContain('stage')
    expect(kinds).toContain('audit')
    expect((await t.ok('timeline:get', { entity: 'account', id: a.id })).filter((i) => i.kind === 'activity')).toHaveLength(2)
  })

  it('emits data:changed after writes, not after reads', async () => {
    const seen: string[] = []
    t.bus.on('data:changed', (e) => seen.push(e.method))
    await t.ok('accounts:list', {})
    await t.ok('accounts:create', { name: '庚公司' })
    await t.call('accounts:create', {} as never)
    expect(seen).toEqual(['accounts:create'])
  })
})

describe('data stays consistent across related records', () => {
  it('searches treat % and _ literally, and a renamed customer’s deals are found by the new name', async () => {
    const a = await t.ok('accounts:create', { name: '100%纯棉 A_B 纺织', tags: ['50%_折扣'] })
    await t.ok('accounts:create', { name: '1000 纯棉 AxB 纺织' })
    expect((await t.ok('accounts:list', { q: '100%' })).rows.map((r) => r.name)).toEqual(['100%纯棉 A_B 纺织'])
    expect((await t.ok('accounts:list', { q: 'a_b' })).total).toBe(1)
    expect((await t.ok('accounts:list', { tag: '50%_折扣' })).total).toBe(1)
    expect((await t.ok('accounts:list', { tag: '50' })).total).toBe(0)

    await t.ok('opportunities:create', { title: '面料采购', accountId: a.id })
    await t.ok('accounts:update', { id: a.id, name: '新锦纺织集团' })
    expect((await t.ok('opportunities:list', { q: '新锦' })).total).toBe(1)
    expect((await t.ok('opportunities:list', { q: '纯棉' })).total).toBe(0)
  })

  it('keeps one primary contact per account and drops a contact that belongs to the old customer', async () => {
    const a = await t.ok('accounts:create', { name: '甲' })
    const b = await t.ok('accounts:create', { name: '乙' })
    const c1 = await t.ok('contacts:create', { accountId: a.id, name: '张一', isPrimary: true })
    const c2 = await t.ok('contacts:create', { accountId: a.id, name: '张二', isPrimary: true })
    const list = await t.ok('contacts:list', { accountId: a.id })
    expect(list.rows.filter((c) => c.isPrimary).map((c) => c.id)).toEqual([c2.id])
    await t.ok('contacts:update', { id: c1.id, isPrimary: true })
    expect((await t.ok('contacts:get', { id: c2.id })).isPrimary).toBe(false)

    const o = await t.ok('opportunities:create', { title: '项目', accountId: a.id, contactId: c1.id })
    const moved = await t.ok('opportunities:update', { id: o.id, version: 1, accountId: b.id })
    expect(moved).toMatchObject({ accountId: b.id, contactId: null })
    const wrong = await t.call('opportunities:update', { id: o.id, version: 2, contactId: c1.id })
    if (wrong.ok) throw new Error('expected failure')
    expect(wrong.error.code).toBe('INVALID_STATE')
  })

  it('closed deals show 100% / 0% even with a hand-set probability; an open deal keeps no lost reason', async () => {
    const stages = Object.fromEntries((await t.ok('stages:list', {})).map((s) => [s.key, s]))
    const a = await t.ok('accounts:create', { name: '丙' })
    const o = await t.ok('opportunities:create', { title: '项目', accountId: a.id, probability: 40, lostReason: '不该保存' })
    expect(o).toMatchObject({ probability: 40, probabilityManual: true, lostReason: null })
    // 成交 requires the final amount (stage entry requirement).
    const noAmount = await t.call('opportunities:move', { id: o.id, stageId: stages.won.id, version: 1 })
    if (noAmount.ok) throw new Error('expected failure')
    expect(noAmount.error.code).toBe('STAGE_REQUIRES')
    expect(noAmount.error.fields).toEqual([{ path: 'amountFen', message: '' }])
    const won = await t.ok('opportunities:move', { id: o.id, stageId: stages.won.id, version: 1, amountFen: '88,000' })
    expect(won).toMatchObject({ probability: 100, probabilityManual: false, amountFen: 8_800_000 })
    const reopened = await t.ok('opportunities:move', { id: o.id, stageId: stages.intent.id, version: 2 })
    expect(reopened).toMatchObject({ probability: 30, status: 'open', closedAt: null })
    const lost = await t.ok('opportunities:move', { id: o.id, stageId: stages.lost.id, version: 3, lostReason: '价格过高' })
    expect(lost).toMatchObject({ probability: 0, status: 'lost', lostReason: '价格过高' })
  })

  it('last activity follows the latest done activity when one is added, changed or deleted', async () => {
    const a = await t.ok('accounts:create', { name: '丁' })
    const o = await t.ok('opportunities:create', { title: '项目', accountId: a.id })
    const first = await t.ok('activities:create', { type: 'call', subject: '一', opportunityId: o.id, doneAt: '2026-11-01T02:00:00.000Z' })
    const second = await t.ok('activities:create', { type: 'visit', subject: '二', opportunityId: o.id, doneAt: '2026-11-20T02:00:00.000Z' })
    expect((await t.ok('opportunities:get', { id: o.id })).lastActivityAt).toBe('2026-11-20T02:00:00.000Z')
    await t.ok('activities:delete', { id: second.id })
    expect((await t.ok('opportunities:get', { id: o.id })).lastActivityAt).toBe('2026-11-01T02:00:00.000Z')
    await t.ok('activities:update', { id: first.id, opportunityId: null, accountId: a.id })
    expect((await t.ok('opportunities:get', { id: o.id })).lastActivityAt).toBeNull()
  })
})

describe('the method table', () => {
  it('refuses a method name defined twice, and every name is domain:verb', async () => {
    const { assertUniqueNames, methods } = await import('../src-main/api/methods')
    const { query } = await import('../src-main/api/define')
    const { z } = await import('zod')
    const one = { 'x:get': query(z.object({}), async () => 1) }
    expect(() => assertUniqueNames([one, { ...one }])).toThrow(/x:get is defined twice/)
    for (const name of Object.keys(methods)) expect(name).toMatch(/^[a-z][a-zA-Z]*:[a-z][a-zA-Z]*$/)
  })
})
