import { describe, expect, it } from 'vitest';
import { allocatedItems } from '../../src/core/allocation.js';
import { groupLettering, mergeFiscalYears, openItemsAt, paymentsAt, settlementIn, sourceKey, type FecLine, type FiscalYear } from '../../src/core/ledger.js';

let nextLine = 1;
/** A customer line: a debit when cents > 0; `letter` gives its group (client, letter). */
function line(ref: string, date: string, cents: number, over: Partial<FecLine> & { letter?: string } = {}): FecLine {
  const { letter = '', ...rest } = over;
  const client = rest.client ?? 'C1';
  return {
    client, clientName: client, journal: 'VT', ref, docDate: date, date, cents, group: letter ? `${client}\u0001${letter}` : '',
    letDate: null, dueDate: null, opening: false, payment: false, mode: null, file: date < '2026' ? 'FEC2025.txt' : 'FEC2026.txt', line: nextLine++, ...rest,
  };
}
const pay = (ref: string, date: string, cents: number, over: Partial<FecLine> & { letter?: string } = {}) => line(ref, date, -cents, { journal: 'BQ', payment: true, ...over });
const an = (cents: number, over: Partial<FecLine> & { letter?: string } = {}) => line('AN', '2026-01-01', cents, { journal: 'AN', opening: true, ...over });
const year = (file: string, lines: FecLine[]): FiscalYear => {
  const dates = lines.filter((l) => !l.opening).map((l) => l.date).sort();
  return { file, lines, firstDate: dates[0] ?? null, lastDate: dates.at(-1) ?? null };
};
const open = (lines: FecLine[], asOf: string) => openItemsAt(lines, asOf).map((i) => [i.ref, i.openCents]);
const merged = (y25: FecLine[], y26: FecLine[]) => mergeFiscalYears([year('FEC2026.txt', y26), year('FEC2025.txt', y25)]);

describe('lettering groups joined across files', () => {
  it('closes a December invoice lettered AB in one file with its January payment lettered AB in the next', () => {
    const lines = [line('FA-12', '2025-12-10', 120000, { letter: 'AB' }), pay('RG-01', '2026-01-15', 120000, { letter: 'AB' })];
    expect(open(lines, '2025-12-31')).toEqual([['FA-12', 120000]]);
    expect(open(lines, '2026-01-31')).toEqual([]);
  });

  it('keeps accounts apart: the same letter on two clients is two groups', () => {
    const lines = [line('FA-1', '2025-12-10', 50000, { letter: 'AA' }), pay('RG-1', '2026-01-15', 50000, { letter: 'AA', client: 'C2' })];
    expect(openItemsAt(lines, '2026-01-31').map((i) => [i.clientCode, i.openCents])).toEqual([['C1', 50000], ['C2', -50000]]);
  });

  it('a letter reused by the next year for another group: joined, each invoice keeps what is left of it', () => {
    const lines = [
      line('FA25', '2025-05-12', 40000, { letter: 'AA' }), pay('RG25', '2025-06-10', 40000, { letter: 'AA' }),
      line('FA26', '2026-02-09', 100000, { letter: 'AA' }), pay('RG26', '2026-03-20', 30000, { letter: 'AA' }),
    ];
    expect(open(lines, '2025-12-31')).toEqual([]);
    expect(open(lines, '2026-03-31')).toEqual([['FA26', 70000]]);
    expect(paymentsAt(lines, '2026-12-31').map((p) => [p.refs, p.amountCents])).toEqual([[['FA25'], 40000], [['FA26'], 30000]]);
  });

  // However software reuses letters across years, a client's open items add up to its balance.
  it('keeps each client at its balance at any date, with letters reused at random across two years', () => {
    for (let seed = 1; seed <= 300; seed++) {
      let x = seed;
      const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
      const lines: FecLine[] = [];
      for (let k = 0; k < 4 + Math.floor(rnd() * 12); k++) {
        const date = `${rnd() < 0.5 ? 2025 : 2026}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-1${Math.floor(rnd() * 9)}`;
        const cents = Math.round((rnd() - 0.45) * 100000);
        const letter = rnd() < 0.3 ? '' : ['AA', 'AB', 'AC'][Math.floor(rnd() * 3)]!;
        lines.push(cents < 0 && rnd() < 0.7 ? pay(`P${k}`, date, -cents, { letter, client: rnd() < 0.5 ? 'C1' : 'C2' }) : line(`F${k}`, date, cents, { letter, client: rnd() < 0.5 ? 'C1' : 'C2' }));
      }
      for (const asOf of ['2025-06-30', '2025-12-31', '2026-06-30', '2026-12-31']) {
        const items = openItemsAt(lines, asOf);
        for (const c of ['C1', 'C2']) {
          const balance = lines.filter((l) => l.client === c && l.date <= asOf).reduce((s, l) => s + l.cents, 0);
          expect(items.filter((i) => i.clientCode === c).reduce((s, i) => s + i.openCents, 0)).toBe(balance);
          expect(allocatedItems(items).filter((i) => i.clientCode === c).reduce((s, i) => s + i.openCents, 0)).toBe(balance);
        }
        // Each open item is part of its line, of the line's sign.
        const byLine = new Map(lines.map((l) => [sourceKey(l.file, l.line), l]));
        for (const i of items) {
          const l = byLine.get(sourceKey(i.source.file, i.source.line))!;
          expect(Math.sign(i.openCents)).toBe(Math.sign(l.cents));
          expect(Math.abs(i.openCents)).toBeLessThanOrEqual(Math.abs(l.cents));
        }
        expect(new Set(items.map((i) => sourceKey(i.source.file, i.source.line))).size).toBe(items.length);
      }
    }
  });
});

