// Leads and customers beyond single records: personas and segments, lead
// conversion, bulk actions, merging duplicates (history kept), saved views,
// custom fields and the source channel list — all through the dispatcher.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestCore, type TestCore } from './helpers/core'

let t: TestCore
beforeEach(async () => {
  t = await createTestCore({ clock: () => new Date('2026-11-29T02:00:00.000Z') })
})
afterEach(async () => t.cleanup())

describe('personas and segments', () => {
  it('count matching accounts and leads and open them as lists', async () => {
    await t.ok('accounts:create', { name: '杭州甲', province: '浙江', city: '杭州', industry: '制造业', size: '200-499', annualRevenueFen: 50_000_000_00, tags: ['重点'], lifecycle: 'customer' })
    await t.ok('accounts:create', { name: '宁波乙', province: '浙江', city: '宁波', industry: '制造业', size: '50-199', annualRevenueFen: 5_000_000_00, tags: ['重点'] })
    await t.ok('accounts:create', { name: '苏州丙', province: '江苏', industry: '电子信息', size: '200-499' })
    await t.ok('leads:create', { company: '杭州线索', province: '浙江', industry: '制造业' })
    await t.ok('leads:create', { company: '深圳线索', province: '广东', industry: '制造业' })

    const regional = await t.ok('personas:save', { name: '浙江制造业', description: '长三角制造业老板', criteria: { provinces: ['浙江'], industries: ['制造业'] } })
    expect(regional).toMatchObject({ accounts: 2, leads: 1 })
    const big = await t.ok('personas:save', { name: '中大型重点客户', criteria: { sizes: ['200-499', '500-999'], revenueMinFen: 10_000_000_00, tags: ['重点'] } })
    // Leads have no size or revenue: not "0 leads", but not applicable.
    expect(big).toMatchObject({ accounts: 1, leads: null })
    const list = await t.ok('accounts:list', { segment: big.criteria })
    expect(list.rows.map((a) => a.name)).toEqual(['杭州甲'])
    expect((await t.ok('leads:list', { segment: regional.criteria })).rows.map((l) => l.company)).toEqual(['杭州线索'])
    expect((await t.ok('personas:list', {})).map((p) => [p.name, p.accounts])).toEqual([
      ['中大型重点客户', 1],
      ['浙江制造业', 2],
    ])
    expect(await t.ok('segments:count', { criteria: { provinces: ['浙江', '江苏'] } })).toEqual({ accounts: 3, leads: 1 })
    const facets = await t.ok('segments:facets', {})
    expect(facets.provinces).toEqual([
      { value: '浙江', count: 3 },
      { value: '广东', count: 1 },
      { value: '江苏', count: 1 },
    ])
    expect(facets.tags).toEqual([{ value: '重点', count: 2 }])
    const dup = await t.call('personas:save', { name: '浙江制造业', criteria: {} })
    expect(dup.ok === false && dup.error.code).toBe('DUPLICATE')
  })
})

