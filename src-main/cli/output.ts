/** CLI output: plain text for people, one JSON document with --json for scripts. */
export interface Output {
  json: boolean
  result(data: unknown, text: string): void
  info(text: string): void
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(data, text) {
      process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text}\n`)
    },
    // Progress and notes go to stderr so stdout stays the command's output alone.
    info(text) {
      if (!json) process.stderr.write(`${text}\n`)
    },
  }
}
