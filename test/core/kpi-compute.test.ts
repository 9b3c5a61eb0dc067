import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { computeKpisFromBalance, computeKpisFromFec, computeKpisFromSnapshots, countbackDays, countbackMonths, MONTHS_BACK, monthsBack, type FecKpiInput, type KpiJournal } from '../../src/core/kpi-compute.js';
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

/** A journal with only what a test gives it. */
const journalOf = (over: Partial<KpiJournal> = {}): KpiJournal => ({ actions: [], calls: [], disputes: [], writeoffs: [], ...over });
/** C1 owes FA1 (due 1 August): one case overdue at the start of October. */
const overdueC1 = () => [line('FA1', '2026-07-02', 30000)];

describe('activation: the overdue cases with an action or a call in the period', () => {
  it.each([
    ['envoye', 1, 5],
    ['envoi', 1, 5],
    ['incertain', 1, 5],
    ['a_faire', 1, 5],
    // A failed send reached nobody: it is neither activity nor a cost.
    ['echec', 0, 0],
  ])('an action « %s » on the overdue case: %i case acted on, %i cents of action costs', (status, acted, cost) => {
    const r = kpis(overdueC1(), { journal: journalOf({ actions: [{ clientCode: 'C1', actionDate: '2026-10-10', costCents: 5, status }] }) });
    expect(r.activation).toEqual({ overdueCases: 1, casesWithAction: acted, casesInCollection: 1, casesThatPaid: 0 });
    expect(r.activationRate.coverage).toBe(acted);
    expect(r.costs).toEqual({ actionsCents: cost, fixedCents: 0, totalCents: cost, recoveredCents: 0 });
  });

  it.each([
    ['2026-09-30', 0],
    ['2026-10-01', 1],
    ['2026-10-31', 1],
    ['2026-11-01', 0],
  ])('an action, or a call, on %s counts in October: %i', (date, acted) => {
    const byAction = kpis(overdueC1(), { journal: journalOf({ actions: [{ clientCode: 'C1', actionDate: date, costCents: 5, status: 'envoye' }] }) });
    const byCall = kpis(overdueC1(), { journal: journalOf({ calls: [{ clientCode: 'C1', notedOn: date, costCents: 750 }] }) });
    expect([byAction.activation?.casesWithAction, byAction.costs?.actionsCents]).toEqual([acted, acted * 5]);
    expect([byCall.activation?.casesWithAction, byCall.costs?.actionsCents]).toEqual([acted, acted * 750]);
  });

  it('counts a client once however many actions, and not a client that was not overdue', () => {
    const journal = journalOf({
      actions: [
        { clientCode: 'C1', actionDate: '2026-10-05', costCents: 5, status: 'envoye' },
        { clientCode: 'C1', actionDate: '2026-10-12', costCents: 5, status: 'envoye' },
        { clientCode: 'Z', actionDate: '2026-10-12', costCents: 5, status: 'envoye' },
      ],
      calls: [{ clientCode: 'C1', notedOn: '2026-10-20', costCents: 750 }],
    });
    const r = kpis(overdueC1(), { journal, fixedMonthlyCents: 1000 });
    expect(r.activation).toEqual({ overdueCases: 1, casesWithAction: 1, casesInCollection: 1, casesThatPaid: 0 });
    expect(r.costs).toEqual({ actionsCents: 765, fixedCents: 1000, totalCents: 1765, recoveredCents: 0 });
  });

  it.each([
    // Due the day before the period: overdue at its start. Due its first day: not yet.
    ['2026-09-30', 1, { overdueAtStartCents: 30000, disputedCents: 0, collectedCents: 0 }],
    ['2026-10-01', 0, null],
  ])('an invoice due on %s is %i overdue case at the start', (due, cases, recovery) => {
    const r = kpis([line('FA1', '2026-08-31', 30000, { due })], { journal: journalOf() });
    expect(r.activation?.overdueCases).toBe(cases);
    expect(r.recovery).toEqual(recovery);
  });
});

