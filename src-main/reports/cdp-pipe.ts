// A headless Chromium driven over the DevTools protocol on a pipe
// (--remote-debugging-pipe: commands on fd 3, replies and events on fd 4, each
// message JSON ending in a NUL byte). No port is opened, so nothing else on the
// machine can reach the browser.
//
// Why not playwright-core here: loading it takes 0.6–0.8 s of CPU before the
// browser can even be started, on the critical path of every command-line PDF;
// printing needs a dozen protocol commands. playwright-core stays the tests'
// browser driver.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'

type Params = Record<string, unknown>
type Listener = (params: Params, sessionId: string | undefined) => void

export interface CdpBrowser {
  /** A protocol command, to the browser or (with sessionId) to an attached page. */
  send<T = Params>(method: string, params?: Params, sessionId?: string): Promise<T>
  on(event: string, fn: Listener): () => void
  /** Resolves when the browser process has exited (closed, crashed or killed). */
  exited: Promise<void>
  isRunning(): boolean
  /** Browser.close, then a kill if it has not exited within a few seconds; removes its profile. */
  close(): Promise<void>
}

/**
 * Flags beyond the caller's: a throw-away profile, no first window, stable colours, no scrollbars in
 * screenshots, and no spare renderer process (Chromium starts one ahead for the default profile's next
 * tab, which this printer never opens: a fifth of a second of CPU at every start, on two cores).
 */
const PIPE_ARGS = [
  '--remote-debugging-pipe',
  '--no-startup-window',
  '--force-color-profile=srgb',
  '--hide-scrollbars',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--mute-audio',
  '--disable-features=SpareRendererForSitePerProcess',
]

export class CdpError extends Error {}

/** Longest wait for one command (a print of a large pack on a slow machine takes seconds, not minutes). */
export const COMMAND_TIMEOUT_MS = 120_000

export interface LaunchOptions {
  /** Longest wait for the browser to come up. */
  startTimeoutMs?: number
  /** Longest wait for the answer to one command. */
  commandTimeoutMs?: number
}

export async function launchCdp(executable: string, args: string[], { startTimeoutMs = 30_000, commandTimeoutMs = COMMAND_TIMEOUT_MS }: LaunchOptions = {}): Promise<CdpBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'crm-chromium-'))
  let child: ChildProcess
  try {
    child = spawn(executable, [...args, ...PIPE_ARGS, `--user-data-dir=${profile}`], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] })
  } catch (e) {
    rmSync(profile, { recursive: true, force: true })
    throw e
  }
  const toBrowser = child.stdio[3] as Writable
  const fromBrowser = child.stdio[4] as Readable
  // The end of stderr, for the message when the browser fails to start.
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)))

  let nextId = 1
  let running = true
  const pending = new Map<number, { resolve: (v: Params) => void; reject: (e: Error) => void; method: string }>()
  const listeners = new Map<string, Set<Listener>>()
  const exited = new Promise<void>((resolve) => {
    const done = (why: string) => {
      if (!running) return
      running = false
      for (const p of pending.values()) p.reject(new CdpError(`Chromium ${why} (${p.method})${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`))
      pending.clear()
      rmSync(profile, { recursive: true, force: true })
      resolve()
    }
    child.on('exit', (code, signal) => done(`exited ${signal ?? code}`))
    child.on('error', (e) => done(`failed to start: ${e.message}`))
  })
  // A write to a browser that has gone is reported by `exited`, not as an unhandled stream error.
  toBrowser.on('error', () => undefined)
  fromBrowser.on('error', () => undefined)

  let buffered: Buffer[] = []
  fromBrowser.on('data', (chunk: Buffer) => {
    let start = 0
    for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
      buffered.push(chunk.subarray(start, end))
      const text = Buffer.concat(buffered).toString('utf8')
      buffered = []
      start = end + 1
      let msg: { id?: number; result?: Params; error?: { message: string }; method?: string; params?: Params; sessionId?: string }
      try {
        msg = JSON.parse(text) as typeof msg
      } catch {
        // The stream can no longer be trusted: end the browser; every command waiting fails with the reason.
        stderr = `sent a message that is not JSON: ${text.slice(0, 80)}`
        child.kill('SIGKILL')
        return
      }
      if (msg.id !== undefined) {
        const p = pending.get(msg.id)
        pending.delete(msg.id)
        if (msg.error) p?.reject(new CdpError(`${p.method}: ${msg.error.message}`))
        else p?.resolve(msg.result ?? {})
      } else if (msg.method) {
        for (const fn of listeners.get(msg.method) ?? []) fn(msg.params ?? {}, msg.sessionId)
      }
    }
    if (start < chunk.length) buffered.push(chunk.subarray(start))
  })

  const request = <T = Params>(method: string, params: Params, sessionId: string | undefined, timeoutMs: number): Promise<T> => {
    if (!running) return Promise.reject(new CdpError(`Chromium is not running (${method})`))
    const id = nextId++
    return new Promise<T>((resolve, reject) => {
      // A browser that stops answering fails the export instead of leaving it waiting for ever.
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new CdpError(`Chromium did not answer ${method} within ${timeoutMs / 1000} s`))
      }, timeoutMs)
      const settle = <V>(fn: (v: V) => void) => (v: V) => {
        clearTimeout(timer)
        fn(v)
      }
      pending.set(id, { resolve: settle(resolve as (v: Params) => void), reject: settle(reject), method })
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`)
    })
  }

  const send = <T = Params>(method: string, params: Params = {}, sessionId?: string) => request<T>(method, params, sessionId, commandTimeoutMs)
  const browser: CdpBrowser = {
    send,
    on(event, fn) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(fn)
      return () => set.delete(fn)
    },
    exited,
    isRunning: () => running,
    async close() {
      if (!running) return
      await send('Browser.close').catch(() => undefined)
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(killer)
    },
  }

  // The first reply says the browser is up (commands sent earlier wait in the pipe); one that does
  // not come up in time is ended, and its start fails with that reason.
  try {
    await request('Browser.getVersion', {}, undefined, startTimeoutMs)
  } catch (e) {
    child.kill('SIGKILL')
    await exited
    throw e
  }
  return browser
}
