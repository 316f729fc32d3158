import { randomBytes } from 'node:crypto'

interface Session {
  userId: number
  expiresAt: number
}

/** In-memory login sessions for the HTTP server (a restart signs everyone out). */
export class SessionStore {
  private readonly sessions = new Map<string, Session>()

  constructor(private readonly ttlMs = 12 * 3600_000) {}

  create(userId: number): string {
    const token = randomBytes(32).toString('base64url')
    this.sessions.set(token, { userId, expiresAt: Date.now() + this.ttlMs })
    return token
  }

  get(token: string | undefined): number | null {
    if (!token) return null
    const s = this.sessions.get(token)
    if (!s) return null
    if (s.expiresAt < Date.now()) {
      this.sessions.delete(token)
      return null
    }
    s.expiresAt = Date.now() + this.ttlMs
    return s.userId
  }

  delete(token: string | undefined): void {
    if (token) this.sessions.delete(token)
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim())
  }
  return out
}
