#!/usr/bin/env node
// `crm` command line: the same services as the app. `npm run --silent crm -- <command>`.
import { parseArgs } from 'node:util'
import { AppError, type Locale } from '../shared/errors'
import { cmdBackup, cmdDemo, cmdInit, cmdMigrate, cmdPasswd, cmdServe } from './commands'
import { createOutput } from './output'

const HELP = `商机 CRM 命令行

用法: crm <命令> [选项]

命令:
  init      创建数据目录和数据库（--company 公司名 --admin 管理员姓名）
  serve     启动浏览器版（--host 127.0.0.1 --port 5180）
  demo      生成演示公司数据（--seed N）
  migrate   升级数据库结构
  backup    备份数据库（--out 文件）
  passwd    设置登录密码（--user 姓名 --password 密码）

通用选项:
  --data-dir DIR   数据目录（或环境变量 CRM_DATA_DIR）
  --json           输出 JSON
  --lang en        English messages
`

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      lang: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      company: { type: 'string' },
      admin: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (err) {
    process.stderr.write(`选项有误 / invalid option: ${(err as Error).message}\n\n${HELP}`)
    return 2
  }
  const { values, positionals } = parsed
  const locale: Locale = values.lang === 'en' ? 'en' : 'zh-CN'
  const out = createOutput(Boolean(values.json))
  const flags = { dataDir: values['data-dir'], json: Boolean(values.json) }
  const int = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined
    const n = Number(v)
    if (!Number.isInteger(n)) throw new AppError('VALIDATION', { detail: `--${name} ${v}` })
    return n
  }
  const command = positionals[0]
  try {
    switch (command) {
      case 'init':
        await cmdInit({ ...flags, company: values.company, admin: values.admin }, out)
        return 0
      case 'serve':
        await cmdServe({ ...flags, host: values.host, port: int(values.port, 'port') }, out)
        return -1 // keep running
      case 'demo':
        await cmdDemo({ ...flags, seed: int(values.seed, 'seed') }, out)
        return 0
      case 'migrate':
        await cmdMigrate(flags, out)
        return 0
      case 'backup':
        await cmdBackup({ ...flags, out: values.out }, out)
        return 0
      case 'passwd':
        await cmdPasswd({ ...flags, user: values.user, password: values.password }, out)
        return 0
      default:
        process.stdout.write(HELP)
        return command && !values.help ? 2 : 0
    }
  } catch (err) {
    const data = err instanceof AppError ? err.toData(locale) : { code: 'INTERNAL', message: (err as Error).message }
    if (values.json) process.stdout.write(`${JSON.stringify({ ok: false, error: data })}\n`)
    else process.stderr.write(`错误 [${data.code}]: ${data.message}\n`)
    return 1
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`)
    process.exitCode = 2
  },
)
