/**
 * relance echeancier CLIENT --invoices REF,… --installments N --first AAAA-MM-JJ
 * [--every 1m] [--down-payment X] [--mode virement] [--out FICHIER] : un échéancier.
 * Écrit la lettre de confirmation ; tant que les échéances sont payées, les factures
 * sortent des relances et chaque échéance est rappelée quelques jours avant.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { addDays, endOfMonth, formatDateFr, type CalendarDate } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import { addPaymentPlan } from '../journal/cases.js';
import { findClient, findInvoice } from '../journal/case-context.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { renderPaymentPlan } from '../render/letters.js';
import { amountOption, dateOption, openCaseInput, refsOption, type CaseOptions } from './case-input.js';

export interface EcheancierOptions extends CaseOptions {
  invoices?: string;
  installments?: string;
  first?: string;
  every?: string;
  downPayment?: string;
  mode?: string;
  out?: string;
}

/** Records the plan and writes its confirmation letter; returns the letter's path. */
export async function runEcheancier(client: string, opts: EcheancierOptions, ctx: Context): Promise<string> {
  const refs = refsOption(opts.invoices);
  if (refs.length === 0) throw new UsageError(`--invoices est obligatoire.`, `donnez les factures de l'échéancier, par exemple --invoices FA2026-0030,FA2026-0033.`);
  const count = Number(opts.installments);
  if (!Number.isInteger(count) || count < 1 || count > 60) throw new UsageError(`nombre d'échéances invalide pour --installments : « ${opts.installments ?? ''} ».`, `donnez un entier de 1 à 60, par exemple --installments 3.`);
  const first = dateOption(opts.first, '--first');
  const step = parseEvery(opts.every ?? '1m');
  const down = amountOption(opts.downPayment, '--down-payment') ?? 0;
  const { flags, inputs, journal, config } = await openCaseInput(opts, ctx);
  try {
    const name = findClient(inputs, client);
    const items = refs.map((ref) => {
      const item = findInvoice(inputs, ref);
      if (item.clientCode !== client) throw new UsageError(`la facture « ${ref} » est celle du client ${item.clientCode}, pas de ${client}.`, `vérifiez le code client ou les numéros de facture.`);
      return item;
    });
    const total = items.reduce((s, i) => s + i.openCents, 0);
    if (down >= total) throw new UsageError(`l'acompte (${formatEuros(down)}) couvre toute la dette (${formatEuros(total)}) : pas besoin d'échéancier.`, `enregistrez plutôt une promesse : relance promise ${client} --date …`);
    if (first < flags.asOf) throw new UsageError(`la première échéance (${formatDateFr(first)}) est passée.`, `donnez une date à venir pour --first.`);
    const each = Math.floor((total - down) / count);
    const instalments = Array.from({ length: count }, (_, k) => ({
      number: k + 1,
      dueOn: step(first, k),
      amountCents: k === count - 1 ? total - down - each * (count - 1) : each,
    }));
    const mode = opts.mode ?? 'virement';
    const letter = renderPaymentPlan({
      asOf: flags.asOf, company: config.company, client: inputs.clients.find((c) => c.clientCode === client) ?? null, clientCode: client, clientName: name,
      invoices: items.map((i) => ({ ref: i.ref, docDate: i.docDate, dueDate: i.dueDate, openCents: i.openCents })), downPaymentCents: down, instalments: instalments.map((i) => ({ number: i.number, date: i.dueOn, amountCents: i.amountCents })), mode,
      templatesDir: config.templatesDir ?? null, cwd: ctx.cwd,
    });
    addPaymentPlan(journal, { clientCode: client, refs, totalCents: total, downPaymentCents: down, mode, createdOn: flags.asOf, instalments }, ctx.now());
    const out = resolve(ctx.cwd, opts.out ?? `echeancier-${client}-${flags.asOf}.html`);
    writeFileSync(out, letter.letterHtml ?? letter.html);
    ctx.stdout.write(
      `Échéancier enregistré pour ${client} ${name} : ${formatEuros(total)}${down ? `, acompte ${formatEuros(down)}` : ''}, ${count} échéance${count > 1 ? 's' : ''} (${instalments.map((i) => `${formatDateFr(i.dueOn)} ${formatEuros(i.amountCents)}`).join(' ; ')}).\nLettre de confirmation : ${opts.out ?? `echeancier-${client}-${flags.asOf}.html`}\n`,
    );
    return out;
  } finally {
    journal.close();
  }
}

/** `1m` (months, same day, clamped to the month's end), `2w` (weeks), `15j`/`15d` (days). */
function parseEvery(text: string): (first: CalendarDate, k: number) => CalendarDate {
  const m = /^(\d+)\s*(m|mois|w|s|sem|j|d)$/i.exec(text.trim());
  if (!m || Number(m[1]) < 1) throw new UsageError(`périodicité invalide pour --every : « ${text} ».`, `écrivez 1m (mensuel), 2w (toutes les deux semaines) ou 15j (tous les 15 jours).`);
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  if (unit === 'm' || unit === 'mois') {
    return (first, k) => {
      const y = +first.slice(0, 4);
      const mo = +first.slice(5, 7) - 1 + n * k;
      const target = `${y + Math.floor(mo / 12)}-${String((mo % 12) + 1).padStart(2, '0')}-01`;
      const day = +first.slice(8, 10);
      const last = endOfMonth(target);
      return +last.slice(8, 10) < day ? last : `${target.slice(0, 8)}${first.slice(8, 10)}`;
    };
  }
  const days = unit === 'j' || unit === 'd' ? n : 7 * n;
  return (first, k) => addDays(first, days * k);
}
