import './boot-url'
// Before everything else: the start-up calls go out while the rest loads.
import './api/startup'
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

// Start-up milestones (crm:*), read by `npm run bench:board-browser`; cheap.
performance.mark('crm:modules-evaluated')
const pinia = createPinia()
const app = createApp(App).use(pinia).use(i18n).use(router).use(installElementPlus)
// init takes the answers of the start-up calls api/startup.ts sent, and waits
// for the route's code (and, on the board, the board's chunk and first page).
const started = useAppStore(pinia).init()
// Opened on the board: its code and its first request go out now too (see opening.ts).
if (laterElementPlusDeferred()) prefetchOpeningView()
// Mounted once start-up has settled (ready, a login needed, or an error; init
// never rejects): the app's first render is the page itself. Mounting at once
// rendered a spinner first and painted it, only to replace it a moment later;
// index.html's static spinner shows meanwhile.
void started.finally(() => {
  performance.mark('crm:start-up-settled')
  app.mount('#app')
  performance.mark('crm:mounted')
})
