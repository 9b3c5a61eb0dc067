/**
 * relance echeancier CLIENT --invoices REF,… --installments N --first AAAA-MM-JJ
 * [--every 1m] [--down-payment X] [--mode virement] [--out FICHIER] : un échéancier.
 * Écrit la lettre de confirmation ; tant que les échéances sont payées, les factures
 * sortent des relances et chaque échéance est rappelée quelques jours avant.
 * Un seul échéancier respecté par client : un second est refusé, sauf --replace
 * (l'ancien reste au journal, marqué remplacé). relance echeancier CLIENT --cancel
 * --reason "…" l'annule : ses factures reviennent dans les relances dès --as-of.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluateCases, type PaymentPlanRecord } from '../core/cases.js';
import { addDays, endOfMonth, formatDateFr, type CalendarDate } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import { addPaymentPlan, cancelRecord, loadCaseFile } from '../journal/cases.js';
import { correctionOf, findClient, findInvoice } from '../journal/case-context.js';
import type { Journal } from '../journal/journal.js';
import type { Inputs } from '../read/inputs.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { renderPaymentPlan } from '../render/letters.js';
import { amountOption, dateOption, openCaseInput, refsOption, textOption, type CaseOptions } from './case-input.js';

export interface EcheancierOptions extends CaseOptions {
  invoices?: string;
  installments?: string;
  first?: string;
  every?: string;
  downPayment?: string;
  mode?: string;
  out?: string;
  replace?: boolean;
  cancel?: boolean;
  reason?: string;
}

/** What the command did: the letter written (null on --cancel), the plans it replaced or cancelled. */
export interface EcheancierResult {
  letter: string | null;
  replaced: number[];
  cancelled: number[];
}

/** Records the plan and writes its confirmation letter, or replaces or cancels the client's plan. */
export async function runEcheancier(client: string, opts: EcheancierOptions, ctx: Context): Promise<EcheancierResult> {
  // commander fills in the defaults of --every and --mode: only an explicit value is a conflict.
  const kind = correctionOf(
    opts,
    { '--invoices': opts.invoices, '--installments': opts.installments, '--first': opts.first, '--down-payment': opts.downPayment, '--out': opts.out },
    `relance echeancier ${client}`,
  );
  if (kind === 'record' && opts.reason !== undefined) {
    throw new UsageError(`--reason ne s'emploie qu'avec --cancel ou --replace.`, `relance echeancier ${client} --cancel --reason "…" annule l'échéancier en cours.`);
  }
  if (kind === 'cancel') return cancelPlan(client, textOption(opts.reason, '--reason'), opts, ctx);
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
    const active = activePlansOf(client, journal, inputs, flags.asOf, config.promiseGraceDays);
    if (active.length > 0 && kind !== 'replace') {
      throw new UsageError(
        `un échéancier de ${client} est déjà enregistré ${active.map(describePlan).join(' ; ')}, respecté à ce jour.`,
        `--replace le remplace (l'ancien reste au journal, marqué remplacé) ; --cancel --reason "…" l'annule.`,
      );
    }
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
    addPaymentPlan(journal, { clientCode: client, refs, totalCents: total, downPaymentCents: down, mode, createdOn: flags.asOf, instalments }, ctx.now(), active.map((p) => p.id), opts.reason?.trim() || null);
    const out = resolve(ctx.cwd, opts.out ?? `echeancier-${client}-${flags.asOf}.html`);
    writeFileSync(out, letter.letterHtml ?? letter.html);
    ctx.stdout.write(
      `Échéancier enregistré pour ${client} ${name} : ${formatEuros(total)}${down ? `, acompte ${formatEuros(down)}` : ''}, ${count} échéance${count > 1 ? 's' : ''} (${instalments.map((i) => `${formatDateFr(i.dueOn)} ${formatEuros(i.amountCents)}`).join(' ; ')}).\nLettre de confirmation : ${opts.out ?? `echeancier-${client}-${flags.asOf}.html`}\n`,
    );
    if (active.length > 0) ctx.stdout.write(`Il remplace l'échéancier enregistré ${active.map(describePlan).join(' ; ')} (gardé au journal, marqué remplacé).\n`);
    return { letter: out, replaced: active.map((p) => p.id), cancelled: [] };
  } finally {
    journal.close();
  }
}

/** Ends the client's plan being honoured from --as-of: its invoices are chased again. */
async function cancelPlan(client: string, reason: string, opts: EcheancierOptions, ctx: Context): Promise<EcheancierResult> {
  const { flags, inputs, journal, config } = await openCaseInput(opts, ctx);
  try {
    const name = findClient(inputs, client);
    const active = activePlansOf(client, journal, inputs, flags.asOf, config.promiseGraceDays);
    if (active.length === 0) throw new UsageError(`aucun échéancier en cours pour ${client} au ${formatDateFr(flags.asOf)}.`, `relance client ${client} liste ses échéanciers et leur état.`);
    journal.db.transaction(() => {
      for (const p of active) cancelRecord(journal, 'payment_plans', p.id, flags.asOf, reason);
    })();
    const refs = [...new Set(active.flatMap((p) => p.refs))];
    ctx.stdout.write(`Échéancier de ${client} ${name} annulé le ${formatDateFr(flags.asOf)} (enregistré ${active.map(describePlan).join(' ; ')}) : ${reason}. ${refs.join(', ')} reviennent dans les relances.\n`);
    return { letter: null, replaced: [], cancelled: active.map((p) => p.id) };
  } finally {
    journal.close();
  }
}

// A client's plans still running at the date (honoured, not settled, broken or cancelled).
function activePlansOf(client: string, journal: Journal, inputs: Inputs, asOf: CalendarDate, graceDays: number): PaymentPlanRecord[] {
  return evaluateCases(loadCaseFile(journal), inputs.openItems, asOf, graceDays)
    .plans.filter((p) => p.record.clientCode === client && p.status === 'en_cours')
    .map((p) => p.record);
}

const describePlan = (p: PaymentPlanRecord) =>
  `le ${formatDateFr(p.createdOn)} (${p.refs.join(', ')}, ${formatEuros(p.totalCents)}, ${p.instalments.length} échéance${p.instalments.length > 1 ? 's' : ''})`;

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
