// The pipeline board's state: one column per stage with its totals and a
// sparse list of cards. Only the first page comes with board:get; the rest is
// fetched page by page (board:column, offset/limit) for whatever range a
// column has on screen, so 10,000 deals cost no more than 20.
import { shallowReactive, shallowRef, type ShallowRef } from 'vue'
import { api } from '@/api/client'
import { startupAnswer } from '@/api/startup'
import { FIRST_PAGE, firstPageInput } from './boardQuery'
import type { ApiInput, ApiOutput, Opportunity, Stage } from '@/types'
import { showError } from '@/utils/errors'
import { businessDate } from '../../../../src-main/shared/dates'
import { weightFen } from '../../../../src-main/shared/money'

export type BoardCardData = ApiOutput<'board:get'>['columns'][number]['cards'][number]
export type BoardApiFilters = Omit<ApiInput<'board:get'>, 'perColumn'>

/** Cards fetched per board:column call; pages are aligned to multiples of this. */
export const PAGE = 40

export interface ColumnState {
  stage: Stage
  count: number
  amountFen: number
  weightedFen: number
  /** Length = count; `undefined` = not loaded yet (shown as a placeholder). */
  cards: ShallowRef<Array<BoardCardData | undefined>>
  /** Bumped on every local change, so page answers that raced a change are dropped. */
  gen: number
  /** What the column shows now (first and one-past-last index), kept for reloads. */
  range: [number, number]
  /** Pages being fetched, as "gen:page". */
  pending: Set<string>
}

export interface MoveExtra {
  lostReason?: string | null
  amountFen?: number
  expectedCloseDate?: string
  contactId?: number
}

// --- First paint: the board's first request can leave before the page exists ---
// The route's code calls prefetchBoard() as soon as it arrives, while the app
// is still loading its start-up data; load() then takes that answer instead
// of asking again (same filters, fresh, first load only).
let prefetched: { key: string; at: number; answer: Promise<ApiOutput<'board:get'>>; value?: ApiOutput<'board:get'> } | null = null

/** Returns the answer's arrival (never rejects). */
export function prefetchBoard(filters: BoardApiFilters): Promise<unknown> {
  const input = firstPageInput(filters)
  // Opened on the board, api/startup.ts sent this very call already.
  const answer = startupAnswer('board:get', input)
  const entry: NonNullable<typeof prefetched> = { key: JSON.stringify(input), at: Date.now(), answer }
  prefetched = entry
  // Kept as a plain value too: a board whose answer is already here renders it in its first render.
  return answer.then((value) => void (entry.value = value)).catch(() => undefined) // not signed in yet, say: load() asks again
}

function takePrefetched(input: unknown): Promise<ApiOutput<'board:get'>> | null {
  const p = prefetched
  prefetched = null
  if (!p || p.key !== JSON.stringify(input) || Date.now() - p.at > 10_000) return null
  return p.answer.catch(() => api('board:get', input as ApiInput<'board:get'>))
}

/** The prefetched answer if it has arrived already (taken, like takePrefetched). */
function takeArrived(input: unknown): ApiOutput<'board:get'> | null {
  const p = prefetched
  if (!p?.value || p.key !== JSON.stringify(input) || Date.now() - p.at > 10_000) return null
  prefetched = null
  return p.value
}

type AnswerColumn = ApiOutput<'board:get'>['columns'][number]

/** A copy of `cards` with `page` written in from `offset`. */
function fill(cards: Array<BoardCardData | undefined>, offset: number, page: BoardCardData[]): Array<BoardCardData | undefined> {
  const next = cards.slice()
  page.forEach((card, k) => {
    if (offset + k < next.length) next[offset + k] = card
  })
  return next
}

/** A column's cards as the board's answer has them: its first page, placeholders for the rest. */
function firstCards(col: AnswerColumn): Array<BoardCardData | undefined> {
  return fill(new Array<BoardCardData | undefined>(col.count).fill(undefined), 0, col.cards)
}

function columnState(col: AnswerColumn, cards: Array<BoardCardData | undefined>, gen: number, range: [number, number]): ColumnState {
  return shallowReactive({ stage: col.stage, count: col.count, amountFen: col.amountFen, weightedFen: col.weightedFen, cards: shallowRef(cards), gen, range, pending: new Set<string>() })
}

