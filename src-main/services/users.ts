import { scryptSync, randomBytes, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import type { DbOrTrx } from '../db/database'
import type { UserRow } from '../db/tables/users.table'
import { AppError, notFound } from '../shared/errors'
import type { User } from '../shared/domain'
import type { Ctx } from './context'
import { patchShape } from './fields'
import { audit, diff, inTransaction } from './write'

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    team: row.team,
    email: row.email,
    mobile: row.mobile,
    skills: JSON.parse(row.skills) as string[],
    isActive: row.is_active === 1,
    isImported: row.is_imported === 1,
    hasPassword: row.password_hash !== null,
  }
}

const name = z.string().trim().min(1).max(50)
const optionalText = z.string().trim().max(200).nullish()

export const userCreateInput = z.object({
  name,
  role: z.enum(['admin', 'manager', 'sales']).default('sales'),
  team: optionalText,
  email: z.email().nullish(),
  mobile: optionalText,
  skills: z.array(z.string().trim().min(1).max(30)).max(30).default([]),
})
export const userUpdateInput = z.object({
  ...patchShape(userCreateInput.shape),
  id: z.number().int().positive(),
  isActive: z.boolean().optional(),
})

export async function listUsers(db: DbOrTrx, _ctx: Ctx, input: { includeInactive?: boolean } = {}): Promise<User[]> {
  let q = db.selectFrom('users').selectAll().orderBy('id')
  if (!input.includeInactive) q = q.where('is_active', '=', 1)
  return (await q.execute()).map(toUser)
}

export async function getUser(db: DbOrTrx, _ctx: Ctx, input: { id: number }): Promise<User> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', input.id).executeTakeFirst()
  if (!row) throw notFound('user', input.id)
  return toUser(row)
}

export async function createUser(db: DbOrTrx, ctx: Ctx, input: z.output<typeof userCreateInput>): Promise<User> {
  return inTransaction(db, async (trx) => {
    const clash = await trx.selectFrom('users').select('id').where('name', '=', input.name).executeTakeFirst()
    if (clash) throw new AppError('DUPLICATE', { fieldKey: 'field.userName', value: input.name })
    const now = ctx.now().toISOString()
    const row = await trx
      .insertInto('users')
      .values({
        name: input.name,
        role: input.role,
        team: input.team ?? null,
        email: input.email ?? null,
        mobile: input.mobile ?? null,
        skills: JSON.stringify(input.skills),
        password_hash: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit(trx, ctx, { action: 'create', entity: 'user', entityId: row.id, changes: { name: row.name, role: row.role } })
    return toUser(row)
  })
}

export async function updateUser(db: DbOrTrx, ctx: Ctx, input: z.output<typeof userUpdateInput>): Promise<User> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('users').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!before) throw notFound('user', input.id)
    const patch = {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.role !== undefined && { role: input.role }),
      ...(input.team !== undefined && { team: input.team ?? null }),
      ...(input.email !== undefined && { email: input.email ?? null }),
      ...(input.mobile !== undefined && { mobile: input.mobile ?? null }),
      ...(input.skills !== undefined && { skills: JSON.stringify(input.skills) }),
      ...(input.isActive !== undefined && { is_active: input.isActive ? 1 : 0 }),
      updated_at: ctx.now().toISOString(),
    }
    const after = await trx.updateTable('users').set(patch).where('id', '=', input.id).returningAll().executeTakeFirstOrThrow()
    const { password_hash: _a, ...b } = before
    const { password_hash: _b, ...a } = after
    await audit(trx, ctx, { action: 'update', entity: 'user', entityId: input.id, changes: diff(b, a) })
    return toUser(after)
  })
}

// Passwords: scrypt with a per-user salt, stored as "scrypt$salt$hash" (hex).
export function hashPassword(password: string): string {
  const salt = randomBytes(16)
  const hash = scryptSync(password, salt, 32)
  return `scrypt$${salt.toString('hex')}$${hash.toString('hex')}`
}

export function verifyPassword(password: string, stored: string | null): boolean {
  if (!stored) return false
  const [scheme, saltHex, hashHex] = stored.split('$')
  if (scheme !== 'scrypt' || !saltHex || !hashHex) return false
  const expected = Buffer.from(hashHex, 'hex')
  const actual = scryptSync(password, Buffer.from(saltHex, 'hex'), expected.length)
  return timingSafeEqual(expected, actual)
}

export async function setPassword(db: DbOrTrx, ctx: Ctx, input: { id: number; password: string }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const res = await trx
      .updateTable('users')
      .set({ password_hash: hashPassword(input.password), updated_at: ctx.now().toISOString() })
      .where('id', '=', input.id)
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) === 0) throw notFound('user', input.id)
    await audit(trx, ctx, { action: 'update', entity: 'user', entityId: input.id, changes: { password: ['***', '***'] } })
  })
}

/** Check a name/password pair; returns the user or throws LOGIN_FAILED. */
export async function authenticate(db: DbOrTrx, input: { name: string; password: string }): Promise<User> {
  const row = await db.selectFrom('users').selectAll().where('name', '=', input.name).where('is_active', '=', 1).executeTakeFirst()
  if (!row || !verifyPassword(input.password, row.password_hash)) throw new AppError('LOGIN_FAILED')
  return toUser(row)
}

/** The user a local (loopback or desktop) session acts as: the first active admin. */
export async function defaultLocalUser(db: DbOrTrx): Promise<User | null> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('is_active', '=', 1)
    .orderBy((eb) => eb.case().when('role', '=', 'admin').then(0).else(1).end())
    .orderBy('id')
    .executeTakeFirst()
  return row ? toUser(row) : null
}

/** Desktop and `crm serve` need someone to act as: create the first admin on an empty database. */
export async function ensureLocalAdmin(db: DbOrTrx, ctx: Ctx, name = '管理员'): Promise<User> {
  return (await defaultLocalUser(db)) ?? createUser(db, ctx, { name, role: 'admin', skills: [] })
}
