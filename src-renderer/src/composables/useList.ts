// Paged, filtered, sorted lists: one place for the fetch, the URL query
// (so back/forward and links such as ?stageId=3 work) and live refresh.
import { computed, onMounted, reactive, ref, shallowRef, watch } from 'vue'
import { useRoute, useRouter, type LocationQuery } from 'vue-router'
import { api } from '@/api/client'
import { showError } from '@/utils/errors'
import type { ApiInput, ApiOutput } from '@/types'
import { useDataChanged } from './useDataChanged'

export type ListMethod = 'accounts:list' | 'leads:list' | 'opportunities:list' | 'activities:list' | 'contacts:list'
export type ListRow<K extends ListMethod> = ApiOutput<K> extends { rows: Array<infer R> } ? R : never
export type FilterKind = 'string' | 'number' | 'boolean'
export type FilterValue = string | number | boolean | null | undefined

const isSet = (v: FilterValue) => v !== undefined && v !== null && v !== '' && v !== false
export type SortOrder = 'asc' | 'desc'

export interface ListOptions<K extends ListMethod> {
  /** Filter names and kinds; they are read from and written to the URL query. */
  filters?: Record<string, FilterKind>
  /** Input that is always sent (e.g. the account on a detail page). */
  fixed?: () => Partial<ApiInput<K>>
  sort?: string
  order?: SortOrder
  pageSize?: number
  /** Keep page, search and filters in the URL query (list pages); off for embedded lists. */
  syncQuery?: boolean
}

function parseValue(raw: unknown, kind: FilterKind): FilterValue {
  const text = Array.isArray(raw) ? raw[0] : raw
  if (typeof text !== 'string' || text === '') return undefined
  if (kind === 'number') return Number.isFinite(Number(text)) ? Number(text) : undefined
  if (kind === 'boolean') return text === 'true' || text === '1'
  return text
}

/** Pages wrap the result in reactive() so templates read list.rows, list.q, … */
export function useList<K extends ListMethod>(method: K, opts: ListOptions<K> = {}) {
  const route = useRoute()
  const router = useRouter()
  const kinds = opts.filters ?? {}
  const sync = opts.syncQuery ?? true
  const defaultSort = opts.sort
  const defaultOrder: SortOrder = opts.order ?? 'desc'

  const filters = reactive<Record<string, FilterValue>>(Object.fromEntries(Object.keys(kinds).map((k) => [k, undefined])))
  const q = ref('')
  const page = ref(1)
  const pageSize = ref(opts.pageSize ?? 20)
  const sort = ref<string | undefined>(defaultSort)
  const order = ref<SortOrder>(defaultOrder)
  const rows = shallowRef<ListRow<K>[]>([])
  const total = ref(0)
  const loading = ref(false)
  const loaded = ref(false)
  let seq = 0

  function readQuery(query: LocationQuery): void {
    q.value = typeof query.q === 'string' ? query.q : ''
    page.value = Math.max(1, Number(query.page) || 1)
    for (const [key, kind] of Object.entries(kinds)) filters[key] = parseValue(query[key], kind)
  }

  function queryFromState(): Record<string, string> {
    const out: Record<string, string> = {}
    if (q.value.trim()) out.q = q.value.trim()
    if (page.value > 1) out.page = String(page.value)
    for (const [key, value] of Object.entries(filters)) if (isSet(value)) out[key] = String(value)
    return out
  }

  function buildInput(): ApiInput<K> {
    const input: Record<string, unknown> = { ...opts.fixed?.(), page: page.value, pageSize: pageSize.value, order: order.value }
    if (sort.value) input.sort = sort.value
    if (q.value.trim()) input.q = q.value.trim()
    for (const [key, value] of Object.entries(filters)) if (isSet(value)) input[key] = value
    return input as ApiInput<K>
  }

  async function load(): Promise<void> {
    const mine = ++seq
    loading.value = true
    try {
      const result = (await api(method, buildInput())) as unknown as { rows: ListRow<K>[]; total: number }
      if (mine !== seq) return
      // A delete can empty the last page: step back to the new last page.
      if (result.rows.length === 0 && result.total > 0 && page.value > 1) {
        page.value = Math.ceil(result.total / pageSize.value)
        return void load()
      }
      rows.value = result.rows
      total.value = result.total
    } catch (err) {
      if (mine === seq) showError(err)
    } finally {
      if (mine === seq) {
        loading.value = false
        loaded.value = true
      }
    }
  }

  function writeQuery(): void {
    if (!sync) return
    const next = queryFromState()
    if (JSON.stringify(next) !== JSON.stringify(route.query)) void router.replace({ query: next })
  }

  /** Apply changed search or filters: back to page 1. */
  function apply(): void {
    page.value = 1
    writeQuery()
    void load()
  }

  function setPage(p: number): void {
    page.value = p
    writeQuery()
    void load()
  }

  function setPageSize(size: number): void {
    pageSize.value = size
    apply()
  }

  function setSort(key: string | null, dir: SortOrder | null): void {
    sort.value = key && dir ? key : defaultSort
    order.value = key && dir ? dir : defaultOrder
    apply()
  }

  function resetFilters(): void {
    for (const key of Object.keys(filters)) filters[key] = undefined
    q.value = ''
    apply()
  }

  let searchTimer: ReturnType<typeof setTimeout> | undefined
  function onSearchInput(): void {
    clearTimeout(searchTimer)
    searchTimer = setTimeout(apply, 300)
  }

  if (sync) {
    readQuery(route.query)
    const routeName = route.name
    // Links into the page while it is open (e.g. from a report); not the navigation away from it.
    watch(
      () => route.query,
      (query) => {
        if (route.name !== routeName || JSON.stringify(query) === JSON.stringify(queryFromState())) return
        readQuery(query)
        void load()
      },
    )
  }

  onMounted(load)
  useDataChanged(load)

  const hasFilters = () => Boolean(q.value.trim()) || Object.values(filters).some(isSet)

  /** The rows, paging and sorting of a list page's table: `<DataTable v-bind="list.table">`. */
  const table = computed(() => ({
    rows: rows.value,
    total: total.value,
    page: page.value,
    pageSize: pageSize.value,
    loading: loading.value,
    loaded: loaded.value,
    'onUpdate:page': setPage,
    'onUpdate:pageSize': setPageSize,
    onSort: setSort,
  }))

  return { rows, total, page, pageSize, loading, loaded, filters, q, sort, order, table, load, apply, setPage, setPageSize, setSort, resetFilters, onSearchInput, hasFilters }
}