export function useBoard(filters: () => BoardApiFilters) {
  const columns = shallowRef<ColumnState[]>([])
  const loading = shallowRef(false)
  const loaded = shallowRef(false)
  /** Ids of cards whose move is on its way to the server. */
  const moving = shallowReactive(new Set<number>())
  let loadSeq = 0

  const columnOf = (stageId: number) => columns.value.find((c) => c.stage.id === stageId)

  async function fetchPage(stageId: number, offset: number, limit = PAGE) {
    return api('board:column', { ...filters(), stageId, offset, limit })
  }

  function pagesMissing(cards: Array<BoardCardData | undefined>, [from, to]: [number, number]): number[] {
    const pages = new Set<number>()
    for (let i = from; i < Math.min(to, cards.length); i++) if (!cards[i]) pages.add(Math.floor(i / PAGE))
    return [...pages]
  }

  /** Load (or reload) the whole board; keeps each column's scrolled-to range loaded. */
  async function load(opts: { keepRanges?: boolean } = {}): Promise<void> {
    const mine = ++loadSeq
    loading.value = true
    try {
      const input = { ...filters(), perColumn: FIRST_PAGE }
      // First load with the start-up answer already here: columns now, in the caller's
      // render (no spinner first); each column's first cards are in that answer.
      const arrived = columns.value.length === 0 ? takeArrived(input) : null
      if (arrived) {
        columns.value = arrived.columns.map((col) => columnState(col, firstCards(col), 1, [0, 0]))
        loaded.value = true
        loading.value = false
        return
      }
      const board = await (takePrefetched(input) ?? api('board:get', input))
      const previous = new Map(columns.value.map((c) => [c.stage.id, c]))
      const next = await Promise.all(
        board.columns.map(async (col): Promise<ColumnState> => {
          let cards = firstCards(col)
          const before = previous.get(col.stage.id)
          const range: [number, number] = opts.keepRanges && before ? before.range : [0, 0]
          // Fetch what is on screen before swapping, so a reload does not flash placeholders.
          for (const page of pagesMissing(cards, range)) cards = fill(cards, page * PAGE, (await fetchPage(col.stage.id, page * PAGE)).cards)
          return columnState(col, cards, (before?.gen ?? 0) + 1, range)
        }),
      )
      if (mine !== loadSeq) return
      columns.value = next
      loaded.value = true
    } catch (err) {
      if (mine === loadSeq) showError(err)
    } finally {
      if (mine === loadSeq) loading.value = false
    }
  }

  /** A column scrolled: remember its range and fetch the pages it lacks. */
  function ensureRange(stageId: number, range: [number, number]): void {
    const col = columnOf(stageId)
    if (!col) return
    col.range = range
    for (const page of pagesMissing(col.cards.value, range)) {
      const gen = col.gen
      const key = `${gen}:${page}`
      if (col.pending.has(key)) continue
      col.pending.add(key)
      fetchPage(stageId, page * PAGE)
        .then((res) => {
          if (col.gen !== gen || columnOf(stageId) !== col) return
          col.cards.value = fill(col.cards.value, page * PAGE, res.cards)
        })
        .catch(showError)
        .finally(() => {
          col.pending.delete(key)
          // The column changed meanwhile: ask again for what is still missing.
          if (col.gen !== gen && columnOf(stageId) === col) ensureRange(stageId, col.range)
        })
    }
  }

  function touch(...cols: ColumnState[]): void {
    for (const c of cols) c.gen++
  }

  /** Probability the card will most likely show in the target stage until the server answers. */
  function guessProbability(card: BoardCardData, from: Stage, to: Stage): number {
    if (to.kind !== 'open') return to.probability
    // A hand-set (pinned) probability differs from its stage's default and survives moves.
    return card.probability !== from.probability ? card.probability : to.probability
  }

  /**
   * Move a card optimistically: it leaves its column at once and heads the
   * target column; `commit` sends it. On failure everything is put back.
   */
  async function move(card: BoardCardData, fromStageId: number, toStageId: number, extra: MoveExtra): Promise<Opportunity> {
    const from = columnOf(fromStageId)
    const to = columnOf(toStageId)
    if (!from || !to) throw new Error('unknown column')
    const snapshot = [from, to].map((c) => ({ col: c, count: c.count, amountFen: c.amountFen, weightedFen: c.weightedFen, cards: c.cards.value }))
    const index = from.cards.value.findIndex((c) => c?.id === card.id)
    const amountFen = extra.amountFen ?? card.amountFen
    const probability = guessProbability(card, from.stage, to.stage)
    const optimistic: BoardCardData = {
      ...card,
      amountFen,
      probability,
      expectedCloseDate: extra.expectedCloseDate ?? card.expectedCloseDate,
      daysInStage: 0,
      stale: false,
      closeOverdue: to.stage.kind === 'open' && card.closeOverdue,
    }
    if (index >= 0) {
      const cards = from.cards.value.slice()
      cards.splice(index, 1)
      from.cards.value = cards
    }
    from.count--
    from.amountFen -= card.amountFen
    from.weightedFen -= weightFen(card.amountFen, card.probability)
    to.cards.value = [optimistic, ...to.cards.value]
    to.count++
    to.amountFen += amountFen
    to.weightedFen += weightFen(amountFen, probability)
    touch(from, to)
    moving.add(card.id)
    try {
      const result = await api('opportunities:move', { id: card.id, stageId: toStageId, version: card.version, ...extra })
      // The server's word on version, amount and (possibly pinned) probability.
      const i = to.cards.value.findIndex((c) => c?.id === card.id)
      if (i >= 0) {
        const cards = to.cards.value.slice()
        cards[i] = {
          ...optimistic,
          version: result.version,
          amountFen: result.amountFen,
          probability: result.probability,
          expectedCloseDate: result.expectedCloseDate,
          closeOverdue: result.status === 'open' && result.expectedCloseDate != null && result.expectedCloseDate < businessDate(new Date()),
        }
        to.cards.value = cards
        to.amountFen += result.amountFen - amountFen
        to.weightedFen += weightFen(result.amountFen, result.probability) - weightFen(amountFen, probability)
        touch(to)
      }
      return result
    } catch (err) {
      for (const s of snapshot) {
        s.col.count = s.count
        s.col.amountFen = s.amountFen
        s.col.weightedFen = s.weightedFen
        s.col.cards.value = s.cards
      }
      touch(from, to)
      throw err
    } finally {
      moving.delete(card.id)
    }
  }

  return { columns, loading, loaded, moving, load, ensureRange, move, columnOf }
}
