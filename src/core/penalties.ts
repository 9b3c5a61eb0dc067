import { addDays, daysBetween, type CalendarDate } from './dates.js';
import type { Cents } from './money.js';
import {
  extrapolationNote,
  halfYearEnd,
  halfYearOf,
  halfYearStart,
  nextHalfYear,
  rateOn,
  type HalfYear,
  type PenaltyTables,
  type RateEntry,
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
  /** This part's share, so that the parts add up to the rounded total. */
  cents: Cents;
  /** True when this half-year had no rate of its own in the table. */
  extrapolated: boolean;
}

/** Interest on a late amount, split by half-year. */
export interface LatePenalty {
  cents: Cents;
  days: number;
  parts: PenaltyPart[];
  extrapolated: boolean;
  /** French note on the rates that stood in for missing half-years, or null. */
  note: string | null;
}

// Rates are held as integers of a millionth of a percent, so that the whole sum is
// exact in BigInt and rounded once at the end.
const RATE_SCALE = 1_000_000n;
const DENOMINATOR = 100n * RATE_SCALE * 365n;

/**
 * Late-payment interest on `amountCents`, from the day after `dueDate` to `until`
 * inclusive: the days are split at half-year boundaries, each part at its half-year's
 * rate (or at a fixed rate when `table` is a number, e.g. a contractual rate), on an
 * actual/365 basis (always 365, leap years included). The sum is computed exactly and
 * rounded once to the cent (half up); the parts share that total by largest remainder.
 */
export function latePenalty(
  amountCents: Cents,
  dueDate: CalendarDate,
  until: CalendarDate,
  table: readonly RateEntry[] | number,
): LatePenalty {
  const days = Math.max(0, daysBetween(dueDate, until));
  if (days === 0) return { cents: 0, days: 0, parts: [], extrapolated: false, note: null };

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

  const sum = raw.reduce((s, r) => s + r.numerator, 0n);
  const total = (2n * sum + DENOMINATOR) / (2n * DENOMINATOR);
  const floors = raw.map((r) => r.numerator / DENOMINATOR);
  let extra = total - floors.reduce((s, f) => s + f, 0n);
  const order = raw
    .map((r, i) => ({ i, rem: r.numerator % DENOMINATOR }))
    .sort((a, b) => (b.rem > a.rem ? 1 : b.rem < a.rem ? -1 : a.i - b.i));
  const cents = floors.slice();
  for (const { i } of order) {
    if (extra <= 0n) break;
    cents[i] = cents[i]! + 1n;
    extra--;
  }
  const parts = raw.map((r, i) => ({ ...r.part, cents: Number(cents[i]!) }));

  const stoodIn = raw.filter((r) => r.part.extrapolated && r.source !== null);
  let note: string | null = null;
  if (stoodIn.length > 0) {
    // Group by the half-year whose rate stood in (before the table and after it).
    const groups = new Map<string, { used: HalfYear; missing: HalfYear[] }>();
    for (const r of stoodIn) {
      const key = halfYearStart(r.source!);
      const g = groups.get(key) ?? { used: r.source!, missing: [] };
      g.missing.push(halfYearOf(r.part.from));
      groups.set(key, g);
    }
    note = [...groups.values()].map((g) => extrapolationNote(g.used, g.missing)).join(' ; ');
  }
  return { cents: Number(total), days, parts, extrapolated: stoodIn.length > 0, note };
}

/** What decides a client's penalties: consumer or not, and the contractual rate when the terms set one. */
export interface PenaltyTerms {
  consumer: boolean;
  /** Replaces the ECB + 10 points rate between professionals (CGV); ignored for consumers. */
  contractualRatePercent?: number | null;
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
  /** French notes for the person who sends the letter: rates that stood in, a rate below the floor. */
  notes: string[];
}

/**
 * An invoice's penalties as of a date. Between professionals: interest at the ECB rate
 * + 10 points per half-year (or the contractual rate, flagged when below three times
 * the legal interest rate), from the day after the due date without any reminder
 * (L441-10), plus the 40 € recovery indemnity (D441-5). For a consumer: interest at the
 * legal interest rate, no indemnity. Interest runs on the amount still due.
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
  const interest = latePenalty(invoice.openCents, invoice.dueDate, asOf, table);
  const late = daysLate > 0 && invoice.openCents > 0;
  const indemnityCents = late && !terms.consumer ? RECOVERY_INDEMNITY_CENTS : 0;

  const notes: string[] = [];
  if (interest.note) notes.push(interest.note);
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
  };
}

/** A rate the French way: `12,15 %`. */
export function percentFr(ratePercent: number): string {
  return `${ratePercent.toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}\u00a0%`;
}