describe('month ends: what falls in the period', () => {
  it.each([
    ['2026-09-30', false],
    ['2026-10-01', true],
    ['2026-10-31', true],
    ['2026-11-01', false],
  ])('an invoice dated %s is in October\'s sales: %s', (date, inOctober) => {
    const r = kpis([line('FX', date, 7000, { client: 'Z', due: '2027-12-31' })]);
    expect(r.salesCents).toBe(10000 + (inOctober ? 7000 : 0));
    // And in the receivables at 31 October unless it is dated after.
    expect(r.receivablesCents).toBe(10 * 10000 + (date <= '2026-10-31' ? 7000 : 0));
  });

  it.each([
    ['2026-10-31', null],
    ['2026-10-30', 'données incomplètes : la dernière écriture des FEC est du 30/10/2026, avant la fin de la période (31/10/2026) : ses ventes et ses règlements manquent ; donnez un FEC exporté après le 31/10/2026'],
  ])('FECs whose last entry is on %s: October is complete unless told %s', (lastDate, reason) => {
    const r = kpis([], { lastDate });
    expect(r.missing.sales ?? null).toBe(reason);
    expect(r.salesCents).toBe(reason === null ? 10000 : null);
  });

  it.each([
    ['2026-10-01', null],
    ['2026-10-02', 'les FEC fournis commencent le 2026-10-02 : ventes de la période incomplètes ; donnez aussi le FEC de l\'exercice précédent'],
  ])('FECs that start on %s: October\'s sales are known unless %s', (firstDate, reason) => {
    const r = kpis([], { firstDate });
    expect(r.missing.sales ?? null).toBe(reason);
  });

  it.each([
    ['2026-09-30', 0],
    ['2026-10-01', 4320],
    ['2026-10-31', 4320],
    ['2026-11-01', 0],
  ])('a write-off on %s is in October\'s bad debts: %i cents', (writtenOn, cents) => {
    const r = kpis([], { journal: journalOf({ writeoffs: [{ ref: 'FA9', amountCents: 4320, writtenOn }] }) });
    expect(r.workings.writtenOffCents).toBe(cents);
    expect(r.badDebtRate).toBe(cents / 10000);
  });
});

describe('monthsBack: the one walk of the countback and the trend', () => {
  it.each([
    ['2026-10-31', { from: '2026-10-01', to: '2026-10-31' }, '2025-11'],
    ['2026-10-20', { from: '2026-10-01', to: '2026-10-20' }, '2025-11'],
    ['2026-03-01', { from: '2026-03-01', to: '2026-03-01' }, '2025-04'],
  ])('from %s: first the month up to the date (%o), then whole months back to %s', (to, upTo, last) => {
    const months = monthsBack(to);
    expect(months).toHaveLength(MONTHS_BACK);
    expect(months[0]).toEqual({ month: to.slice(0, 7), whole: { from: `${to.slice(0, 7)}-01`, to: months[0]!.whole.to }, upTo });
    expect(months[1]!.upTo).toEqual(months[1]!.whole);
    expect(months.at(-1)!.month).toBe(last);
  });
});

