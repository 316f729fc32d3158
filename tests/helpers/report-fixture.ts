// A small sales office built through the real API with a controlled clock, for
// the report tests. Every expected number in tests/reports-*.test.ts is worked
// out by hand from the story below, not by running the same query.
//
// People: 张三 (华东组), 李四 (华东组), 王五 (华南组), sales; targets Nov: 150k / 100k / 50k, Dec 张三 120k.
// Accounts: 甲公司 (制造业, 浙江, 50-199), 乙公司 (电子, 江苏, 200-499), 丙公司 (制造业, 浙江, 1-49, customer).
// All events at 02:00Z = 10:00 in Shanghai, so day counts are whole.
//
// deal  owner source  account amount(¥) story                                                    expected close / category
// D1    张三  展会    甲      100,000   from lead L2 11-02; 意向 11-05; 谈判 11-08; 成交 11-12      11-15
// D2    张三  展会    乙       50,000   11-03; 意向 11-06; 输单 11-10 (价格过高)                    11-20
// D3    李四  官网    甲      200,000   11-04; stays 潜在                                           12-10 commit
// D4    李四  官网    丙       80,000   11-05; 谈判 11-07 (skips 意向)                              11-25 best_case
// D5    王五  转介绍  乙       30,000   11-06; 成交 11-09 (skips 意向, 谈判)                        11-10
// D6    王五  转介绍  丙       60,000   10-10; 意向 10-20; 谈判 11-01; 输单 11-14 (选择了竞争对手)  11-15
// D7    张三  展会    甲       40,000   10-15; 成交 11-18                                           11-18
// D8    李四  官网    乙       70,000   10-01; 成交 10-25                                           10-25
// D9    王五  —       甲       90,000   09-15; 意向 09-20; open                                     09-30 (overdue)
// Competitors: 对手甲 on D1, D2, D6 (marked: we beat them on D6); 对手乙 on D6 and D3.
// Leads: L1 展会 11-01 (张三), L2 展会 11-02 (converted to D1), L3 官网 11-03 (李四), L4 微信 11-04.
// Activities done: D1 calls 11-03/11-06/11-10, D2 visit 11-04, D7 meeting 11-16, L1 call 11-05 (张三);
//   D5 call 11-06 06:00Z (王五), D6 email 10-25 (王五); D8 call 10-05 (李四). Planned, not done: D3 call due 11-25.
// Channel costs Nov: 展会 20,000, 官网 5,000.
import { createTestCore, type TestCore } from './core'

export const NOW = new Date('2026-11-20T02:00:00.000Z')

export interface ReportFixture {
  t: TestCore
  users: { zhang: number; li: number; wang: number }
  stages: { potential: number; intent: number; negotiation: number; won: number; lost: number }
  accounts: { jia: number; yi: number; bing: number }
  deals: Record<'D1' | 'D2' | 'D3' | 'D4' | 'D5' | 'D6' | 'D7' | 'D8' | 'D9', number>
  /** Sets the clock (to NOW unless given). */
  setClock(iso?: string): void
}

