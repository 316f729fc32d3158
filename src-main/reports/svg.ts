// Charts for print and for the workbook: the same ECharts option the screen
// uses, rendered on the server by ECharts' own SVG renderer (no canvas, no
// browser needed for this step).
// ECharts is loaded on first use: a megabyte of code the app and the command line
// need only when they export.
type ECharts = typeof import('echarts')
let echarts: ECharts | null = null

export async function renderChartSvg(option: Record<string, unknown>, width: number, height: number): Promise<string> {
  // CommonJS interop differs between tsx, Node ESM and the bundled main process: take the namespace either way.
  echarts ??= await import('echarts').then((m) => (typeof m.init === 'function' ? m : (m as unknown as { default: ECharts }).default))
  const chart = (echarts as ECharts).init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    // Animation off: with it on, SSR keeps a timer alive and the string shows the first frame.
    chart.setOption({ ...option, animation: false })
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}
