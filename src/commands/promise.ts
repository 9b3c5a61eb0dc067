/**
 * relance promise CLIENT --date AAAA-MM-JJ [--invoices REF,…] [--amount X] [--replace] :
 * une promesse de paiement. Les relances de ces factures (toutes celles du client sans
 * --invoices) s'arrêtent jusqu'à la date plus le délai de grâce ; tenue quand les
 * factures quittent les exports, rompue sinon : les relances reprennent, la promesse
 * non tenue est mentionnée et compte dans le profil du payeur.
 * Une seule promesse en cours par client : une seconde est refusée, sauf --replace
 * (l'ancienne reste au journal, marquée remplacée). relance promise CLIENT --cancel
 * --reason "…" annule la promesse en cours : les relances reprennent dès --as-of.
 * Une promesse ne peut dépasser ce que le client doit (après imputation de ses
 * règlements et avoirs non imputés).
 */
import { evaluateCases } from '../core/cases.js';
import { addDays, formatDateFr } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import { addPromise, cancelRecord, loadCaseFile } from '../journal/cases.js';
import { correctionOf, findClient, findInvoice, owedBy } from '../journal/case-context.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { readCaseInput } from './case-input.js';
import { refsOf, requireDate, requireText } from './case-options.js';
import type { OptionsOf } from './options.js';
import type { PROMISE_OPTIONS } from './promise-options.js';

/** What the command did: the promise recorded (null on --cancel), the promises it replaced or cancelled. */
export interface PromiseResult {
  id: number | null;
  replaced: number[];
  cancelled: number[];
}

/** Records, replaces or cancels the client's promise. */
export async function runPromise(client: string, opts: OptionsOf<typeof PROMISE_OPTIONS>, ctx: Context): Promise<PromiseResult> {
  const kind = correctionOf(opts, { '--date': opts.date, '--invoices': opts.invoices, '--amount': opts.amount ?? undefined }, `relance promise ${client}`);
  if (kind === 'record' && opts.reason !== undefined) {
    throw new UsageError(`--reason ne s'emploie qu'avec --cancel ou --replace.`, `relance promise ${client} --cancel --reason "…" annule la promesse en cours.`);
  }
  const cancelReason = kind === 'cancel' ? requireText(opts.reason, '--reason') : null;
  const promisedOn = kind === 'cancel' ? null : requireDate(opts.date, '--date');
  const amount = opts.amount;
  const { flags, inputs, journal, config } = await readCaseInput(opts, ctx);
  try {
    const name = findClient(inputs, client);
    const pending = evaluateCases(loadCaseFile(journal), inputs.openItems, flags.asOf, config.promiseGraceDays)
      .promises.filter((p) => p.record.clientCode === client && p.status === 'en_cours')
      .map((p) => p.record);
    const described = pending.map(
      (p) => `le ${formatDateFr(p.createdOn)} : paiement de ${p.refs.length ? p.refs.join(', ') : 'toutes ses factures'}${p.amountCents !== null ? ` (${formatEuros(p.amountCents)})` : ''} pour le ${formatDateFr(p.promisedOn)}`,
    );

    if (kind === 'cancel') {
      if (pending.length === 0) throw new UsageError(`aucune promesse de paiement en cours pour ${client} au ${formatDateFr(flags.asOf)}.`, `relance client ${client} liste ses promesses et leur issue.`);
      journal.transaction(() => {
        for (const p of pending) cancelRecord(journal, 'promises', p.id, flags.asOf, cancelReason!);
      });
      ctx.stdout.write(`Promesse de ${client} ${name} annulée le ${formatDateFr(flags.asOf)} (enregistrée ${described.join(' ; ')}) : ${cancelReason}. Les relances reprennent.\n`);
      return { id: null, replaced: [], cancelled: pending.map((p) => p.id) };
    }

    if (pending.length > 0 && kind !== 'replace') {
      throw new UsageError(
        `une promesse de paiement de ${client} est déjà enregistrée ${described.join(' ; ')}, en cours.`,
        `--replace la remplace (l'ancienne reste au journal, marquée remplacée) ; --cancel --reason "…" l'annule.`,
      );
    }
    const refs = refsOf(opts.invoices);
    for (const ref of refs) {
      const item = findInvoice(inputs, ref);
      if (item.clientCode !== client) throw new UsageError(`la facture « ${ref} » est celle du client ${item.clientCode}, pas de ${client}.`, `vérifiez le code client ou les numéros de facture.`);
    }
    if (promisedOn! < flags.asOf) throw new UsageError(`la date promise (${formatDateFr(promisedOn!)}) est passée.`, `une promesse se note pour une date à venir.`);
    if (amount !== null) {
      const owed = owedBy(inputs, client, refs);
      if (amount > owed.owedCents) {
        const after = owed.unappliedCents > 0 ? `, après imputation de ${formatEuros(owed.unappliedCents)} de règlements et avoirs non imputés` : '';
        throw new UsageError(
          refs.length
            ? `le montant promis (${formatEuros(amount)}) dépasse ce que ${client} doit encore sur ${refs.join(', ')} : ${formatEuros(owed.owedCents)}${after} (solde du client : ${formatEuros(owed.balanceCents)}).`
            : `le montant promis (${formatEuros(amount)}) dépasse le solde de ${client} : ${formatEuros(owed.owedCents)}${after}.`,
          `notez au plus ${formatEuros(owed.owedCents)}, ou vérifiez les exports donnés (--balance, --fec).`,
        );
      }
    }
    const id = addPromise(journal, { clientCode: client, refs, promisedOn: promisedOn!, amountCents: amount, createdOn: flags.asOf }, ctx.now(), pending.map((p) => p.id), opts.reason?.trim() || null);
    ctx.stdout.write(
      `Promesse notée : ${client} ${name} paiera ${refs.length ? refs.join(', ') : 'toutes ses factures'}${amount !== null ? ` (${formatEuros(amount)})` : ''} le ${formatDateFr(promisedOn!)} ; relances suspendues jusqu'au ${formatDateFr(addDays(promisedOn!, config.promiseGraceDays))}.\n`,
    );
    if (pending.length > 0) ctx.stdout.write(`Elle remplace la promesse enregistrée ${described.join(' ; ')} (gardée au journal, marquée remplacée).\n`);
    return { id, replaced: pending.map((p) => p.id), cancelled: [] };
  } finally {
    journal.close();
  }
}
