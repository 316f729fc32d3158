// The one API table. Both transports (Electron IPC, HTTP) serve exactly this;
// the renderer's types are derived from it (src-main/shared/api.ts).
// Each domain keeps its entries in methods/<domain>.ts; names are "domain:verb"
// and unique — a name defined twice is a start-up error (see assertUniqueNames).
import type { z } from 'zod'
import type { MethodDef } from './define'
import { boardMethods } from './methods/board'
import { coreMethods } from './methods/core'
import { importMethods } from './methods/import'
import { segmentMethods } from './methods/segments'
import { scoringMethods } from './methods/scoring'
import { reportMethods } from './methods/reports'

const groups = [coreMethods, boardMethods, scoringMethods, importMethods, segmentMethods, reportMethods] as const

export const methods = {
  ...coreMethods,
  ...boardMethods,
  ...scoringMethods,
  ...importMethods,
  ...segmentMethods,
  ...reportMethods,
}

/** Spreading would let a later group silently replace a method: refuse duplicates instead. */
export function assertUniqueNames(list: ReadonlyArray<Record<string, MethodDef<z.ZodType, unknown>>>): void {
  const seen = new Set<string>()
  for (const group of list) {
    for (const name of Object.keys(group)) {
      if (seen.has(name)) throw new Error(`API method ${name} is defined twice`)
      seen.add(name)
    }
  }
}
assertUniqueNames(groups)

export type Methods = typeof methods
export type MethodName = keyof Methods
