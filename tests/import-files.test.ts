// Reading what people send: formats, encodings, broken files, header rows,
// automatic column mapping, value normalisation. Fixtures come from other
// writers than exceljs (hand-zipped XML, iconv-encoded GBK, the public files
// in ../shared/data read in place).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import { afterAll, describe, expect, it } from 'vitest'
import { CsvParser } from '../src-main/import/csv-reader'
import { fromSerial, guessDateOrder, isoDateOf, parseDate } from '../src-main/import/dates'
import { openFile } from '../src-main/import/engine'
import { headerKey, suggestMapping } from '../src-main/import/fields'
import { amountFen, sizeBand, splitPhones } from '../src-main/import/normalize'
import { sniffFile } from '../src-main/import/sniff'
import { openSource } from '../src-main/import/source'
import type { RawCell } from '../src-main/import/types'
import { AppError } from '../src-main/shared/errors'
import { companyKey } from '../src-main/shared/keys'
import { searchText } from '../src-main/shared/text'
import { searchTextOf } from '../src-main/import/write-common'
import { cell, row, serial, valuesRow, writeXlsx, zip } from './helpers/xlsx-fixture'
import { tempDir } from './helpers/core'

const DATA = join(__dirname, '..', '..', 'shared', 'data')
const TEMPLATE_XLS = join(DATA, 'cn-customer-import-template', '客户导入模板.xls')
const TEMPLATE_CSV = join(DATA, 'cn-customer-import-template', '客户导入模板.sheet1.csv')
const dir = tempDir('crm-import-files-')
afterAll(() => undefined)

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected an AppError')
}

async function readAll(path: string, opts: Parameters<typeof openSource>[1] = {}) {
  const s = await openSource(path, opts)
  const rows: Array<{ n: number; cells: RawCell[] }> = []
  for await (const r of s.rows) rows.push(r)
  return { info: s.info, rows }
}

describe('file kinds: anything that is not .xlsx or text gets advice, never a crash', () => {
  it('refuses the legacy .xls template with a "save as .xlsx" message in both languages', async () => {
    const err = await failure(sniffFile(TEMPLATE_XLS))
    expect(err.code).toBe('IMPORT_LEGACY_XLS')
    expect(err.toData('zh-CN').message).toContain('另存为')
    expect(err.toData('zh-CN').message).toContain('.xlsx')
    expect(err.toData('en').message).toMatch(/Save As.*\.xlsx/)
  })

  it('tells an encrypted workbook, a renamed PDF, a Word file, a web page and an empty file apart', async () => {
    // An encrypted .xlsx is an OLE compound file with an "EncryptedPackage" stream.
    const cfb = Buffer.alloc(4096)
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(cfb)
    Buffer.from('EncryptionInfo', 'utf16le').copy(cfb, 1024)
    Buffer.from('EncryptedPackage', 'utf16le').copy(cfb, 1152)
    writeFileSync(join(dir, 'locked.xlsx'), cfb)
    expect((await failure(sniffFile(join(dir, 'locked.xlsx')))).code).toBe('IMPORT_ENCRYPTED')

    writeFileSync(join(dir, 'report.xlsx'), Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200, 1)]))
    const pdf = await failure(sniffFile(join(dir, 'report.xlsx')))
    expect(pdf.code).toBe('IMPORT_NOT_SPREADSHEET')
    expect(pdf.toData('zh-CN').message).toContain('PDF')

    writeFileSync(join(dir, 'memo.xlsx'), zip([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/document.xml', data: '<w:document/>' }]))
    expect((await failure(sniffFile(join(dir, 'memo.xlsx')))).toData('en').message).toContain('Word')

    writeFileSync(join(dir, 'export.xls'), '<html><body><table><tr><td>客户</td></tr></table></body></html>')
    expect((await failure(sniffFile(join(dir, 'export.xls')))).code).toBe('IMPORT_UNSUPPORTED_FORMAT')

    writeFileSync(join(dir, 'empty.csv'), '')
    expect((await failure(sniffFile(join(dir, 'empty.csv')))).code).toBe('IMPORT_EMPTY')
    expect((await failure(sniffFile(join(dir, 'missing.csv')))).code).toBe('IMPORT_FILE_NOT_FOUND')
  })

  it('an .xlsx whose only visible sheet is empty, or whose sheets are all hidden, says so', async () => {
    const empty = writeXlsx(join(dir, 'empty.xlsx'), [{ name: '空表', rows: [] }])
    expect((await failure(openFile({ path: empty }, 'zh-CN'))).code).toBe('IMPORT_EMPTY')
    const hidden = writeXlsx(join(dir, 'hidden.xlsx'), [{ name: '数据', state: 'hidden', rows: [valuesRow(1, ['客户名称', '手机'])] }])
    expect((await failure(openFile({ path: hidden }, 'zh-CN'))).code).toBe('IMPORT_NO_SHEETS')
  })
})

