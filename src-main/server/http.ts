// HTTP transport: the same method table as Electron IPC, for browsers in the
// office and for end-to-end tests. Binds to 127.0.0.1 unless told otherwise;
// on any other address every API call needs a signed-in user.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import type { Dispatcher } from '../api/dispatch'
import type { EventBus } from '../api/events'
import type { Db } from '../db/database'
import type { EventName } from '../shared/api'
import type { User } from '../shared/domain'
import { AppError, type ApiErrorData, type Locale } from '../shared/errors'
import { authenticate, defaultLocalUser, getUser } from '../services/users'
import { SECURITY_HEADERS, checkOrigin, isLoopbackHost } from './security'
import { SessionStore, parseCookies } from './sessions'
import { serveStatic } from './static-files'
import { dataDirOf } from '../import/file-store'
import { handleDownload, handleUpload } from './files'

export interface HttpServerOptions {
  db: Db
  dispatcher: Dispatcher
  bus: EventBus
  host?: string
  port?: number
  /** Folder of the built renderer (out/renderer). */
  staticDir: string
  /** Force login even on loopback (tests). */
  requireLogin?: boolean
  log?: Pick<Console, 'error' | 'info'>
  /** Told the name of every API method called, before it runs (crm serve warms the report printer with it). */
  onCall?: (method: string) => void
}

export interface RunningServer {
  server: Server
  url: string
  requireLogin: boolean
  close(): Promise<void>
}

const MAX_BODY = 10 * 1024 * 1024
/** Calls in one /api/batch request: the browser's start-up sends five. */
const MAX_BATCH = 20
const batchInput = z.object({ calls: z.array(z.object({ method: z.string().min(1).max(100), input: z.unknown() })).max(MAX_BATCH) })
const SESSION_COOKIE = 'crm_session'
const STATUS: Partial<Record<ApiErrorData['code'], number>> = {
  VALIDATION: 400,
  UNKNOWN_METHOD: 404,
  NOT_FOUND: 404,
  CONFLICT: 409,
  DUPLICATE: 409,
  IN_USE: 409,
  INVALID_STATE: 422,
  UNAUTHORIZED: 401,
  LOGIN_FAILED: 401,
  FORBIDDEN: 403,
  INTERNAL: 500,
  FILE_TOKEN_INVALID: 404,
  FILE_TOO_LARGE: 413,
}

function localeOf(req: IncomingMessage): Locale {
  const explicit = req.headers['x-crm-locale']
  if (explicit === 'en' || explicit === 'zh-CN') return explicit
  return /^en\b/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'zh-CN'
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...extra })
  res.end(JSON.stringify(body))
}

function sendError(res: ServerResponse, err: AppError, locale: Locale): void {
  const error = err.toData(locale)
  sendJson(res, STATUS[error.code] ?? 400, { ok: false, error })
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? ''
  // Requiring JSON makes every cross-site POST a CORS preflight, which we never answer.
  if (!type.startsWith('application/json')) throw new AppError('VALIDATION', { detail: 'Content-Type must be application/json' })
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new AppError('VALIDATION', { detail: 'request too large' })
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (!text) return {}
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new AppError('VALIDATION', { detail: 'malformed JSON' })
  }
}

