// Word pools for the demo company: names, places, industries, products and
// the follow-up texts sales people write. Everything here is fictitious.
import type { ActivityType } from '../db/tables/activities.table'
import type { UserRole } from '../db/tables/users.table'
import type { Rng } from './random'

/** The demo sales team: a director (admin), a manager and two teams of four. Weight = share of accounts. */
export const USERS: ReadonlyArray<{ name: string; py: string; role: UserRole; team: string; skills: string[]; weight: number }> = [
  { name: '王建国', py: 'wangjianguo', role: 'admin', team: '销售部', skills: ['大客户', '制造业', '团队管理'], weight: 0 },
  { name: '李晓梅', py: 'lixiaomei', role: 'manager', team: '销售部', skills: ['方案销售', '汽车零部件'], weight: 0 },
  { name: '张伟', py: 'zhangwei', role: 'sales', team: '华东组', skills: ['制造业', '大客户'], weight: 1.2 },
  { name: '刘洋', py: 'liuyang', role: 'sales', team: '华东组', skills: ['汽车零部件', 'MES'], weight: 1 },
  { name: '陈静', py: 'chenjing', role: 'sales', team: '华东组', skills: ['电子信息', '设备联网'], weight: 0.9 },
  { name: '杨帆', py: 'yangfan', role: 'sales', team: '华东组', skills: ['化工', '新能源'], weight: 0.8 },
  { name: '黄磊', py: 'huanglei', role: 'sales', team: '华南组', skills: ['电子信息', '大客户'], weight: 1.2 },
  { name: '周婷', py: 'zhouting', role: 'sales', team: '华南组', skills: ['医疗器械', '食品饮料'], weight: 1 },
  { name: '吴昊', py: 'wuhao', role: 'sales', team: '华南组', skills: ['物流', '运维服务'], weight: 0.9 },
  { name: '林晓燕', py: 'linxiaoyan', role: 'sales', team: '华南组', skills: ['纺织服装', '中小客户'], weight: 0.8 },
]
/** Annual revenue range in yuan per COMPANY_SIZES band; deal size factor per band. */
export const REVENUE_YUAN = [[5e6, 5e7], [3e7, 2e8], [1e8, 8e8], [3e8, 2e9], [1e9, 1e10]] as const
export const DEAL_SCALE = [0.5, 0.75, 1, 1.2, 1.5]
export const SOURCE_WEIGHTS = [15, 15, 4, 6, 18, 12, 10, 10, 5, 5]

/** [汉字, pinyin] pairs, so e-mail addresses can be spelled from names. */
export type Syllable = readonly [string, string]

export const SURNAMES: Syllable[] = [
  ['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'], ['黄', 'huang'], ['赵', 'zhao'],
  ['吴', 'wu'], ['周', 'zhou'], ['徐', 'xu'], ['孙', 'sun'], ['马', 'ma'], ['朱', 'zhu'], ['胡', 'hu'], ['郭', 'guo'],
  ['何', 'he'], ['高', 'gao'], ['林', 'lin'], ['罗', 'luo'], ['郑', 'zheng'], ['梁', 'liang'], ['谢', 'xie'], ['宋', 'song'],
  ['唐', 'tang'], ['许', 'xu'], ['韩', 'han'], ['冯', 'feng'], ['邓', 'deng'], ['曹', 'cao'], ['彭', 'peng'], ['曾', 'zeng'],
  ['肖', 'xiao'], ['田', 'tian'], ['董', 'dong'], ['袁', 'yuan'], ['潘', 'pan'], ['蒋', 'jiang'], ['蔡', 'cai'], ['杜', 'du'],
  ['叶', 'ye'], ['程', 'cheng'], ['苏', 'su'], ['魏', 'wei'], ['丁', 'ding'], ['沈', 'shen'], ['姚', 'yao'], ['钱', 'qian'],
]

