// Board filters: their URL and API forms (boardQuery.ts, re-exported here) and
// named saved views.
import { fenToYuanInput } from '@/utils/format'
import { filtersFromQuery, filtersToApi, filtersToQuery, type BoardFilterState } from './boardQuery'

export * from './boardQuery'

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