describe('merging fiscal years: the letters of dropped opening lines', () => {
  it.each([
    ['an aggregated opening line lettered with a January payment: the two invoices it restates take its letter',
      [line('FA1', '2025-11-20', 150000), line('FA2', '2025-12-05', 90000)],
      [an(240000, { letter: 'AC' }), pay('RG1', '2026-01-20', 240000, { letter: 'AC' })], []],
    ['a detailed opening line (same piece and amount) lettered with its payment',
      [line('FA1', '2025-11-20', 150000), line('FA2', '2025-12-05', 90000)],
      [an(150000, { ref: 'FA1', letter: 'BA' }), an(90000, { ref: 'FA2' }), pay('RG1', '2026-01-20', 150000, { letter: 'BA' })], [['FA2', 90000]]],
    ['an opening line restating what a partial lettering left open: the group comes along',
      [line('FA1', '2025-10-01', 100000, { letter: 'AC' }), pay('RG0', '2025-11-01', 40000, { letter: 'AC' })],
      [an(60000, { ref: 'FA1', letter: 'BA' }), pay('RG1', '2026-01-20', 60000, { letter: 'BA' })], []],
    ['an unlettered opening line while the 2025 invoice carries the letter of its January payment',
      [line('FA1', '2025-12-10', 120000, { letter: 'AB' })],
      [an(120000), pay('RG1', '2026-01-15', 120000, { letter: 'AB' })], []],
    ['an opening line lettered like the invoice it restates, with the payment',
      [line('FA1', '2025-12-01', 96000, { letter: 'AD' })],
      [an(96000, { letter: 'AD' }), pay('RG1', '2026-01-31', 96000, { letter: 'AD' })], []],
    ['a credit note lettered with the opening line of an overdue invoice',
      [line('FA1', '2025-10-15', 180000)],
      [an(180000, { letter: 'AA' }), line('AV1', '2026-02-10', -180000, { letter: 'AA' })], []],
    ['a partial payment lettered with an aggregated opening line: the oldest invoice is paid first',
      [line('FA1', '2025-11-20', 150000), line('FA2', '2025-12-05', 90000)],
      [an(240000, { letter: 'AC' }), pay('RG1', '2026-01-20', 200000, { letter: 'AC' })], [['FA2', 40000]]],
    ['opening lines that map to nothing (two letters for one invoice): the payments stay unapplied credits',
      [line('FA1', '2025-11-03', 200000)],
      [an(120000, { letter: 'AA' }), an(80000, { letter: 'AB' }), pay('RG1', '2026-01-15', 120000, { letter: 'AA' }), pay('RG2', '2026-01-15', 80000, { letter: 'AB' })],
      [['FA1', 200000], ['RG1', -120000], ['RG2', -80000]]],
  ] as [string, FecLine[], FecLine[], [string, number][]][])('%s', (_, y25, y26, want) => {
    const { lines, notes } = merged(y25, y26);
    expect(lines.some((l) => l.opening)).toBe(false);
    expect(open(lines, '2026-03-31')).toEqual(want);
    expect(notes[0]!.mismatches).toEqual([]);
    // Whatever maps or not, the allocation never asks for what was paid.
    expect(allocatedItems(openItemsAt(lines, '2026-03-31')).reduce((s, i) => s + i.openCents, 0)).toBe(want.reduce((s, [, c]) => s + c, 0));
  });

  it('of a lettered and an unlettered opening line, the lettered one gives its letter to the open line of its amount', () => {
    const { lines } = merged(
      [line('FA1', '2025-11-20', 120000), line('FA2', '2025-12-05', 80000)],
      [an(120000, { letter: 'AA' }), an(80000), pay('RG1', '2026-01-20', 120000, { letter: 'AA' })],
    );
    expect(open(lines, '2026-03-31')).toEqual([['FA2', 80000]]);
  });

  it('copies the lines it relabels: the years read are left as they were', () => {
    const y25 = [line('FA1', '2025-11-20', 150000)];
    const y26 = [an(150000, { letter: 'AC' }), pay('RG1', '2026-01-20', 150000, { letter: 'AC' })];
    const { lines } = merged(y25, y26);
    expect(y25[0]!.group).toBe('');
    expect(lines.find((l) => l.ref === 'FA1')!.group).toBe('C1\u0001AC');
  });

  it('says which client\'s opening balance is not the previous closing balance, and maps nothing by the aggregate then', () => {
    const { lines, notes } = merged([line('FA1', '2025-11-03', 200000)], [an(250000, { letter: 'AA' }), pay('RG1', '2026-01-15', 250000, { letter: 'AA' })]);
    expect(notes[0]!.mismatches).toEqual([{ client: 'C1', openingCents: 250000, closingCents: 200000 }]);
    expect(open(lines, '2026-03-31')).toEqual([['FA1', 200000], ['RG1', -250000]]);
  });
});

