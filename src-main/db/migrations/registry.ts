// Static, ordered migration registry. Kysely's FileMigrationProvider imports a
// folder at run time, which breaks once the main process is bundled, so every
// migration is listed here. Names are numbered in steps of 10 and must increase.
import type { Migration } from 'kysely'
import * as m0010 from './0010-initial-schema'
import * as m0020 from './0020-settings-and-default-stages'
import * as m0030 from './0030-import-and-segments'
import * as m0040 from './0040-board-and-follow-up'
import * as m0050 from './0050-scoring-and-risks'
import * as m0060 from './0060-report-targets-and-competitors'
import * as m0070 from './0070-import-keys-and-partial-indexes'

export const MIGRATIONS: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['0010-initial-schema', m0010],
  ['0020-settings-and-default-stages', m0020],
  ['0030-import-and-segments', m0030],
  ['0040-board-and-follow-up', m0040],
  ['0050-scoring-and-risks', m0050],
  ['0060-report-targets-and-competitors', m0060],
  ['0070-import-keys-and-partial-indexes', m0070],
]
