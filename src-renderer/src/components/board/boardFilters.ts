// Board filters as they live in the URL (?view=board&ownerId=3&closeMonth=2026-12 …),
// their conversion to board:get input, and named saved views.
import type { LocationQuery } from 'vue-router'
import { fenToYuanInput, yuanToFen } from '@/utils/format'
import type { BoardApiFilters } from './useBoard'

export interface BoardFilterState {
  pipeline?: string
  q?: string
  ownerId?: number
  team?: string
  source?: string
  tag?: string
  industry?: string
  /** YYYY-MM */
  closeMonth?: string
  /** Scorecard grade A–D. */
  grade?: string
  /** Yuan, as typed. */
  amountMin?: string
  amountMax?: string
}

const STRING_KEYS = ['pipeline', 'q', 'team', 'source', 'tag', 'industry', 'closeMonth', 'grade', 'amountMin', 'amountMax'] as const
export const FILTER_KEYS = [...STRING_KEYS, 'ownerId'] as const

const first = (v: unknown): string | undefined => {
  const text = Array.isArray(v) ? v[0] : v
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined
}

export function filtersFromQuery(query: LocationQuery | Record<string, unknown>): BoardFilterState {
  const out: BoardFilterState = {}
  for (const key of STRING_KEYS) {
    const v = first(query[key])
    if (v !== undefined) out[key] = v
  }
  if (out.closeMonth && !/^\d{4}-\d{2}$/.test(out.closeMonth)) delete out.closeMonth
  if (out.pipeline === 'default') delete out.pipeline
  if (out.grade && !['A', 'B', 'C', 'D'].includes(out.grade)) delete out.grade
  const owner = Number(first(query.ownerId))
  if (Number.isInteger(owner) && owner > 0) out.ownerId = owner
  return out
}

export function filtersToQuery(f: BoardFilterState): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of FILTER_KEYS) {
    const v = f[key]
    if (v !== undefined && v !== null && String(v).trim() !== '' && !(key === 'pipeline' && v === 'default')) out[key] = String(v).trim()
  }
  return out
}

export const hasFilters = (f: BoardFilterState): boolean => Object.keys(filtersToQuery({ ...f, pipeline: undefined })).length > 0

/** Amounts typed in yuan that do not parse are ignored (the input shows them in red). */
export function amountFen(text: string | undefined): number | undefined {
  if (!text) return undefined
  const fen = yuanToFen(text)
  return fen === null || fen < 0 ? undefined : fen
}

export function filtersToApi(f: BoardFilterState): BoardApiFilters {
  const out: BoardApiFilters = {}
  if (f.pipeline) out.pipeline = f.pipeline
  if (f.q) out.q = f.q
  if (f.ownerId) out.ownerId = f.ownerId
  if (f.team) out.team = f.team
  if (f.source) out.source = f.source
  if (f.tag) out.tag = f.tag
  if (f.industry) out.industry = f.industry
  if (f.closeMonth) out.closeMonth = f.closeMonth
  if (f.grade === 'A' || f.grade === 'B' || f.grade === 'C' || f.grade === 'D') out.grade = f.grade
  const min = amountFen(f.amountMin)
  const max = amountFen(f.amountMax)
  if (min !== undefined) out.amountMinFen = min
  if (max !== undefined) out.amountMaxFen = max
  return out
}

// --- Saved views -------------------------------------------------------------
// Kept on the server (views:* with entity 'board'): private to their owner or
// shared with everyone by a manager. A view stores the board:get filters
// without the pipeline, so it applies to whichever pipeline is open.
// Views kept in localStorage by earlier versions are imported once.

/** The filters a board view stores (board:get input, amounts in fen, no pipeline). */
export function filtersToView(f: BoardFilterState): Record<string, unknown> {
  const { pipeline: _pipeline, ...rest } = filtersToApi(f)
  return rest
}

/** A stored view's filters back into the filter bar's state (amounts shown in yuan). */
export function filtersFromView(stored: Record<string, unknown>): BoardFilterState {
  const out = filtersFromQuery({ ...stored, pipeline: undefined, amountMin: undefined, amountMax: undefined, ownerId: stored.ownerId != null ? String(stored.ownerId) : undefined })
  if (typeof stored.amountMinFen === 'number') out.amountMin = fenToYuanInput(stored.amountMinFen)
  if (typeof stored.amountMaxFen === 'number') out.amountMax = fenToYuanInput(stored.amountMaxFen)
  return out
}

/** A view saved in localStorage by an earlier version. */
export interface LegacyBoardView {
  name: string
  filters: BoardFilterState
}

const legacyKey = (userId: number | null | undefined) => `crm.board.views.${userId ?? 'local'}`

export function loadLegacyViews(userId: number | null | undefined): LegacyBoardView[] {
  try {
    const raw = JSON.parse(localStorage.getItem(legacyKey(userId)) ?? '[]') as unknown
    if (!Array.isArray(raw)) return []
    return raw
      .filter((v): v is LegacyBoardView => typeof v === 'object' && v !== null && typeof (v as LegacyBoardView).name === 'string' && (v as LegacyBoardView).name.trim() !== '')
      .map((v) => ({ name: v.name.trim().slice(0, 50), filters: filtersFromQuery((v.filters ?? {}) as Record<string, unknown>) }))
  } catch {
    return []
  }
}

/** Once imported, the old copy goes, so the import runs once. */
export function forgetLegacyViews(userId: number | null | undefined): void {
  try {
    localStorage.removeItem(legacyKey(userId))
  } catch {
    // storage disabled: nothing to forget
  }
}

export const sameFilters = (a: BoardFilterState, b: BoardFilterState): boolean => JSON.stringify(filtersToQuery(a)) === JSON.stringify(filtersToQuery(b))
