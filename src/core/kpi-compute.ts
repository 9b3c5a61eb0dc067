import { allocatedItems, allocatedItemsOf, positionsOf, type ClientPosition } from './allocation.js';
import { daysBetween, formatDateFr, type CalendarDate } from './dates.js';
import {
  bestPossibleDso,
  bucketOf,
  cei,
  costPerEuro,
  dayBefore,
  dsoSimple,
  monthPeriod,
  monthsOf,
  periodDays,
  previousMonth,
  ratio,
  recoveryRate,
  type AgedBalance,
  type KpiReport,
  type Period,
  type TrendPoint,
} from './kpi.js';
import { groupLettering, openItemsAtDates, paymentsAt, settlementsIn, type FecLine, type LineSettlement } from './ledger.js';
import type { Cents } from './money.js';
import type { OpenItem } from './records.js';

/** What the journal contributes to the KPIs. */
export interface KpiJournal {
  actions: { clientCode: string; actionDate: CalendarDate; costCents: Cents; status: string }[];
  calls: { clientCode: string; notedOn: CalendarDate; costCents: Cents }[];
  disputes: { ref: string; openedOn: CalendarDate; closedOn: CalendarDate | null }[];
  writeoffs: { ref: string; amountCents: Cents; writtenOn: CalendarDate }[];
}

/** Inputs of the report computed from FECs. */
export interface FecKpiInput {
  period: Period;
  lines: FecLine[];
  /** First date the FECs cover: months before it have no data. */
  firstDate: CalendarDate;
  /** Last entry date of the FECs (any account); by default, the last customer line's. */
  lastDate?: CalendarDate;
  /** Gives due dates to open items that have none (client terms, or the default). */
  withDueDates: (items: OpenItem[]) => OpenItem[];
  journal: KpiJournal | null;
  fixedMonthlyCents: Cents;
  sources: KpiReport['sources'];
}

/** The ledger at a date: each client's position, and its open items once unapplied credits are allocated. */
interface LedgerAt {
  positions: Map<string, ClientPosition>;
  /** Invoices less unapplied credits (oldest due first), and credit left over: what the aged balance shows (computed when first read). */
  readonly items: OpenItem[];
}

/**
 * How many months the countback and the trend walk back: a year, the span of the CFO's
 * trend chart, and more than a countback on any usual payment terms needs.
 */
export const MONTHS_BACK = 12;

/** How many of the largest balances the report lists. */
const TOP_DEBTORS = 10;

/**
 * The ledgers kept in memory once computed (each holds every open item of its day, and
 * every client's position): the period's start is asked for again by the trend's first
 * month, the other trend months once each, so two are enough.
 */
const LEDGER_CACHE_SIZE = 2;

/** A month walked back from a date: AAAA-MM, the whole month, and its part up to that date. */
export interface MonthBack {
  month: string;
  whole: Period;
  /** The whole month, except the date's own month: from its first day to the date. */
  upTo: Period;
}

/** The `MONTHS_BACK` months back from the month of `to`, newest first: the one walk of the countback and the trend. */
export function monthsBack(to: CalendarDate): MonthBack[] {
  const out: MonthBack[] = [];
  for (let m = to.slice(0, 7); out.length < MONTHS_BACK; m = previousMonth(m)) {
    const whole = monthPeriod(m);
    out.push({ month: m, whole, upTo: whole.to > to ? { from: whole.from, to } : whole });
  }
  return out;
}

/** A month of sales as the countback uses it, newest first: its sales, its days, how much of the receivables it took, and the days that counted. */
export interface CountbackMonth {
  month: string;
  salesCents: Cents;
  days: number;
  /** The receivables it took: its sales, or less in the last month (prorated); 0 without sales. */
  usedCents: Cents;
  /** Its days, or their share in the last month. */
  countedDays: number;
}

/**
 * The countback spelled out (méthode par épuisement): whole months of sales peeled back
 * from the period end until the receivables are used up, the last month prorated by its
 * days; a month without sales counts its days whole. `months` is newest first. Null
 * when the months given do not exhaust the receivables.
 */
export function countbackMonths(receivablesCents: Cents, months: readonly { month: string; salesCents: Cents; days: number }[]): CountbackMonth[] | null {
  let left = receivablesCents;
  const out: CountbackMonth[] = [];
  for (const { month, salesCents, days } of months) {
    if (left <= 0) break;
    const usedCents = salesCents <= 0 ? 0 : Math.min(left, salesCents);
    out.push({ month, salesCents, days, usedCents, countedDays: salesCents <= 0 || usedCents === salesCents ? days : (left / salesCents) * days });
    left -= usedCents;
  }
  return left > 0 ? null : out;
}

