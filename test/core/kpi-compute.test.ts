import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { computeKpisFromBalance, computeKpisFromFec, type FecKpiInput, type KpiJournal } from '../../src/core/kpi-compute.js';
import type { FecLine } from '../../src/core/ledger.js';
import { loadInputs, withDueDates } from '../../src/read/inputs.js';
import { item } from '../builders.js';
import { ROOT } from '../helpers.js';

let nextLine = 1;
/** A customer line of client C1 in 2026: a debit (invoice) when cents > 0, due 30 days later unless told. */
function line(ref: string, date: string, cents: number, over: Partial<FecLine> & { letter?: string; due?: string | null } = {}): FecLine {
  const { letter = '', due, ...rest } = over;
  const client = rest.client ?? 'C1';
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 30);
  return {
    client, clientName: client, journal: 'VT', ref, docDate: date, date, cents, group: letter ? `${client}\u0001${letter}` : '',
    letDate: null, dueDate: due !== undefined ? due : cents > 0 ? d.toISOString().slice(0, 10) : date, opening: false, payment: false,
    mode: null, file: 'FEC.txt', line: nextLine++, ...rest,
  };
}
const pay = (ref: string, date: string, cents: number, over: Partial<FecLine> & { letter?: string } = {}) => line(ref, date, -cents, { journal: 'BQ', payment: true, ...over });
/** Sales every month of 2026 so that the period has some, on another client. */
const background = () => Array.from({ length: 12 }, (_, m) => line(`V${m}`, `2026-${String(m + 1).padStart(2, '0')}-02`, 10000, { client: 'Z', due: '2027-12-31' }));
const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };
const kpis = (lines: FecLine[], over: Partial<FecKpiInput> = {}) => computeKpisFromFec({
  period: OCTOBER, lines: [...background(), ...lines], firstDate: '2026-01-01', lastDate: '2026-12-31', withDueDates: (items) => items,
  journal: null, fixedMonthlyCents: 0, sources: { receivables: 'FEC', sales: 'FEC', actions: 'aucun', disputes: 'aucun' }, ...over,
});

describe('the KPIs see what clients owe after unapplied credits (DESIGN §2.4)', () => {
  it('not due = the aged balance\'s « non échu », the buckets add up to the receivables, no client owes more overdue than its balance', () => {
    const r = kpis([
      line('FA1', '2026-06-01', 100000), pay('RG1', '2026-10-10', 30000), line('FA2', '2026-10-15', 50000),
      line('FB1', '2026-10-01', 10000, { client: 'B' }), line('AVB', '2026-10-20', -20000, { client: 'B' }),
    ]);
    const aged = r.agedBalance!;
    expect(r.currentCents).toBe(aged.non_echu);
    expect(Object.values(aged).reduce((s, c) => s + c, 0)).toBe(r.receivablesCents);
    // C1: the payment comes off FA1 (oldest due): 70 000 overdue (> 90 days), FA2 not due. B: credit left, not due.
    expect(aged).toEqual({ non_echu: 50000 - 10000 + 100000, '1-30': 0, '31-60': 0, '61-90': 0, '91+': 70000 });
    for (const d of r.topDebtors) expect(d.overdueCents).toBeLessThanOrEqual(d.balanceCents);
    expect(r.topDebtors.find((d) => d.clientCode === 'C1')).toMatchObject({ balanceCents: 120000, overdueCents: 70000 });
  });

  it('does the same from an exported aged balance', () => {
    const r = computeKpisFromBalance(OCTOBER, [item({ ref: 'FA1', dueDate: '2026-09-01', openCents: 100000 }), item({ ref: 'RG1', dueDate: '2026-10-10', openCents: -40000 })], { receivables: 'x', sales: 'x', actions: 'x', disputes: 'x' });
    expect(r.agedBalance).toEqual({ non_echu: 0, '1-30': 0, '31-60': 60000, '61-90': 0, '91+': 0 });
    expect(r.topDebtors[0]).toMatchObject({ balanceCents: 60000, overdueCents: 60000 });
  });
});

