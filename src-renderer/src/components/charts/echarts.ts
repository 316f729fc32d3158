// Only the ECharts parts we use (smaller bundle, no eval, no remote content).
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { BarChart, FunnelChart, LineChart, PieChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components'

// Line, pie and mark lines: the report charts (src-main/shared/reports/charts.ts).
use([CanvasRenderer, BarChart, FunnelChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, MarkLineComponent])

export const CHART_COLORS = ['#2f6bff', '#14b8a6', '#f59e0b', '#22c55e', '#ef4444', '#8b5cf6']
export const CHART_FONT = '-apple-system, BlinkMacSystemFont, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Segoe UI", sans-serif'
