// Audit entries as readable sentences: field names translated, values
// formatted (money, users, stages, enumerations, dates).
import { t } from '@/i18n'
import { useAppStore } from '@/stores/app'
import type { TimelineItem } from '@/types'
import { formatDateTime, formatMoney } from './format'
import { enumLabel, fieldLabel, industryLabel, sourceLabel, stageLabel } from './labels'

type AuditItem = Extract<TimelineItem, { kind: 'audit' }>

/** Bookkeeping columns nobody needs to read about. */
const HIDDEN = new Set(['id', 'createdAt', 'updatedAt', 'searchText', 'version', 'stageChangedAt', 'lastActivityAt', 'createdBy', 'importBatchId', 'passwordHash'])

const STAGE_EFFECTS = new Set(['stageId', 'status', 'probability', 'closedAt'])

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)
}

export function formatAuditValue(entity: string, key: string, value: unknown): string {
  if (isEmpty(value)) return '—'
  const store = useAppStore()
  if (key.endsWith('Fen') && typeof value === 'number') return formatMoney(value)
  switch (key) {
    case 'ownerId':
      return store.userName(value as number) ?? `#${String(value)}`
    case 'stageId':
      return stageLabel(store.stageById(value as number), `#${String(value)}`)
    case 'status':
      return enumLabel(entity === 'lead' ? 'leadStatus' : 'oppStatus', String(value))
    case 'lifecycle':
      return enumLabel('lifecycle', String(value))
    case 'type':
      return enumLabel('activityType', String(value))
    case 'role':
      return enumLabel('role', String(value))
    case 'source':
      return sourceLabel(String(value))
    case 'industry':
      return industryLabel(String(value))
    case 'probability':
      return `${String(value)}%`
    case 'tags':
    case 'skills': {
      const list = typeof value === 'string' ? (JSON.parse(value) as string[]) : (value as string[])
      return list.length ? list.join('、') : '—'
    }
  }
  if (typeof value === 'boolean' || key.startsWith('is') || key === 'probabilityManual') return value === true || value === 1 ? t('common.yes') : t('common.no')
  if (/At$/.test(key) && typeof value === 'string') return formatDateTime(value)
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  return text.length > 80 ? `${text.slice(0, 80)}…` : text
}

export interface AuditLine {
  label: string
  from: string
  to: string
}

/** The changed fields of an update entry (creates and deletes list none). */
export function auditChanges(item: AuditItem): AuditLine[] {
  if (item.action !== 'update') return []
  const entity = item.entity
  // A stage move has its own timeline line; its side effects need no repeating.
  const moved = 'stage_id' in item.changes || 'stageId' in item.changes
  const lines: AuditLine[] = []
  for (const [rawKey, pair] of Object.entries(item.changes)) {
    const key = camel(rawKey)
    if (HIDDEN.has(key) || (moved && STAGE_EFFECTS.has(key)) || !Array.isArray(pair) || pair.length !== 2) continue
    const [before, after] = pair as [unknown, unknown]
    const from = formatAuditValue(entity, key, before)
    const to = formatAuditValue(entity, key, after)
    if (from !== to) lines.push({ label: fieldLabel(entity, key), from, to })
  }
  return lines
}

/** Edits worth a line: creates, deletes and updates that changed something readable. */
export function isVisibleAudit(item: AuditItem): boolean {
  return item.action !== 'update' || auditChanges(item).length > 0
}

export function auditTitle(item: AuditItem): string {
  const user = item.userName ?? t('timeline.system')
  return t(`timeline.${item.action === 'create' ? 'created' : item.action === 'delete' ? 'deleted' : 'updated'}`, { user, entity: t(`entity.${item.entity}`) })
}
