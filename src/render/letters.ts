import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Config } from '../config.js';
import { addDays, formatDateFr, type CalendarDate } from '../core/dates.js';
import { COURT_LABELS, courtFor, formatSiren, normaliseLegalForm } from '../core/debtor.js';
import { formatEuros, type Cents } from '../core/money.js';
import {
  mergeMissingRates,
  penaltiesForInvoice,
  percentFr,
  presumedNoticeReceipt,
  RECOVERY_INDEMNITY_CENTS,
  type InvoicePenalties,
  type MissingRate,
  type PenaltyPart,
} from '../core/penalties.js';
import type { PenaltyTables } from '../core/rates.js';
import { ADDRESSEE_ROLES, PROCEDURE_LABELS, type Declaration } from '../core/procedure.js';
import type { PlanAction, PlanInvoice } from '../core/plan.js';
import type { Client } from '../core/records.js';
import { CHANNEL_LABELS, STEP_LABELS, type Channel, type Step } from '../core/scenario.js';
import { RelanceError } from '../errors.js';
import { paymentData, type PaymentData } from './payment.js';

/** A template that cannot be found, compiled or filled: nothing is sent from it. */
export class TemplateError extends RelanceError {}

/** The documents a template produces: step, which template was used, what was computed. */
export type TemplateName = Step | 'echeancier' | 'releve_penalites' | 'declaration_creance' | 'alerte_commercial';

/** What a template yields for one action. */
export interface RenderedMessage {
  step: TemplateName;
  subject: string;
  text: string;
  html: string;
  /** The printable letter (HTML page), or null when the template has no `letter` part. */
  letterHtml: string | null;
  totals: { dueCents: Cents; interestCents: Cents; indemnityCents: Cents; totalCents: Cents };
  /** French notes for the sender (rates missing from the table, a contractual rate below the floor). */
  notes: string[];
  /** Half-years the penalties needed and the rate table lacks (the last known rate stood in). */
  missingRates?: MissingRate[];
  /**
   * True when the rendered parts read a value computed from a rate (an interest amount,
   * a total including it, the calculation's parts or rates, the rate footnotes): such a
   * letter states penalties, and is not sent with a missing rate unless the user chose
   * `penalties.whenRateMissing: lastKnown`. Found from what the template read, not guessed.
   */
  statesPenalties?: boolean;
}

/** A step already taken for the client, for the litigation file. */
export interface HistoryEntry {
  date: CalendarDate;
  step: Step;
  channel: Channel;
  /** A registered letter's number, once its LRAR task is done (relance fait --lrar): evidence of the sending. */
  lrarNumber?: string | null;
}

/** Everything a reminder is written from. */
export interface LetterContext {
  asOf: CalendarDate;
  company: Config['company'];
  /** The client's record from the clients file; null when the client is not in it. */
  client: Client | null;
  action: PlanAction;
  penaltyTables: PenaltyTables;
  /** The rate of the general terms of sale, replacing ECB + 10 points (B2B only). */
  contractualRatePercent?: number | null;
  /** The user's templates folder (config `templatesDir`), relative to cwd; null for the bundled ones. */
  templatesDir: string | null;
  cwd: string;
  /** The reminders already sent to this client (from the journal), for the litigation file. */
  history?: HistoryEntry[];
  /** Config `paymentUrl`: the « Payer en ligne » link, `{{ref}}` standing for the invoice refs. */
  paymentUrl?: string | null;
}

/** One instalment of a payment plan. */
export interface Instalment {
  number: number;
  date: CalendarDate;
  amountCents: Cents;
}

/** Everything a payment-plan confirmation letter is written from. */
export interface PaymentPlanContext {
  asOf: CalendarDate;
  company: Config['company'];
  client: Client | null;
  clientCode: string;
  clientName: string;
  /** The invoices the plan settles. */
  invoices: { ref: string; docDate: CalendarDate | null; dueDate: CalendarDate | null; openCents: Cents }[];
  downPaymentCents: Cents;
  instalments: Instalment[];
  /** How the client pays: « virement », « prélèvement », « chèque »… */
  mode: string;
  /**
   * What becomes of the penalties and indemnities accrued so far (config `echeancier`):
   * waived, suspended while the plan is honoured (the default), or still due; and the
   * days of the formal notice after a missed instalment before the plan lapses.
   */
  penaltyPolicy?: PenaltyPolicy;
  noticeDays?: number;
  /** Config `paymentUrl`: the « Payer en ligne » link, `{{ref}}` standing for the invoice refs. */
  paymentUrl?: string | null;
  templatesDir: string | null;
  cwd: string;
}

/** Days the formal notice gives the client to pay. */
export const NOTICE_DAYS = 8;
/** Ceiling of the simplified small-claims procedure (procédure simplifiée de recouvrement des petites créances). */
export const SMALL_CLAIMS_CEILING_CENTS: Cents = 500_000;
/** Days late beyond which a reminder no longer presumes an oversight (« oubli ») and says how long it has been. */
export const LONG_OVERDUE_DAYS = 30;

const SEGMENT_LABELS = { bon: 'bon payeur', occasionnel: 'retardataire occasionnel', chronique: 'mauvais payeur chronique', nouveau: 'nouveau client' };

/**
 * Writes one action's reminder from its step's template: subject, plain text, HTML
 * e-mail body and, when the template has one, the printable letter. Penalties are
 * computed per invoice as of `asOf`. A variable the template names but the data does
 * not have is an error (TemplateError), so nothing half-filled ever goes out.
 */