describe('payments and what they settle', () => {
  it('two payments lettered with two invoices settle one each, in date order; an advance waits for its invoice', () => {
    const lines = [
      line('FA1', '2026-01-05', 100000, { letter: 'AA' }), line('FA2', '2026-02-05', 50000, { letter: 'AA' }),
      pay('RG1', '2026-02-10', 100000, { letter: 'AA' }), pay('RG2', '2026-03-10', 50000, { letter: 'AA' }),
      pay('AC1', '2026-03-01', 30000, { letter: 'AB' }), line('FA3', '2026-03-15', 30000, { letter: 'AB' }),
    ];
    expect(paymentsAt(lines, '2026-12-31').map((p) => [p.refs, p.amountCents])).toEqual([[['FA1'], 100000], [['FA2'], 50000], [['FA3'], 30000]]);
  });
});

describe('what a period\'s credits did to the debits open at its start', () => {
  it('tells payments from credit notes, and finds the cash left unapplied', () => {
    const fa1 = line('FA1', '2026-01-05', 100000, { letter: 'AA' });
    const fa2 = line('FA2', '2026-01-10', 80000, { letter: 'AB' });
    const fa3 = line('FA3', '2026-01-12', 50000);
    const lines = [
      fa1, line('AV1', '2026-03-03', -30000, { letter: 'AA' }), pay('RG1', '2026-03-20', 70000, { letter: 'AA' }),
      fa2, line('AV2', '2026-03-05', -80000, { letter: 'AB' }),
      fa3, pay('RG3', '2026-03-25', 20000), pay('RG4', '2026-02-25', 10000), pay('RG5', '2026-04-02', 5000),
    ];
    const s = settlementIn(groupLettering(lines), '2026-03-01', '2026-03-31');
    expect(Object.fromEntries(s.settled)).toEqual({
      [sourceKey(fa1.file, fa1.line)]: { paidCents: 70000, creditedCents: 30000 },
      [sourceKey(fa2.file, fa2.line)]: { paidCents: 0, creditedCents: 80000 },
    });
    expect(Object.fromEntries(s.unappliedCash)).toEqual({ C1: 20000 });
  });
});

