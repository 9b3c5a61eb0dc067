/**
 * relance echeancier CLIENT --invoices REF,… --installments N --first AAAA-MM-JJ
 * [--every 1m] [--down-payment X] [--mode virement] [--out FICHIER] : un échéancier.
 * Écrit la lettre de confirmation ; tant que les échéances sont payées, les factures
 * sortent des relances et chaque échéance est rappelée quelques jours avant.
 * Un seul échéancier respecté par client : un second est refusé, sauf --replace
 * (l'ancien reste au journal, marqué remplacé). relance echeancier CLIENT --cancel
 * --reason "…" l'annule : ses factures reviennent dans les relances dès --as-of.
 * --signe AAAA-MM-JJ : la date à laquelle le débiteur a signé l'échéancier, avec les
 * autres options ou seule (pour l'échéancier en cours) : c'est une reconnaissance de
 * dette, la prescription de ses factures repart de cette date (art. 2240 du Code civil).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluateCases, type PaymentPlanRecord } from '../core/cases.js';
import { addDays, endOfMonth, formatDateFr, type CalendarDate } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import { addPaymentPlan, cancelRecord, loadCaseFile, signPaymentPlan } from '../journal/cases.js';
import { acknowledgementsOf, barDateOf, prescriptionStateOf } from '../core/prescription.js';
import { correctionOf, findClient, findInvoice } from '../journal/case-context.js';
import type { Journal } from '../journal/journal.js';
import type { Inputs } from '../read/inputs.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { renderPaymentPlan } from '../render/letters.js';
import { readCaseInput } from './case-input.js';
import { refsOf, requireDate, requireText } from './case-options.js';
import { installmentsRefused, type ECHEANCIER_OPTIONS } from './echeancier-options.js';
import type { OptionsOf } from './options.js';

type EcheancierOptions = OptionsOf<typeof ECHEANCIER_OPTIONS>;

/** What the command did: the letter written (null on --cancel), the plans it replaced or cancelled, the plan it recorded as signed. */
export interface EcheancierResult {
  letter: string | null;
  replaced: number[];
  cancelled: number[];
  signed?: { planId: number; signedOn: CalendarDate; bars: { ref: string; barOn: CalendarDate; article: string }[] };
}

