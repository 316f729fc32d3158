// The business calendar and the compact money format are computed without
// Intl (a page's first Intl object costs 50-100 ms of start-up): here they are
// held against Intl itself, which is what they replaced.
import { describe, expect, it } from 'vitest'
import { BUSINESS_TZ, businessDate, businessDateTime } from '../src-main/shared/dates'
import { formatFenShort, formatUnits } from '../src-main/shared/money'

/** A seeded generator: the same instants on every run, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

describe('business calendar (Asia/Shanghai, UTC+8, no DST since 1991)', () => {
  const intl = new Intl.DateTimeFormat('en-CA', { timeZone: BUSINESS_TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  const viaIntl = (d: Date) => {
    const p = Object.fromEntries(intl.formatToParts(d).map((x) => [x.type, x.value]))
    return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` }
  }

  it('agrees with Intl on 20,000 instants from 1992 to 2100', () => {
    const next = random(20261129)
    const from = Date.UTC(1992, 0, 1)
    const to = Date.UTC(2100, 0, 1)
    for (let i = 0; i < 20_000; i++) {
      const d = new Date(from + Math.floor(next() * (to - from)))
      expect(businessDateTime(d), d.toISOString()).toEqual(viaIntl(d))
      expect(businessDate(d)).toBe(viaIntl(d).date)
    }
  })

  it('turns the day at 16:00 UTC (midnight in Beijing), including new year and a leap day', () => {
    expect(businessDate(new Date('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31')
    expect(businessDate(new Date('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01')
    expect(businessDateTime(new Date('2028-02-28T16:30:00.000Z'))).toEqual({ date: '2028-02-29', time: '00:30' })
    expect(businessDateTime(new Date('2026-11-29T01:05:00.000Z'))).toEqual({ date: '2026-11-29', time: '09:05' })
  })
})

describe('compact money', () => {
  // What formatMoneyShort did before: yuan as a double, then Intl.NumberFormat.
  const viaIntl = (fen: number, locale: string) => {
    const yuan = fen / 100
    const abs = Math.abs(yuan)
    const fmt = (n: number, digits: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n)
    if (locale === 'zh-CN') {
      if (abs >= 1e8) return `¥${fmt(yuan / 1e8, 2)}亿`
      if (abs >= 1e7) return `¥${fmt(yuan / 1e4, 0)}万`
      if (abs >= 1e4) return `¥${fmt(yuan / 1e4, abs >= 1e6 ? 1 : 2)}万`
      return `¥${fmt(yuan, 0)}`
    }
    if (abs >= 1e6) return `¥${fmt(yuan / 1e6, 2)}M`
    if (abs >= 1e3) return `¥${fmt(yuan / 1e3, 1)}K`
    return `¥${fmt(yuan, 0)}`
  }
  /** The step the shown value is rounded to, in fen (see formatFenShort). */
  const step = (fen: number, locale: string) => {
    const abs = Math.abs(fen)
    if (locale === 'zh-CN') return abs >= 1e10 ? 1e8 : abs >= 1e9 ? 1e6 : abs >= 1e8 ? 1e5 : abs >= 1e6 ? 1e4 : 100
    return abs >= 1e8 ? 1e6 : abs >= 1e5 ? 1e4 : 100
  }

  it('matches the Intl output on 20,000 amounts in both languages, except on exact halves', () => {
    const next = random(7)
    let compared = 0
    for (let i = 0; i < 20_000; i++) {
      // Amounts from ¥0.01 to ¥100亿, spread over the magnitudes, some negative.
      const fen = Math.round(10 ** (next() * 12)) * (next() < 0.1 ? -1 : 1)
      for (const locale of ['zh-CN', 'en']) {
        const s = step(fen, locale)
        if ((Math.abs(fen) % s) * 2 === s) continue // an exact half: see the next test
        // Intl showed amounts that round to nothing as "-0"; they are "0" now.
        expect(formatFenShort(fen, locale), `${fen} ${locale}`).toBe(viaIntl(fen, locale).replace(/^¥-(0)([^.\d,]|$)/, '¥$1$2'))
        compared++
      }
    }
    expect(compared).toBeGreaterThan(39_000)
  })

  it('rounds exact halves away from zero (四舍五入), whatever the binary value of a quotient would be', () => {
    expect(formatFenShort(1_235_000, 'zh-CN')).toBe('¥1.24万')
    expect(formatFenShort(-1_235_000, 'zh-CN')).toBe('¥-1.24万')
    expect(formatFenShort(250, 'zh-CN')).toBe('¥3')
    expect(formatFenShort(1_250_000, 'en')).toBe('¥12.5K')
    expect(formatFenShort(1_255_000, 'en')).toBe('¥12.6K')
  })

  it('groups digits and drops trailing zeros', () => {
    expect(formatUnits(1_234_567, 0)).toBe('1,234,567')
    expect(formatUnits(12_300, 2)).toBe('123')
    expect(formatUnits(12_340, 2)).toBe('123.4')
    expect(formatUnits(5, 2)).toBe('0.05')
    expect(formatUnits(-123_456_789, 1)).toBe('-12,345,678.9')
    expect(formatFenShort(128_000_000_000, 'zh-CN')).toBe('¥12.8亿')
    expect(formatFenShort(1_280_000_000, 'zh-CN')).toBe('¥1,280万')
  })
})