export function renderAction(ctx: LetterContext): RenderedMessage {
  refuseOverduePreventive(ctx.action);
  const data = letterData(ctx);
  const { dueCents, interestCents, indemnityCents, totalCents } = data.totals;
  const notes = [...new Set(data.invoices.flatMap((r) => r.penaltyNotes))];
  const read = new Set<string>();
  reads = read;
  let parts;
  try {
    parts = renderTemplate(ctx.action.step, data, ctx.templatesDir, ctx.cwd);
  } finally {
    reads = null;
  }
  // The payment QR code of a B2B formal notice carries the penalties in its amount.
  const statesPenalties = [...read].some((path) => RATE_DEPENDENT.test(path) || (data.payment.includesPenalties && /^payment\.(qr|amountCents)$/.test(path)));
  const missingRates = mergeMissingRates(data.invoices.flatMap((r) => r.missingRates));
  return { step: ctx.action.step, ...parts, totals: { dueCents, interestCents, indemnityCents, totalCents }, notes, missingRates, statesPenalties };
}

/**
 * The data a letter reads when it states penalties: every value computed from a rate
 * (amounts of interest, totals that include them, the calculation's parts and rates,
 * the footnote on a rate). `dueCents`, `overdueCents`… (the principal) are not.
 */
const RATE_DEPENDENT = /(^|\.)(interestCents|penaltiesCents|totalCents|overdueTotalCents|parts|rates|rateNote|footnotes|extrapolated|injunction)(\.|\[|$)/;

/**
 * A courteous « rappel d'échéance » for an invoice already overdue would tell a client
 * in collection that nothing is late (DESIGN §3.3): the plan never makes one, and a
 * plan that did is refused here rather than sent.
 */
function refuseOverduePreventive(action: PlanAction): void {
  if (action.step !== 'preventive') return;
  const late = action.invoices.filter((i) => i.daysOverdue > 0);
  if (late.length === 0) return;
  const first = late[0]!;
  const what = late.length === 1
    ? `la facture ${first.ref} est échue depuis ${first.daysOverdue} jour${first.daysOverdue > 1 ? 's' : ''}`
    : `${late.length} factures sont échues (${late.map((i) => i.ref).join(', ')})`;
  throw new TemplateError(
    `rappel préventif de ${action.clientCode} refusé : ${what} ; un rappel préventif ne porte que sur des factures à échoir.`,
    `une facture échue se relance par le dossier du client (1re relance et suivantes), qui cite les factures à échoir : signalez ce plan comme une anomalie.`,
  );
}

/** What the step templates are filled from (documented in templates/fr/README.md). */
export function letterData(ctx: LetterContext) {
  const { action, client } = ctx;
  const consumer = client?.consumer ?? false;
  const consumerNotice = consumer ? consumerNoticeOf(ctx.history ?? [], ctx.asOf, action.step) : null;
  const rows = action.invoices.map((inv) => {
    // A consumer owes interest only from the notice (Code civil 1231-6), and a notice sent
    // before an invoice fell due cannot have put its payment in demand.
    const after = consumerNotice && consumerNotice.date > inv.dueDate ? consumerNotice.receivedOn : null;
    const terms = { consumer, contractualRatePercent: ctx.contractualRatePercent ?? null, consumerInterestAfter: after };
    return invoiceData(inv, penaltiesForInvoice(inv, terms, ctx.asOf, ctx.penaltyTables));
  });
  const sum = (f: (r: (typeof rows)[number]) => number): Cents => rows.reduce((s, r) => s + f(r), 0);
  const totals = {
    dueCents: sum((r) => r.openCents),
    interestCents: sum((r) => r.interestCents),
    indemnityCents: sum((r) => r.indemnityCents),
    totalCents: 0,
  };
  totals.totalCents = totals.dueCents + totals.interestCents + totals.indemnityCents;
  const overdue = rows.filter((r) => r.overdue);
  const upcoming = rows.filter((r) => !r.overdue);
  // The invoice the case's age is told from: the most days late, the earliest listed on a tie.
  const oldest = overdue.reduce<(typeof rows)[number] | null>((o, r) => (o === null || r.daysOverdue > o.daysOverdue ? r : o), null);
  // The statement of each section: invoices at their booked open amount, less the
  // unapplied credits allocated to them, gives what is asked (DESIGN §2.4).
  const statementOf = (list: typeof rows) => ({
    statementCents: list.reduce((s, r) => s + r.statementCents, 0),
    creditsCents: list.reduce((s, r) => s + r.creditCents, 0),
    dueCents: list.reduce((s, r) => s + r.openCents, 0),
  });
  const all = statementOf(rows);
  const late = statementOf(overdue);
  const soon = statementOf(upcoming);
  // What a formal notice or a court may claim: the overdue invoices and their penalties
  // (invoices not yet due bear none), never the invoices not yet due.
  const claimedCents = late.dueCents + totals.interestCents + totals.indemnityCents;
  const basis = consumer ? 'taux-legal' : ctx.contractualRatePercent != null ? 'taux-contractuel' : 'taux-bce';
  const rates = [...new Set(rows.flatMap((r) => r.parts.map((p) => p.ratePercent)))];

  return {
    ...commonData(ctx.asOf, ctx.company, client, action.clientCode, action.clientName),
    step: action.step,
    stepLabel: STEP_LABELS[action.step],
    channel: action.channel,
    channelLabel: CHANNEL_LABELS[action.channel],
    segment: action.segment,
    segmentLabel: SEGMENT_LABELS[action.segment],
    firm: action.segment === 'chronique',
    warm: action.segment === 'bon',
    salesRep: client?.salesRep || client?.salesRepEmail ? { name: client.salesRep, email: client.salesRepEmail } : null,
    deadline: addDays(ctx.asOf, NOTICE_DAYS),
    noticeDays: NOTICE_DAYS,
    invoices: rows,
    overdueInvoices: overdue,
    upcomingInvoices: upcoming,
    count: rows.length,
    overdueCount: overdue.length,
    upcomingCount: upcoming.length,
    oldestDaysLate: action.oldestDaysLate,
    daysLateMax: action.oldestDaysLate,
    longOverdue: action.oldestDaysLate > LONG_OVERDUE_DAYS,
    longOverdueDays: LONG_OVERDUE_DAYS,
    oldestInvoice: oldest,
    // The case's facts (DESIGN §3.3): 0 and null when the journal records no reminder of this case yet.
    remindersSent: action.case.remindersSent,
    firstReminderDate: action.case.firstReminderOn,
    caseOpenedOn: action.case.openedOn,
    totals: {
      ...totals,
      statementCents: all.statementCents,
      creditsAppliedCents: all.creditsCents,
      overdueStatementCents: late.statementCents,
      overdueCreditsCents: late.creditsCents,
      overdueCents: late.dueCents,
      overdueTotalCents: claimedCents,
      upcomingStatementCents: soon.statementCents,
      upcomingCreditsCents: soon.creditsCents,
      upcomingCents: soon.dueCents,
      penaltiesCents: totals.interestCents + totals.indemnityCents,
    },
    penalties: {
      basis,
      bce: basis === 'taux-bce',
      contractual: basis === 'taux-contractuel',
      legal: basis === 'taux-legal',
      contractualRate: ctx.contractualRatePercent ?? null,
      rates,
      /** Notes the client may read: the rate used for a half-year the table lacks (with `whenRateMissing: lastKnown`). */
      footnotes: [...new Set(rows.map((r) => r.rateNote).filter((n): n is string => n !== null))],
      /** A consumer's formal notice interest runs from (Code civil 1231-6), or null (none sent yet, or this letter is it). */
      consumerNotice: consumerNotice && {
        ...consumerNotice,
        interestFrom: addDays(consumerNotice.receivedOn, 1),
        // Interest is stated only for the invoices the notice put in demand (due before it).
        interestCents: totals.interestCents,
      },
    },
    smallClaims: claimedCents <= SMALL_CLAIMS_CEILING_CENTS,
    smallClaimsCeilingCents: SMALL_CLAIMS_CEILING_CENTS,
    notice: noticeOf(ctx.history ?? [], ctx.asOf),
    historyKnown: ctx.history !== undefined,
    injunction: injunctionData(ctx, overdue.map((r) => r.ref), { principalCents: late.dueCents, interestCents: totals.interestCents, indemnityCents: totals.indemnityCents, claimedCents }, basis),
    history: (ctx.history ?? []).map((h) => ({ ...h, stepLabel: STEP_LABELS[h.step], channelLabel: CHANNEL_LABELS[h.channel] })),
    payment: stepPayment(ctx, consumer, { overdue, upcoming, overdueCents: late.dueCents, upcomingCents: soon.dueCents, claimedCents }),
  };
}

/**
 * What the step's letter asks, for its payment QR code and link (render/payment.ts):
 * the amount after the unapplied credits, and the invoices it pays. A preventive
 * reminder asks what falls due; the reminders ask the overdue invoices (those not yet
 * due are only recalled); a B2B formal notice asks the sum with its penalties
 * (L441-10) and indemnities (D441-5), a consumer's the principal (Code civil 1231-6);
 * the litigation file is internal and carries none.
 */
function stepPayment(
  ctx: LetterContext,
  consumer: boolean,
  s: { overdue: { ref: string }[]; upcoming: { ref: string }[]; overdueCents: Cents; upcomingCents: Cents; claimedCents: Cents },
): PaymentData {
  const settings = { company: ctx.company, paymentUrl: ctx.paymentUrl ?? null };
  const refs = (list: { ref: string }[]) => list.map((r) => r.ref);
  switch (ctx.action.step) {
    case 'preventive':
      return paymentData(settings, s.upcomingCents, refs(s.upcoming));
    case 'mise_en_demeure':
      return consumer ? paymentData(settings, s.overdueCents, refs(s.overdue)) : paymentData(settings, s.claimedCents, refs(s.overdue), true);
    case 'contentieux':
      return paymentData({ company: { name: ctx.company.name } }, 0, []);
    default:
      return paymentData(settings, s.overdueCents, refs(s.overdue));
  }
}

/**
 * Writes the payment-plan confirmation letter (échéancier) from `echeancier.hbs`: the
 * invoices, the down payment, each instalment's date and amount, the payment mode and
 * the clause that a missed instalment makes the whole balance due. The down payment
 * and instalments must add up to the invoices' amount due.
 */
export function renderPaymentPlan(ctx: PaymentPlanContext): RenderedMessage {
  const dueCents = ctx.invoices.reduce((s, i) => s + i.openCents, 0);
  const planCents = ctx.downPaymentCents + ctx.instalments.reduce((s, i) => s + i.amountCents, 0);
  if (planCents !== dueCents) {
    throw new TemplateError(
      `échéancier de ${ctx.clientCode} : l'acompte et les échéances font ${formatEuros(planCents)}, les factures ${formatEuros(dueCents)}.`,
      `ajustez le montant des échéances pour qu'il couvre exactement le reste dû.`,
    );
  }
  const data = paymentPlanData(ctx);
  const parts = renderTemplate('echeancier', data, ctx.templatesDir, ctx.cwd);
  return {
    step: 'echeancier',
    ...parts,
    totals: { dueCents, interestCents: 0, indemnityCents: 0, totalCents: dueCents },
    notes: [],
  };
}

/** What a payment plan does with the penalties already accrued (config `echeancier.penalties`). */
export type PenaltyPolicy = 'abandonnees' | 'suspendues' | 'dues';

/** What `echeancier.hbs` is filled from (documented in templates/fr/README.md). */
export function paymentPlanData(ctx: PaymentPlanContext) {
  const dueCents = ctx.invoices.reduce((s, i) => s + i.openCents, 0);
  const instalments = [...ctx.instalments].sort((a, b) => a.number - b.number);
  const policy = ctx.penaltyPolicy ?? 'suspendues';
  const consumer = ctx.client?.consumer ?? false;
  // D441-5: 40 € per invoice paid late between professionals; a consumer owes none.
  const lateCount = ctx.invoices.filter((i) => i.dueDate !== null && i.dueDate < ctx.asOf).length;
  return {
    ...commonData(ctx.asOf, ctx.company, ctx.client, ctx.clientCode, ctx.clientName),
    step: 'echeancier',
    invoices: ctx.invoices.map((i) => ({ ref: i.ref, docDate: i.docDate, dueDate: i.dueDate, openCents: i.openCents })),
    count: ctx.invoices.length,
    downPaymentCents: ctx.downPaymentCents,
    instalments,
    instalmentCount: instalments.length,
    firstDate: instalments[0]?.date ?? null,
    lastDate: instalments[instalments.length - 1]?.date ?? null,
    mode: ctx.mode,
    transfer: /virement|prélèvement|prelevement/i.test(ctx.mode),
    totals: { dueCents },
    penalties: {
      policy,
      waived: policy === 'abandonnees',
      suspended: policy === 'suspendues',
      due: policy === 'dues',
      lateCount,
      indemnityCents: consumer ? 0 : lateCount * RECOVERY_INDEMNITY_CENTS,
    },
    noticeDays: ctx.noticeDays ?? NOTICE_DAYS,
    // The first payment the plan asks (the down payment, else the first instalment), by transfer only.
    payment: /virement/i.test(ctx.mode)
      ? paymentData({ company: ctx.company, paymentUrl: ctx.paymentUrl ?? null }, ctx.downPaymentCents > 0 ? ctx.downPaymentCents : (instalments[0]?.amountCents ?? 0), ctx.invoices.map((i) => i.ref))
      : paymentData({ company: { name: ctx.company.name } }, 0, []),
  };
}

/** One entry of what the injonction de payer form asks: its value, or « à compléter » with what to give. */
export interface FormEntry {
  label: string;
  value: string;
  /** False when the data lacks it: the value then says what to complete. */
  complete: boolean;
}

/**
 * What the request for an injonction de payer (Cerfa 12946 or 12948, art. 1407 CPC)
 * asks, filled from the data: the parties with their SIREN and address, the principal,
 * the interest and the indemnity claimed with their legal basis, the invoices, the formal
 * notice and its date, the documents to attach. What the data lacks says « à compléter ».
 */
function injunctionData(
  ctx: LetterContext,
  refs: string[],
  amounts: { principalCents: Cents; interestCents: Cents; indemnityCents: Cents; claimedCents: Cents },
  basis: 'taux-legal' | 'taux-contractuel' | 'taux-bce',
) {
  const { company, client } = ctx;
  const consumer = client?.consumer ?? false;
  const entries: FormEntry[] = [];
  const add = (label: string, value: string | null, missing: string): void => {
    entries.push(value ? { label, value, complete: true } : { label, value: `à compléter (${missing})`, complete: false });
  };
  const address = (lines: string[] | undefined): string | null => (lines && lines.length > 0 ? lines.join(', ') : null);
  add('créancier (demandeur)', company.name && company.name !== 'Votre société' ? company.name : null, 'clé company.name de la configuration');
  add('SIREN du créancier', company.siren ? formatSiren(company.siren) : null, 'clé company.siren de la configuration');
  add('siège du créancier', address(company.address), 'clé company.address de la configuration');
  add('représentant légal du créancier', null, 'nom et qualité du signataire de la requête');
  const name = client?.clientName || ctx.action.clientName;
  add(consumer ? 'débiteur (nom et prénom)' : 'débiteur (dénomination)', name || null, 'nom du débiteur');
  if (!consumer) {
    const form = client?.legalForm ? normaliseLegalForm(client.legalForm) : null;
    add('forme juridique du débiteur', form ? `${form.code} (${form.label})` : null,
      client?.legalForm ? `« ${client.legalForm} » non reconnue : voir l'extrait Kbis` : 'colonne « Forme juridique » du fichier clients, ou extrait Kbis');
    add('SIREN du débiteur', client?.siren ? formatSiren(client.siren) : null, 'colonne « SIREN » ou « SIRET » du fichier clients, ou avis de situation SIRENE');
  }
  add(consumer ? 'domicile du débiteur' : 'siège social du débiteur', address(client?.address), "adresse absente du fichier clients : elle fixe le tribunal compétent");
  add('montant en principal', `${formatEuros(amounts.principalCents)} (${refs.length === 1 ? 'facture' : 'factures'} ${refs.join(', ')})`, '');
  const rates = basis === 'taux-legal'
    ? "au taux de l'intérêt légal (article 1231-6 du Code civil)"
    : basis === 'taux-contractuel'
      ? `au taux de ${percentFr(ctx.contractualRatePercent ?? 0)} des conditions générales de vente (article L441-10 du Code de commerce)`
      : 'au taux de la BCE majoré de 10 points (article L441-10 du Code de commerce)';
  add(consumer ? 'intérêts de retard' : 'pénalités de retard',
    `${formatEuros(amounts.interestCents)} ${consumer ? 'arrêtés' : 'arrêtées'} au ${formatDateFr(ctx.asOf)}, ${rates}`, '');
  if (!consumer) {
    add('indemnité forfaitaire pour frais de recouvrement', `${formatEuros(amounts.indemnityCents)} (40 € par facture, article D441-5 du Code de commerce)`, '');
  }
  add('total demandé', formatEuros(amounts.claimedCents), '');
  add('cause de la créance', null, `vente ou prestation facturée par ${refs.length === 1 ? 'la facture' : 'les factures'} ${refs.join(', ')} : précisez la commande, le devis ou le contrat`);
  const notice = noticeOf(ctx.history ?? [], ctx.asOf);
  add('mise en demeure', notice ? `envoyée le ${formatDateFr(notice.date)}${notice.lrarNumber ? ` par lettre recommandée n° ${notice.lrarNumber}` : ''}, délai ${notice.expired ? 'expiré le' : "ouvert jusqu'au"} ${formatDateFr(notice.deadline)}` : null,
    "aucune mise en demeure au journal : date d'envoi et accusé de réception");
  add('pièces à joindre (bordereau)', `${refs.length === 1 ? 'la facture' : 'les factures'} ${refs.join(', ')} ; la mise en demeure et son accusé de réception ; les conditions générales de vente acceptées ; le bon de commande, le devis signé ou le contrat ; les bons de livraison ou procès-verbaux de réception`, '');
  return { entries, missingCount: entries.filter((e) => !e.complete).length };
}

/**
 * Writes the « relevé des pénalités de retard » of one client from `releve_penalites.hbs`:
 * invoices paid late, interest (L441-10) and 40 € indemnities (D441-5). `data` is
 * `lateStatementData` (render/penalites.ts); the parties, the place and the date are added here.
 */
export function renderLateStatement(
  ctx: { asOf: CalendarDate; company: Config['company']; client: Client | null; clientCode: string; clientName: string; templatesDir: string | null; cwd: string },
  data: { totals: { interestCents: Cents; indemnityCents: Cents; totalCents: Cents } } & object,
): RenderedMessage {
  const full = { ...commonData(ctx.asOf, ctx.company, ctx.client, ctx.clientCode, ctx.clientName), step: 'releve_penalites', ...data };
  const parts = renderTemplate('releve_penalites', full, ctx.templatesDir, ctx.cwd);
  const { interestCents, indemnityCents, totalCents } = data.totals;
  return { step: 'releve_penalites', ...parts, totals: { dueCents: 0, interestCents, indemnityCents, totalCents }, notes: [] };
}

/**
 * The formal notice a consumer's interest runs from (Code civil 1231-6): the last one of
 * the history sent on or before `asOf`, taken as received `NOTICE_RECEIPT_DAYS` after it
 * was sent (the journal knows only the sending day); interest counts from the day after.
 * The last one, not the first: never more than is owed. None for the formal notice itself,
 * which claims no interest and says that interest will run from its receipt.
 */
function consumerNoticeOf(history: HistoryEntry[], asOf: CalendarDate, step: Step): { date: CalendarDate; receivedOn: CalendarDate } | null {
  if (step === 'mise_en_demeure') return null;
  const last = lastNoticeOf(history, asOf);
  return last ? { date: last.date, receivedOn: presumedNoticeReceipt(last.date) } : null;
}

/** The last formal notice of the history (sent on or before `until` when given). */
function lastNoticeOf(history: HistoryEntry[], until: CalendarDate | null): HistoryEntry | null {
  let last: HistoryEntry | null = null;
  for (const h of history) {
    if (h.step === 'mise_en_demeure' && (until === null || h.date <= until) && (last === null || h.date >= last.date)) last = h;
  }
  return last;
}

/**
 * The last formal notice of the history, its deadline and whether it has passed. The
 * notice gives its days from its receipt: the deadline runs from the same presumed
 * receipt as the consumer's interest (`presumedNoticeReceipt`), so the litigation file
 * never says the deadline expired before the notice was presumed received.
 */
function noticeOf(history: HistoryEntry[], asOf: CalendarDate) {
  const last = lastNoticeOf(history, null);
  if (!last) return null;
  const deadline = addDays(presumedNoticeReceipt(last.date), NOTICE_DAYS);
  return { date: last.date, deadline, expired: deadline < asOf, lrarNumber: last.lrarNumber ?? null };
}

/** The parties, the place and the date: what every letter starts with. */
function commonData(asOf: CalendarDate, company: Config['company'], client: Client | null, code: string, name: string) {
  const form = client?.legalForm ? normaliseLegalForm(client.legalForm) : null;
  const court = courtFor({ consumer: client?.consumer ?? false, legalForm: form, legalFormText: client?.legalForm ?? null });
  return {
    asOf,
    place: cityOf(company.address),
    company: {
      name: company.name,
      address: company.address,
      siren: company.siren ?? null,
      sirenText: company.siren ? company.siren.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3') : null,
      contactName: company.contactName ?? null,
      contactEmail: company.contactEmail ?? null,
      contactPhone: company.contactPhone ?? null,
      iban: company.iban ?? null,
    },
    client: {
      code,
      name: client?.clientName || name,
      address: client?.address ?? [],
      emails: client?.emails ?? [],
      phone: client?.phone ?? null,
      consumer: client?.consumer ?? false,
      siren: client?.siren ?? null,
      sirenText: client?.siren ? formatSiren(client.siren) : null,
      /** The form as the clients file writes it; `legalFormCode` is its normalised abbreviation. */
      legalForm: client?.legalForm ?? null,
      legalFormCode: form?.code ?? null,
      legalFormLabel: form?.label ?? null,
      identityText: identityText(client?.clientName || name, client, form?.code ?? null),
    },
    consumer: client?.consumer ?? false,
    court: {
      ...court,
      label: court.court ? COURT_LABELS[court.court] : null,
      commerce: court.court === 'tribunal_de_commerce',
      judiciaire: court.court === 'tribunal_judiciaire',
    },
  };
}

/**
 * The debtor's legal form and SIREN after its name in a letter (« SARL, SIREN 552 100 554 »),
 * the form left out when the name already carries it (« Hôtel Bellecour SAS »); null when
 * the file gives neither.
 */
function identityText(name: string, client: Client | null, formCode: string | null): string | null {
  const parts: string[] = [];
  const form = formCode ?? client?.legalForm ?? null;
  const plain = (t: string) => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\./g, '').toLowerCase();
  if (form && !new RegExp(`(^|[^a-z])${plain(form).replace(/[^a-z0-9 ]/g, '')}([^a-z]|$)`).test(plain(name))) parts.push(form);
  if (client?.siren) parts.push(`SIREN ${formatSiren(client.siren)}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

function invoiceData(inv: PlanInvoice, p: InvoicePenalties) {
  return {
    ref: inv.ref,
    docDate: inv.docDate,
    dueDate: inv.dueDate,
    dueDateDerived: inv.dueDateDerived,
    originalCents: inv.originalCents,
    statementCents: inv.statementCents,
    creditCents: inv.statementCents - inv.openCents,
    openCents: inv.openCents,
    // Partly lettered in the books; the unapplied credits are shown apart, as the statement's deduction.
    partial: inv.statementCents < inv.originalCents,
    daysOverdue: inv.daysOverdue,
    overdue: inv.daysOverdue > 0,
    step: inv.step,
    stepLabel: STEP_LABELS[inv.step],
    interestCents: p.interestCents,
    indemnityCents: p.indemnityCents,
    penaltiesCents: p.totalCents,
    totalCents: inv.openCents + p.totalCents,
    parts: p.interest.parts.map((part: PenaltyPart) => ({ ...part })),
    penaltyNotes: p.notes,
    rateNote: p.interest.note,
    missingRates: p.missingRates,
    interestFrom: p.interestFrom,
    extrapolated: p.interest.extrapolated,
  };
}

/** The city of the last address line with a postcode: « 69007 Lyon » → « Lyon ». */
function cityOf(address: string[]): string | null {
  for (let i = address.length - 1; i >= 0; i--) {
    const m = /^\s*\d{5}\s+(.+?)(\s+cedex(\s+\d+)?)?\s*$/i.exec(address[i]!);
    if (m) return m[1]!;
  }
  return null;
}

// ---------------------------------------------------------------------------------
// Declaration of claim (collective proceedings)

/** Everything a declaration of claim is written from: the parties, the mandataire, the declaration computed by the core. */
export interface DeclarationContext {
  asOf: CalendarDate;
  company: Config['company'];
  client: Client | null;
  clientCode: string;
  clientName: string;
  declaration: Declaration;
  /** Which rate the interest was computed at. */
  basis: 'taux-bce' | 'taux-contractuel' | 'taux-legal';
  templatesDir: string | null;
  cwd: string;
}

/**
 * Writes the declaration of claim to the mandataire (or liquidateur) from
 * `declaration_creance.hbs`: creditor, debtor, each invoice with its principal, its
 * interest stopped by the judgment (L622-28) and its 40 € indemnity (D441-5), the total
 * and the signature. Only renders: every amount comes from `declarationOf`.
 */
export function renderDeclaration(ctx: DeclarationContext): RenderedMessage {
  const data = declarationData(ctx);
  const parts = renderTemplate('declaration_creance', data, ctx.templatesDir, ctx.cwd);
  const t = ctx.declaration.totals;
  return {
    step: 'declaration_creance',
    ...parts,
    totals: { dueCents: t.principalCents, interestCents: t.interestCents + t.paidLateInterestCents, indemnityCents: t.indemnityCents + t.paidLateIndemnityCents, totalCents: t.totalCents },
    notes: ctx.declaration.notes,
  };
}

/** What `declaration_creance.hbs` is filled from (documented in templates/fr/README.md). */
export function declarationData(ctx: DeclarationContext) {
  const d = ctx.declaration;
  const p = d.procedure;
  // « Maître Anne Martin, 12 rue X, 69002 Lyon »: the name, then the address lines.
  const lines = (p.administrator ?? '').split(',').map((l) => l.trim()).filter(Boolean);
  const liquidation = p.type === 'liquidation';
  return {
    ...commonData(ctx.asOf, ctx.company, ctx.client, ctx.clientCode, ctx.clientName),
    step: 'declaration_creance',
    procedure: {
      type: p.type,
      label: PROCEDURE_LABELS[p.type],
      article: p.type === 'redressement' ? 'un' : 'une',
      liquidation,
      judgmentOn: p.judgmentOn,
      bodaccOn: p.bodaccOn,
      deadline: d.deadline,
      role: ADDRESSEE_ROLES[p.type],
      /** The article that stops the interest: L622-28, applied to a liquidation by L641-3. */
      interestArticle: liquidation ? 'L622-28 et L641-3' : 'L622-28',
    },
    // `named`: the text already says « mandataire » or « liquidateur », the role line is not repeated.
    administrator: lines.length > 0
      ? { known: true, name: lines[0]!, address: lines.slice(1), named: /mandataire|liquidateur/i.test(p.administrator ?? '') }
      : { known: false, name: null, address: [], named: false },
    interestUntil: d.interestUntil,
    invoices: d.invoices.map((i) => ({ ...i, parts: i.parts.map((x) => ({ ...x })) })),
    count: d.invoices.length,
    upcomingCount: d.invoices.filter((i) => !i.overdue).length,
    interestMissing: d.invoices.some((i) => !i.interestKnown) || d.paidLate.some((i) => i.receipts.some((r) => r.interestCents === null)),
    // The invoices to copy with the declaration: those declared, then those paid late before the judgment.
    attachments: [...d.invoices.map((i) => i.ref), ...d.paidLate.map((i) => i.ref)],
    // Penalties still owed on invoices paid late before the judgment (L441-10, D441-5): a pre-judgment claim.
    paidLate: {
      count: d.paidLate.length,
      invoices: d.paidLate.map((i) => ({
        ref: i.ref, dueDate: i.dueDate, interestCents: i.interestCents, indemnityCents: i.indemnityCents, totalCents: i.totalCents,
        receipts: i.receipts.map((r) => ({ date: r.date, daysLate: r.daysLate, known: r.interestCents !== null, cents: r.cents ?? 0, interestCents: r.interestCents ?? 0 })),
      })),
    },
    rateNotes: d.rateNotes,
    penalties: { basis: ctx.basis, bce: ctx.basis === 'taux-bce', contractual: ctx.basis === 'taux-contractuel', legal: ctx.basis === 'taux-legal' },
    totals: { ...d.totals, penaltiesCents: d.totals.interestCents + d.totals.indemnityCents + d.totals.paidLateCents, openTotalCents: d.totals.totalCents - d.totals.paidLateCents },
  };
}

// ---------------------------------------------------------------------------------
// Templates

/** The package root: two levels above this file, from src/render/ (vitest) or dist/render/. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the bundled French templates are. */
export const BUNDLED_TEMPLATES = join(PACKAGE_ROOT, 'templates', 'fr');

const PARTS = ['subject', 'text', 'html', 'letter'] as const;
type Part = (typeof PARTS)[number];

/** The template file for a step: the user's override when it exists, else the bundled one. */
export function templatePath(name: TemplateName, templatesDir: string | null, cwd: string): { path: string; label: string } {
  if (templatesDir !== null) {
    const dir = resolve(cwd, templatesDir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new TemplateError(
        `dossier de modèles introuvable : ${templatesDir} (clé templatesDir de la configuration).`,
        `créez le dossier, ou retirez la clé pour utiliser les modèles fournis.`,
      );
    }
    const own = join(dir, `${name}.hbs`);
    if (existsSync(own)) return { path: own, label: relative(cwd, own) || own };
  }
  const bundled = join(BUNDLED_TEMPLATES, `${name}.hbs`);
  if (!existsSync(bundled)) {
    throw new TemplateError(`modèle introuvable : ${name}.hbs.`, `réinstallez relance : le dossier templates/fr/ du paquet est incomplet.`);
  }
  return { path: bundled, label: `${name}.hbs` };
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** « 16 novembre 2026 », « 1er juillet 2026 ». */
export function formatDateLong(date: CalendarDate): string {
  const day = +date.slice(8, 10);
  return `${day === 1 ? '1er' : day} ${MONTHS[+date.slice(5, 7) - 1]} ${+date.slice(0, 4)}`;
}

/** A helper given no value, or a value of the wrong kind; the message is French. */
class HelperError extends Error {}

const isOptions = (v: unknown): boolean => typeof v === 'object' && v !== null && 'hash' in v && 'data' in v;

function numberArg(v: unknown, helper: string, example: string): number {
  if (v === undefined || isOptions(v)) throw new HelperError(`le helper « ${helper} » n'a pas reçu de valeur (exemple : ${example})`);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new HelperError(`le helper « ${helper} » attend un nombre, il a reçu « ${String(v)} » (exemple : ${example})`);
  return v;
}

function dateArg(v: unknown, helper: string): string | null {
  const example = `{{${helper} dueDate}}`;
  if (v === undefined || isOptions(v)) throw new HelperError(`le helper « ${helper} » n'a pas reçu de valeur (exemple : ${example})`);
  if (v === null) return null;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new HelperError(`le helper « ${helper} » attend une date AAAA-MM-JJ, il a reçu « ${String(v)} » (exemple : ${example})`);
  return v;
}

function environment(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('euros', (cents: unknown) => formatEuros(numberArg(cents, 'euros', '{{euros totals.dueCents}}')));
  hb.registerHelper('date', (d: unknown) => {
    const date = dateArg(d, 'date');
    return date === null ? '' : formatDateFr(date);
  });
  hb.registerHelper('dateLong', (d: unknown) => {
    const date = dateArg(d, 'dateLong');
    return date === null ? '' : formatDateLong(date);
  });
  hb.registerHelper('percent', (rate: unknown) => percentFr(numberArg(rate, 'percent', '{{percent ratePercent}}')));
  hb.registerHelper('plural', (count: unknown, singular: unknown, plural: unknown) => {
    const n = numberArg(count, 'plural', '{{plural count "facture" "factures"}}');
    if (typeof singular !== 'string' || typeof plural !== 'string') {
      throw new HelperError('le helper « plural » attend un nombre et deux mots (exemple : {{plural count "facture" "factures"}})');
    }
    return Math.abs(n) >= 2 ? plural : singular;
  });
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('relancePart', (options: Handlebars.HelperOptions) => options.data.relancePart);
  return hb;
}

const env = environment();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

function compiledFor(source: string, escape: boolean): Handlebars.TemplateDelegate {
  const key = `${escape ? 'h' : 't'}\u0000${source}`;
  let fn = compiled.get(key);
  if (!fn) {
    // The file only defines inline partials; the appended call renders the one asked for.
    fn = env.compile(`${source}{{> (relancePart)}}`, { strict: true, noEscape: !escape });
    compiled.set(key, fn);
  }
  return fn;
}

/** Renders every part of a template; `letter` is optional, the others are required. */
export function renderTemplate(name: TemplateName, data: object, templatesDir: string | null, cwd: string) {
  const { path, label } = templatePath(name, templatesDir, cwd);
  const source = readFileSync(path, 'utf8');
  const hasLetter = /\{\{#\*inline\s+["']letter["']/.test(source);
  const run = (part: Part): string => fillPart(source, label, part, data);
  const subject = run('subject').replace(/\s+/g, ' ').trim();
  return {
    subject,
    text: tidy(run('text')),
    html: `${run('html').trim()}\n`,
    letterHtml: hasLetter ? `${run('letter').trim()}\n` : null,
  };
}

/** Trims the text and keeps at most one blank line in a row (conditional blocks leave gaps). */
function tidy(text: string): string {
  return `${text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

let lastMiss: { path: string; keys: string[] } | null = null;
/** While a letter renders: every data path its template read (see `RATE_DEPENDENT`). */
let reads: Set<string> | null = null;

function fillPart(source: string, label: string, part: Part, data: object): string {
  const fn = compiledFor(source, part === 'html' || part === 'letter');
  lastMiss = null;
  try {
    return fn(strict(data, ''), { data: { relancePart: part } });
  } catch (err) {
    throw templateError(err, source, label, part);
  }
}

function templateError(err: unknown, source: string, label: string, part: Part): TemplateError {
  const available = (keys: string[]): string => `variables disponibles à cet endroit : ${keys.join(', ')}.`;
  if (err instanceof MissingVariable) {
    return new TemplateError(`modèle ${label} : variable inconnue « ${err.path} ».`, `corrigez le modèle ; ${available(err.keys)}`);
  }
  if (err instanceof HelperError) {
    return new TemplateError(`modèle ${label} : ${err.message}.`, `corrigez l'appel du helper dans le modèle.`);
  }
  const e = err as { message?: string; lineNumber?: number; column?: number; endLineNumber?: number; endColumn?: number };
  const message = e.message ?? String(err);
  const notDefined = /^"([^"]+)" not defined in/.exec(message);
  if (notDefined) {
    let name = notDefined[1]!;
    if (e.lineNumber !== undefined && e.column !== undefined && e.endLineNumber === e.lineNumber && e.endColumn !== undefined) {
      const text = source.split('\n')[e.lineNumber - 1]?.slice(e.column, e.endColumn).trim();
      if (text && /^[\w.@/[\]-]+$/.test(text)) name = text;
    }
    const where = e.lineNumber !== undefined ? ` (ligne ${e.lineNumber})` : '';
    const hint = lastMiss ? available(lastMiss.keys) : 'vérifiez le nom de la variable.';
    return new TemplateError(`modèle ${label} : variable inconnue « ${name} »${where}.`, `corrigez le modèle ; ${hint}`);
  }
  const partial = /The partial (\S+) could not be found/.exec(message);
  if (partial) {
    return new TemplateError(
      `modèle ${label} : la partie « ${part} » manque.`,
      `définissez-la dans le fichier : {{#*inline "${part}"}}…{{/inline}}.`,
    );
  }
  return new TemplateError(`modèle ${label} : ${message.split('\n')[0]}`, `corrigez la syntaxe Handlebars du modèle.`);
}

