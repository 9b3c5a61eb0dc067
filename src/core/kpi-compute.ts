import { allocatedItems, allocatedItemsOf, positionsOf, type ClientPosition } from './allocation.js';
import { daysBetween, formatDateFr, type CalendarDate } from './dates.js';
import {
  bestPossibleDso,
  bucketOf,
  cei,
  costPerEuro,
  dayBefore,
  dsoCountback,
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
import { groupLettering, openItemsOfGroups, paymentsAt, settlementIn, sourceKey, type FecLine, type PeriodSettlement } from './ledger.js';
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
  /** Invoices less unapplied credits (oldest due first), and credit left over: what the aged balance shows. */
  items: OpenItem[];
}

/**
 * The ledger at a date, with due dates and allocation (DESIGN §2.4). The trend walks
 * back month by month and each month's start is the previous month's end: the last few
 * dates are kept, not all of them (each holds every open item of that day).
 */
function ledgerAtFactory(input: FecKpiInput, groups: FecLine[][]): (date: CalendarDate) => LedgerAt {
  const cache = new Map<CalendarDate, LedgerAt>();
  return (date) => {
    let hit = cache.get(date);
    if (!hit) {
      const positions = positionsOf(input.withDueDates(openItemsOfGroups(groups, date)));
      hit = { positions, items: allocatedItemsOf(positions.values()) };
      cache.set(date, hit);
      if (cache.size > 4) cache.delete(cache.keys().next().value!);
    }
    return hit;
  };
}

/** The last entry date of customer lines outside opening entries ('' when none). */
function lastEntryOf(lines: FecLine[]): CalendarDate {
  let last = '';
  for (const l of lines) if (!l.opening && l.date > last) last = l.date;
  return last;
}

/**
 * Every KPI of a period from the FECs (receivables, sales, payments) and the journal
 * (actions and their costs, disputes, write-offs). A figure that the data cannot give
 * is null, with the reason in `missing`: a period that ends after the FECs' last entry,
 * or without sales, is « données incomplètes » and has no DSO, not a misleading one.
 */
