/**
 * relance dispute REF --reason "…" : la facture contestée sort des relances (les
 * autres factures du client non) et du taux de recouvrement. relance dispute REF
 * --close [--credit-note] : le litige est clos, la facture revient (ou l'avoir la solde).
 * Un seul litige ouvert par facture : un second est refusé, sauf --replace (nouveau
 * motif ; l'ancien litige est clos ce jour-là, marqué remplacé, et reste au journal).
 */
import { formatDateFr } from '../core/dates.js';
import { closeDispute, openDispute, openDisputeOf } from '../journal/cases.js';
import { findInvoice } from '../journal/case-context.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { readCaseInput } from './case-input.js';
import { requireText } from './case-options.js';
import type { DISPUTE_OPTIONS } from './dispute-options.js';
import type { OptionsOf } from './options.js';

/** Opens or closes the dispute of an invoice. */
export async function runDispute(ref: string, opts: OptionsOf<typeof DISPUTE_OPTIONS>, ctx: Context): Promise<void> {
  const reason = opts.close ? '' : requireText(opts.reason, '--reason');
  const { flags, inputs, journal } = await readCaseInput(opts, ctx);
  try {
    const existing = openDisputeOf(journal, ref);
    if (opts.close) {
      if (!existing) throw new UsageError(`aucun litige ouvert sur la facture « ${ref} ».`, `relance client <code> liste les litiges du client.`);
      closeDispute(journal, existing.id, flags.asOf, opts.creditNote);
      ctx.stdout.write(
        `Litige clos sur ${ref} le ${formatDateFr(flags.asOf)}${opts.creditNote ? ' par un avoir : la facture sortira des relances quand l\'avoir sera lettré' : ' : la facture revient dans les relances'}.\n`,
      );
      return;
    }
    const item = findInvoice(inputs, ref);
    if (existing && !opts.replace) {
      throw new UsageError(
        `litige déjà enregistré le ${formatDateFr(existing.openedOn)} sur la facture « ${ref} » : ${existing.reason}.`,
        `--replace --reason "…" en change le motif (l'ancien reste au journal) ; --close le clôt.`,
      );
    }
    if (existing && existing.openedOn > flags.asOf) {
      throw new UsageError(`le litige sur « ${ref} » a été ouvert le ${formatDateFr(existing.openedOn)}, après --as-of (${formatDateFr(flags.asOf)}).`, `donnez une date --as-of au moins égale à l'ouverture du litige.`);
    }
    openDispute(journal, { ref, clientCode: item.clientCode, reason, openedOn: flags.asOf }, ctx.now(), existing ? [existing.id] : []);
    ctx.stdout.write(
      existing
        ? `Litige sur ${ref} (${item.clientCode} ${item.clientName}) : nouveau motif ${reason}, à la place de celui du ${formatDateFr(existing.openedOn)} (${existing.reason}, gardé au journal). La facture reste hors des relances.\n`
        : `Litige ouvert sur ${ref} (${item.clientCode} ${item.clientName}) : ${reason}. La facture sort des relances ; les autres factures du client restent suivies.\n`,
    );
  } finally {
    journal.close();
  }
}
