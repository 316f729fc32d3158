// The better-sqlite3 ABI dance. node_modules holds a build for Node (tests, CLI,
// `crm serve`); Electron needs one for its own ABI. scripts/rebuild-native-for-electron.mjs
// puts that build in .native/electron/ (and electron-builder copies it to
// resources/native/), and the main process loads it through `nativeBinding`,
// so neither ever overwrites the other.
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export const NATIVE_FILE = 'better_sqlite3.node'

export interface NativeBindingEnv {
  isPackaged: boolean
  resourcesPath: string
  appPath: string
}

/** Path of the Electron-ABI better-sqlite3 build, or undefined to use the one in node_modules. */
export function electronNativeBinding(env: NativeBindingEnv, exists: (p: string) => boolean = existsSync): string | undefined {
  const candidate = env.isPackaged ? join(env.resourcesPath, 'native', NATIVE_FILE) : join(env.appPath, '.native', 'electron', NATIVE_FILE)
  return exists(candidate) ? candidate : undefined
}
