// Stage names from another system → our pipeline stages. Explicit pairs
// ("Engaging=意向商机") come first; our own stage names and keys match as they are;
// won/lost/赢单/输单/成交 are recognised.
import type { StageRow } from '../db/tables/pipeline.table'
import { AppError } from '../shared/errors'

const norm = (t: string) => t.normalize('NFKC').toLowerCase().replace(/[\s_-]+/g, '')
const WON = ['won', 'closedwon', 'win', 'success', '赢单', '成交', '已成交', '签约', '已签约', '赢']
const LOST = ['lost', 'closedlost', 'lose', 'loss', 'failed', '输单', '丢单', '失败', '已输单', '输', '流失']

/** Parse the CLI form 'Engaging=意向商机,Prospecting=潜在商机' (also ；/; separated). */
export function parseStageMap(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of text.split(/[,，;；\n]+/)) {
    if (!pair.trim()) continue
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new AppError('IMPORT_BAD_STAGE_MAP', { detail: pair.trim() })
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim()
  }
  return out
}

export interface StageResolver {
  /** Stage id for a value from the file, or null when it matches nothing. */
  resolve(value: string): number | null
  /** Stage for rows without a stage value: the first open stage. */
  defaultStageId: number
}

export function stageResolver(stages: StageRow[], explicit: Record<string, string | number> = {}): StageResolver {
  const ordered = [...stages].sort((a, b) => a.sort_order - b.sort_order)
  const byName = new Map<string, number>()
  for (const s of ordered) {
    if (!byName.has(norm(s.name))) byName.set(norm(s.name), s.id)
    if (!byName.has(norm(s.key))) byName.set(norm(s.key), s.id)
  }
  const find = (target: string | number): number => {
    if (typeof target === 'number' || /^\d+$/.test(String(target))) {
      const s = ordered.find((x) => x.id === Number(target))
      if (s) return s.id
    }
    const id = byName.get(norm(String(target)))
    if (id === undefined) throw new AppError('IMPORT_BAD_STAGE_MAP', { detail: `${target}?  ${ordered.map((s) => s.name).join('、')}` })
    return id
  }
  const map = new Map<string, number>()
  for (const [from, to] of Object.entries(explicit)) map.set(norm(from), find(to))
  const won = ordered.find((s) => s.kind === 'won')
  const lost = ordered.find((s) => s.kind === 'lost')
  const open = ordered.find((s) => s.kind === 'open') ?? ordered[0]
  if (!open) throw new AppError('IMPORT_BAD_STAGE_MAP', { detail: 'no stages' })
  return {
    defaultStageId: open.id,
    resolve(value) {
      const k = norm(value)
      if (!k) return null
      const hit = map.get(k) ?? byName.get(k)
      if (hit !== undefined) return hit
      if (won && WON.includes(k)) return won.id
      if (lost && LOST.includes(k)) return lost.id
      return null
    },
  }
}
