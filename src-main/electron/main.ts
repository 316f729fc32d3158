// Electron main process: thin. It opens the database in userData, registers the
// one IPC handler and creates the window; everything else is in services.
import { app, BrowserWindow, ipcMain, Notification, session } from 'electron'
import { join } from 'node:path'
import { createCore, type Core } from '../api/core'
import { DB_FILE_NAME } from '../db/open'
import { systemCtx } from '../services/context'
import { defaultLocalUser, ensureLocalAdmin } from '../services/users'
import { CSP } from '../server/security'
import { registerIpc } from './ipc'
import { registerFilesIpc } from './files-ipc'
import { dataDirOf } from '../import/file-store'
import { electronPrinterFactory } from './pdf-electron'
import { notifyReminders } from './reminder-notifications'
import { setPrinterFactory } from '../reports/printer'
import { electronNativeBinding } from './native-binding'
import { createMainWindow, isAppUrl } from './window'

let core: Core | null = null
let mainWindow: BrowserWindow | null = null

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore()
      mainWindow.focus()
    }
  })
  app.whenReady().then(start).catch((err: unknown) => {
    console.error('[main] start failed', err)
    app.exit(1)
  })
}

async function start(): Promise<void> {
  const nativeBinding = electronNativeBinding({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() })
  core = await createCore(join(app.getPath('userData'), DB_FILE_NAME), { nativeBinding })
  await ensureLocalAdmin(core.database.db, systemCtx())
  // Report PDFs and chart images: Electron's own Chromium, not a separate browser.
  setPrinterFactory(electronPrinterFactory())

  const rendererUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
  const rendererFile = join(__dirname, '../renderer/index.html')
  const appOrigin = rendererUrl ?? `file://${rendererFile.replace(/index\.html$/, '')}`

  // CSP as a header too (the page also carries it as a meta tag); deny every permission prompt but notifications.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'notifications'))

  const db = core.database.db
  registerIpc({
    ipcMain,
    dispatcher: core.dispatcher,
    bus: core.bus,
    caller: async () => {
      const user = await defaultLocalUser(db)
      return { userId: user?.id ?? null, role: user?.role ?? null }
    },
    isTrustedSender: (event) => isAppUrl(event.senderFrame?.url ?? '', appOrigin),
    targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  })
  // File bytes in (imports) and out (exports, rejected rows) for the sandboxed page.
  registerFilesIpc({
    ipcMain,
    dataDir: dataDirOf(db),
    isTrustedSender: (event) => isAppUrl(event.senderFrame?.url ?? '', appOrigin),
    defaultDir: () => app.getPath('downloads'),
  })

  // Due tasks of the desktop user become system notifications.
  notifyReminders({
    bus: core.bus,
    Notification,
    currentUserId: async () => (await defaultLocalUser(db))?.id ?? null,
    locale: () => (app.getLocale().startsWith('zh') ? 'zh-CN' : 'en'),
    focus: () => {
      if (!mainWindow) return
      if (mainWindow.isMinimized()) mainWindow.restore()
      mainWindow.show()
      mainWindow.focus()
    },
  })
  core.reminders.start()

  mainWindow = createMainWindow({ preloadDir: join(__dirname, '../preload'), rendererUrl, rendererFile })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow({ preloadDir: join(__dirname, '../preload'), rendererUrl, rendererFile })
  })
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

app.on('will-quit', () => {
  void core?.close()
})
