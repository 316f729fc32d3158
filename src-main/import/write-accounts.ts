// Import target "accounts with contacts": one row = one account and, when the row
// names a person, one of its contacts. Several rows of one company (several people)
// give one account with several contacts. Duplicate control works on the account
// (external id, company name) and then on the contact within it (mobile, e-mail, name):
// - skip: an existing account is left as it is; a person not yet there is added to it;
// - update: the account (and a matching contact) get the file's non-empty values;
// - create: every row makes a new account.
import { accountSearchText } from '../services/accounts'
import { contactSearchText } from '../services/contacts'
import { companyKey } from '../shared/keys'
import type { DedupeKey } from './types'
import { ChunkIndex, mergeTags, noteDuplicate, type Rec, type TargetWriter, type WriteContext } from './write-common'

type Val = string | number | null
const s = (v: unknown): string | null => (typeof v === 'string' ? v : null)

const ACCOUNT_COLS = [
  'name', 'industry', 'province', 'city', 'address', 'size', 'annual_revenue_fen', 'source', 'tags', 'credit_level', 'owner_id', 'lifecycle',
  'website', 'notes', 'search_text', 'external_id', 'name_key', 'import_batch_id', 'created_at', 'updated_at',
] as const
const ACCOUNT_ROW = ['id', ...ACCOUNT_COLS] as const
type AccountLite = Record<(typeof ACCOUNT_ROW)[number], Val>
const ACCOUNT_FIELD: Record<string, string> = {
  company: 'name', industry: 'industry', province: 'province', city: 'city', address: 'address', size: 'size', annualRevenue: 'annual_revenue_fen',
  source: 'source', creditLevel: 'credit_level', lifecycle: 'lifecycle', website: 'website', notes: 'notes', externalId: 'external_id',
}

const CONTACT_COLS = ['account_id', 'name', 'title', 'mobile', 'phone', 'email', 'wechat', 'birthday', 'is_primary', 'search_text', 'import_batch_id', 'created_at', 'updated_at'] as const
const CONTACT_ROW = ['id', ...CONTACT_COLS] as const
type ContactLite = Record<(typeof CONTACT_ROW)[number], Val>
const CONTACT_FIELD: Record<string, string> = { contactName: 'name', title: 'title', mobile: 'mobile', phone: 'phone', email: 'email', wechat: 'wechat', birthday: 'birthday' }

const hasContact = (v: Record<string, unknown>) => Boolean(v.contactName || v.mobile || v.phone || v.email || v.wechat)

export class AccountWriter implements TargetWriter {
  private readonly insertAccount: (values: Val[]) => number
  private readonly insertContact: (values: Val[]) => number
  private readonly accountById: (ids: ReadonlyArray<number>) => AccountLite[]
  private readonly byNameKey: (keys: ReadonlyArray<string>) => AccountLite[]
  private readonly byExternal: (keys: ReadonlyArray<string>) => AccountLite[]
  private readonly contactsOf: (ids: ReadonlyArray<number>) => ContactLite[]
  private readonly updaters = new Map<string, (id: number, values: Val[]) => void>()
  private readonly noName: string

  constructor(private readonly w: WriteContext) {
    const b = w.bulk
    this.insertAccount = b.inserter('accounts', ACCOUNT_COLS)
    this.insertContact = b.inserter('contacts', CONTACT_COLS)
    this.accountById = b.lookup<AccountLite>('accounts', 'id', ACCOUNT_ROW)
    this.byNameKey = b.lookup<AccountLite>('accounts', 'name_key', ['id', 'owner_id', 'name', 'import_batch_id', 'name_key'])
    this.byExternal = b.lookup<AccountLite>('accounts', 'external_id', ['id', 'owner_id', 'name', 'import_batch_id', 'external_id'])
    this.contactsOf = b.lookup<ContactLite>('contacts', 'account_id', CONTACT_ROW)
    this.noName = w.locale === 'en' ? '(no name)' : '（未填写姓名）'
  }

