// File transfer for the browser version: uploads of files to import and
// downloads of exports / rejected-row files. Same Host/Origin/login rules as
// /api (checked by http.ts before these run).
// - POST /api/files/upload: raw body, Content-Type application/octet-stream (a
//   type no HTML form can send, so a cross-site post needs a CORS preflight, which
//   we never answer), file name in X-File-Name (URI-encoded). Streamed to disk.
// - GET /api/files/<token>: the file, as an attachment.
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { dirname, extname } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'
import { newFileSlot, resolveFileToken } from '../import/file-store'
import { AppError } from '../shared/errors'
import { SECURITY_HEADERS } from './security'

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024

const TYPES: Record<string, string> = {
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv; charset=utf-8',
}

export async function handleUpload(req: IncomingMessage, res: ServerResponse, dataDir: string): Promise<void> {
  if (req.method !== 'POST') throw new AppError('VALIDATION', { detail: 'POST only' })
  if ((req.headers['content-type'] ?? '').split(';')[0].trim() !== 'application/octet-stream') {
    throw new AppError('VALIDATION', { detail: 'Content-Type must be application/octet-stream' })
  }
  const rawName = req.headers['x-file-name']
  let name = 'upload'
  if (typeof rawName === 'string' && rawName) {
    try {
      name = decodeURIComponent(rawName)
    } catch {
      throw new AppError('VALIDATION', { detail: 'X-File-Name' })
    }
  }
  const limit = `${MAX_UPLOAD_BYTES / 1024 / 1024} MB`
  if (Number(req.headers['content-length'] ?? 0) > MAX_UPLOAD_BYTES) throw new AppError('FILE_TOO_LARGE', { limit })
  const slot = newFileSlot(dataDir, name)
  let size = 0
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length
      if (size > MAX_UPLOAD_BYTES) done(new AppError('FILE_TOO_LARGE', { limit }))
      else done(null, chunk)
    },
  })
  try {
    await pipeline(req, counter, createWriteStream(slot.path))
  } catch (err) {
    rmSync(dirname(slot.path), { recursive: true, force: true })
    throw err instanceof AppError ? err : new AppError('VALIDATION', { detail: 'upload interrupted' })
  }
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify({ ok: true, value: { token: slot.token, name: slot.name, size } }))
}

export function handleDownload(req: IncomingMessage, res: ServerResponse, dataDir: string, token: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new AppError('VALIDATION', { detail: 'GET only' })
  const file = resolveFileToken(dataDir, token)
  const ascii = file.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': TYPES[extname(file.name).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(statSync(file.path).size),
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'Cache-Control': 'no-store',
  })
  if (req.method === 'HEAD') return void res.end()
  createReadStream(file.path).pipe(res)
}
