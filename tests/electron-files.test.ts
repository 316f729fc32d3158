// Desktop file transfer with the `electron` module substituted (the Electron
// binary cannot run here): bytes from the sandboxed page land in the file store
// and come back as a token the import reads; a token goes out through the save
// dialog as a copy. Inputs from the page are checked, untrusted pages refused.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { IpcMainInvokeEvent } from 'electron'
import iconv from 'iconv-lite'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { registerFilesIpc } from '../src-main/electron/files-ipc'
import { registerIpc } from '../src-main/electron/ipc'
import { newFileSlot, resolveFileToken } from '../src-main/import/file-store'
import { dataDirOf } from '../src-main/import/file-store'
import { IPC_FILE_SAVE_CHANNEL, IPC_FILE_UPLOAD_CHANNEL, IPC_INVOKE_CHANNEL } from '../src-main/shared/api'
import { createTestCore, tempDir } from './helpers/core'

const electron = vi.hoisted(() => {
  const dialogCalls: unknown[][] = []
  const state = { answer: { canceled: false, filePath: '' as string | undefined } }
  const win = { id: 1 }
  return {
    dialogCalls,
    state,
    win,
    dialog: { showSaveDialog: async (...args: unknown[]) => (dialogCalls.push(args), state.answer) },
    BrowserWindow: { fromWebContents: (wc: unknown) => (wc ? win : null) },
  }
})
vi.mock('electron', () => ({ dialog: electron.dialog, BrowserWindow: electron.BrowserWindow }))

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<any>
function fakeIpcMain() {
  const handlers = new Map<string, Handler>()
  return {
    handlers,
    handle: (channel: string, fn: any) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, fn)
    },
    removeHandler: (channel: string) => void handlers.delete(channel),
  }
}
const trusted = { senderFrame: { url: 'file:///app/out/renderer/index.html' }, sender: { id: 7 } } as unknown as IpcMainInvokeEvent
const foreign = { senderFrame: { url: 'https://evil.example/' }, sender: { id: 8 } } as unknown as IpcMainInvokeEvent