  private keysOf(rec: Rec): Array<[DedupeKey, string]> {
    const keys: Array<[DedupeKey, string]> = []
    const ext = s(rec.v.externalId)
    if (ext && this.w.dedupe.has('externalId')) keys.push(['externalId', ext])
    const name = companyKey(s(rec.v.company))
    if (name && this.w.dedupe.has('company')) keys.push(['company', name])
    return keys
  }

  write(recs: Rec[]): void {
    const w = this.w
    const index = new ChunkIndex()
    const keysByRec = recs.map((r) => this.keysOf(r))
    const load = (kind: DedupeKey, col: 'name_key' | 'external_id', lookup: (k: ReadonlyArray<string>) => AccountLite[]) => {
      const values = [...new Set(keysByRec.flatMap((ks) => ks.filter(([k]) => k === kind).map(([, v]) => v)))]
      if (values.length === 0) return
      index.loadDb(kind, lookup(values).map((r) => ({ value: s(r[col]), match: { id: r.id as number, ownerId: r.owner_id as number | null, name: s(r.name), batchId: r.import_batch_id as number | null, row: null } })))
    }
    load('externalId', 'external_id', this.byExternal)
    load('company', 'name_key', this.byNameKey)

    // Contacts of the accounts this chunk may touch: found in the database, plus those written during the chunk.
    const contacts = new Map<number, ContactLite[]>()
    const known = [...new Set(keysByRec.map((ks) => index.find(ks)?.match.id).filter((x): x is number => x !== undefined))]
    for (const c of known.length ? this.contactsOf(known) : []) {
      const list = contacts.get(c.account_id as number) ?? []
      list.push(c)
      contacts.set(c.account_id as number, list)
    }

    recs.forEach((rec, i) => {
      const keys = keysByRec[i]
      const ownerName = s(rec.v.owner)
      const ownerId = ownerName ? w.owners.resolve(ownerName) : w.defaultOwnerId
      const found = keys.length > 0 ? index.find(keys) : null
      if (found) noteDuplicate(rec, 'account', found, ownerId, w)
      if (!found || w.policy === 'create') {
        const id = this.createAccount(rec, ownerId)
        index.add(keys, { id, ownerId, name: s(rec.v.company), batchId: w.batchId, row: rec.n })
        contacts.set(id, [])
        if (hasContact(rec.v)) contacts.get(id)!.push(this.createContact(id, rec, true))
        rec.outcome = 'imported'
        rec.entityId = id
        return
      }
      const accountId = found.match.id
      rec.entityId = accountId
      const list = contacts.get(accountId) ?? []
      contacts.set(accountId, list)
      if (w.policy === 'update') this.updateAccount(accountId, rec, ownerId)
      let outcome: Rec['outcome'] = w.policy === 'update' ? 'updated' : 'duplicate'
      if (hasContact(rec.v)) {
        const same = list.find((c) => this.samePerson(c, rec))
        if (!same) {
          list.push(this.createContact(accountId, rec, list.length === 0))
          outcome = w.policy === 'update' ? 'updated' : 'imported'
        } else if (w.policy === 'update') this.updateContact(same, rec)
      }
      rec.outcome = outcome
    })
  }

  private samePerson(c: ContactLite, rec: Rec): boolean {
    const v = rec.v
    if (v.mobile && c.mobile === v.mobile) return true
    if (v.email && c.email === v.email) return true
    return Boolean(v.contactName) && c.name === v.contactName && !(v.mobile && c.mobile) && !(v.email && c.email)
  }

