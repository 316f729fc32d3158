import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { kyselyFor, openSqlite } from '../src-main/db/sqlite'
import { latestMigrationName } from '../src-main/db/migrate'
import { tempDir } from './helpers/core'

const ROOT = join(__dirname, '..')
function crm(...args: string[]) {
  const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src-main/cli/crm.ts'), ...args], { encoding: 'utf8', cwd: ROOT })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

// Each call starts tsx on the whole main-process tree: seconds each on a loaded 2-core machine.
describe('crm command line', { timeout: 120_000 }, () => {
  it('init, migrate and backup print only their output; --json is machine-readable', async () => {
    const dir = tempDir('crm-cli-')
    const init = crm('init', '--data-dir', dir, '--company', '测试贸易有限公司', '--json')
    expect(init.status, init.stderr).toBe(0)
    expect(JSON.parse(init.stdout)).toMatchObject({ dataDir: dir, schema: latestMigrationName(), admin: '管理员' })

    const plain = crm('migrate', '--data-dir', dir)
    expect(plain.status).toBe(0)
    expect(plain.stdout.trim()).toBe(`数据库已是最新版本（${latestMigrationName()}）`)

    const out = join(dir, 'copies', 'crm-backup.sqlite')
    const backup = crm('backup', '--data-dir', dir, '--out', out, '--json')
    expect(backup.status, backup.stderr).toBe(0)
    expect(JSON.parse(backup.stdout)).toEqual({ backup: out })
    const copy = kyselyFor(openSqlite(out, { readonly: true }))
    const settings = await copy.selectFrom('settings').selectAll().execute()
    expect(settings.map((s) => [s.key, JSON.parse(s.value)])).toEqual([['companyName', '测试贸易有限公司']])
    await copy.destroy()

    // Refuses to overwrite an existing file, with the reason on stderr and a non-zero exit.
    const again = crm('backup', '--data-dir', dir, '--out', out)
    expect(again.status).toBe(1)
    expect(again.stdout).toBe('')
    expect(again.stderr).toContain('已存在')
  })

  it('rejects unknown options and commands clearly', () => {
    const bad = crm('init', '--no-such-flag')
    expect(bad.status).not.toBe(0)
    const unknown = crm('frobnicate')
    expect(unknown.status).toBe(2)
    expect(unknown.stdout).toContain('用法')
    expect(existsSync(join(ROOT, 'frobnicate'))).toBe(false)
  })
})
