import type { Config } from '../../config.js';
import { addDays, type CalendarDate } from '../../core/dates.js';
import type { Cents } from '../../core/money.js';
import { penaltiesForInvoice, type InvoicePenalties, type PenaltyBasis, type PenaltyPart } from '../../core/penalties.js';
import type { PenaltyTables } from '../../core/rates.js';
import type { PlanAction, PlanInvoice } from '../../core/plan.js';
import type { Client } from '../../core/records.js';
import { CHANNEL_LABELS, STEP_LABELS } from '../../core/scenario.js';
import { paymentData, type PaymentData } from '../payment.js';
import { commonData } from './common.js';
import { consumerNoticeOf, noticeOf, NOTICE_DAYS, type HistoryEntry } from './history.js';
import { injunctionData } from './injunction.js';

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

/** Ceiling of the simplified small-claims procedure (procédure simplifiée de recouvrement des petites créances). */
export const SMALL_CLAIMS_CEILING_CENTS: Cents = 500_000;
/** Days late beyond which a reminder no longer presumes an oversight (« oubli ») and says how long it has been. */
export const LONG_OVERDUE_DAYS = 30;

const SEGMENT_LABELS = { bon: 'bon payeur', occasionnel: 'retardataire occasionnel', chronique: 'mauvais payeur chronique', nouveau: 'nouveau client' };

/** One invoice of a step letter, with its penalties as of the letter's date. */
type InvoiceRow = ReturnType<typeof invoiceData>;

/** The formal notice a consumer's interest runs from (see `consumerNoticeOf`). */
type ConsumerNotice = ReturnType<typeof consumerNoticeOf>;

/** What the step templates are filled from (documented in templates/fr/README.md). */
export function letterData(ctx: LetterContext) {
  const { action, client } = ctx;
  const consumer = client?.consumer ?? false;
  const consumerNotice = consumer ? consumerNoticeOf(ctx.history ?? [], ctx.asOf, action.step) : null;
  const rows = invoiceRowsOf(ctx, consumer, consumerNotice);
  const overdue = rows.filter((r) => r.overdue);
  const upcoming = rows.filter((r) => !r.overdue);
  const totals = totalsOf(rows, overdue, upcoming, action.creditsAppliedCents);
  const basis: PenaltyBasis = consumer ? 'taux-legal' : ctx.contractualRatePercent != null ? 'taux-contractuel' : 'taux-bce';
  // What a formal notice or a court may claim: the overdue invoices and their penalties
  // (invoices not yet due bear none), never the invoices not yet due.
  const claim = { principalCents: totals.overdueCents, interestCents: totals.interestCents, indemnityCents: totals.indemnityCents, claimedCents: totals.overdueTotalCents };

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
    oldestInvoice: oldestOf(overdue),
    // The case's facts (DESIGN §3.3): 0 and null when the journal records no reminder of this case yet.
    remindersSent: action.case.remindersSent,
    firstReminderDate: action.case.firstReminderOn,
    caseOpenedOn: action.case.openedOn,
    totals,
    penalties: penaltiesData(rows, basis, ctx.contractualRatePercent ?? null, consumerNotice, totals.interestCents),
    smallClaims: claim.claimedCents <= SMALL_CLAIMS_CEILING_CENTS,
    smallClaimsCeilingCents: SMALL_CLAIMS_CEILING_CENTS,
    notice: noticeOf(ctx.history ?? [], ctx.asOf),
    historyKnown: ctx.history !== undefined,
    injunction: injunctionData(ctx, overdue.map((r) => r.ref), claim, basis),
    history: (ctx.history ?? []).map((h) => ({ ...h, stepLabel: STEP_LABELS[h.step], channelLabel: CHANNEL_LABELS[h.channel] })),
    payment: stepPayment(ctx, consumer, { overdue, upcoming, overdueCents: totals.overdueCents, upcomingCents: totals.upcomingCents, claimedCents: claim.claimedCents }),
  };
}