export function computeKpisFromFec(input: FecKpiInput): KpiReport {
  const { period, lines } = input;
  const groups = groupLettering(lines);
  const ledgerAt = ledgerAtFactory(input, groups);
  const missing: Record<string, string> = {};
  const days = periodDays(period);
  const start = dayBefore(period.from);
  const lastDate = input.lastDate ?? lastEntryOf(lines);

  // Receivables at any date: prefix sums over the customer lines, by date.
  const sorted = [...lines].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const receivablesAt = (date: CalendarDate): Cents => {
    let sum = 0;
    for (const l of sorted) {
      if (l.date > date) break;
      sum += l.cents;
    }
    return sum;
  };
  // Sales incl. VAT: customer debits (invoices) and non-payment credits (credit notes) outside opening entries.
  const salesIn = (p: Period): Cents => {
    let sum = 0;
    for (const l of lines) {
      if (l.opening || l.payment || l.date < p.from || l.date > p.to) continue;
      sum += l.cents;
    }
    return sum;
  };
  const covered = (p: Period): boolean => p.from >= input.firstDate;
  /** Why a period's sales and payments are not all in the data, or null when they are. */
  const incompleteIn = (p: Period): string | null =>
    p.to > lastDate
      ? `données incomplètes : la dernière écriture des FEC est du ${lastDate === '' ? '(aucune)' : formatDateFr(lastDate)}, avant la fin de la période (${formatDateFr(p.to)}) : ses ventes et ses règlements manquent ; donnez un FEC exporté après le ${formatDateFr(p.to)}`
      : null;

  const receivables = receivablesAt(period.to);
  const incomplete = incompleteIn(period);
  let sales: Cents | null = null;
  if (!covered(period)) missing.sales = `les FEC fournis commencent le ${input.firstDate} : ventes de la période incomplètes ; donnez aussi le FEC de l'exercice précédent`;
  else if (incomplete) missing.sales = incomplete;
  else {
    sales = salesIn(period);
    if (sales <= 0) missing.sales = `données incomplètes : aucune vente (factures moins avoirs) dans les FEC sur la période : pas de DSO ; vérifiez que les FEC fournis couvrent bien la période`;
  }
  const withSales = sales !== null && sales > 0;
  const end = ledgerAt(period.to);
  const agedBalance = agedBalanceOf(end.items, period.to);
  // Not yet due at the period end (an invoice due that very day is not late yet), after allocation.
  const current = agedBalance.non_echu;

  const simple = withSales ? dsoSimple(receivables, sales!, days) : null;
  // Countback: whole months back from the period end (12 at most).
  let countback: number | null = null;
  if (withSales) {
    const monthsBack: { salesCents: Cents; days: number }[] = [];
    for (let m = period.to.slice(0, 7), k = 0; k < 12; m = previousMonth(m), k++) {
      const mp = monthPeriod(m);
      if (!covered(mp)) break;
      const to = mp.to > period.to ? period.to : mp.to;
      monthsBack.push({ salesCents: salesIn({ from: mp.from, to }), days: daysBetween(mp.from, to) + 1 });
    }
    countback = dsoCountback(receivables, monthsBack);
    if (countback === null) missing['dso.countback'] = 'les ventes des mois couverts par les FEC n\'épuisent pas les créances';
  }
  const bpdso = withSales ? bestPossibleDso(Math.max(0, current), sales!, days) : null;
  const months = monthsOf(period).length;
  const ceiValue = sales !== null && covered({ from: start, to: start }) ? cei(receivablesAt(start), sales, months, receivables, Math.max(0, current)) : null;
  if (ceiValue === null && sales !== null) {
    missing.cei = covered({ from: start, to: start }) ? 'créances de début de période et ventes ne dépassent pas les créances non échues de fin : pas de dénominateur' : 'créances de début de période indisponibles';
  }

  const begin = ledgerAt(start);
  const recovery = incomplete ? null : recoveryOf(begin.positions, settlementIn(groups, period.from, period.to), period, input.journal);
  const rate = recovery ? recoveryRate(recovery.overdueAtStartCents, recovery.disputedCents, recovery.collectedCents) : null;
  if (incomplete) missing.recoveryRate = incomplete;
  else if (rate === null) missing.recoveryRate = 'aucune créance échue au début de la période';

  // Activation: overdue cases at the start, with an action / with a payment in the period.
  const overdueCases = new Set(begin.items.filter((i) => i.openCents > 0 && i.dueDate !== null && i.dueDate < period.from).map((i) => i.clientCode));
  const inPeriod = (d: CalendarDate) => d >= period.from && d <= period.to;
  const acted = new Set<string>();
  if (input.journal) {
    for (const a of input.journal.actions) if (a.status !== 'echec' && inPeriod(a.actionDate) && overdueCases.has(a.clientCode)) acted.add(a.clientCode);
    for (const c of input.journal.calls) if (inPeriod(c.notedOn) && overdueCases.has(c.clientCode)) acted.add(c.clientCode);
  } else {
    missing['activationRate.coverage'] = 'pas de journal des actions : donnez --journal (relance send le remplit)';
  }
  const payments = paymentsAt(lines, period.to).filter((p) => p.date >= period.from);
  const paid = new Set(payments.filter((p) => overdueCases.has(p.clientCode)).map((p) => p.clientCode));
  const coverage = input.journal ? ratio(acted.size, overdueCases.size) : null;
  const payers = incomplete ? null : ratio(paid.size, overdueCases.size);
  if (incomplete) missing['activationRate.payers'] = incomplete;

  let costs: KpiReport['costs'] = null;
  let cost: number | null = null;
  if (input.journal) {
    const actionsCents = input.journal.actions.filter((a) => inPeriod(a.actionDate) && a.status !== 'echec').reduce((s, a) => s + a.costCents, 0)
      + input.journal.calls.filter((c) => inPeriod(c.notedOn)).reduce((s, c) => s + c.costCents, 0);
    const fixedCents = input.fixedMonthlyCents * months;
    costs = { actionsCents, fixedCents, totalCents: actionsCents + fixedCents, recoveredCents: recovery?.collectedCents ?? 0 };
    cost = incomplete ? null : costPerEuro(costs.totalCents, costs.recoveredCents);
    if (incomplete) missing.costPerEuroRecovered = incomplete;
    else if (cost === null) missing.costPerEuroRecovered = 'rien n\'a été recouvré sur la période';
  } else {
    missing.costPerEuroRecovered = 'pas de journal des actions : donnez --journal';
  }

  const disputedEnd = input.journal ? disputedOpenAt(end.items, input.journal, period.to) : null;
  const disputeRate = disputedEnd !== null ? ratio(disputedEnd, receivables) : null;
  if (!input.journal) missing.disputeRate = 'pas de journal des litiges : donnez --journal';
  const writtenOff = input.journal ? input.journal.writeoffs.filter((w) => inPeriod(w.writtenOn)).reduce((s, w) => s + w.amountCents, 0) : null;
  const badDebtRate = writtenOff !== null && withSales ? ratio(writtenOff, sales!) : null;
  if (!input.journal) missing.badDebtRate = 'pas de journal des passages en perte : donnez --journal';

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
  const weightedDaysLate = weight > 0 ? weighted / weight : null;
  if (weightedDaysLate === null) missing.weightedDaysLate = 'aucun règlement de la période rapproché d\'une facture datée';

  const trend: TrendPoint[] = [];
  for (let m = period.to.slice(0, 7), k = 0; k < 12; m = previousMonth(m), k++) {
    const mp = monthPeriod(m);
    if (mp.to > period.to) mp.to = period.to;
    if (!covered(mp)) break;
    const r = receivablesAt(mp.to);
    if (incompleteIn(mp)) {
      trend.unshift({ month: m, dsoSimple: null, recoveryRate: null, receivablesCents: r, salesCents: null });
      continue;
    }
    const s = salesIn(mp);
    const rec = recoveryOf(ledgerAt(dayBefore(mp.from)).positions, settlementIn(groups, mp.from, mp.to), mp, input.journal);
    trend.unshift({
      month: m,
      dsoSimple: dsoSimple(r, s, periodDays(mp)),
      recoveryRate: rec ? recoveryRate(rec.overdueAtStartCents, rec.disputedCents, rec.collectedCents) : null,
      receivablesCents: r,
      salesCents: s,
    });
  }

  return {
    period,
    days,
    sources: input.sources,
    receivablesCents: receivables,
    currentCents: current,
    salesCents: sales,
    dso: { simple, countback },
    bpdso,
    add: simple !== null && bpdso !== null ? simple - bpdso : null,
    cei: ceiValue,
    recoveryRate: rate,
    recovery,
    activationRate: { coverage, payers },
    activation: { overdueCases: overdueCases.size, casesWithAction: acted.size, casesInCollection: overdueCases.size, casesThatPaid: paid.size },
    costPerEuroRecovered: cost,
    costs,
    disputeRate,
    badDebtRate,
    weightedDaysLate,
    agedBalance,
    topDebtors: topDebtorsOf(end.items, period.to),
    trend,
    missing,
  };
}

