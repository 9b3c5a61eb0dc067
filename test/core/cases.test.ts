import { describe, expect, it } from 'vitest';
import { emptyCaseFile, evaluateCases, type CaseFile, type PaymentPlanRecord, type PauseRecord, type PromiseRecord } from '../../src/core/cases.js';
import { item } from '../builders.js';

// Corrections at the as-of date (issue 11): a cancelled or replaced promise, plan or
// pause counts until the day before its correction, and not from that day on.
const promise = (over: Partial<PromiseRecord> = {}): PromiseRecord => ({ id: 1, clientCode: 'C1', refs: [], promisedOn: '2026-11-30', amountCents: null, createdOn: '2026-11-10', ...over });
const plan = (over: Partial<PaymentPlanRecord> = {}): PaymentPlanRecord => ({
  id: 1, clientCode: 'C1', refs: ['FA1'], totalCents: 100_000, downPaymentCents: 0, mode: 'virement', createdOn: '2026-11-10',
  instalments: [{ number: 1, dueOn: '2026-12-10', amountCents: 100_000 }], ...over,
});
const pause = (over: Partial<PauseRecord> = {}): PauseRecord => ({ id: 1, clientCode: 'C1', until: '2026-12-15', reason: 'conciliation', createdOn: '2026-11-10', resumedOn: null, ...over });
const at = (file: Partial<CaseFile>, asOf: string) => evaluateCases({ ...emptyCaseFile(), ...file }, [item()], asOf, 3);

describe('evaluateCases honours cancellations and replacements at the as-of date', () => {
  it.each([
    ['promise, before its cancellation', { promises: [promise({ cancelledOn: '2026-11-20', cancelReason: 'erreur' })] }, '2026-11-19', 'promesse', 'en_cours'],
    ['promise, from its cancellation', { promises: [promise({ cancelledOn: '2026-11-20', cancelReason: 'erreur' })] }, '2026-11-20', null, 'annulee'],
    ['promise, replaced', { promises: [promise({ cancelledOn: '2026-11-20', replacedBy: 2 })] }, '2026-12-10', null, 'remplacee'],
    ['plan, before its cancellation', { plans: [plan({ cancelledOn: '2026-11-20' })] }, '2026-11-19', 'echeancier', 'en_cours'],
    ['plan, from its cancellation', { plans: [plan({ cancelledOn: '2026-11-20' })] }, '2026-11-20', null, 'annule'],
    ['plan, replaced', { plans: [plan({ cancelledOn: '2026-11-20', replacedBy: 2 })] }, '2026-12-20', null, 'remplace'],
  ] as [string, Partial<CaseFile>, string, string | null, string][])('%s', (_, file, asOf, excludedBy, status) => {
    const s = at(file, asOf);
    expect(s.excluded.get('FA1')?.reason ?? null).toBe(excludedBy);
    expect([...s.promises.map((p) => p.status), ...s.plans.map((p) => p.status)]).toEqual([status]);
    expect(s.brokenPromises.size).toBe(0); // a cancelled promise past its date is not broken
    expect(s.notes.size).toBe(0); // nor is a cancelled plan past an instalment
  });

  it.each([
    ['before its cancellation', '2026-11-19', true],
    ['from its cancellation', '2026-11-20', false],
  ])('a cancelled pause, %s', (_, asOf, paused) => {
    expect(at({ pauses: [pause({ cancelledOn: '2026-11-20', cancelReason: 'conciliation échouée' })] }, asOf).paused.has('C1')).toBe(paused);
  });
});
