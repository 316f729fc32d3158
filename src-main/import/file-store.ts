// Files that cross the API by token instead of by path: uploads from the
// browser (POST /api/files/upload), exports and rejected-row files to download
// (GET /api/files/<token>). Each lives in <data>/files/<token>/<name>; the token
// is 128 random bits, so knowing one is the permission to read that one file.
import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database'
import { databaseDir } from '../db/sqlite-bulk'
import { AppError } from '../shared/errors'
import type { Ctx } from '../services/context'

const TOKEN = /^[0-9a-f]{32}$/
/** Uploads and generated files are kept for a day. */
const KEEP_MS = 24 * 3600 * 1000

export function filesDir(dataDir: string): string {
  return join(dataDir, 'files')
}

/** A name safe to use as a file name on every OS, keeping Chinese. */
export function safeFileName(name: string): string {
  const cleaned = basename(name.replace(/\\/g, '/'))
    .replace(/[<>:"/\\|?*]/g, '_')
    .replace(/\p{Cc}/gu, '_')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 150)
  return cleaned || 'file'
}

function sweep(dir: string, now: number): void {
  if (!existsSync(dir)) return
  for (const entry of readdirSync(dir)) {
    if (!TOKEN.test(entry)) continue
    const p = join(dir, entry)
    try {
      if (now - statSync(p).mtimeMs > KEEP_MS) rmSync(p, { recursive: true, force: true })
    } catch {
      // Another process may be removing it too.
    }
  }
}

export interface FileSlot {
  token: string
  name: string
  path: string
}

/** Reserve a new file under the data folder; old ones are swept on the way. */
export function newFileSlot(dataDir: string, name: string): FileSlot {
  const dir = filesDir(dataDir)
  sweep(dir, Date.now())
  const token = randomBytes(16).toString('hex')
  mkdirSync(join(dir, token), { recursive: true })
  const safe = safeFileName(name)
  return { token, name: safe, path: join(dir, token, safe) }
}

/** Put a copy of a file on disk at `dest`: a hard link (no bytes copied) where the file system allows, else a copy. */
function placeFile(src: string, dest: string): void {
  try {
    linkSync(src, dest)
  } catch {
    copyFileSync(src, dest)
  }
}

/**
 * Keep a generated file beyond the day files/ holds it (e.g. an import's rejected
 * rows, downloadable again from the history): <data>/<folder>/<name>.
 */
export function keepFile(dataDir: string, src: string, folder: string): string {
  const dir = join(dataDir, folder)
  mkdirSync(dir, { recursive: true })
  const dest = join(dir, safeFileName(basename(src)))
  rmSync(dest, { force: true })
  placeFile(src, dest)
  return dest
}

/** A fresh download token for a file kept on disk; null when the file is gone. */
export function slotForFile(dataDir: string, path: string): FileSlot | null {
  if (!existsSync(path) || !statSync(path).isFile()) return null
  const slot = newFileSlot(dataDir, basename(path))
  placeFile(path, slot.path)
  return slot
}

export function resolveFileToken(dataDir: string, token: string): FileSlot {
  if (!TOKEN.test(token)) throw new AppError('FILE_TOKEN_INVALID')
  const dir = join(filesDir(dataDir), token)
  const names = existsSync(dir) ? readdirSync(dir) : []
  if (names.length !== 1) throw new AppError('FILE_TOKEN_INVALID')
  return { token, name: names[0], path: join(dir, names[0]) }
}

export const dataDirOf = (db: Kysely<Database>) => databaseDir(db)

/** A file named in an API input: an uploaded token, or (desktop and CLI only) a path on this machine. */
export type FileRef = { token: string; name?: string } | { path: string }

export function resolveInputFile(db: Kysely<Database>, ctx: Ctx, ref: FileRef): { path: string; name: string } {
  if ('token' in ref) {
    const slot = resolveFileToken(dataDirOf(db), ref.token)
    return { path: slot.path, name: ref.name ?? slot.name }
  }
  // A browser on another machine must not make the server read its own files.
  if (ctx.remote) throw new AppError('FORBIDDEN', { reasonKey: 'reason.pathNotAllowed' })
  return { path: ref.path, name: basename(ref.path) }
}