describe('recovery rate: cash only, on what was overdue at the period start', () => {
  // Overdue at 30 September: FA1 (due 1 August) and FA2 (due 31 August).
  const fa1 = (over = {}) => line('FA1', '2026-07-02', 30000, over);
  const fa2 = (over = {}) => line('FA2', '2026-08-01', 20000, over);
  it.each([
    ['a payment lettered with an overdue invoice is collected', [fa1({ letter: 'AA' }), fa2(), pay('RG', '2026-10-05', 30000, { letter: 'AA' })], 50000, 30000],
    ['a credit note lettered with an overdue invoice is not', [fa1({ letter: 'AA' }), fa2(), line('AV', '2026-10-05', -30000, { letter: 'AA' })], 50000, 0],
    ['a credit note then a payment on one invoice: only the payment', [fa1({ letter: 'AA' }), fa2(), line('AV', '2026-10-03', -10000, { letter: 'AA' }), pay('RG', '2026-10-05', 20000, { letter: 'AA' })], 50000, 20000],
    ['unapplied cash of the period goes to the oldest overdue invoices', [fa1(), fa2(), pay('RG', '2026-10-05', 40000)], 50000, 40000],
    ['and never counts more than was overdue', [fa1(), fa2(), pay('RG', '2026-10-05', 70000)], 50000, 50000],
    ['unapplied cash received before the period already reduced what was overdue', [fa1(), fa2(), pay('RG0', '2026-09-10', 10000), pay('RG', '2026-10-05', 40000)], 40000, 40000],
    ['a credit that is no payment (a write-off entry) is not collected', [fa1(), fa2(), line('OD', '2026-10-05', -50000, { journal: 'OD' })], 50000, 0],
    ['a payment lettered with a new invoice is not collected on the old ones', [fa1(), fa2(), line('FA3', '2026-10-02', 10000, { letter: 'AB' }), pay('RG', '2026-10-05', 10000, { letter: 'AB' })], 50000, 0],
  ] as [string, FecLine[], number, number][])('%s', (_, lines, overdue, collected) => {
    const r = kpis(lines);
    expect(r.recovery).toEqual({ overdueAtStartCents: overdue, disputedCents: 0, collectedCents: collected });
    expect(r.recoveryRate).toBeCloseTo(collected / overdue, 12);
  });

  it('gives unapplied cash to the invoices that are not disputed', () => {
    const journal: KpiJournal = { actions: [], calls: [], disputes: [{ ref: 'FA1', openedOn: '2026-09-01', closedOn: null }], writeoffs: [] };
    const r = kpis([fa1(), fa2(), pay('RG', '2026-10-05', 30000)], { journal });
    expect(r.recovery).toEqual({ overdueAtStartCents: 50000, disputedCents: 30000, collectedCents: 20000 });
    expect(r.recoveryRate).toBe(1);
  });
});

