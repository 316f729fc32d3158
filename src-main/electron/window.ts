import { BrowserWindow, shell, type WebContents } from 'electron'
import { join } from 'node:path'

/** Security settings every window gets; unit-tested so a change is noticed. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const

/** True for URLs of our own renderer: the dev server in development, the bundled file otherwise. */
export function isAppUrl(url: string, appOrigin: string): boolean {
  try {
    const u = new URL(url)
    if (appOrigin.startsWith('file:')) return u.protocol === 'file:' && url.startsWith(appOrigin)
    return u.origin === new URL(appOrigin).origin
  } catch {
    return false
  }
}

/** No navigation away from the app; http(s) links open in the system browser, nothing else opens. */
export function guardNavigation(contents: WebContents, appOrigin: string, openExternal: (url: string) => unknown = shell.openExternal): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url) && !isAppUrl(url, appOrigin)) void openExternal(url)
    return { action: 'deny' }
  })
}

export function createMainWindow(opts: { preloadDir: string; rendererUrl?: string; rendererFile: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    title: '商机 CRM',
    autoHideMenuBar: true,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(opts.preloadDir, 'index.cjs') },
  })
  const appOrigin = opts.rendererUrl ?? `file://${opts.rendererFile.replace(/index\.html$/, '')}`
  guardNavigation(win.webContents, appOrigin)
  win.once('ready-to-show', () => win.show())
  if (opts.rendererUrl) void win.loadURL(opts.rendererUrl)
  else void win.loadFile(opts.rendererFile)
  return win
}