describe('countbackMonths: the months the receivables use up, newest first', () => {
  const m = (month: string, salesCents: number, days: number) => ({ month, salesCents, days });
  it.each([
    ['a whole month, then part of the next', 2_000_000, [m('2026-03', 1_500_000, 31), m('2026-02', 1_200_000, 28), m('2026-01', 1_800_000, 31)],
      [{ month: '2026-03', salesCents: 1_500_000, days: 31, usedCents: 1_500_000, countedDays: 31 }, { month: '2026-02', salesCents: 1_200_000, days: 28, usedCents: 500_000, countedDays: (500_000 / 1_200_000) * 28 }]],
    ['exactly one month', 1_500_000, [m('2026-03', 1_500_000, 31), m('2026-02', 1_200_000, 28)],
      [{ month: '2026-03', salesCents: 1_500_000, days: 31, usedCents: 1_500_000, countedDays: 31 }]],
    ['a month without sales counts its days whole', 500, [m('2026-08', 0, 31), m('2026-07', 1000, 30)],
      [{ month: '2026-08', salesCents: 0, days: 31, usedCents: 0, countedDays: 31 }, { month: '2026-07', salesCents: 1000, days: 30, usedCents: 500, countedDays: 15 }]],
    ['no receivables: no month', 0, [m('2026-03', 1000, 31)], []],
    ['sales that do not exhaust the receivables: none', 2001, [m('2026-03', 1000, 31), m('2026-02', 1000, 28)], null],
  ])('%s', (_, receivables, months, expected) => {
    const out = countbackMonths(receivables, months);
    expect(out).toEqual(expected);
    if (out) expect(countbackDays(out)).toBe(out.reduce((s, x) => s + x.countedDays, 0));
  });
});

