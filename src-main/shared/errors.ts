// Errors cross every boundary as data: a stable code plus a message the user
// can read in their language. The messages live here, next to the codes.

export type Locale = 'zh-CN' | 'en'

const MESSAGES = {
  VALIDATION: { 'zh-CN': '输入有误：{detail}', en: 'Invalid input: {detail}' },
  NOT_FOUND: { 'zh-CN': '找不到{entity}（编号 {id}），可能已被删除。', en: 'The {entity} (id {id}) was not found; it may have been deleted.' },
  CONFLICT: {
    'zh-CN': '该记录已被他人修改（当前版本 {version}），请查看最新内容后再保存。',
    en: 'Someone else changed this record (now version {version}). Review the latest values and save again.',
  },
  IN_USE: {
    'zh-CN': '无法删除：该{entity}还有 {count} 个{dependent}，请先删除或转移它们。',
    en: 'Cannot delete: this {entity} still has {count} {dependent}. Delete or move them first.',
  },
  DUPLICATE: { 'zh-CN': '已存在相同的{field}：{value}', en: 'A record with the same {field} already exists: {value}' },
  STAGE_REQUIRES: { 'zh-CN': '进入「{stage}」需要填写：{fields}', en: 'Moving to “{stage}” requires: {fields}' },
  INVALID_STATE: { 'zh-CN': '无法执行：{reason}', en: 'Not possible: {reason}' },
  UNKNOWN_METHOD: { 'zh-CN': '未知的操作：{method}', en: 'Unknown operation: {method}' },
  UNAUTHORIZED: { 'zh-CN': '请先登录。', en: 'Please sign in first.' },
  FORBIDDEN: { 'zh-CN': '没有权限执行此操作。', en: 'You are not allowed to do this.' },
  LOGIN_FAILED: { 'zh-CN': '用户名或密码错误。', en: 'Wrong user name or password.' },
  DB_TOO_NEW: {
    'zh-CN': '数据库由更新版本的商机 CRM 创建（{version}），请升级本软件后再打开。',
    en: 'This database was written by a newer version of 商机 CRM ({version}). Please update the app to open it.',
  },
  DB_MIGRATION_FAILED: { 'zh-CN': '数据库升级失败：{detail}。原数据已备份。', en: 'Database upgrade failed: {detail}. Your data was backed up.' },
  JOB_CANCELLED: { 'zh-CN': '任务已取消，未写入任何数据。', en: 'The job was cancelled; nothing was written.' },
  PDF_BROWSER_UNAVAILABLE: {
    'zh-CN': '无法启动生成 PDF 所用的浏览器（{path}）：{detail}。请安装 Chromium 和中文字体（Debian/Ubuntu：apt-get install chromium fonts-noto-cjk），或用环境变量 CHROMIUM_PATH 指定浏览器位置。',
    en: 'Could not start the browser that prints PDFs ({path}): {detail}. Install Chromium and Chinese fonts (Debian/Ubuntu: apt-get install chromium fonts-noto-cjk), or set CHROMIUM_PATH to where it is.',
  },
  // Import and export (src-main/import, src-main/export).
  IMPORT_FILE_NOT_FOUND: { 'zh-CN': '找不到要导入的文件：{file}', en: 'The file to import was not found: {file}' },
  IMPORT_LEGACY_XLS: {
    'zh-CN': '这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 后再导入。',
    en: 'This is a legacy Excel (.xls) file. Open it in Excel, use “Save As” .xlsx, then import that file.',
  },
  IMPORT_ENCRYPTED: {
    'zh-CN': '该 Excel 文件设置了打开密码，无法读取。请在 Excel 中取消密码（文件 → 信息 → 保护工作簿）后另存为 .xlsx 再导入。',
    en: 'This workbook is password-protected. Remove the password in Excel (File → Info → Protect Workbook), save as .xlsx and import again.',
  },
  IMPORT_UNSUPPORTED_FORMAT: {
    'zh-CN': '不支持 {format} 格式，请另存为 .xlsx 或 CSV（UTF-8）后再导入。',
    en: '{format} files are not supported. Save the file as .xlsx or CSV (UTF-8) and import again.',
  },
  IMPORT_NOT_SPREADSHEET: {
    'zh-CN': '该文件不是表格文件（{detail}）。请选择 .xlsx 或 .csv 文件。',
    en: 'This file is not a spreadsheet ({detail}). Choose an .xlsx or .csv file.',
  },
  IMPORT_CORRUPT: { 'zh-CN': '无法读取该 Excel 文件，文件可能已损坏：{detail}。请在 Excel 中打开并另存为 .xlsx 后再试。', en: 'The workbook could not be read; it may be damaged: {detail}. Open it in Excel, save as .xlsx and try again.' },
  IMPORT_EMPTY: { 'zh-CN': '工作表“{sheet}”中没有数据。', en: 'The sheet “{sheet}” contains no data.' },
  IMPORT_NO_SHEETS: { 'zh-CN': '该工作簿中没有可见的工作表。', en: 'The workbook has no visible sheet.' },
  IMPORT_SHEET_NOT_FOUND: { 'zh-CN': '找不到工作表“{sheet}”。可选：{sheets}', en: 'Sheet “{sheet}” not found. Available: {sheets}' },
  IMPORT_NO_HEADER: { 'zh-CN': '在前 {rows} 行中找不到表头行，请指定表头所在行。', en: 'No header row found in the first {rows} rows; please say which row holds the headers.' },
  IMPORT_MAPPING_REQUIRED: { 'zh-CN': '必填字段“{field}”没有对应的列，请在列对应中选择。', en: 'The required field “{field}” is not mapped to any column.' },
  IMPORT_DATE_ORDER_AMBIGUOUS: {
    'zh-CN': '无法确定日期格式（例如 {example} 可以是 月/日/年 也可以是 日/月/年），请指定日期顺序。',
    en: 'The date order is ambiguous (e.g. {example} could be month/day/year or day/month/year). Please choose the date order.',
  },
  IMPORT_BAD_STAGE_MAP: { 'zh-CN': '阶段对应有误：{detail}', en: 'Invalid stage mapping: {detail}' },
  IMPORT_UNDO_NOT_POSSIBLE: { 'zh-CN': '无法撤销该批导入：{reason}', en: 'This import cannot be undone: {reason}' },
  IMPORT_NO_REJECTED_ROWS: { 'zh-CN': '第 {id} 批导入没有未导入的行，没有可下载的文件。', en: 'Import batch {id} has no rejected rows, so there is no file to download.' },
  IMPORT_REJECTED_FILE_GONE: {
    'zh-CN': '第 {id} 批导入的“未导入的行”文件已不在磁盘上（可能已被删除），无法再次下载。请重新导入原文件以生成新的文件。',
    en: 'The rejected-rows file of import batch {id} is no longer on disk (it may have been deleted). Import the original file again to get a new one.',
  },
  FILE_TOKEN_INVALID: { 'zh-CN': '文件已过期或不存在，请重新上传。', en: 'The file has expired or does not exist; please upload it again.' },
  FILE_TOO_LARGE: { 'zh-CN': '文件太大（上限 {limit}）。', en: 'The file is too large (limit {limit}).' },
  // Scoring (src-main/services/scoring.ts).
  SCORE_INCOMPLETE: { 'zh-CN': '评分表还有未填写或不合规的项：{criteria}', en: 'Some criteria are not answered or not valid: {criteria}' },
  INTERNAL: { 'zh-CN': '操作失败，请稍后重试。如果问题持续，请联系管理员。', en: 'Something went wrong. Please try again; if it keeps happening, contact your administrator.' },
} as const

