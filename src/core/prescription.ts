import { addDays, daysBetween, endOfMonth, formatDateFr, type CalendarDate } from './dates.js';
import type { PaymentPlanRecord } from './cases.js';
import { formatEuros } from './money.js';
import type { Client, OpenItem } from './records.js';
import { finding, type Finding } from '../errors.js';

/**
 * Prescription (time bar) of a claim. A commercial claim between traders is barred
 * after 5 years (Code de commerce art. L110-4); a professional's claim against a
 * consumer after 2 years (Code de la consommation art. L218-2). An acknowledgement by
 * the debtor, such as a signed payment plan, interrupts it (Code civil art. 2240) and a
 * new period of the same length starts from it (Code civil art. 2231).
 *
 * The period starts on the invoice date, or the due date when the export has none. The
 * courts often start a B2B period at the due date (when the claim became payable): the
 * invoice date is earlier or equal, so the bar date computed here is never later than
 * the legal one. That is the safe side: the warning comes early enough, and a claim is
 * never chased automatically past its bar date (it goes to a person instead).
 */
export interface PrescriptionRule {
  years: number;
  /** « L110-4 », « L218-2 ». */
  article: string;
  /** « article L110-4 du Code de commerce », as the texts cite it. */
  citation: string;
}

/** The two periods: B2B (Code de commerce L110-4) and consumer (Code de la consommation L218-2). */
export const PRESCRIPTION_RULES: Record<'b2b' | 'consumer', PrescriptionRule> = {
  b2b: { years: 5, article: 'L110-4', citation: 'article L110-4 du Code de commerce' },
  consumer: { years: 2, article: 'L218-2', citation: 'article L218-2 du Code de la consommation' },
};

/** How long before the bar date `check` warns and `plan` ranks a claim higher: 6 months. */
export const PRESCRIPTION_WARNING_MONTHS = 6;

/** The bar date of one invoice and where it comes from. */
export interface BarDate {
  rule: PrescriptionRule;
  /** When the period started: the invoice date, the due date, or the last interruption. */
  startOn: CalendarDate;
  startKind: 'piece' | 'echeance' | 'reconnaissance';
  /** The last day of the period: the last day to act (assign, obtain an acknowledgement). */
  lastDay: CalendarDate;
  /**
   * The day the claim is barred: the day after the last one (Code civil art. 2229, the
   * prescription is « acquise lorsque le dernier jour du terme est accompli »).
   */
  barOn: CalendarDate;
  /** From this day the claim is near its bar date (6 months before). */
  warnFrom: CalendarDate;
}

/**
 * `date` plus `months` calendar months (negative: before). A day the target month lacks
 * (29 February in a common year, 31 in a 30-day month) falls on that month's last day,
 * as with delays counted in months (Code de procédure civile art. 641): never later.
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const total = +date.slice(0, 4) * 12 + (+date.slice(5, 7) - 1) + months;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  const first = `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-01`;
  const last = endOfMonth(first);
  const day = date.slice(8, 10);
  return day > last.slice(8, 10) ? last : `${first.slice(0, 8)}${day}`;
}

/**
 * The bar date of an invoice: the period of its rule from its invoice date (or due
 * date), restarted by each acknowledgement made before the claim was barred (Code civil
 * art. 2240 and 2231). An acknowledgement after the bar date does not revive the claim
 * here: a person decides (waiving an acquired prescription is Code civil art. 2250).
 * Null when the invoice has neither date.
 */
export function barDateOf(
  invoice: { docDate: CalendarDate | null; dueDate: CalendarDate | null },
  consumer: boolean,
  acknowledgements: readonly CalendarDate[] = [],
): BarDate | null {
  const rule = consumer ? PRESCRIPTION_RULES.consumer : PRESCRIPTION_RULES.b2b;
  const start = invoice.docDate ?? invoice.dueDate;
  if (start === null) return null;
  let startOn: CalendarDate = start;
  let startKind: BarDate['startKind'] = invoice.docDate !== null ? 'piece' : 'echeance';
  let lastDay = addMonths(startOn, 12 * rule.years);
  for (const on of [...acknowledgements].sort()) {
    if (on <= startOn || on > lastDay) continue;
    startOn = on;
    startKind = 'reconnaissance';
    lastDay = addMonths(on, 12 * rule.years);
  }
  const barOn = addDays(lastDay, 1);
  return { rule, startOn, startKind, lastDay, barOn, warnFrom: addMonths(barOn, -PRESCRIPTION_WARNING_MONTHS) };
}

