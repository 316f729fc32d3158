import './boot-url'
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import './plugins/element-plus-styles'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'
import { installElementPlus, laterElementPlusDeferred } from './plugins/element-plus'
import { prefetchOpeningView } from './pages/opportunities/opening'
import { useAppStore } from './stores/app'
import './styles/main.css'

const pinia = createPinia()
const app = createApp(App).use(pinia).use(i18n).use(router).use(installElementPlus)
// The start-up calls (session, app info, users, stages) go out now, before the
// first render, and travel while the app mounts and the route's chunk loads.
void useAppStore(pinia).init()
// Opened on the board: its code and its first request go out now too (see opening.ts).
if (laterElementPlusDeferred()) prefetchOpeningView()
app.mount('#app')
