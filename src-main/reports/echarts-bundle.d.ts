// ECharts' single-file ES module build: the same library as 'echarts' (whose types it shares), in one
// minified module rather than several hundred, so loading it takes a fraction of the time (svg.ts).
declare module 'echarts/dist/echarts.esm.min.mjs' {
  export * from 'echarts'
}
