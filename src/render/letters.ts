// The letters: each document's data (letters/data.ts, letters/documents.ts), filled into
// its template (letters/templates.ts), and the e-mail that carries it (letters/mime.ts).
// This module writes each document and is the one the rest of the code imports.
import type { CalendarDate } from '../core/dates.js';
import { formatEuros, type Cents } from '../core/money.js';
import { mergeMissingRates, type MissingRate } from '../core/penalties.js';
import type { PlanAction } from '../core/plan.js';
import type { Client } from '../core/records.js';
import type { Config } from '../config.js';
import { commonData } from './letters/common.js';
import { letterData, type LetterContext } from './letters/data.js';
import { declarationData, paymentPlanData, type DeclarationContext, type PaymentPlanContext } from './letters/documents.js';
import { renderTemplate, renderTemplateTraced, TemplateError, type TemplateName, type TemplateParts } from './letters/templates.js';

export { LONG_OVERDUE_DAYS, letterData, SMALL_CLAIMS_CEILING_CENTS, type LetterContext } from './letters/data.js';
export { declarationData, paymentPlanData, type DeclarationContext, type Instalment, type PaymentPlanContext, type PenaltyPolicy } from './letters/documents.js';
export { formatDateLong } from './letters/helpers.js';
export { NOTICE_DAYS, type HistoryEntry } from './letters/history.js';
export type { FormEntry } from './letters/injunction.js';
export { emlOf, inlineImages, type EmlOptions } from './letters/mime.js';
export { BUNDLED_TEMPLATES, renderTemplate, TemplateError, templatePath, type TemplateName } from './letters/templates.js';

/** What a template yields for one action. */
export interface RenderedMessage extends TemplateParts {
  step: TemplateName;
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
  const { parts, reads } = renderTemplateTraced(ctx.action.step, data, ctx.templatesDir, ctx.cwd);
  return {
    step: ctx.action.step,
    ...parts,
    totals: { dueCents, interestCents, indemnityCents, totalCents },
    notes,
    missingRates: mergeMissingRates(data.invoices.flatMap((r) => r.missingRates)),
    statesPenalties: statesPenalties(reads, data.payment.includesPenalties),
  };
}

/**
 * The data a letter reads when it states penalties: every value computed from a rate
 * (amounts of interest, totals that include them, the calculation's parts and rates,
 * the footnote on a rate). `dueCents`, `overdueCents`… (the principal) are not.
 */
const RATE_DEPENDENT = /(^|\.)(interestCents|penaltiesCents|totalCents|overdueTotalCents|parts|rates|rateNote|footnotes|extrapolated|injunction)(\.|\[|$)/;

/** True when the template read a value computed from a rate; the payment QR code of a B2B formal notice carries the penalties in its amount. */
function statesPenalties(reads: ReadonlySet<string>, paymentIncludesPenalties: boolean): boolean {
  return [...reads].some((path) => RATE_DEPENDENT.test(path) || (paymentIncludesPenalties && /^payment\.(qr|amountCents)$/.test(path)));
}

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
