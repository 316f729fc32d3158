// Element Plus, registered component by component: only what the app's
// templates use is bundled and evaluated at start-up (the full `app.use(ElementPlus)`
// was three quarters of the start-up bundle). A component a template uses but
// this list lacks would render as an unknown tag: tests/board-element-plus.test.ts
// scans every .vue file and fails on it, so add new ones here.
import type { App, Plugin } from 'vue'
import {
  ElAlert,
  ElAvatar,
  ElButton,
  ElCard,
  ElCheckbox,
  ElCol,
  ElConfigProvider,
  ElDatePicker,
  ElDescriptions,
  ElDialog,
  ElDrawer,
  ElDropdown,
  ElEmpty,
  ElForm,
  ElIcon,
  ElInput,
  ElInputNumber,
  ElLoading,
  ElMessage,
  ElMessageBox,
  ElNotification,
  ElPagination,
  ElPopover,
  ElProgress,
  ElRadio,
  ElRate,
  ElResult,
  ElRow,
  ElSegmented,
  ElSelect,
  ElSkeleton,
  ElSteps,
  ElSwitch,
  ElTable,
  ElTabs,
  ElTag,
  ElTimeline,
  ElTooltip,
} from 'element-plus'

/**
 * Each installs its sub-components too (ElSelect → ElOption, ElForm → ElFormItem,
 * ElDropdown → ElDropdownMenu/Item, ElTable → ElTableColumn, ElTabs → ElTabPane,
 * ElCheckbox → ElCheckboxGroup, ElRadio → ElRadioGroup/Button, ElDescriptions → item,
 * ElTimeline → item, ElSteps → ElStep). ElLoading brings the v-loading directive.
 */
export const ELEMENT_PLUGINS: Plugin[] = [
  ElAlert,
  ElAvatar,
  ElButton,
  ElCard,
  ElCheckbox,
  ElCol,
  ElConfigProvider,
  ElDatePicker,
  ElDescriptions,
  ElDialog,
  ElDrawer,
  ElDropdown,
  ElEmpty,
  ElForm,
  ElIcon,
  ElInput,
  ElInputNumber,
  ElPagination,
  ElPopover,
  ElProgress,
  ElRadio,
  ElRate,
  ElResult,
  ElRow,
  ElSegmented,
  ElSelect,
  ElSkeleton,
  ElSteps,
  ElSwitch,
  ElTable,
  ElTabs,
  ElTag,
  ElTimeline,
  ElTooltip,
  // Directives and services: v-loading; messages and boxes share the app's context.
  ElLoading,
  ElMessage,
  ElMessageBox,
  ElNotification,
]

export function installElementPlus(app: App): void {
  for (const plugin of ELEMENT_PLUGINS) app.use(plugin)
}
