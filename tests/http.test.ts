import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startHttpServer, type RunningServer } from '../src-main/server/http'
import { setPassword } from '../src-main/services/users'
import { systemCtx } from '../src-main/services/context'
import { createTestCore, tempDir, type TestCore } from './helpers/core'

let t: TestCore
let server: RunningServer
let staticDir: string

beforeEach(async () => {
  t = await createTestCore()
  staticDir = tempDir('crm-static-')
  mkdirSync(join(staticDir, 'assets'))
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>商机 CRM</title>')
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)')
})
afterEach(async () => {
  await server?.close()
  await t.cleanup()
})

async function start(opts: { requireLogin?: boolean } = {}) {
  server = await startHttpServer({ db: t.database.db, dispatcher: t.dispatcher, bus: t.bus, staticDir, port: 0, log: { error: () => {}, info: () => {} }, ...opts })
  return server
}

/** A raw request, so that tests can send hostile headers a browser would never send. */
function raw(path: string, opts: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(server.url)
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: opts.method ?? 'POST', headers: { 'Content-Type': 'application/json', ...opts.headers } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

describe('HTTP transport', () => {
  it('binds to 127.0.0.1 by default and serves the same API table', async () => {
    await start()
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.requireLogin).toBe(false)
    const created = await fetch(`${server.url}/api/accounts:create`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: '网页客户' }) })
    expect(created.status).toBe(200)
    const body = (await created.json()) as { ok: boolean; value: { id: number; name: string } }
    expect(body).toMatchObject({ ok: true, value: { name: '网页客户' } })
    // The write went through the same services: visible to a direct dispatcher call.
    expect((await t.ok('accounts:get', { id: body.value.id })).name).toBe('网页客户')
  })

  it('answers bad input with error data and a matching status, in the requested language', async () => {
    await start()
    const v = await raw('/api/accounts:create', { body: JSON.stringify({ name: '' }), headers: { 'X-CRM-Locale': 'en' } })
    expect(v.status).toBe(400)
    expect(JSON.parse(v.body).error).toMatchObject({ code: 'VALIDATION' })
    expect(JSON.parse(v.body).error.message).toMatch(/^Invalid input/)

    const nf = await raw('/api/accounts:get', { body: JSON.stringify({ id: 77 }) })
    expect(nf.status).toBe(404)
    expect(JSON.parse(nf.body).error.message).toContain('找不到客户')

    const broken = await raw('/api/accounts:create', { body: '{"name": ' })
    expect(broken.status).toBe(400)
    expect(JSON.parse(broken.body).error.code).toBe('VALIDATION')

    const unknown = await raw('/api/nope:nope', { body: '{}' })
    expect(unknown.status).toBe(404)
    expect(JSON.parse(unknown.body).error.code).toBe('UNKNOWN_METHOD')

    // Non-JSON bodies are refused: a cross-site form post cannot reach the API.
    const form = await raw('/api/accounts:create', { body: 'name=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
    expect(form.status).toBe(400)
    expect((await t.ok('accounts:list', {})).total).toBe(0)
  })

  it('refuses foreign hosts and origins (DNS rebinding, cross-site requests)', async () => {
    await start()
    const port = new URL(server.url).port
    const rebinding = await raw('/api/accounts:list', { body: '{}', headers: { Host: `evil.example:${port}` } })
    expect(rebinding.status).toBe(403)
    const crossSite = await raw('/api/accounts:list', { body: '{}', headers: { Origin: 'https://evil.example' } })
    expect(crossSite.status).toBe(403)
    const sameOrigin = await raw('/api/accounts:list', { body: '{}', headers: { Origin: server.url } })
    expect(sameOrigin.status).toBe(200)
  })

  it('serves the renderer with a strict CSP and falls back to index.html for app routes', async () => {
    await start()
    const page = await fetch(`${server.url}/accounts/12`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('商机 CRM')
    const csp = page.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-eval')
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    const asset = await fetch(`${server.url}/assets/app.js`)
    expect(asset.headers.get('content-type')).toContain('text/javascript')
    const traversal = await raw('/%2e%2e/%2e%2e/etc/passwd', { method: 'GET' })
    expect(traversal.body).not.toContain('root:')
  })

  it('needs a login when asked to (as on any non-loopback address)', async () => {
    await setPassword(t.database.db, systemCtx(), { id: t.admin.userId!, password: '正确的密码' })
    await start({ requireLogin: true })
    const anon = await raw('/api/accounts:list', { body: '{}' })
    expect(anon.status).toBe(401)
    expect(JSON.parse(anon.body).error.code).toBe('UNAUTHORIZED')

    const wrong = await raw('/api/auth/login', { body: JSON.stringify({ name: '管理员', password: 'wrong' }) })
    expect(wrong.status).toBe(401)
    expect(JSON.parse(wrong.body).error.code).toBe('LOGIN_FAILED')

    const login = await raw('/api/auth/login', { body: JSON.stringify({ name: '管理员', password: '正确的密码' }) })
    expect(login.status).toBe(200)
    const cookie = String(login.headers['set-cookie']).split(';')[0]
    expect(String(login.headers['set-cookie'])).toContain('HttpOnly')
    const authed = await raw('/api/accounts:list', { body: '{}', headers: { Cookie: cookie } })
    expect(authed.status).toBe(200)
    await raw('/api/auth/logout', { body: '{}', headers: { Cookie: cookie } })
    expect((await raw('/api/accounts:list', { body: '{}', headers: { Cookie: cookie } })).status).toBe(401)
  })

  it('answers a batch of calls in order, each as if it came alone, with the session status', async () => {
    await start()
    await t.ok('accounts:create', { name: '批量客户' })
    const calls = [
      { method: 'stages:list', input: {} },
      { method: 'accounts:list', input: {} },
      { method: 'accounts:create', input: { name: '' } }, // bad input: this call fails, the others do not
      { method: 'no:such', input: {} },
      { method: 'users:list', input: { includeInactive: true } },
    ]
    const res = await raw('/api/batch', { body: JSON.stringify({ calls }), headers: { 'X-CRM-Locale': 'en' } })
    expect(res.status).toBe(200)
    const body = JSON.parse(res.body) as { ok: true; value: { status: { requireLogin: boolean; user: { id: number } | null }; results: Array<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> } }
    expect(body.value.status).toMatchObject({ requireLogin: false, user: { id: t.admin.userId } })
    expect(body.value.results.map((r) => r.ok)).toEqual([true, true, false, false, true])
    // The same answers as one call each.
    for (const i of [0, 1, 4]) {
      const alone = await raw(`/api/${calls[i].method}`, { body: JSON.stringify(calls[i].input) })
      expect(body.value.results[i]).toEqual(JSON.parse(alone.body))
    }
    expect(body.value.results[2].error?.code).toBe('VALIDATION')
    expect(body.value.results[2].error?.message).toMatch(/[A-Za-z]/) // in the language asked for
    expect(body.value.results[3].error?.code).toBe('UNKNOWN_METHOD')

    // Not a batch: refused as a whole.
    expect((await raw('/api/batch', { body: JSON.stringify({ calls: 'stages:list' }) })).status).toBe(400)
    expect((await raw('/api/batch', { body: JSON.stringify({ calls: Array.from({ length: 21 }, () => calls[0]) }) })).status).toBe(400)
  })

  it('a batch without a session, where a login is needed: the status says so and every call is refused', async () => {
    await start({ requireLogin: true })
    const res = await raw('/api/batch', { body: JSON.stringify({ calls: [{ method: 'accounts:list', input: {} }, { method: 'stages:list', input: {} }] }) })
    expect(res.status).toBe(200)
    const body = JSON.parse(res.body) as { value: { status: { requireLogin: boolean; user: unknown }; results: Array<{ ok: boolean; error?: { code: string } }> } }
    expect(body.value.status).toEqual({ requireLogin: true, user: null })
    expect(body.value.results.map((r) => r.error?.code)).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED'])
  })

  it('pushes data:changed events to browsers over server-sent events', async () => {
    await start()
    const controller = new AbortController()
    const res = await fetch(`${server.url}/api/events`, { signal: controller.signal })
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = res.body!.getReader()
    await reader.read() // ": connected"
    await t.ok('accounts:create', { name: '事件客户' })
    const { value } = await reader.read()
    expect(new TextDecoder().decode(value)).toContain('event: data:changed')
    controller.abort()
  })
})
