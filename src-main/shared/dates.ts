// Time policy (see docs/ARCHITECTURE.md): instants are stored as UTC ISO-8601
// strings ("2026-11-29T09:00:00.000Z"); calendar dates (birthdays, expected
// close dates) as "YYYY-MM-DD" in the business time zone, Asia/Shanghai.

export const BUSINESS_TZ = 'Asia/Shanghai'

export function isoNow(now: Date = new Date()): string {
  return now.toISOString()
}

// Asia/Shanghai is UTC+8 all year: China has kept no daylight saving time since
// 1991. So the business calendar is plain arithmetic, not Intl: the first Intl
// object a page creates loads ICU's data, 50-100 ms of the board's start-up on
// a slow machine (and one DateTimeFormat per call site). tests/dates-money-format.test.ts
// checks it against Intl's Asia/Shanghai over 1992-2100.
const BUSINESS_OFFSET_MS = 8 * 3_600_000

/** The instant shifted to business wall-clock time, read with the UTC getters. */
function wallClock(at: Date): Date {
  return new Date(at.getTime() + BUSINESS_OFFSET_MS)
}

/** The calendar date in the business time zone for an instant, "YYYY-MM-DD". */
export function businessDate(at: Date): string {
  return wallClock(at).toISOString().slice(0, 10)
}

/** Date and time of day in the business time zone: "YYYY-MM-DD" and "HH:mm". */
export function businessDateTime(at: Date): { date: string; time: string } {
  const iso = wallClock(at).toISOString()
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) }
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000)
}
