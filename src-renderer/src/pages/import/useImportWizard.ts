// The import wizard's state and calls, shared by its steps (provide/inject):
// upload → import:inspect → mapping → import:preview → import:run (a job) → result.
import { computed, inject, provide, reactive, type InjectionKey } from 'vue'
import { api, onEvent } from '@/api/client'
import { uploadFile, type UploadedFile } from '@/api/files'
import type { ApiInput, ApiOutput, JobEvent } from '@/types'
import type { JobResult } from '../../../../src-main/shared/api'
import { errorMessage } from '@/utils/errors'

export type Target = 'leads' | 'accounts' | 'opportunities'
export type Inspect = ApiOutput<'import:inspect'>
export type Preview = ApiOutput<'import:preview'>
export type RunResult = JobResult<'import:run'>
export type CustomType = 'text' | 'number' | 'choice' | 'date'
export type DuplicatePolicy = 'skip' | 'update' | 'create'
export type DateOrder = 'ymd' | 'mdy' | 'dmy'
type ColumnTarget = NonNullable<ApiInput<'import:run'>['columns']>[number]['target']

/** One column of the file as the mapping step edits it. `choice`: "field:company", "custom:3", "new" or "ignore". */
export interface ColumnRow {
  index: number
  header: string
  samples: string[]
  confidence: string
  choice: string
  newLabel: string
  newType: CustomType
}

/** Rows shown in the preview (the server checks them and rolls back). */
export const PREVIEW_ROWS = 100

export const STEP = { source: 0, sheet: 1, mapping: 2, preview: 3, run: 4, result: 5 } as const

function choiceOf(target: ColumnTarget): string {
  if (target.kind === 'field') return `field:${target.field}`
  if (target.kind === 'custom') return `custom:${target.fieldId}`
  if (target.kind === 'newCustom') return 'new'
  return 'ignore'
}

