import { createRouter, createWebHashHistory, type RouteLocationNormalized } from 'vue-router'
import { t } from '@/i18n'
import { elementPlusLoaded, elementPlusReady } from '@/plugins/element-plus'

const idProp = (route: RouteLocationNormalized) => ({ id: Number(route.params.id) })

// Hash history: the same build runs from file:// in Electron and from `crm serve`.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'dashboard', meta: { title: 'nav.dashboard' }, component: () => import('@/pages/DashboardPage.vue') },
    { path: '/leads', name: 'leads', meta: { title: 'nav.leads' }, component: () => import('@/pages/leads/LeadListPage.vue') },
    { path: '/leads/:id(\\d+)', name: 'lead', meta: { title: 'nav.leads' }, component: () => import('@/pages/leads/LeadDetailPage.vue'), props: idProp },
    { path: '/accounts', name: 'accounts', meta: { title: 'nav.accounts' }, component: () => import('@/pages/accounts/AccountListPage.vue') },
    { path: '/accounts/:id(\\d+)', name: 'account', meta: { title: 'nav.accounts' }, component: () => import('@/pages/accounts/AccountDetailPage.vue'), props: idProp },
    { path: '/contacts', name: 'contacts', meta: { title: 'contactList.title' }, component: () => import('@/pages/contacts/ContactListPage.vue') },
    { path: '/opportunities', name: 'opportunities', meta: { title: 'nav.opportunities' }, component: () => import('@/pages/opportunities/OpportunitiesPage.vue') },
    {
      path: '/opportunities/:id(\\d+)',
      name: 'opportunity',
      meta: { title: 'nav.opportunities' },
      component: () => import('@/pages/opportunities/OpportunityDetailPage.vue'),
      props: idProp,
    },
    { path: '/segments', name: 'segments', meta: { title: 'lx.segments.nav' }, component: () => import('@/pages/segments/SegmentsPage.vue') },
    { path: '/priority', name: 'priority', meta: { title: 'scoring.priority.title' }, component: () => import('@/pages/scoring/PriorityPage.vue') },
    { path: '/activities', name: 'activities', meta: { title: 'nav.activities' }, component: () => import('@/pages/activities/ActivitiesPage.vue') },
    { path: '/reports', redirect: (to) => ({ path: '/reports/funnel', query: to.query }) },
    { path: '/reports/:report', name: 'reports', meta: { title: 'nav.reports' }, component: () => import('@/pages/ReportsPage.vue') },
    { path: '/import-export', name: 'import-export', meta: { title: 'nav.importExport' }, component: () => import('@/pages/ImportExportPage.vue') },
    { path: '/settings', name: 'settings', meta: { title: 'nav.settings' }, component: () => import('@/pages/settings/SettingsPage.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
  scrollBehavior: () => ({ top: 0 }),
})

/** The window title follows the page: "客户 · 商机 CRM". */
export function updateTitle(route: RouteLocationNormalized = router.currentRoute.value): void {
  const key = route.meta.title
  document.title = typeof key === 'string' ? `${t(key)} · ${t('app.name')}` : t('app.name')
}
router.afterEach((to) => updateTitle(to))

// A page renders once the Element Plus components of the later chunk are registered
// (plugins/element-plus.ts); only the board, opened directly, paints its columns first.
router.beforeResolve((to) => (elementPlusReady() || (to.name === 'opportunities' && to.query.view === 'board') ? true : elementPlusLoaded().then(() => true)))
