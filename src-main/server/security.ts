// HTTP-side security rules, kept in one place so they can be read and tested.

/** Content Security Policy for the renderer: nothing remote, no eval, no inline scripts. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Element Plus and ECharts set inline style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.')
}

/**
 * Requests must name a host we serve (blocks DNS rebinding) and, when a browser
 * says where it comes from, come from our own origin (blocks cross-site requests).
 */
export function checkOrigin(headers: { host?: string; origin?: string }, allowedHosts: Set<string>): boolean {
  const host = headers.host?.toLowerCase()
  if (!host || !allowedHosts.has(host)) return false
  if (headers.origin && headers.origin !== 'null') {
    try {
      if (new URL(headers.origin).host.toLowerCase() !== host) return false
    } catch {
      return false
    }
  } else if (headers.origin === 'null') {
    return false
  }
  return true
}
