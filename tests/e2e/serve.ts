// Start the real command line (`crm serve`) on a temp data dir, and a headless
// Debian Chromium driven by playwright-core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

export const ROOT = resolve(__dirname, '../..')
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')
const CLI = join(ROOT, 'src-main', 'cli', 'crm.ts')
export const SHOTS = join(ROOT, 'test-output', 'screenshots')

export function crm(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(TSX, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

export interface Served {
  url: string
  child: ChildProcess
  stop(): Promise<void>
}

export async function serve(dataDir: string, extra: string[] = []): Promise<Served> {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) throw new Error('out/renderer is missing: run `npm run build` first (npm test does)')
  const child = spawn(TSX, [CLI, 'serve', '--data-dir', dataDir, '--port', '0', '--json', ...extra], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()))
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`crm serve did not start: ${stderr}`)), 60_000)
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString()
      try {
        const info = JSON.parse(stdout) as { url: string }
        clearTimeout(timer)
        resolveUrl(info.url)
      } catch {
        // not a whole JSON document yet
      }
    })
    child.once('exit', (code) => reject(new Error(`crm serve exited with ${code}: ${stderr}`)))
  })
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done()
        child.once('exit', () => done())
        child.kill('SIGTERM')
      }),
  }
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true })
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

/** Console errors (CSP violations among them) and uncaught page errors go to `problems`: a test fails on any. */
export function watchProblems(page: Page, problems: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text())
  })
  page.on('pageerror', (e) => problems.push(e.message))
}

/**
 * A page on the app as its users meet it: Chinese, 1440 px wide, problems watched.
 * `firstRunDone`: no first-run dialog over the demo data; `downloads`: exports can be saved.
 */
export async function openAppPage(browser: Browser, problems: string[], opts: { height?: number; firstRunDone?: boolean; downloads?: boolean } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: opts.height ?? 900 }, locale: 'zh-CN', ...(opts.downloads ? { acceptDownloads: true } : {}) })
  if (opts.firstRunDone) await page.addInitScript("localStorage.setItem('crm.firstRunDone', '1')")
  await page.addInitScript(RECORD_MESSAGES)
  watchProblems(page, problems)
  return page
}

/**
 * Every message toast (ElMessage) the page shows, kept as `type: text` from the moment it
 * appears. A toast lasts 3 s: on a busy machine a test could look only after it has gone.
 * Page code as text: the tests are compiled without the DOM's types.
 */
const RECORD_MESSAGES = `(() => {
  const seen = (window.__crmMessages = [])
  const record = (el) => {
    const type = [...el.classList].find((c) => c.startsWith('el-message--'))
    seen.push((type ? type.slice('el-message--'.length) : '') + ': ' + el.textContent)
  }
  new MutationObserver((changes) => {
    for (const change of changes)
      for (const node of change.addedNodes) {
        if (node.nodeType !== 1) continue
        if (node.matches('.el-message')) record(node)
        else node.querySelectorAll('.el-message').forEach(record)
      }
  }).observe(document, { childList: true, subtree: true })
})()`

/**
 * Wait until the page has shown a message toast of this type containing `text` (since it was
 * last loaded). The message is taken off the record, so a later wait needs a new one.
 */
export async function messageShown(page: Page, text: string, type: 'success' | 'error' | 'warning' | 'info' = 'success', timeout = 30_000): Promise<void> {
  // A function, not text: the app's CSP forbids eval, which waitForFunction uses for text.
  const take = ([prefix, part]: [string, string]) => {
    const seen = (globalThis as unknown as { __crmMessages?: string[] }).__crmMessages ?? []
    const i = seen.findIndex((m) => m.startsWith(prefix) && m.includes(part))
    return i >= 0 && seen.splice(i, 1).length === 1
  }
  await page
    .waitForFunction(take, [`${type}: `, text] as [string, string], { timeout, polling: 100 })
    .catch(async (err: Error) => {
      throw new Error(`${err.message}\nno ${type} message with 「${text}」; messages shown: ${await page.evaluate('JSON.stringify(window.__crmMessages ?? [])')}`)
    })
}

/** The API as the page sees it (same origin, same session): the value, or an Error with the server's message. */
export async function pageApi<T>(page: Page, method: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ([m, body]) => {
      const res = await fetch(`/api/${m}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      const json = (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } }
      if (!json.ok) throw new Error(json.error?.message)
      return json.value
    },
    [method, input] as const,
  ) as Promise<T>
}