// Issue 16: the boundaries of the ledger, each pinned by its day or its cent.
describe('open items at a date: a line dated that day counts', () => {
  const fa = () => line('FA1', '2026-03-10', 100000, { letter: 'AA' });
  it.each([
    ['the day before the invoice', [fa()], '2026-03-09', []],
    ['the invoice\'s day', [fa()], '2026-03-10', [['FA1', 100000]]],
    ['the day before its payment', [fa(), pay('RG1', '2026-04-02', 100000, { letter: 'AA' })], '2026-04-01', [['FA1', 100000]]],
    ['the payment\'s day', [fa(), pay('RG1', '2026-04-02', 100000, { letter: 'AA' })], '2026-04-02', []],
    ['an unlettered line of 0 cents is nothing open', [line('FA0', '2026-03-10', 0)], '2026-12-31', []],
    ['a line of 0 cents in a group is nothing open', [fa(), line('OD', '2026-03-11', 0, { letter: 'AA' }), pay('RG1', '2026-03-20', 40000, { letter: 'AA' })], '2026-12-31', [['FA1', 60000]]],
  ] as [string, FecLine[], string, [string, number][]][])('%s', (_, lines, asOf, want) => {
    expect(open(lines, asOf)).toEqual(want);
  });
});

describe('lettering groups, partial and complete: credits settle the oldest debits first, credit left over stays on the latest credits', () => {
  it.each([
    ['complete: one payment for two invoices', [line('FA1', '2026-01-05', 60000, { letter: 'AA' }), line('FA2', '2026-01-20', 40000, { letter: 'AA' }), pay('RG1', '2026-02-10', 100000, { letter: 'AA' })], []],
    ['partial: the oldest invoice is paid first, the other keeps what is left', [line('FA2', '2026-01-20', 40000, { letter: 'AA' }), line('FA1', '2026-01-05', 60000, { letter: 'AA' }), pay('RG1', '2026-02-10', 70000, { letter: 'AA' })], [['FA2', 30000]]],
    ['partial: a payment exactly of the oldest invoice', [line('FA1', '2026-01-05', 60000, { letter: 'AA' }), line('FA2', '2026-01-20', 40000, { letter: 'AA' }), pay('RG1', '2026-02-10', 60000, { letter: 'AA' })], [['FA2', 40000]]],
    ['partial: one cent short', [line('FA1', '2026-01-05', 60000, { letter: 'AA' }), pay('RG1', '2026-02-10', 59999, { letter: 'AA' })], [['FA1', 1]]],
    ['overpaid by one cent: the cent stays on the payment', [line('FA1', '2026-01-05', 60000, { letter: 'AA' }), pay('RG1', '2026-02-10', 60001, { letter: 'AA' })], [['RG1', -1]]],
    ['overpaid by two payments: what is left stays on the latest', [line('FA1', '2026-01-05', 60000, { letter: 'AA' }), pay('RG1', '2026-02-10', 30000, { letter: 'AA' }), pay('RG2', '2026-02-20', 50000, { letter: 'AA' })], [['RG2', -20000]]],
    ['overpaid beyond the latest payment: the one before keeps the rest', [line('FA1', '2026-01-05', 10000, { letter: 'AA' }), pay('RG1', '2026-02-10', 30000, { letter: 'AA' }), pay('RG2', '2026-02-20', 15000, { letter: 'AA' })], [['RG1', -20000], ['RG2', -15000]]],
    ['overpaid exactly by the latest payment', [line('FA1', '2026-01-05', 30000, { letter: 'AA' }), pay('RG1', '2026-02-10', 30000, { letter: 'AA' }), pay('RG2', '2026-02-20', 15000, { letter: 'AA' })], [['RG2', -15000]]],
    ['overpaid, with a line of 0 cents last: the cent left stays on the payment', [line('FA1', '2026-01-05', 60000, { letter: 'AA' }), pay('RG1', '2026-02-10', 60001, { letter: 'AA' }), line('OD', '2026-02-11', 0, { letter: 'AA' })], [['RG1', -1]]],
    ['a credit note and a payment: the later line keeps the credit left', [line('FA1', '2026-01-05', 50000, { letter: 'AA' }), line('AV1', '2026-02-01', -20000, { letter: 'AA' }), pay('RG1', '2026-02-10', 50000, { letter: 'AA' })], [['RG1', -20000]]],
  ] as [string, FecLine[], [string, number][]][])('%s', (_, lines, want) => {
    expect(open(lines, '2026-12-31')).toEqual(want);
    expect(openItemsAt(lines, '2026-12-31').reduce((s, i) => s + i.openCents, 0)).toBe(lines.reduce((s, l) => s + l.cents, 0));
  });

  it('groups lines by letter, each group in date order (then file, then line); an unlettered line alone', () => {
    const a = line('FA-A', '2026-02-01', 100, { letter: 'AA', file: 'FEC2026.txt', line: 5 });
    const b = line('FA-B', '2026-01-01', 100, { letter: 'AA', file: 'FEC2026.txt', line: 9 });
    const c = line('FA-C', '2026-01-01', 100, { letter: 'AA', file: 'FEC2026.txt', line: 7 });
    const d = line('FA-D', '2026-01-01', 100, { letter: 'AA', file: 'FEC2025.txt', line: 8 });
    const u = line('FA-U', '2026-01-01', 100);
    expect(groupLettering([a, u, b, c, d]).map((g) => g.map((l) => l.ref))).toEqual([['FA-D', 'FA-C', 'FA-B', 'FA-A'], ['FA-U']]);
  });

  it('lists open items by client, then file, then line', () => {
    const lines = [
      line('F3', '2026-01-03', 100, { client: 'C2', file: 'FEC2026.txt', line: 1 }), line('F2', '2026-01-02', 100, { file: 'FEC2026.txt', line: 2 }),
      line('F1', '2026-01-01', 100, { file: 'FEC2026.txt', line: 1 }), line('F0', '2025-01-01', 100, { file: 'FEC2025.txt', line: 9 }),
    ];
    expect(openItemsAt(lines, '2026-12-31').map((i) => [i.clientCode, i.ref])).toEqual([['C1', 'F0'], ['C1', 'F1'], ['C1', 'F2'], ['C2', 'F3']]);
    // Already in order, they stay so.
    const sorted = [lines[3]!, lines[2]!, lines[1]!, line('F4', '2026-01-04', 100, { file: 'FEC2026.txt', line: 3 }), lines[0]!];
    expect(openItemsAt(sorted, '2026-12-31').map((i) => i.ref)).toEqual(['F0', 'F1', 'F2', 'F4', 'F3']);
  });
});

