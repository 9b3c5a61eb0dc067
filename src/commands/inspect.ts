/**
 * relance inspect FICHIER… : montre ce que relance a compris de chaque fichier
 * (format, logiciel, encodage, séparateur, ligne d'en-tête, colonnes reconnues,
 * enregistrements, lignes ignorées, avertissements) et les premiers enregistrements.
 */
import type { CanonicalRecord } from '../core/records.js';
import { loadConfig } from '../config.js';
import type { Finding } from '../errors.js';
import { requireInputs, todayInParis, type Context } from '../context.js';
import { INSPECT_OPTIONS } from './inspect-options.js';
import { inputFlagsOf } from './input-options.js';
import type { OptionsOf } from './options.js';
import { loadInputs } from '../read/inputs.js';
import { withInputProgress } from '../progress.js';
import type { FileReport } from '../read/types.js';
import { inspectAsJson, inspectAsText } from '../render/inspect.js';
import { writeRecordsCsv } from '../render/records.js';
import { fitOf } from '../render/table.js';

export type InspectOptions = OptionsOf<typeof INSPECT_OPTIONS>;

/** Records the table shows without --limit: enough to see that the columns were understood. */
const PREVIEW_RECORDS = 10;

/** What inspect found: returned so that tests check data, not text. */
export interface InspectResult {
  files: FileReport[];
  records: CanonicalRecord[];
  warnings: Finding[];
}

/** Reads the files, rejecting any that cannot be trusted, and prints what was understood. */
export async function runInspect(files: string[], opts: InspectOptions, ctx: Context): Promise<InspectResult> {
  const { format } = opts;
  const flags = inputFlagsOf(opts, () => todayInParis(ctx.now()), files);
  requireInputs(flags);
  // Unlike plan and check, --limit applies to every format here: it is a preview of the records.
  const limit = opts.limit ?? (format === 'table' ? PREVIEW_RECORDS : Infinity);
  const config = loadConfig(opts.config ?? null, ctx.cwd);
  const inputs = await withInputProgress(ctx, flags, opts.quiet, (onProgress) => loadInputs(flags, config, true, ctx.cwd, null, onProgress));
  const records: CanonicalRecord[] = [...inputs.clients, ...inputs.openItems, ...inputs.payments];
  const result: InspectResult = { files: inputs.reports, records, warnings: inputs.findings };
  const shown = Number.isFinite(limit) ? records.slice(0, limit) : records;

  if (format === 'json') ctx.stdout.write(inspectAsJson(result, shown));
  else if (format === 'csv') writeRecordsCsv(shown, (t) => ctx.stdout.write(t));
  else ctx.stdout.write(inspectAsText(result, shown, ctx.color, fitOf(ctx.columns, opts.wide)));
  return result;
}
