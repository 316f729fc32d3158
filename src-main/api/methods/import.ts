// Import wizard and list export: inspect → preview → run (job) → undo; mapping
// templates; export:run (job). Files are named by upload token (browser) or path
// (desktop/CLI only; services refuse paths from remote callers).
import { z } from 'zod'
import { exportColumns, exportInput, runExport } from '../../export/export'
import * as imports from '../../import/service'
import { id } from '../../services/fields'
import { command, job, query, type MethodDef } from '../define'

const manage = { roles: ['admin', 'manager'] } as const

export const importMethods = {
  'import:fields': query(imports.importFieldsInput, imports.listImportFields),
  'import:inspect': query(imports.importInspectInput, imports.inspectImport),
  // Writes inside a transaction it then rolls back: a query as far as the data is concerned.
  'import:preview': query(imports.importPreviewInput, imports.previewImport),
  'import:run': job(imports.importRunInput, imports.runImportJob),
  'import:undo': command(imports.importUndoInput, imports.undoImportBatch, manage),
  'import:batches': query(imports.importBatchesInput, imports.listImportBatches),
  // Registers the batch's kept rejected-rows file for download (a token); writes no data.
  'import:rejectedFile': query(imports.importRejectedFileInput, imports.rejectedFileOfBatch),
  'import:templates': query(imports.templateListInput, imports.listTemplates),
  'import:saveTemplate': command(imports.templateSaveInput, imports.saveTemplate),
  'import:deleteTemplate': command(z.object({ id }).strict(), imports.deleteTemplate),

  'export:columns': query(z.object({ entity: z.enum(['leads', 'accounts', 'contacts', 'opportunities']) }), exportColumns),
  'export:run': job(exportInput, runExport),
} satisfies Record<string, MethodDef<z.ZodType, unknown>>
