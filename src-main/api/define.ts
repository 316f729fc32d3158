import type { z } from 'zod'
import type { Db } from '../db/database'
import type { Role } from '../shared/domain'
import type { Ctx } from '../services/context'

export interface MethodDef<S extends z.ZodType, R, J extends boolean = boolean> {
  input: S
  /** Writes emit `data:changed` after they commit. */
  write: boolean
  /** Long jobs return `{ jobId }` at once and report progress as events. */
  job: J
  /** Who may call it; all signed-in users when absent. */
  roles?: readonly Role[]
  run: (db: Db, ctx: Ctx, input: z.output<S>) => Promise<R>
}

export function query<S extends z.ZodType, R>(input: S, run: (db: Db, ctx: Ctx, input: z.output<S>) => Promise<R>): MethodDef<S, R, false> {
  return { input, write: false, job: false, run }
}

export function command<S extends z.ZodType, R>(
  input: S,
  run: (db: Db, ctx: Ctx, input: z.output<S>) => Promise<R>,
  opts: { roles?: readonly Role[] } = {},
): MethodDef<S, R, false> {
  return { input, write: true, job: false, run, ...opts }
}

export function job<S extends z.ZodType, R>(
  input: S,
  run: (db: Db, ctx: Ctx, input: z.output<S>) => Promise<R>,
  opts: { roles?: readonly Role[] } = {},
): MethodDef<S, R, true> {
  return { input, write: true, job: true, run, ...opts }
}
