// The Element Plus components neither the app shell nor the board's columns
// need, in a chunk of their own (see element-plus.ts): registered before a page renders.
// Re-exported as they are: the module's namespace object is the table the loader reads.
import './element-plus-later-styles'
export {
  ElAlert,
  ElCard,
  ElCheckbox,
  ElCol,
  ElDatePicker,
  ElDescriptions,
  ElDialog,
  ElDrawer,
  ElForm,
  ElInputNumber,
  ElMessageBox,
  ElPagination,
  ElProgress,
  ElRadio,
  ElRate,
  ElRow,
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