describe('leads', () => {
  it('convert into account + contact + opportunity in one step, activities following', async () => {
    const lead = await t.ok('leads:create', { company: '无锡精工有限公司', contactName: '赵六', mobile: '13500002222', source: '展会', province: '江苏' })
    const act = await t.ok('activities:create', { type: 'call', subject: '首次电话', leadId: lead.id })
    const stages = await t.ok('stages:list', {})
    const r = await t.ok('leads:convert', { id: lead.id, opportunity: { title: '精工设备采购', amountFen: '80,000', stageId: stages[1].id } })
    expect(r.accountCreated).toBe(true)
    const account = await t.ok('accounts:get', { id: r.accountId })
    expect(account).toMatchObject({ name: '无锡精工有限公司', source: '展会', province: '江苏' })
    expect(await t.ok('contacts:get', { id: r.contactId! })).toMatchObject({ name: '赵六', mobile: '13500002222', isPrimary: true })
    expect(await t.ok('opportunities:get', { id: r.opportunityId! })).toMatchObject({ title: '精工设备采购', amountFen: 8_000_000, stageId: stages[1].id, accountId: r.accountId })
    expect(await t.ok('leads:get', { id: lead.id })).toMatchObject({ status: 'qualified', convertedAccountId: r.accountId, convertedOpportunityId: r.opportunityId })
    expect(await t.ok('activities:get', { id: act.id })).toMatchObject({ accountId: r.accountId, opportunityId: r.opportunityId })
    const twice = await t.call('leads:convert', { id: lead.id })
    expect(twice.ok === false && twice.error.code).toBe('INVALID_STATE')

    // A second lead of the same company joins the existing account (auto), without a deal.
    const second = await t.ok('leads:create', { company: '无锡精工', contactName: '钱七' })
    const r2 = await t.ok('leads:convert', { id: second.id })
    expect(r2).toMatchObject({ accountId: r.accountId, accountCreated: false, opportunityId: null })
    expect((await t.ok('contacts:list', { accountId: r.accountId })).total).toBe(2)
  })

  it('bulk assign, tag, status and delete, each change audited', async () => {
    const rep = await t.ok('users:create', { name: '小李', role: 'sales' })
    const ids = []
    for (let i = 0; i < 5; i++) ids.push((await t.ok('leads:create', { company: `公司${i}` })).id)
    expect(await t.ok('leads:bulkAssign', { ids: ids.slice(0, 3), ownerId: rep.id })).toEqual({ changed: 3 })
    expect((await t.ok('leads:list', { ownerId: rep.id })).total).toBe(3)
    expect(await t.ok('leads:bulkTag', { ids, add: ['展会', '2026'] })).toEqual({ changed: 5 })
    expect(await t.ok('leads:bulkTag', { ids: ids.slice(0, 2), remove: ['2026'] })).toEqual({ changed: 2 })
    expect((await t.ok('leads:list', { tag: '2026' })).total).toBe(3)
    expect((await t.ok('leads:get', { id: ids[0] })).tags).toEqual(['展会'])
    expect(await t.ok('leads:bulkStatus', { ids, status: 'invalid' })).toEqual({ changed: 5 })
    expect(await t.ok('leads:bulkDelete', { ids: ids.slice(3) })).toEqual({ changed: 2 })
    expect((await t.ok('leads:list', {})).total).toBe(3)
    const audit = await t.database.db.selectFrom('audit_log').select(['method', 'entity_id']).where('method', '=', 'leads:bulkAssign').execute()
    expect(audit.map((a) => a.entity_id).sort()).toEqual(ids.slice(0, 3).sort())
    const denied = await t.call('leads:bulkDelete', { ids }, { role: 'sales' })
    expect(denied.ok === false && denied.error.code).toBe('FORBIDDEN')
  })

  it('finds duplicates and 撞单, and merges two leads keeping history', async () => {
    const a = await t.ok('users:create', { name: '甲', role: 'sales' })
    const b = await t.ok('users:create', { name: '乙', role: 'sales' })
    const one = await t.ok('leads:create', { company: '华强电子有限公司', contactName: '王伟', ownerId: a.id, notes: '展会认识' })
    const two = await t.ok('leads:create', { company: '华强电子', mobile: '13900139000', ownerId: b.id, notes: '电话来询' })
    await t.ok('activities:create', { type: 'call', subject: '回访', leadId: two.id })
    const groups = await t.ok('duplicates:find', { entity: 'leads', by: 'company', clashesOnly: true })
    expect(groups).toHaveLength(1)
    expect(groups[0]).toMatchObject({ ownerClash: true, records: [{ id: one.id, ownerName: '甲' }, { id: two.id, ownerName: '乙' }] })

    const merged = await t.ok('leads:merge', { keepId: one.id, mergeId: two.id })
    expect(merged.moved.activities).toBe(1)
    const kept = await t.ok('leads:get', { id: one.id })
    expect(kept).toMatchObject({ company: '华强电子有限公司', mobile: '13900139000', contactName: '王伟', ownerName: '甲', notes: '展会认识\n电话来询' })
    expect((await t.ok('activities:list', { leadId: one.id })).total).toBe(1)
    expect((await t.call('leads:get', { id: two.id })).ok).toBe(false)
    const trail = await t.database.db.selectFrom('audit_log').select(['action', 'entity_id', 'changes']).where('method', '=', 'leads:merge').execute()
    expect(trail.map((e) => [e.action, e.entity_id])).toEqual([
      ['update', one.id],
      ['delete', two.id],
    ])
    expect(JSON.parse(trail[1].changes)).toMatchObject({ company: '华强电子', mergedInto: one.id })
  })
})

