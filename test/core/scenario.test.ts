import { describe, expect, it } from 'vitest';
import { DEFAULT_LADDERS, nextStep, type SentStep, type Step } from '../../src/core/scenario.js';

const DUE = '2026-10-31';
const day = (offset: number): string => new Date(Date.UTC(2026, 9, 31 + offset)).toISOString().slice(0, 10);
const next = (ladder: keyof typeof DEFAULT_LADDERS, asOfOffset: number, sent: SentStep[] = []) => {
  const n = nextStep(DEFAULT_LADDERS[ladder], DUE, sent, day(asOfOffset));
  return n && { step: n.rung.step, dueOn: n.dueOn, channel: n.rung.channel };
};

describe('the next step of an invoice, empty journal', () => {
  it.each<[keyof typeof DEFAULT_LADDERS, number, Step, number]>([
    // ladder, as-of (days after due), next step, the day it falls due (days after due)
    ['standard', -10, 'preventive', -5],
    ['standard', -5, 'preventive', -5],
    ['standard', -1, 'preventive', -5],
    ['standard', 0, 'relance1', 7],
    ['standard', 6, 'relance1', 7],
    ['standard', 7, 'relance1', 7],
    ['standard', 200, 'relance1', 7],
    ['bon', -6, 'preventive', -5],
    ['bon', 0, 'relance1', 10],
    ['chronique', -8, 'preventive', -7],
    ['chronique', 1, 'relance1', 3],
  ])('%s ladder at J%i: %s due at J%i', (ladder, asOf, step, dueOn) => {
    expect(next(ladder, asOf)).toMatchObject({ step, dueOn: day(dueOn) });
  });
});

describe('steps are strictly sequential', () => {
  it.each<[Step, Step, number]>([
    ['preventive', 'relance1', 7],
    ['relance1', 'relance2', 15],
    ['relance2', 'escalade', 30],
    ['escalade', 'mise_en_demeure', 45],
    ['mise_en_demeure', 'contentieux', 53],
  ])('after %s on time comes %s at J+%i, never a later step', (sentStep, step, dueOn) => {
    const rung = DEFAULT_LADDERS.standard.find((r) => r.step === sentStep)!;
    expect(next('standard', 300, [{ step: sentStep, date: day(rung.offsetDays) }])).toMatchObject({ step, dueOn: day(dueOn) });
  });

  it('a step sent late keeps the gap to the next one', () => {
    // relance1 due at J+7 but sent at J+12: relance2 (J+15 on paper) moves to J+20.
    expect(next('standard', 12, [{ step: 'relance1', date: day(12) }])).toMatchObject({ step: 'relance2', dueOn: day(20) });
  });

  it('the formal notice gives its 8 days before litigation, counted from when it was sent', () => {
    expect(next('standard', 60, [{ step: 'mise_en_demeure', date: day(58) }])).toMatchObject({ step: 'contentieux', dueOn: day(66), channel: 'interne' });
  });

  it('uses the most advanced step sent, whatever the order of the journal', () => {
    const sent = [{ step: 'relance2' as Step, date: day(15) }, { step: 'relance1' as Step, date: day(7) }];
    expect(next('standard', 20, sent)).toMatchObject({ step: 'escalade' });
  });

  it('has nothing left once litigation is reached', () => {
    expect(next('standard', 90, [{ step: 'contentieux', date: day(53) }])).toBeNull();
  });
});
