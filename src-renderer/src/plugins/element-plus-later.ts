// The Element Plus components no first screen needs, in a chunk of their own
// (see element-plus.ts): registered before the first page renders.
import type { Plugin } from 'vue'
import { ElDatePicker, ElDescriptions, ElDrawer, ElInputNumber, ElPagination, ElProgress, ElRate, ElSkeleton, ElSteps, ElTable, ElTabs, ElTimeline } from 'element-plus'

export const LATER_PLUGINS = { ElDatePicker, ElDescriptions, ElDrawer, ElInputNumber, ElPagination, ElProgress, ElRate, ElSkeleton, ElSteps, ElTable, ElTabs, ElTimeline } satisfies Record<string, Plugin>
