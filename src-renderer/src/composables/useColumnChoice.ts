// The visible columns of a list page: remembered on this computer (localStorage),
// replaced by a saved view's own, offered to the column picker, and turned into
// the export's columns. Required columns are always kept.
import { computed, ref, watch } from 'vue'

export interface ListColumn {
  key: string
  /** Export columns (export service keys) this list column stands for. */
  export: string[]
  required?: boolean
  default?: boolean
}

export function useColumnChoice(storageKey: string, columns: ListColumn[], label: (key: string) => string) {
  const defaults = columns.filter((c) => c.default).map((c) => c.key)
  /** The chosen keys in the list's order, required ones added. */
  const keep = (chosen: readonly unknown[]) => columns.filter((c) => chosen.includes(c.key) || c.required).map((c) => c.key)

  function stored(): string[] | null {
    try {
      const v = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as unknown
      return Array.isArray(v) ? keep(v) : null
    } catch {
      return null
    }
  }
  const visible = ref<string[]>(stored() ?? [...defaults])
  watch(visible, (v) => {
    try {
      localStorage.setItem(storageKey, JSON.stringify(v))
    } catch {
      // private mode: the choice lasts for this session
    }
  })
  const shown = (key: string) => visible.value.includes(key)
  return {
    visible,
    shown,
    columnOptions: computed(() => columns.map((c) => ({ key: c.key, label: label(c.key), required: c.required }))),
    exportColumns: computed(() => columns.filter((c) => shown(c.key)).flatMap((c) => c.export)),
    /** A saved view's columns (none: the defaults). */
    applyView(chosen: readonly string[] | undefined): void {
      visible.value = chosen?.length ? keep(chosen) : [...defaults]
    },
  }
}
