// Row selection across pages of a list (bulk actions, merge): selected rows are
// kept by id with their last known values, so a selection survives paging.
import { computed, ref, type Ref } from 'vue'

export function useRowSelection<T extends { id: number }>(rows: () => T[], reload: () => Promise<void>) {
  const selected = ref(new Map<number, T>()) as Ref<Map<number, T>>
  const selectedIds = computed(() => [...selected.value.keys()])
  const pageIds = computed(() => rows().map((r) => r.id))
  const allOnPage = computed(() => pageIds.value.length > 0 && pageIds.value.every((id) => selected.value.has(id)))
  const someOnPage = computed(() => pageIds.value.some((id) => selected.value.has(id)) && !allOnPage.value)

  function setRows(list: T[], on: boolean): void {
    const next = new Map(selected.value)
    for (const row of list) {
      if (on) next.set(row.id, row)
      else next.delete(row.id)
    }
    selected.value = next
  }
  const toggleRow = (row: T, on: boolean) => setRows([row], on)
  const togglePage = (on: boolean) => setRows(rows(), on)
  function clearSelection(): void {
    selected.value = new Map()
  }
  /** Reload after a bulk action, keeping the selection with the rows' new values. */
  async function afterBulk(): Promise<void> {
    await reload()
    const current = rows()
    const next = new Map<number, T>()
    for (const [id, row] of selected.value) next.set(id, current.find((r) => r.id === id) ?? row)
    selected.value = next
  }
  return { selected, selectedIds, allOnPage, someOnPage, toggleRow, togglePage, clearSelection, afterBulk }
}
