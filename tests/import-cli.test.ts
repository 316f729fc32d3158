// `crm import`, `crm export`, `crm import-undo`: output exactly as documented,
// a clear non-zero failure for files that cannot be read.
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { cmdExport } from '../src-main/cli/import-commands'
import { tempDir } from './helpers/core'

const ROOT = join(__dirname, '..')
const XLS = join(ROOT, '..', 'shared', 'data', 'cn-customer-import-template', '客户导入模板.xls')
function crm(...args: string[]) {
  // CRM_IMPORT_WORKER=on: the file is read in a worker thread (as big files are), so that path runs here too.
  const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src-main/cli/crm.ts'), ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, CRM_IMPORT_WORKER: 'on' } })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('crm import / export / import-undo', () => {
  it('prints the documented JSON, exports, undoes, and refuses unreadable files on stderr', async () => {
    const dir = tempDir('crm-cli-import-')
    const refused = crm('import', XLS, '--data-dir', dir, '--json')
    expect(refused.status).not.toBe(0)
    expect(refused.stderr).toContain('另存为')
    expect(refused.stderr).toContain('.xlsx')

    const csv = join(dir, 'deals.csv')
    writeFileSync(
      csv,
      'opportunity_id,sales_agent,account,deal_stage,engage_date,close_date,close_value\n' +
        'D1,Moses Frase,Cancity,Won,2016-10-20,2017-03-01,1054\n' +
        'D2,Darcel Schlecht,Isdom,Engaging,2016-10-25,,\n' +
        'D3,Darcel Schlecht,Isdom,Closed somehow,2016-10-25,,\n',
    )
    const run = crm('import', csv, '--data-dir', dir, '--target', 'opportunities', '--stage-map', 'Engaging=意向商机,Prospecting=潜在商机', '--json')
    expect(run.status, run.stderr).toBe(0)
    const out = JSON.parse(run.stdout) as Record<string, unknown>
    expect(Object.keys(out)).toEqual(['imported', 'updated', 'duplicates', 'rejected', 'errors', 'batch'])
    expect(out).toEqual({ imported: 2, updated: 0, duplicates: 0, rejected: 1, errors: [{ row: 4, message: '未知的阶段“Closed somehow”，请在阶段对应中指定' }], batch: 1 })

    // Export in-process (same command function the CLI calls), read back with exceljs's non-streaming reader.
    const xlsx = join(dir, 'out', '商机.xlsx')
    const printed: unknown[] = []
    await cmdExport({ dataDir: dir, json: true, locale: 'zh-CN', entity: 'opportunities', out: xlsx }, { json: true, result: (d) => printed.push(d), info: () => {} })
    expect(printed).toEqual([{ entity: 'opportunities', rows: 2, out: xlsx }])
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(xlsx)
    expect(wb.worksheets[0].rowCount).toBe(3)

    const undo = crm('import-undo', '1', '--data-dir', dir, '--json')
    expect(undo.status, undo.stderr).toBe(0)
    expect(JSON.parse(undo.stdout)).toMatchObject({ batchId: 1, deleted: { opportunities: 2, accounts: 2, users: 2 } })
    expect(existsSync(xlsx)).toBe(true)
  }, 120_000) // three CLI processes (tsx start-up is seconds on a busy 2-core machine)
})
