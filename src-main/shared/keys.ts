// Business keys for duplicate control: the same customer typed two ways must
// give the same key. Pure functions (the renderer may show them too).

// Legal-form endings that people add or leave out ("杭州云帆科技" = "杭州云帆科技有限公司").
// Longest first so that "股份有限公司" is removed whole rather than leaving "股份".
const LEGAL_SUFFIXES = [
  '股份有限公司', '有限责任公司', '有限公司', '分公司',
  'companylimited', 'corporation', 'company', 'limited', 'corp', 'inc', 'llc', 'ltd', 'co', 'gmbh',
]

/**
 * Key of a company name: NFKC (full-width → half-width, "（" → "("), lower case,
 * only letters and digits kept, one legal-form suffixes dropped. Empty → null.
 */
export function companyKey(name: string | null | undefined): string | null {
  if (!name) return null
  let key = name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')
  // "Co., Ltd." is two endings: drop them one after the other.
  for (let again = true; again; ) {
    again = false
    for (const suffix of LEGAL_SUFFIXES) {
      if (key.length > suffix.length + 1 && key.endsWith(suffix)) {
        key = key.slice(0, -suffix.length)
        again = true
        break
      }
    }
  }
  return key || null
}

/** E-mail addresses compare case-insensitively (the local part too, in practice). */
export function emailKey(email: string | null | undefined): string | null {
  const e = email?.normalize('NFKC').trim().toLowerCase()
  return e ? e : null
}
