// Pieces every import target shares while writing: owners by name (unknown names
// become users marked as imported), custom field values, the record of what an
// update changed (for undo), and the per-chunk duplicate index.
import type { BulkStatements } from '../db/sqlite-bulk'
import type { CustomFieldEntity } from '../db/tables/import.table'
import type { Locale } from '../shared/errors'
import { foldText } from '../shared/text'
import type { Problem } from './normalize'
import type { DedupeKey, DuplicatePolicy, RawCell } from './types'

/** One custom field value of a row, already converted to its column. */
export interface CustomCell {
  fieldId: number
  text: string | null
  number: number | null
  date: string | null
}

export type Outcome = 'imported' | 'updated' | 'duplicate' | 'rejected'

export interface DuplicateInfo {
  entity: CustomFieldEntity
  id: number
  name: string | null
  ownerName: string | null
  key: DedupeKey
  value: string
  /** Row of this file the match came from, when it was created by this import. */
  inFileRow: number | null
}

/** A row after normalisation: field values by key, custom values, problems. */
export interface Rec {
  n: number
  cells: RawCell[]
  v: Record<string, unknown>
  custom: CustomCell[]
  problems: Problem[]
  /** Leads: the company's duplicate key, once computed. */
  companyKey?: string | null
  outcome?: Outcome
  entityId?: number
  duplicate?: DuplicateInfo
  /** 撞单: the match belongs to another sales person. */
  clash?: { existingOwner: string; incomingOwner: string }
}

export interface UserLite {
  id: number
  name: string
}

const userKey = (name: string) => name.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ')

/** Owners by name; a name nobody has yet becomes a user marked is_imported = 1 (listed in the summary). */
export class Owners {
  private readonly byKey = new Map<string, UserLite>()
  private readonly byId = new Map<number, string>()
  readonly created: string[] = []
  private insert: ((values: Array<string | number | null>) => number) | null = null

  constructor(
    users: UserLite[],
    private readonly bulk: BulkStatements,
    private readonly now: string,
    private readonly changes: ChangeLog,
  ) {
    for (const u of users) {
      this.byKey.set(userKey(u.name), u)
      this.byId.set(u.id, u.name)
    }
  }

  nameOf(id: number | null): string | null {
    return id === null ? null : (this.byId.get(id) ?? null)
  }

  resolve(name: string): number {
    const key = userKey(name)
    const found = this.byKey.get(key)
    if (found) return found.id
    this.insert ??= this.bulk.inserter('users', ['name', 'role', 'skills', 'is_active', 'is_imported', 'created_at', 'updated_at'])
    const clean = name.normalize('NFKC').trim().replace(/\s+/g, ' ').slice(0, 50)
    const id = this.insert([clean, 'sales', '[]', 1, 1, this.now, this.now])
    this.byKey.set(key, { id, name: clean })
    this.byId.set(id, clean)
    this.created.push(clean)
    this.changes.created('user', id)
    return id
  }
}

/** import_changes rows: creations that are not marked by import_batch_id, and the state before each update. */
export class ChangeLog {
  private readonly insert: (values: Array<string | number | null>) => number
  private readonly seen = new Set<string>()

  constructor(
    bulk: BulkStatements,
    private readonly batchId: number,
  ) {
    this.insert = bulk.inserter('import_changes', ['batch_id', 'entity', 'entity_id', 'action', 'before'])
  }

  created(entity: string, id: number): void {
    this.insert([this.batchId, entity, id, 'create', null])
  }

  /** First update of a row in this batch: keep what it was (later updates in the same batch change nothing to undo). */
  updated(entity: string, id: number, before: () => unknown): void {
    const key = `${entity}:${id}`
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.insert([this.batchId, entity, id, 'update', JSON.stringify(before())])
  }
}

const CUSTOM_COLS = ['field_id', 'entity', 'entity_id', 'value_text', 'value_number', 'value_date', 'import_batch_id'] as const

/** Writes custom field values; on updates it reads the previous values first (for the change log). */
export class CustomValues {
  private readonly upsert: (values: Array<string | number | null>) => void
  private readonly read: (ids: ReadonlyArray<number>) => Array<{ field_id: number; entity: string; entity_id: number; value_text: string | null; value_number: number | null; value_date: string | null }>

  constructor(
    bulk: BulkStatements,
    private readonly batchId: number,
  ) {
    this.upsert = bulk.upserter('custom_values', CUSTOM_COLS, ['field_id', 'entity_id'])
    this.read = bulk.lookup('custom_values', 'entity_id', ['field_id', 'entity', 'entity_id', 'value_text', 'value_number', 'value_date'])
  }