export type ErrorCode = keyof typeof MESSAGES

export interface ApiErrorData {
  code: ErrorCode
  message: string
  /** Per-field problems for VALIDATION: path like "amountFen" → message. */
  fields?: Array<{ path: string; message: string }>
  /** For CONFLICT: the current record, so the user sees the newer values. */
  current?: unknown
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData }

export function formatMessage(code: ErrorCode, params: Record<string, unknown>, locale: Locale): string {
  const template: string = MESSAGES[code][locale] ?? MESSAGES[code]['zh-CN']
  return template.replace(/\{(\w+)\}/g, (_, key: string) => (params[key] === undefined ? '' : String(params[key])))
}

/** A failure the user should see, thrown by services and turned into data by the dispatcher. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, unknown> = {},
    readonly extra: Pick<ApiErrorData, 'fields' | 'current'> = {},
  ) {
    super(formatMessage(code, params, 'en'))
    this.name = 'AppError'
  }

  toData(locale: Locale): ApiErrorData {
    // Params named "<x>Key" are label keys: show them in the user's language as "<x>".
    const params: Record<string, unknown> = { ...this.params }
    for (const [name, value] of Object.entries(this.params)) {
      if (!name.endsWith('Key')) continue
      const keys = Array.isArray(value) ? value : [value]
      params[name.slice(0, -3)] = keys.map((k) => (typeof k === 'string' && LABELS[k] ? LABELS[k][locale] : String(k))).join(locale === 'en' ? ', ' : '、')
    }
    return { code: this.code, message: formatMessage(this.code, params, locale), ...this.extra }
  }
}

/** Messages of our own validation rules, referred to by key from zod schemas. */
export const VALIDATION_MESSAGES: Record<string, Record<Locale, string>> = {
  'v.mobile': { 'zh-CN': '手机号应为 11 位中国大陆手机号', en: 'A mobile number has 11 digits (mainland China)' },
  'v.date': { 'zh-CN': '日期格式应为 YYYY-MM-DD', en: 'Dates are written YYYY-MM-DD' },
  'v.amount': { 'zh-CN': '金额格式不正确', en: 'Invalid amount' },
  'v.leadIdentity': { 'zh-CN': '公司名称和联系人至少填写一项', en: 'Enter a company or a contact name' },
  'v.planTarget': { 'zh-CN': '跟进计划需要关联一个商机或一条线索（只能选一个）', en: 'A follow-up plan belongs to exactly one opportunity or lead' },
  'v.feedbackLink': { 'zh-CN': '客户反馈需要关联商机、客户或线索', en: 'Link the feedback to an opportunity, account or lead' },
  'v.scoringKey': { 'zh-CN': '编码只能包含文字、数字、下划线、点和连字符', en: 'Keys may contain letters, digits, _ . and - only' },
  'v.thresholds': { 'zh-CN': '等级分数线应满足 100 ≥ A > B > C ≥ 0', en: 'Grade thresholds must satisfy 100 ≥ A > B > C ≥ 0' },
  'v.uniqueKeys': { 'zh-CN': '编码不能重复', en: 'Keys must be unique' },
  'v.scalePoints': { 'zh-CN': '至少一个选项或区间的分值要大于 0', en: 'At least one option or band must be worth more than 0 points' },
  'v.bands': { 'zh-CN': '数值区间要按从小到大排列且不能重叠', en: 'Bands must be in increasing order and must not overlap' },
  'v.criterionSource': { 'zh-CN': '该数据来源不适用于此对象或此评分方式', en: 'This data source does not fit this record type or scale' },
  'v.activityLink': { 'zh-CN': '跟进记录需要关联线索、客户、联系人或商机', en: 'Link the activity to a lead, account, contact or opportunity' },
  'v.month': { 'zh-CN': '月份格式应为 YYYY-MM', en: 'Months are written YYYY-MM' },
  'v.periodBoth': { 'zh-CN': '开始日期和结束日期需同时填写', en: 'Give both a start and an end date' },
  'v.periodOrder': { 'zh-CN': '结束日期不能早于开始日期', en: 'The end date cannot be before the start date' },
}

