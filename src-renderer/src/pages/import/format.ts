// Small display helpers of the import wizard (pure).

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** Seconds as "42 秒" / "3 分 5 秒" through the given translator. */
export function formatDuration(seconds: number, t: (key: string, p: Record<string, unknown>) => string): string {
  if (seconds < 1) return t('importWizard.run.seconds', { n: Math.max(0.1, Math.round(seconds * 10) / 10) })
  const n = Math.round(seconds)
  if (n < 60) return t('importWizard.run.seconds', { n })
  return t('importWizard.run.minutes', { m: Math.floor(n / 60), s: n % 60 })
}
