// Chinese phone numbers as people type them: "138 0013 8000", "+86-138-0013-8000",
// full-width "１３８…". Mobiles become 11 digits; landlines ("0532-88886666") are kept.

const MOBILE = /^1[3-9]\d{9}$/

export function normalizeMobile(raw: string | null | undefined): string | null {
  if (!raw) return null
  let digits = raw.normalize('NFKC').replace(/[\s\-–—().（）]/g, '')
  if (digits.startsWith('+86')) digits = digits.slice(3)
  else if (digits.startsWith('0086')) digits = digits.slice(4)
  else if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2)
  return MOBILE.test(digits) ? digits : null
}

export function isMobile(value: string): boolean {
  return MOBILE.test(value)
}

/** Landline or other phone: keep the digits and one dash after the area code. */
export function normalizePhone(raw: string | null | undefined): string | null {
  if (!raw) return null
  const text = raw.normalize('NFKC').trim()
  if (!text) return null
  return text.replace(/\s+/g, '')
}
