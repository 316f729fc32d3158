// The opportunities page's code and data, fetched ahead: the chunk of the view
// being opened and, for the board, its first request. main.ts starts them with
// the app's own start-up calls when the app opens on the board (a link, a
// reload): waiting for the router to load and run OpportunitiesPage put the
// board's request and code behind the app shell's first render.
import { filtersFromQuery, filtersToApi } from '@/components/board/boardFilters'
import { prefetchBoard } from '@/components/board/useBoard'

export const loadBoard = () => import('../board/BoardPage.vue')
export const loadList = () => import('./OpportunityListPage.vue')

let started = false

/** Once per page load: the view in the address (board or list) and, for the board, its first request. */
export function prefetchOpeningView(): void {
  if (started) return
  started = true
  const openingQuery = Object.fromEntries(new URLSearchParams(location.hash.split('?')[1] ?? ''))
  if (location.hash.startsWith('#/opportunities') && openingQuery.view === 'board') {
    void loadBoard()
    prefetchBoard(filtersToApi(filtersFromQuery(openingQuery)))
  } else void loadList()
}