describe('payments and the invoices they settle, up to a date', () => {
  const refs = (lines: FecLine[], asOf = '2026-12-31') => paymentsAt(lines, asOf).map((p) => [p.source.line, p.refs, p.amountCents]);
  it.each([
    ['a payment lettered with two invoices settles both', [line('FA1', '2026-01-05', 60000, { letter: 'AA', line: 1 }), line('FA2', '2026-01-20', 40000, { letter: 'AA', line: 2 }), pay('RG1', '2026-02-10', 100000, { letter: 'AA', line: 3 })], [[3, ['FA1', 'FA2'], 100000]]],
    ['an unlettered payment settles nothing known', [line('FA1', '2026-01-05', 60000, { line: 1 }), pay('RG1', '2026-02-10', 60000, { line: 2 })], [[2, [], 60000]]],
    ['a credit note is no payment', [line('FA1', '2026-01-05', 60000, { letter: 'AA', line: 1 }), line('AV1', '2026-02-10', -60000, { letter: 'AA', line: 2 })], []],
    ['of two payments, the first reaching two invoices settles both, the second the rest of the later one', [
      line('FA1', '2026-01-05', 60000, { letter: 'AA', line: 1 }), line('FA2', '2026-01-20', 40000, { letter: 'AA', line: 2 }),
      pay('RG1', '2026-02-10', 80000, { letter: 'AA', line: 3 }), pay('RG2', '2026-03-10', 20000, { letter: 'AA', line: 4 }),
    ], [[3, ['FA1', 'FA2'], 80000], [4, ['FA2'], 20000]]],
    ['of two payments, one exactly the first invoice: one each', [
      line('FA1', '2026-01-05', 60000, { letter: 'AA', line: 1 }), line('FA2', '2026-01-20', 40000, { letter: 'AA', line: 2 }),
      pay('RG1', '2026-02-10', 60000, { letter: 'AA', line: 3 }), pay('RG2', '2026-03-10', 40000, { letter: 'AA', line: 4 }),
    ], [[3, ['FA1'], 60000], [4, ['FA2'], 40000]]],
    ['a payment and a credit note in one group: the credit note settles first when earlier', [
      line('FA1', '2026-01-05', 60000, { letter: 'AA', line: 1 }), line('FA2', '2026-01-20', 40000, { letter: 'AA', line: 2 }),
      line('AV1', '2026-02-01', -60000, { letter: 'AA', line: 3 }), pay('RG1', '2026-02-10', 40000, { letter: 'AA', line: 4 }),
    ], [[4, ['FA2'], 40000]]],
    ['a partial payment lettered with two invoices (the usual group: one credit) names both', [
      line('FA1', '2026-01-05', 60000, { letter: 'AA', line: 1 }), line('FA2', '2026-01-20', 40000, { letter: 'AA', line: 2 }), pay('RG1', '2026-02-10', 50000, { letter: 'AA', line: 3 }),
    ], [[3, ['FA1', 'FA2'], 50000]]],
    ['a line of 0 cents lettered in the group is neither an invoice nor a credit', [
      line('FA1', '2026-01-05', 60000, { letter: 'AA', line: 1 }), line('FA2', '2026-01-20', 40000, { letter: 'AA', line: 2 }),
      line('OD', '2026-01-25', 0, { letter: 'AA', line: 5 }), pay('RG1', '2026-02-10', 50000, { letter: 'AA', line: 3 }),
    ], [[3, ['FA1', 'FA2'], 50000]]],
    ['of two payments, with a line of 0 cents between the invoices: the second names its invoice only', [
      line('FA1', '2026-01-05', 60000, { letter: 'AA', line: 1 }), line('OD', '2026-01-06', 0, { letter: 'AA', line: 2 }), pay('RG1', '2026-02-10', 60000, { letter: 'AA', line: 3 }),
      line('FA2', '2026-02-15', 40000, { letter: 'AA', line: 4 }), pay('RG2', '2026-03-10', 40000, { letter: 'AA', line: 5 }),
    ], [[3, ['FA1'], 60000], [5, ['FA2'], 40000]]],
    ['an advance, then its invoice, then the balance: both payments name the invoice', [
      pay('RG1', '2026-03-01', 30000, { letter: 'AA', line: 1 }), line('FA1', '2026-03-15', 50000, { letter: 'AA', line: 2 }), pay('RG2', '2026-04-01', 20000, { letter: 'AA', line: 3 }),
    ], [[1, ['FA1'], 30000], [3, ['FA1'], 20000]]],
  ] as [string, FecLine[], unknown[][]][])('%s', (_, lines, want) => {
    expect(refs(lines)).toEqual(want);
  });

  it('a payment dated the as-of date is counted, the day after is not', () => {
    const lines = [line('FA1', '2026-01-05', 60000, { letter: 'AA', line: 1 }), pay('RG1', '2026-02-10', 60000, { letter: 'AA', line: 2 })];
    expect(refs(lines, '2026-02-10')).toEqual([[2, ['FA1'], 60000]]);
    expect(refs(lines, '2026-02-09')).toEqual([]);
  });

  it('gives the invoices settled with their dates and amounts', () => {
    const lines = [line('FA1', '2026-01-05', 60000, { letter: 'AA', dueDate: '2026-02-04', docDate: '2026-01-04' }), pay('RG1', '2026-02-10', 60000, { letter: 'AA', mode: 'virement' })];
    const [p] = paymentsAt(lines, '2026-12-31');
    expect([p!.date, p!.mode, p!.settles]).toEqual(['2026-02-10', 'virement', [{ ref: 'FA1', docDate: '2026-01-04', dueDate: '2026-02-04', cents: 60000 }]]);
  });
});