export const GIVEN: Syllable[] = [
  ['伟', 'wei'], ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['强', 'qiang'], ['磊', 'lei'],
  ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['艳', 'yan'], ['杰', 'jie'], ['涛', 'tao'], ['明', 'ming'], ['超', 'chao'],
  ['秀', 'xiu'], ['霞', 'xia'], ['平', 'ping'], ['刚', 'gang'], ['华', 'hua'], ['建', 'jian'], ['国', 'guo'], ['文', 'wen'],
  ['志', 'zhi'], ['海', 'hai'], ['晓', 'xiao'], ['红', 'hong'], ['燕', 'yan'], ['鹏', 'peng'], ['辉', 'hui'], ['宇', 'yu'],
  ['浩', 'hao'], ['凯', 'kai'], ['婷', 'ting'], ['雪', 'xue'], ['琳', 'lin'], ['斌', 'bin'], ['峰', 'feng'], ['波', 'bo'],
  ['春', 'chun'], ['东', 'dong'], ['亮', 'liang'], ['俊', 'jun'], ['慧', 'hui'], ['欣', 'xin'], ['佳', 'jia'], ['博', 'bo'],
  ['晨', 'chen'], ['阳', 'yang'], ['丹', 'dan'], ['倩', 'qian'], ['玲', 'ling'], ['清', 'qing'], ['飞', 'fei'], ['健', 'jian'],
  ['云', 'yun'], ['龙', 'long'], ['立', 'li'], ['梅', 'mei'], ['萍', 'ping'], ['鑫', 'xin'], ['雨', 'yu'], ['嘉', 'jia'],
]

/** Two-character brand names are built from these halves. */
export const BRAND_HEADS: Syllable[] = [
  ['恒', 'heng'], ['华', 'hua'], ['宏', 'hong'], ['鑫', 'xin'], ['瑞', 'rui'], ['永', 'yong'], ['天', 'tian'], ['金', 'jin'],
  ['博', 'bo'], ['中', 'zhong'], ['东', 'dong'], ['新', 'xin'], ['嘉', 'jia'], ['润', 'run'], ['德', 'de'], ['汇', 'hui'],
  ['凯', 'kai'], ['卓', 'zhuo'], ['泰', 'tai'], ['海', 'hai'], ['佳', 'jia'], ['信', 'xin'], ['宇', 'yu'], ['锦', 'jin'],
  ['明', 'ming'], ['立', 'li'], ['盛', 'sheng'], ['裕', 'yu'], ['晶', 'jing'], ['振', 'zhen'],
]
export const BRAND_TAILS: Syllable[] = [
  ['力', 'li'], ['源', 'yuan'], ['达', 'da'], ['丰', 'feng'], ['安', 'an'], ['成', 'cheng'], ['鼎', 'ding'], ['远', 'yuan'],
  ['通', 'tong'], ['创', 'chuang'], ['辉', 'hui'], ['祥', 'xiang'], ['隆', 'long'], ['航', 'hang'], ['晟', 'sheng'], ['峰', 'feng'],
  ['捷', 'jie'], ['宝', 'bao'], ['业', 'ye'], ['益', 'yi'], ['威', 'wei'], ['康', 'kang'], ['驰', 'chi'], ['弘', 'hong'],
  ['耀', 'yao'], ['昌', 'chang'], ['诚', 'cheng'], ['腾', 'teng'], ['瀚', 'han'], ['拓', 'tuo'],
]

export interface Place {
  province: string
  city: string
  areaCode: string
  /** The sales team that covers the place. */
  team: '华东组' | '华南组'
  weight: number
}
const east = (province: string, city: string, areaCode: string, weight: number): Place => ({ province, city, areaCode, team: '华东组', weight })
const south = (province: string, city: string, areaCode: string, weight: number): Place => ({ province, city, areaCode, team: '华南组', weight })
export const PLACES: Place[] = [
  east('浙江', '杭州', '0571', 14), east('浙江', '宁波', '0574', 10), east('浙江', '温州', '0577', 5), east('浙江', '绍兴', '0575', 4),
  east('浙江', '嘉兴', '0573', 4), east('浙江', '台州', '0576', 4), east('浙江', '金华', '0579', 3), east('江苏', '苏州', '0512', 10),
  east('江苏', '无锡', '0510', 6), east('江苏', '常州', '0519', 5), east('江苏', '南京', '025', 5), east('江苏', '南通', '0513', 3),
  east('上海', '上海', '021', 9), east('安徽', '合肥', '0551', 3), east('山东', '青岛', '0532', 3), east('山东', '济南', '0531', 2),
  south('广东', '深圳', '0755', 12), south('广东', '广州', '020', 9), south('广东', '东莞', '0769', 9), south('广东', '佛山', '0757', 7),
  south('福建', '厦门', '0592', 3), south('福建', '福州', '0591', 2), south('湖北', '武汉', '027', 3), south('四川', '成都', '028', 3),
]

export const ROADS = ['长江', '黄河', '创业', '科技', '兴业', '滨江', '金桥', '新华', '工业', '学院', '中山', '人民', '建设', '环城', '开发', '振兴', '迎宾', '湖滨']
export const ZONES = ['经济技术开发区', '高新技术产业开发区', '工业园区', '国家高新区', '临港产业园', '智能制造产业园']

