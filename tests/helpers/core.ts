import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCore, type Core } from '../../src-main/api/core'
import type { Caller } from '../../src-main/api/dispatch'
import type { MethodName, ApiInput, ApiOutput } from '../../src-main/shared/api'
import type { ApiResult } from '../../src-main/shared/errors'
import { ensureLocalAdmin } from '../../src-main/services/users'
import { systemCtx } from '../../src-main/services/context'

export function tempDir(prefix = 'crm-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export interface TestCore extends Core {
  dir: string
  admin: Caller
  /** Typed call through the real dispatcher (validation, roles, errors as data). */
  call<K extends MethodName>(method: K, input: ApiInput<K>, caller?: Partial<Caller>): Promise<ApiResult<ApiOutput<K>>>
  /** Like call, but returns the value and fails the test on an error result. */
  ok<K extends MethodName>(method: K, input: ApiInput<K>, caller?: Partial<Caller>): Promise<ApiOutput<K>>
  cleanup(): Promise<void>
}

/** A real SQLite file in a temp folder, migrated, with one admin user. */
export async function createTestCore(opts: { clock?: () => Date } = {}): Promise<TestCore> {
  const dir = tempDir()
  const core = await createCore(join(dir, 'crm.sqlite'), { clock: opts.clock, log: { error: () => {} } })
  const adminUser = await ensureLocalAdmin(core.database.db, systemCtx())
  const admin: Caller = { userId: adminUser.id, role: 'admin', locale: 'zh-CN' }
  const call = (async (method: string, input: unknown, caller: Partial<Caller> = {}) =>
    core.dispatcher.dispatch(method, input, { ...admin, ...caller })) as TestCore['call']
  const ok = (async (method: string, input: unknown, caller: Partial<Caller> = {}) => {
    const r = await core.dispatcher.dispatch(method, input, { ...admin, ...caller })
    if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`)
    return r.value
  }) as TestCore['ok']
  return {
    ...core,
    dir,
    admin,
    call,
    ok,
    async cleanup() {
      await core.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
