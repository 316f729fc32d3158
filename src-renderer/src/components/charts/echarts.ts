// Only the ECharts parts we use (smaller bundle, no eval, no remote content).
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { BarChart, FunnelChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components'

use([CanvasRenderer, BarChart, FunnelChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent])

export const CHART_COLORS = ['#2f6bff', '#14b8a6', '#f59e0b', '#22c55e', '#ef4444', '#8b5cf6']
export const CHART_FONT = '-apple-system, BlinkMacSystemFont, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Segoe UI", sans-serif'
