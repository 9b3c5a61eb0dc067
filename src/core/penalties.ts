import { addDays, daysBetween, type CalendarDate } from './dates.js';
import type { Cents } from './money.js';
import { finding, type Finding } from '../errors.js';
import {
  extrapolationNote,
  halfYearEnd,
  halfYearLabel,
  halfYearOf,
  halfYearStart,
  nextHalfYear,
  rateOn,
  missingRateMessage,
  type HalfYear,
  type PenaltyTables,
  type RateEntry,
  type RateTableName,
} from './rates.js';

/** Fixed recovery indemnity per late invoice between professionals (Code de commerce D441-5). */
export const RECOVERY_INDEMNITY_CENTS: Cents = 4000;

/** One half-year's share of a late-payment penalty. */
export interface PenaltyPart {
  /** First day of lateness in this half-year. */
  from: CalendarDate;
  /** Last day counted, inclusive. */
  to: CalendarDate;
  days: number;
  ratePercent: number;
  /** This part, rounded to the cent (half up); the parts add up to the total. */
  cents: Cents;
  /** True when this half-year had no rate of its own in the table. */
  extrapolated: boolean;
}

/** Half-years a rate table lacks, and the rate that stood in for them (a neighbouring half-year's). */
export interface RateGap {
  missing: HalfYear[];
  used: HalfYear;
  ratePercent: number;
}

/** Interest on a late amount, split by half-year. */
export interface LatePenalty {
  cents: Cents;
  days: number;
  parts: PenaltyPart[];
  extrapolated: boolean;
  /** The half-years the table lacks, grouped by the rate that stood in; empty when the table covers the period. */
  gaps: RateGap[];
  /**
   * The letter's footnote for those half-years, stating the rate used and nothing else
   * (« taux de 12,15 % retenu pour le 2e semestre 2026 »), or null. Such a letter is
   * sent only when the user chose `penalties.whenRateMissing: lastKnown`.
   */
  note: string | null;
}

// Rates are held as integers of a millionth of a percent, so that each part is exact in
// BigInt and rounded once.
const RATE_SCALE = 1_000_000n;
const DENOMINATOR = 100n * RATE_SCALE * 365n;

/**
 * Late-payment interest on `amountCents`, from the day after `dueDate` to `until`
 * inclusive: the days are split at half-year boundaries, each part at its half-year's
 * rate (or at a fixed rate when `table` is a number, e.g. a contractual rate), on an
 * actual/365 basis (always 365, leap years included). Each part is computed exactly and
 * rounded to the cent (half up); the total is the sum of the parts, so that each line of
 * the calculation a letter prints gives the amount it shows.
 */
export function latePenalty(
  amountCents: Cents,
  dueDate: CalendarDate,
  until: CalendarDate,
  table: readonly RateEntry[] | number,
): LatePenalty {
  const days = Math.max(0, daysBetween(dueDate, until));
  if (days === 0) return { cents: 0, days: 0, parts: [], extrapolated: false, gaps: [], note: null };

  const raw: { part: Omit<PenaltyPart, 'cents'>; numerator: bigint; source: HalfYear | null }[] = [];
  let from = addDays(dueDate, 1);
  let half = halfYearOf(from);
  while (from <= until) {
    const end = halfYearEnd(half);
    const to = end < until ? end : until;
    const partDays = daysBetween(from, to) + 1;
    let ratePercent: number;
    let extrapolated = false;
    let source: HalfYear | null = null;
    if (typeof table === 'number') {
      ratePercent = table;
    } else {
      const lookup = rateOn(table, from);
      ratePercent = lookup.ratePercent;
      extrapolated = lookup.extrapolated;
      source = lookup.source;
    }
    const numerator = amountCents > 0 ? BigInt(amountCents) * BigInt(Math.round(ratePercent * 1_000_000)) * BigInt(partDays) : 0n;
    raw.push({ part: { from, to, days: partDays, ratePercent, extrapolated }, numerator, source });
    half = nextHalfYear(half);
    from = halfYearStart(half);
  }

  // Each half-year's part is rounded to the cent (half up) on its own, and the total is
  // their sum: every line a letter prints (amount × rate × days / 365 = part) computes,
  // and the lines add up to the total it claims.
  const cents = raw.map((r) => (2n * r.numerator + DENOMINATOR) / (2n * DENOMINATOR));
  const total = cents.reduce((s, c) => s + c, 0n);
  const parts = raw.map((r, i) => ({ ...r.part, cents: Number(cents[i]!) }));

  const stoodIn = raw.filter((r) => r.part.extrapolated && r.source !== null);
  // Grouped by the half-year whose rate stood in (before the table and after it).
  const groups = new Map<string, RateGap>();
  for (const r of stoodIn) {
    const key = halfYearStart(r.source!);
    const g = groups.get(key) ?? { used: r.source!, missing: [], ratePercent: r.part.ratePercent };
    g.missing.push(halfYearOf(r.part.from));
    groups.set(key, g);
  }
  const gaps = [...groups.values()];
  const note = gaps.length > 0 ? gaps.map((g) => extrapolationNote(g.used, g.missing, g.ratePercent)).join(' ; ') : null;
  return { cents: Number(total), days, parts, extrapolated: stoodIn.length > 0, gaps, note };
}

