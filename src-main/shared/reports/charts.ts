// Report data → ECharts options. One builder for the screen (vue-echarts) and
// for print (server-side SVG rendering): the PDF shows the charts as the screen
// draws them. Options are plain JSON (no formatter functions) so they render
// the same anywhere. `drills[series][dataIndex]` is the drill-down of a bar/slice.
import type { Locale } from '../errors'
import { ACTIVITY_TYPE_LABELS, FACTOR_LABELS, keyLabel, word } from './labels'
import { fenToWan } from './format'
import type { AnyReport, Drill } from './types'

export interface ChartSpec {
  id: string
  title: string
  option: Record<string, unknown>
  drills: Array<Array<Drill | null>>
  /** Suggested height in px at 720 px width. */
  height: number
}

export const CHART_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
const PALETTE = ['#3b6fd8', '#35a46b', '#f0a73a', '#d9534f', '#8a6fd1', '#2bb0c4', '#9aa5b8', '#e07bb0']

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10)
const wanAxis = (L: Locale) => ({ type: 'value', name: L === 'en' ? '¥10k' : '万元', nameTextStyle: { align: 'right' }, splitLine: { lineStyle: { color: '#e8ecf2' } } })
const pctAxis = (L: Locale, max = 100) => ({ type: 'value', name: L === 'en' ? '%' : '百分比', min: 0, max, splitLine: { show: false } })
const countAxis = (L: Locale, name?: string) => ({ type: 'value', name: name ?? (L === 'en' ? 'Count' : '数量'), minInterval: 1, splitLine: { lineStyle: { color: '#e8ecf2' } } })
const catAxis = (data: string[], rotate = 0) => ({ type: 'category', data, axisLabel: { interval: 0, rotate, fontSize: 11 }, axisTick: { alignWithLabel: true } })

function base(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily: CHART_FONT, fontSize: 12, color: '#333' },
    grid: { left: 64, right: 56, top: 48, bottom: 48, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 4, textStyle: { fontSize: 12 } },
    ...extra,
  }
}

const t = (L: Locale, zh: string, en: string) => (L === 'en' ? en : zh)