describe('desktop files bridge', () => {
  let t: Awaited<ReturnType<typeof createTestCore>>
  let downloads: string
  let ipc: ReturnType<typeof fakeIpcMain>
  let off: () => void
  beforeEach(async () => {
    t = await createTestCore()
    downloads = tempDir('crm-downloads-')
    ipc = fakeIpcMain()
    off = registerFilesIpc({
      ipcMain: ipc,
      dataDir: dataDirOf(t.database.db),
      isTrustedSender: (e) => (e.senderFrame?.url ?? '').startsWith('file:///app/'),
      defaultDir: () => downloads,
    })
    electron.dialogCalls.length = 0
    return () => t.cleanup()
  })
  const upload = (event: IpcMainInvokeEvent, ...args: unknown[]) => ipc.handlers.get(IPC_FILE_UPLOAD_CHANNEL)!(event, ...args)
  const save = (event: IpcMainInvokeEvent, ...args: unknown[]) => ipc.handlers.get(IPC_FILE_SAVE_CHANNEL)!(event, ...args)

  it('writes uploaded bytes into the file store; the token feeds import:inspect', async () => {
    const csv = iconv.encode('公司名称,联系人,手机号码\r\n杭州云帆科技有限公司,王磊,+86 138 0013 8000\r\n', 'gbk')
    const r = await upload(trusted, '展会名单.csv', new Uint8Array(csv), 'zh-CN')
    expect(r).toMatchObject({ ok: true, value: { name: '展会名单.csv', size: csv.length } })
    const slot = resolveFileToken(dataDirOf(t.database.db), r.value.token)
    expect(readFileSync(slot.path).equals(csv)).toBe(true)
    const inspected = await t.ok('import:inspect', { file: { token: r.value.token } })
    expect(inspected.file.encoding).toBe('gb18030')
    expect(inspected.headers).toEqual(['公司名称', '联系人', '手机号码'])
    expect(inspected.columns.map((c: { target: unknown }) => c.target)).toEqual([
      { kind: 'field', field: 'company' },
      { kind: 'field', field: 'contactName' },
      { kind: 'field', field: 'mobile' },
    ])
    // A name with a path in it stays a plain file name inside the store.
    const sneaky = await upload(trusted, '../../etc/passwd', new Uint8Array([1, 2, 3]))
    expect(sneaky.ok).toBe(true)
    expect(resolveFileToken(dataDirOf(t.database.db), sneaky.value.token).path.startsWith(join(dataDirOf(t.database.db), 'files'))).toBe(true)
    expect(sneaky.value.name).toBe('passwd')
  })

  it('refuses untrusted pages and malformed inputs, as data', async () => {
    expect(await upload(foreign, 'a.csv', new Uint8Array([65]))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await upload(trusted, 'a.csv', 'not bytes')).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await upload(trusted, 42, new Uint8Array([65]))).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await upload(trusted, '', new Uint8Array([65]))).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const bad = await save(trusted, '../x', 'x.xlsx', 'en')
    expect(bad).toMatchObject({ ok: false, error: { code: 'FILE_TOKEN_INVALID' } })
    expect(bad.error.message).toMatch(/expired/)
    const slot = newFileSlot(dataDirOf(t.database.db), 'r.xlsx')
    writeFileSync(slot.path, 'x')
    expect(await save(foreign, slot.token, 'r.xlsx')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(electron.dialogCalls).toHaveLength(0)
  })

  it('saves a token’s file where the user chose; cancel writes nothing', async () => {
    const slot = newFileSlot(dataDirOf(t.database.db), 'leads-未导入的行.xlsx')
    writeFileSync(slot.path, 'PK fake workbook')
    const target = join(downloads, 'chosen.xlsx')
    electron.state.answer = { canceled: false, filePath: target }
    const r = await save(trusted, slot.token, '未导入的行.xlsx')
    expect(r).toEqual({ ok: true, value: { saved: true, path: target } })
    expect(readFileSync(target, 'utf8')).toBe('PK fake workbook')
    // The dialog belongs to the calling window and starts in Downloads with the suggested name.
    expect(electron.dialogCalls[0]).toEqual([electron.win, { defaultPath: join(downloads, '未导入的行.xlsx') }])

    electron.state.answer = { canceled: true, filePath: undefined }
    const other = join(downloads, 'never.xlsx')
    expect(await save(trusted, slot.token, 'a/b.xlsx')).toEqual({ ok: true, value: { saved: false, path: null } })
    expect(electron.dialogCalls[1]).toEqual([electron.win, { defaultPath: join(downloads, 'a_b.xlsx') }])
    expect(existsSync(other)).toBe(false)
  })

  it('unregisters both channels', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([IPC_FILE_SAVE_CHANNEL, IPC_FILE_UPLOAD_CHANNEL].sort())
    off()
    expect(ipc.handlers.size).toBe(0)
  })
})

describe('job control over IPC', () => {
  it('answers jobs:list / jobs:cancel without looking up the user (a running import holds the database)', async () => {
    const t = await createTestCore()
    try {
      const ipc = fakeIpcMain()
      let lookups = 0
      registerIpc({
        ipcMain: ipc,
        dispatcher: t.dispatcher,
        bus: t.bus,
        // A user lookup that waits for the database forever.
        caller: () => (lookups++, new Promise(() => {})),
        isTrustedSender: () => true,
        targets: () => [],
      })
      const invoke = ipc.handlers.get(IPC_INVOKE_CHANNEL)!
      expect(await invoke(trusted, 'jobs:list', {}, 'zh-CN')).toEqual({ ok: true, value: [] })
      expect(await invoke(trusted, 'jobs:cancel', { jobId: '00000000-0000-4000-8000-000000000000' }, 'zh-CN')).toEqual({ ok: true, value: { cancelled: false } })
      expect(lookups).toBe(0)
    } finally {
      await t.cleanup()
    }
  })
})
