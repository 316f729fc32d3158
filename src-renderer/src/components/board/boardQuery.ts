// Board filters as they live in the URL (?view=board&ownerId=3&closeMonth=2026-12 …)
// and their conversion to board:get input. No dependency on Vue or the app's
// modules: the start-up calls (api/startup.ts) use it before those load.
import type { LocationQuery } from 'vue-router'
import { yuanToFen } from '../../../../src-main/shared/money'
import type { ApiInput } from '@/types'
import type { BoardApiFilters } from './useBoard'

/** Cards per column in the board's first answer (board:get). */
export const FIRST_PAGE = 20

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

/** The board's filters from the address when the app opens on the board (a link, a reload), else null. */
export function openingBoardQuery(hash = location.hash): Record<string, string> | null {
  if (hash.split('?')[0] !== '#/opportunities') return null
  const query = Object.fromEntries(new URLSearchParams(hash.split('?')[1] ?? ''))
  return query.view === 'board' ? query : null
}

/** The same, as board:get's filters: what the opening board asks for first (api/startup.ts, opening.ts). */
export function openingBoardFilters(hash = location.hash): BoardApiFilters | null {
  const query = openingBoardQuery(hash)
  return query ? filtersToApi(filtersFromQuery(query)) : null
}

/** board:get's input for the first answer with these filters. */
export function firstPageInput(filters: BoardApiFilters): ApiInput<'board:get'> {
  return { ...filters, perColumn: FIRST_PAGE }
}