describe('a period the data does not cover: « données incomplètes », no DSO', () => {
  it('after the last entry of the FECs', () => {
    const lines = [line('FA1', '2026-07-02', 30000), line('FA2', '2026-10-20', 20000)];
    const r = kpis(lines, { period: { from: '2026-11-01', to: '2026-11-30' }, lastDate: '2026-10-20' });
    expect([r.dso.simple, r.dso.countback, r.bpdso, r.add, r.cei, r.salesCents, r.recoveryRate, r.activationRate.payers]).toEqual([null, null, null, null, null, null, null, null]);
    expect(r.missing.sales).toBe('données incomplètes : la dernière écriture des FEC est du 20/10/2026, avant la fin de la période (30/11/2026) : ses ventes et ses règlements manquent ; donnez un FEC exporté après le 30/11/2026');
    expect(r.missing.recoveryRate).toBe(r.missing.sales);
    expect(r.trend.at(-1)).toEqual({ month: '2026-11', dsoSimple: null, recoveryRate: null, receivablesCents: r.receivablesCents, salesCents: null });
    // The receivables and the aged balance are still those of the last entry.
    expect(r.receivablesCents).toBe(50000 + 11 * 10000);
  });

  it('without the last date given, from the last customer line', () => {
    const r = computeKpisFromFec({ ...baseInput(), period: { from: '2026-12-01', to: '2026-12-31' }, lastDate: undefined });
    expect(r.missing.sales).toContain('données incomplètes : la dernière écriture des FEC est du 02/12/2026');
  });

  it('with no sales in the period', () => {
    const r = computeKpisFromFec({ ...baseInput(), lines: [line('FA1', '2026-07-02', 30000), pay('RG1', '2026-10-05', 10000), line('FA2', '2026-11-02', 5000)] });
    expect([r.dso.simple, r.dso.countback, r.bpdso, r.add]).toEqual([null, null, null, null]);
    expect(r.salesCents).toBe(0);
    expect(r.missing.sales).toMatch(/^données incomplètes : aucune vente/);
    expect(r.recovery?.collectedCents).toBe(10000);
  });
});

function baseInput(): FecKpiInput {
  return {
    period: OCTOBER, lines: background(), firstDate: '2026-01-01', withDueDates: (items) => items, journal: null, fixedMonthlyCents: 0,
    sources: { receivables: 'FEC', sales: 'FEC', actions: 'aucun', disputes: 'aucun' },
  };
}

describe('the two-year FEC pair (fixtures/fec-years): recovery in 2026', () => {
  const config = loadConfig(null, ROOT);
  const files = ['fixtures/fec-years/900000001FEC20251231.txt', 'fixtures/fec-years/900000001FEC20261231.txt'].map((f) => `${ROOT}${f}`);
  // Overdue at the start (after unapplied credits) and collected, by hand from fixtures/fec-years/README.md.
  it.each([
    // C02 FA25-201 1 500 (payment lettered with the opening line), C05 960 (payment lettered AD), C10 FA25-1001 1 100
    // (AE), C08 2 000 by unapplied cash (its opening letters map to nothing); not C04's 1 800, not C09's 1 500.
    ['2026-01', 886000, 556000, true],
    // C10 FA25-1002 1 300 paid (AE); C04 FA25-401 1 800 settled by a credit note; C09 unpaid.
    ['2026-02', 460000, 130000, true],
    // C09 FA25-901 1 500 by cash not lettered; C04 FA26-402 600 settled by a credit note. A credit note and
    // no invoice in March: no sales, no DSO.
    ['2026-03', 210000, 150000, false],
  ] as [string, number, number, boolean][])('%s: %i overdue at the start, %i collected', async (month, overdue, collected, sales) => {
    const inputs = await loadInputs({ balance: [], payments: [], clients: [], fec: files, ledger: [], files: [], sheet: null, asOf: '2026-04-30', profile: null, encoding: null }, config, true, ROOT);
    const r = computeKpisFromFec({
      period: { from: `${month}-01`, to: new Date(Date.UTC(+month.slice(0, 4), +month.slice(5, 7), 0)).toISOString().slice(0, 10) },
      lines: inputs.ledger!.lines, firstDate: inputs.ledger!.firstDate, lastDate: inputs.ledger!.lastDate,
      withDueDates: (items) => withDueDates(items, new Map(), config.defaultTerms), journal: null, fixedMonthlyCents: 0,
      sources: { receivables: 'FEC', sales: 'FEC', actions: 'aucun', disputes: 'aucun' },
    });
    expect(r.recovery).toEqual({ overdueAtStartCents: overdue, disputedCents: 0, collectedCents: collected });
    expect(r.currentCents).toBe(r.agedBalance!.non_echu);
    expect(r.dso.simple !== null).toBe(sales);
    if (!sales) expect(r.missing.sales).toMatch(/^données incomplètes : aucune vente/);
  });
});