/** Records the plan and writes its confirmation letter, or replaces or cancels the client's plan. */
export async function runEcheancier(client: string, opts: EcheancierOptions, ctx: Context): Promise<EcheancierResult> {
  // commander fills in the defaults of --every and --mode: only an explicit value is a conflict.
  const kind = correctionOf(
    opts,
    { '--invoices': opts.invoices, '--installments': opts.installments, '--first': opts.first, '--down-payment': opts.downPayment ?? undefined, '--out': opts.out, '--signe': opts.signe },
    `relance echeancier ${client}`,
  );
  if (kind === 'record' && opts.reason !== undefined) {
    throw new UsageError(`--reason ne s'emploie qu'avec --cancel ou --replace.`, `relance echeancier ${client} --cancel --reason "…" annule l'échéancier en cours.`);
  }
  if (kind === 'cancel') return cancelPlan(client, requireText(opts.reason, '--reason'), opts, ctx);
  const signedOn = opts.signe ?? null;
  if (signedOn !== null && kind === 'record' && opts.invoices === undefined && opts.installments === undefined && opts.first === undefined) {
    return signPlan(client, signedOn, opts, ctx);
  }
  const refs = refsOf(opts.invoices);
  if (refs.length === 0) throw new UsageError(`--invoices est obligatoire.`, `donnez les factures de l'échéancier, par exemple --invoices FA2026-0030,FA2026-0033.`);
  const count = opts.installments;
  if (count === undefined) throw installmentsRefused(undefined);
  const first = requireDate(opts.first, '--first');
  const step = parseEvery(opts.every ?? '1m');
  const down = opts.downPayment ?? 0;
  const { flags, inputs, journal, config } = await readCaseInput(opts, ctx);
  try {
    const name = findClient(inputs, client);
    if (signedOn !== null) signatureNotAfter(signedOn, flags.asOf);
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
    // A barred claim is never asked for by a letter (L110-4, L218-2): a person decides, outside relance.
    barredRefused(items, inputs, journal, flags.asOf);
    const total = items.reduce((s, i) => s + i.openCents, 0);
    if (down >= total) throw new UsageError(`l'acompte (${formatEuros(down)}) couvre toute la dette (${formatEuros(total)}) : pas besoin d'échéancier.`, `enregistrez plutôt une promesse : relance promise ${client} --date …`);
    if (first < flags.asOf) throw new UsageError(`la première échéance (${formatDateFr(first)}) est passée.`, `donnez une date à venir pour --first.`);
    const each = Math.floor((total - down) / count);
    const instalments = Array.from({ length: count }, (_, k) => ({
      number: k + 1,
      dueOn: step(first, k),
      amountCents: k === count - 1 ? total - down - each * (count - 1) : each,
    }));
    const { mode } = opts;
    const letter = renderPaymentPlan({
      asOf: flags.asOf, company: config.company, client: inputs.clients.find((c) => c.clientCode === client) ?? null, clientCode: client, clientName: name,
      invoices: items.map((i) => ({ ref: i.ref, docDate: i.docDate, dueDate: i.dueDate, openCents: i.openCents })), downPaymentCents: down, instalments: instalments.map((i) => ({ number: i.number, date: i.dueOn, amountCents: i.amountCents })), mode,
      penaltyPolicy: config.echeancier.penalties, noticeDays: config.echeancier.noticeDays, paymentUrl: config.paymentUrl ?? null,
      templatesDir: config.templatesDir ?? null, cwd: ctx.cwd,
    });
    const planId = addPaymentPlan(journal, { clientCode: client, refs, totalCents: total, downPaymentCents: down, mode, createdOn: flags.asOf, instalments, signedOn }, ctx.now(), active.map((p) => p.id), opts.reason?.trim() || null);
    const out = resolve(ctx.cwd, opts.out ?? `echeancier-${client}-${flags.asOf}.html`);
    writeFileSync(out, letter.letterHtml ?? letter.html);
    ctx.stdout.write(
      `Échéancier enregistré pour ${client} ${name} : ${formatEuros(total)}${down ? `, acompte ${formatEuros(down)}` : ''}, ${count} échéance${count > 1 ? 's' : ''} (${instalments.map((i) => `${formatDateFr(i.dueOn)} ${formatEuros(i.amountCents)}`).join(' ; ')}).\nLettre de confirmation : ${opts.out ?? `echeancier-${client}-${flags.asOf}.html`}\n`,
    );
    if (active.length > 0) ctx.stdout.write(`Il remplace l'échéancier enregistré ${active.map(describePlan).join(' ; ')} (gardé au journal, marqué remplacé).\n`);
    const signed = signedOn === null ? undefined : signatureOf(planId, signedOn, refs, inputs, journal, flags.asOf);
    if (signed) ctx.stdout.write(signatureLine(signed));
    return { letter: out, replaced: active.map((p) => p.id), cancelled: [], ...(signed ? { signed } : {}) };
  } finally {
    journal.close();
  }
}

/** Ends the client's plan being honoured from --as-of: its invoices are chased again. */
async function cancelPlan(client: string, reason: string, opts: EcheancierOptions, ctx: Context): Promise<EcheancierResult> {
  const { flags, inputs, journal, config } = await readCaseInput(opts, ctx);
  try {
    const name = findClient(inputs, client);
    const active = activePlansOf(client, journal, inputs, flags.asOf, config.promiseGraceDays);
    if (active.length === 0) throw new UsageError(`aucun échéancier en cours pour ${client} au ${formatDateFr(flags.asOf)}.`, `relance client ${client} liste ses échéanciers et leur état.`);
    journal.transaction(() => {
      for (const p of active) cancelRecord(journal, 'payment_plans', p.id, flags.asOf, reason);
    });
    const refs = [...new Set(active.flatMap((p) => p.refs))];
    ctx.stdout.write(`Échéancier de ${client} ${name} annulé le ${formatDateFr(flags.asOf)} (enregistré ${active.map(describePlan).join(' ; ')}) : ${reason}. ${refs.join(', ')} reviennent dans les relances.\n`);
    return { letter: null, replaced: [], cancelled: active.map((p) => p.id) };
  } finally {
    journal.close();
  }
}

