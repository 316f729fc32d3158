import { createReadStream, existsSync, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
}

/** Serve a file of the built renderer; unknown paths fall back to index.html (client-side routes). */
export function serveStatic(root: string, urlPath: string, res: ServerResponse, headers: Record<string, string>): void {
  const base = resolve(root)
  let decoded = decodeURIComponent(urlPath.split('?')[0])
  // The renderer is built with a relative base (it also loads from file:// in
  // Electron), so a deep link like /accounts/12 asks for /accounts/assets/x.js.
  const assets = decoded.lastIndexOf('/assets/')
  if (assets > 0) decoded = decoded.slice(assets)
  let file = resolve(join(base, normalize(decoded)))
  if (file !== base && !file.startsWith(base + sep)) {
    res.writeHead(403, headers).end()
    return
  }
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(base, 'index.html')
  if (!existsSync(file)) {
    res.writeHead(503, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' })
    res.end('界面尚未构建：请先运行 npm run build。 The renderer is not built yet: run npm run build.')
    return
  }
  const type = TYPES[extname(file)] ?? 'application/octet-stream'
  // Hashed assets can be cached for long; index.html must always be fresh.
  const cache = file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'
  res.writeHead(200, { ...headers, 'Content-Type': type, 'Cache-Control': cache })
  createReadStream(file).pipe(res)
}
