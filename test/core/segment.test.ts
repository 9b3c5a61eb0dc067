import { describe, expect, it } from 'vitest';
import { addPayment, DEFAULT_THRESHOLDS, emptyHistory, segmentOf } from '../../src/core/segment.js';
import type { Segment } from '../../src/core/records.js';
import { payment } from '../builders.js';

const historyOf = (lates: [number, number][]) => {
  const h = emptyHistory();
  for (const [late, amount] of lates) addPayment(h, payment(late, amount), DEFAULT_THRESHOLDS.graceDays);
  return h;
};

describe('payer segment', () => {
  it.each<[string, [number, number][], Segment]>([
    ['no history', [], 'nouveau'],
    ['two invoices paid on time: too short to judge', [[0, 1000], [1, 1000]], 'nouveau'],
    ['three invoices paid within the grace days', [[0, 1000], [3, 1000], [-2, 1000]], 'bon'],
    ['weighted average at the bon limit (5 days), none late', [[5, 1000], [5, 1000], [5, 1000]], 'bon'],
    ['one small invoice very late among big ones on time: still good', [[0, 100_000], [0, 100_000], [60, 10_000]], 'bon'],
    ['one invoice in five paid 60 days late (by amount)', [[0, 100_000], [0, 100_000], [60, 50_000]], 'occasionnel'],
    ['one invoice in three 20 days late', [[20, 1000], [0, 1000], [0, 1000]], 'occasionnel'],
    ['every invoice 20 days late: 100 % late is chronic', [[20, 1000], [20, 1000], [20, 1000]], 'chronique'],
    ['average exactly 30 days late: chronic', [[30, 1000], [30, 1000], [30, 1000]], 'chronique'],
    ['60 % of the amount paid late, average below 30', [[10, 2000], [10, 1000], [0, 2000]], 'chronique'],
    ['the amount weighs: one big invoice 45 days late', [[45, 100_000], [0, 1000], [0, 1000]], 'chronique'],
  ])('%s → %s', (_, lates, segment) => {
    expect(segmentOf(historyOf(lates), DEFAULT_THRESHOLDS, null).segment).toBe(segment);
  });

  it('a forced segment wins over the history, and says so', () => {
    const v = segmentOf(historyOf([[0, 1000], [0, 1000], [0, 1000]]), DEFAULT_THRESHOLDS, 'chronique');
    expect(v).toMatchObject({ segment: 'chronique', forced: true });
    expect(v.why).toBe('segment imposé (3 factures payées, retard moyen pondéré 0,0 j, 0 % du montant payé en retard)');
  });

  it('explains itself with the figures', () => {
    expect(segmentOf(historyOf([[20, 1000], [0, 1000], [0, 1000]]), DEFAULT_THRESHOLDS, null).why).toBe(
      '3 factures payées, retard moyen pondéré 6,7 j, 33 % du montant payé en retard',
    );
  });

  it('shares a payment of several invoices in proportion to their amounts when the export gives them (a ledger)', () => {
    // 3 000 € paying A (1 000 €, 10 days late) and B (2 000 €, on time): as two payment lines would.
    const h = emptyHistory();
    addPayment(h, payment(10, 3000, { settles: [{ ref: 'A', docDate: null, dueDate: '2026-01-31', cents: 1000 }, { ref: 'B', docDate: null, dueDate: '2026-02-10', cents: 2000 }] }), 5);
    expect(h).toMatchObject({ count: 2, amountCents: 3000, centDaysLate: 1000 * 10 + 2000 * 0, lateCents: 1000 });
  });

  it('splits a payment evenly across the invoices it settles when their amounts are unknown', () => {
    const h = emptyHistory();
    addPayment(h, payment(10, 2000, { settles: [{ ref: 'A', docDate: null, dueDate: '2026-01-31' }, { ref: 'B', docDate: null, dueDate: '2026-02-10' }] }), 5);
    expect(h).toMatchObject({ count: 2, amountCents: 2000, centDaysLate: 1000 * 10 + 1000 * 0, lateCents: 1000 });
  });

  it('ignores payments whose invoice due date is unknown', () => {
    const h = emptyHistory();
    addPayment(h, payment(10, 2000, { settles: [] }), 5);
    expect(h.count).toBe(0);
  });
});