export function createImportWizard() {
  const s = reactive({
    step: STEP.source as number,
    target: 'leads' as Target,
    file: null as UploadedFile | null,
    busy: '' as '' | 'upload' | 'inspect' | 'preview' | 'start' | 'undo',
    error: null as string | null,
    inspect: null as Inspect | null,
    sheet: undefined as string | undefined,
    headerRow: undefined as number | undefined,
    columns: [] as ColumnRow[],
    templateId: null as number | null,
    ownerId: null as number | null,
    source: '',
    onDuplicate: 'skip' as DuplicatePolicy,
    dateOrder: undefined as DateOrder | undefined,
    stageMap: {} as Record<string, number | null>,
    preview: null as Preview | null,
    jobId: null as string | null,
    job: null as JobEvent | null,
    runError: null as string | null,
    result: null as RunResult | null,
    undone: false,
    /** "Check the whole file": a dry run (a job that rolls back) over every row. */
    check: { jobId: null as string | null, done: 0, total: null as number | null, result: null as RunResult | null, error: null as string | null },
  })

  function columnsFrom(inspect: Inspect): ColumnRow[] {
    return inspect.columns.map((c) => ({
      index: c.index,
      header: c.header,
      samples: c.samples,
      confidence: c.confidence,
      choice: choiceOf(c.target),
      newLabel: c.target.kind === 'newCustom' ? c.target.label : c.header.slice(0, 50),
      newType: c.target.kind === 'newCustom' ? c.target.type : c.suggestedType,
    }))
  }

  async function inspect(opts: { keepColumns?: boolean } = {}): Promise<boolean> {
    if (!s.file) return false
    s.busy = 'inspect'
    s.error = null
    try {
      const r = await api('import:inspect', {
        file: { token: s.file.token, name: s.file.name },
        target: s.target,
        sheet: s.sheet,
        headerRow: s.headerRow,
        templateId: s.templateId ?? undefined,
      })
      s.inspect = r
      s.sheet = r.file.sheet ?? undefined
      if (!opts.keepColumns) s.columns = columnsFrom(r)
      s.stageMap = Object.fromEntries(r.stageValues.map((v) => [v.value, v.stageId]))
      if (r.dateOrder.order && r.dateOrder.order !== 'ymd') s.dateOrder = r.dateOrder.order
      return true
    } catch (err) {
      s.error = errorMessage(err)
      return false
    } finally {
      s.busy = ''
    }
  }

  async function pickFile(file: File): Promise<void> {
    s.error = null
    s.busy = 'upload'
    s.inspect = null
    s.sheet = undefined
    s.headerRow = undefined
    s.templateId = null
    try {
      s.file = await uploadFile(file)
    } catch (err) {
      s.file = null
      s.error = errorMessage(err)
      s.busy = ''
      return
    }
    s.busy = ''
    await inspect()
  }

  function mappedColumns(): NonNullable<ApiInput<'import:run'>['columns']> {
    return s.columns.map((c) => {
      let target: ColumnTarget
      if (c.choice.startsWith('field:')) target = { kind: 'field', field: c.choice.slice(6) }
      else if (c.choice.startsWith('custom:')) target = { kind: 'custom', fieldId: Number(c.choice.slice(7)) }
      else if (c.choice === 'new') target = { kind: 'newCustom', label: c.newLabel.trim() || c.header.slice(0, 50), type: c.newType }
      else target = { kind: 'ignore' }
      return { index: c.index, header: c.header, target }
    })
  }

  function runInput() {
    const stageMap: Record<string, number> = {}
    for (const [k, v] of Object.entries(s.stageMap)) if (v != null) stageMap[k] = v
    return {
      file: { token: s.file!.token, name: s.file!.name },
      target: s.target,
      sheet: s.sheet,
      headerRow: s.inspect?.headerRow,
      columns: mappedColumns(),
      onDuplicate: s.onDuplicate,
      ownerId: s.ownerId,
      source: s.source.trim() || undefined,
      stageMap: s.target === 'opportunities' ? stageMap : undefined,
      dateOrder: s.dateOrder,
    }
  }

  async function runPreview(): Promise<boolean> {
    cancelCheck()
    s.check = { jobId: null, done: 0, total: null, result: null, error: null }
    s.busy = 'preview'
    s.error = null
    try {
      s.preview = await api('import:preview', { ...runInput(), limit: PREVIEW_ROWS })
      return true
    } catch (err) {
      s.error = errorMessage(err)
      return false
    } finally {
      s.busy = ''
    }
  }

  // Job events may arrive before import:run answers with the job id: keep them.
  const seen = new Map<string, JobEvent>()
  let off: (() => void) | null = null
  let poll: ReturnType<typeof setInterval> | undefined

  function onJob(e: JobEvent): void {
    if (e.method !== 'import:run') return
    seen.set(e.jobId, e)
    if (e.jobId !== s.jobId) return
    s.job = e
    if (e.state === 'running') return
    stopWatching()
    s.jobId = null
    if (e.state === 'done') {
      s.result = e.result as RunResult
      s.undone = false
      s.step = STEP.result
    } else {
      s.runError = e.state === 'cancelled' ? 'cancelled' : (e.error?.message ?? '')
    }
  }

  function stopWatching(): void {
    off?.()
    off = null
    clearInterval(poll)
  }

  async function start(): Promise<void> {
    cancelCheck()
    s.busy = 'start'
    s.runError = null
    s.job = null
    s.result = null
    seen.clear()
    off = onEvent('job', onJob)
    try {
      const { jobId } = await api('import:run', runInput())
      s.jobId = jobId
      s.step = STEP.run
      const early = seen.get(jobId)
      if (early) onJob(early)
      // Events missed (a dropped connection): a job that left the list has ended.
      let missing = 0
      poll = setInterval(async () => {
        if (!s.jobId) return
        const jobs = await api('jobs:list', {}).catch(() => null)
        const current = jobs?.find((j) => j.jobId === s.jobId)
        if (current) onJob({ ...current, method: 'import:run' })
        else if (jobs && ++missing >= 2) {
          // Ended without us hearing it: the outcome is in the import history.
          stopWatching()
          s.jobId = null
          s.runError = 'lost'
        }
      }, 3000)
    } catch (err) {
      stopWatching()
      s.error = errorMessage(err)
    } finally {
      s.busy = ''
    }
  }

  let offCheck: (() => void) | null = null
  const checkSeen = new Map<string, JobEvent>()
  function onCheck(e: JobEvent): void {
    if (e.method !== 'import:run') return
    checkSeen.set(e.jobId, e)
    if (e.jobId !== s.check.jobId) return
    s.check.done = e.done
    s.check.total = e.total
    if (e.state === 'running') return
    offCheck?.()
    offCheck = null
    s.check.jobId = null
    if (e.state === 'done') s.check.result = e.result as RunResult
    else if (e.state === 'failed') s.check.error = e.error?.message ?? ''
  }
  async function checkWholeFile(): Promise<void> {
    s.check = { jobId: null, done: 0, total: null, result: null, error: null }
    checkSeen.clear()
    offCheck = onEvent('job', onCheck)
    try {
      const { jobId } = await api('import:run', { ...runInput(), dryRun: true })
      s.check.jobId = jobId
      const early = checkSeen.get(jobId)
      if (early) onCheck(early)
    } catch (err) {
      offCheck?.()
      offCheck = null
      s.check.error = errorMessage(err)
    }
  }
  function cancelCheck(): void {
    if (s.check.jobId) void api('jobs:cancel', { jobId: s.check.jobId }).catch(() => undefined)
    offCheck?.()
    offCheck = null
  }

  async function cancel(): Promise<void> {
    if (s.jobId) await api('jobs:cancel', { jobId: s.jobId }).catch(() => undefined)
  }

  function reset(): void {
    stopWatching()
    cancelCheck()
    Object.assign(s, {
      step: STEP.source, file: null, busy: '', error: null, inspect: null, sheet: undefined, headerRow: undefined, columns: [], templateId: null,
      ownerId: null, source: '', onDuplicate: 'skip', dateOrder: undefined, stageMap: {}, preview: null, jobId: null, job: null, runError: null,
      result: null, undone: false, check: { jobId: null, done: 0, total: null, result: null, error: null },
    })
  }

  const fields = computed(() => s.inspect?.fields ?? [])
  /** Problems of the mapping that stop the preview: a field chosen twice, no identifying field. */
  const mappingProblems = computed(() => {
    const out: string[] = []
    const count = new Map<string, number>()
    for (const c of s.columns) if (c.choice.startsWith('field:')) count.set(c.choice.slice(6), (count.get(c.choice.slice(6)) ?? 0) + 1)
    for (const [key, n] of count) if (n > 1) out.push(`dup:${key}`)
    const need = fields.value.filter((f) => f.required).map((f) => f.key)
    const identity = need.length ? need : s.target === 'opportunities' ? ['title', 'company', 'externalId'] : []
    if (identity.length && !identity.some((k) => count.has(k))) out.push(`need:${identity.join(',')}`)
    return out
  })

  return { s, fields, mappingProblems, pickFile, inspect, runPreview, checkWholeFile, cancelCheck, start, cancel, reset, stopWatching: () => (stopWatching(), cancelCheck()), mappedColumns }
}

export type ImportWizard = ReturnType<typeof createImportWizard>
const KEY: InjectionKey<ImportWizard> = Symbol('importWizard')
export function provideImportWizard(w: ImportWizard): void {
  provide(KEY, w)
}
export function useImportWizard(): ImportWizard {
  const w = inject(KEY)
  if (!w) throw new Error('useImportWizard outside the wizard')
  return w
}
