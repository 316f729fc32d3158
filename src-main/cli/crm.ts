#!/usr/bin/env node
// `crm` command line: the same services as the app. `npm run --silent crm -- <command>`.
import { parseArgs } from 'node:util'
import { AppError, type Locale } from '../shared/errors'
import { cmdBackup, cmdDemo, cmdInit, cmdMigrate, cmdPasswd, cmdServe } from './commands'
import { createOutput } from './output'
import { cmdExport, cmdImport, cmdImportUndo } from './import-commands'
import { cmdScore } from './score-commands'
import { cmdReport } from './report-commands'

const HELP = `商机 CRM 命令行

用法: crm <命令> [选项]

命令:
  init      创建数据目录和数据库（--company 公司名 --admin 管理员姓名）
  serve     启动浏览器版（--host 127.0.0.1 --port 5180 --reminder-seconds 30：多久检查一次到期待办）
  demo      生成演示公司数据（--seed N）
  migrate   升级数据库结构
  backup    备份数据库（--out 文件）
  passwd    设置登录密码（--user 姓名 --password 密码）
  import FILE         导入 .xlsx / .csv（--target leads|accounts|opportunities  --on-duplicate skip|update|create
                      --sheet 工作表  --stage-map 'Won=成交,Engaging=意向商机'  --date-order ymd|mdy|dmy
                      --owner 姓名  --source 渠道  --dedupe-by mobile,email,company,externalId
                      --header-row N  --custom-fields（未对应的列建为自定义字段）  --dry-run）
  export ENTITY       导出 leads|accounts|contacts|opportunities（--out 文件.xlsx|文件.csv）
  import-undo BATCH   撤销一次导入
  score retrain       重新训练赢率模型并打印检验结果（--target opportunity|lead  --holdout time|random  --seed N  --outcome-field 自定义字段ID）
  score explain ID    商机（或 --target lead 线索）的赢率及有利/不利因素
  report NAME         报表 funnel|sources|reps|forecast|winloss|cycle|distribution|activity|insights|pack
                      （--from YYYY-MM-DD --to YYYY-MM-DD  --format json|pdf|xlsx  --out 文件
                      --owner 姓名  --team 团队  --source 渠道  --orientation portrait|landscape）

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
      'reminder-seconds': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      company: { type: 'string' },
      admin: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      target: { type: 'string' },
      'stage-map': { type: 'string' },
      sheet: { type: 'string' },
      'on-duplicate': { type: 'string' },
      'dedupe-by': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'date-order': { type: 'string' },
      'header-row': { type: 'string' },
      owner: { type: 'string' },
      source: { type: 'string' },
      'custom-fields': { type: 'boolean', default: false },
      holdout: { type: 'string' },
      'outcome-field': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      team: { type: 'string' },
      orientation: { type: 'string' },
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
        await cmdServe({ ...flags, host: values.host, port: int(values.port, 'port'), reminderSeconds: int(values['reminder-seconds'], 'reminder-seconds') }, out)
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
      case 'import':
        await cmdImport(
          {
            ...flags,
            locale,
            file: positionals[1],
            target: values.target,
            stageMap: values['stage-map'],
            sheet: values.sheet,
            onDuplicate: values['on-duplicate'],
            dedupeBy: values['dedupe-by'],
            dryRun: values['dry-run'],
            dateOrder: values['date-order'],
            headerRow: int(values['header-row'], 'header-row'),
            owner: values.owner,
            source: values.source,
            customFields: values['custom-fields'],
          },
          out,
        )
        return 0
      case 'export':
        await cmdExport({ ...flags, locale, entity: positionals[1], out: values.out }, out)
        return 0
      case 'score':
        await cmdScore({ ...flags, locale, sub: positionals[1], arg: positionals[2], target: values.target, holdout: values.holdout, seed: int(values.seed, 'seed'), outcomeField: int(values['outcome-field'], 'outcome-field') }, out)
        return 0
      case 'report':
        await cmdReport({ ...flags, locale, name: positionals[1], from: values.from, to: values.to, format: values.format, out: values.out, owner: values.owner, team: values.team, source: values.source, orientation: values.orientation }, out)
        return 0
      case 'import-undo':
        await cmdImportUndo({ ...flags, locale, batch: positionals[1] }, out)
        return 0
      default:
        process.stdout.write(HELP)
        return command && !values.help ? 2 : 0
    }
  } catch (err) {
    const data = err instanceof AppError ? err.toData(locale) : { code: 'INTERNAL', message: (err as Error).message }
    if (values.json) process.stdout.write(`${JSON.stringify({ ok: false, error: data })}\n`)
    // The reason goes to stderr in both modes, so a failing script says why.
    process.stderr.write(`${locale === 'en' ? 'Error' : '错误'} [${data.code}]: ${data.message}\n`)
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
