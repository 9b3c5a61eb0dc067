import { describe, expect, it } from 'vitest';
import { buildPlan, type PlanInput, type PlanInvoice } from '../../src/core/plan.js';
import { DEFAULT_LADDERS } from '../../src/core/scenario.js';
import { CaseScoreSum, DEFAULT_WEIGHTS, invoiceAtRisk, scoreCase, scoreInvoice, withBarUrgency, type ScoreParts } from '../../src/core/score.js';
import { DEFAULT_THRESHOLDS } from '../../src/core/segment.js';
import type { Segment } from '../../src/core/records.js';
import { client, item } from '../builders.js';

// The plan keeps its invoices compact (fields read from the open item, score parts
// derived on demand): these tests pin that they read exactly as plain data would.

const AS_OF = '2026-11-16';
const settings = { thresholds: DEFAULT_THRESHOLDS, segmentOverrides: {}, weights: DEFAULT_WEIGHTS, ladders: DEFAULT_LADDERS, clientLadders: {}, minimumCents: 5000, minimumGapDays: 7 };
const plan = (over: Partial<PlanInput>) =>
  buildPlan({ asOf: AS_OF, horizonDays: 7, openItems: [], clients: [], histories: new Map(), settings, ...over });

/** An invoice of the plan as a plain object, in the order of PlanInvoice's fields. */
const plain = (i: PlanInvoice) => ({
  ref: i.ref, docDate: i.docDate, dueDate: i.dueDate, dueDateDerived: i.dueDateDerived, originalCents: i.originalCents, statementCents: i.statementCents,
  openCents: i.openCents, daysOverdue: i.daysOverdue, step: i.step, atRiskCents: i.atRiskCents,
  ...(i.barOn !== undefined ? { barOn: i.barOn, barUrgency: i.barUrgency } : {}), scoreParts: i.scoreParts,
});

describe('the score of one invoice without its parts', () => {
  const segments: Segment[] = ['bon', 'nouveau', 'occasionnel', 'chronique'];
  it.each(segments)('equals scoreInvoice’s atRiskCents (%s)', (segment) => {
    for (const amount of [0, 1, 99, 12_345, 4_500_000, -500]) {
      for (const days of [-30, 0, 1, 29, 90, 365, 2000]) {
        expect(invoiceAtRisk(amount, days, segment, DEFAULT_WEIGHTS)).toBe(scoreInvoice(amount, days, segment, DEFAULT_WEIGHTS).atRiskCents);
      }
    }
  });
});

describe('a case score summed one invoice at a time', () => {
  it('equals scoreCase, keeping the first of two equal bar dates', () => {
    const a = withBarUrgency(scoreInvoice(100_000, 40, 'bon', DEFAULT_WEIGHTS), { barOn: '2027-01-06', article: 'L110-4' }, 51, 182);
    const b = withBarUrgency(scoreInvoice(50_000, 10, 'bon', DEFAULT_WEIGHTS), { barOn: '2027-01-06', article: 'L110-4' }, 51, 182);
    const c = scoreInvoice(30_000, -3, 'bon', DEFAULT_WEIGHTS);
    for (const parts of [[], [c], [a, b, c], [c, b, a]] as ScoreParts[][]) {
      const sum = new CaseScoreSum();
      for (const p of parts) sum.add(p);
      expect(sum.parts()).toEqual(scoreCase(parts));
    }
    const sum = new CaseScoreSum();
    sum.add(b);
    sum.add(a);
    expect(sum.parts().prescription).toBe(b.prescription);
  });
});

describe('the invoices of an action', () => {
  it('read as their fields, their allocation and their score parts, near the bar date too', () => {
    const p = plan({
      openItems: [
        item({ ref: 'NEAR', docDate: '2021-12-01', dueDate: '2021-12-31', originalCents: 120_000, openCents: 90_000 }),
        item({ ref: 'LATE', docDate: '2026-09-01', dueDate: '2026-10-01', dueDateDerived: true, openCents: 100_000 }),
        item({ ref: 'SOON', docDate: '2026-10-20', dueDate: '2026-11-19', openCents: 40_000 }),
        item({ ref: 'AV', docDate: '2026-10-02', dueDate: null, openCents: -30_000 }),
      ],
      clients: [client()],
    });
    const a = p.actions[0]!;
    const w = DEFAULT_WEIGHTS;
    const near = scoreInvoice(60_000, 1781, 'nouveau', w);
    expect(a.invoices.map(plain)).toEqual([
      {
        ref: 'NEAR', docDate: '2021-12-01', dueDate: '2021-12-31', dueDateDerived: false, originalCents: 120_000, statementCents: 90_000, openCents: 60_000,
        daysOverdue: 1781, step: 'relance1', atRiskCents: a.invoices[0]!.scoreParts!.atRiskCents, barOn: '2026-12-02',
        barUrgency: { barOn: '2026-12-02', article: 'L110-4', daysLeft: 16, windowDays: 183, probabilityBefore: near.probability },
        scoreParts: withBarUrgency(near, { barOn: '2026-12-02', article: 'L110-4' }, 16, 183),
      },
      {
        ref: 'LATE', docDate: '2026-09-01', dueDate: '2026-10-01', dueDateDerived: true, originalCents: 100_000, statementCents: 100_000, openCents: 100_000,
        daysOverdue: 46, step: 'relance1', atRiskCents: scoreInvoice(100_000, 46, 'nouveau', w).atRiskCents, scoreParts: scoreInvoice(100_000, 46, 'nouveau', w),
      },
      {
        ref: 'SOON', docDate: '2026-10-20', dueDate: '2026-11-19', dueDateDerived: false, originalCents: 100_000, statementCents: 40_000, openCents: 40_000,
        daysOverdue: -3, step: 'preventive', atRiskCents: scoreInvoice(40_000, -3, 'nouveau', w).atRiskCents, scoreParts: scoreInvoice(40_000, -3, 'nouveau', w),
      },
    ]);
    expect(a.scoreParts).toEqual(scoreCase(a.invoices.map((i) => i.scoreParts!)));
    expect(a.score).toBe(a.invoices.reduce((s, i) => s + i.atRiskCents, 0));
    expect(a.creditsAppliedCents).toBe(30_000);
    expect(a.oldestDaysLate).toBe(1781);
    expect(a.why).toEqual(['NEAR prescrite le 02/12/2026 (article L110-4 du Code de commerce) : à traiter avant']);
  });
});

describe('a client with 200 000 invoices', () => {
  const many = (over: (n: number) => Partial<Parameters<typeof item>[0]>) =>
    Array.from({ length: 200_000 }, (_, n) => item({ ref: `F${String(n).padStart(6, '0')}`, openCents: 1000, ...over(n) }));

  it('gets one action with all of them, without overflowing the stack', () => {
    const p = plan({ openItems: many((n) => ({ dueDate: n % 2 ? '2026-10-01' : '2026-11-01' })), clients: [client()] });
    expect(p.actions.map((a) => [a.invoices.length, a.overdueCents, a.oldestDaysLate])).toEqual([[200_000, 200_000_000, 46]]);
  });

  it('goes to a person when they are all barred, without overflowing the stack', () => {
    const p = plan({ openItems: many(() => ({ docDate: '2019-01-15', dueDate: '2019-02-14' })), clients: [client()] });
    expect(p.manual.map((m) => [m.reason, m.invoices.length, m.oldestDaysLate])).toEqual([['prescription', 200_000, 2832]]);
  });
});
