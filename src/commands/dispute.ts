/**
 * relance dispute REF --reason "…" : la facture contestée sort des relances (les
 * autres factures du client non) et du taux de recouvrement. relance dispute REF
 * --close [--credit-note] : le litige est clos, la facture revient (ou l'avoir la solde).
 */
import { formatDateFr } from '../core/dates.js';
import { closeDispute, openDispute, openDisputeOf } from '../journal/cases.js';
import { findInvoice } from '../journal/case-context.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { openCaseInput, textOption, type CaseOptions } from './case-input.js';

export interface DisputeOptions extends CaseOptions {
  reason?: string;
  close?: boolean;
  creditNote?: boolean;
}

/** Opens or closes the dispute of an invoice. */
export async function runDispute(ref: string, opts: DisputeOptions, ctx: Context): Promise<void> {
  if (opts.close && opts.reason !== undefined) throw new UsageError(`--close et --reason ne vont pas ensemble.`, `ouvrez un litige avec --reason, fermez-le avec --close.`);
  if (!opts.close && opts.creditNote) throw new UsageError(`--credit-note ne s'emploie qu'avec --close.`, `relance dispute ${ref} --close --credit-note`);
  const reason = opts.close ? '' : textOption(opts.reason, '--reason');
  const { flags, inputs, journal } = await openCaseInput(opts, ctx);
  try {
    const existing = openDisputeOf(journal, ref);
    if (opts.close) {
      if (!existing) throw new UsageError(`aucun litige ouvert sur la facture « ${ref} ».`, `relance client <code> liste les litiges du client.`);
      closeDispute(journal, existing.id, flags.asOf, opts.creditNote ?? false);
      ctx.stdout.write(
        `Litige clos sur ${ref} le ${formatDateFr(flags.asOf)}${opts.creditNote ? ' par un avoir : la facture sortira des relances quand l\'avoir sera lettré' : ' : la facture revient dans les relances'}.\n`,
      );
      return;
    }
    const item = findInvoice(inputs, ref);
    if (existing) throw new UsageError(`la facture « ${ref} » est déjà en litige depuis le ${formatDateFr(existing.openedOn)} (${existing.reason}).`, `fermez ce litige avec --close avant d'en ouvrir un autre.`);
    openDispute(journal, { ref, clientCode: item.clientCode, reason, openedOn: flags.asOf }, ctx.now());
    ctx.stdout.write(`Litige ouvert sur ${ref} (${item.clientCode} ${item.clientName}) : ${reason}. La facture sort des relances ; les autres factures du client restent suivies.\n`);
  } finally {
    journal.close();
  }
}
