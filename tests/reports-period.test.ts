// Period arithmetic of the reports (pure).
import { describe, expect, it } from 'vitest'
import { instantRange, monthsTouched, presetRange, previousPeriod, wholeMonths } from '../src-main/shared/reports/period'
import { chunkByHeight, svgGallery } from '../src-main/reports/printer'
import { formatCell } from '../src-main/shared/reports/format'
import { safeText, sheetName } from '../src-main/reports/xlsx'

describe('report periods', () => {
  it('defaults to the month, quarter or year of today', () => {
    expect(presetRange('month', '2026-02-14')).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    expect(presetRange('month', '2028-02-14')).toEqual({ from: '2028-02-01', to: '2028-02-29' })
    expect(presetRange('quarter', '2026-11-29')).toEqual({ from: '2026-10-01', to: '2026-12-31' })
    expect(presetRange('quarter', '2026-01-01')).toEqual({ from: '2026-01-01', to: '2026-03-31' })
    expect(presetRange('year', '2026-06-30')).toEqual({ from: '2026-01-01', to: '2026-12-31' })
  })

  it('compares with the period just before: whole months by months, other ranges by days', () => {
    expect(previousPeriod({ from: '2026-03-01', to: '2026-03-31' })).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    expect(previousPeriod({ from: '2026-01-01', to: '2026-03-31' })).toEqual({ from: '2025-10-01', to: '2025-12-31' })
    expect(previousPeriod({ from: '2026-03-10', to: '2026-03-19' })).toEqual({ from: '2026-02-28', to: '2026-03-09' })
    expect(previousPeriod({ from: '2026-11-29', to: '2026-11-29' })).toEqual({ from: '2026-11-28', to: '2026-11-28' })
    expect(wholeMonths({ from: '2026-02-01', to: '2026-02-27' })).toBeNull()
    expect(monthsTouched({ from: '2025-12-15', to: '2026-02-01' })).toEqual(['2025-12', '2026-01', '2026-02'])
  })

  it('turns business days into UTC instants at +08:00', () => {
    expect(instantRange({ from: '2026-11-01', to: '2026-11-30' })).toEqual({ start: '2026-10-31T16:00:00.000Z', end: '2026-11-30T16:00:00.000Z' })
  })
})

describe('export helpers', () => {
  it('formats cells, neutralises formulas, names sheets within Excel’s rules', () => {
    expect([formatCell(12345678, 'fen'), formatCell(2 / 3, 'ratio'), formatCell(null, 'int'), formatCell(-10, 'points'), formatCell(15.66, 'days')]).toEqual(['123,456.78', '66.7%', '—', '-10.0 pp', '15.7'])
    expect([safeText('=1+1'), safeText('-5'), safeText('@x'), safeText('展会')]).toEqual(["'=1+1", "'-5", "'@x", '展会'])
    const used = new Set<string>()
    expect(sheetName('各阶段商机（进行中为当前，成交/输单为本期关闭）', used)).toBe('各阶段商机（进行中为当前，成交 输单为本期关闭）'.slice(0, 31))
    expect(sheetName('关键指标', used)).toBe('关键指标')
    expect(sheetName('关键指标', used)).toBe('关键指标 2')
  })

  it('stacks chart images without gaps and cuts tall galleries', () => {
    const im = (h: number) => ({ svg: '<svg width="10"></svg>', width: 10, height: h })
    const g = svgGallery([im(5), im(7)], 2)
    expect(g.rects).toEqual([
      { x: 0, y: 0, width: 20, height: 10 },
      { x: 0, y: 10, width: 20, height: 14 },
    ])
    expect(g.html).toContain('<svg style="display:block;width:20px;height:14px" width="10">')
    expect(chunkByHeight([im(5), im(5), im(5), im(20)], 1, 10).map((c) => c.length)).toEqual([2, 1, 1])
  })
})
