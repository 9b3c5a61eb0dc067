/**
 * relance contentieux CLIENT --close --outcome paye|abandon|perte --reason "…" : clôt
 * la dernière remise au contentieux du client (l'action `contentieux` du journal), à la
 * date --as-of, avec son issue et son motif. `perte` passe aussi en perte les factures
 * encore ouvertes du client (reste dû après imputation des règlements et avoirs non
 * imputés), comme relance writeoff. Refusé sans remise au contentieux au journal, ou
 * si la dernière est déjà close ; une nouvelle remise se clôt à son tour.
 */
import { positionOf } from '../core/allocation.js';
import { LITIGATION_OUTCOMES, type LitigationOutcome, type WriteoffRecord } from '../core/cases.js';
import { formatDateFr } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import { closeLitigation, litigationsOf, loadCaseFile } from '../journal/cases.js';
import { findClient } from '../journal/case-context.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { readCaseInput } from './case-input.js';
import { requireText } from './case-options.js';
import type { CONTENTIEUX_OPTIONS } from './contentieux-options.js';
import type { OptionsOf } from './options.js';

/** What the command recorded: the closure, the hand-over it closes, the invoices written off. */
export interface ContentieuxResult {
  closureId: number;
  clientCode: string;
  handedOverOn: string;
  closedOn: string;
  outcome: LitigationOutcome;
  writtenOff: WriteoffRecord[];
}

/** Closes the client's last litigation hand-over. */
export async function runContentieux(client: string, opts: OptionsOf<typeof CONTENTIEUX_OPTIONS>, ctx: Context): Promise<ContentieuxResult> {
  const outcome = opts.outcome!; // required by the declaration's check
  const reason = requireText(opts.reason, '--reason');
  const { flags, inputs, journal } = await readCaseInput(opts, ctx);
  try {
    const litigations = litigationsOf(journal, client);
    const last = litigations.at(-1);
    if (!last) {
      findClient(inputs, client); // an unknown code gets the closest ones
      throw new UsageError(`${client} n'a jamais été remis au contentieux : le journal n'a aucune action « contentieux » pour ce client.`, `relance journal --client ${client} --step contentieux liste ses remises au contentieux.`);
    }
    if (last.closure) {
      throw new UsageError(
        `le contentieux de ${client} remis le ${formatDateFr(last.handedOverOn)} est déjà clos le ${formatDateFr(last.closure.closedOn)} (${LITIGATION_OUTCOMES[last.closure.outcome]} : ${last.closure.reason}).`,
        `relance client ${client} montre son contentieux ; une nouvelle remise au contentieux se clôt à son tour.`,
      );
    }
    if (flags.asOf < last.handedOverOn) {
      throw new UsageError(`--as-of (${formatDateFr(flags.asOf)}) précède la remise au contentieux de ${client}, le ${formatDateFr(last.handedOverOn)}.`, `donnez une date de clôture à partir du ${formatDateFr(last.handedOverOn)}.`);
    }
    const name = inputs.clients.find((c) => c.clientCode === client)?.clientName ?? inputs.openItems.find((i) => i.clientCode === client)?.clientName ?? '';
    const writtenOff: WriteoffRecord[] = [];
    if (outcome === 'perte') {
      const already = new Set(loadCaseFile(journal).writeoffs.map((w) => w.ref));
      const position = positionOf(client, inputs.openItems.filter((i) => i.clientCode === client));
      for (const inv of position.invoices) {
        if (inv.openCents > 0 && !already.has(inv.item.ref)) {
          writtenOff.push({ ref: inv.item.ref, clientCode: client, reason: `contentieux clos en perte : ${reason}`, amountCents: inv.openCents, writtenOn: flags.asOf });
        }
      }
    }
    const closureId = closeLitigation(
      journal,
      { clientCode: client, actionId: last.actionId, handedOverOn: last.handedOverOn, closedOn: flags.asOf, outcome, reason },
      writtenOff,
      ctx.now(),
    );
    ctx.stdout.write(
      `Contentieux de ${client}${name ? ` ${name}` : ''} (remis le ${formatDateFr(last.handedOverOn)} pour ${formatEuros(last.amountCents)}) clos le ${formatDateFr(flags.asOf)} : ${LITIGATION_OUTCOMES[outcome]}, ${reason}.\n`,
    );
    if (writtenOff.length > 0) {
      const total = writtenOff.reduce((s, w) => s + w.amountCents, 0);
      ctx.stdout.write(`Passées en perte pour ${formatEuros(total)} : ${writtenOff.map((w) => `${w.ref} (${formatEuros(w.amountCents)})`).join(', ')}. Elles sortent des relances.\n`);
    } else if (outcome === 'perte') {
      ctx.stdout.write(`Aucune facture ouverte à passer en perte dans les exports lus.\n`);
    }
    return { closureId, clientCode: client, handedOverOn: last.handedOverOn, closedOn: flags.asOf, outcome, writtenOff };
  } finally {
    journal.close();
  }
}
