/**
 * relance writeoff REF --reason "…" : une créance jugée irrécouvrable sort du
 * scénario et compte dans le taux de créances irrécouvrables.
 */
import { formatEuros } from '../core/money.js';
import { addWriteoff, loadCaseFile } from '../journal/cases.js';
import { findInvoice } from '../journal/case-context.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { readCaseInput } from './case-input.js';
import { requireText } from './case-options.js';
import type { OptionsOf } from './options.js';
import type { WRITEOFF_OPTIONS } from './writeoff-options.js';

/** Records the write-off of an invoice's open amount. */
export async function runWriteoff(ref: string, opts: OptionsOf<typeof WRITEOFF_OPTIONS>, ctx: Context): Promise<void> {
  const reason = requireText(opts.reason, '--reason');
  const { flags, inputs, journal } = await readCaseInput(opts, ctx);
  try {
    const item = findInvoice(inputs, ref);
    if (loadCaseFile(journal).writeoffs.some((w) => w.ref === ref)) throw new UsageError(`la facture « ${ref} » est déjà passée en perte.`, `relance client ${item.clientCode} montre son historique.`);
    addWriteoff(journal, { ref, clientCode: item.clientCode, reason, amountCents: item.openCents, writtenOn: flags.asOf }, ctx.now());
    ctx.stdout.write(`${ref} (${item.clientCode} ${item.clientName}) passée en perte pour ${formatEuros(item.openCents)} : ${reason}. Elle sort des relances.\n`);
  } finally {
    journal.close();
  }
}
