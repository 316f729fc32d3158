// The .xlsx reader's own worksheet and shared-strings parsers (sheet-xml.ts,
// shared-strings-xml.ts) against the exceljs parsers they replaced: the same workbooks
// read both ways must give identical rows. Workbooks: hand-zipped XML (every cell kind,
// styles, entities, the import tests' fixtures), the public CSV data sets turned into
// .xlsx by hand and by exceljs, a workbook exceljs writes with every value kind, and any
// .xlsx under ../shared/data. Then chunk boundaries anywhere (1, 7, 64 characters), and the
// cases where exceljs's parsers were wrong and ours deliberately differ.
import { readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { openSource } from '../src-main/import/source'
import { CompactStrings, SharedStringsParser } from '../src-main/import/shared-strings-xml'
import { SheetXmlParser, type SheetRow } from '../src-main/import/sheet-xml'
import type { RawCell } from '../src-main/import/types'
import { isDateFmt, openXlsx, type XlsxParser } from '../src-main/import/xlsx-reader'
import { cell, col, row, serial, valuesRow, writeXlsx, zip } from './helpers/xlsx-fixture'
import { tempDir } from './helpers/core'

const DATA = join(__dirname, '..', '..', 'shared', 'data')
const dir = tempDir('crm-xlsx-lean-')

async function rowsOf(path: string, parser: XlsxParser, sheet?: string): Promise<{ sheets: Array<{ name: string; hidden: boolean }>; rows: SheetRow[] }> {
  const x = await openXlsx(path, sheet, parser)
  const rows: SheetRow[] = []
  for await (const r of x.rows) rows.push(r)
  return { sheets: x.sheets, rows }
}

/** Every visible sheet read with both parsers: identical rows (returned for further checks). */
async function same(path: string): Promise<Map<string, SheetRow[]>> {
  const first = await rowsOf(path, 'exceljs')
  const out = new Map<string, SheetRow[]>()
  for (const s of first.sheets.filter((x) => !x.hidden)) {
    const old = await rowsOf(path, 'exceljs', s.name)
    const lean = await rowsOf(path, 'lean', s.name)
    expect(lean.sheets).toStrictEqual(old.sheets)
    expect(lean.rows.length, `${path} ${s.name}`).toBe(old.rows.length)
    for (let i = 0; i < old.rows.length; i++) expect(lean.rows[i], `${path} ${s.name} row ${old.rows[i].n}`).toStrictEqual(old.rows[i])
    out.set(s.name, lean.rows)
  }
  return out
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** A workbook zipped by hand from XML parts (styles, shared strings and workbook properties as given). */
function handBook(path: string, o: { sheets: Array<{ name: string; xml: string; state?: string }>; sst?: string; styles?: string; workbookPr?: string }): string {
  const files: Array<{ name: string; data: string }> = [
    {
      name: '[Content_Types].xml',
      data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    },
    {
      name: '_rels/.rels',
      data: '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    },
    {
      name: 'xl/workbook.xml',
      data:
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
        (o.workbookPr ?? '') +
        '<sheets>' +
        o.sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`).join('') +
        '</sheets></workbook>',
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data:
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        o.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
        (o.styles ? `<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` : '') +
        (o.sst ? `<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` : '') +
        '</Relationships>',
    },
  ]
  // Sheets first, as Excel writes them.
  o.sheets.forEach((s, i) => files.push({ name: `xl/worksheets/sheet${i + 1}.xml`, data: s.xml }))
  if (o.sst) files.push({ name: 'xl/sharedStrings.xml', data: o.sst })
  if (o.styles) files.push({ name: 'xl/styles.xml', data: o.styles })
  writeFileSync(path, zip(files))
  return path
}

const sheetXml = (rows: string, extra = '') =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:XFD20"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="3" width="12" customWidth="1"/></cols><sheetData>${rows}</sheetData>${extra}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`

/** cellXfs: 0 General, 1 numFmt 14, 2 yyyy"年"m"月"d"日", 3 0.0 "days" (quoted: not a date), 4 built-in 31,
 * 5 built-in 22, 6 '@', 7 [$-F800]dddd…, 8 built-in 21 (h:mm:ss), 9 [Red]0.00, 10 [h]:mm. */
const STYLES =
  '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<numFmts count="5"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="0.0 &quot;days&quot;"/><numFmt numFmtId="166" formatCode="[$-F800]dddd, mmmm dd, yyyy"/><numFmt numFmtId="167" formatCode="[Red]0.00"/><numFmt numFmtId="168" formatCode="[h]:mm"/></numFmts>' +
  '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="11">' +
  [0, 14, 164, 165, 31, 22, 49, 166, 21, 167, 168].map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"${id ? ' applyNumberFormat="1"' : ''}/>`).join('') +
  '</cellXfs></styleSheet>'

const SST_ITEMS = [
  '<si><t>公司名称</t></si>',
  '<si><t xml:space="preserve">  前后空格  </t></si>',
  '<si><r><rPr><b/><sz val="11"/><rFont val="宋体"/><family val="3"/><charset val="134"/></rPr><t>粗体</t></r><r><rPr><sz val="11"/><color theme="1"/></rPr><t xml:space="preserve"> 普通</t></r></si>',
  '<si><t/></si>',
  '<si><t>A&amp;B &lt;tag&gt; &quot;q&quot; &apos;s&apos; &#20013;&#x6587; &#x1F600;</t></si>',
  '<si><t>第一行\r\n第二行\r第三行&#13;&#10;</t></si>',
  '<si><t>_x000D_ kept as written</t></si>',
  '<si><t>𠀀𠀁 astral</t></si>',
  '<si><t></t></si>',
  '<si><t>13800138000</t></si>',
  '<si><t>漢字</t><phoneticPr fontId="1" type="noConversion"/></si>',
]
const SST = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${SST_ITEMS.length}" uniqueCount="${SST_ITEMS.length}">${SST_ITEMS.join('')}</sst>`

/** Every cell kind both parsers read alike, written as Excel and other writers do. */
const KINDS_ROWS = [
  row(1, SST_ITEMS.map((_, i) => cell.shared(`${col(i)}1`, i))),
  // numbers: plain, negative, decimals, exponent, beyond 15 digits, spaces, t="n"
  '<row r="2" spans="1:12"><c r="A2"><v>0</v></c><c r="B2"><v>-1.5</v></c><c r="C2"><v>0.30000000000000004</v></c><c r="D2"><v>1.5E-7</v></c><c r="E2"><v>12345678901234567890</v></c>' +
    '<c r="F2"><v> 42 </v></c><c r="G2" t="n"><v>3.14159265358979</v></c><c r="H2"><v>9007199254740991</v></c><c r="I2"><v>-0.000001</v></c><c r="J2"><v>1e21</v></c><c r="K2"><v>.5</v></c><c r="L2"><v>5.</v></c></row>',
  // dates by style: built-in 14, custom 年月日, quoted "days" (not a date), built-in 31 (exceljs knows no code: a number),
  // 22, '@', [$-F800], 21 (a time), [Red] (not a date), [h]:mm, and s="0"
  '<row r="3"><c r="A3" s="1"><v>46086</v></c><c r="B3" s="2"><v>46086</v></c><c r="C3" s="3"><v>46086</v></c><c r="D3" s="4"><v>46086</v></c><c r="E3" s="5"><v>46086.75</v></c>' +
    '<c r="F3" s="6"><v>46086</v></c><c r="G3" s="7"><v>46086</v></c><c r="H3" s="8"><v>0.5</v></c><c r="I3" s="9"><v>46086</v></c><c r="J3" s="10"><v>1.25</v></c><c r="K3" s="0"><v>46086</v></c><c r="L3" s="1"><v>-1</v></c><c r="M3" s="99"><v>7</v></c></row>',
  // booleans, errors, inline strings, t="str", empties
  '<row r="4"><c r="A4" t="b"><v>1</v></c><c r="B4" t="b"><v>0</v></c><c r="C4" t="e"><v>#DIV/0!</v></c><c r="D4" t="e"><v>#N/A</v></c>' +
    '<c r="E4" t="inlineStr"><is><t>行内 &amp; &lt;文本&gt; &#x4E2D;</t></is></c><c r="F4" t="str"><v>纯文本 str</v></c><c r="G4" t="inlineStr"><is><t xml:space="preserve"> a\r\nb </t></is></c>' +
    '<c r="H4" t="inlineStr"><is><t></t></is></c><c r="I4" t="inlineStr"><is/></c><c r="J4" s="1"/><c r="K4" t="s"><v>9999</v></c><c r="L4"><v></v></c><c r="M4" s="1"><v/></c></row>',
  // formulas: number, cached 0, string, empty string, error, no cached value, array formula
  '<row r="5"><c r="A5"><f>SUM(B2:C2)</f><v>-1.2</v></c><c r="B5"><f>A1-A1</f><v>0</v></c><c r="C5" t="str"><f>A1&amp;"x"</f><v>公司名称x</v></c><c r="D5" t="str"><f>""</f><v></v></c>' +
    '<c r="E5" t="e"><f>VLOOKUP(1,X:Y,2,0)</f><v>#N/A</v></c><c r="F5"><f>NOW()</f></c><c r="G5"><f t="array" ref="G5">SUM(A2:B2*2)</f><v>-3</v></c><c r="H5" s="3"><f>1/3</f><v>0.33333333333333331</v></c></row>',
  '<row r="6"/>',
  '<row r="7"></row>',
  // gaps, out of order, the last column, a comment in the data
  '<row r="9" spans="3:16384"><c r="C9"><v>3</v></c><!-- a comment --><c r="F9" t="s"><v>0</v></c><c r="XFD9" t="inlineStr"><is><t>XFD</t></is></c></row>',
  '<row r="10"><c r="D10"><v>4</v></c><c r="B10"><v>2</v></c></row>',
  // a row style (customFormat) makes its unstyled cells dates; a cell's own style wins
  '<row r="11" s="1" customFormat="1"><c r="A11"><v>46086</v></c><c r="B11" s="3"><v>46086</v></c><c r="C11" t="s"><v>0</v></c></row>',
  '<row r="12" s="3" customFormat="1"><c r="A12" s="1"><v>46086</v></c></row>',
  // pretty-printed: white space between tags
  '\n  <row r="13">\n    <c r="A13" t="s">\n      <v>9</v>\n    </c>\n    <c r="B13">\n      <v>12</v>\n    </c>\n  </row>\n',
].join('')

describe('the same rows as the exceljs parsers', () => {
  it('every cell kind, hand-zipped, with styles, shared strings, entities and line breaks', async () => {
    const path = handBook(join(dir, 'kinds.xlsx'), {
      sheets: [
        { name: '说明', state: 'hidden', xml: sheetXml(valuesRow(1, ['隐藏'])) },
        { name: '全部类型', xml: sheetXml(KINDS_ROWS, '<mergeCells count="1"><mergeCell ref="A6:C6"/></mergeCells>') },
        { name: 'Sheet3', xml: sheetXml('') },
      ],
      sst: SST,
      styles: STYLES,
    })
    const rows = (await same(path)).get('全部类型')!
    // Not vacuous: what both gave.
    const r = (n: number) => rows.find((x) => x.n === n)!.cells
    expect(r(1).slice(0, 5)).toStrictEqual(['公司名称', '  前后空格  ', '粗体 普通', '', 'A&B <tag> "q" \'s\' 中文 😀'])
    expect(r(1)[5]).toBe('第一行\n第二行\n第三行\r\n')
    expect(r(1)[10]).toBe('漢字')
    expect(r(2)).toStrictEqual([0, -1.5, 0.30000000000000004, 1.5e-7, 12345678901234567000, 42, 3.14159265358979, 9007199254740991, -0.000001, 1e21, 0.5, 5])
    expect(r(3)[0]).toStrictEqual(new Date(Date.UTC(2026, 2, 5)))
    expect(r(3)[4]).toStrictEqual(new Date(Date.UTC(2026, 2, 5, 18)))
    expect(r(3).slice(2, 4)).toStrictEqual([46086, 46086])
    expect(r(4).slice(0, 4)).toStrictEqual([true, false, { error: '#DIV/0!' }, { error: '#N/A' }])
    expect(r(4).slice(9)).toStrictEqual([null, null, { error: '#NUM!' }, null])
    expect(r(5)).toStrictEqual([-1.2, 0, '公司名称x', '', { error: '#ERROR', formula: true }, { error: 'formula', formula: true }, -3, 0.3333333333333333])
    expect(r(6)).toStrictEqual([])
    expect(r(9)).toHaveLength(16384)
    expect(r(10)).toStrictEqual([null, 2, null, 4])
    expect(r(11)).toStrictEqual([new Date(Date.UTC(2026, 2, 5)), 46086, '公司名称'])
    expect(r(13)).toStrictEqual(['13800138000', 12])
  })

  it('the 1904 date system, and a workbook without shared strings or styles', async () => {
    await same(handBook(join(dir, 'd1904.xlsx'), { sheets: [{ name: 'S', xml: sheetXml(KINDS_ROWS) }], sst: SST, styles: STYLES, workbookPr: '<workbookPr date1904="1"/>' }))
    const bare = await same(handBook(join(dir, 'bare.xlsx'), { sheets: [{ name: 'S', xml: sheetXml(KINDS_ROWS) }] }))
    expect(bare.get('S')![0].cells[0]).toBeNull() // t="s" without a shared strings part
  })

  it('the fixtures of the import tests (hand-zipped by tests/helpers/xlsx-fixture.ts)', async () => {
    const show = writeXlsx(
      join(dir, 'show.xlsx'),
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
    const rows = (await same(show)).get('展会名单')!
    expect(rows.map((r) => r.n)).toStrictEqual([1, 2, 3, 4, 5])
    const H = ['公司名称', '联系人', '手机', '座机', '邮箱', '来源', '登记日期', '预算', '负责人', '展位号']
    await same(
      writeXlsx(join(dir, 'trade-show.xlsx'), [
        {
          name: '展会线索',
          merges: ['A1:J1'],
          rows: [
            row(1, [cell.str('A1', '2026 上海工业博览会 · 意向客户')]),
            valuesRow(2, H),
            row(3, [cell.str('A3', '杭州云帆科技有限公司'), cell.str('C3', '+86 138-0013-8000'), cell.date('G3', serial(2026, 3, 5)), cell.num('H3', 120000), cell.str('J3', 'A-101')]),
            row(9, [cell.str('A9', '上海申通物流'), cell.error('B9'), cell.str('G9', '2026/3/7')]),
            row(10, [cell.formula('A10', 'CONCATENATE("无锡","精工")', '无锡精工'), cell.formulaError('H10', 'VLOOKUP(A10,X:Y,2,0)')]),
          ],
        },
      ]),
    )
  })

  it('the public CSV data sets, turned into .xlsx by hand (shared strings) and by exceljs (both writers)', async () => {
    const sources = [join(DATA, 'crm-sales-opportunities', 'sales_pipeline.csv'), join(DATA, 'x-education-leads', 'Leads.csv'), join(DATA, 'cn-customer-import-template', '客户导入模板.sheet1.csv')]
    for (const csv of sources) {
      const src = await openSource(csv, { thread: 'same' })
      const records: string[][] = []
      for await (const r of src.rows) records.push(r.cells as string[])
      const base = csv.replace(/[/\\]/g, '_')
      // By hand: numbers as numbers, ISO dates as date-styled serials, the rest shared strings.
      const strings: string[] = []
      const index = new Map<string, number>()
      const sheetRows = records.map((rec, ri) =>
        row(
          ri + 1,
          rec.flatMap((v, ci) => {
            const ref = `${col(ci)}${ri + 1}`
            if (v === '') return []
            if (/^-?\d{1,12}(\.\d{1,6})?$/.test(v)) return [cell.num(ref, Number(v))]
            const d = /^(\d{4})-(\d\d)-(\d\d)$/.exec(v)
            if (d) return [cell.date(ref, serial(+d[1], +d[2], +d[3]))]
            if (!index.has(v)) index.set(v, strings.push(v) - 1)
            return [cell.shared(ref, index.get(v)!)]
          }),
        ),
      )
      const hand = (await same(writeXlsx(join(dir, `${base}.hand.xlsx`), [{ name: 'data', rows: sheetRows }], strings))).get('data')!
      expect(hand).toHaveLength(records.length)
      const typed = records.map((rec) =>
        rec.map((v) => {
          if (/^-?\d{1,12}(\.\d{1,6})?$/.test(v)) return Number(v)
          const d = /^(\d{4})-(\d\d)-(\d\d)$/.exec(v)
          return d ? new Date(Date.UTC(+d[1], +d[2] - 1, +d[3])) : v === '' ? null : v
        }),
      )
      const wb = new ExcelJS.Workbook()
      wb.addWorksheet('data').addRows(typed)
      await wb.xlsx.writeFile(join(dir, `${base}.exceljs.xlsx`))
      const viaExceljs = (await same(join(dir, `${base}.exceljs.xlsx`))).get('data')!
      expect(viaExceljs).toHaveLength(records.length)
      const stream = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(dir, `${base}.stream.xlsx`), useSharedStrings: false, useStyles: true })
      const ws = stream.addWorksheet('data')
      for (const t of typed) ws.addRow(t).commit()
      ws.commit()
      await stream.commit()
      await same(join(dir, `${base}.stream.xlsx`))
    }
  }, 120_000)

  it('a workbook exceljs writes with every value kind', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('各种值')
    wb.addWorksheet('隐藏', { state: 'hidden' }).addRow(['x'])
    const when = new Date(Date.UTC(2026, 2, 5, 9, 30))
    ws.addRow(['文本', '', '  空格  ', 'A&B <c> "d" \'e\'', '多行\n文本', '00123', '=不是公式', '中文，全角；符号'])
    ws.addRow([0, -1.5, 1e21, 1e-7, 0.1 + 0.2, Number.MAX_SAFE_INTEGER, 13800138000])
    ws.addRow([when, when, when, 46086, 1.25, true, false, { error: '#N/A' }, { error: '#DIV/0!' }])
    ws.getCell('B3').numFmt = 'yyyy-mm-dd hh:mm'
    ws.getCell('C3').numFmt = 'yyyy"年"m"月"d"日"'
    ws.getCell('D3').numFmt = '0.00%'
    ws.getCell('E3').numFmt = '[h]:mm'
    ws.addRow([
      { formula: 'B2*2', result: -3 },
      { formula: 'A2', result: 0 },
      { formula: 'A1&"x"', result: '文本x' },
      { formula: 'NA()', result: { error: '#N/A' } },
      { formula: 'NOW()' },
      { richText: [{ text: '粗', font: { bold: true } }, { text: '体' }] },
      { text: '官网', hyperlink: 'https://example.com/' },
    ])
    ws.getCell('XFD5').value = '最后一列'
    ws.mergeCells('A7:C7')
    ws.getCell('A7').value = '合并'
    ws.getCell('B9').value = 9
    await wb.xlsx.writeFile(join(dir, 'exceljs-kinds.xlsx'))
    const rows = (await same(join(dir, 'exceljs-kinds.xlsx'))).get('各种值')!
    expect(rows.find((r) => r.n === 3)!.cells.slice(0, 3)).toStrictEqual([when, when, when])
    expect(rows.find((r) => r.n === 4)!.cells).toStrictEqual([-3, 0, '文本x', { error: '#ERROR', formula: true }, { error: 'formula', formula: true }, '粗体', '官网'])
    expect(rows.find((r) => r.n === 5)!.cells).toHaveLength(16384)
  })

  it('any .xlsx among the public data sets (../shared/data), read in place', async () => {
    const found: string[] = []
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name)
        if (statSync(p).isDirectory()) walk(p)
        else if (name.toLowerCase().endsWith('.xlsx')) found.push(p)
      }
    }
    walk(DATA)
    for (const p of found) await same(p)
    // None today (the data sets are CSV and one legacy .xls); the CSVs are converted above.
    expect(found.length).toBeGreaterThanOrEqual(0)
  })
})

describe('chunk boundaries anywhere', () => {
  const styleKinds = new Uint8Array([1, 2, 2, 1, 1, 2, 1, 2, 2, 1, 2])
  function parseSheet(xml: string, size: number, strings: CompactStrings | null): SheetRow[] {
    const p = new SheetXmlParser({ strings, styleKinds, date1904: false })
    const out: SheetRow[] = []
    for (let i = 0; i < xml.length; i += size) p.push(xml.slice(i, i + size), out)
    p.end(out)
    return out
  }
  function parseStrings(xml: string, size: number): Array<string | null> {
    const strings = new CompactStrings()
    const p = new SharedStringsParser(strings)
    for (let i = 0; i < xml.length; i += size) p.push(xml.slice(i, i + size))
    p.end()
    return Array.from({ length: strings.count }, (_, i) => strings.get(i))
  }

  it('gives the same shared strings and rows for chunks of 1, 7 and 64 characters as for the whole text', () => {
    const whole = parseStrings(SST, SST.length)
    expect(whole).toHaveLength(SST_ITEMS.length)
    expect(whole[2]).toBe('粗体 普通')
    expect(whole[4]).toBe('A&B <tag> "q" \'s\' 中文 😀')
    const strings = new CompactStrings()
    for (const s of whole) strings.add(s!)
    const xml = sheetXml(KINDS_ROWS)
    const expected = parseSheet(xml, xml.length, strings)
    expect(expected.length).toBeGreaterThan(10)
    for (const size of [1, 7, 64]) {
      expect(parseStrings(SST, size)).toStrictEqual(whole)
      expect(parseSheet(xml, size, strings)).toStrictEqual(expected)
    }
  })

  it('carries a tag, an attribute, an entity or a number cut at every position', () => {
    const xml = '<sheetData><row r="1"><c r="AB1" s="1"><v>46086.5</v></c><c r="AC1" t="inlineStr"><is><t>x&amp;&#x4E2D;&lt;y</t></is></c></row></sheetData>'
    const expected: RawCell[] = [...new Array<RawCell>(27).fill(null), new Date(Date.UTC(2026, 2, 5, 12)), 'x&中<y']
    for (let cut = 1; cut < xml.length; cut++) {
      const p = new SheetXmlParser({ strings: null, styleKinds, date1904: false })
      const out: SheetRow[] = []
      p.push(xml.slice(0, cut), out)
      p.push(xml.slice(cut), out)
      p.end(out)
      expect(out, `cut at ${cut}`).toStrictEqual([{ n: 1, cells: expected }])
    }
  })
})

describe('where exceljs’s parsers were wrong, ours differ on purpose', () => {
  const styles = STYLES
  async function both(name: string, rows: string, sst?: string) {
    const path = handBook(join(dir, name), { sheets: [{ name: 'S', xml: sheetXml(rows) }], sst, styles })
    const read = async (parser: XlsxParser) => {
      try {
        return (await rowsOf(path, parser)).rows
      } catch (err) {
        return err instanceof Error ? err.message : String(err)
      }
    }
    return { old: await read('exceljs'), lean: await read('lean') }
  }

  it('shared formulas: the cells that share a formula keep their cached values', async () => {
    const r = await both('shared-f.xlsx', '<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1*2</f><v>2</v></c></row><row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c></row><row r="3"><c r="A3" t="str"><f t="shared" si="1"/><v>文本</v></c></row>')
    expect(r.lean).toStrictEqual([{ n: 1, cells: [2] }, { n: 2, cells: [4] }, { n: 3, cells: ['文本'] }])
    expect(r.old).toStrictEqual([{ n: 1, cells: [2] }, { n: 2, cells: [{ error: 'formula', formula: true }] }, { n: 3, cells: [{ error: 'formula', formula: true }] }])
  })

  it('rich inline strings are concatenated (exceljs kept the last run); phonetic runs are left out', async () => {
    const r = await both(
      'rich.xlsx',
      '<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/></rPr><t>粗</t></r><r><t>体</t></r></is></c><c r="B1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></is></c></row>',
      '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh><phoneticPr fontId="1"/></si></sst>',
    )
    expect(r.lean).toStrictEqual([{ n: 1, cells: ['粗体', '漢字', '東京'] }])
    expect(r.old).toStrictEqual([{ n: 1, cells: ['体', 'かんじ', 'トウキョウ'] }])
  })

  it('text is decoded once (exceljs decoded inline and formula strings a second time)', async () => {
    const r = await both('twice.xlsx', '<row r="1"><c r="A1" t="inlineStr"><is><t>&amp;lt;b&amp;gt; &amp;amp;</t></is></c><c r="B1" t="str"><f>X</f><v>&amp;quot;</v></c></row>')
    expect(r.lean).toStrictEqual([{ n: 1, cells: ['&lt;b&gt; &amp;', '&quot;'] }])
    expect(r.old).toStrictEqual([{ n: 1, cells: ['<b> &', '"'] }])
  })

  it('cells and rows without an r attribute follow the previous ones (exceljs refused the file)', async () => {
    const r = await both('positional.xlsx', '<row><c><v>1</v></c><c t="inlineStr"><is><t>b</t></is></c><c r="E1"><v>5</v></c><c><v>6</v></c></row><row r="3"><c><v>7</v></c></row><row><c><v>8</v></c></row>')
    expect(r.lean).toStrictEqual([
      { n: 1, cells: [1, 'b', null, null, 5, 6] },
      { n: 3, cells: [7] },
      { n: 4, cells: [8] },
    ])
    expect(typeof r.old).toBe('string')
  })

  it('t="d" ISO dates, boolean and date-styled formula results keep their type', async () => {
    const r = await both('typed.xlsx', '<row r="1"><c r="A1" t="d"><v>2026-03-05T09:30:00</v></c><c r="B1" t="d"><v>2026-03-05</v></c><c r="C1" t="b"><f>A1&gt;0</f><v>1</v></c><c r="D1" s="1"><f>TODAY()</f><v>46086</v></c></row>')
    const when = new Date(Date.UTC(2026, 2, 5, 9, 30))
    expect(r.lean).toStrictEqual([{ n: 1, cells: [when, new Date(Date.UTC(2026, 2, 5)), true, new Date(Date.UTC(2026, 2, 5))] }])
    expect(r.old).toStrictEqual([{ n: 1, cells: [2026, 2026, 1, 46086] }])
  })

  it('a sheet whose elements carry a namespace prefix (x:row, x:c) is read (exceljs saw no rows)', async () => {
    const xml = '<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>前缀</x:t></x:is></x:c><x:c r="B1"><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    const path = handBook(join(dir, 'prefixed.xlsx'), { sheets: [{ name: 'S', xml }], styles })
    expect((await rowsOf(path, 'lean')).rows).toStrictEqual([{ n: 1, cells: ['前缀', 2] }])
    expect((await rowsOf(path, 'exceljs')).rows).toStrictEqual([])
  })

  it('CRM_XLSX_PARSER=exceljs brings the old parsers back', async () => {
    const path = handBook(join(dir, 'env.xlsx'), { sheets: [{ name: 'S', xml: sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c></row>') }], styles })
    const read = async () => {
      const x = await openXlsx(path)
      const rows: SheetRow[] = []
      for await (const r of x.rows) rows.push(r)
      return rows[0].cells[0]
    }
    expect(await read()).toBe('ab')
    process.env.CRM_XLSX_PARSER = 'exceljs'
    try {
      expect(await read()).toBe('b')
    } finally {
      delete process.env.CRM_XLSX_PARSER
    }
  })

  it('date formats are decided as exceljs decides them', () => {
    expect(isDateFmt('yyyy"年"m"月"d"日"')).toBe(true)
    expect(isDateFmt('[h]:mm')).toBe(true)
    expect(isDateFmt('0.0 "days"')).toBe(false)
    expect(isDateFmt('[Red]0.00')).toBe(false)
    expect(isDateFmt(undefined)).toBe(false)
  })
})
