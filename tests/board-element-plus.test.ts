// The renderer registers Element Plus component by component
// (src-renderer/src/plugins/element-plus.ts) so the start-up bundle carries
// only what is used. This guards the list: every <el-…> tag and v-loading in
// any .vue file must be registered, or the page would show an unknown tag.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import * as ElementPlus from 'element-plus'
import { describe, expect, it } from 'vitest'

const SRC = resolve(__dirname, '../src-renderer/src')
const PLUGIN_FILE = join(SRC, 'plugins', 'element-plus.ts')

/** The names in ELEMENT_PLUGINS, read from the renderer's source (the node project does not compile renderer code). */
function registeredPlugins(): string[] {
  const text = readFileSync(PLUGIN_FILE, 'utf8')
  const list = text.slice(text.indexOf('export const ELEMENT_PLUGINS'))
  const body = list.slice(list.indexOf('= ['), list.indexOf(']\n'))
  return [...body.replace(/\/\/.*$/gm, '').matchAll(/\b(El[A-Za-z]+)\b/g)].map((m) => m[1])
}

function vueFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? vueFiles(path) : name.endsWith('.vue') ? [path] : []
  })
}

const pascal = (tag: string) => tag.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())

describe('Element Plus registration', () => {
  it('registers every component and directive the templates use', () => {
    const components = new Set<string>()
    const directives = new Set<string>()
    const fakeApp = {
      config: { globalProperties: {} as Record<string, unknown> },
      _context: {},
      component(name: string) {
        components.add(name)
        return fakeApp
      },
      directive(name: string) {
        directives.add(name)
        return fakeApp
      },
      provide() {
        return fakeApp
      },
      use(plugin: { install?: (app: unknown) => void } | ((app: unknown) => void)) {
        if (typeof plugin === 'function' && !('install' in plugin)) plugin(fakeApp)
        else (plugin as { install: (app: unknown) => void }).install(fakeApp)
        return fakeApp
      },
    }
    const names = registeredPlugins()
    expect(names.length).toBeGreaterThan(20)
    for (const name of names) fakeApp.use((ElementPlus as unknown as Record<string, never>)[name])

    const used = new Map<string, string>()
    let loading = ''
    for (const file of vueFiles(SRC)) {
      const text = readFileSync(file, 'utf8')
      const template = text.slice(text.indexOf('<template'))
      for (const m of template.matchAll(/<(el-[a-z-]+)/g)) used.set(pascal(m[1]), file.slice(SRC.length + 1))
      if (/\sv-loading[\s=.]/.test(template)) loading = file
    }
    expect(used.size).toBeGreaterThan(20) // the scan found the templates
    const missing = [...used].filter(([name]) => !components.has(name)).map(([name, file]) => `${name} (${file})`)
    expect(missing).toEqual([])
    if (loading) expect(directives.has('loading')).toBe(true)
  })

  it('imports the styles of each component with the chunk that registers it: start-up or later', () => {
    // ELEMENT_PLUGINS entries: `ElName` (start-up) or `later('ElName')`.
    const text = readFileSync(PLUGIN_FILE, 'utf8')
    const list = text.slice(text.indexOf('export const ELEMENT_PLUGINS')).replace(/\/\/.*$/gm, '')
    const body = list.slice(list.indexOf('= ['), list.indexOf(']\n'))
    const laterNames = [...body.matchAll(/later\('(El[A-Za-z]+)'\)/g)].map((m) => m[1])
    const startNames = [...body.replace(/later\('El[A-Za-z]+'\)/g, '').matchAll(/\b(El[A-Za-z]+)\b/g)].map((m) => m[1])
    expect(startNames.length).toBeGreaterThan(8)
    expect(laterNames.length).toBeGreaterThan(15)
    const styleDirs = (file: string) => new Set([...readFileSync(join(SRC, 'plugins', file), 'utf8').matchAll(/element-plus\/es\/components\/([a-z-]+)\/style\/css/g)].map((m) => m[1]))
    const startStyles = styleDirs('element-plus-styles.ts')
    const laterStyles = styleDirs('element-plus-later-styles.ts')
    const dir = (name: string) => name.slice(2).replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase())
    expect(startNames.map(dir).filter((d) => !startStyles.has(d))).toEqual([])
    expect(laterNames.map(dir).filter((d) => !laterStyles.has(d))).toEqual([])
    // A later component's styles at start-up would cost the first paint for nothing.
    expect(laterNames.map(dir).filter((d) => startStyles.has(d))).toEqual([])
  })
})