/** The countback DSO: the days of the months the receivables used up. */
export function countbackDays(months: readonly CountbackMonth[]): number {
  return months.reduce((sum, m) => sum + m.countedDays, 0);
}

/** The terms of the CEI (see `cei` in core/kpi.ts). */
export interface CeiTerms {
  beginningCents: Cents;
  salesCents: Cents;
  /** N, the number of months of the period. */
  months: number;
  endingCents: Cents;
  endingCurrentCents: Cents;
}

function ceiOf(t: CeiTerms): number | null {
  return cei(t.beginningCents, t.salesCents, t.months, t.endingCents, t.endingCurrentCents);
}

/** The numbers behind the figures that the report's own fields do not hold: what the renderers spell out. */
export interface KpiWorkings {
  /** The months the countback used up, newest first (null: no countback). */
  countback: CountbackMonth[] | null;
  /** The CEI's terms (null: no CEI). */
  cei: CeiTerms | null;
  /** Open at the period end on invoices in an open dispute: the dispute rate's numerator. */
  disputedCents: Cents | null;
  /** Written off in the period: the bad-debt rate's numerator. */
  writtenOffCents: Cents | null;
}

/** The report and its workings: `--format json` prints the report; the renderers format both. */
export interface KpiResult extends KpiReport {
  workings: KpiWorkings;
}

const NO_WORKINGS: KpiWorkings = { countback: null, cei: null, disputedCents: null, writtenOffCents: null };

/** The FECs as functions of dates: receivables, sales, coverage, and the ledger with due dates and allocation. */
interface FecView {
  ledgerAt: (date: CalendarDate) => LedgerAt;
  /** How a period's credits settled the debits open at its start. */
  settlementOf: (p: Period) => LineSettlement;
  receivablesAt: (date: CalendarDate) => Cents;
  salesIn: (p: Period) => Cents;
  /** Whether the FECs start early enough for the period's sales. */
  covered: (p: Period) => boolean;
  /** Why a period's sales and payments are not all in the data, or null when they are. */
  incompleteIn: (p: Period) => string | null;
}

/** The dates whose ledger the report needs and the periods whose settlement it needs: computed together, in one pass each. */
interface FecPlan {
  dates: CalendarDate[];
  periods: Period[];
}

/**
 * What `computeKpisFromFec` asks of the view: the ledgers at the period end and start,
 * and for each trend month with complete data its start's ledger and its settlement (the
 * period's too, when complete).
 */
function planOf(fec: Pick<FecView, 'covered' | 'incompleteIn'>, period: Period): FecPlan {
  const dates = [period.to, dayBefore(period.from)];
  const periods: Period[] = fec.incompleteIn(period) ? [] : [period];
  for (const { upTo } of coveredMonthsBack(fec, period.to)) {
    if (fec.incompleteIn(upTo)) continue;
    dates.push(dayBefore(upTo.from));
    periods.push(upTo);
  }
  return { dates: [...new Set(dates)], periods: periods.filter((p, i) => periods.findIndex((q) => q.from === p.from && q.to === p.to) === i) };
}

/** Sums by day, in date order, and their running totals: a sum over any dates by two binary searches. */
interface DailySums {
  days: CalendarDate[];
  /** Running total up to and including each day. */
  upTo: number[];
}

function dailySumsOf(lines: FecLine[], keep: (l: FecLine) => boolean): DailySums {
  const byDay = new Map<CalendarDate, number>();
  for (const l of lines) if (keep(l)) byDay.set(l.date, (byDay.get(l.date) ?? 0) + l.cents);
  const days = [...byDay.keys()].sort();
  const upTo: number[] = [];
  let sum = 0;
  for (const d of days) upTo.push((sum += byDay.get(d)!));
  return { days, upTo };
}

/** The sum of the days up to and including `date` (0 before the first). */
function sumUpTo(s: DailySums, date: CalendarDate): number {
  let lo = 0;
  let hi = s.days.length; // first day after `date`
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.days[mid]! <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : s.upTo[lo - 1]!;
}

