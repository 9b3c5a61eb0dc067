import type { Config } from '../../config.js';
import type { CalendarDate } from '../../core/dates.js';
import type { Cents } from '../../core/money.js';
import { RECOVERY_INDEMNITY_CENTS, type PenaltyBasis } from '../../core/penalties.js';
import { ADDRESSEE_ROLES, PROCEDURE_LABELS, type Declaration } from '../../core/procedure.js';
import type { Client } from '../../core/records.js';
import { paymentData } from '../payment.js';
import { commonData } from './common.js';
import { NOTICE_DAYS } from './history.js';

// The data of the letters that are not a step of the ladder: the payment plan's
// confirmation (échéancier) and the declaration of claim (collective proceedings).

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

/** Everything a declaration of claim is written from: the parties, the mandataire, the declaration computed by the core. */
export interface DeclarationContext {
  asOf: CalendarDate;
  company: Config['company'];
  client: Client | null;
  clientCode: string;
  clientName: string;
  declaration: Declaration;
  /** Which rate the interest was computed at. */
  basis: PenaltyBasis;
  templatesDir: string | null;
  cwd: string;
}

/** What `declaration_creance.hbs` is filled from (documented in templates/fr/README.md). */
export function declarationData(ctx: DeclarationContext) {
  const d = ctx.declaration;
  return {
    ...commonData(ctx.asOf, ctx.company, ctx.client, ctx.clientCode, ctx.clientName),
    step: 'declaration_creance',
    procedure: procedureData(d),
    administrator: administratorOf(d.procedure.administrator),
    interestUntil: d.interestUntil,
    invoices: d.invoices.map((i) => ({ ...i, parts: i.parts.map((x) => ({ ...x })) })),
    count: d.invoices.length,
    upcomingCount: d.invoices.filter((i) => !i.overdue).length,
    interestMissing: d.invoices.some((i) => !i.interestKnown) || d.paidLate.some((i) => i.receipts.some((r) => r.interestCents === null)),
    // The invoices to copy with the declaration: those declared, then those paid late before the judgment.
    attachments: [...d.invoices.map((i) => i.ref), ...d.paidLate.map((i) => i.ref)],
    paidLate: paidLateData(d),
    rateNotes: d.rateNotes,
    penalties: { basis: ctx.basis, bce: ctx.basis === 'taux-bce', contractual: ctx.basis === 'taux-contractuel', legal: ctx.basis === 'taux-legal' },
    totals: { ...d.totals, penaltiesCents: d.totals.interestCents + d.totals.indemnityCents + d.totals.paidLateCents, openTotalCents: d.totals.totalCents - d.totals.paidLateCents },
  };
}

/** The collective proceedings: their kind, the judgment and its publication, the deadline to declare. */
function procedureData(d: Declaration) {
  const p = d.procedure;
  const liquidation = p.type === 'liquidation';
  return {
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
  };
}

/** The mandataire or liquidateur the declaration is addressed to, from « Maître Anne Martin, 12 rue X, 69002 Lyon »: the name, then the address lines. */
function administratorOf(text: string | null | undefined) {
  const lines = (text ?? '').split(',').map((l) => l.trim()).filter(Boolean);
  // `named`: the text already says « mandataire » or « liquidateur », the role line is not repeated.
  return lines.length > 0
    ? { known: true, name: lines[0]!, address: lines.slice(1), named: /mandataire|liquidateur/i.test(text ?? '') }
    : { known: false, name: null, address: [], named: false };
}

/** Penalties still owed on invoices paid late before the judgment (L441-10, D441-5): a pre-judgment claim. */
function paidLateData(d: Declaration) {
  return {
    count: d.paidLate.length,
    invoices: d.paidLate.map((i) => ({
      ref: i.ref, dueDate: i.dueDate, interestCents: i.interestCents, indemnityCents: i.indemnityCents, totalCents: i.totalCents,
      receipts: i.receipts.map((r) => ({ date: r.date, daysLate: r.daysLate, known: r.interestCents !== null, cents: r.cents ?? 0, interestCents: r.interestCents ?? 0 })),
    })),
  };
}
