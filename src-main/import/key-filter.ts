// A compact "could this key exist?" set for the import's duplicate check.
//
// Why: every chunk of rows asked the database for each of its keys (mobile,
// e-mail, company), and nearly all of them are new: on a 100,000-row list those
// lookups were an eighth of the import. The filter holds a 32-bit hash of every
// key in the table (loaded once when the import starts) and of every key the
// import writes; a key whose hash is absent cannot be in the table, so only the
// rest are looked up. Hashes, not strings: 4 bytes a key in a Uint32Array, about
// 24 MB for a million rows with three keys, where a Set of strings would take
// hundreds. A hash collision only costs one unneeded lookup, never a missed
// duplicate.
const EMPTY = 0

/** FNV-1a over UTF-16 code units, never 0 (0 marks an empty slot). */
export function keyHash(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0 || 1
}

export class KeyFilter {
  private slots: Uint32Array
  private mask: number
  private count = 0

  constructor(expected = 1024) {
    let size = 1024
    while (size < expected * 2) size *= 2
    this.slots = new Uint32Array(size)
    this.mask = size - 1
  }

  get size(): number {
    return this.count
  }

  add(key: string): void {
    this.insert(keyHash(key))
  }

  /** add() with the key's keyHash() already computed. */
  addHash(h: number): void {
    this.insert(h)
  }

  /** False: the key is certainly not in the set. True: it may be (look it up). */
  mayHave(key: string): boolean {
    return this.mayHaveHash(keyHash(key))
  }

  /** mayHave() with the key's keyHash() already computed. */
  mayHaveHash(h: number): boolean {
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const v = this.slots[i]
      if (v === h) return true
      if (v === EMPTY) return false
    }
  }

  private insert(h: number): void {
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const v = this.slots[i]
      if (v === h) return
      if (v === EMPTY) {
        this.slots[i] = h
        if (++this.count * 2 > this.slots.length) this.grow()
        return
      }
    }
  }

  /** Keep the table at most half full (short probe runs). */
  private grow(): void {
    const old = this.slots
    this.slots = new Uint32Array(old.length * 2)
    this.mask = this.slots.length - 1
    this.count = 0
    for (const h of old) if (h !== EMPTY) this.insert(h)
  }
}
