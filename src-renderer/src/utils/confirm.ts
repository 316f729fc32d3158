import { ElMessageBox } from 'element-plus'
import { t } from '@/i18n'

/** Ask before deleting; resolves true when the user confirmed. */
export async function confirmDelete(name: string): Promise<boolean> {
  try {
    await ElMessageBox.confirm(t('common.deleteConfirm', { name }), t('common.deleteTitle'), {
      type: 'warning',
      confirmButtonText: t('common.delete'),
      cancelButtonText: t('common.cancel'),
      confirmButtonClass: 'el-button--danger',
    })
    return true
  } catch {
    return false
  }
}