/** Each invoice of the action with its penalties (core's `penaltiesForInvoice`) as of the letter's date. */
function invoiceRowsOf(ctx: LetterContext, consumer: boolean, consumerNotice: ConsumerNotice): InvoiceRow[] {
  return ctx.action.invoices.map((inv) => {
    // A consumer owes interest only from the notice (Code civil 1231-6), and a notice sent
    // before an invoice fell due cannot have put its payment in demand.
    const after = consumerNotice && consumerNotice.date > inv.dueDate ? consumerNotice.receivedOn : null;
    const terms = { consumer, contractualRatePercent: ctx.contractualRatePercent ?? null, consumerInterestAfter: after };
    return invoiceData(inv, penaltiesForInvoice(inv, terms, ctx.asOf, ctx.penaltyTables));
  });
}

/**
 * The letter's totals, whole and by section (overdue, not yet due). The statement of
 * each section: invoices at their booked open amount, less the unapplied credits
 * allocated to them, gives what is asked (DESIGN §2.4); the credits allocated to the
 * whole action are the plan's.
 */
function totalsOf(rows: InvoiceRow[], overdue: InvoiceRow[], upcoming: InvoiceRow[], creditsAppliedCents: Cents) {
  const sum = (list: InvoiceRow[], f: (r: InvoiceRow) => Cents): Cents => list.reduce((s, r) => s + f(r), 0);
  const dueCents = sum(rows, (r) => r.openCents);
  const interestCents = sum(rows, (r) => r.interestCents);
  const indemnityCents = sum(rows, (r) => r.indemnityCents);
  const overdueCents = sum(overdue, (r) => r.openCents);
  return {
    dueCents,
    interestCents,
    indemnityCents,
    totalCents: dueCents + interestCents + indemnityCents,
    statementCents: sum(rows, (r) => r.statementCents),
    creditsAppliedCents,
    overdueStatementCents: sum(overdue, (r) => r.statementCents),
    overdueCreditsCents: sum(overdue, (r) => r.creditCents),
    overdueCents,
    // Invoices not yet due bear no penalties: the overdue ones and all the penalties.
    overdueTotalCents: overdueCents + interestCents + indemnityCents,
    upcomingStatementCents: sum(upcoming, (r) => r.statementCents),
    upcomingCreditsCents: sum(upcoming, (r) => r.creditCents),
    upcomingCents: sum(upcoming, (r) => r.openCents),
    penaltiesCents: interestCents + indemnityCents,
  };
}

/** The invoice the case's age is told from: the most days late, the earliest listed on a tie. */
function oldestOf(overdue: InvoiceRow[]): InvoiceRow | null {
  return overdue.reduce<InvoiceRow | null>((o, r) => (o === null || r.daysOverdue > o.daysOverdue ? r : o), null);
}

/** How the penalties were computed: the rate's basis, the rates used, their footnotes, and a consumer's notice. */
function penaltiesData(rows: InvoiceRow[], basis: PenaltyBasis, contractualRate: number | null, consumerNotice: ConsumerNotice, interestCents: Cents) {
  return {
    basis,
    bce: basis === 'taux-bce',
    contractual: basis === 'taux-contractuel',
    legal: basis === 'taux-legal',
    contractualRate,
    rates: [...new Set(rows.flatMap((r) => r.parts.map((p) => p.ratePercent)))],
    /** Notes the client may read: the rate used for a half-year the table lacks (with `whenRateMissing: lastKnown`). */
    footnotes: [...new Set(rows.map((r) => r.rateNote).filter((n): n is string => n !== null))],
    /** A consumer's formal notice interest runs from (Code civil 1231-6), or null (none sent yet, or this letter is it). */
    consumerNotice: consumerNotice && {
      ...consumerNotice,
      interestFrom: addDays(consumerNotice.receivedOn, 1),
      // Interest is stated only for the invoices the notice put in demand (due before it).
      interestCents,
    },
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

/** One invoice as the step templates read it: its amounts, its lateness, and its penalties from core. */
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