function fecViewOf(input: FecKpiInput): FecView {
  const { lines, period } = input;
  const lastDate = input.lastDate ?? lastEntryOf(lines);
  // Receivables: every customer line; sales incl. VAT: customer debits (invoices) and
  // non-payment credits (credit notes) outside opening entries.
  const all = dailySumsOf(lines, () => true);
  const sales = dailySumsOf(lines, (l) => !l.opening && !l.payment);
  const coverage: Pick<FecView, 'covered' | 'incompleteIn'> = {
    covered: (p) => p.from >= input.firstDate,
    incompleteIn: (p) =>
      p.to > lastDate
        ? `données incomplètes : la dernière écriture des FEC est du ${lastDate === '' ? '(aucune)' : formatDateFr(lastDate)}, avant la fin de la période (${formatDateFr(p.to)}) : ses ventes et ses règlements manquent ; donnez un FEC exporté après le ${formatDateFr(p.to)}`
        : null,
  };
  // The ledgers and settlements the report asks for, each set in one pass over the groups
  // (a date or period asked for outside the plan takes a pass of its own).
  const plan = planOf(coverage, period);
  const groups = groupLettering(lines);
  const open = openItemsAtDates(groups, plan.dates);
  const openAt = (date: CalendarDate): OpenItem[] => {
    const k = plan.dates.indexOf(date);
    return k >= 0 ? open[k]! : openItemsAtDates(groups, [date])[0]!;
  };
  const settlements = settlementsIn(groups, plan.periods);
  const cache = new Map<CalendarDate, LedgerAt>();
  return {
    ...coverage,
    ledgerAt: (date) => {
      let hit = cache.get(date);
      if (!hit) {
        const positions = positionsOf(input.withDueDates(openAt(date)));
        // The allocated items when asked: the trend's months need the positions only.
        let items: OpenItem[] | null = null;
        hit = { positions, get items() { return (items ??= allocatedItemsOf(positions.values())); } };
        cache.set(date, hit);
        if (cache.size > LEDGER_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      return hit;
    },
    settlementOf: (p) => {
      const k = plan.periods.findIndex((q) => q.from === p.from && q.to === p.to);
      return k >= 0 ? settlements[k]! : settlementsIn(groups, [p])[0]!;
    },
    receivablesAt: (date) => sumUpTo(all, date),
    salesIn: (p) => (p.from > p.to ? 0 : sumUpTo(sales, p.to) - sumUpTo(sales, dayBefore(p.from))),
  };
}

/** The last entry date of customer lines outside opening entries ('' when none). */
function lastEntryOf(lines: FecLine[]): CalendarDate {
  let last = '';
  for (const l of lines) if (!l.opening && l.date > last) last = l.date;
  return last;
}

/** The months back from the period end that the FECs cover, newest first. */
function coveredMonthsBack(fec: Pick<FecView, 'covered'>, to: CalendarDate): MonthBack[] {
  const months = monthsBack(to);
  const first = months.findIndex((m) => !fec.covered(m.upTo));
  return first < 0 ? months : months.slice(0, first);
}

/** The period's sales, or null with the reason in `missing.sales`. */
function periodSalesOf(fec: FecView, input: FecKpiInput, incomplete: string | null, missing: Record<string, string>): Cents | null {
  if (!fec.covered(input.period)) {
    missing.sales = `les FEC fournis commencent le ${input.firstDate} : ventes de la période incomplètes ; donnez aussi le FEC de l'exercice précédent`;
    return null;
  }
  if (incomplete) {
    missing.sales = incomplete;
    return null;
  }
  const sales = fec.salesIn(input.period);
  if (sales <= 0) missing.sales = `données incomplètes : aucune vente (factures moins avoirs) dans les FEC sur la période : pas de DSO ; vérifiez que les FEC fournis couvrent bien la période`;
  return sales;
}

/** ADD: the days of DSO beyond the payment terms. */
function addOf(simple: number | null, bpdso: number | null): number | null {
  return simple !== null && bpdso !== null ? simple - bpdso : null;
}

function rateOf(recovery: KpiReport['recovery']): number | null {
  return recovery ? recoveryRate(recovery.overdueAtStartCents, recovery.disputedCents, recovery.collectedCents) : null;
}

/** The journal's actions and calls in a period that count as activity: a failed send (`echec`) does not. */
function activityIn(journal: KpiJournal, period: Period): { actions: KpiJournal['actions']; calls: KpiJournal['calls'] } {
  const inPeriod = (d: CalendarDate) => d >= period.from && d <= period.to;
  return {
    actions: journal.actions.filter((a) => a.status !== 'echec' && inPeriod(a.actionDate)),
    calls: journal.calls.filter((c) => inPeriod(c.notedOn)),
  };
}

/**
 * Activation: the cases overdue at the period start (an open item due before it), those
 * with an action or a call in the period, those with a payment in it.
 */
function activationOf(
  begin: LedgerAt,
  payments: { clientCode: string }[],
  journal: KpiJournal | null,
  period: Period,
  incomplete: string | null,
  missing: Record<string, string>,
): Pick<KpiReport, 'activationRate' | 'activation'> {
  const overdueCases = new Set(begin.items.filter((i) => i.openCents > 0 && i.dueDate !== null && i.dueDate < period.from).map((i) => i.clientCode));
  const acted = new Set<string>();
  if (journal) {
    const activity = activityIn(journal, period);
    for (const a of [...activity.actions, ...activity.calls]) if (overdueCases.has(a.clientCode)) acted.add(a.clientCode);
  } else {
    missing['activationRate.coverage'] = 'pas de journal des actions : donnez --journal (relance send le remplit)';
  }
  const paid = new Set(payments.filter((p) => overdueCases.has(p.clientCode)).map((p) => p.clientCode));
  if (incomplete) missing['activationRate.payers'] = incomplete;
  return {
    activationRate: { coverage: journal ? ratio(acted.size, overdueCases.size) : null, payers: incomplete ? null : ratio(paid.size, overdueCases.size) },
    activation: { overdueCases: overdueCases.size, casesWithAction: acted.size, casesInCollection: overdueCases.size, casesThatPaid: paid.size },
  };
}

/** The collection costs of the period (actions and calls at their cost, fixed costs), and the cost per euro recovered. */
function costsOf(
  journal: KpiJournal | null,
  fixedCents: Cents,
  recovery: KpiReport['recovery'],
  period: Period,
  incomplete: string | null,
  missing: Record<string, string>,
): Pick<KpiReport, 'costPerEuroRecovered' | 'costs'> {
  if (!journal) {
    missing.costPerEuroRecovered = 'pas de journal des actions : donnez --journal';
    return { costPerEuroRecovered: null, costs: null };
  }
  const activity = activityIn(journal, period);
  const actionsCents = activity.actions.reduce((s, a) => s + a.costCents, 0) + activity.calls.reduce((s, c) => s + c.costCents, 0);
  const costs = { actionsCents, fixedCents, totalCents: actionsCents + fixedCents, recoveredCents: recovery?.collectedCents ?? 0 };
  const cost = incomplete ? null : costPerEuro(costs.totalCents, costs.recoveredCents);
  if (incomplete) missing.costPerEuroRecovered = incomplete;
  else if (cost === null) missing.costPerEuroRecovered = 'rien n\'a été recouvré sur la période';
  return { costPerEuroRecovered: cost, costs };
}

/** The average days late of the period's payments, each invoice they settle weighing its share of the payment. */
function weightedDaysLateOf(payments: { date: CalendarDate; amountCents: Cents; settles: { dueDate: CalendarDate | null }[] }[]): number | null {
  let weight = 0;
  let weighted = 0;
  for (const p of payments) {
    const dated = p.settles.filter((s) => s.dueDate !== null);
    if (dated.length === 0) continue;
    const share = p.amountCents / dated.length;
    for (const s of dated) {
      weight += share;
      weighted += share * daysBetween(s.dueDate!, p.date);
    }
  }
  return weight > 0 ? weighted / weight : null;
}

/** Each covered month back from the period end: receivables, sales, DSO and recovery rate (none of these where the data stops short). */
function fecTrendOf(fec: FecView, period: Period, journal: KpiJournal | null): TrendPoint[] {
  const trend: TrendPoint[] = [];
  for (const { month, upTo } of coveredMonthsBack(fec, period.to)) {
    const r = fec.receivablesAt(upTo.to);
    if (fec.incompleteIn(upTo)) {
      trend.unshift({ month, dsoSimple: null, recoveryRate: null, receivablesCents: r, salesCents: null });
      continue;
    }
    const s = fec.salesIn(upTo);
    const recovery = recoveryOf(fec.ledgerAt(dayBefore(upTo.from)).positions, fec.settlementOf(upTo), upTo, journal);
    trend.unshift({ month, dsoSimple: dsoSimple(r, s, periodDays(upTo)), recoveryRate: rateOf(recovery), receivablesCents: r, salesCents: s });
  }
  return trend;
}

/**
 * Every KPI of a period from the FECs (receivables, sales, payments) and the journal
 * (actions and their costs, disputes, write-offs). A figure that the data cannot give
 * is null, with the reason in `missing`: a period that ends after the FECs' last entry,
 * or without sales, is « données incomplètes » and has no DSO, not a misleading one.
 */
export function computeKpisFromFec(input: FecKpiInput): KpiResult {
  const { period, journal } = input;
  const fec = fecViewOf(input);
  const missing: Record<string, string> = {};
  const days = periodDays(period);
  const months = monthsOf(period).length;
  const start = dayBefore(period.from);
  const incomplete = fec.incompleteIn(period);

  const receivables = fec.receivablesAt(period.to);
  const sales = periodSalesOf(fec, input, incomplete, missing);
  const withSales = sales !== null && sales > 0;
  const end = fec.ledgerAt(period.to);
  const agedBalance = agedBalanceOf(end.items, period.to);
  // Not yet due at the period end (an invoice due that very day is not late yet), after allocation.
  const current = agedBalance.non_echu;

  const simple = withSales ? dsoSimple(receivables, sales, days) : null;
  const countback = withSales
    ? countbackMonths(receivables, coveredMonthsBack(fec, period.to).map(({ month, upTo }) => ({ month, salesCents: fec.salesIn(upTo), days: periodDays(upTo) })))
    : null;
  if (withSales && countback === null) missing['dso.countback'] = 'les ventes des mois couverts par les FEC n\'épuisent pas les créances';
  const bpdso = withSales ? bestPossibleDso(Math.max(0, current), sales, days) : null;
  const startCovered = fec.covered({ from: start, to: start });
  const ceiTerms: CeiTerms | null = sales !== null && startCovered
    ? { beginningCents: fec.receivablesAt(start), salesCents: sales, months, endingCents: receivables, endingCurrentCents: Math.max(0, current) }
    : null;
  const ceiValue = ceiTerms ? ceiOf(ceiTerms) : null;
  if (ceiValue === null && sales !== null) {
    missing.cei = startCovered ? 'créances de début de période et ventes ne dépassent pas les créances non échues de fin : pas de dénominateur' : 'créances de début de période indisponibles';
  }

  const begin = fec.ledgerAt(start);
  const recovery = incomplete ? null : recoveryOf(begin.positions, fec.settlementOf(period), period, journal);
  const rate = rateOf(recovery);
  if (incomplete) missing.recoveryRate = incomplete;
  else if (rate === null) missing.recoveryRate = 'aucune créance échue au début de la période';

  const payments = paymentsAt(input.lines, period.to, period.from);
  const activation = activationOf(begin, payments, journal, period, incomplete, missing);
  const costs = costsOf(journal, input.fixedMonthlyCents * months, recovery, period, incomplete, missing);

  const disputedCents = journal ? disputedOpenAt(end.items, journal, period.to) : null;
  if (!journal) missing.disputeRate = 'pas de journal des litiges : donnez --journal';
  const writtenOffCents = journal ? journal.writeoffs.filter((w) => w.writtenOn >= period.from && w.writtenOn <= period.to).reduce((s, w) => s + w.amountCents, 0) : null;
  if (!journal) missing.badDebtRate = 'pas de journal des passages en perte : donnez --journal';
  const weightedDaysLate = weightedDaysLateOf(payments);
  if (weightedDaysLate === null) missing.weightedDaysLate = 'aucun règlement de la période rapproché d\'une facture datée';

  return {
    period,
    days,
    sources: input.sources,
    receivablesCents: receivables,
    currentCents: current,
    salesCents: sales,
    dso: { simple, countback: countback ? countbackDays(countback) : null },
    bpdso,
    add: addOf(simple, bpdso),
    cei: ceiValue,
    recoveryRate: rate,
    recovery,
    ...activation,
    ...costs,
    disputeRate: disputedCents !== null ? ratio(disputedCents, receivables) : null,
    badDebtRate: writtenOffCents !== null && withSales ? ratio(writtenOffCents, sales) : null,
    weightedDaysLate,
    agedBalance,
    topDebtors: topDebtorsOf(end.items, period.to),
    trend: fecTrendOf(fec, period, journal),
    missing,
    workings: { countback, cei: ceiValue === null ? null : ceiTerms, disputedCents, writtenOffCents },
  };
}

/**
 * Invoices overdue at the period start (after unapplied credits; credit notes out), what
 * was collected on them in the period, the disputed part. Collected is cash only: a
 * payment lettered with the invoice, or cash received in the period and left unapplied,
 * allocated to the client's overdue invoices oldest due first (DESIGN §2.4). An invoice
 * settled by a credit note (or any credit that is not a payment) was not collected.
 */
function recoveryOf(start: Map<string, ClientPosition>, settlement: LineSettlement, period: Period, journal: KpiJournal | null): KpiReport['recovery'] {
  const startDate = dayBefore(period.from);
  const disputed = new Set(
    (journal?.disputes ?? []).filter((d) => d.openedOn <= period.to && (d.closedOn === null || d.closedOn > startDate)).map((d) => d.ref),
  );
  let overdue = 0;
  let disputedCents = 0;
  let collected = 0;
  for (const position of start.values()) {
    let cash = settlement.unappliedCash.get(position.clientCode) ?? 0;
    const unpaid: Cents[] = []; // what unapplied cash may still settle, oldest due first
    for (const inv of position.invoices) {
      const i = inv.item;
      if (inv.openCents <= 0 || i.dueDate === null || i.dueDate >= period.from) continue;
      overdue += inv.openCents;
      if (disputed.has(i.ref)) {
        disputedCents += inv.openCents;
        continue;
      }
      const s = settlement.settled.get(i.source.file)?.get(i.source.line);
      const paidCents = s?.paidCents ?? 0;
      const lettered = Math.min(paidCents, inv.openCents);
      collected += lettered;
      const left = Math.min(inv.openCents - lettered, inv.statementCents - paidCents - (s?.creditedCents ?? 0));
      if (left > 0) unpaid.push(left);
    }
    for (const left of unpaid) {
      if (cash <= 0) break;
      const take = Math.min(cash, left);
      collected += take;
      cash -= take;
    }
  }
  if (overdue === 0) return null;
  return { overdueAtStartCents: overdue, disputedCents, collectedCents: collected };
}

function disputedOpenAt(items: OpenItem[], journal: KpiJournal, date: CalendarDate): Cents {
  const open = new Set(journal.disputes.filter((d) => d.openedOn <= date && (d.closedOn === null || d.closedOn > date)).map((d) => d.ref));
  return items.filter((i) => i.openCents > 0 && open.has(i.ref)).reduce((s, i) => s + i.openCents, 0);
}

/**
 * The aged balance at a date, by days past due, of open items as `allocatedItems` gives
 * them: invoices less unapplied credits, oldest due first. Unknown due dates count as
 * not due, and so does credit left over (a credit is never late): the buckets add up to
 * the receivables, and no client shows more overdue than its balance.
 */
export function agedBalanceOf(items: OpenItem[], date: CalendarDate): AgedBalance {
  const out = emptyAgedBalance();
  for (const i of items) out[i.openCents < 0 || i.dueDate === null ? 'non_echu' : bucketOf(daysBetween(i.dueDate, date))] += i.openCents;
  return out;
}

/** The largest balances at a date (`TOP_DEBTORS` of them), from allocated open items (see `agedBalanceOf`). */
export function topDebtorsOf(items: OpenItem[], date: CalendarDate): KpiReport['topDebtors'] {
  const by = new Map<string, { clientCode: string; clientName: string; balanceCents: Cents; overdueCents: Cents; oldestDaysLate: number }>();
  for (const i of items) {
    const d = by.get(i.clientCode) ?? { clientCode: i.clientCode, clientName: i.clientName, balanceCents: 0, overdueCents: 0, oldestDaysLate: 0 };
    d.balanceCents += i.openCents;
    const late = i.dueDate === null ? 0 : daysBetween(i.dueDate, date);
    if (late > 0 && i.openCents > 0) {
      d.overdueCents += i.openCents;
      d.oldestDaysLate = Math.max(d.oldestDaysLate, late);
    }
    by.set(i.clientCode, d);
  }
  return largestBalances([...by.values()]);
}

function emptyAgedBalance(): AgedBalance {
  return { non_echu: 0, '1-30': 0, '31-60': 0, '61-90': 0, '91+': 0 };
}

/** The `TOP_DEBTORS` largest positive balances, largest first (then by client code). */
function largestBalances<D extends { clientCode: string; balanceCents: Cents }>(debtors: D[]): D[] {
  return debtors
    .filter((d) => d.balanceCents > 0)
    .sort((a, b) => b.balanceCents - a.balanceCents || (a.clientCode < b.clientCode ? -1 : 1))
    .slice(0, TOP_DEBTORS);
}

/**
 * Without a FEC, only the exported aged balance is known, at its own date: the aged
 * balance and the top debtors can be given; every figure that needs receivables at
 * other dates, or sales, is null with what would allow it.
 */
export function computeKpisFromBalance(period: Period, items: OpenItem[], sources: KpiReport['sources']): KpiResult {
  const needFec = 'donnez le FEC (--fec) : il porte les créances à toute date et les ventes de la période';
  const missing: Record<string, string> = {
    'dso.simple': needFec, 'dso.countback': needFec, bpdso: needFec, add: needFec, cei: needFec, recoveryRate: needFec,
    'activationRate.coverage': needFec, 'activationRate.payers': needFec, costPerEuroRecovered: needFec, disputeRate: needFec,
    badDebtRate: needFec, weightedDaysLate: needFec, trend: needFec,
  };
  const receivables = items.reduce((s, i) => s + i.openCents, 0);
  const allocated = allocatedItems(items);
  return {
    period, days: periodDays(period), sources, receivablesCents: receivables, currentCents: null, salesCents: null,
    dso: { simple: null, countback: null }, bpdso: null, add: null, cei: null, recoveryRate: null, recovery: null,
    activationRate: { coverage: null, payers: null }, activation: null, costPerEuroRecovered: null, costs: null,
    disputeRate: null, badDebtRate: null, weightedDaysLate: null,
    agedBalance: agedBalanceOf(allocated, period.to), topDebtors: topDebtorsOf(allocated, period.to), trend: [], missing,
    workings: NO_WORKINGS,
  };
}

/** An aged-balance snapshot as the journal keeps it. */
export interface SnapshotKpiInput {
  asOf: CalendarDate;
  clients: { clientCode: string; balanceCents: Cents; notDue: Cents; d1: Cents; d31: Cents; d61: Cents; d91: Cents }[];
}

/** How far before a date a snapshot may be and still stand for it. */
const SNAPSHOT_TOLERANCE_DAYS = 7;

/**
 * The KPIs without a FEC: receivables from the aged-balance snapshots the journal
 * recorded (at most a week before the date they stand for), sales from a sales export
 * or the config (per month). What needs invoices and payments (recovery, activation,
 * cost per euro, days late) stays null, saying that the FEC would give it.
 */
export function computeKpisFromSnapshots(
  period: Period,
  snapshots: SnapshotKpiInput[],
  monthlySales: Map<string, Cents>,
  sources: KpiReport['sources'],
  clientNames: Map<string, string>,
): KpiResult {
  const missing: Record<string, string> = {};
  const needFec = 'donnez le FEC (--fec) : il faut les factures et les règlements';
  for (const k of ['recoveryRate', 'activationRate.coverage', 'activationRate.payers', 'costPerEuroRecovered', 'disputeRate', 'badDebtRate', 'weightedDaysLate']) missing[k] = needFec;
  const at = (date: CalendarDate) => snapshotAt(snapshots, date);
  const days = periodDays(period);
  const end = at(period.to);
  const begin = at(dayBefore(period.from));
  const sales = monthlySalesIn(monthlySales, period);
  if (!end) missing['dso.simple'] = `aucun instantané de balance âgée au ${period.to} (ni dans les ${SNAPSHOT_TOLERANCE_DAYS} jours avant) : relance send en enregistre un à chaque envoi, ou donnez le FEC (--fec)`;
  if (sales === null) missing.sales = 'ventes du mois inconnues : donnez --sales FICHIER (mois ; ventes TTC) ou la clé sales de la configuration, ou le FEC';
  const receivables = end ? total(end) : null;
  const current = end ? notDue(end) : null;
  const simple = receivables !== null && sales !== null ? dsoSimple(receivables, sales, days) : null;
  const walk = monthsBack(period.to);
  // The countback takes whole months of the sales given, up to the first month without.
  const known = walk.findIndex((m) => !monthlySales.has(m.month));
  const salesMonths = (known < 0 ? walk : walk.slice(0, known)).map((m) => ({ month: m.month, salesCents: monthlySales.get(m.month)!, days: periodDays(m.whole) }));
  const countback = receivables !== null ? countbackMonths(receivables, salesMonths) : null;
  if (countback === null) missing['dso.countback'] = missing['dso.simple'] ?? 'les ventes mensuelles données n\'épuisent pas les créances';
  const bpdso = current !== null && sales !== null ? bestPossibleDso(current, sales, days) : null;
  const ceiTerms: CeiTerms | null = begin && end && sales !== null
    ? { beginningCents: total(begin), salesCents: sales, months: monthsOf(period).length, endingCents: total(end), endingCurrentCents: notDue(end) }
    : null;
  const ceiValue = ceiTerms ? ceiOf(ceiTerms) : null;
  if (ceiValue === null) missing.cei = 'instantané de début ou de fin de période, ou ventes, manquants';
  // The trend: each month with a snapshot or sales; a month with neither is left out.
  const trend: TrendPoint[] = [];
  for (const { month, whole, upTo } of walk) {
    const snap = at(upTo.to);
    const s = monthlySales.get(month) ?? null;
    if (!snap && s === null) continue;
    const r = snap ? total(snap) : null;
    trend.unshift({ month, dsoSimple: r !== null && s !== null ? dsoSimple(r, s, periodDays(whole)) : null, recoveryRate: null, receivablesCents: r, salesCents: s });
  }
  return {
    period, days, sources, receivablesCents: receivables, currentCents: current, salesCents: sales,
    dso: { simple, countback: countback ? countbackDays(countback) : null }, bpdso, add: addOf(simple, bpdso), cei: ceiValue,
    recoveryRate: null, recovery: null, activationRate: { coverage: null, payers: null }, activation: null,
    costPerEuroRecovered: null, costs: null, disputeRate: null, badDebtRate: null, weightedDaysLate: null,
    agedBalance: end ? snapshotAgedBalanceOf(end) : null,
    topDebtors: end ? snapshotTopDebtorsOf(end, clientNames) : [],
    trend,
    missing,
    workings: { ...NO_WORKINGS, countback, cei: ceiValue === null ? null : ceiTerms },
  };
}

/** The latest snapshot at a date or at most `SNAPSHOT_TOLERANCE_DAYS` before it. */
function snapshotAt(snapshots: SnapshotKpiInput[], date: CalendarDate): SnapshotKpiInput | null {
  let best: SnapshotKpiInput | null = null;
  for (const s of snapshots) if (s.asOf <= date && daysBetween(s.asOf, date) <= SNAPSHOT_TOLERANCE_DAYS) best = s;
  return best;
}

function total(s: SnapshotKpiInput): Cents {
  return s.clients.reduce((sum, c) => sum + c.balanceCents, 0);
}

/** Not yet due in a snapshot: a client's credit left over counts as none. */
function notDue(s: SnapshotKpiInput): Cents {
  return s.clients.reduce((sum, c) => sum + Math.max(0, c.notDue), 0);
}

/** The sales of a period's months, or null when one of them is not given. */
function monthlySalesIn(monthlySales: Map<string, Cents>, p: Period): Cents | null {
  let sum = 0;
  for (const m of monthsOf(p)) {
    const v = monthlySales.get(m);
    if (v === undefined) return null;
    sum += v;
  }
  return sum;
}

function snapshotAgedBalanceOf(s: SnapshotKpiInput): AgedBalance {
  return s.clients.reduce<AgedBalance>(
    (a, c) => ({ non_echu: a.non_echu + c.notDue, '1-30': a['1-30'] + c.d1, '31-60': a['31-60'] + c.d31, '61-90': a['61-90'] + c.d61, '91+': a['91+'] + c.d91 }),
    emptyAgedBalance(),
  );
}

/** The largest balances of a snapshot; the oldest days late is the first day of the oldest bucket with an amount. */
function snapshotTopDebtorsOf(s: SnapshotKpiInput, clientNames: Map<string, string>): KpiReport['topDebtors'] {
  return largestBalances(s.clients).map((c) => ({
    clientCode: c.clientCode, clientName: clientNames.get(c.clientCode) ?? '', balanceCents: c.balanceCents,
    overdueCents: c.d1 + c.d31 + c.d61 + c.d91, oldestDaysLate: c.d91 > 0 ? 91 : c.d61 > 0 ? 61 : c.d31 > 0 ? 31 : c.d1 > 0 ? 1 : 0,
  }));
}
