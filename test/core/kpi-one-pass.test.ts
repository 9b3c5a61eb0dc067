// Issue 17: the KPIs compute their month-ends in one pass over the groups; each result
// must be the per-date computation's, on ledgers built to trip a shortcut.
import { describe, expect, it } from 'vitest';
import { allocatedItems } from '../../src/core/allocation.js';
import { computeKpisFromFec, monthsBack } from '../../src/core/kpi-compute.js';
import { agedBalanceOf } from '../../src/core/kpi-compute.js';
import { dayBefore } from '../../src/core/kpi.js';
import {
  groupLettering, openItemsAt, openItemsAtDates, openItemsOfGroups, paymentsAt, settlementIn, settlementsIn, sourceKey, type FecLine,
} from '../../src/core/ledger.js';

/**
 * A random ledger over 2025-2026: invoices, credit notes, payments (bank) and other
 * credits, partly or wholly lettered, groups whose lines straddle month-ends (lettered
 * after the month-end), groups that balance then reopen, opening entries, 0-cent lines,
 * lines on a month's last day, several clients and two files.
 */
function ledger(seed: number): FecLine[] {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const lines: FecLine[] = [];
  let n = 0;
  const date = (): string => {
    const y = rnd() < 0.4 ? 2025 : 2026;
    const m = 1 + Math.floor(rnd() * 12);
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const d = rnd() < 0.25 ? last : rnd() < 0.1 ? 1 : 1 + Math.floor(rnd() * last);
    return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  };
  const add = (client: string, d: string, cents: number, letter: string, kind: 'invoice' | 'credit' | 'payment' | 'opening'): void => {
    n++;
    lines.push({
      client, clientName: `Client ${client}`, journal: kind === 'payment' ? 'BQ' : kind === 'opening' ? 'AN' : 'VT', ref: `R${n}`,
      docDate: d, date: kind === 'opening' ? '2025-01-01' : d, cents, group: letter ? `${client}\u0001${letter}` : '',
      letDate: letter ? '2026-12-31' : null, dueDate: rnd() < 0.3 ? null : d, opening: kind === 'opening', payment: kind === 'payment',
      mode: null, file: d < '2026' ? 'FEC2025.txt' : 'FEC2026.txt', line: n,
    });
  };
  for (const client of ['C1', 'C2', 'C3']) {
    if (rnd() < 0.6) add(client, '2025-01-01', Math.round((rnd() - 0.3) * 50000), rnd() < 0.5 ? 'AN' : '', 'opening');
    for (let k = 0; k < 5 + Math.floor(rnd() * 25); k++) {
      const letter = rnd() < 0.35 ? '' : pick(['AA', 'AB', 'AC', 'AD', 'AN']);
      const cents = rnd() < 0.05 ? 0 : 1000 * (1 + Math.floor(rnd() * 100));
      const r = rnd();
      if (r < 0.45) add(client, date(), cents, letter, 'invoice');
      else if (r < 0.75) add(client, date(), -cents, letter, 'payment');
      else add(client, date(), -cents, letter, 'credit');
    }
    // A group that balances: an invoice, paid in parts over later months.
    const d = date();
    add(client, d, 60000, 'ZZ', 'invoice');
    add(client, d, -10000, 'ZZ', 'credit');
    add(client, d < '2026-06' ? '2026-07-31' : '2026-12-31', -50000, 'ZZ', 'payment');
  }
  // Shuffled: neither the groups nor the lines come in date order.
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  return lines;
}

const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);
const monthEnds = (to: string) => [to, ...monthsBack(to).map((m) => dayBefore(m.upTo.from))];

describe('open items at many dates in one pass = open items at each date', () => {
  it.each(SEEDS)('seed %i', (seed) => {
    const lines = ledger(seed);
    const groups = groupLettering(lines);
    // Unsorted, with a date twice, and dates before and after every line.
    const dates = [...monthEnds('2026-09-30'), '2026-03-15', '2024-12-31', '2026-03-15', '2027-06-30', '2025-01-01'];
    const items = openItemsAtDates(groups, dates);
    dates.forEach((date, k) => expect(items[k]).toEqual(openItemsOfGroups(groups, date)));
  });
});

describe('settlements of many periods in one pass = each period\'s', () => {
  it.each(SEEDS)('seed %i', (seed) => {
    const groups = groupLettering(ledger(seed));
    const periods = [...monthsBack('2026-09-30').map((m) => m.upTo), { from: '2026-07-01', to: '2026-09-30' }, { from: '2025-01-01', to: '2025-01-01' }];
    settlementsIn(groups, periods).forEach((s, k) => {
      const one = settlementIn(groups, periods[k]!.from, periods[k]!.to);
      expect(new Map([...s.settled].flatMap(([file, byLine]) => [...byLine].map(([l, v]) => [sourceKey(file, l), v] as const)))).toEqual(one.settled);
      expect(s.unappliedCash).toEqual(one.unappliedCash);
    });
  });
});

describe('payments from a date = all payments, then those from that date', () => {
  it.each(SEEDS)('seed %i', (seed) => {
    const lines = ledger(seed);
    for (const [from, to] of [['2026-09-01', '2026-09-30'], ['2025-03-01', '2026-02-28'], ['2026-12-31', '2026-12-31']] as const) {
      expect(paymentsAt(lines, to, from)).toEqual(paymentsAt(lines, to).filter((p) => p.date >= from));
    }
  });
});

describe('the report from the one-pass ledgers = the figures computed date by date', () => {
  it.each(SEEDS)('seed %i', (seed) => {
    const lines = ledger(seed);
    const period = { from: '2026-09-01', to: '2026-09-30' };
    const r = computeKpisFromFec({
      period, lines, firstDate: '2025-01-01', lastDate: '2026-12-31', withDueDates: (items) => items, journal: null, fixedMonthlyCents: 0,
      sources: { receivables: 'FEC', sales: 'FEC', actions: 'aucun', disputes: 'aucun' },
    });
    const sum = (keep: (l: FecLine) => boolean) => lines.filter(keep).reduce((s, l) => s + l.cents, 0);
    const salesIn = (from: string, to: string) => sum((l) => !l.opening && !l.payment && l.date >= from && l.date <= to);
    expect(r.receivablesCents).toBe(sum((l) => l.date <= period.to));
    expect(r.salesCents).toBe(salesIn(period.from, period.to));
    expect(r.agedBalance).toEqual(agedBalanceOf(allocatedItems(openItemsAt(lines, period.to)), period.to));
    expect(r.workings.cei?.beginningCents ?? sum((l) => l.date <= '2026-08-31')).toBe(sum((l) => l.date <= '2026-08-31'));
    expect(r.trend.map((t) => [t.month, t.receivablesCents, t.salesCents])).toEqual(
      monthsBack(period.to).reverse().map((m) => [m.month, sum((l) => l.date <= m.upTo.to), salesIn(m.upTo.from, m.upTo.to)]),
    );
  });
});