/** Where a claim stands at a date: barred, near its bar date (within 6 months), or not yet. */
export type PrescriptionState = 'prescrite' | 'proche' | 'non';

/** The state of a claim at `asOf`. */
export function prescriptionStateOf(bar: BarDate, asOf: CalendarDate): PrescriptionState {
  if (asOf >= bar.barOn) return 'prescrite';
  return asOf >= bar.warnFrom ? 'proche' : 'non';
}

/** Days left before the claim is barred (1 on the last day to act, 0 or less once barred). */
export function daysBeforeBar(bar: BarDate, asOf: CalendarDate): number {
  return daysBetween(asOf, bar.barOn);
}

/** What the period ran from, in words: « depuis la facture du 15/03/2021 », « depuis l'échéancier signé le … ». */
export function barStartText(bar: BarDate): string {
  const on = formatDateFr(bar.startOn);
  if (bar.startKind === 'reconnaissance') return `délai repris à la signature de l'échéancier le ${on} (art. 2240 du Code civil)`;
  return bar.startKind === 'piece' ? `délai de ${bar.rule.years} ans depuis la facture du ${on}` : `délai de ${bar.rule.years} ans depuis l'échéance du ${on}`;
}

/** « prescrite le 15/03/2026 (article L110-4 du Code de commerce) » : the bar date and its article. */
export function barText(bar: Pick<BarDate, 'barOn' | 'rule'>): string {
  return `prescrite le ${formatDateFr(bar.barOn)} (${bar.rule.citation})`;
}

/**
 * The acknowledgements of each invoice at `asOf`: the signature dates of the payment
 * plans covering it (Code civil art. 2240). A signature counts even when the plan was
 * later broken or replaced (the debtor did acknowledge the debt), but not the
 * signature of a plan cancelled outright: a cancellation may undo a plan recorded by
 * mistake, and then the earlier bar date is the safe one.
 */
export function acknowledgementsOf(plans: readonly PaymentPlanRecord[], asOf: CalendarDate): Map<string, CalendarDate[]> {
  const out = new Map<string, CalendarDate[]>();
  for (const p of plans) {
    const on = p.signedOn ?? null;
    if (on === null || on > asOf) continue;
    if (p.cancelledOn != null && p.cancelledOn <= asOf && p.replacedBy == null) continue;
    for (const ref of p.refs) out.set(ref, [...(out.get(ref) ?? []), on]);
  }
  return out;
}

/**
 * The prescription findings of `check`: a warning for each open invoice within 6 months
 * of its bar date (`prescription-proche`), and for each one already barred
 * (`prescrite`), with the invoice's file and line, the bar date, the article and what
 * to do. `acknowledgements`: the signed payment plans per invoice (acknowledgementsOf).
 */
export function prescriptionFindings(input: {
  asOf: CalendarDate;
  openItems: readonly OpenItem[];
  clients: readonly Client[];
  acknowledgements: ReadonlyMap<string, readonly CalendarDate[]>;
}): Finding[] {
  const consumers = new Set(input.clients.filter((c) => c.consumer).map((c) => c.clientCode));
  const out: Finding[] = [];
  for (const item of input.openItems) {
    if (item.openCents <= 0) continue;
    const bar = barDateOf(item, consumers.has(item.clientCode), input.acknowledgements.get(item.ref));
    if (!bar) continue;
    const state = prescriptionStateOf(bar, input.asOf);
    if (state === 'non') continue;
    const at = { file: item.source.file, line: item.source.line, value: item.ref };
    const what = `la créance « ${item.ref} » de ${item.clientCode} (${formatEuros(item.openCents)} restant dus)`;
    const why = `${barStartText(bar)}, ${bar.rule.citation}`;
    if (state === 'prescrite') {
      out.push(finding('avertissement', 'prescrite', at,
        `${what} est prescrite depuis le ${formatDateFr(bar.barOn)} : ${why}`,
        'elle n\'est plus relancée automatiquement (plan : à traiter à la main, motif prescription) ; une personne décide : demande amiable sans menace de poursuite, ou passage en perte (relance writeoff)'));
    } else {
      out.push(finding('avertissement', 'prescription-proche', at,
        `${what} sera prescrite le ${formatDateFr(bar.barOn)}, dans ${daysBeforeBar(bar, input.asOf)} jours : ${why}`,
        `agissez au plus tard le ${formatDateFr(bar.lastDay)} : faites signer un échéancier ou une reconnaissance de dette (art. 2240 du Code civil ; relance echeancier ${item.clientCode} --signe AAAA-MM-JJ l'enregistre), ou engagez une action en justice (art. 2241)`));
    }
  }
  return out;
}
