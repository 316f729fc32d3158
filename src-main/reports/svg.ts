// Charts for print and for the workbook: the same ECharts option the screen
// uses, rendered on the server by ECharts' own SVG renderer (no canvas, no
// browser needed for this step).
// ECharts is loaded on first use: a megabyte of code the app and the command line
// need only when they export. Its one-file minified ES module build: the package's
// main entry is several hundred modules, and loading those took a second of CPU
// (several under load) of every PDF export; the bundle loads in a fifth of that.
type ECharts = typeof import('echarts')
let loading: Promise<ECharts> | null = null

/** Start loading ECharts (an export calls this before it waits for the browser). */
export function loadECharts(): Promise<ECharts> {
  // CommonJS interop differs between tsx, Node ESM and the bundled main process: take the namespace either way.
  loading ??= import('echarts/dist/echarts.esm.min.mjs').then((m) => (typeof m.init === 'function' ? m : (m as unknown as { default: ECharts }).default) as ECharts)
  return loading
}

export async function renderChartSvg(option: Record<string, unknown>, width: number, height: number): Promise<string> {
  const echarts = await loadECharts()
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    // Animation off: with it on, SSR keeps a timer alive and the string shows the first frame.
    chart.setOption({ ...option, animation: false })
    // ECharts writes a text's font into a double-quoted style attribute as is: a family list
    // quoted with " ("Noto Sans CJK SC", ...) would end the attribute early. Single quotes keep it whole.
    return chart.renderToSVGString().replace(/style="([^"]*?font-family:)((?:[^";]|"[^"]*")*)/g, (_m, head: string, fams: string) => `style="${head}${fams.replace(/"/g, "'")}`)
  } finally {
    chart.dispose()
  }
}