  /** Previous values of the given fields on one record: { fieldId: [text, number, date] | null }. */
  before(entity: CustomFieldEntity, id: number, cells: CustomCell[]): Record<number, [string | null, number | null, string | null] | null> {
    const out: Record<number, [string | null, number | null, string | null] | null> = {}
    const rows = this.read([id]).filter((r) => r.entity === entity)
    for (const c of cells) {
      const r = rows.find((x) => x.field_id === c.fieldId)
      out[c.fieldId] = r ? [r.value_text, r.value_number, r.value_date] : null
    }
    return out
  }

  write(entity: CustomFieldEntity, id: number, cells: CustomCell[]): void {
    for (const c of cells) this.upsert([c.fieldId, entity, id, c.text, c.number, c.date, this.batchId])
  }
}

export interface Match {
  id: number
  ownerId: number | null
  name: string | null
  /** Import batch that created the matched row (this one = a duplicate within the file). */
  batchId: number | null
  row: number | null
}

/**
 * Duplicate lookup for one chunk of rows: the database (which already holds the
 * earlier chunks of this import, same transaction) plus the rows of this chunk
 * written so far. Memory stays bounded by the chunk size, whatever the file size.
 */
export class ChunkIndex {
  // One map per key kind: no "kind + value" string is built per lookup (this runs for every row).
  private readonly db = new Map<DedupeKey, Map<string, Match>>()
  private readonly local = new Map<DedupeKey, Map<string, Match>>()

  private static of(maps: Map<DedupeKey, Map<string, Match>>, kind: DedupeKey): Map<string, Match> {
    let m = maps.get(kind)
    if (!m) maps.set(kind, (m = new Map()))
    return m
  }

  loadDb(kind: DedupeKey, rows: Array<{ value: string | null; match: Match }>): void {
    const map = ChunkIndex.of(this.db, kind)
    for (const r of rows) {
      if (r.value === null) continue
      const prev = map.get(r.value)
      // The oldest record is "the" customer.
      if (!prev || r.match.id < prev.id) map.set(r.value, r.match)
    }
  }

  find(keys: Array<[DedupeKey, string]>): { match: Match; kind: DedupeKey; value: string } | null {
    for (const [kind, value] of keys) {
      const m = this.local.get(kind)?.get(value) ?? this.db.get(kind)?.get(value)
      if (m) return { match: m, kind, value }
    }
    return null
  }

  add(keys: Array<[DedupeKey, string]>, match: Match): void {
    for (const [kind, value] of keys) {
      const map = ChunkIndex.of(this.local, kind)
      if (!map.has(value)) map.set(value, match)
    }
  }
}

/** What every target writer is given. */
export interface WriteContext {
  bulk: BulkStatements
  batchId: number
  now: string
  userId: number | null
  locale: Locale
  policy: DuplicatePolicy
  dedupe: ReadonlySet<DedupeKey>
  owners: Owners
  changes: ChangeLog
  custom: CustomValues
  /** Owner for rows whose file gives none (the whole-file owner, else nobody). */
  defaultOwnerId: number | null
}

export interface TargetWriter {
  /** Before the first chunk, with the number of data rows the file is expected to hold (null: unknown). */
  begin?(expectedRows: number | null): void
  /** Decide and write one chunk of accepted rows (in file order); sets each row's outcome. */
  write(recs: Rec[]): void
  /** After the last chunk, inside the transaction. */
  finish?(): void
}

/** Mark a row as a duplicate of `found`, with the problem text and the 撞单 check. */
export function noteDuplicate(
  rec: Rec,
  entity: CustomFieldEntity,
  found: { match: Match; kind: DedupeKey; value: string },
  incomingOwnerId: number | null,
  w: WriteContext,
): void {
  const { match } = found
  const ownerName = w.owners.nameOf(match.ownerId)
  rec.duplicate = {
    entity,
    id: match.id,
    name: match.name,
    ownerName,
    key: found.kind,
    value: found.value,
    inFileRow: match.batchId === w.batchId ? match.row : null,
  }
  if (match.ownerId !== null && incomingOwnerId !== null && match.ownerId !== incomingOwnerId) {
    rec.clash = { existingOwner: ownerName ?? String(match.ownerId), incomingOwner: w.owners.nameOf(incomingOwnerId) ?? String(incomingOwnerId) }
  }
}

/**
 * shared/text.ts searchText() for the import's hot loop: one NFKC fold of the joined
 * parts instead of one per part. Same result (folding is per character, and blank
 * parts collapse into the single spaces that join them), a third of the cost.
 */
export function searchTextOf(parts: Array<unknown>): string {
  let joined = ''
  for (const p of parts) {
    if (typeof p === 'string' && p !== '') joined = joined ? `${joined} ${p}` : p
  }
  return joined ? foldText(joined) : ''
}

/** Union of two JSON tag arrays. */
export function mergeTags(existingJson: string | null, incoming: string[] | undefined): string {
  const existing = existingJson ? (JSON.parse(existingJson) as string[]) : []
  if (!incoming?.length) return JSON.stringify(existing)
  return JSON.stringify([...new Set([...existing, ...incoming])].slice(0, 50))
}
