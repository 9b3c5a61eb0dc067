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
