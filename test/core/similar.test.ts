import { describe, expect, it } from 'vitest';
import { closest, editDistance, suggestName } from '../../src/core/similar.js';

describe('editDistance', () => {
  it.each([
    ['plan', 'plan', 0],
    ['plann', 'plan', 1],
    ['form', 'from', 1], // two neighbouring letters swapped count one
    ['minimumAmout', 'minimumAmount', 1],
    ['kpi', 'xyz', 3],
  ])('%s → %s: %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('suggestName', () => {
  const keys = ['company', 'paymentTerms', 'minimumAmount', 'planDays', 'journal', 'mail', 'columns'];
  it.each([
    ['minimumAmout', 'minimumAmount'],
    ['colums', 'columns'],
    ['Journal', 'journal'],
    ['plandays', 'planDays'],
    ['xyz', null],
    ['smtp', null],
  ])('%s suggests %s', (typo, expected) => {
    expect(suggestName(typo, keys)).toBe(expected);
  });
});

describe('closest', () => {
  it('lists up to three refs nearest first', () => {
    expect(closest('FA11', ['FA1', 'FB1', 'ZZZZZZZ'])).toEqual(['FA1', 'FB1']);
  });
});