export async function buildReportFixture(): Promise<ReportFixture> {
  let clock = new Date('2026-09-01T02:00:00.000Z')
  const t = await createTestCore({ clock: () => clock })
  const on = (day: string, time = '02:00') => {
    clock = new Date(`${day}T${time}:00.000Z`)
    return clock.toISOString()
  }

  on('2026-09-01')
  const zhang = (await t.ok('users:create', { name: '张三', role: 'sales', team: '华东组' })).id
  const li = (await t.ok('users:create', { name: '李四', role: 'sales', team: '华东组' })).id
  const wang = (await t.ok('users:create', { name: '王五', role: 'sales', team: '华南组' })).id
  const stageList = await t.ok('stages:list', {})
  const sid = (key: string) => stageList.find((s) => s.key === key && s.pipeline === 'default')!.id
  const stages = { potential: sid('potential'), intent: sid('intent'), negotiation: sid('negotiation'), won: sid('won'), lost: sid('lost') }

  const jia = (await t.ok('accounts:create', { name: '甲公司', industry: '制造业', province: '浙江', size: '50-199' })).id
  const yi = (await t.ok('accounts:create', { name: '乙公司', industry: '电子', province: '江苏', size: '200-499' })).id
  const bing = (await t.ok('accounts:create', { name: '丙公司', industry: '制造业', province: '浙江', size: '1-49', lifecycle: 'customer' })).id

  const versions = new Map<number, number>()
  const create = async (day: string, title: string, accountId: number, ownerId: number, source: string | null, yuan: string, expectedCloseDate: string) => {
    on(day)
    const o = await t.ok('opportunities:create', { title, accountId, ownerId, source, amountFen: yuan, expectedCloseDate })
    versions.set(o.id, o.version)
    return o.id
  }
  const move = async (day: string, id: number, stageId: number, lostReason?: string) => {
    on(day)
    const o = await t.ok('opportunities:move', { id, stageId, version: versions.get(id)!, lostReason })
    versions.set(id, o.version)
  }
  const act = async (at: string, type: 'call' | 'email' | 'meeting' | 'visit', ownerId: number, link: { opportunityId?: number; leadId?: number }) => {
    const [day, time] = at.split(' ')
    const doneAt = on(day, time)
    await t.ok('activities:create', { type, subject: `${type} ${at}`, doneAt, ownerId, ...link })
  }

  // History before the period: D9 (Sept), then October's deals.
  const D9 = await create('2026-09-15', '甲 二期', jia, wang, null, '90,000', '2026-09-30')
  await move('2026-09-20', D9, stages.intent)
  const D8 = await create('2026-10-01', '乙 年度服务', yi, li, '官网', '70,000', '2026-10-25')
  await act('2026-10-05 02:00', 'call', li, { opportunityId: D8 })
  const D6 = await create('2026-10-10', '丙 MES', bing, wang, '转介绍', '60,000', '2026-11-15')
  const D7 = await create('2026-10-15', '甲 运维', jia, zhang, '展会', '40,000', '2026-11-18')
  await move('2026-10-20', D6, stages.intent)
  await act('2026-10-25 02:00', 'email', wang, { opportunityId: D6 })
  await move('2026-10-25', D8, stages.won)

  // November.
  on('2026-11-01')
  const L1 = (await t.ok('leads:create', { company: '丁公司', source: '展会', ownerId: zhang })).id
  await move('2026-11-01', D6, stages.negotiation)
  on('2026-11-02')
  const L2 = (await t.ok('leads:create', { company: '甲公司', contactName: '赵经理', source: '展会', ownerId: zhang })).id
  const converted = await t.ok('leads:convert', {
    id: L2,
    account: { mode: 'existing', accountId: jia },
    createContact: false,
    opportunity: { title: '甲 智能仓储', amountFen: '100,000', stageId: stages.potential, expectedCloseDate: '2026-11-15' },
    ownerId: zhang,
  })
  const D1 = converted.opportunityId!
  versions.set(D1, (await t.ok('opportunities:get', { id: D1 })).version)
  on('2026-11-03')
  await t.ok('leads:create', { company: '戊公司', source: '官网', ownerId: li })
  const D2 = await create('2026-11-03', '乙 设备联网', yi, zhang, '展会', '50,000', '2026-11-20')
  await act('2026-11-03 02:00', 'call', zhang, { opportunityId: D1 })
  on('2026-11-04')
  await t.ok('leads:create', { company: '己公司', source: '微信' })
  const D3 = await create('2026-11-04', '甲 数字工厂', jia, li, '官网', '200,000', '2026-12-10')
  await act('2026-11-04 02:00', 'visit', zhang, { opportunityId: D2 })
  const D4 = await create('2026-11-05', '丙 质量追溯', bing, li, '官网', '80,000', '2026-11-25')
  await move('2026-11-05', D1, stages.intent)
  await act('2026-11-05 02:00', 'call', zhang, { leadId: L1 })
  const D5 = await create('2026-11-06', '乙 备件', yi, wang, '转介绍', '30,000', '2026-11-10')
  await act('2026-11-06 02:00', 'call', zhang, { opportunityId: D1 })
  await act('2026-11-06 06:00', 'call', wang, { opportunityId: D5 })
  await move('2026-11-06', D2, stages.intent)
  await move('2026-11-07', D4, stages.negotiation)
  await move('2026-11-08', D1, stages.negotiation)
  await move('2026-11-09', D5, stages.won)
  await move('2026-11-10', D2, stages.lost, '价格过高')
  await act('2026-11-10 02:00', 'call', zhang, { opportunityId: D1 })
  await move('2026-11-12', D1, stages.won)
  await move('2026-11-14', D6, stages.lost, '选择了竞争对手')
  await act('2026-11-16 02:00', 'meeting', zhang, { opportunityId: D7 })
  await move('2026-11-18', D7, stages.won)

  on('2026-11-19')
  await t.ok('activities:create', { type: 'call', subject: '方案沟通', dueAt: '2026-11-25T02:00:00.000Z', ownerId: li, opportunityId: D3 })
  for (const [id, category] of [
    [D3, 'commit'],
    [D4, 'best_case'],
  ] as const) {
    const r = await t.ok('forecast:setCategory', { id, version: versions.get(id)!, category })
    versions.set(id, r.version)
  }
  await t.ok('competitors:add', { opportunityId: D1, name: '对手甲' })
  await t.ok('competitors:add', { opportunityId: D2, name: '对手甲' })
  await t.ok('competitors:add', { opportunityId: D6, name: '对手甲', wonAgainst: true })
  await t.ok('competitors:add', { opportunityId: D6, name: '对手乙' })
  await t.ok('competitors:add', { opportunityId: D3, name: '对手乙' })
  await t.ok('targets:set', {
    items: [
      { userId: zhang, month: '2026-11', amountFen: '150,000' },
      { userId: li, month: '2026-11', amountFen: '100,000' },
      { userId: wang, month: '2026-11', amountFen: '50,000' },
      { userId: zhang, month: '2026-12', amountFen: '120,000' },
    ],
  })
  await t.ok('costs:set', {
    items: [
      { source: '展会', month: '2026-11', amountFen: '20,000' },
      { source: '官网', month: '2026-11', amountFen: '5,000' },
    ],
  })
  clock = NOW
  return {
    t,
    users: { zhang, li, wang },
    stages,
    accounts: { jia, yi, bing },
    deals: { D1, D2, D3, D4, D5, D6, D7, D8, D9 },
    setClock: (iso?: string) => {
      clock = iso ? new Date(iso) : NOW
    },
  }
}