/**
 * Invoices overdue at the period start (after unapplied credits; credit notes out), what
 * was collected on them in the period, the disputed part. Collected is cash only: a
 * payment lettered with the invoice, or cash received in the period and left unapplied,
 * allocated to the client's overdue invoices oldest due first (DESIGN §2.4). An invoice
 * settled by a credit note (or any credit that is not a payment) was not collected.
 */
function recoveryOf(start: Map<string, ClientPosition>, settlement: PeriodSettlement, period: Period, journal: KpiJournal | null): KpiReport['recovery'] {
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
      const s = settlement.settled.get(sourceKey(i.source.file, i.source.line));
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
  const out: AgedBalance = { non_echu: 0, '1-30': 0, '31-60': 0, '61-90': 0, '91+': 0 };
  for (const i of items) out[i.openCents < 0 || i.dueDate === null ? 'non_echu' : bucketOf(daysBetween(i.dueDate, date))] += i.openCents;
  return out;
}

/** The ten largest balances at a date, from allocated open items (see `agedBalanceOf`). */
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
  return [...by.values()]
    .filter((d) => d.balanceCents > 0)
    .sort((a, b) => b.balanceCents - a.balanceCents || (a.clientCode < b.clientCode ? -1 : 1))
    .slice(0, 10);
}



/**
 * Without a FEC, only the exported aged balance is known, at its own date: the aged
 * balance and the top debtors can be given; every figure that needs receivables at
 * other dates, or sales, is null with what would allow it.
 */
