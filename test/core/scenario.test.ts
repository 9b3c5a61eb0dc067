import { describe, expect, it } from 'vitest';
import { DEFAULT_LADDERS, nextRung, rungOf, type Ladder, type Step } from '../../src/core/scenario.js';

const next = (ladder: Ladder, step: Step | null) => nextRung(ladder, step)?.step ?? null;

describe('the next rung of a case: the strict successor of its current step', () => {
  it.each<[keyof typeof DEFAULT_LADDERS, Step | null, Step | null]>([
    // ladder, current step, next step
    ['standard', null, 'relance1'],
    ['standard', 'preventive', 'relance1'],
    ['standard', 'relance1', 'relance2'],
    ['standard', 'relance2', 'escalade'],
    ['standard', 'escalade', 'mise_en_demeure'],
    ['standard', 'mise_en_demeure', 'contentieux'],
    ['standard', 'contentieux', null],
    ['bon', null, 'relance1'],
    ['chronique', 'relance2', 'escalade'],
  ])('%s ladder after %s: %s', (ladder, step, expected) => {
    expect(next(DEFAULT_LADDERS[ladder], step)).toBe(expected);
  });

  it('never skips a step the ladder has, however late the invoice', () => {
    // The offsets play no part: only the order of the steps.
    expect(next(DEFAULT_LADDERS.standard, 'relance1')).toBe('relance2');
  });

  it('skips only the steps a ladder leaves out', () => {
    const short: Ladder = [
      { step: 'relance1', offsetDays: 10, channel: 'email' },
      { step: 'mise_en_demeure', offsetDays: 40, channel: 'lrar+email' },
    ];
    expect(next(short, null)).toBe('relance1');
    expect(next(short, 'relance1')).toBe('mise_en_demeure');
  });

  it('never goes back to an earlier step when the client moved to a ladder without its current step', () => {
    const short: Ladder = [
      { step: 'relance1', offsetDays: 10, channel: 'email' },
      { step: 'mise_en_demeure', offsetDays: 40, channel: 'lrar+email' },
    ];
    // An escalade was sent under the standard ladder: the next is the formal notice, never relance1.
    expect(next(short, 'escalade')).toBe('mise_en_demeure');
    expect(next(short, 'mise_en_demeure')).toBeNull();
  });

  it('finds the rung of a step, or null when the ladder leaves it out', () => {
    expect(rungOf(DEFAULT_LADDERS.standard, 'relance2')).toEqual({ step: 'relance2', offsetDays: 15, channel: 'email+appel' });
    expect(rungOf([{ step: 'relance1', offsetDays: 10, channel: 'email' }], 'relance2')).toBeNull();
  });
});
