import { describe, expect, it } from 'vitest';
import { bestPossibleDso, bucketOf, cei, costPerEuro, dsoCountback, dsoSimple, monthsOf, recoveryRate } from '../../src/core/kpi.js';
import { KPI_COMMAND, periodOf as periodOfOptions } from '../../src/commands/kpi-options.js';
import { parseCommand } from '../../src/commands/options.js';

// The period comes from the command's options (--month, --quarter, --from/--to), parsed as the CLI parses them.
const periodOf = (raw: Record<string, string>, asOf: string) => periodOfOptions(parseCommand(KPI_COMMAND, raw, []), asOf);

describe('published KPI cases', () => {
  it('DSO, simple method: 20 000 € / 45 000 € × 90 days = 40.0', () => {
    expect(dsoSimple(2_000_000, 4_500_000, 90)).toBeCloseTo(40.0, 10);
  });

  it.each([
    ['212 000 with months of 100 000, 80 000, 70 000 (30 days each)', 21_200_000, [[10_000_000, 30], [8_000_000, 30], [7_000_000, 30]], 73.71],
    ['2 500 at 30 November with November 1 200 (30 d), October 800 (31 d), September 700 (30 d)', 250_000, [[120_000, 30], [80_000, 31], [70_000, 30]], 82.43],
  ] as [string, number, [number, number][], number][])('DSO, countback: %s = %f', (_, receivables, months, expected) => {
    const dso = dsoCountback(receivables, months.map(([salesCents, days]) => ({ salesCents, days })));
    expect(Number(dso!.toFixed(2))).toBe(expected);
  });

  it('countback says it cannot tell when the sales given do not exhaust the receivables', () => {
    expect(dsoCountback(500_000, [{ salesCents: 100_000, days: 30 }])).toBeNull();
  });

  it('BPDSO and ADD: AR 15 000, current 4 000, sales 10 000 over 30 days → 45 / 12 / 33', () => {
    const dso = dsoSimple(1_500_000, 1_000_000, 30)!;
    const bp = bestPossibleDso(400_000, 1_000_000, 30)!;
    expect([dso, bp, dso - bp].map((x) => Number(x.toFixed(6)))).toEqual([45, 12, 33]);
  });

  it('CEI: (6 200 + 10 890/3 − 6 340) / (6 200 + 10 890/3 − 3 590) = 55.93 %', () => {
    expect(Number((cei(620_000, 1_089_000, 3, 634_000, 359_000)! * 100).toFixed(2))).toBe(55.93);
  });

  it('recovery rate: 110 000 overdue of which 10 000 disputed, 75 000 collected → 75 %', () => {
    expect(recoveryRate(11_000_000, 1_000_000, 7_500_000)).toBe(0.75);
  });

  it('cost per euro recovered: 1 500 € / 30 000 € = 0,05 €', () => {
    expect(costPerEuro(150_000, 3_000_000)).toBe(0.05);
  });

  it('gives no figure rather than a wrong one when the denominator is zero', () => {
    expect(dsoSimple(100, 0, 30)).toBeNull();
    expect(recoveryRate(1000, 1000, 0)).toBeNull();
    expect(costPerEuro(100, 0)).toBeNull();
  });
});

describe('periods and buckets', () => {
  it.each([
    [{}, '2026-11-16', { from: '2026-10-01', to: '2026-10-31' }],
    [{}, '2026-01-05', { from: '2025-12-01', to: '2025-12-31' }],
    [{ month: '2026-02' }, '2026-11-16', { from: '2026-02-01', to: '2026-02-28' }],
    [{ quarter: '2026-T3' }, '2026-11-16', { from: '2026-07-01', to: '2026-09-30' }],
    [{ quarter: '2026-Q1' }, '2026-11-16', { from: '2026-01-01', to: '2026-03-31' }],
    [{ from: '2026-10-15', to: '2026-11-14' }, '2026-11-16', { from: '2026-10-15', to: '2026-11-14' }],
  ])('%j at %s is %j', (opts, asOf, period) => {
    expect(periodOf(opts, asOf)).toEqual(period);
  });

  it('refuses two ways of giving the period at once', () => {
    expect(() => periodOf({ month: '2026-10', quarter: '2026-T4' }, '2026-11-16')).toThrow("--month, --quarter et --from/--to s'excluent.");
  });

  it('counts the months of a quarter', () => {
    expect(monthsOf({ from: '2026-07-01', to: '2026-09-30' })).toEqual(['2026-07', '2026-08', '2026-09']);
  });

  it.each([[0, 'non_echu'], [1, '1-30'], [30, '1-30'], [31, '31-60'], [60, '31-60'], [61, '61-90'], [90, '61-90'], [91, '91+']])('%i days late is bucket %s', (days, bucket) => {
    expect(bucketOf(days)).toBe(bucket);
  });
});