describe('text encodings are detected, not assumed', () => {
  const rows = [
    ['客户名称', '联系人', '手机'],
    ['青岛博益特生物材料股份有限公司', '张三', '137 0000 0000'],
    ['杭州云帆科技有限公司', '李娜', '+86-138-0013-8000'],
  ]
  const text = rows.map((r) => r.join(',')).join('\r\n') + '\r\n'

  it.each([
    ['utf8-bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), 'utf8'],
    ['utf8.csv', Buffer.from(text, 'utf8'), 'utf8'],
    ['gbk.csv', iconv.encode(text, 'gbk'), 'gb18030'],
    ['gb18030.csv', iconv.encode(text, 'gb18030'), 'gb18030'],
    ['utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text.replace(/,/g, '\t'), 'utf-16le')]), 'utf16le'],
  ])('%s', async (name, bytes, encoding) => {
    writeFileSync(join(dir, name), bytes)
    const { info, rows: read } = await readAll(join(dir, name))
    expect(info.encoding).toBe(encoding)
    expect(read.map((r) => r.cells)).toEqual(rows)
  })

  it('finds GBK even when the first 200 KB are plain ASCII', async () => {
    const ascii = Array.from({ length: 8000 }, (_, i) => `Company ${i},Person ${i},1380013${String(i).padStart(4, '0')}`).join('\n')
    writeFileSync(join(dir, 'late-gbk.csv'), iconv.encode(`name,contact,mobile\n${ascii}\n深圳华强电子有限公司,王伟,13912345678\n`, 'gbk'))
    const { info, rows: read } = await readAll(join(dir, 'late-gbk.csv'))
    expect(info.encoding).toBe('gb18030')
    expect(read[read.length - 1].cells).toEqual(['深圳华强电子有限公司', '王伟', '13912345678'])
  })
})

describe('CSV parsing', () => {
  const parse = (text: string, delim = ',', chunk = text.length) => {
    const p = new CsvParser(delim)
    const out: string[][] = []
    for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk), out)
    p.end(out)
    return out
  }
  const tricky = 'a,"b ""quoted""",c\r\n"multi\nline",,"x,y"\r\nlast,row,\n\nend'
  const expected = [['a', 'b "quoted"', 'c'], ['multi\nline', '', 'x,y'], ['last', 'row', ''], [], ['end']]

  it('handles quotes, escaped quotes, line breaks in fields, empty fields and lines', () => {
    expect(parse(tricky)).toEqual(expected)
  })

  it('gives the same records whatever the chunk boundaries (streaming)', () => {
    for (const size of [1, 2, 3, 5, 7]) expect(parse(tricky, ',', size)).toEqual(expected)
    expect(parse('a;b\rc;d\r', ';', 1)).toEqual([['a', 'b'], ['c', 'd']])
  })

  it('detects tab and semicolon files', async () => {
    writeFileSync(join(dir, 'wechat.txt'), '昵称\t手机\t备注\n小王\t13800138000\t展会认识\n')
    const tab = await readAll(join(dir, 'wechat.txt'))
    expect(tab.info.delimiter).toBe('\t')
    expect(tab.rows[1].cells).toEqual(['小王', '13800138000', '展会认识'])
    writeFileSync(join(dir, 'semi.csv'), 'Firma;Telefon\n"Müller; GmbH";+49 30 1234\n')
    expect((await readAll(join(dir, 'semi.csv'))).rows[1].cells).toEqual(['Müller; GmbH', '+49 30 1234'])
  })
})

