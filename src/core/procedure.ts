/**
 * Collective proceedings (Code de commerce, livre VI): a client under a safeguard,
 * reorganisation or liquidation judgment is no longer reminded (individual actions are
 * stopped, L622-21), and its creditor declares its claim to the mandataire within two
 * months of the BODACC publication (L622-24, R622-24). Pure: the deadline and what the
 * declaration of claim contains.
 */
import { allocatedItems } from './allocation.js';
import { addDays, endOfMonth, formatDateFr, type CalendarDate } from './dates.js';
import { invoiceKey, latePenaltiesOf, NO_WAIVERS, type PaidLateInvoice, type UnknownSplit } from './late-payments.js';
import type { Cents } from './money.js';
import { penaltiesForInvoice, type PenaltyPart } from './penalties.js';
import type { PenaltyTables } from './rates.js';
import type { OpenItem } from './records.js';
import type { ProcedureType } from './procedure-types.js';

/** The three judgments that open a collective proceeding (in a light module: the declarations load it). */
export { PROCEDURE_TYPES, type ProcedureType } from './procedure-types.js';

/** How a letter names each proceeding. */
export const PROCEDURE_LABELS: Record<ProcedureType, string> = {
  sauvegarde: 'procédure de sauvegarde',
  redressement: 'redressement judiciaire',
  liquidation: 'liquidation judiciaire',
};

/** Who receives the declaration: the mandataire judiciaire (L622-20), the liquidateur in a liquidation (L641-4). */
export const ADDRESSEE_ROLES: Record<ProcedureType, string> = {
  sauvegarde: 'mandataire judiciaire',
  redressement: 'mandataire judiciaire',
  liquidation: 'liquidateur judiciaire',
};

/** A collective proceeding recorded in the journal. */
export interface ProcedureRecord {
  id: number;
  clientCode: string;
  type: ProcedureType;
  /** The date of the opening judgment. */
  judgmentOn: CalendarDate;
  /** The date of its publication in the BODACC, when known. */
  bodaccOn: CalendarDate | null;
  /** The mandataire (or liquidateur): « nom, adresse », as given. */
  administrator: string | null;
  openedOn: CalendarDate;
  closedOn: CalendarDate | null;
  closeReason: string | null;
}

/** Months of the declaration deadline, from the BODACC publication (R622-24). */
export const DECLARATION_MONTHS = 2;
/** Months to ask for relief from foreclosure, from the same publication (L622-26). */
export const RELIEF_MONTHS = 6;

/**
 * `months` after `date`, the way a procedural deadline in months falls (Code de
 * procédure civile, art. 641): the same day number, or the month's last day when it
 * has none (31 December + 2 months = 28 or 29 February).
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const m = +date.slice(5, 7) - 1 + months;
  const first = `${+date.slice(0, 4) + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
  const last = endOfMonth(first);
  return +last.slice(8, 10) < +date.slice(8, 10) ? last : `${first.slice(0, 8)}${date.slice(8, 10)}`;
}

/**
 * The last day to declare the claim: two months from the BODACC publication (R622-24).
 * Not pushed to the next working day when it falls on a week-end (CPC art. 642): the
 * earlier date is never wrong. Null while the publication date is unknown: no deadline
 * is made up.
 */
export function declarationDeadline(bodaccOn: CalendarDate | null): CalendarDate | null {
  return bodaccOn === null ? null : addMonths(bodaccOn, DECLARATION_MONTHS);
}

/** The client's proceeding in force at `asOf`: judged on or before it, not closed by then. */
export function activeProcedureOf(procedures: readonly ProcedureRecord[], clientCode: string, asOf: CalendarDate): ProcedureRecord | null {
  return procedures.find((p) => p.clientCode === clientCode && p.judgmentOn <= asOf && (p.closedOn === null || p.closedOn > asOf)) ?? null;
}