/**
 * Records the signature of the client's plan in progress (`--signe` alone): the debtor
 * acknowledged the debt, the prescription of its invoices restarts from that day (Code
 * civil art. 2240 and 2231).
 */
async function signPlan(client: string, signedOn: CalendarDate, opts: EcheancierOptions, ctx: Context): Promise<EcheancierResult> {
  const { flags, inputs, journal, config } = await readCaseInput(opts, ctx);
  try {
    const name = findClient(inputs, client);
    signatureNotAfter(signedOn, flags.asOf);
    const active = activePlansOf(client, journal, inputs, flags.asOf, config.promiseGraceDays);
    if (active.length === 0) {
      throw new UsageError(
        `aucun échéancier en cours pour ${client} au ${formatDateFr(flags.asOf)} : rien à signer.`,
        `enregistrez l'échéancier avec sa date de signature : relance echeancier ${client} --invoices … --installments … --first … --signe ${signedOn}.`,
      );
    }
    const plan = active[active.length - 1]!;
    if (plan.signedOn != null) {
      throw new UsageError(
        `l'échéancier de ${client} enregistré ${describePlan(plan)} est déjà signé, le ${formatDateFr(plan.signedOn)}.`,
        `une date de signature ne se corrige pas : --replace enregistre un nouvel échéancier, avec --signe.`,
      );
    }
    signPaymentPlan(journal, plan.id, signedOn);
    const signed = signatureOf(plan.id, signedOn, plan.refs, inputs, journal, flags.asOf);
    ctx.stdout.write(`Échéancier de ${client} ${name} enregistré ${describePlan(plan)} : signé le ${formatDateFr(signedOn)}.\n${signatureLine(signed)}`);
    return { letter: null, replaced: [], cancelled: [], signed };
  } finally {
    journal.close();
  }
}

function barredRefused(items: { ref: string; clientCode: string; docDate: CalendarDate | null; dueDate: CalendarDate | null }[], inputs: Inputs, journal: Journal, asOf: CalendarDate): void {
  const acks = acknowledgementsOf(loadCaseFile(journal).plans, asOf);
  for (const item of items) {
    const consumer = inputs.clients.find((c) => c.clientCode === item.clientCode)?.consumer ?? false;
    const bar = barDateOf(item, consumer, acks.get(item.ref));
    if (bar && prescriptionStateOf(bar, asOf) === 'prescrite') {
      throw new UsageError(
        `la facture « ${item.ref} » est prescrite depuis le ${formatDateFr(bar.barOn)} (${bar.rule.citation}) : relance n'écrit pas de lettre qui la réclame.`,
        `retirez-la de --invoices ; une personne décide de la suite (demande amiable, ou passage en perte avec relance writeoff).`,
      );
    }
  }
}

function signatureNotAfter(signedOn: CalendarDate, asOf: CalendarDate): void {
  if (signedOn > asOf) {
    throw new UsageError(`la date de signature (${formatDateFr(signedOn)}) est après la date d'arrêté (${formatDateFr(asOf)}).`, `enregistrez la signature une fois faite, à sa date : --signe AAAA-MM-JJ.`);
  }
}

// The bar dates of the plan's invoices once its signature is recorded (read back from the journal).
function signatureOf(planId: number, signedOn: CalendarDate, refs: string[], inputs: Inputs, journal: Journal, asOf: CalendarDate): NonNullable<EcheancierResult['signed']> {
  const acks = acknowledgementsOf(loadCaseFile(journal).plans, asOf);
  const consumers = new Set(inputs.clients.filter((c) => c.consumer).map((c) => c.clientCode));
  const bars = refs.flatMap((ref) => {
    const item = inputs.openItems.find((i) => i.ref === ref);
    const bar = item ? barDateOf(item, consumers.has(item.clientCode), acks.get(ref)) : null;
    return bar ? [{ ref, barOn: bar.barOn, article: bar.rule.article }] : [];
  });
  return { planId, signedOn, bars };
}

function signatureLine(s: NonNullable<EcheancierResult['signed']>): string {
  const bars = s.bars.map((b) => `${b.ref} prescrite le ${formatDateFr(b.barOn)}`).join(', ');
  return `Reconnaissance de dette (art. 2240 du Code civil) : la prescription repart du ${formatDateFr(s.signedOn)}${bars ? ` (${bars})` : ''}.\n`;
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
