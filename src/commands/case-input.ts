/**
 * What the case commands (promise, dispute, echeancier, note, pause, resume, writeoff,
 * client) share: they read the exports (to check refs and clients), open the journal,
 * and reconcile it with the exports before recording anything. `client` only reads: it
 * opens the journal read-only (an empty one in memory when there is none) and reconciles nothing.
 */
import { loadConfig, type Config } from '../config.js';
import { requireInputs, todayInParis, type Context } from '../context.js';
import { reconcile } from '../journal/cases.js';
import { Journal, journalPathOf, openJournalToRead, openJournalToWrite } from '../journal/journal.js';
import { loadInputs, type InputFlags, type Inputs } from '../read/inputs.js';
import { withInputProgress } from '../progress.js';
import type { CaseInputOptions } from './case-options.js';
import { inputFlagsOf } from './input-options.js';

/** The exports, the config and the journal, ready for a case command. Close the journal after. */
export interface CaseInput {
  config: Config;
  flags: InputFlags;
  inputs: Inputs;
  journal: Journal;
}

/**
 * Reads the exports whole and opens the journal: to `write`, an existing journal (only
 * `send` creates one), reconciled with the exports; to `read`, read-only.
 */
export async function readCaseInput(opts: Omit<CaseInputOptions, 'format'>, ctx: Context, mode: 'read' | 'write' = 'write'): Promise<CaseInput> {
  const flags = inputFlagsOf(opts, () => todayInParis(ctx.now()));
  requireInputs(flags);
  const config = loadConfig(opts.config ?? null, ctx.cwd);
  const inputs = await withInputProgress(ctx, flags, opts.quiet, (onProgress) => loadInputs(flags, config, true, ctx.cwd, null, onProgress));
  const location = journalPathOf(opts.journal, ctx.env, config, ctx.cwd);
  if (mode === 'read') return { config, flags, inputs, journal: openJournalToRead(location) ?? Journal.inMemory() };
  const journal = openJournalToWrite(location);
  try {
    reconcile(journal, inputs.openItems, inputs.payments, flags.asOf);
  } catch (err) {
    journal.close();
    throw err;
  }
  return { config, flags, inputs, journal };
}