/** The sentence the plan and the command say about the deadline at `asOf`. */
export function deadlineSentence(p: Pick<ProcedureRecord, 'bodaccOn'>, asOf: CalendarDate): string {
  const deadline = declarationDeadline(p.bodaccOn);
  if (deadline === null) return 'déclaration de créance à faire : délai de deux mois à calculer dès la publication au BODACC (R622-24)';
  if (asOf <= deadline) return `déclaration de créance à faire avant le ${formatDateFr(deadline)} (deux mois après la publication au BODACC du ${formatDateFr(p.bodaccOn!)}, R622-24)`;
  const relief = addMonths(p.bodaccOn!, RELIEF_MONTHS);
  return asOf <= relief
    ? `délai de déclaration de créance expiré le ${formatDateFr(deadline)} : demander au juge-commissaire un relevé de forclusion avant le ${formatDateFr(relief)} (L622-26)`
    : `délai de déclaration de créance expiré le ${formatDateFr(deadline)}, et celui du relevé de forclusion le ${formatDateFr(relief)} (L622-26)`;
}

/** The reason a client under a proceeding is in the plan's manual list. */
export function procedureReason(p: ProcedureRecord, asOf: CalendarDate): string {
  return `${PROCEDURE_LABELS[p.type]} (jugement du ${formatDateFr(p.judgmentOn)}) : relances arrêtées (L622-21) ; ${deadlineSentence(p, asOf)}`;
}

/** One invoice of a declaration of claim. */
export interface DeclaredInvoice {
  ref: string;
  docDate: CalendarDate | null;
  dueDate: CalendarDate | null;
  /** What is still owed on it, once the client's unapplied credits are allocated. */
  principalCents: Cents;
  /** Due before the judgment (« échue »); else declared « à échoir » with its due date (R622-23). */
  overdue: boolean;
  /** Days late on the eve of the judgment. */
  daysLate: number;
  /** Interest up to the eve of the judgment (L622-28); 0 when not computed (see `interestKnown`). */
  interestCents: Cents;
  /** False when a rate of the period is not in the tables: the interest is left out rather than guessed. */
  interestKnown: boolean;
  parts: PenaltyPart[];
  /** 40 € per invoice late between professionals (D441-5). */
  indemnityCents: Cents;
  totalCents: Cents;
}

/** An invoice paid late before the judgment: the penalties it still owes are a pre-judgment claim (L441-10, D441-5). */
export interface DeclaredPaidLate {
  ref: string;
  dueDate: CalendarDate;
  /** Each sum received late: interest from the day after the due date to the payment date; `interestCents` null when not stated. */
  receipts: { date: CalendarDate; cents: Cents | null; daysLate: number; interestCents: Cents | null; parts: PenaltyPart[] }[];
  interestCents: Cents;
  /** 40 € (D441-5), unless the invoice is still open and its indemnity is in the open-invoices part. */
  indemnityCents: Cents;
  totalCents: Cents;
}

/** The late payments the declaration prices: the exports' invoices paid late, and those to leave out with why. */
export interface DeclarationLatePayments {
  invoices: readonly PaidLateInvoice[];
  unknown?: readonly UnknownSplit[];
  /** `client␁ref` (late-payments.ts `invoiceKey`) of invoices whose penalties were waived (payment plan) or are disputed. */
  excluded?: ReadonlyMap<string, string>;
}

/** What the creditor declares to the mandataire. */
export interface Declaration {
  procedure: ProcedureRecord;
  deadline: CalendarDate | null;
  /** The eve of the judgment: the last day interest is counted. */
  interestUntil: CalendarDate;
  invoices: DeclaredInvoice[];
  /** Open invoices not declared, and why (issued after the judgment: L622-17). */
  leftOut: { ref: string; reason: string }[];
  /** Invoices paid late before the judgment, with the penalties still owed on them. */
  paidLate: DeclaredPaidLate[];
  totals: {
    principalCents: Cents;
    overduePrincipalCents: Cents;
    upcomingPrincipalCents: Cents;
    /** Interest and indemnities of the open invoices. */
    interestCents: Cents;
    indemnityCents: Cents;
    /** Penalties on the invoices paid late before the judgment. */
    paidLateInterestCents: Cents;
    paidLateIndemnityCents: Cents;
    paidLateCents: Cents;
    totalCents: Cents;
  };
  /** French notes for the person who signs (interest left out, invoices left out). */
  notes: string[];
  /** The stand-in rates the letter states (only with penalties.whenRateMissing: lastKnown). */
  rateNotes: string[];
}