export interface Industry {
  name: string
  /** Words between brand and 有限公司, with an abbreviation for the web domain. */
  words: ReadonlyArray<readonly [string, string]>
  weight: number
}
export const INDUSTRIES: Industry[] = [
  { name: '制造业', words: [['精密机械', 'jm'], ['机械制造', 'jx'], ['重工', 'hi'], ['智能装备', 'ie'], ['五金制品', 'hw']], weight: 18 },
  { name: '汽车零部件', words: [['汽车部件', 'auto'], ['汽配', 'ap'], ['汽车零部件', 'parts']], weight: 12 },
  { name: '电子信息', words: [['电子', 'elec'], ['电子科技', 'et'], ['微电子', 'me'], ['光电', 'oe']], weight: 12 },
  { name: '医疗器械', words: [['医疗器械', 'med'], ['医疗科技', 'mt'], ['生物医疗', 'bio']], weight: 7 },
  { name: '食品饮料', words: [['食品', 'food'], ['饮料', 'bev'], ['乳业', 'dairy']], weight: 7 },
  { name: '物流', words: [['物流', 'log'], ['供应链', 'scm'], ['储运', 'ty']], weight: 6 },
  { name: '化工', words: [['化工', 'chem'], ['新材料', 'nm'], ['精细化工', 'fc']], weight: 7 },
  { name: '新能源', words: [['新能源', 'ne'], ['光伏科技', 'pv'], ['储能科技', 'es'], ['电池', 'bat']], weight: 9 },
  { name: '纺织服装', words: [['纺织', 'tex'], ['服饰', 'fs'], ['印染', 'dye']], weight: 6 },
  { name: '建筑工程', words: [['建设工程', 'cn'], ['建材', 'bm'], ['钢结构', 'ss']], weight: 5 },
  { name: '家电', words: [['电器', 'ea'], ['家电', 'ha']], weight: 5 },
  { name: '塑料橡胶', words: [['塑业', 'pl'], ['橡塑制品', 'rp']], weight: 4 },
]

export const OWNERSHIP_TAGS = ['民营', '国企', '外资'] as const
export const ACCOUNT_TAGS = ['集团客户', '上市公司', '专精特新', '高新技术企业', '出口型', '政府补贴项目', '老客户转介绍', '多工厂', '有 ERP']
export const ACCOUNT_NOTES = [
  '老板重视数字化，今年有专项预算。',
  '决策链较长，需集团 IT 部门审批。',
  '目前使用 Excel 排产，痛点明显。',
  '已上线国外 MES，维护成本高，考虑替换。',
  '新厂区明年投产，需要整体规划。',
  '每年四季度启动下一年度预算。',
  '采购走招投标流程，需提前准备资质。',
  '对数据安全要求高，倾向本地部署。',
  '与竞争对手有过合作，关系需维护。',
  '财务付款周期较长，注意回款节点。',
]

export const CONTACT_TITLES_PRIMARY = ['总经理', '副总经理', '生产总监', 'IT主管', '信息部经理', '厂长', '运营总监']
export const CONTACT_TITLES_OTHER = ['采购经理', '采购主管', '设备部经理', '质量经理', '财务总监', '技术总监', '车间主任', 'IT工程师', '总经理助理']
export const LEAD_TITLES = ['总经理', '采购经理', 'IT主管', '生产经理', '设备主管', '信息化负责人', '厂长', '技术员']

export interface Product {
  /** Title after the account's short name. */
  title: string
  minYuan: number
  maxYuan: number
  /** Follow-up business (二期, 续约) only sold to accounts that already bought something. */
  followUp: boolean
}
export const PRODUCTS: Product[] = [
  { title: 'MES 系统实施项目', minYuan: 300_000, maxYuan: 2_000_000, followUp: false },
  { title: '设备联网项目', minYuan: 100_000, maxYuan: 800_000, followUp: false },
  { title: '数据中台建设项目', minYuan: 300_000, maxYuan: 1_600_000, followUp: false },
  { title: '生产数据看板', minYuan: 50_000, maxYuan: 200_000, followUp: false },
  { title: '质量追溯系统', minYuan: 150_000, maxYuan: 600_000, followUp: false },
  { title: '能耗监测系统', minYuan: 80_000, maxYuan: 400_000, followUp: false },
  { title: 'WMS 仓储管理系统', minYuan: 150_000, maxYuan: 700_000, followUp: false },
  { title: '车间数字化咨询', minYuan: 30_000, maxYuan: 120_000, followUp: false },
  { title: 'IoT 网关采购', minYuan: 30_000, maxYuan: 300_000, followUp: false },
  { title: 'MES 系统二期', minYuan: 200_000, maxYuan: 1_000_000, followUp: true },
  { title: '设备联网二期', minYuan: 80_000, maxYuan: 500_000, followUp: true },
  { title: '年度运维服务续约', minYuan: 30_000, maxYuan: 150_000, followUp: true },
  { title: '新厂区 MES 推广', minYuan: 200_000, maxYuan: 1_200_000, followUp: true },
  { title: '数据中台扩容', minYuan: 100_000, maxYuan: 600_000, followUp: true },
]