describe('what a period\'s credits settled: its first and last days are in it', () => {
  // March 2026. FA1 (1 000,00 €) open at the start, paid in parts around the period's edges.
  const period = (lines: FecLine[]) => {
    const s = settlementIn(groupLettering(lines), '2026-03-01', '2026-03-31');
    return { settled: [...s.settled.values()], unapplied: Object.fromEntries(s.unappliedCash) };
  };
  const fa = () => line('FA1', '2026-01-05', 100000, { letter: 'AA' });
  it.each([
    ['a payment the day before the period settled it before', [fa(), pay('RG1', '2026-02-28', 30000, { letter: 'AA' })], [], {}],
    ['a payment on the first day', [fa(), pay('RG1', '2026-03-01', 30000, { letter: 'AA' })], [{ paidCents: 30000, creditedCents: 0 }], {}],
    ['a payment on the last day', [fa(), pay('RG1', '2026-03-31', 30000, { letter: 'AA' })], [{ paidCents: 30000, creditedCents: 0 }], {}],
    ['a payment the day after', [fa(), pay('RG1', '2026-04-01', 30000, { letter: 'AA' })], [], {}],
    ['a payment after an earlier partial one: what is left of the invoice', [fa(), pay('RG0', '2026-02-10', 70000, { letter: 'AA' }), pay('RG1', '2026-03-10', 50000, { letter: 'AA' })], [{ paidCents: 30000, creditedCents: 0 }], { C1: 20000 }],
    ['a payment in the period and one after it: the one after does not count', [fa(), pay('RG1', '2026-03-10', 30000, { letter: 'AA' }), pay('RG2', '2026-04-05', 20000, { letter: 'AA' })], [{ paidCents: 30000, creditedCents: 0 }], {}],
    ['a credit note on the first day', [fa(), line('AV1', '2026-03-01', -25000, { letter: 'AA' })], [{ paidCents: 0, creditedCents: 25000 }], {}],
    ['an invoice of the period is not a debit open at its start', [line('FA1', '2026-03-05', 100000, { letter: 'AA' }), pay('RG1', '2026-03-20', 100000, { letter: 'AA' })], [], {}],
  ] as [string, FecLine[], unknown[], Record<string, number>][])('%s', (_, lines, settled, unapplied) => {
    expect(period(lines)).toEqual({ settled, unapplied });
  });

  it.each([
    ['the day before the period', '2026-02-28', {}],
    ['the first day', '2026-03-01', { C1: 12000 }],
    ['the last day', '2026-03-31', { C1: 12000 }],
    ['the day after', '2026-04-01', {}],
  ])('an unlettered payment received %s is unapplied cash of the period', (_, date, want) => {
    expect(period([fa(), pay('RG1', date, 12000)]).unapplied).toEqual(want);
  });

  it('a lettered payment of the period left over after its invoice is unapplied cash; a credit note left over is not', () => {
    expect(period([line('FA1', '2026-03-02', 10000, { letter: 'AA' }), pay('RG1', '2026-03-20', 15000, { letter: 'AA' })]).unapplied).toEqual({ C1: 5000 });
    expect(period([line('FA1', '2026-03-02', 10000, { letter: 'AA' }), line('AV1', '2026-03-20', -15000, { letter: 'AA' })]).unapplied).toEqual({});
  });
});