/**
 * The declaration of claim of a client under a proceeding: each of its invoices issued
 * by the judgment date and still owed (after allocation of its unapplied credits, as
 * the letters ask), with the late-payment interest stopped by the judgment (L622-28; in
 * a liquidation, L641-3), counted up to its eve so that nothing is claimed for the day
 * the judgment takes effect, and the 40 € indemnity per invoice late between
 * professionals (D441-5). An invoice whose interest would rest on a rate missing from
 * the tables is declared without interest, with a note: a declaration states no guess.
 * Invoices issued after the judgment are post-judgment claims (L622-17), not declared.
 * Between professionals, the penalties still owed on invoices paid late before the
 * judgment are declared too (an undeclared claim is unenforceable, L622-26), priced by
 * the same core as `relance penalites`: interest up to each payment date (L441-10) and
 * 40 € per invoice (D441-5) unless the open-invoices part already claims it.
 */
export function declarationOf(
  procedure: ProcedureRecord,
  items: readonly OpenItem[],
  terms: { consumer: boolean; contractualRatePercent?: number | null },
  tables: PenaltyTables,
  whenRateMissing: 'refuse' | 'lastKnown' = 'refuse',
  late: DeclarationLatePayments | null = null,
): Declaration {
  const until = addDays(procedure.judgmentOn, -1);
  const invoices: DeclaredInvoice[] = [];
  const leftOut: { ref: string; reason: string }[] = [];
  const notes: string[] = [];
  const rateNotes = new Set<string>();
  const mine = items.filter((i) => i.clientCode === procedure.clientCode);
  // Allocation first, over every open item: a credit note issued later still reduces what is owed.
  for (const item of allocatedItems(mine).filter((i) => i.openCents > 0).sort(byDueDate)) {
    if (item.docDate !== null && item.docDate > procedure.judgmentOn) {
      leftOut.push({ ref: item.ref, reason: `facture du ${formatDateFr(item.docDate)}, postérieure au jugement : créance postérieure, à ne pas déclarer (L622-17)` });
      continue;
    }
    if (item.dueDate === null) {
      invoices.push({ ref: item.ref, docDate: item.docDate, dueDate: null, principalCents: item.openCents, overdue: false, daysLate: 0, interestCents: 0, interestKnown: true, parts: [], indemnityCents: 0, totalCents: item.openCents });
      notes.push(`${item.ref} : échéance inconnue, déclarée pour son principal seul`);
      continue;
    }
    const p = penaltiesForInvoice({ ref: item.ref, dueDate: item.dueDate, openCents: item.openCents }, terms, until, tables);
    const gap = p.interest.extrapolated || p.interest.parts.some((x) => x.extrapolated);
    // penalties.whenRateMissing: `lastKnown` states the stand-in rate; else the interest is left « pour mémoire ».
    const known = !gap || whenRateMissing === 'lastKnown';
    if (gap && !known) notes.push(`${item.ref} : intérêts non chiffrés (déclarés pour mémoire), un taux de la période manque dans les tables ; ajoutez-le (penalties.rates) puis écrivez de nouveau la déclaration`);
    if (gap && known && p.interest.note) rateNotes.add(p.interest.note);
    const interestCents = known ? p.interestCents : 0;
    invoices.push({
      ref: item.ref, docDate: item.docDate, dueDate: item.dueDate, principalCents: item.openCents, overdue: p.daysLate > 0, daysLate: p.daysLate,
      interestCents, interestKnown: known, parts: known ? p.interest.parts : [], indemnityCents: p.indemnityCents,
      totalCents: item.openCents + interestCents + p.indemnityCents,
    });
  }
  for (const l of leftOut) notes.push(`${l.ref} : ${l.reason}`);
  const paidLate = terms.consumer || late === null ? [] : paidLateBefore(procedure, late, invoices, terms.contractualRatePercent ?? null, tables, whenRateMissing, notes, rateNotes);
  const sum = (f: (i: DeclaredInvoice) => Cents) => invoices.reduce((s, i) => s + f(i), 0);
  const paidLateInterestCents = paidLate.reduce((s, i) => s + i.interestCents, 0);
  const paidLateIndemnityCents = paidLate.reduce((s, i) => s + i.indemnityCents, 0);
  return {
    procedure,
    deadline: declarationDeadline(procedure.bodaccOn),
    interestUntil: until,
    invoices,
    leftOut,
    paidLate,
    totals: {
      principalCents: sum((i) => i.principalCents),
      overduePrincipalCents: sum((i) => (i.overdue ? i.principalCents : 0)),
      upcomingPrincipalCents: sum((i) => (i.overdue ? 0 : i.principalCents)),
      interestCents: sum((i) => i.interestCents),
      indemnityCents: sum((i) => i.indemnityCents),
      paidLateInterestCents,
      paidLateIndemnityCents,
      paidLateCents: paidLateInterestCents + paidLateIndemnityCents,
      totalCents: sum((i) => i.totalCents) + paidLateInterestCents + paidLateIndemnityCents,
    },
    notes,
    rateNotes: [...rateNotes],
  };
}