/** What decides a client's penalties: consumer or not, and the contractual rate when the terms set one. */
export interface PenaltyTerms {
  consumer: boolean;
  /** Replaces the ECB + 10 points rate between professionals (CGV); ignored for consumers. */
  contractualRatePercent?: number | null;
  /**
   * Consumers only: interest at the legal rate runs from the formal notice (Code civil
   * art. 1231-6), counted from the day after this date (the notice's presumed receipt,
   * see `presumedNoticeReceipt`). Null or absent: no formal notice yet, no interest.
   */
  consumerInterestAfter?: CalendarDate | null;
}

/**
 * Days after sending a formal notice by registered letter (LRAR) at which it is taken as
 * received, for a consumer's interest (Code civil art. 1231-6: interest runs from the
 * notice, i.e. its receipt). The journal knows only the day it was sent: 3 days for La
 * Poste to present it, plus the 15 days it is held at the post office for a recipient
 * who was out. The latest day the debtor can receive it, so that the interest claimed
 * never starts before the real receipt; the litigation file asks for the date on the
 * acknowledgement of receipt (accusé de réception) to replace it.
 */
export const NOTICE_RECEIPT_DAYS = 18;

/** The presumed day of receipt of a formal notice sent on `sentOn` (interest runs from the day after). */
export function presumedNoticeReceipt(sentOn: CalendarDate): CalendarDate {
  return addDays(sentOn, NOTICE_RECEIPT_DAYS);
}

/** A half-year missing from one of the rate tables, for one invoice's penalties. */
export interface MissingRate extends RateGap {
  table: RateTableName;
}

/** Which rate the interest was computed at. */
export type PenaltyBasis = 'taux-bce' | 'taux-contractuel' | 'taux-legal';

/** An invoice's penalties to date. */
export interface InvoicePenalties {
  ref: string;
  daysLate: number;
  basis: PenaltyBasis;
  interest: LatePenalty;
  interestCents: Cents;
  /** 40 € for a late invoice between professionals, 0 for a consumer or an invoice not yet due. */
  indemnityCents: Cents;
  /** Interest plus indemnity (the principal is not included). */
  totalCents: Cents;
  /** True when the contractual rate is below three times the legal interest rate (L441-10). */
  contractualBelowFloor: boolean;
  /** French notes for the person who sends the letter: rates missing from the table, a rate below the floor. */
  notes: string[];
  /** The first day interest is counted (the day after the due date, or after the consumer's notice receipt); null when none runs. */
  interestFrom: CalendarDate | null;
  /** Half-years the interest needed and the table lacks (the last known rate stood in). */
  missingRates: MissingRate[];
}