describe('.xlsx written by hand (not by exceljs)', () => {
  const file = join(dir, 'show.xlsx')
  writeXlsx(
    file,
    [
      { name: '说明', state: 'hidden', rows: [valuesRow(1, ['这是隐藏的辅助表', '不应被读取'])] },
      {
        name: '展会名单',
        dimension: 'A1:F5',
        merges: ['A1:F1'],
        rows: [
          row(1, [cell.str('A1', '2026 上海工业博览会 客户名单')]),
          row(2, [cell.shared('A2', 0), cell.shared('B2', 1), cell.str('C2', '手机号码'), cell.str('D2', '电子邮箱'), cell.str('E2', '登记日期'), cell.str('F2', '预算')]),
          row(3, [cell.str('A3', '杭州云帆科技有限公司'), cell.str('B3', '李娜'), cell.num('C3', 13800138000), cell.str('D3', 'Li.Na@Example.COM'), cell.date('E3', serial(2026, 3, 5)), cell.formula('F3', 'B9*2', 120000)]),
          row(4, [cell.str('A4', '深圳华强电子'), cell.formulaError('B4', 'VLOOKUP(X1,Y:Z,2,0)'), cell.str('C4', '０７５５－８８８８６６６６'), cell.error('D4'), cell.str('E4', '2026年3月5日'), cell.formula('F4', 'TEXT(1)', '¥3,000')]),
          row(5, [cell.str('A5', '宁波港'), cell.str('B5', '周强'), cell.formula('F5', 'F3-F3', 0)]),
        ],
      },
      { name: '第二个表', rows: [valuesRow(1, ['别的数据'])] },
    ],
    ['公司名称', '联系人'],
  )

  it('lists every sheet, skips the hidden one, finds the header under a merged title', async () => {
    const f = await openFile({ path: file }, 'zh-CN')
    f.source.close()
    expect(f.source.info.sheets).toEqual([
      { name: '说明', hidden: true },
      { name: '展会名单', hidden: false },
      { name: '第二个表', hidden: false },
    ])
    expect(f.source.info.sheet).toBe('展会名单')
    expect(f.buffered[f.headerIndex].n).toBe(2)
    expect(f.headers).toEqual(['公司名称', '联系人', '手机号码', '电子邮箱', '登记日期', '预算'])
    // An explicitly chosen sheet; a hidden one cannot be chosen.
    const other = await openFile({ path: file, sheet: '第二个表' }, 'zh-CN')
    other.source.close()
    expect(other.headers).toEqual(['别的数据'])
    expect((await failure(openFile({ path: file, sheet: '说明' }, 'zh-CN'))).code).toBe('IMPORT_SHEET_NOT_FOUND')
  })

  it('gives cached formula results, error cells as errors, date cells as dates, and an estimated row count', async () => {
    const s = await openSource(file)
    const rows: Array<{ n: number; cells: RawCell[] }> = []
    for await (const r of s.rows) rows.push(r)
    expect(s.estimateRows(1)).toBe(5)
    const r3 = rows.find((r) => r.n === 3)!.cells
    expect(r3[2]).toBe(13800138000)
    expect(r3[4]).toEqual(new Date(Date.UTC(2026, 2, 5)))
    expect(r3[5]).toBe(120000)
    const r4 = rows.find((r) => r.n === 4)!.cells
    expect(r4[1]).toEqual({ error: '#ERROR', formula: true })
    expect(r4[3]).toEqual({ error: '#N/A' })
    expect(r4[5]).toBe('¥3,000')
    // A cached 0 is a value, not "no value" (exceljs's row.values would drop it).
    expect(rows.find((r) => r.n === 5)!.cells[5]).toBe(0)
  })
})

