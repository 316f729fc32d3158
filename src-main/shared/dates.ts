// Time policy (see docs/ARCHITECTURE.md): instants are stored as UTC ISO-8601
// strings ("2026-11-29T09:00:00.000Z"); calendar dates (birthdays, expected
// close dates) as "YYYY-MM-DD" in the business time zone, Asia/Shanghai.

export const BUSINESS_TZ = 'Asia/Shanghai'

export function isoNow(now: Date = new Date()): string {
  return now.toISOString()
}

/** The calendar date in the business time zone for an instant. */
// en-CA formats as YYYY-MM-DD. Built once: constructing a formatter costs ~0.2 ms (imports call this per row).
const BUSINESS_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: BUSINESS_TZ, year: 'numeric', month: '2-digit', day: '2-digit' })

export function businessDate(at: Date): string {
  return BUSINESS_DATE.format(at)
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000)
}