export const LOST_REASONS = ['价格过高', '选择了竞争对手', '预算取消', '需求变更', '决策延期', '关系不到位', '项目暂停', '技术方案不匹配']
export const OPP_NOTES = ['客户要求年底前上线。', '需与 ERP（用友）对接。', '竞争对手报价更低，需突出实施经验。', '分两期付款：签约 50%，验收 50%。', '客户 IT 人手不足，需驻场支持。', '已提交方案，等待内部评审。']
export const FOCUS = ['设备数据采集', '生产排程', '质量追溯', '报表自动化', '实施周期', '价格', '售后响应速度', '与 ERP 对接', '数据安全', '移动端使用']

export interface ActivityTemplate {
  type: ActivityType
  subject: string
  notes: string[]
  outcomes: string[]
}
const t = (type: ActivityType, subject: string, notes: string[], outcomes: string[]): ActivityTemplate => ({ type, subject, notes, outcomes })

/** Follow-ups by the stage a deal was in when they happened: potential, intent, negotiation. */
export const STAGE_ACTIVITIES: ActivityTemplate[][] = [
  [
    t('call', '首次电话沟通需求', ['与{contact}初步沟通，客户关注{focus}。', '了解到客户正在评估{product}。'], ['客户有兴趣，同意加微信', '需求初步明确']),
    t('wechat', '添加微信，发送公司介绍', ['发送公司介绍和同行业案例。'], ['客户已查看资料']),
    t('email', '发送产品资料和方案', ['发送{product}产品资料和初步方案。'], ['客户回复会内部讨论']),
    t('call', '了解现有系统和产线情况', ['客户目前产线 {n} 条，主要痛点是{focus}。'], ['约定下周现场拜访']),
  ],
  [
    t('visit', '现场拜访演示', ['到客户现场演示{product}，{contact}及车间负责人参加。'], ['演示效果好，客户要求出方案', '客户提出定制需求']),
    t('meeting', '技术交流会', ['与客户 IT 和生产部门交流，重点讨论{focus}。'], ['技术方案基本认可']),
    t('visit', '需求调研', ['调研 {n} 个车间的业务流程。'], ['完成调研，整理需求清单']),
    t('call', '第二次电话跟进', ['跟进方案反馈，{contact}表示正在内部评审。'], ['等待客户反馈', '客户要求补充案例']),
    t('email', '提交初步方案', ['提交{product}初步方案和实施计划。'], ['客户确认方案方向']),
  ],
  [
    t('call', '报价沟通', ['与{contact}沟通报价，客户对{focus}有顾虑。'], ['客户要求优惠', '报价基本认可']),
    t('email', '发送正式报价单', ['发送正式报价单（{amount}）。'], ['客户已收到报价']),
    t('meeting', '商务谈判', ['与采购及财务谈判付款方式和交付周期。'], ['付款条件达成一致', '还需二轮谈判']),
    t('wechat', '合同条款确认', ['微信确认合同条款细节。'], ['法务审核中']),
    t('visit', '高层拜访', ['陪同销售总监拜访客户总经理。'], ['高层认可合作']),
  ],
]
export const GENERIC_ACTIVITIES: ActivityTemplate[] = [
  t('wechat', '微信跟进进展', ['微信询问项目进展。'], ['客户回复下周给答复', '客户暂无新进展']),
  t('sms', '短信提醒会议时间', ['短信提醒明天的会议时间和地点。'], ['客户已确认']),
  t('social', '领英互动', ['在领英上与{contact}互动，分享行业文章。'], ['对方点赞并回复']),
  t('note', '内部备注', ['客户关注{focus}，下一步需准备针对性材料。'], ['已同步团队']),
  t('call', '电话跟进', ['电话跟进，{contact}表示{focus}是关键考虑。'], ['继续跟进', '客户要求再发资料']),
]
export const WON_ACTIVITY = t('meeting', '合同签订', ['与客户签订{product}合同，金额 {amount}。'], ['合同已签订，转交实施团队'])
export const LOST_ACTIVITY = t('call', '确认输单原因', ['电话回访了解输单原因：{reason}。'], ['已记录输单原因，保持联系'])
/** Next steps people plan, by the deal's current stage. */
export const PLANNED_ACTIVITIES: ActivityTemplate[][] = [
  [t('call', '电话回访，确认需求', ['确认客户对资料的意见，争取现场拜访。'], []), t('visit', '安排现场演示', ['准备演示环境和同行业案例。'], [])],
  [t('email', '发送方案和报价单', ['根据调研结果调整方案和报价。'], []), t('meeting', '约客户高层会面', ['与销售总监一同拜访。'], [])],
  [t('call', '跟进合同审批进度', ['确认合同在客户内部的审批节点。'], []), t('wechat', '确认付款和上线时间', ['确认付款节点和期望的上线时间。'], [])],
]
export const LEAD_ACTIVITIES: ActivityTemplate[] = [
  t('call', '首次电话联系', ['电话联系{contact}，介绍公司产品。'], ['有初步兴趣', '客户表示暂不需要', '约定再次沟通']),
  t('wechat', '添加微信', ['添加微信，发送公司介绍。'], ['已通过好友申请']),
  t('email', '发送公司介绍', ['发送公司介绍和{focus}相关案例。'], ['客户已读']),
  t('call', '电话核实需求', ['核实客户规模和需求，关注{focus}。'], ['需求真实，可推进', '暂无预算']),
]
export const LEAD_INVALID_NOTES = ['空号', '非目标客户', '重复线索', '个人咨询，无采购需求', '联系不上']