/**
 * The penalties on the client's invoices paid late before the judgment: receipts dated
 * before the judgment day, over the five years of the commercial prescription before it
 * (Code de commerce L110-4). A sum whose interest cannot be stated (amount or rate
 * unknown) is declared « pour mémoire », with a note.
 */
function paidLateBefore(
  procedure: ProcedureRecord,
  late: DeclarationLatePayments,
  declared: readonly DeclaredInvoice[],
  contractualRatePercent: number | null,
  tables: PenaltyTables,
  whenRateMissing: 'refuse' | 'lastKnown',
  notes: string[],
  rateNotes: Set<string>,
): DeclaredPaidLate[] {
  const code = procedure.clientCode;
  const j = procedure.judgmentOn;
  const from = `${+j.slice(0, 4) - 5}${j.slice(4) === '-02-29' ? '-02-28' : j.slice(4)}`;
  const mine = late.invoices.filter((i) => i.clientCode === code);
  for (const i of mine) {
    const why = late.excluded?.get(invoiceKey(code, i.ref));
    if (why && i.receipts.some((r) => r.date < j)) notes.push(`${i.ref} : pénalités de retard non déclarées, ${why}`);
  }
  const report = latePenaltiesOf({
    period: { from, to: addDays(j, -1) },
    asOf: addDays(j, -1),
    invoices: mine.filter((i) => !late.excluded?.has(invoiceKey(code, i.ref))),
    unknown: (late.unknown ?? []).filter((u) => u.clientCode === code),
    clients: new Map([[code, { consumer: false, segment: null }]]),
    // An invoice still open whose indemnity the open-invoices part declares: not twice.
    openRefs: new Set(declared.filter((d) => d.indemnityCents > 0).map((d) => invoiceKey(code, d.ref))),
    tables,
    contractualRatePercent,
    whenRateMissing,
    waivers: NO_WAIVERS,
  });
  const client = report.clients[0];
  for (const f of client?.footnotes ?? []) rateNotes.add(f);
  for (const u of report.unknown) notes.push(`${u.refs.join(', ')} : pénalités de retard non chiffrées, ${u.why}`);
  const out: DeclaredPaidLate[] = [];
  for (const inv of client?.invoices ?? []) {
    for (const r of inv.receipts) if (r.unstated) notes.push(`${inv.ref} : règlement du ${formatDateFr(r.date)}, ${r.unstated}${r.interestCents === null ? ' (intérêts déclarés pour mémoire)' : ''}`);
    if (inv.totalCents === 0 && !inv.incomplete) continue;
    out.push({
      ref: inv.ref, dueDate: inv.dueDate,
      receipts: inv.receipts.map((r) => ({ date: r.date, cents: r.cents, daysLate: r.daysLate, interestCents: r.interestCents, parts: r.parts.map((p) => ({ ...p })) })),
      interestCents: inv.interestCents, indemnityCents: inv.indemnityCents, totalCents: inv.totalCents,
    });
  }
  return out;
}

const byDueDate = (a: OpenItem, b: OpenItem): number =>
  (a.dueDate ?? '9999-12-31') < (b.dueDate ?? '9999-12-31') ? -1 : (a.dueDate ?? '9999-12-31') > (b.dueDate ?? '9999-12-31') ? 1 : a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
