// Session-wide state: who is signed in, company settings, users and stages
// (used by every owner select and stage tag).
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, authRequest, isDesktop, type SessionStatus } from '@/api/client'
import { startupAnswer, takeStartupStatus } from '@/api/startup'
import { isApiError, showError } from '@/utils/errors'
import { elementPlusLoaded, laterElementPlusDeferred } from '@/plugins/element-plus'
import { openingViewArrived } from '@/pages/opportunities/opening'
import { router } from '@/router'
import type { AppInfo, Settings, Stage, User } from '@/types'

const FIRST_RUN_KEY = 'crm.firstRunDone'

export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo | null>(null)
  const settings = ref<Settings | null>(null)
  const users = ref<User[]>([])
  const stages = ref<Stage[]>([])
  const ready = ref(false)
  const needLogin = ref(false)
  const requireLogin = ref(false)
  const loadError = ref<string | null>(null)

  const currentUser = computed(() => info.value?.currentUser ?? null)
  const isAdmin = computed(() => currentUser.value?.role === 'admin')
  const companyName = computed(() => settings.value?.companyName ?? '')
  const firstRunDone = ref(localStorage.getItem(FIRST_RUN_KEY) === '1')
  /** The welcome dialog: only while the database is empty and the user has not chosen yet. */
  const showFirstRun = computed(() => Boolean(info.value?.isEmpty) && !firstRunDone.value)

  async function loadInfo(): Promise<void> {
    info.value = await api('app:info', {})
    settings.value = info.value.settings
  }
  async function loadUsers(): Promise<void> {
    users.value = await api('users:list', { includeInactive: true })
  }
  async function loadStages(): Promise<void> {
    stages.value = await api('stages:list', {})
  }

  /**
   * Start-up: check the session (HTTP only) and load what every page needs, all
   * at once: the session check no longer holds the data calls back by a round
   * trip. Without a session the data calls fail with UNAUTHORIZED and are ignored.
   * Ready (the shell and the page render, in one pass) once the later Element Plus
   * components are registered (not for the board opened directly) and the opening
   * page's code (and the board's first answer) has arrived.
   */
  async function init(): Promise<void> {
    loadError.value = null
    try {
      // The first time, the calls api/startup.ts sent before the app's modules loaded.
      const status = isDesktop() ? null : (takeStartupStatus() ?? authRequest<SessionStatus>('status')).catch(() => null)
      const data = Promise.all([startupAnswer('app:info', {}), startupAnswer('users:list', { includeInactive: true }), startupAnswer('stages:list', {})])
      // Awaited below, or dropped when a login is needed: never an unhandled rejection.
      data.catch(() => undefined)
      const session = await status
      if (session?.ok) {
        requireLogin.value = session.value.requireLogin
        if (session.value.requireLogin && !session.value.user) {
          needLogin.value = true
          return
        }
      }
      // The pages' Element Plus components not in the start-up chunk come with the data
      // (the board opened directly loads them after its first paint: see element-plus.ts).
      const later = laterElementPlusDeferred() ? Promise.resolve() : elementPlusLoaded()
      // The shell and the opening page render in one pass: the route's code (and the
      // board's first answer, when opened on the board) are waited for too.
      const page = Promise.all([router.isReady().catch(() => undefined), openingViewArrived()])
      const [[appInfo, userList, stageList]] = await Promise.all([data, later, page])
      info.value = appInfo
      settings.value = appInfo.settings
      users.value = userList
      stages.value = stageList
      needLogin.value = false
      ready.value = true
    } catch (err) {
      if (isApiError(err, 'UNAUTHORIZED')) needLogin.value = true
      else loadError.value = err instanceof Error ? err.message : String(err)
    }
  }

  function finishFirstRun(): void {
    firstRunDone.value = true
    localStorage.setItem(FIRST_RUN_KEY, '1')
  }

  async function logout(): Promise<void> {
    await authRequest('logout').catch(showError)
    ready.value = false
    info.value = null
    needLogin.value = true
  }

  const activeUsers = computed(() => users.value.filter((u) => u.isActive))
  const userName = (id: number | null | undefined) => users.value.find((u) => u.id === id)?.name ?? null
  const stageById = (id: number | null | undefined) => stages.value.find((s) => s.id === id) ?? null

  return {
    info,
    settings,
    users,
    activeUsers,
    stages,
    ready,
    needLogin,
    requireLogin,
    loadError,
    currentUser,
    isAdmin,
    companyName,
    showFirstRun,
    init,
    loadInfo,
    loadUsers,
    loadStages,
    finishFirstRun,
    logout,
    userName,
    stageById,
  }
})