// ---------------------------------------------------------------------------------
// Strict data: reading a name the data does not have throws, wherever the template
// reads it (Handlebars' strict mode misses helper arguments and {{#if}} conditions).

class MissingVariable extends Error {
  constructor(
    readonly path: string,
    readonly keys: string[],
  ) {
    super(path);
  }
}

// Names Handlebars and JavaScript probe on any value; reading them is not a template's doing.
const PROBED = new Set(['toHTML', 'toString', 'valueOf', 'toJSON', 'then', 'constructor', '__proto__', 'hasOwnProperty', 'length', 'nodeType']);
const proxies = new WeakMap<object, object>();

function strict<T>(value: T, path: string): T {
  if (value === null || typeof value !== 'object') return value;
  const cached = proxies.get(value);
  if (cached) return cached as T;
  const isArray = Array.isArray(value);
  const at = (prop: string): string => (isArray && /^\d+$/.test(prop) ? `${path}[${prop}]` : path ? `${path}.${prop}` : prop);
  const proxy = new Proxy(value, {
    get(target, prop, receiver) {
      if (typeof prop === 'symbol' || PROBED.has(prop)) return Reflect.get(target, prop, receiver);
      if (!Object.prototype.hasOwnProperty.call(target, prop)) throw new MissingVariable(at(prop), Object.keys(target));
      reads?.add(at(prop));
      return strict(Reflect.get(target, prop, receiver), at(prop));
    },
    has(target, prop) {
      const found = Reflect.has(target, prop);
      if (!found && typeof prop === 'string') lastMiss = { path: at(prop), keys: Object.keys(target) };
      return found;
    },
  });
  proxies.set(value, proxy);
  return proxy as T;
}

