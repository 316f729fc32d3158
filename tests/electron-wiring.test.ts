// The Electron binary cannot run here: these tests substitute the `electron`
// module and check the wiring — the one IPC handler, its error path, pushed
// events, the window's security settings and navigation guards.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { IpcMainInvokeEvent } from 'electron'
import { EventBus } from '../src-main/api/events'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../src-main/shared/api'
import { registerIpc } from '../src-main/electron/ipc'
import { electronNativeBinding } from '../src-main/electron/native-binding'
import { createTestCore } from './helpers/core'

const electronMock = vi.hoisted(() => {
  const created: Array<{ options: any; contents: any; loaded: string | null }> = []
  class FakeWebContents {
    handlers = new Map<string, (...args: any[]) => void>()
    openHandler: ((d: { url: string }) => { action: string }) | null = null
    on(event: string, fn: (...args: any[]) => void) {
      this.handlers.set(event, fn)
    }
    setWindowOpenHandler(fn: (d: { url: string }) => { action: string }) {
      this.openHandler = fn
    }
  }
  class BrowserWindow {
    webContents = new FakeWebContents()
    constructor(public options: any) {
      created.push({ options, contents: this.webContents, loaded: null })
    }
    once() {}
    loadURL(url: string) {
      created[created.length - 1].loaded = url
      return Promise.resolve()
    }
    loadFile(file: string) {
      created[created.length - 1].loaded = file
      return Promise.resolve()
    }
  }
  const shell = { openExternal: vi.fn() }
  return { created, BrowserWindow, shell }
})
vi.mock('electron', () => ({ BrowserWindow: electronMock.BrowserWindow, shell: electronMock.shell }))

function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>>()
  return {
    handlers,
    handle: (channel: string, fn: any) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, fn)
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  }
}
const trustedEvent = { senderFrame: { url: 'file:///app/out/renderer/index.html' } } as unknown as IpcMainInvokeEvent

describe('IPC wiring', () => {
  let t: Awaited<ReturnType<typeof createTestCore>>
  beforeEach(async () => {
    t = await createTestCore()
    return () => t.cleanup()
  })

  function wire(extra: Partial<Parameters<typeof registerIpc>[0]> = {}) {
    const ipcMain = fakeIpcMain()
    const sent: unknown[][] = []
    const off = registerIpc({
      ipcMain,
      dispatcher: t.dispatcher,
      bus: t.bus,
      caller: async () => ({ userId: t.admin.userId, role: 'admin' }),
      isTrustedSender: (e) => (e.senderFrame?.url ?? '').startsWith('file:///app/'),
      targets: () => [{ send: (...args: unknown[]) => void sent.push(args), isDestroyed: () => false }],
      ...extra,
    })
    return { ipcMain, sent, off, invoke: (...args: unknown[]) => ipcMain.handlers.get(IPC_INVOKE_CHANNEL)!(trustedEvent, ...args) }
  }

  it('registers one generic handler that reaches the method table', async () => {
    const w = wire()
    expect([...w.ipcMain.handlers.keys()]).toEqual([IPC_INVOKE_CHANNEL])
    const r = (await w.invoke('accounts:create', { name: '桌面客户' }, 'zh-CN')) as { ok: boolean; value: { name: string } }
    expect(r).toMatchObject({ ok: true, value: { name: '桌面客户' } })
    // Registering twice is refused (one table, one handler).
    expect(() => registerIpc({ ipcMain: w.ipcMain, dispatcher: t.dispatcher, bus: t.bus, caller: async () => ({ userId: null, role: null }), isTrustedSender: () => true, targets: () => [] })).toThrow(/second handler/)
    w.off()
    expect(w.ipcMain.handlers.size).toBe(0)
  })

  it('returns errors as data: validation, unknown method, untrusted sender', async () => {
    const w = wire()
    const bad = (await w.invoke('accounts:create', { name: 1 }, 'en')) as { ok: false; error: { code: string; message: string } }
    expect(bad.error.code).toBe('VALIDATION')
    expect(bad.error.message).toMatch(/^Invalid input/)
    const unknown = (await w.invoke(42, {}, 'zh-CN')) as { ok: false; error: { code: string } }
    expect(unknown.error.code).toBe('UNKNOWN_METHOD')
    const foreign = { senderFrame: { url: 'https://evil.example/' } } as unknown as IpcMainInvokeEvent
    const refused = (await w.ipcMain.handlers.get(IPC_INVOKE_CHANNEL)!(foreign, 'accounts:list', {}, 'zh-CN')) as { ok: false; error: { code: string } }
    expect(refused.error.code).toBe('FORBIDDEN')
    expect((await t.ok('accounts:list', {})).total).toBe(0)
  })

  it('forwards bus events to the windows', async () => {
    const bus = new EventBus()
    const w = wire({ bus })
    bus.emit('data:changed', { method: 'accounts:create' })
    expect(w.sent).toEqual([[IPC_EVENT_CHANNEL, 'data:changed', { method: 'accounts:create' }]])
    w.off()
    bus.emit('data:changed', { method: 'x' })
    expect(w.sent).toHaveLength(1)
  })
})

describe('window', () => {
  it('is created with context isolation, sandbox and no Node integration', async () => {
    const { createMainWindow, SECURE_WEB_PREFERENCES } = await import('../src-main/electron/window')
    createMainWindow({ preloadDir: '/app/out/preload', rendererFile: '/app/out/renderer/index.html' })
    const win = electronMock.created.at(-1)!
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: '/app/out/preload/index.cjs' })
    expect(SECURE_WEB_PREFERENCES.sandbox).toBe(true)
    expect(win.loaded).toBe('/app/out/renderer/index.html')
  })

  it('blocks navigation away and opens web links in the system browser', async () => {
    const { createMainWindow } = await import('../src-main/electron/window')
    createMainWindow({ preloadDir: '/p', rendererFile: '/app/out/renderer/index.html' })
    const { contents } = electronMock.created.at(-1)!
    const nav = (url: string) => {
      const event = { preventDefault: vi.fn() }
      contents.handlers.get('will-navigate')(event, url)
      return event.preventDefault.mock.calls.length > 0
    }
    expect(nav('https://evil.example/')).toBe(true)
    expect(nav('file:///etc/passwd')).toBe(true)
    expect(nav('file:///app/out/renderer/index.html#/accounts')).toBe(false)
    expect(contents.openHandler({ url: 'https://www.example.com/help' })).toEqual({ action: 'deny' })
    expect(electronMock.shell.openExternal).toHaveBeenCalledWith('https://www.example.com/help')
    contents.openHandler({ url: 'javascript:alert(1)' })
    expect(electronMock.shell.openExternal).toHaveBeenCalledTimes(1)
  })
})

describe('native binding (better-sqlite3 for Electron’s ABI)', () => {
  it('uses the Electron build kept apart from node_modules, when present', () => {
    const dev = { isPackaged: false, resourcesPath: '/r', appPath: '/src/app' }
    expect(electronNativeBinding(dev, (p) => p === '/src/app/.native/electron/better_sqlite3.node')).toBe('/src/app/.native/electron/better_sqlite3.node')
    expect(electronNativeBinding(dev, () => false)).toBeUndefined()
    const packaged = { isPackaged: true, resourcesPath: '/opt/crm/resources', appPath: '/opt/crm/resources/app.asar' }
    expect(electronNativeBinding(packaged, () => true)).toBe('/opt/crm/resources/native/better_sqlite3.node')
  })
})