describe('column mapping from Chinese and English headers', () => {
  const target = (cols: ReturnType<typeof suggestMapping>, header: string) => cols.find((c) => c.header === header)?.target

  it('maps the real Chinese customer template (its UTF-8 .csv) automatically', async () => {
    const f = await openFile({ path: TEMPLATE_CSV }, 'zh-CN')
    f.source.close()
    const cols = suggestMapping('accounts', f.headers, f.buffered.slice(f.dataStart).map((r) => r.cells))
    expect(target(cols, '客户名称')).toEqual({ kind: 'field', field: 'company' })
    expect(target(cols, '联系人')).toEqual({ kind: 'field', field: 'contactName' })
    expect(target(cols, '电话号码')).toEqual({ kind: 'field', field: 'mobile' })
    expect(target(cols, '职务')).toEqual({ kind: 'field', field: 'title' })
    expect(target(cols, '客户地区')).toEqual({ kind: 'field', field: 'province' })
    expect(target(cols, '客户城市')).toEqual({ kind: 'field', field: 'city' })
    expect(target(cols, '分管业务员')).toEqual({ kind: 'field', field: 'owner' })
    expect(target(cols, '客户编码')).toEqual({ kind: 'field', field: 'externalId' })
    expect(target(cols, '客户分类')).toEqual({ kind: 'newCustom', label: '客户分类', type: 'choice' })
    // 公司 is a weaker name for the company than 客户名称: it is left for the user to decide.
    expect(target(cols, '公司')).toEqual({ kind: 'ignore' })
    expect(target(cols, '财务联系人')).toEqual({ kind: 'ignore' })
  })

  it('maps the variants people use, in both languages, each field once', () => {
    const headers = ['单位名称', '姓名', '手机号(必填)', 'E-mail', '线索来源', '负责人', '备注', '微信号', '省份', '城市', '行业', 'Last update']
    const cols = suggestMapping('leads', headers, [])
    expect(cols.map((c) => (c.target.kind === 'field' ? c.target.field : null))).toEqual([
      'company', 'contactName', 'mobile', 'email', 'source', 'owner', 'notes', 'wechat', 'province', 'city', 'industry', null,
    ])
    const en = suggestMapping('opportunities', ['opportunity_id', 'sales_agent', 'product', 'account', 'deal_stage', 'engage_date', 'close_date', 'close_value'], [])
    expect(en.map((c) => (c.target.kind === 'field' ? c.target.field : null))).toEqual([
      'externalId', 'owner', null, 'company', 'stage', 'createdAt', 'closedAt', 'amount',
    ])
    expect(headerKey('金额（元）*')).toBe('金额元')
    // A template (by header text) wins over the dictionary.
    const withTemplate = suggestMapping('leads', ['单位名称', '备注'], [], [{ header: '备注', target: { kind: 'newCustom', label: '展位号', type: 'text' } }])
    expect(withTemplate[1]).toMatchObject({ confidence: 'template', target: { kind: 'newCustom', label: '展位号' } })
  })
})