const loginInput = z.object({ name: z.string().min(1).max(50), password: z.string().min(1).max(200) })

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1'
  const loopback = isLoopbackHost(host)
  const requireLogin = opts.requireLogin ?? !loopback
  const sessions = new SessionStore()
  const log = opts.log ?? console
  let allowedHosts: Set<string> | null = null

  async function callerUser(req: IncomingMessage): Promise<User | null> {
    if (!requireLogin) return defaultLocalUser(opts.db)
    const userId = sessions.get(parseCookies(req.headers.cookie)[SESSION_COOKIE])
    return userId === null ? null : getUser(opts.db, { userId, locale: 'zh-CN', now: () => new Date() }, { id: userId }).catch(() => null)
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const locale = localeOf(req)
    if (path === '/api/events' && req.method === 'GET') return handleEvents(req, res)
    if (path.startsWith('/api/files/')) {
      // Uploads to import and downloads of exports: same login rule as every API call.
      if (requireLogin && !(await callerUser(req))) throw new AppError('UNAUTHORIZED')
      if (path === '/api/files/upload') return handleUpload(req, res, dataDirOf(opts.db))
      return handleDownload(req, res, dataDirOf(opts.db), path.slice('/api/files/'.length))
    }
    if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'VALIDATION', message: 'POST only' } }, { Allow: 'POST' })
    const body = await readJson(req)

    if (path === '/api/auth/login') {
      const parsed = loginInput.safeParse(body)
      if (!parsed.success) throw new AppError('LOGIN_FAILED')
      const user = await authenticate(opts.db, parsed.data)
      const token = sessions.create(user.id)
      const cookie = `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
      return sendJson(res, 200, { ok: true, value: user }, { 'Set-Cookie': cookie })
    }
    if (path === '/api/auth/logout') {
      sessions.delete(parseCookies(req.headers.cookie)[SESSION_COOKIE])
      return sendJson(res, 200, { ok: true, value: null }, { 'Set-Cookie': `${SESSION_COOKIE}=; Max-Age=0; Path=/` })
    }
    // Job control answers at once, without a database lookup: a running import holds
    // the connection for its one transaction, and Cancel must still get through.
    if (path === '/api/jobs:cancel' || path === '/api/jobs:list') {
      const userId = requireLogin ? sessions.get(parseCookies(req.headers.cookie)[SESSION_COOKIE]) : null
      if (requireLogin && userId === null) throw new AppError('UNAUTHORIZED')
      opts.onCall?.(path.slice('/api/'.length))
      const result = await opts.dispatcher.dispatch(path.slice('/api/'.length), body, { userId, role: null, locale, remote: true })
      return sendJson(res, result.ok ? 200 : (STATUS[result.error.code] ?? 400), result)
    }
    const user = await callerUser(req)
    // A call as this caller: the same user, role and language for a single call and each of a batch's.
    const dispatch = (method: string, input: unknown) => {
      opts.onCall?.(method)
      return opts.dispatcher.dispatch(method, input, { userId: user?.id ?? null, role: user?.role ?? null, locale, remote: true })
    }
    if (path === '/api/auth/status') return sendJson(res, 200, { ok: true, value: { requireLogin, user } })
    // The session check and several calls in one request: the browser's start-up
    // (src-renderer/src/api/startup.ts) sends its five this way. Each call is
    // dispatched as if it came alone (same user, validation and language) and
    // answered in order; a call's failure is its own. On a slow machine every
    // request costs the page, the browser's network stack and this server a
    // round of work while the page is starting.
    if (path === '/api/batch') {
      const parsed = batchInput.safeParse(body)
      if (!parsed.success) throw new AppError('VALIDATION', { detail: `{ calls: [{ method, input }] }, at most ${MAX_BATCH}` })
      const denied = requireLogin && !user
      const results = []
      for (const call of parsed.data.calls) results.push(denied ? { ok: false, error: new AppError('UNAUTHORIZED').toData(locale) } : await dispatch(call.method, call.input ?? {}))
      return sendJson(res, 200, { ok: true, value: { status: { requireLogin, user }, results } })
    }
    if (requireLogin && !user) throw new AppError('UNAUTHORIZED')

    const result = await dispatch(path.slice('/api/'.length), body)
    sendJson(res, result.ok ? 200 : (STATUS[result.error.code] ?? 400), result)
  }

  async function handleEvents(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (requireLogin && !(await callerUser(req))) throw new AppError('UNAUTHORIZED')
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' })
    res.write(': connected\n\n')
    const events: EventName[] = ['data:changed', 'job', 'reminder']
    const offs = events.map((name) => opts.bus.on(name, (payload) => res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`)))
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000)
    req.on('close', () => {
      clearInterval(ping)
      offs.forEach((off) => off())
    })
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local')
    const locale = localeOf(req)
    if (allowedHosts && !checkOrigin({ host: req.headers.host, origin: req.headers.origin }, allowedHosts)) {
      return sendError(res, new AppError('FORBIDDEN'), locale)
    }
    if (url.pathname.startsWith('/api/')) {
      handleApi(req, res, url.pathname).catch((err: unknown) => {
        if (err instanceof AppError) return sendError(res, err, locale)
        log.error('[http] request failed', err)
        sendError(res, new AppError('INTERNAL'), locale)
      })
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { ok: false })
    serveStatic(opts.staticDir, url.pathname, res, SECURITY_HEADERS)
  })

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => resolvePromise())
  })
  const port = (server.address() as AddressInfo).port
  if (loopback) allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    server,
    url: `http://${shownHost}:${port}`,
    requireLogin,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections()
        server.close(() => resolveClose())
      }),
  }
}
