// Feature message modules: each feature owns a top-level key in both languages,
// so features are added without editing the shared zh-CN.ts / en.ts files.
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> }

export function defineFeatureMessages<Z extends Record<string, unknown>>(zh: Z, en: Shape<Z>): { 'zh-CN': Z; en: Shape<Z> } {
  return { 'zh-CN': zh, en }
}