describe('accounts', () => {
  it('merge two duplicate accounts: contacts, deals and activities move, values fill in', async () => {
    const keep = await t.ok('accounts:create', { name: '宁波港集团', tags: ['重点'] })
    const other = await t.ok('accounts:create', { name: '宁波港集团有限公司', industry: '物流', tags: ['港口'], lifecycle: 'customer' })
    await t.ok('contacts:create', { accountId: keep.id, name: '周强', isPrimary: true })
    await t.ok('contacts:create', { accountId: other.id, name: '吴敏', isPrimary: true })
    const deal = await t.ok('opportunities:create', { title: '吊机', accountId: other.id, amountFen: 100 })
    const field = await t.ok('customFields:create', { entity: 'account', label: '客户分类', type: 'choice', options: ['A类', 'B类'] })
    await t.ok('customValues:set', { entity: 'account', entityId: other.id, values: [{ fieldId: field.id, value: 'A类' }] })
    const r = await t.ok('accounts:merge', { keepId: keep.id, mergeId: other.id })
    expect(r.moved).toMatchObject({ contacts: 1, opportunities: 1 })
    expect(await t.ok('accounts:get', { id: keep.id })).toMatchObject({ name: '宁波港集团', industry: '物流', tags: ['重点', '港口'], lifecycle: 'customer' })
    const contacts = (await t.ok('contacts:list', { accountId: keep.id })).rows
    expect(contacts.map((c) => [c.name, c.isPrimary])).toEqual([
      ['周强', true],
      ['吴敏', false],
    ])
    expect(await t.ok('opportunities:get', { id: deal.id })).toMatchObject({ accountId: keep.id, accountName: '宁波港集团' })
    expect((await t.ok('opportunities:list', { q: '宁波港集团' })).total).toBe(1)
    expect((await t.ok('customValues:get', { entity: 'account', entityId: keep.id }))[0].value).toBe('A类')
    const self = await t.call('accounts:merge', { keepId: keep.id, mergeId: keep.id })
    expect(self.ok === false && self.error.code).toBe('INVALID_STATE')
  })
})

describe('saved views, custom fields, source channels', () => {
  it('saved views keep validated filters; shared ones need a manager', async () => {
    const view = await t.ok('views:save', { entity: 'leads', name: '我的展会线索', filters: { source: '展会', status: 'new' }, columns: ['company', 'mobile'] })
    expect(view).toMatchObject({ filters: { source: '展会', status: 'new', sort: 'created_at', order: 'desc' }, mine: true, shared: false })
    const bad = await t.call('views:save', { entity: 'leads', name: '坏的', filters: { status: 'nonsense' } })
    expect(bad.ok === false && bad.error.code).toBe('VALIDATION')
    const rep = await t.ok('users:create', { name: '销售', role: 'sales' })
    const sharedBySales = await t.call('views:save', { entity: 'leads', name: '共享', shared: true }, { userId: rep.id, role: 'sales' })
    expect(sharedBySales.ok === false && sharedBySales.error.code).toBe('FORBIDDEN')
    await t.ok('views:save', { entity: 'leads', name: '全员共享', shared: true })
    expect((await t.ok('views:list', { entity: 'leads' }, { userId: rep.id, role: 'sales' })).map((v) => v.name)).toEqual(['全员共享'])
  })

  it('custom field values are typed and checked', async () => {
    const lead = await t.ok('leads:create', { company: '某公司' })
    const n = await t.ok('customFields:create', { entity: 'lead', label: '预算', type: 'number' })
    const d = await t.ok('customFields:create', { entity: 'lead', label: '展会日期', type: 'date' })
    const c = await t.ok('customFields:create', { entity: 'lead', label: '级别', type: 'choice', options: ['A', 'B'] })
    const values = await t.ok('customValues:set', { entity: 'lead', entityId: lead.id, values: [{ fieldId: n.id, value: '12,000' }, { fieldId: d.id, value: '2026-03-05' }, { fieldId: c.id, value: 'A' }] })
    expect(values.map((v) => v.value)).toEqual([12000, '2026-03-05', 'A'])
    const wrong = await t.call('customValues:set', { entity: 'lead', entityId: lead.id, values: [{ fieldId: c.id, value: 'Z' }] })
    expect(wrong.ok === false && wrong.error.code).toBe('VALIDATION')
    const other = await t.call('customValues:set', { entity: 'account', entityId: lead.id, values: [{ fieldId: n.id, value: 1 }] })
    expect(other.ok).toBe(false)
    await t.ok('leads:bulkDelete', { ids: [lead.id] })
    expect(await t.database.db.selectFrom('custom_values').selectAll().execute()).toEqual([])
  })

  it('source channels: renaming renames them on records; a used channel cannot be deleted', async () => {
    const list = await t.ok('channels:list', {})
    expect(list.slice(0, 3).map((c) => c.name)).toEqual(['展会', '微信', '微博'])
    await t.ok('leads:create', { company: '甲', source: '微博' })
    const weibo = list.find((c) => c.name === '微博')!
    const renamed = await t.ok('channels:update', { id: weibo.id, name: '新浪微博' })
    expect(renamed).toMatchObject({ name: '新浪微博', usage: 1 })
    expect((await t.ok('leads:list', { source: '新浪微博' })).total).toBe(1)
    const del = await t.call('channels:delete', { id: weibo.id })
    expect(del.ok === false && del.error.code).toBe('IN_USE')
    const added = await t.ok('channels:create', { name: '抖音' })
    await t.ok('channels:reorder', { ids: [added.id, ...list.map((c) => c.id)] })
    expect((await t.ok('channels:list', {}))[0].name).toBe('抖音')
    await t.ok('channels:delete', { id: added.id })
  })
})
