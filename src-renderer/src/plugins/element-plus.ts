// Element Plus, registered component by component: only what the app's
// templates use is bundled and evaluated at start-up (the full `app.use(ElementPlus)`
// was three quarters of the start-up bundle). A component a template uses but
// this list lacks would render as an unknown tag: tests/board-element-plus.test.ts
// scans every .vue file and fails on it, so add new ones here.
import type { App, Plugin } from 'vue'
import type * as LaterPlugins from './element-plus-later'
import { openingBoardQuery } from '@/components/board/boardQuery'
import {
  ElAvatar,
  ElButton,
  ElConfigProvider,
  ElDropdown,
  ElEmpty,
  ElIcon,
  ElInput,
  ElLoading,
  ElMessage,
  ElNotification,
  ElPopover,
  ElResult,
  ElSegmented,
} from 'element-plus'

type LaterName = keyof typeof LaterPlugins
interface Later {
  later: LaterName
}
const later = (name: LaterName): Later => ({ later: name })
const isLater = (entry: Plugin | Later): entry is Later => typeof entry === 'object' && 'later' in entry

/**
 * Each installs its sub-components too (ElSelect → ElOption, ElForm → ElFormItem,
 * ElDropdown → ElDropdownMenu/Item, ElTable → ElTableColumn, ElTabs → ElTabPane,
 * ElCheckbox → ElCheckboxGroup, ElRadio → ElRadioGroup/Button, ElDescriptions → item,
 * ElTimeline → item, ElSteps → ElStep). ElLoading brings the v-loading directive.
 */
export const ELEMENT_PLUGINS: Array<Plugin | Later> = [
  // The app shell (top bar, search, language switch, start-up error) and the
  // board's columns and cards: in the start-up chunk.
  ElAvatar,
  ElButton,
  ElConfigProvider,
  ElDropdown,
  ElEmpty,
  ElIcon,
  ElInput,
  ElPopover,
  ElResult,
  ElSegmented,
  // Everything else (forms, selects, dialogs, tables, date pickers...): their
  // chunk (element-plus-later.ts) loads beside the start-up calls and is
  // registered before a page renders (stores/app.ts init, the router guard);
  // the login page and the welcome dialog wait for it too (App.vue).
  later('ElAlert'),
  later('ElCard'),
  later('ElCheckbox'),
  later('ElCol'),
  later('ElDialog'),
  later('ElForm'),
  later('ElRadio'),
  later('ElRow'),
  later('ElSelect'),
  later('ElSwitch'),
  later('ElTag'),
  later('ElTooltip'),
  later('ElDatePicker'),
  later('ElDescriptions'),
  later('ElDrawer'),
  later('ElInputNumber'),
  later('ElPagination'),
  later('ElProgress'),
  later('ElRate'),
  later('ElSkeleton'),
  later('ElSteps'),
  later('ElTable'),
  later('ElTabs'),
  later('ElTimeline'),
  // Directives and services: v-loading; messages and boxes share the app's context.
  ElLoading,
  ElMessage,
  later('ElMessageBox'),
  ElNotification,
]

let installed: { app: App; loading: Promise<void> | null } | null = null

/**
 * The pipeline board opened directly (/#/opportunities?view=board) needs none of
 * the later components for its columns: their chunk then loads once the columns
 * are on screen (BoardPage), not beside the start-up where it would hold the
 * first paint back. Every other page, and any later navigation, waits for them
 * (stores/app.ts init, the router guard in router.ts).
 */
export function laterElementPlusDeferred(): boolean {
  return openingBoardQuery() !== null
}

/** Registers the start-up components now and starts loading the later ones (unless deferred, see above). */
export function installElementPlus(app: App): void {
  for (const plugin of ELEMENT_PLUGINS) if (!isLater(plugin)) app.use(plugin)
  installed = { app, loading: null }
  if (!laterElementPlusDeferred()) void elementPlusLoaded().catch(() => undefined)
}

/** Whether the later components are registered (no need to wait for elementPlusLoaded). */
export function elementPlusReady(): boolean {
  return laterDone
}
let laterDone = false

/** Resolves once the later components are registered too; after a failed load, the next call tries again. */
export function elementPlusLoaded(): Promise<void> {
  if (!installed) return Promise.resolve()
  const target = installed
  target.loading ??= import('./element-plus-later').then(
    (plugins) => {
      for (const entry of ELEMENT_PLUGINS) if (isLater(entry)) target.app.use(plugins[entry.later])
      laterDone = true
    },
    (err: unknown) => {
      target.loading = null
      throw err
    },
  )
  return target.loading
}
