// Import target "leads": one row = one lead. Duplicates by external id, mobile,
// e-mail and company name (as chosen), within the file and against the database.
import { leadSearchText } from '../services/leads'
import { companyKey } from '../shared/keys'
import { KeyFilter, keyHash } from './key-filter'
import type { DedupeKey } from './types'
import { ChunkIndex, mergeTags, noteDuplicate, searchTextOf, type Match, type Rec, type TargetWriter, type WriteContext } from './write-common'

const INSERT_COLS = [
  'company', 'contact_name', 'title', 'mobile', 'phone', 'email', 'wechat', 'province', 'city', 'industry', 'source', 'status',
  'owner_id', 'score', 'notes', 'tags', 'external_id', 'company_key', 'import_batch_id', 'search_text', 'created_at', 'updated_at',
] as const
const ROW_COLS = ['id', ...INSERT_COLS] as const
type LeadRowLite = Record<(typeof ROW_COLS)[number], string | number | null>

/** Field key → column, for the plain fields. */
const FIELD_COLUMN: Record<string, string> = {
  company: 'company', contactName: 'contact_name', title: 'title', mobile: 'mobile', phone: 'phone', email: 'email', wechat: 'wechat',
  province: 'province', city: 'city', industry: 'industry', source: 'source', status: 'status', score: 'score', notes: 'notes', externalId: 'external_id',
}
const KEY_COLUMN: Record<DedupeKey, string> = { externalId: 'external_id', mobile: 'mobile', email: 'email', company: 'company_key' }
const KEY_ORDER: DedupeKey[] = ['externalId', 'mobile', 'email', 'company']

type Val = string | number | null

/** Up to this many leads in the table, their keys are loaded into filters whatever the file's size. */
const FILTER_ALWAYS_UP_TO = 200_000
/** Imports that have written this many rows, and at least as many as the table held, build the other indexes at the end. */
const DEFER_INDEXES_FROM = 20_000
const s = (v: unknown): string | null => (typeof v === 'string' ? v : null)

export class LeadWriter implements TargetWriter {
  private readonly insert: (values: Val[]) => number
  private readonly byId: (ids: ReadonlyArray<number>) => LeadRowLite[]
  private readonly lookups = new Map<DedupeKey, (keys: ReadonlyArray<string>) => LeadRowLite[]>()
  private readonly updaters = new Map<string, (id: number, values: Val[]) => void>()
  /** Per key kind: every key in the table and written so far (see key-filter.ts); none = look every key up. */
  private readonly filters = new Map<DedupeKey, KeyFilter>()
  private rebuildIndexes: (() => void) | null = null
  private existing = 0
  private created = 0

  constructor(private readonly w: WriteContext) {
    this.insert = w.bulk.inserter('leads', INSERT_COLS)
    this.byId = w.bulk.lookup<LeadRowLite>('leads', 'id', ROW_COLS)
    for (const kind of KEY_ORDER) {
      if (w.dedupe.has(kind)) this.lookups.set(kind, w.bulk.lookup<LeadRowLite>('leads', KEY_COLUMN[kind], ['id', 'owner_id', 'company', 'contact_name', 'import_batch_id', KEY_COLUMN[kind]]))
    }
  }

  begin(expectedRows: number | null): void {
    const bulk = this.w.bulk
    const existing = bulk.count('leads')
    const expected = expectedRows ?? 0
    // Loading the table's keys costs a scan of each key column: worth it unless a small file meets a big table.
    if (existing <= FILTER_ALWAYS_UP_TO || expected * 4 >= existing) {
      for (const kind of this.lookups.keys()) {
        const filter = new KeyFilter(existing + expected)
        for (const v of bulk.values('leads', KEY_COLUMN[kind])) filter.add(String(v))
        this.filters.set(kind, filter)
      }
    }
    this.existing = existing
  }

  /**
   * Once an import has written DEFER_INDEXES_FROM rows and at least as many as the table held,
   * the indexes its lookups do not use are dropped and built again at the end (finish). Decided on
   * rows written, not on the file's estimated size, which is rough at the start of an .xlsx.
   */
  private maybeDeferIndexes(): void {
    if (this.rebuildIndexes || this.created < DEFER_INDEXES_FROM || this.created < this.existing) return
    this.rebuildIndexes = this.w.bulk.deferIndexes('leads', [...this.lookups.keys()].map((k) => KEY_COLUMN[k])).rebuild
  }

  finish(): void {
    this.rebuildIndexes?.()
    this.rebuildIndexes = null
  }

  /** Keys just written (created row, or an update's new values) become findable through the filters. */
  private noteKeys(keys: Array<[DedupeKey, string]>, hashes: number[] | null): void {
    if (!hashes) return
    for (let j = 0; j < keys.length; j++) this.filters.get(keys[j][0])?.addHash(hashes[j])
  }

  private keysOf(rec: Rec): Array<[DedupeKey, string]> {
    const keys: Array<[DedupeKey, string]> = []
    // Computed once per row: the insert stores it too.
    rec.companyKey = companyKey(s(rec.v.company))
    for (const kind of KEY_ORDER) {
      if (!this.w.dedupe.has(kind)) continue
      const value = kind === 'company' ? rec.companyKey : s(rec.v[kind])
      if (value) keys.push([kind, value])
    }
    return keys
  }

