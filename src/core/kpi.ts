import { addDays, daysBetween, type CalendarDate } from './dates.js';
import type { Cents } from './money.js';

/** A KPI period: calendar dates, both included. */
export interface Period {
  from: CalendarDate;
  to: CalendarDate;
}

/** Aged balance buckets, by days past due at the period end (cents). */
export interface AgedBalance {
  non_echu: Cents;
  '1-30': Cents;
  '31-60': Cents;
  '61-90': Cents;
  '91+': Cents;
}

/** One month of the trend. */
export interface TrendPoint {
  month: string; // AAAA-MM
  dsoSimple: number | null;
  recoveryRate: number | null;
  receivablesCents: Cents | null;
  salesCents: Cents | null;
}

/** The CFO's report: every figure, its inputs' sources, and what could not be computed. */
export interface KpiReport {
  period: Period;
  days: number;
  sources: { receivables: string; sales: string; actions: string; disputes: string };
  receivablesCents: Cents | null;
  /** Not yet due at the period end; from the FEC, once unapplied credits are allocated: `agedBalance.non_echu`. */
  currentCents: Cents | null;
  salesCents: Cents | null;
  dso: { simple: number | null; countback: number | null };
  bpdso: number | null;
  add: number | null;
  cei: number | null;
  recoveryRate: number | null;
  /** Overdue at the start (after unapplied credits), of which disputed, and the cash collected on it in the period. */
  recovery: { overdueAtStartCents: Cents; disputedCents: Cents; collectedCents: Cents } | null;
  activationRate: { coverage: number | null; payers: number | null };
  activation: { overdueCases: number; casesWithAction: number; casesInCollection: number; casesThatPaid: number } | null;
  costPerEuroRecovered: number | null;
  costs: { actionsCents: Cents; fixedCents: Cents; totalCents: Cents; recoveredCents: Cents } | null;
  disputeRate: number | null;
  badDebtRate: number | null;
  weightedDaysLate: number | null;
  /** By days past due, after unapplied credits (credit left over is not due): the buckets add up to the receivables. */
  agedBalance: AgedBalance | null;
  topDebtors: { clientCode: string; clientName: string; balanceCents: Cents; overdueCents: Cents; oldestDaysLate: number }[];
  trend: TrendPoint[];
  /** Figure → why it is null and what input would allow it (French). */
  missing: Record<string, string>;
}

/**
 * DSO, simple method: receivables incl. VAT at period end / sales incl. VAT of the
 * period × days in the period. Null without sales.
 */
export function dsoSimple(receivablesCents: Cents, salesCents: Cents, days: number): number | null {
  if (salesCents <= 0) return null;
  return (receivablesCents / salesCents) * days;
}

/**
 * DSO by the countback method (méthode par épuisement): peel whole months of sales
 * back from the period end until the receivables are used up, prorating the last month
 * by its days. `months` is newest first: { salesCents, days }. Null when the sales given
 * do not exhaust the receivables.
 */
export function dsoCountback(receivablesCents: Cents, months: { salesCents: Cents; days: number }[]): number | null {
  let left = receivablesCents;
  let days = 0;
  for (const m of months) {
    if (left <= 0) break;
    if (m.salesCents <= 0) {
      days += m.days;
      continue;
    }
    if (left >= m.salesCents) {
      left -= m.salesCents;
      days += m.days;
    } else {
      days += (left / m.salesCents) * m.days;
      left = 0;
    }
  }
  return left > 0 ? null : days;
}

/** Best possible DSO: not-yet-due receivables at period end / sales × days. */
export function bestPossibleDso(currentCents: Cents, salesCents: Cents, days: number): number | null {
  return dsoSimple(currentCents, salesCents, days);
}

/**
 * Collection Effectiveness Index: (beginning AR + sales / N − ending AR) /
 * (beginning AR + sales / N − ending current AR), N the number of months.
 */
export function cei(beginningCents: Cents, salesCents: Cents, months: number, endingCents: Cents, endingCurrentCents: Cents): number | null {
  const base = beginningCents + salesCents / months;
  const denominator = base - endingCurrentCents;
  if (denominator <= 0) return null;
  return (base - endingCents) / denominator;
}

/**
 * Recovery rate: cash collected in the period on invoices overdue at its start / those
 * invoices' open amounts at its start, disputed invoices excluded; credit notes are
 * neither overdue receivables nor collections.
 */
export function recoveryRate(overdueAtStartCents: Cents, disputedCents: Cents, collectedCents: Cents): number | null {
  const base = overdueAtStartCents - disputedCents;
  if (base <= 0) return null;
  return collectedCents / base;
}

/** Cost per euro recovered: collection costs of the period / amount recovered. */
export function costPerEuro(costCents: Cents, recoveredCents: Cents): number | null {
  if (recoveredCents <= 0) return null;
  return costCents / recoveredCents;
}

/** A ratio, null when the denominator is zero. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** Calendar days of a period, both ends included. */
export function periodDays(p: Period): number {
  return daysBetween(p.from, p.to) + 1;
}

/** The months of a period, oldest first, as AAAA-MM. */
export function monthsOf(p: Period): string[] {
  const out: string[] = [];
  for (let m = p.from.slice(0, 7); m <= p.to.slice(0, 7); m = nextMonth(m)) out.push(m);
  return out;
}

/** The month after AAAA-MM. */
export function nextMonth(month: string): string {
  const y = +month.slice(0, 4);
  const m = +month.slice(5, 7);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export { monthPeriod, previousMonth } from './months.js'; // light, for the declarations

/** The bucket of an amount by days past due: not due, 1–30, 31–60, 61–90, 91+. */
export function bucketOf(daysLate: number): keyof AgedBalance {
  if (daysLate <= 0) return 'non_echu';
  if (daysLate <= 30) return '1-30';
  if (daysLate <= 60) return '31-60';
  if (daysLate <= 90) return '61-90';
  return '91+';
}

/** The day before a date. */
export function dayBefore(date: CalendarDate): CalendarDate {
  return addDays(date, -1);
}
