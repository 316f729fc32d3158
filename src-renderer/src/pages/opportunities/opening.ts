// The opportunities page's code and data, fetched ahead: the chunk of the view
// being opened and, for the board, its first request. main.ts starts them with
// the app's own start-up calls when the app opens on the board (a link, a
// reload): waiting for the router to load and run OpportunitiesPage put the
// board's request and code behind the app shell's first render.
import { openingBoardFilters } from '@/components/board/boardQuery'
import { prefetchBoard } from '@/components/board/useBoard'

/**
 * Each view's chunk, imported once: the page's async component then gets the
 * promise main.ts started, already settled, and renders in the same task (a
 * second `import()` of a loaded module still answers a task later).
 */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let chunk: Promise<T> | null = null
  return () =>
    (chunk ??= load().catch((err: unknown) => {
      chunk = null // a failed load is tried again next time
      throw err
    }))
}
export const loadBoard = once(() => import('../board/BoardPage.vue'))
export const loadList = once(() => import('./OpportunityListPage.vue'))

let started = false
let arrived: Promise<unknown> = Promise.resolve()

/** Once per page load: the view in the address (board or list) and, for the board, its first request. */
export function prefetchOpeningView(): void {
  if (started) return
  started = true
  const filters = openingBoardFilters()
  if (filters) {
    arrived = Promise.all([loadBoard().catch(() => undefined), prefetchBoard(filters)])
  } else void loadList()
}

/**
 * Resolves (never rejects) once the board opened directly has its code and its
 * first answer: the app then renders its shell and the board in one pass
 * (stores/app.ts init) rather than the shell first and the columns a moment later.
 */
export function openingViewArrived(): Promise<unknown> {
  return arrived
}
