import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { createCore, type Core } from '../api/core'
import { DB_FILE_NAME, resolveDataDir } from '../db/open'
import { latestMigrationName } from '../db/migrate'
import { backupSqlite } from '../db/sqlite'
import { startHttpServer } from '../server/http'
import { keptChromium } from '../reports/pdf-chromium'
import { loadPrintFonts } from '../reports/print-fonts'
import { setPrinterFactory } from '../reports/printer'
import { AppError } from '../shared/errors'
import { generateDemo } from '../demo/generate'
import { systemCtx } from '../services/context'
import { ensureLocalAdmin, listUsers, setPassword } from '../services/users'
import { updateSettings } from '../services/settings'
import type { Output } from './output'

export interface CommonFlags {
  dataDir?: string
  json: boolean
}

async function withCore<T>(flags: CommonFlags, fn: (core: Core, dir: string) => Promise<T>): Promise<T> {
  const dir = resolveDataDir(flags.dataDir)
  const core = await createCore(join(dir, DB_FILE_NAME))
  try {
    return await fn(core, dir)
  } finally {
    await core.close()
  }
}

export async function cmdInit(flags: CommonFlags & { company?: string; admin?: string }, out: Output): Promise<void> {
  await withCore(flags, async (core, dir) => {
    const ctx = systemCtx()
    const admin = await ensureLocalAdmin(core.database.db, ctx, flags.admin)
    if (flags.company) await updateSettings(core.database.db, { ...ctx, userId: admin.id }, { companyName: flags.company })
    out.result(
      { dataDir: dir, database: core.database.file, schema: core.database.migration.current, admin: admin.name },
      `已初始化数据目录 ${dir}\n数据库：${core.database.file}\n结构版本：${core.database.migration.current}\n管理员：${admin.name}`,
    )
  })
}

export async function cmdMigrate(flags: CommonFlags, out: Output): Promise<void> {
  await withCore(flags, async (core) => {
    const { applied, current } = core.database.migration
    out.result({ applied, current, latest: latestMigrationName() }, applied.length ? `已升级：${applied.join(', ')}\n当前版本：${current}` : `数据库已是最新版本（${current}）`)
  })
}

export async function cmdDemo(flags: CommonFlags & { seed?: number }, out: Output): Promise<void> {
  await withCore(flags, async (core) => {
    const ctx = systemCtx({ progress: (p) => out.info(`  ${p.message ?? ''} ${p.done}/${p.total ?? '?'}`) })
    const summary = await generateDemo(core.database.db, ctx, { seed: flags.seed ?? 20261129 })
    out.result(
      summary,
      `演示数据已生成：${summary.users} 位用户，${summary.accounts} 家客户，${summary.contacts} 位联系人，${summary.leads} 条线索，${summary.opportunities} 个商机，${summary.activities} 条跟进记录。`,
    )
  })
}

export async function cmdBackup(flags: CommonFlags & { out?: string }, out: Output): Promise<void> {
  if (!flags.out) throw new AppError('VALIDATION', { detail: '--out FILE' })
  const target = resolve(flags.out)
  if (existsSync(target)) throw new AppError('VALIDATION', { detail: `${target} 已存在 / already exists` })
  mkdirSync(dirname(target), { recursive: true })
  await withCore(flags, async (core) => {
    await backupSqlite(core.database.sqlite, target)
    out.result({ backup: target }, `已备份到 ${target}`)
  })
}

export async function cmdPasswd(flags: CommonFlags & { user?: string; password?: string }, out: Output): Promise<void> {
  if (!flags.user || !flags.password) throw new AppError('VALIDATION', { detail: '--user NAME --password PASSWORD' })
  await withCore(flags, async (core) => {
    const user = (await listUsers(core.database.db, systemCtx(), { includeInactive: true })).find((u) => u.name === flags.user)
    if (!user) throw new AppError('NOT_FOUND', { entityKey: 'user', id: flags.user })
    await setPassword(core.database.db, systemCtx(), { id: user.id, password: flags.password! })
    out.result({ user: user.name }, `已为 ${user.name} 设置密码`)
  })
}

export async function cmdServe(flags: CommonFlags & { host?: string; port?: number; staticDir?: string; reminderSeconds?: number }, out: Output): Promise<void> {
  if (flags.reminderSeconds !== undefined && flags.reminderSeconds < 1) throw new AppError('VALIDATION', { detail: `--reminder-seconds ${flags.reminderSeconds}` })
  const dir = resolveDataDir(flags.dataDir)
  const core = await createCore(join(dir, DB_FILE_NAME))
  await ensureLocalAdmin(core.database.db, systemCtx())
  const staticDir = flags.staticDir ?? resolve(process.cwd(), 'out/renderer')
  // How often due tasks are looked for (every 30 s unless told; the browser tests use 1 s).
  core.reminders.start((flags.reminderSeconds ?? 30) * 1000)
  // Report exports print with one Chromium kept while people work with the reports (started by their
  // first report call, closed after ten idle minutes), not one started per export.
  const printer = keptChromium()
  setPrinterFactory(printer.factory)
  const onCall = (method: string) => {
    if (method.startsWith('reports:') && method !== 'reports:dashboard') {
      printer.warm()
      void loadPrintFonts()
    }
  }
  const running = await startHttpServer({ db: core.database.db, dispatcher: core.dispatcher, bus: core.bus, host: flags.host, port: flags.port ?? 5180, staticDir, onCall })
  out.result({ url: running.url, dataDir: dir, requireLogin: running.requireLogin }, `商机 CRM 已启动：${running.url}\n数据目录：${dir}${running.requireLogin ? '\n非本机地址：需要登录（用 crm passwd 设置密码）' : ''}`)
  const stop = async () => {
    await running.close()
    await printer.close().catch(() => undefined)
    await core.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}
