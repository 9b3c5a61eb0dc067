import { describe, expect, it } from 'vitest';
import { allocatedItems, positionOf } from '../../src/core/allocation.js';
import type { OpenItem } from '../../src/core/records.js';

const item = (ref: string, openCents: number, dueDate: string | null, clientCode = 'C1'): OpenItem => ({
  kind: 'open_item', clientCode, clientName: clientCode, ref, docDate: dueDate, dueDate, dueDateDerived: false,
  originalCents: openCents, openCents, currency: 'EUR', salesRep: null, source: { file: 'b.csv', line: 1 },
});

describe('allocation of unapplied credits', () => {
  it('takes an unapplied payment off the oldest invoice: 3 600 € less 1 200 € paid is 2 400 € asked', () => {
    const p = positionOf('C1', [item('FA1', 360000, '2026-11-07'), item('RG1', -120000, '2026-11-12')]);
    expect(p).toMatchObject({ balanceCents: 240000, unappliedCents: 120000, leftoverCreditCents: 0 });
    expect(p.invoices.map((i) => [i.item.ref, i.statementCents, i.openCents])).toEqual([['FA1', 360000, 240000]]);
  });

  it.each([
    ['oldest due date first', [item('FA2', 50000, '2026-10-01'), item('FA1', 50000, '2026-09-01'), item('AV', -70000, '2026-10-20')], [['FA1', 0], ['FA2', 30000]]],
    ['unknown due dates last', [item('FX', 50000, null), item('FA1', 50000, '2026-09-01'), item('AV', -70000, '2026-10-20')], [['FA1', 0], ['FX', 30000]]],
    ['several credits add up', [item('FA1', 100000, '2026-09-01'), item('R1', -30000, null), item('R2', -20000, null)], [['FA1', 50000]]],
    ['no credit: nothing changes', [item('FA1', 100000, '2026-09-01'), item('FA2', 1, '2026-09-02')], [['FA1', 100000], ['FA2', 1]]],
  ])('%s', (_, items, want) => {
    expect(positionOf('C1', items).invoices.map((i) => [i.item.ref, i.openCents])).toEqual(want);
  });

  it('never leaves more owed than the balance, whatever the order of the lines', () => {
    for (let seed = 1; seed <= 200; seed++) {
      let x = seed;
      const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
      const items = Array.from({ length: 1 + Math.floor(rnd() * 8) }, (_, k) =>
        item(`P${k}`, Math.round((rnd() - 0.35) * 100000), rnd() < 0.1 ? null : `2026-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}`),
      );
      const p = positionOf('C1', items);
      const owed = p.invoices.reduce((s, i) => s + i.openCents, 0);
      expect(owed).toBe(Math.max(0, p.balanceCents));
      expect(p.invoices.every((i) => i.openCents >= 0 && i.openCents <= i.statementCents)).toBe(true);
    }
  });

  it('keeps each client apart, and each client sums to its balance after allocation', () => {
    const items = [item('FA1', 100000, '2026-09-01', 'A'), item('AV1', -150000, '2026-09-05', 'A'), item('FB1', 80000, '2026-09-01', 'B'), item('RB', -30000, null, 'B')];
    const out = allocatedItems(items);
    expect(out.map((i) => [i.clientCode, i.ref, i.openCents])).toEqual([['A', 'AV1', -50000], ['B', 'FB1', 50000]]);
  });
});