describe('merging fiscal years: the order and the balances', () => {
  it('takes the years in date order whatever the order given, and notes the dropped opening lines', () => {
    const y25 = [line('FA1', '2025-11-20', 150000)];
    const y26 = [an(150000), line('FA2', '2026-02-01', 20000)];
    const { lines, notes } = mergeFiscalYears([year('FEC2026.txt', y26), year('FEC2025.txt', y25)]);
    expect(lines.map((l) => l.ref)).toEqual(['FA1', 'FA2']);
    expect(notes).toEqual([{ file: 'FEC2026.txt', droppedOpeningLines: 1, mismatches: [] }]);
  });

  it('a new year exported in its first days holds only its opening entries: they restate the year before, never add to it', () => {
    // FEC 2025 with FA1 (1 500,00 €), FEC 2026 with only its opening line: the client owes 1 500,00 €, not 3 000,00 €.
    const y25 = [line('FA1', '2025-11-20', 150000)];
    const { lines, notes } = mergeFiscalYears([year('FEC2026.txt', [an(150000)]), year('FEC2025.txt', y25)]);
    expect(open(lines, '2026-01-05')).toEqual([['FA1', 150000]]);
    expect(notes).toEqual([{ file: 'FEC2026.txt', droppedOpeningLines: 1, mismatches: [] }]);
  });

  it('one year alone is kept whole, its opening lines with it', () => {
    const { lines, notes } = mergeFiscalYears([year('FEC2026.txt', [an(150000), line('FA2', '2026-02-01', 20000)])]);
    expect(lines.map((l) => l.ref)).toEqual(['AN', 'FA2']);
    expect(notes).toEqual([]);
  });

  it('a client with an opening balance and nothing the year before, and one closed without reopening', () => {
    const { notes } = merged([line('FA1', '2025-11-20', 150000, { client: 'C2' })], [an(30000), line('FA9', '2026-02-01', 100, { client: 'C3' })]);
    expect(notes[0]!.mismatches).toEqual([{ client: 'C1', openingCents: 30000, closingCents: 0 }, { client: 'C2', openingCents: 0, closingCents: 150000 }]);
  });
});
