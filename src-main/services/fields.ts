// Reusable zod pieces for API inputs. Messages come from zod's locale at parse time.
import { z } from 'zod'
import { normalizeMobile } from '../shared/phone'
import { yuanToFen } from '../shared/money'

export const id = z.number().int().positive()
export const optionalId = id.nullish()
export const text = (max = 200) => z.string().trim().max(max)
export const requiredText = (max = 200) => z.string().trim().min(1).max(max)
/** Empty strings from forms mean "no value". */
export const optionalText = (max = 200) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null))

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'v.date' })
  .refine((v) => !Number.isNaN(Date.parse(v)), { message: 'v.date' })
export const optionalDate = isoDate.nullish().or(z.literal('').transform(() => null))
export const isoDateTime = z.iso.datetime({ offset: true })

export const mobile = z
  .string()
  .nullish()
  .transform((v, ctx) => {
    if (!v || !v.trim()) return null
    const m = normalizeMobile(v)
    if (!m) {
      ctx.addIssue({ code: 'custom', message: 'v.mobile' })
      return z.NEVER
    }
    return m
  })

export const email = z
  .string()
  .trim()
  .nullish()
  .transform((v) => (v ? v.toLowerCase() : null))
  .pipe(z.email().nullable())

/** Money in integer fen; also accepts a yuan string such as "12,000.50". */
export const fen = z.union([z.number().int().min(0).max(1e15), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v
  const parsed = yuanToFen(v)
  if (parsed === null || parsed < 0) {
    ctx.addIssue({ code: 'custom', message: 'v.amount' })
    return z.NEVER
  }
  return parsed
})

export const tags = z.array(z.string().trim().min(1).max(30)).max(50)
export const percent = z.number().int().min(0).max(100)

/**
 * Update inputs are partial: a field that is absent must stay as it is. Zod
 * applies `.default()` even inside `.partial()`, which would silently reset
 * such fields, so update schemas are built from the create shape without defaults.
 */
export function patchShape<T extends z.ZodRawShape>(shape: T): { [K in keyof T]: z.ZodOptional<T[K] extends z.ZodDefault<infer I> ? I : T[K]> } {
  const out: Record<string, z.ZodType> = {}
  for (const [key, field] of Object.entries(shape)) {
    const inner = (field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType
    out[key] = inner.optional()
  }
  return out as never
}