export function computeKpisFromBalance(period: Period, items: OpenItem[], sources: KpiReport['sources']): KpiReport {
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
): KpiReport {
  const missing: Record<string, string> = {};
  const needFec = 'donnez le FEC (--fec) : il faut les factures et les règlements';
  for (const k of ['recoveryRate', 'activationRate.coverage', 'activationRate.payers', 'costPerEuroRecovered', 'disputeRate', 'badDebtRate', 'weightedDaysLate']) missing[k] = needFec;
  const at = (date: CalendarDate): SnapshotKpiInput | null => {
    let best: SnapshotKpiInput | null = null;
    for (const s of snapshots) if (s.asOf <= date && daysBetween(s.asOf, date) <= SNAPSHOT_TOLERANCE_DAYS) best = s;
    return best;
  };
  const total = (s: SnapshotKpiInput) => s.clients.reduce((sum, c) => sum + c.balanceCents, 0);
  const notDue = (s: SnapshotKpiInput) => s.clients.reduce((sum, c) => sum + Math.max(0, c.notDue), 0);
  const salesOf = (p: Period): Cents | null => {
    let sum = 0;
    for (const m of monthsOf(p)) {
      const v = monthlySales.get(m);
      if (v === undefined) return null;
      sum += v;
    }
    return sum;
  };
  const days = periodDays(period);
  const end = at(period.to);
  const begin = at(dayBefore(period.from));
  const sales = salesOf(period);
  if (!end) missing['dso.simple'] = `aucun instantané de balance âgée au ${period.to} (ni dans les ${SNAPSHOT_TOLERANCE_DAYS} jours avant) : relance send en enregistre un à chaque envoi, ou donnez le FEC (--fec)`;
  if (sales === null) missing.sales = 'ventes du mois inconnues : donnez --sales FICHIER (mois ; ventes TTC) ou la clé sales de la configuration, ou le FEC';
  const receivables = end ? total(end) : null;
  const current = end ? notDue(end) : null;
  const simple = receivables !== null && sales !== null ? dsoSimple(receivables, sales, days) : null;
  const months: { salesCents: Cents; days: number }[] = [];
  for (let m = period.to.slice(0, 7), k = 0; k < 12; m = previousMonth(m), k++) {
    const v = monthlySales.get(m);
    if (v === undefined) break;
    months.push({ salesCents: v, days: periodDays(monthPeriod(m)) });
  }
  const countback = receivables !== null ? dsoCountback(receivables, months) : null;
  if (countback === null) missing['dso.countback'] = missing['dso.simple'] ?? 'les ventes mensuelles données n\'épuisent pas les créances';
  const bpdso = current !== null && sales !== null ? bestPossibleDso(current, sales, days) : null;
  const ceiValue = begin && end && sales !== null ? cei(total(begin), sales, monthsOf(period).length, total(end), notDue(end)) : null;
  if (ceiValue === null) missing.cei = 'instantané de début ou de fin de période, ou ventes, manquants';
  const trend: TrendPoint[] = [];
  for (let m = period.to.slice(0, 7), k = 0; k < 12; m = previousMonth(m), k++) {
    const mp = monthPeriod(m);
    const snap = at(mp.to > period.to ? period.to : mp.to);
    const s = monthlySales.get(m) ?? null;
    if (!snap && s === null) continue;
    const r = snap ? total(snap) : null;
    trend.unshift({ month: m, dsoSimple: r !== null && s !== null ? dsoSimple(r, s, periodDays(mp)) : null, recoveryRate: null, receivablesCents: r, salesCents: s });
  }
  const aged: AgedBalance | null = end
    ? end.clients.reduce<AgedBalance>(
        (a, c) => ({ non_echu: a.non_echu + c.notDue, '1-30': a['1-30'] + c.d1, '31-60': a['31-60'] + c.d31, '61-90': a['61-90'] + c.d61, '91+': a['91+'] + c.d91 }),
        { non_echu: 0, '1-30': 0, '31-60': 0, '61-90': 0, '91+': 0 },
      )
    : null;
  return {
    period, days, sources, receivablesCents: receivables, currentCents: current, salesCents: sales,
    dso: { simple, countback }, bpdso, add: simple !== null && bpdso !== null ? simple - bpdso : null, cei: ceiValue,
    recoveryRate: null, recovery: null, activationRate: { coverage: null, payers: null }, activation: null,
    costPerEuroRecovered: null, costs: null, disputeRate: null, badDebtRate: null, weightedDaysLate: null,
    agedBalance: aged,
    topDebtors: end
      ? end.clients
          .filter((c) => c.balanceCents > 0)
          .sort((a, b) => b.balanceCents - a.balanceCents || (a.clientCode < b.clientCode ? -1 : 1))
          .slice(0, 10)
          .map((c) => ({ clientCode: c.clientCode, clientName: clientNames.get(c.clientCode) ?? '', balanceCents: c.balanceCents, overdueCents: c.d1 + c.d31 + c.d61 + c.d91, oldestDaysLate: c.d91 > 0 ? 91 : c.d61 > 0 ? 61 : c.d31 > 0 ? 31 : c.d1 > 0 ? 1 : 0 }))
      : [],
    trend,
    missing,
  };
}
