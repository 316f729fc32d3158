// Import target "opportunities": deal history from Excel or another CRM. The
// account is found by name (created when new), the owner by name (unknown names
// become imported users), the stage through the stage mapping. Closed deals keep
// their close date; a deal without an account goes under one placeholder account.
// Duplicates only by external id: two deals of one customer are normal.
import { oppSearchText } from '../services/opportunities'
import { accountSearchText } from '../services/accounts'
import { businessDate } from '../shared/dates'
import { companyKey } from '../shared/keys'
import type { StageRow } from '../db/tables/pipeline.table'
import { ChunkIndex, noteDuplicate, type Rec, type TargetWriter, type WriteContext } from './write-common'

type Val = string | number | null
const s = (v: unknown): string | null => (typeof v === 'string' ? v : null)
const n = (v: unknown): number | null => (typeof v === 'number' ? v : null)

const OPP_COLS = [
  'title', 'account_id', 'contact_id', 'amount_fen', 'expected_close_date', 'stage_id', 'probability', 'probability_manual', 'owner_id', 'source',
  'status', 'lost_reason', 'closed_at', 'stage_changed_at', 'notes', 'search_text', 'external_id', 'import_batch_id', 'created_at', 'updated_at',
] as const
const OPP_ROW = ['id', 'version', ...OPP_COLS] as const
type OppLite = Record<(typeof OPP_ROW)[number], Val>
const ACCOUNT_COLS = ['name', 'tags', 'owner_id', 'lifecycle', 'source', 'search_text', 'name_key', 'import_batch_id', 'created_at', 'updated_at'] as const

export class OpportunityWriter implements TargetWriter {
  private readonly insertOpp: (values: Val[]) => number
  private readonly insertAccount: (values: Val[]) => number
  private readonly insertContact: (values: Val[]) => number
  private readonly insertHistory: (values: Val[]) => number
  private readonly accountsByKey: (keys: ReadonlyArray<string>) => Array<{ id: number; name: string; name_key: string }>
  private readonly contactsOf: (ids: ReadonlyArray<number>) => Array<{ id: number; account_id: number; name: string }>
  private readonly byExternal: (keys: ReadonlyArray<string>) => Array<{ id: number; owner_id: number | null; title: string; import_batch_id: number | null; external_id: string }>
  private readonly oppById: (ids: ReadonlyArray<number>) => OppLite[]
  private readonly updaters = new Map<string, (id: number, values: Val[]) => void>()
  readonly placeholderName: string

  constructor(
    private readonly w: WriteContext,
    private readonly stages: Map<number, StageRow>,
  ) {
    const b = w.bulk
    this.insertOpp = b.inserter('opportunities', OPP_COLS)
    this.insertAccount = b.inserter('accounts', ACCOUNT_COLS)
    this.insertContact = b.inserter('contacts', ['account_id', 'name', 'is_primary', 'search_text', 'import_batch_id', 'created_at', 'updated_at'])
    this.insertHistory = b.inserter('stage_history', ['opportunity_id', 'from_stage_id', 'to_stage_id', 'changed_by', 'changed_at'])
    this.accountsByKey = b.lookup('accounts', 'name_key', ['id', 'name', 'name_key'])
    this.contactsOf = b.lookup('contacts', 'account_id', ['id', 'account_id', 'name'])
    this.byExternal = b.lookup('opportunities', 'external_id', ['id', 'owner_id', 'title', 'import_batch_id', 'external_id'])
    this.oppById = b.lookup<OppLite>('opportunities', 'id', OPP_ROW)
    this.placeholderName = w.locale === 'en' ? '(no account)' : '（未填写客户）'
  }

