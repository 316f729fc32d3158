// Just enough zip reading to look inside an .xlsx without unpacking it: the
// central directory (which parts exist) and the first bytes of one part (a
// sheet's <dimension ref="A1:J100001"/>, for a row count before reading).
import { open } from 'node:fs/promises'
import { inflateRawSync, constants } from 'node:zlib'

export async function readAt(path: string, position: number, length: number): Promise<Buffer> {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.alloc(length)
    const { bytesRead } = await fh.read(buf, 0, length, position)
    return buf.subarray(0, bytesRead)
  } finally {
    await fh.close()
  }
}

export interface ZipEntry {
  name: string
  method: number
  compressedSize: number
  localHeaderOffset: number
}

/** Entries of a zip file from its central directory; null when there is none we can read (zip64, damaged). */
export async function zipEntries(path: string, size: number): Promise<ZipEntry[] | null> {
  const tailLength = Math.min(size, 65_557)
  const tail = await readAt(path, size - tailLength, tailLength)
  let eocd = -1
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) return null
  const cdSize = tail.readUInt32LE(eocd + 12)
  const cdOffset = tail.readUInt32LE(eocd + 16)
  if (cdOffset === 0xffffffff || cdSize === 0xffffffff || cdOffset + cdSize > size) return null
  const cd = await readAt(path, cdOffset, cdSize)
  const entries: ZipEntry[] = []
  for (let p = 0; p + 46 <= cd.length && cd.readUInt32LE(p) === 0x02014b50; ) {
    const nameLength = cd.readUInt16LE(p + 28)
    const extra = cd.readUInt16LE(p + 30)
    const comment = cd.readUInt16LE(p + 32)
    entries.push({
      name: cd.toString('utf8', p + 46, p + 46 + nameLength),
      method: cd.readUInt16LE(p + 10),
      compressedSize: cd.readUInt32LE(p + 20),
      localHeaderOffset: cd.readUInt32LE(p + 42),
    })
    p += 46 + nameLength + extra + comment
  }
  return entries
}

/** The first (up to) `max` bytes of one entry, decompressed. */
export async function zipEntryHead(path: string, entry: ZipEntry, max = 4096): Promise<string | null> {
  const local = await readAt(path, entry.localHeaderOffset, 30)
  if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) return null
  const dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28)
  const raw = await readAt(path, dataStart, Math.min(entry.compressedSize || max, max))
  if (entry.method === 0) return raw.toString('utf8')
  if (entry.method !== 8) return null
  try {
    // Z_SYNC_FLUSH: give back what the truncated input decodes to instead of failing.
    return inflateRawSync(raw, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8')
  } catch {
    return null
  }
}

/** Last row number of a worksheet part from its <dimension ref="…"/>, when the writer put one there. */
export async function sheetLastRow(path: string, size: number, part: string): Promise<number | null> {
  const entries = await zipEntries(path, size)
  const entry = entries?.find((e) => e.name === part)
  if (!entry) return null
  const head = await zipEntryHead(path, entry)
  const m = head && /<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"/.exec(head)
  return m ? Number(m[1] ?? 1) : null
}