/**
 * An invoice's penalties as of a date. Between professionals: interest at the ECB rate
 * + 10 points per half-year (or the contractual rate, flagged when below three times
 * the legal interest rate), from the day after the due date without any reminder
 * (L441-10), plus the 40 € recovery indemnity (D441-5). For a consumer: interest at the
 * legal interest rate from the formal notice only (Code civil 1231-6: from the day after
 * `terms.consumerInterestAfter`, never before the due date), no indemnity (D441-5 is
 * between professionals). Interest runs on the amount still due.
 */
export function penaltiesForInvoice(
  invoice: { ref: string; dueDate: CalendarDate; openCents: Cents },
  terms: PenaltyTerms,
  asOf: CalendarDate,
  tables: PenaltyTables,
): InvoicePenalties {
  const daysLate = Math.max(0, daysBetween(invoice.dueDate, asOf));
  const contractual = !terms.consumer && terms.contractualRatePercent != null ? terms.contractualRatePercent : null;
  const basis: PenaltyBasis = terms.consumer ? 'taux-legal' : contractual !== null ? 'taux-contractuel' : 'taux-bce';
  const table = basis === 'taux-legal' ? tables.legalInterest : basis === 'taux-contractuel' ? contractual! : tables.latePayment;
  // Interest counts from the day after `start`: the due date, or for a consumer the
  // notice's presumed receipt (none before a notice; never before the due date).
  const after = terms.consumer ? (terms.consumerInterestAfter ?? null) : invoice.dueDate;
  const start = after === null ? null : after > invoice.dueDate ? after : invoice.dueDate;
  const interest: LatePenalty = start === null
    ? { cents: 0, days: 0, parts: [], extrapolated: false, gaps: [], note: null }
    : latePenalty(invoice.openCents, start, asOf, table);
  const tableName: RateTableName | null = basis === 'taux-legal' ? 'legalInterest' : basis === 'taux-bce' ? 'latePayment' : null;
  const missingRates: MissingRate[] = tableName ? interest.gaps.map((g) => ({ ...g, table: tableName })) : [];
  const late = daysLate > 0 && invoice.openCents > 0;
  const indemnityCents = late && !terms.consumer ? RECOVERY_INDEMNITY_CENTS : 0;

  const notes: string[] = missingRates.map((m) => missingRateMessage(m.table, m.missing, m.used, m.ratePercent).message);
  let contractualBelowFloor = false;
  if (contractual !== null) {
    for (const part of interest.parts) {
      const legal = rateOn(tables.legalInterest, part.from);
      const floor = Math.round(legal.ratePercent * 3 * 100) / 100;
      if (contractual < floor) {
        contractualBelowFloor = true;
        notes.push(
          `taux contractuel de ${percentFr(contractual)} inférieur au minimum légal de trois fois le taux de l'intérêt légal ` +
            `(${percentFr(floor)} à partir du ${part.from.slice(8, 10)}/${part.from.slice(5, 7)}/${part.from.slice(0, 4)}, article L441-10 du Code de commerce)`,
        );
        break;
      }
    }
  }
  return {
    ref: invoice.ref,
    daysLate,
    basis,
    interest,
    interestCents: interest.cents,
    indemnityCents,
    totalCents: interest.cents + indemnityCents,
    contractualBelowFloor,
    notes,
    interestFrom: interest.parts[0]?.from ?? null,
    missingRates,
  };
}

/** A rate the French way: `12,15 %`. */
export function percentFr(ratePercent: number): string {
  return `${ratePercent.toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}\u00a0%`;
}

/** Missing rates of several invoices, merged by table and by the rate that stood in, half-years in order. */
export function mergeMissingRates(list: readonly MissingRate[]): MissingRate[] {
  const groups = new Map<string, MissingRate>();
  for (const m of list) {
    const key = `${m.table}\u0000${halfYearStart(m.used)}`;
    const g = groups.get(key) ?? { table: m.table, used: m.used, ratePercent: m.ratePercent, missing: [] };
    for (const h of m.missing) if (!g.missing.some((x) => x.year === h.year && x.half === h.half)) g.missing.push(h);
    groups.set(key, g);
  }
  const order = (h: HalfYear): string => halfYearStart(h);
  return [...groups.values()]
    .map((g) => ({ ...g, missing: [...g.missing].sort((a, b) => (order(a) < order(b) ? -1 : 1)) }))
    .sort((a, b) => (a.table !== b.table ? (a.table < b.table ? 1 : -1) : order(a.missing[0]!) < order(b.missing[0]!) ? -1 : 1));
}