// ---- Makers: pool-based values (names, phones, companies) ----

const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '158', '159', '166', '173', '176', '177', '180', '181', '182', '183', '186', '187', '188', '189', '191', '198', '199']

/** A mobile that is valid (1[3-9] + 9 digits) and not used yet in this run. */
export function makeMobile(rng: Rng, used: Set<string>): string {
  for (;;) {
    const m = rng.pick(MOBILE_PREFIXES) + rng.digits(8)
    if (!used.has(m)) {
      used.add(m)
      return m
    }
  }
}

/** Landline such as 0571-86912345: area code, a dash, 8 digits not starting with 0/1. */
export function makeLandline(rng: Rng, areaCode: string): string {
  return `${areaCode}-${rng.int(2, 8)}${rng.digits(7)}`
}

export interface Person { name: string; py: string }
export function makePerson(rng: Rng): Person {
  const [s, sp] = rng.pick(SURNAMES)
  const given = rng.chance(0.7) ? [rng.pick(GIVEN), rng.pick(GIVEN)] : [rng.pick(GIVEN)]
  return { name: s + given.map((g) => g[0]).join(''), py: sp + given.map((g) => g[1]).join('') }
}

export function makeWechat(rng: Rng, py: string, mobile: string | null): string {
  const kind = rng.int(0, 2)
  if (kind === 0 && mobile) return mobile
  if (kind === 1) return `wxid_${rng.digits(4)}${py.slice(0, 6)}`
  return `${py}${rng.int(1, 999)}`
}

/** Birthday of a working adult, YYYY-MM-DD. */
export function makeBirthday(rng: Rng, now: number): string {
  const year = new Date(now).getUTCFullYear() - rng.int(26, 58)
  return `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`
}

export interface Company { name: string; short: string; domain: string }
/** "宁波恒力精密机械有限公司": city + brand + industry word + legal form, unique within `used`. */
export function makeCompany(rng: Rng, used: Set<string>, place: Place, industry: Industry, big: boolean): Company {
  for (;;) {
    const head = rng.pick(BRAND_HEADS)
    const tail = rng.pick(BRAND_TAILS)
    if (head[0] === tail[0]) continue
    const [word, abbr] = rng.pick(industry.words)
    const form = big && rng.chance(0.5) ? '股份有限公司' : '有限公司'
    const name = `${place.city}${head[0]}${tail[0]}${word}${form}`
    const short = `${head[0]}${tail[0]}${word}`
    if (used.has(name) || used.has(short)) continue
    used.add(name)
    used.add(short)
    return { name, short, domain: `${head[1]}${tail[1]}-${abbr}.com` }
  }
}