  write(recs: Rec[]): void {
    const w = this.w
    // Accounts by normalised name: those in the database, and those created during this chunk.
    const accountName = (rec: Rec) => s(rec.v.company) ?? this.placeholderName
    const accounts = new Map<string, number>()
    const names = [...new Set(recs.map((r) => companyKey(accountName(r))).filter((k): k is string => k !== null))]
    for (const a of names.length ? this.accountsByKey(names) : []) {
      const prev = accounts.get(a.name_key)
      if (prev === undefined || a.id < prev) accounts.set(a.name_key, a.id)
    }
    const contacts = new Map<string, number>()
    const accountIds = [...new Set(accounts.values())]
    for (const c of recs.some((r) => r.v.contactName) && accountIds.length ? this.contactsOf(accountIds) : []) contacts.set(`${c.account_id}\u0000${c.name}`, c.id)

    const index = new ChunkIndex()
    if (w.dedupe.has('externalId')) {
      const ext = [...new Set(recs.map((r) => s(r.v.externalId)).filter((x): x is string => x !== null))]
      if (ext.length) {
        index.loadDb('externalId', this.byExternal(ext).map((r) => ({ value: r.external_id, match: { id: r.id, ownerId: r.owner_id, name: r.title, batchId: r.import_batch_id, row: null } })))
      }
    }

    for (const rec of recs) {
      const ownerName = s(rec.v.owner)
      const ownerId = ownerName ? w.owners.resolve(ownerName) : w.defaultOwnerId
      const ext = s(rec.v.externalId)
      const keys: Array<['externalId', string]> = ext && w.dedupe.has('externalId') ? [['externalId', ext]] : []
      const found = keys.length ? index.find(keys) : null
      if (found) noteDuplicate(rec, 'opportunity', found, ownerId, w)
      if (found && w.policy === 'skip') {
        rec.outcome = 'duplicate'
        rec.entityId = found.match.id
        continue
      }
      const name = accountName(rec)
      if (!rec.v.company) rec.problems.push({ level: 'warning', key: 'noAccount', params: { value: name }, field: 'company' })
      const key = companyKey(name) ?? name
      let accountId = accounts.get(key)
      if (accountId === undefined) {
        accountId = this.createAccount(name, rec, ownerId)
        accounts.set(key, accountId)
      }
      let contactId: number | null = null
      const contactName = s(rec.v.contactName)
      if (contactName) {
        const ck = `${accountId}\u0000${contactName}`
        contactId = contacts.get(ck) ?? null
        if (contactId === null) {
          contactId = this.insertContact([accountId, contactName, 0, contactName.normalize('NFKC').toLowerCase(), w.batchId, w.now, w.now])
          contacts.set(ck, contactId)
        }
      }
      if (found && w.policy === 'update') {
        this.update(found.match.id, rec, { accountId, contactId, accountName: name })
        rec.outcome = 'updated'
        rec.entityId = found.match.id
        continue
      }
      const id = this.create(rec, { accountId, contactId, accountName: name, ownerId })
      index.add(keys, { id, ownerId, name: s(rec.v.title), batchId: w.batchId, row: rec.n })
      rec.outcome = 'imported'
      rec.entityId = id
    }
  }

  private createAccount(name: string, rec: Rec, ownerId: number | null): number {
    const w = this.w
    const stage = this.stages.get(n(rec.v.stageId) ?? -1)
    const row = {
      name,
      tags: '[]',
      owner_id: ownerId,
      lifecycle: stage?.kind === 'won' ? 'customer' : 'prospect',
      source: s(rec.v.source),
      search_text: '',
      name_key: companyKey(name),
      import_batch_id: w.batchId,
      created_at: s(rec.v.createdAt) ?? w.now,
      updated_at: w.now,
    }
    row.search_text = accountSearchText({ name, industry: null, province: null, city: null, tags: '[]', source: row.source })
    return this.insertAccount(ACCOUNT_COLS.map((c) => row[c]))
  }

  /** Stage, status, probability and dates as the deal's history says. */
  private dealState(rec: Rec) {
    const w = this.w
    const stage = this.stages.get(n(rec.v.stageId) ?? -1)!
    const created = s(rec.v.createdAt) ?? w.now
    const closedAt = stage.kind === 'open' ? null : (s(rec.v.closedAt) ?? w.now)
    const probability = n(rec.v.probability)
    const manual = probability !== null && stage.kind === 'open'
    return {
      stage,
      created,
      closedAt,
      probability: stage.kind === 'open' ? (probability ?? stage.probability) : stage.probability,
      manual: manual ? 1 : 0,
      // A closed deal's expected date is when it closed (forecasts and reports group by it).
      expected: s(rec.v.expectedCloseDate) ?? (closedAt ? businessDate(new Date(closedAt)) : null),
      changedAt: closedAt ?? created,
    }
  }

