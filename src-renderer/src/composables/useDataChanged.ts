import { onBeforeUnmount, onMounted } from 'vue'
import { onEvent } from '@/api/client'

/** Run `fn` (debounced) whenever any write anywhere changed data, while the component lives. */
export function useDataChanged(fn: () => void, delay = 300): void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let off: (() => void) | undefined
  onMounted(() => {
    off = onEvent('data:changed', () => {
      clearTimeout(timer)
      timer = setTimeout(fn, delay)
    })
  })
  onBeforeUnmount(() => {
    off?.()
    clearTimeout(timer)
  })
}