// ---------------------------------------------------------------------------------
// E-mail

/** Addresses and headers of an e-mail built from a rendered message. */
export interface EmlOptions {
  from: string;
  to: string[];
  cc?: string[];
  /** Not written in the headers (as for any blind copy): give it to the transport's envelope. */
  bcc?: string[];
  replyTo?: string | null;
  /** Fixed date and Message-ID make the message byte-for-byte reproducible. */
  date?: Date;
  messageId?: string;
  /** `cid`: an inline image the HTML names as `cid:…` (the payment QR code). */
  attachments?: { filename: string; path?: string; content?: string | Buffer; contentType?: string; cid?: string }[];
}

/**
 * The raw RFC 822 message (multipart/alternative text + HTML, attachments in a
 * multipart/mixed) built with nodemailer's MailComposer. Given a date and a Message-ID
 * the output is deterministic (the MIME boundaries derive from a hash of the
 * Message-ID), so its hash identifies exactly what was sent. A blind copy is not
 * written in the headers: the transport's envelope must carry it.
 */
export async function emlOf(message: Pick<RenderedMessage, 'subject' | 'text' | 'html'>, opts: EmlOptions): Promise<string> {
  const boundary = opts.messageId ? createHash('sha256').update(opts.messageId).digest('hex').slice(0, 24) : undefined;
  const composer = new MailComposer({
    from: opts.from,
    to: opts.to,
    cc: opts.cc && opts.cc.length > 0 ? opts.cc : undefined,
    bcc: opts.bcc && opts.bcc.length > 0 ? opts.bcc : undefined,
    replyTo: opts.replyTo ?? undefined,
    subject: message.subject,
    text: message.text,
    html: message.html,
    date: opts.date,
    messageId: opts.messageId,
    baseBoundary: boundary,
    attachments: opts.attachments,
  });
  const raw = await new Promise<Buffer>((ok, fail) => composer.compile().build((err, out) => (err ? fail(err) : ok(out))));
  return raw.toString('utf8');
}