  private create(rec: Rec, link: { accountId: number; contactId: number | null; accountName: string; ownerId: number | null }): number {
    const w = this.w
    const v = rec.v
    const st = this.dealState(rec)
    const title = s(v.title) ?? (s(v.externalId) ? `${link.accountName} #${s(v.externalId)}` : link.accountName)
    const row: Record<(typeof OPP_COLS)[number], Val> = {
      title,
      account_id: link.accountId,
      contact_id: link.contactId,
      amount_fen: n(v.amount) ?? 0,
      expected_close_date: st.expected,
      stage_id: st.stage.id,
      probability: st.probability,
      probability_manual: st.manual,
      owner_id: link.ownerId,
      source: s(v.source),
      status: st.stage.kind,
      lost_reason: st.stage.kind === 'lost' ? s(v.lostReason) : null,
      closed_at: st.closedAt,
      stage_changed_at: st.changedAt,
      notes: s(v.notes),
      search_text: oppSearchText(title, link.accountName),
      external_id: s(v.externalId),
      import_batch_id: w.batchId,
      created_at: st.created,
      updated_at: w.now,
    }
    const id = this.insertOpp(OPP_COLS.map((c) => row[c]))
    this.insertHistory([id, null, st.stage.id, w.userId, st.changedAt])
    if (rec.custom.length) w.custom.write('opportunity', id, rec.custom)
    return id
  }

  private update(id: number, rec: Rec, link: { accountId: number; contactId: number | null; accountName: string }): void {
    const w = this.w
    const before = this.oppById([id])[0]
    if (!before) return
    const v = rec.v
    const st = this.dealState(rec)
    const patch: Record<string, Val> = {}
    const set = (col: string, value: Val | undefined) => {
      if (value !== undefined && value !== null && value !== before[col as keyof OppLite]) patch[col] = value
    }
    set('title', s(v.title))
    if (v.company) set('account_id', link.accountId)
    set('contact_id', link.contactId)
    set('amount_fen', n(v.amount))
    set('source', s(v.source))
    set('notes', s(v.notes))
    if (v.stageId !== undefined && st.stage.id !== before.stage_id) {
      Object.assign(patch, { stage_id: st.stage.id, status: st.stage.kind, closed_at: st.closedAt, stage_changed_at: st.changedAt, probability: st.probability, probability_manual: st.manual })
      // Undo removes this history line again (import_changes 'create').
      w.changes.created('stage_history', this.insertHistory([id, before.stage_id, st.stage.id, w.userId, st.changedAt]))
    }
    set('expected_close_date', s(v.expectedCloseDate))
    if (st.stage.kind === 'lost') set('lost_reason', s(v.lostReason))
    if (Object.keys(patch).length === 0 && rec.custom.length === 0) return
    if (before.import_batch_id !== w.batchId) {
      w.changes.updated('opportunity', id, () => ({
        cols: Object.fromEntries(Object.keys(patch).map((c) => [c, before[c as keyof OppLite]])),
        custom: w.custom.before('opportunity', id, rec.custom),
      }))
    }
    patch.search_text = oppSearchText(s(patch.title) ?? s(before.title) ?? '', link.accountName)
    patch.version = (before.version as number) + 1
    patch.updated_at = w.now
    const cols = Object.keys(patch)
    const sig = cols.join(',')
    let u = this.updaters.get(sig)
    if (!u) {
      u = w.bulk.updater('opportunities', cols)
      this.updaters.set(sig, u)
    }
    u(id, cols.map((c) => patch[c]))
    if (rec.custom.length) w.custom.write('opportunity', id, rec.custom)
  }
}
