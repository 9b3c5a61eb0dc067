/**
 * relance writeoff REF --reason "…" : une créance jugée irrécouvrable sort du
 * scénario et compte dans le taux de créances irrécouvrables.
 */
import { formatEuros } from '../core/money.js';
import { addWriteoff, loadCaseFile } from '../journal/cases.js';
import { findInvoice } from '../journal/case-context.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { openCaseInput, textOption, type CaseOptions } from './case-input.js';

export interface WriteoffOptions extends CaseOptions {
  reason?: string;
}

/** Records the write-off of an invoice's open amount. */
export async function runWriteoff(ref: string, opts: WriteoffOptions, ctx: Context): Promise<void> {
  const reason = textOption(opts.reason, '--reason');
  const { flags, inputs, journal } = await openCaseInput(opts, ctx);
  try {
    const item = findInvoice(inputs, ref);
    if (loadCaseFile(journal).writeoffs.some((w) => w.ref === ref)) throw new UsageError(`la facture « ${ref} » est déjà passée en perte.`, `relance client ${item.clientCode} montre son historique.`);
    addWriteoff(journal, { ref, clientCode: item.clientCode, reason, amountCents: item.openCents, writtenOn: flags.asOf }, ctx.now());
    ctx.stdout.write(`${ref} (${item.clientCode} ${item.clientName}) passée en perte pour ${formatEuros(item.openCents)} : ${reason}. Elle sort des relances.\n`);
  } finally {
    journal.close();
  }
}
