// Element Plus styles of the start-up components only (plugins/element-plus.ts:
// the app shell and the board's columns), not the whole dist/index.css. The
// later components' styles come with their chunk (element-plus-later-styles.ts):
// about 185 kB less CSS to parse and match before the first paint.
// Each style entry brings the base variables and the styles of the parts it uses.
import 'element-plus/es/components/avatar/style/css'
import 'element-plus/es/components/button/style/css'
import 'element-plus/es/components/button-group/style/css'
import 'element-plus/es/components/config-provider/style/css'
import 'element-plus/es/components/dropdown/style/css'
import 'element-plus/es/components/dropdown-menu/style/css'
import 'element-plus/es/components/dropdown-item/style/css'
import 'element-plus/es/components/empty/style/css'
import 'element-plus/es/components/icon/style/css'
import 'element-plus/es/components/input/style/css'
import 'element-plus/es/components/popover/style/css'
import 'element-plus/es/components/result/style/css'
import 'element-plus/es/components/segmented/style/css'
import 'element-plus/es/components/loading/style/css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/notification/style/css'
