/**
 * relance promise CLIENT --date AAAA-MM-JJ [--invoices REF,…] [--amount X] : une
 * promesse de paiement. Les relances de ces factures (toutes celles du client sans
 * --invoices) s'arrêtent jusqu'à la date plus le délai de grâce ; tenue quand les
 * factures quittent les exports, rompue sinon : les relances reprennent, la promesse
 * non tenue est mentionnée et compte dans le profil du payeur.
 */
import { addDays, formatDateFr } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import { addPromise } from '../journal/cases.js';
import { findClient, findInvoice } from '../journal/case-context.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { amountOption, dateOption, openCaseInput, refsOption, type CaseOptions } from './case-input.js';

export interface PromiseOptions extends CaseOptions {
  date?: string;
  invoices?: string;
  amount?: string;
}

/** Records the promise; returns its id. */
export async function runPromise(client: string, opts: PromiseOptions, ctx: Context): Promise<number> {
  const promisedOn = dateOption(opts.date, '--date');
  const amount = amountOption(opts.amount, '--amount');
  const { flags, inputs, journal, config } = await openCaseInput(opts, ctx);
  try {
    const name = findClient(inputs, client);
    const refs = refsOption(opts.invoices);
    for (const ref of refs) {
      const item = findInvoice(inputs, ref);
      if (item.clientCode !== client) throw new UsageError(`la facture « ${ref} » est celle du client ${item.clientCode}, pas de ${client}.`, `vérifiez le code client ou les numéros de facture.`);
    }
    if (promisedOn < flags.asOf) throw new UsageError(`la date promise (${formatDateFr(promisedOn)}) est passée.`, `une promesse se note pour une date à venir.`);
    const id = addPromise(journal, { clientCode: client, refs, promisedOn, amountCents: amount, createdOn: flags.asOf }, ctx.now());
    ctx.stdout.write(
      `Promesse notée : ${client} ${name} paiera ${refs.length ? refs.join(', ') : 'toutes ses factures'}${amount !== null ? ` (${formatEuros(amount)})` : ''} le ${formatDateFr(promisedOn)} ; relances suspendues jusqu'au ${formatDateFr(addDays(promisedOn, config.promiseGraceDays))}.\n`,
    );
    return id;
  } finally {
    journal.close();
  }
}