export function reportCharts(report: AnyReport, L: Locale): ChartSpec[] {
  switch (report.report) {
    case 'funnel': {
      const d = report.current
      const open = d.stages.filter((s) => s.kind === 'open')
      return [
        {
          id: 'steps',
          title: t(L, '阶段转化（本期新建商机）', 'Stage conversion (deals created in the period)'),
          height: 320,
          option: base({
            tooltip: { trigger: 'item' },
            legend: { show: false },
            series: [
              {
                type: 'funnel',
                sort: 'none',
                left: '12%',
                width: '76%',
                top: 24,
                bottom: 16,
                minSize: '18%',
                gap: 2,
                label: { show: true, position: 'inside', formatter: '{b}：{c}', fontSize: 13, color: '#fff' },
                data: [{ name: t(L, '本期新建', 'Created'), value: d.cohort.count }, ...d.steps.map((s) => ({ name: s.name, value: s.reached }))],
              },
            ],
          }),
          drills: [[d.cohort.drill, ...d.steps.map((s) => s.drill)]],
        },
        {
          id: 'stages',
          title: t(L, '进行中商机（当前）', 'Open deals now'),
          height: 300,
          option: base({
            xAxis: catAxis(open.map((s) => s.name)),
            yAxis: [wanAxis(L), countAxis(L, t(L, '商机数', 'Deals'))],
            series: [
              { name: t(L, '金额', 'Amount'), type: 'bar', barMaxWidth: 48, data: open.map((s) => fenToWan(s.amountFen)), label: { show: true, position: 'top' } },
              { name: t(L, '加权金额', 'Weighted'), type: 'bar', barMaxWidth: 48, data: open.map((s) => fenToWan(s.weightedFen)) },
              { name: t(L, '商机数', 'Deals'), type: 'line', yAxisIndex: 1, data: open.map((s) => s.count), label: { show: true } },
            ],
          }),
          drills: [open.map((s) => s.drill), open.map((s) => s.drill), open.map((s) => s.drill)],
        },
      ]
    }
    case 'sources': {
      const rows = report.current.rows.filter((r) => r.opportunities + r.won + r.lost + (r.leads ?? 0) > 0)
      const names = rows.map((r) => keyLabel(r.source, L))
      return [
        {
          id: 'sources',
          title: t(L, '各来源赢单金额与赢单率', 'Won amount and win rate by source'),
          height: 320,
          option: base({
            xAxis: catAxis(names, names.length > 6 ? 30 : 0),
            yAxis: [wanAxis(L), pctAxis(L)],
            series: [
              { name: t(L, '赢单金额', 'Won amount'), type: 'bar', barMaxWidth: 40, data: rows.map((r) => fenToWan(r.wonFen)) },
              { name: t(L, '赢单率', 'Win rate'), type: 'line', yAxisIndex: 1, data: rows.map((r) => pct(r.winRate.value)), label: { show: true, formatter: '{c}%' } },
            ],
          }),
          drills: [rows.map((r) => r.drills.won), rows.map((r) => r.drills.opportunities)],
        },
      ]
    }
    case 'reps': {
      const rows = report.current.rows
      const names = rows.map((r) => (r.userId === null ? word('unassigned', L) : r.name))
      return [
        {
          id: 'reps',
          title: t(L, '赢单金额与目标', 'Won amount against target'),
          height: Math.max(260, 40 + rows.length * 34),
          option: base({
            grid: { left: 24, right: 48, top: 40, bottom: 24, containLabel: true },
            yAxis: { type: 'category', data: names, inverse: true },
            xAxis: wanAxis(L),
            series: [
              { name: t(L, '赢单金额', 'Won'), type: 'bar', barMaxWidth: 18, data: rows.map((r) => fenToWan(r.wonFen)), label: { show: true, position: 'right' } },
              { name: t(L, '目标', 'Target'), type: 'bar', barMaxWidth: 18, data: rows.map((r) => (r.targetFen === null ? null : fenToWan(r.targetFen))), itemStyle: { color: '#c9d3e3' } },
            ],
          }),
          drills: [rows.map((r) => r.drills.won), rows.map((r) => r.drills.won)],
        },
      ]
    }
    case 'forecast': {
      const m = report.current.months
      const series: Array<Record<string, unknown>> = [
        { name: t(L, '已赢单', 'Won'), type: 'bar', stack: 'f', barMaxWidth: 56, data: m.map((x) => fenToWan(x.wonFen)), itemStyle: { color: PALETTE[1] } },
        { name: t(L, '承诺', 'Commit'), type: 'bar', stack: 'f', data: m.map((x) => fenToWan(x.commitFen)), itemStyle: { color: PALETTE[0] } },
        { name: t(L, '乐观', 'Best case'), type: 'bar', stack: 'f', data: m.map((x) => fenToWan(x.bestCaseFen)), itemStyle: { color: '#8fb0ea' } },
        { name: t(L, '管道', 'Pipeline'), type: 'bar', stack: 'f', data: m.map((x) => fenToWan(x.pipelineFen)), itemStyle: { color: '#d5def0' } },
        { name: t(L, '加权管道', 'Weighted'), type: 'line', data: m.map((x) => fenToWan(x.weightedFen)), itemStyle: { color: PALETTE[2] } },
        { name: t(L, '目标', 'Target'), type: 'line', step: 'middle', data: m.map((x) => (x.targetFen === null ? null : fenToWan(x.targetFen))), itemStyle: { color: PALETTE[3] }, lineStyle: { type: 'dashed' } },
      ]
      return [
        {
          id: 'months',
          title: t(L, '按预计成交月份：已赢单、承诺、乐观与目标', 'By expected close month: won, commit, best case and target'),
          height: 340,
          option: base({ xAxis: catAxis(m.map((x) => x.month)), yAxis: wanAxis(L), series }),
          drills: [m.map((x) => x.drills.won), m.map((x) => x.drills.commit), m.map((x) => x.drills.bestCase), m.map((x) => x.drills.pipeline), m.map((x) => x.drills.open), m.map(() => null)],
        },
      ]
    }
    case 'winloss': {
      const d = report.current
      const comps = d.competitors.filter((c) => c.met > 0)
      const charts: ChartSpec[] = [
        {
          id: 'reasons',
          title: t(L, '输单原因', 'Lost reasons'),
          height: 300,
          option: base({
            tooltip: { trigger: 'item' },
            legend: { orient: 'vertical', right: 8, top: 'middle' },
            series: [{ type: 'pie', radius: ['38%', '68%'], center: ['38%', '52%'], label: { formatter: '{b}\n{d}%' }, data: d.reasons.map((r) => ({ name: keyLabel(r.reason, L), value: r.count })) }],
          }),
          drills: [d.reasons.map((r) => r.drill)],
        },
      ]
      if (comps.length > 0) {
        charts.push({
          id: 'competitors',
          title: t(L, '对各竞争对手的赢单率', 'Win rate against each competitor'),
          height: Math.max(220, 60 + comps.length * 34),
          option: base({
            grid: { left: 24, right: 48, top: 40, bottom: 24, containLabel: true },
            yAxis: { type: 'category', data: comps.map((c) => c.name), inverse: true },
            xAxis: countAxis(L, t(L, '商机数', 'Deals')),
            series: [
              { name: t(L, '赢', 'Won'), type: 'bar', stack: 'c', barMaxWidth: 18, data: comps.map((c) => c.won), itemStyle: { color: PALETTE[1] } },
              { name: t(L, '输', 'Lost'), type: 'bar', stack: 'c', data: comps.map((c) => c.lost), itemStyle: { color: PALETTE[3] } },
            ],
          }),
          drills: [comps.map((c) => c.wonDrill), comps.map((c) => c.lostDrill)],
        })
      }
      return charts
    }
    case 'cycle': {
      const d = report.current
      return [
        {
          id: 'stages',
          title: t(L, '各阶段平均停留天数', 'Average days per stage'),
          height: 280,
          option: base({
            legend: { show: false },
            xAxis: catAxis(d.stages.map((s) => s.name)),
            yAxis: countAxis(L, t(L, '天', 'Days')),
            series: [{ name: t(L, '平均天数', 'Average days'), type: 'bar', barMaxWidth: 56, data: d.stages.map((s) => s.avgDays), label: { show: true, position: 'top' } }],
          }),
          drills: [d.stages.map((s) => s.drill)],
        },
        {
          id: 'buckets',
          title: t(L, '赢单周期分布（天）', 'Cycle length of deals won (days)'),
          height: 280,
          option: base({
            legend: { show: false },
            xAxis: catAxis(d.buckets.map((b) => b.label)),
            yAxis: countAxis(L, t(L, '商机数', 'Deals')),
            series: [{ name: t(L, '商机数', 'Deals'), type: 'bar', barMaxWidth: 56, data: d.buckets.map((b) => b.count), label: { show: true, position: 'top' }, itemStyle: { color: PALETTE[4] } }],
          }),
          drills: [d.buckets.map((b) => b.drill)],
        },
      ]
    }
    case 'distribution': {
      const d = report.current
      const top = d.byProvince.slice(0, 15)
      const ind = d.byIndustry.slice(0, 12)
      const ranked = (id: string, title: string, rows: typeof top): ChartSpec => ({
        id,
        title,
        height: Math.max(240, 50 + rows.length * 26),
        option: base({
          grid: { left: 24, right: 48, top: 40, bottom: 24, containLabel: true },
          yAxis: { type: 'category', data: rows.map((r) => keyLabel(r.key, L)), inverse: true },
          xAxis: countAxis(L, t(L, '客户数', 'Accounts')),
          series: [
            { name: t(L, '客户数', 'Accounts'), type: 'bar', barMaxWidth: 16, data: rows.map((r) => r.accounts), label: { show: true, position: 'right' } },
            { name: t(L, '成交客户', 'Customers'), type: 'bar', barMaxWidth: 16, data: rows.map((r) => r.customers) },
          ],
        }),
        drills: [rows.map((r) => r.drill), rows.map((r) => r.customersDrill)],
      })
      return [ranked('province', t(L, '客户数排名：省份（前 15）', 'Accounts by province (top 15)'), top), ranked('industry', t(L, '客户数排名：行业', 'Accounts by industry'), ind)]
    }
    case 'activity': {
      const d = report.current
      const owners = d.byOwner
      const types = d.byType.map((x) => x.type)
      return [
        {
          id: 'owners',
          title: t(L, '各人员跟进次数（按类型）', 'Activities by person and type'),
          height: Math.max(260, 50 + owners.length * 30),
          option: base({
            grid: { left: 24, right: 48, top: 48, bottom: 24, containLabel: true },
            yAxis: { type: 'category', data: owners.map((o) => (o.userId === null ? word('unassigned', L) : o.name)), inverse: true },
            xAxis: countAxis(L),
            series: types.map((ty) => ({ name: ACTIVITY_TYPE_LABELS[ty][L], type: 'bar', stack: 'a', barMaxWidth: 18, data: owners.map((o) => o.byType[ty] ?? 0) })),
          }),
          drills: types.map((ty) => owners.map((o) => ({ list: 'activities' as const, filter: { ...(o.drill.filter as object), type: ty } }) as Drill)),
        },
        {
          id: 'deals',
          title: t(L, '跟进次数与赢单率', 'Activities per deal and win rate'),
          height: 280,
          option: base({
            xAxis: catAxis(d.byDealActivity.map((b) => word('activitiesBucket', L, { label: b.label }))),
            yAxis: [countAxis(L, t(L, '商机数', 'Deals')), pctAxis(L)],
            series: [
              { name: t(L, '已结商机', 'Closed deals'), type: 'bar', barMaxWidth: 48, data: d.byDealActivity.map((b) => b.deals) },
              { name: t(L, '赢单率', 'Win rate'), type: 'line', yAxisIndex: 1, data: d.byDealActivity.map((b) => pct(b.winRate.value)), label: { show: true, formatter: '{c}%' } },
            ],
          }),
          drills: [d.byDealActivity.map((b) => b.drill), d.byDealActivity.map((b) => b.drill)],
        },
      ]
    }
    case 'insights': {
      const d = report.current
      const overall = pct(d.overall.winRate.value)
      return d.factors
        .filter((f) => f.values.some((v) => v.closed > 0))
        .map((f) => {
          const values = f.values.filter((v) => v.closed > 0).slice(0, 10)
          return {
            id: `factor-${f.factor}`,
            title: `${FACTOR_LABELS[f.factor][L]}${t(L, '与赢单率', ' and win rate')}`,
            height: 260,
            option: base({
              xAxis: catAxis(values.map((v) => v.label), values.length > 6 ? 30 : 0),
              yAxis: pctAxis(L),
              series: [
                {
                  name: t(L, '赢单率', 'Win rate'),
                  type: 'bar',
                  barMaxWidth: 44,
                  data: values.map((v) => pct(v.winRate.value)),
                  label: { show: true, position: 'top', formatter: '{c}%' },
                  markLine: overall === null ? undefined : { symbol: 'none', label: { formatter: t(L, '整体 {c}%', 'overall {c}%') }, lineStyle: { color: PALETTE[3], type: 'dashed' }, data: [{ yAxis: overall }] },
                },
              ],
            }),
            drills: [values.map((v) => v.drill)],
          }
        })
    }
  }
}
