// The UI language kept in this browser, readable before vue-i18n loads: the
// start-up calls (api/startup.ts) go out before it and ask in this language.
export type AppLocale = 'zh-CN' | 'en'
export const LOCALE_STORAGE_KEY = 'crm.locale'

export function storedLocale(): AppLocale {
  try {
    return localStorage.getItem(LOCALE_STORAGE_KEY) === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}
