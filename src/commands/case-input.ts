/**
 * What the case commands (promise, dispute, echeancier, note, pause, resume, writeoff,
 * client) share: they read the exports (to check refs and clients), open the journal,
 * and reconcile it with the exports before recording anything. `client` only reads: it
 * opens the journal read-only (an empty one in memory when there is none) and reconciles nothing.
 */
import { isIsoDate, type CalendarDate } from '../core/dates.js';
import { parseCents, type Cents } from '../core/money.js';
import { loadConfig, type Config } from '../config.js';
import { inputFlags, requireInputs, type Context, type RawInputFlags } from '../context.js';
import { impossibleDateOption, UsageError } from '../errors.js';
import { reconcile } from '../journal/cases.js';
import { Journal, journalPathOf, openJournalToRead, openJournalToWrite } from '../journal/journal.js';
import { loadInputs, type InputFlags, type Inputs } from '../read/inputs.js';
import { withInputProgress } from '../progress.js';

/** Options every case command takes. */
export interface CaseOptions extends RawInputFlags {
  journal?: string;
}

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
export async function openCaseInput(opts: CaseOptions, ctx: Context, mode: 'read' | 'write' = 'write'): Promise<CaseInput> {
  const flags = inputFlags(opts, [], ctx);
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

/** A date option, required or not; a clear error names the flag. */
export function dateOption(value: string | undefined, flag: string): CalendarDate {
  if (value === undefined) throw new UsageError(`${flag} est obligatoire.`, `écrivez la date AAAA-MM-JJ, par exemple ${flag} 2026-11-30.`);
  if (!isIsoDate(value)) throw impossibleDateOption(flag, value) ?? new UsageError(`date invalide pour ${flag} : « ${value} ».`, `écrivez-la AAAA-MM-JJ, par exemple ${flag} 2026-11-30.`);
  return value;
}

/** An amount option in euros (`1234,56`, `1 234.56`), as cents. */
export function amountOption(value: string | undefined, flag: string): Cents | null {
  if (value === undefined) return null;
  const cents = parseCents(value);
  if (cents === null || Number.isNaN(cents) || cents < 0) {
    throw new UsageError(`montant invalide pour ${flag} : « ${value} ».`, `écrivez un montant en euros, par exemple ${flag} 1500 ou ${flag} "1 500,00".`);
  }
  return cents;
}

/** A non-empty text option (a reason). */
export function textOption(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} est obligatoire.`, `expliquez en quelques mots, par exemple ${flag} "livraison incomplète".`);
  return value.trim();
}

/** A list of refs: `FA1,FA2`. */
export function refsOption(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((r) => r.trim()).filter(Boolean);
}