/** Names used inside error messages (entities, fields, reasons). */
const LABELS: Record<string, Record<Locale, string>> = {
  user: { 'zh-CN': '用户', en: 'user' },
  account: { 'zh-CN': '客户', en: 'account' },
  contact: { 'zh-CN': '联系人', en: 'contact' },
  lead: { 'zh-CN': '线索', en: 'lead' },
  opportunity: { 'zh-CN': '商机', en: 'opportunity' },
  opportunities: { 'zh-CN': '商机', en: 'opportunities' },
  stage: { 'zh-CN': '阶段', en: 'stage' },
  activity: { 'zh-CN': '跟进记录', en: 'activity' },
  competitor: { 'zh-CN': '竞争对手', en: 'competitor' },
  'field.competitor': { 'zh-CN': '竞争对手', en: 'competitor' },
  pipeline: { 'zh-CN': '销售流程', en: 'pipeline' },
  followupTemplate: { 'zh-CN': '跟进计划模板', en: 'follow-up template' },
  followupPlan: { 'zh-CN': '跟进计划', en: 'follow-up plan' },
  feedback: { 'zh-CN': '客户反馈', en: 'feedback' },
  'reason.dealClosed': { 'zh-CN': '该商机已关闭（成交或输单）', en: 'the opportunity is already closed' },
  'reason.planNotActive': { 'zh-CN': '该跟进计划已结束或已取消', en: 'the follow-up plan is no longer active' },
  'reason.defaultTemplate': { 'zh-CN': '默认跟进计划模板不能删除，请先把另一个模板设为默认', en: 'the default follow-up template cannot be deleted; make another template the default first' },
  'reason.defaultPipeline': { 'zh-CN': '默认销售流程不能删除', en: 'the default pipeline cannot be deleted' },
  'reason.teamOnly': { 'zh-CN': '只有经理和管理员可以查看团队的工作台', en: 'only managers and admins can see the team view' },
  'field.userName': { 'zh-CN': '用户姓名', en: 'user name' },
  'field.lostReason': { 'zh-CN': '输单原因', en: 'lost reason' },
  'field.amountFen': { 'zh-CN': '成交金额', en: 'final amount' },
  'field.expectedCloseDate': { 'zh-CN': '预计成交日期', en: 'expected close date' },
  'field.contactId': { 'zh-CN': '联系人', en: 'contact' },
  'reason.leadConverted': { 'zh-CN': '该线索已转化', en: 'this lead has already been converted' },
  'reason.contactOtherAccount': { 'zh-CN': '联系人不属于该客户', en: 'the contact belongs to another account' },
  'reason.lostNeedsReason': { 'zh-CN': '输单需要填写输单原因', en: 'a lost deal needs a lost reason' },
  'reason.notEmpty': { 'zh-CN': '数据库中已有数据，演示数据只能写入空数据库', en: 'the database already has data; demo data can only go into an empty database' },
  scoringModel: { 'zh-CN': '评分模型', en: 'scoring model' },
  risk: { 'zh-CN': '风险', en: 'risk' },
  winModel: { 'zh-CN': '赢率模型', en: 'win model' },
  'reason.modelEntity': { 'zh-CN': '评分模型不能改用于另一种对象', en: 'a scoring model cannot switch to another record type' },
  'reason.noScoringModel': { 'zh-CN': '没有启用的评分模型，请在设置中启用一个', en: 'no scoring model is active; activate one in Settings' },
  'reason.modelChanged': { 'zh-CN': '评分模型刚刚被修改，请重新打开评分表', en: 'the scoring model has just changed; reopen the form' },
  importBatch: { 'zh-CN': '导入批次', en: 'import batch' },
  importTemplate: { 'zh-CN': '导入模板', en: 'import template' },
  customField: { 'zh-CN': '自定义字段', en: 'custom field' },
  savedView: { 'zh-CN': '视图', en: 'saved view' },
  persona: { 'zh-CN': '客户画像', en: 'persona' },
  sourceChannel: { 'zh-CN': '来源渠道', en: 'source channel' },
  records: { 'zh-CN': '条记录在使用', en: 'records using it' },
  'field.name': { 'zh-CN': '名称', en: 'name' },
  'reason.importUndone': { 'zh-CN': '该批导入已经撤销过了', en: 'it has already been undone' },
  'reason.importTouched': { 'zh-CN': '导入的记录此后已有跟进记录或商机，请先处理这些记录', en: 'records from it have since gained activities or opportunities' },
  'reason.mergeSelf': { 'zh-CN': '不能把记录与它自己合并', en: 'a record cannot be merged with itself' },
  'reason.pathNotAllowed': { 'zh-CN': '浏览器版只能使用上传的文件', en: 'the browser version can only use uploaded files' },
}

export function notFound(entity: string, id: number): AppError {
  return new AppError('NOT_FOUND', { entityKey: entity, id })
}