describe('the countback and the trend walk back twelve months, no more', () => {
  // Z invoices 1 000 € every month from January 2025; a payment in October 2026 leaves `left` owed.
  const S = 100_000;
  const months = Array.from({ length: 22 }, (_, i) => `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  const walk = (owed: number) => computeKpisFromFec({
    ...baseInput(), firstDate: '2025-01-01', lastDate: '2026-12-31',
    lines: [...months.map((mo) => line(`V${mo}`, `${mo}-02`, S, { client: 'Z', due: '2027-12-31' })), pay('RG', '2026-10-15', 22 * S - owed, { client: 'Z' })],
  });
  it.each([
    // Twelve months of sales (November 2025 to October 2026: 365 days) exhaust exactly twelve months' worth.
    ['twelve months of sales', 12 * S, 365],
    ['one cent more than twelve months can give', 12 * S + 1, null],
    ['half of October', S / 2, 15.5],
  ])('%s (%i cents owed): countback %s days', (_, owed, days) => {
    const r = walk(owed);
    expect(r.dso.countback).toBe(days);
    expect(r.workings.countback?.length ?? null).toBe(days === null ? null : days === 365 ? 12 : 1);
    expect(r.trend.map((t) => t.month)).toEqual(months.slice(-12));
  });
});

describe('the numbers behind the figures (workings)', () => {
  it('the CEI\'s terms: receivables at the start, sales, N, receivables and not due at the end', () => {
    const r = kpis([line('FA1', '2026-07-02', 30000), pay('RG', '2026-10-05', 10000)]);
    // At 30 September: Z\'s nine invoices and FA1; at 31 October, Z\'s ten (not due) and what is left of FA1.
    expect(r.workings.cei).toEqual({ beginningCents: 120000, salesCents: 10000, months: 1, endingCents: 120000, endingCurrentCents: 100000 });
    expect(r.cei).toBe((120000 + 10000 - 120000) / (120000 + 10000 - 100000));
  });

  it('over a quarter, N is 3', () => {
    // FA1 (May) overdue at 30 June and paid in August: all that was due was collected.
    const r = kpis([line('FA1', '2026-05-02', 30000), pay('RG', '2026-08-05', 30000)], { period: { from: '2026-07-01', to: '2026-09-30' } });
    expect(r.workings.cei).toEqual({ beginningCents: 90000, salesCents: 30000, months: 3, endingCents: 90000, endingCurrentCents: 90000 });
    expect(r.cei).toBe(1);
  });

  it('the invoices in an open dispute at the period end: the dispute rate\'s numerator', () => {
    const disputes = [{ ref: 'FA1', openedOn: '2026-09-01', closedOn: null }, { ref: 'FA2', openedOn: '2026-09-01', closedOn: '2026-10-31' }];
    const r = kpis([line('FA1', '2026-07-02', 30000), line('FA2', '2026-07-03', 20000)], { journal: journalOf({ disputes }) });
    expect(r.workings.disputedCents).toBe(30000);
    expect(r.disputeRate).toBe(30000 / r.receivablesCents!);
  });

  it('none without a journal, and no countback or CEI from an exported balance alone', () => {
    expect(kpis([]).workings).toMatchObject({ disputedCents: null, writtenOffCents: null });
    const r = computeKpisFromBalance(OCTOBER, [item({ ref: 'FA1', dueDate: '2026-09-01', openCents: 100000 })], { receivables: 'x', sales: 'x', actions: 'x', disputes: 'x' });
    expect(r.workings).toEqual({ countback: null, cei: null, disputedCents: null, writtenOffCents: null });
  });
});

describe('boundaries of the journal\'s disputes and of the snapshots', () => {
  it.each([
    // Closed on 30 September (the day before the period): no longer disputed at its start.
    ['2026-09-30', 0],
    ['2026-10-01', 30000],
    [null, 30000],
  ])('a dispute on the overdue FA1 closed on %s: %i cents disputed in the recovery rate', (closedOn, disputed) => {
    const r = kpis(overdueC1(), { journal: journalOf({ disputes: [{ ref: 'FA1', openedOn: '2026-09-01', closedOn }] }) });
    expect(r.recovery).toEqual({ overdueAtStartCents: 30000, disputedCents: disputed, collectedCents: 0 });
  });

  const snapshot = (asOf: string) => ({ asOf, clients: [{ clientCode: 'CA', balanceCents: 90000, notDue: 30000, d1: 60000, d31: 0, d61: 0, d91: 0 }] });
  const sources = { receivables: 'x', sales: 'x', actions: 'x', disputes: 'x' };
  it.each([
    ['2026-10-31', 90000],
    // A week before the date still stands for it (SNAPSHOT_TOLERANCE_DAYS); a day more does not.
    ['2026-10-24', 90000],
    ['2026-10-23', null],
  ])('a snapshot of %s gives the receivables at 31 October: %s', (asOf, receivables) => {
    const r = computeKpisFromSnapshots(OCTOBER, [snapshot(asOf)], new Map([['2026-10', 60000]]), sources, new Map());
    expect(r.receivablesCents).toBe(receivables);
    expect(r.dso.simple).toBe(receivables === null ? null : (90000 / 60000) * 31);
  });

  it('from snapshots, the countback months and the CEI terms are core\'s too', () => {
    const r = computeKpisFromSnapshots(OCTOBER, [snapshot('2026-09-30'), snapshot('2026-10-31')], new Map([['2026-10', 60000], ['2026-09', 60000]]), sources, new Map([['CA', 'Client A']]));
    expect(r.workings).toEqual({
      countback: [
        { month: '2026-10', salesCents: 60000, days: 31, usedCents: 60000, countedDays: 31 },
        { month: '2026-09', salesCents: 60000, days: 30, usedCents: 30000, countedDays: 15 },
      ],
      cei: { beginningCents: 90000, salesCents: 60000, months: 1, endingCents: 90000, endingCurrentCents: 30000 },
      disputedCents: null,
      writtenOffCents: null,
    });
    expect(r.dso.countback).toBe(46);
    expect(r.topDebtors).toEqual([{ clientCode: 'CA', clientName: 'Client A', balanceCents: 90000, overdueCents: 60000, oldestDaysLate: 1 }]);
  });
});

describe('the largest balances', () => {
  it('lists ten, largest first, then by client code', () => {
    const codes = ['K', 'B', 'A', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'];
    const r = kpis(codes.map((c, i) => line(`F${c}`, '2026-10-05', i === 0 ? 100 : 5000, { client: c })));
    expect(r.topDebtors.map((d) => [d.clientCode, d.balanceCents])).toEqual([
      ['Z', 100000], ...['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'].map((c) => [c, 5000]),
    ]);
  });
});