  private createAccount(rec: Rec, ownerId: number | null): number {
    const v = rec.v
    const w = this.w
    const row: Record<string, Val> = {}
    for (const [field, col] of Object.entries(ACCOUNT_FIELD)) row[col] = (v[field] as Val) ?? null
    row.tags = JSON.stringify((v.tags as string[] | undefined) ?? [])
    row.owner_id = ownerId
    row.lifecycle = s(v.lifecycle) ?? 'prospect'
    row.name_key = companyKey(s(v.company))
    row.search_text = accountSearchText(row as never)
    row.import_batch_id = w.batchId
    row.created_at = s(v.createdAt) ?? w.now
    row.updated_at = w.now
    const id = this.insertAccount(ACCOUNT_COLS.map((c) => row[c] ?? null))
    const accountCustom = rec.custom
    if (accountCustom.length) w.custom.write('account', id, accountCustom)
    return id
  }

  private createContact(accountId: number, rec: Rec, primary: boolean): ContactLite {
    const v = rec.v
    const w = this.w
    const row: Record<string, Val> = { account_id: accountId }
    for (const [field, col] of Object.entries(CONTACT_FIELD)) row[col] = (v[field] as Val) ?? null
    row.name = s(v.contactName) ?? this.noName
    row.is_primary = primary ? 1 : 0
    row.search_text = contactSearchText(row as never)
    row.import_batch_id = w.batchId
    row.created_at = s(v.createdAt) ?? w.now
    row.updated_at = w.now
    const id = this.insertContact(CONTACT_COLS.map((c) => row[c] ?? null))
    return { ...(row as ContactLite), id }
  }

  private updater(table: 'accounts' | 'contacts', cols: string[]) {
    const sig = `${table}:${cols.join(',')}`
    let u = this.updaters.get(sig)
    if (!u) {
      u = this.w.bulk.updater(table, cols)
      this.updaters.set(sig, u)
    }
    return u
  }

  private updateAccount(id: number, rec: Rec, ownerId: number | null): void {
    const w = this.w
    const before = this.accountById([id])[0]
    if (!before) return
    const patch: Record<string, Val> = {}
    for (const [field, col] of Object.entries(ACCOUNT_FIELD)) {
      const value = rec.v[field] as Val | undefined
      if (value !== undefined && value !== null && value !== before[col as keyof AccountLite]) patch[col] = value
    }
    if (before.owner_id === null && ownerId !== null) patch.owner_id = ownerId
    const tags = mergeTags(s(before.tags), rec.v.tags as string[] | undefined)
    if (tags !== before.tags) patch.tags = tags
    if (Object.keys(patch).length === 0 && rec.custom.length === 0) return
    if (before.import_batch_id !== w.batchId) {
      w.changes.updated('account', id, () => ({
        cols: Object.fromEntries(Object.keys(patch).map((c) => [c, before[c as keyof AccountLite]])),
        custom: w.custom.before('account', id, rec.custom),
      }))
    }
    const merged = { ...before, ...patch }
    patch.name_key = companyKey(s(merged.name))
    patch.search_text = accountSearchText(merged as never)
    patch.updated_at = w.now
    const cols = Object.keys(patch)
    this.updater('accounts', cols)(id, cols.map((c) => patch[c]))
    if (rec.custom.length) w.custom.write('account', id, rec.custom)
  }

  private updateContact(c: ContactLite, rec: Rec): void {
    const w = this.w
    const patch: Record<string, Val> = {}
    for (const [field, col] of Object.entries(CONTACT_FIELD)) {
      const value = rec.v[field] as Val | undefined
      if (value !== undefined && value !== null && value !== c[col as keyof ContactLite]) patch[col] = value
    }
    if (Object.keys(patch).length === 0) return
    if (c.import_batch_id !== w.batchId) {
      w.changes.updated('contact', c.id as number, () => ({ cols: Object.fromEntries(Object.keys(patch).map((k) => [k, c[k as keyof ContactLite]])), custom: {} }))
    }
    Object.assign(c, patch)
    patch.search_text = contactSearchText(c as never)
    patch.updated_at = w.now
    const cols = Object.keys(patch)
    this.updater('contacts', cols)(c.id as number, cols.map((k) => patch[k]))
  }
}