describe('value normalisation', () => {
  it('mobiles to 11 digits from spaces, dashes, +86 and full-width digits; landlines kept', () => {
    expect(splitPhones('138 0013 8000').parts.mobile).toBe('13800138000')
    expect(splitPhones('+86-138-0013-8000').parts.mobile).toBe('13800138000')
    expect(splitPhones('１３８００１３８０００').parts.mobile).toBe('13800138000')
    expect(splitPhones('0532-8888888').parts).toEqual({ mobile: null, phone: '0532-8888888', extra: [] })
    expect(splitPhones('(0755) 8888 6666').parts.phone).toBe('075588886666')
    expect(splitPhones('13800138000/13900139000；0571-88886666').parts).toEqual({ mobile: '13800138000', phone: '0571-88886666', extra: ['13900139000'] })
    expect(splitPhones('12345').invalid).toEqual(['12345'])
  })

  it('dates from serials, date cells and text forms; d/m vs m/d only when decided', () => {
    const iso = (v: RawCell, order: 'mdy' | 'dmy' | null = null) => {
      const p = parseDate(v, order)
      return p && !('ambiguous' in p) ? isoDateOf(p) : p
    }
    expect(iso(serial(2026, 3, 5))).toBe('2026-03-05')
    expect(isoDateOf(fromSerial(45356)!)).toBe('2024-03-05')
    expect(iso('2026/3/5')).toBe('2026-03-05')
    expect(iso('2026-03-05')).toBe('2026-03-05')
    expect(iso('2026年3月5日')).toBe('2026-03-05')
    expect(iso('2026.3.5 14:30')).toBe('2026-03-05')
    expect(iso('20260305')).toBe('2026-03-05')
    expect(iso('5-Mar-2026')).toBe('2026-03-05')
    expect(iso('10/20/2016')).toBe('2016-10-20')
    expect(iso('20/10/2016')).toBe('2016-10-20')
    expect(iso('3/5/2026')).toEqual({ ambiguous: true })
    expect(iso('3/5/2026', 'mdy')).toBe('2026-03-05')
    expect(iso('3/5/2026', 'dmy')).toBe('2026-05-03')
    expect(iso('2026-02-30')).toBeNull()
    expect(guessDateOrder(['3/1/2017', '10/20/2016'])).toMatchObject({ order: 'mdy', needsOrder: true })
    expect(guessDateOrder(['3/1/2017', '4/2/2017'])).toMatchObject({ order: null, needsOrder: true, example: '3/1/2017' })
    expect(guessDateOrder(['2017-03-01'])).toMatchObject({ order: 'ymd', needsOrder: false })
    expect(guessDateOrder(['13/1/2017', '1/13/2017'])).toMatchObject({ order: null, conflicting: true })
  })

  it('amounts with thousands separators, ¥ and 万; sizes to bands; company keys', () => {
    expect(amountFen('¥ 12,000.50')).toBe(1_200_050)
    expect(amountFen('1.2万')).toBe(1_200_000)
    expect(amountFen(1234.56)).toBe(123_456)
    expect(amountFen('abc')).toBeNull()
    expect(sizeBand('120人')).toBe('50-199')
    expect(sizeBand('100~499人')).toBe('200-499')
    expect(sizeBand(2822)).toBe('1000+')
    expect(companyKey('华为技术（深圳）有限公司')).toBe(companyKey('华为技术(深圳) '))
    expect(companyKey('ACME Co., Ltd.')).toBe(companyKey('acme co'))
  })

  it('the import’s one-pass search text equals the services’ searchText', () => {
    const parts = ['杭州云帆科技有限公司', null, 'ＡＢＣ　Ltd', '  ', 'Li.Na@Example.COM', '', '138 0013 8000', undefined]
    expect(searchTextOf(parts)).toBe(searchText(...(parts as Array<string | null | undefined>)))
  })
})

describe('the public template CSV is read as its producer wrote it', () => {
  it('keeps every column of the one example row', async () => {
    const text = readFileSync(TEMPLATE_CSV, 'utf8')
    const { rows } = await readAll(TEMPLATE_CSV)
    expect(rows).toHaveLength(2)
    expect(rows[0].cells).toEqual(text.split('\n')[0].split(','))
    expect(rows[1].cells[1]).toBe('青岛博益特生物材料股份有限公司')
    expect(rows[1].cells[17]).toBe('0532-8888888')
  })
})
