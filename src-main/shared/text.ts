// Text normalisation shared by write-time search columns and query input.
// better-sqlite3 has no ICU, so `lower()`/`like` do not fold full-width forms:
// we fold with NFKC once, when a row is written, into a `search_text` column.

/** NFKC-fold, lower-case and collapse white space. Full-width "ＡＢＣ１２３" → "abc123". */
export function foldText(value: string | null | undefined): string {
  if (!value) return ''
  return value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
}

/** Join the searchable fields of a record into one folded string. */
export function searchText(...parts: Array<string | null | undefined>): string {
  return parts.map(foldText).filter(Boolean).join(' ')
}

/** Escape `%`, `_` and the escape char itself for a LIKE pattern used with ESCAPE '\'. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** Pattern for "contains the folded query"; use it with `escape '\'` (services/search.ts). */
export function likeContains(query: string): string {
  return `%${escapeLike(foldText(query))}%`
}
