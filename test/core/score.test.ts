import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS, scoreCase, scoreInvoice } from '../../src/core/score.js';
import type { Segment } from '../../src/core/records.js';

const at = (cents: number, days: number, segment: Segment = 'nouveau') => scoreInvoice(cents, days, segment, DEFAULT_WEIGHTS).atRiskCents;

describe('priority score (expected euros at risk)', () => {
  it('ranks 45 000 € at J+8 above 800 € at J+25 for the same payer', () => {
    expect(at(4_500_000, 8)).toBe(273_714);
    expect(at(80_000, 25)).toBe(10_913);
    expect(at(4_500_000, 8)).toBeGreaterThan(at(80_000, 25));
  });

  it.each([
    ['amount', [100_000, 10, 'nouveau'], [110_000, 10, 'nouveau']],
    ['days overdue', [100_000, 10, 'nouveau'], [100_000, 11, 'nouveau']],
    ['risk: bon < nouveau', [100_000, 10, 'bon'], [100_000, 10, 'nouveau']],
    ['risk: nouveau < occasionnel', [100_000, 10, 'nouveau'], [100_000, 10, 'occasionnel']],
    ['risk: occasionnel < chronique', [100_000, 10, 'occasionnel'], [100_000, 10, 'chronique']],
  ] as [string, [number, number, Segment], [number, number, Segment]][])('grows with the %s', (_, lower, higher) => {
    expect(at(...higher)).toBeGreaterThan(at(...lower));
  });

  it('never decreases over a year of days, for every segment', () => {
    for (const segment of ['bon', 'nouveau', 'occasionnel', 'chronique'] as Segment[]) {
      let previous = -1;
      for (let d = -10; d <= 365; d++) {
        const s = at(1_000_000, d, segment);
        expect(s).toBeGreaterThanOrEqual(previous);
        previous = s;
      }
    }
  });

  it('never puts more at risk than the amount due', () => {
    expect(at(100_000, 10_000, 'chronique')).toBe(100_000);
  });

  it('gives a not-yet-due invoice its base risk', () => {
    expect(scoreInvoice(100_000, -5, 'nouveau', DEFAULT_WEIGHTS)).toEqual({
      amountCents: 100_000, daysOverdue: -5, risk: 1, probability: 0.02, atRiskCents: 2000, ageProbability: 0.02,
    });
  });

  it('adds up a case and keeps its parts', () => {
    const parts = scoreCase([scoreInvoice(100_000, 10, 'nouveau', DEFAULT_WEIGHTS), scoreInvoice(50_000, 40, 'nouveau', DEFAULT_WEIGHTS)]);
    expect(parts.amountCents).toBe(150_000);
    expect(parts.daysOverdue).toBe(40);
    expect(parts.atRiskCents).toBe(at(100_000, 10) + at(50_000, 40));
  });
});