  write(recs: Rec[]): void {
    const w = this.w
    this.maybeDeferIndexes()
    const index = new ChunkIndex()
    const keysByRec = recs.map((r) => this.keysOf(r))
    // Each key hashed once, for the filter check here and for noteKeys below.
    const hashesByRec = this.filters.size > 0 ? keysByRec.map((ks) => ks.map(([, v]) => keyHash(v))) : null
    for (const [kind, lookup] of this.lookups) {
      const filter = this.filters.get(kind)
      const wanted = new Set<string>()
      keysByRec.forEach((ks, i) => {
        ks.forEach(([k, v], j) => {
          if (k === kind && (!filter || filter.mayHaveHash(hashesByRec![i][j]))) wanted.add(v)
        })
      })
      const values = [...wanted]
      if (values.length === 0) continue
      const col = KEY_COLUMN[kind]
      index.loadDb(
        kind,
        lookup(values).map((r) => ({
          value: r[col as keyof LeadRowLite] as string | null,
          match: { id: r.id as number, ownerId: r.owner_id as number | null, name: s(r.company) ?? s(r.contact_name), batchId: r.import_batch_id as number | null, row: null },
        })),
      )
    }
    recs.forEach((rec, i) => {
      const keys = keysByRec[i]
      const ownerName = s(rec.v.owner)
      const ownerId = ownerName ? w.owners.resolve(ownerName) : w.defaultOwnerId
      const found = keys.length > 0 ? index.find(keys) : null
      if (found) noteDuplicate(rec, 'lead', found, ownerId, w)
      if (!found || w.policy === 'create') {
        const id = this.create(rec, ownerId)
        rec.outcome = 'imported'
        rec.entityId = id
        const match: Match = { id, ownerId, name: s(rec.v.company) ?? s(rec.v.contactName), batchId: w.batchId, row: rec.n }
        index.add(keys, match)
        this.noteKeys(keys, hashesByRec?.[i] ?? null)
      } else if (w.policy === 'skip') {
        rec.outcome = 'duplicate'
        rec.entityId = found.match.id
      } else {
        this.update(found.match.id, rec, ownerId)
        this.noteKeys(keys, hashesByRec?.[i] ?? null)
        rec.outcome = 'updated'
        rec.entityId = found.match.id
      }
    })
  }

  private create(rec: Rec, ownerId: number | null): number {
    const v = rec.v
    const w = this.w
    // Values in INSERT_COLS order, built directly: this runs once per imported row.
    const company = s(v.company)
    const values: Val[] = [
      company, s(v.contactName), s(v.title), s(v.mobile), s(v.phone), s(v.email), s(v.wechat), s(v.province), s(v.city), s(v.industry), s(v.source),
      s(v.status) ?? 'new', ownerId, typeof v.score === 'number' ? v.score : null, s(v.notes), v.tags ? JSON.stringify(v.tags) : '[]', s(v.externalId),
      rec.companyKey !== undefined ? rec.companyKey : companyKey(company), w.batchId,
      // leadSearchText's fields, in its order.
      searchTextOf([company, v.contactName, v.title, v.mobile, v.phone, v.email, v.wechat, v.province, v.city, v.industry, v.source]),
      s(v.createdAt) ?? w.now, w.now,
    ]
    const id = this.insert(values)
    this.created++
    if (rec.custom.length) w.custom.write('lead', id, rec.custom)
    return id
  }

  /** "Update": fill in and overwrite with the file's non-empty values; tags are added; an existing owner is kept (撞单 is reported, never settled silently). */
  private update(id: number, rec: Rec, ownerId: number | null): void {
    const w = this.w
    const before = this.byId([id])[0]
    if (!before) return
    const patch: Record<string, Val> = {}
    for (const [field, col] of Object.entries(FIELD_COLUMN)) {
      const value = rec.v[field] as Val | undefined
      if (value !== undefined && value !== null && value !== before[col as keyof LeadRowLite]) patch[col] = value
    }
    if (before.owner_id === null && ownerId !== null) patch.owner_id = ownerId
    const tags = mergeTags(s(before.tags), rec.v.tags as string[] | undefined)
    if (tags !== before.tags) patch.tags = tags
    if (Object.keys(patch).length === 0 && rec.custom.length === 0) return
    if (before.import_batch_id !== w.batchId) {
      w.changes.updated('lead', id, () => ({
        cols: Object.fromEntries(Object.keys(patch).map((c) => [c, before[c as keyof LeadRowLite]])),
        custom: w.custom.before('lead', id, rec.custom),
      }))
    }
    const merged = { ...before, ...patch }
    patch.company_key = companyKey(s(merged.company))
    patch.search_text = leadSearchText(merged as never)
    patch.updated_at = w.now
    const cols = Object.keys(patch)
    const sig = cols.join(',')
    let update = this.updaters.get(sig)
    if (!update) {
      update = w.bulk.updater('leads', cols)
      this.updaters.set(sig, update)
    }
    update(id, cols.map((c) => patch[c]))
    if (rec.custom.length) w.custom.write('lead', id, rec.custom)
  }
}
