import { z } from 'zod'
import type { Db } from '../db/database'
import type { Role } from '../shared/domain'
import { AppError, VALIDATION_MESSAGES, type ApiErrorData, type ApiResult, type Locale } from '../shared/errors'
import type { Ctx } from '../services/context'
import type { MethodDef } from './define'
import type { EventBus } from './events'
import { JobRunner } from './jobs'

export type MethodTable = Record<string, MethodDef<z.ZodType, unknown>>

export interface Caller {
  userId: number | null
  role: Role | null
  locale: Locale
  /** Set by the HTTP transport: the caller may be on another machine (no server file paths). */
  remote?: boolean
}

export interface Logger {
  error(message: string, err?: unknown): void
}

const LOCALE_ERRORS = { 'zh-CN': z.locales.zhCN().localeError, en: z.locales.en().localeError }

function validationError(error: z.ZodError, locale: Locale): ApiErrorData {
  const fields = error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: VALIDATION_MESSAGES[issue.message]?.[locale] ?? issue.message,
  }))
  const detail = fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('；')
  return { ...new AppError('VALIDATION', { detail }).toData(locale), fields }
}

export function toErrorData(err: unknown, locale: Locale, method: string, log: Logger): ApiErrorData {
  if (err instanceof AppError) return err.toData(locale)
  if (err instanceof z.ZodError) return validationError(err, locale)
  // Unknown errors are logged with the method name; the user sees a generic message, never a stack.
  log.error(`[api] ${method} failed`, err)
  return new AppError('INTERNAL').toData(locale)
}

/**
 * Validates input against the method's schema, checks the caller's role, runs
 * the service and turns every outcome into data. Both transports call this.
 */
export class Dispatcher {
  readonly jobs: JobRunner

  constructor(
    private readonly db: Db,
    private readonly methods: MethodTable,
    private readonly bus: EventBus,
    private readonly log: Logger = console,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.jobs = new JobRunner(bus)
  }

  has(method: string): boolean {
    return Object.hasOwn(this.methods, method)
  }

  async dispatch(method: string, rawInput: unknown, caller: Caller): Promise<ApiResult<unknown>> {
    const locale = caller.locale
    try {
      if (!Object.hasOwn(this.methods, method)) throw new AppError('UNKNOWN_METHOD', { method: String(method).slice(0, 80) })
      const def = this.methods[method]
      if (def.roles && (!caller.role || !def.roles.includes(caller.role))) throw new AppError('FORBIDDEN')
      const parsed = def.input.safeParse(rawInput ?? {}, { error: LOCALE_ERRORS[locale] })
      if (!parsed.success) return { ok: false, error: validationError(parsed.error, locale) }
      const ctx: Ctx = { userId: caller.userId, locale, now: this.clock, method, jobs: this.jobs, remote: caller.remote }
      if (def.job) {
        const jobId = this.jobs.start(
          method,
          ctx,
          async (jobCtx) => {
            const result = await def.run(this.db, jobCtx, parsed.data)
            this.bus.emit('data:changed', { method })
            return result
          },
          (err) => toErrorData(err, locale, method, this.log),
        )
        return { ok: true, value: { jobId } }
      }
      const value = await def.run(this.db, ctx, parsed.data)
      if (def.write) this.bus.emit('data:changed', { method })
      return { ok: true, value }
    } catch (err) {
      return { ok: false, error: toErrorData(err, locale, method, this.log) }
    }
  }
}
