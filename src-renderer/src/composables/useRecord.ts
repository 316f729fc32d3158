import { ref, watch, type Ref } from 'vue'
import { api } from '@/api/client'
import type { ApiInput, ApiOutput } from '@/types'
import { isApiError, showError } from '@/utils/errors'
import { useDataChanged } from './useDataChanged'

type GetMethod = 'accounts:get' | 'leads:get' | 'opportunities:get'

/** One record for a detail page: loads on id change and after any write. */
export function useRecord<K extends GetMethod>(method: K, id: Ref<number>) {
  const record = ref<ApiOutput<K> | null>(null) as Ref<ApiOutput<K> | null>
  const loading = ref(false)
  const notFound = ref(false)

  async function load(): Promise<void> {
    if (!Number.isInteger(id.value) || id.value <= 0) {
      notFound.value = true
      return
    }
    loading.value = true
    try {
      record.value = (await api(method, { id: id.value } as ApiInput<K>)) as ApiOutput<K>
      notFound.value = false
    } catch (err) {
      if (isApiError(err, 'NOT_FOUND')) notFound.value = true
      else showError(err)
    } finally {
      loading.value = false
    }
  }

  watch(id, load, { immediate: true })
  useDataChanged(() => {
    if (!notFound.value) void load()
  })
  return { record, loading, notFound, load }
}
