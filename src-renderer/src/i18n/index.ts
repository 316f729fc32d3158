// vue-i18n set-up: Chinese first, English second. The choice is kept in
// localStorage and sent with every API call so server messages match.
import { createI18n } from 'vue-i18n'
import { setTransportLocale } from '@/api/transport'
import { LOCALE_STORAGE_KEY, storedLocale, type AppLocale } from './stored-locale'
import en from './en'
import zhCN from './zh-CN'
import board from './features/board'
import scoring from './features/scoring'
import importWizard from './features/importWizard'
import leads from './features/leads'
import reports from './features/reports'
import contacts from './features/contacts'

// Feature modules (features/*.ts) add their own top-level keys; list them here.
const FEATURES: Array<{ 'zh-CN': Record<string, unknown>; en: Record<string, unknown> }> = [board, scoring, importWizard, reports, leads, contacts]

function withFeatures<T extends Record<string, unknown>>(base: T, locale: 'zh-CN' | 'en'): T {
  return Object.assign({}, base, ...FEATURES.map((f) => f[locale])) as T
}

export type { AppLocale }
export const LOCALES: AppLocale[] = ['zh-CN', 'en']

const initial = storedLocale()
setTransportLocale(initial)
document.documentElement.lang = initial

export const i18n = createI18n({
  legacy: false,
  locale: initial,
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': withFeatures(zhCN, 'zh-CN'), en: withFeatures(en, 'en') },
})

export function currentLocale(): AppLocale {
  return i18n.global.locale.value as AppLocale
}

export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale
  setTransportLocale(locale)
  document.documentElement.lang = locale
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale)
  } catch {
    // private mode: the choice lasts for this session only
  }
}

/** Translate outside components (stores, helpers). */
export const t = (key: string, params?: Record<string, unknown>): string => (params ? i18n.global.t(key, params) : i18n.global.t(key))
export const te = (key: string): boolean => i18n.global.te(key)