/** What to do when a half-year's rate is missing from the tables (config `penalties.whenRateMissing`). */
export type WhenRateMissing = 'refuse' | 'lastKnown';

/**
 * The lines `plan` and `send` write for the user (never in a letter) about rates the
 * tables lack: which half-year, and the fix; with `lastKnown`, which rate was used.
 */
export function missingRateLines(list: readonly MissingRate[], policy: WhenRateMissing): string[] {
  const out: string[] = [];
  for (const m of mergeMissingRates(list)) {
    const { message, hint } = missingRateMessage(m.table, m.missing, m.used, m.ratePercent);
    if (policy === 'lastKnown') {
      out.push(`attention : ${message} ; le taux du ${halfYearLabel(m.used)} (${percentFr(m.ratePercent)}) est repris, comme le demande penalties.whenRateMissing: lastKnown, et les lettres l'indiquent.`);
    } else {
      out.push(`attention : ${message} : relance send n'envoie pas les lettres qui chiffrent des pénalités avec ce taux manquant.`);
      out.push(`conseil : ${hint}.`);
    }
  }
  return out;
}

/**
 * `check`'s findings on the rates the open items' penalties need and the tables lack,
 * from the day after each overdue item's due date to `asOf`. Between professionals (no
 * contractual rate): the L441-10 table, an error (`taux-manquant`) as send would refuse
 * the letters stating them; with `whenRateMissing: lastKnown` a warning naming the rate
 * used. Consumers: the legal interest table, needed only once a formal notice was sent
 * (Code civil 1231-6), which check does not know: a warning at most.
 */
export function missingRateFindings(
  items: readonly { clientCode: string; dueDate: CalendarDate | null; openCents: Cents }[],
  consumers: ReadonlySet<string>,
  asOf: CalendarDate,
  tables: PenaltyTables,
  contractualRatePercent: number | null,
  policy: WhenRateMissing,
  file: string,
): Finding[] {
  const b2b: MissingRate[] = [];
  const b2c: MissingRate[] = [];
  for (const it of items) {
    if (it.dueDate === null || it.openCents <= 0 || it.dueDate >= asOf) continue;
    const consumer = consumers.has(it.clientCode);
    const p = penaltiesForInvoice(
      { ref: '', dueDate: it.dueDate, openCents: it.openCents },
      { consumer, contractualRatePercent, consumerInterestAfter: it.dueDate },
      asOf,
      tables,
    );
    (consumer ? b2c : b2b).push(...p.missingRates);
  }
  const out: Finding[] = [];
  for (const [list, forConsumers] of [[b2b, false], [b2c, true]] as const) {
    for (const m of mergeMissingRates(list)) {
      const { message, hint } = missingRateMessage(m.table, m.missing, m.used, m.ratePercent);
      const value = m.missing.map((h) => halfYearStart(h)).join(', ');
      if (policy === 'lastKnown') {
        out.push(finding('avertissement', 'taux-manquant', { file, value }, `${message} : le taux du ${halfYearLabel(m.used)} (${percentFr(m.ratePercent)}) est repris (penalties.whenRateMissing: lastKnown) et les lettres l'indiquent`, `ajoutez le taux en vigueur dans ${m.table === 'latePayment' ? 'penalties.rates' : 'penalties.legalInterestRates'} dès qu'il est connu`));
      } else {
        const what = forConsumers
          ? ' : les intérêts des clients particuliers après une mise en demeure en ont besoin (article 1231-6 du Code civil)'
          : ' : relance send refusera les lettres qui chiffrent des pénalités avec ce taux';
        out.push(finding(forConsumers ? 'avertissement' : 'erreur', 'taux-manquant', { file, value }, `${message}${what}`, hint));
      }
    }
  }
  return out;
}
