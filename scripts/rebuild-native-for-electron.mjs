#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into .native/electron/ — apart from
// node_modules, whose build stays the one for Node (tests, CLI, `crm serve`).
// The Electron main process loads it with better-sqlite3's `nativeBinding`
// option (src-main/electron/native-binding.ts); electron-builder ships it as
// resources/native/better_sqlite3.node (build/electron-builder.yml).
//
// Run by `npm run dev`, `npm start` and `npm run dist`, never by `npm install`:
// it downloads Electron headers or a prebuilt binary, which needs the internet.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'package.json'))
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'))
const sqliteVersion = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')).version
const arch = process.env.npm_config_arch || process.arch
const stamp = `electron ${electronVersion} better-sqlite3 ${sqliteVersion} ${process.platform}-${arch}`

const outDir = join(root, '.native', 'electron')
const outFile = join(outDir, 'better_sqlite3.node')
const stampFile = join(outDir, 'BUILD')
if (existsSync(outFile) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp) {
  console.log(`[native] up to date: ${stamp}`)
  process.exit(0)
}

// A throwaway project holding a copy of better-sqlite3, rebuilt by @electron/rebuild
// (which tries a prebuilt binary first, then compiles against Electron's headers).
const workRoot = join(root, '.native', 'work')
const work = join(workRoot, 'node_modules', 'better-sqlite3')
rmSync(workRoot, { recursive: true, force: true })
mkdirSync(dirname(work), { recursive: true })
writeFileSync(join(workRoot, 'package.json'), JSON.stringify({ name: 'native-work', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }))
cpSync(sqliteDir, work, { recursive: true, filter: (src) => !src.startsWith(join(sqliteDir, 'build')) })

try {
  const { rebuild } = await import('@electron/rebuild')
  await rebuild({ buildPath: workRoot, electronVersion, arch, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' })
  mkdirSync(outDir, { recursive: true })
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), outFile)
  writeFileSync(stampFile, `${stamp}\n`)
  console.log(`[native] built ${outFile} (${stamp})`)
} catch (err) {
  console.error('[native] could not build better-sqlite3 for Electron. This step needs the internet (Electron headers or a prebuilt binary).')
  console.error(`[native] ${err instanceof Error ? err.message : err}`)
  process.exitCode = 1
} finally {
  rmSync(workRoot, { recursive: true, force: true })
}
