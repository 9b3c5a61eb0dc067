import { describe, expect, it } from 'vitest';
import {
  emptyCaseFile, evaluateCases, isPauseActive, type CaseFile, type CaseStatus, type DisputeRecord, type PaymentPlanRecord, type PauseRecord, type PromiseRecord, type WriteoffRecord,
} from '../../src/core/cases.js';
import type { OpenItem } from '../../src/core/records.js';
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

// Issue 16: every rule of evaluateCases, at the day its boundary falls on. Grace days: 3.
const dispute = (over: Partial<DisputeRecord> = {}): DisputeRecord => ({ id: 1, ref: 'FA1', clientCode: 'C1', reason: 'livraison incomplète', openedOn: '2026-11-02', closedOn: null, creditNote: false, ...over });
const writeoff = (over: Partial<WriteoffRecord> = {}): WriteoffRecord => ({ ref: 'FA1', clientCode: 'C1', reason: 'liquidation', amountCents: 100_000, writtenOn: '2026-11-10', ...over });
const items = [item(), item({ ref: 'FA2', openCents: 50_000, originalCents: 50_000 }), item({ ref: 'AV1', openCents: -20_000, originalCents: -20_000 }), item({ clientCode: 'C2', ref: 'FB1' })];
const cases = (file: Partial<CaseFile>, asOf: string, open = items) => evaluateCases({ ...emptyCaseFile(), ...file }, open, asOf, 3);
const excluded = (s: CaseStatus) => Object.fromEntries([...s.excluded].map(([ref, e]) => [ref, `${e.reason} | ${e.detail}`]));

describe('evaluateCases: disputes and write-offs', () => {
  it.each([
    ['an open dispute', dispute(), '2026-11-16', { FA1: 'litige | FA1 contestée depuis le 02/11/2026 : livraison incomplète' }],
    ['a dispute closed the day after', dispute({ closedOn: '2026-11-17' }), '2026-11-16', { FA1: 'litige | FA1 contestée depuis le 02/11/2026 : livraison incomplète' }],
    ['a dispute closed that day', dispute({ closedOn: '2026-11-16' }), '2026-11-16', {}],
  ] as [string, DisputeRecord, string, Record<string, string>][])('%s', (_, d, asOf, want) => {
    expect(excluded(cases({ disputes: [d] }, asOf))).toEqual(want);
  });

  it.each([
    ['written off the day before', '2026-11-15', { FA1: 'perte | FA1 passée en perte le 15/11/2026 : liquidation' }],
    ['written off that day', '2026-11-16', { FA1: 'perte | FA1 passée en perte le 16/11/2026 : liquidation' }],
    ['written off the day after', '2026-11-17', {}],
  ] as [string, string, Record<string, string>][])('a write-off %s', (_, writtenOn, want) => {
    expect(excluded(cases({ writeoffs: [writeoff({ writtenOn })] }, '2026-11-16'))).toEqual(want);
  });
});

describe('evaluateCases: pauses', () => {
  it.each([
    ['created the day after', pause({ createdOn: '2026-11-17' }), false],
    ['created that day', pause({ createdOn: '2026-11-16' }), true],
    ['until that day', pause({ until: '2026-11-16' }), true],
    ['until the day before', pause({ until: '2026-11-15' }), false],
    ['resumed the day after', pause({ resumedOn: '2026-11-17' }), true],
    ['resumed that day', pause({ resumedOn: '2026-11-16' }), false],
  ] as [string, PauseRecord, boolean][])('a pause %s', (_, p, active) => {
    expect(isPauseActive(p, '2026-11-16')).toBe(active);
    expect(Object.fromEntries(cases({ pauses: [p] }, '2026-11-16').paused)).toEqual(active ? { C1: { until: p.until, reason: 'conciliation' } } : {});
  });
});

describe('evaluateCases: promises, with 3 grace days', () => {
  const promised = (over: Partial<PromiseRecord> = {}) => promise({ refs: ['FA1'], promisedOn: '2026-11-12', ...over });
  it.each([
    ['pending on its date', promised(), '2026-11-12', 'en_cours', { FA1: 'promesse | FA1 : paiement promis pour le 12/11/2026' }, {}],
    ['pending on its last grace day', promised(), '2026-11-15', 'en_cours', { FA1: 'promesse | FA1 : paiement promis pour le 12/11/2026' }, {}],
    ['broken the day after its grace days', promised(), '2026-11-16', 'rompue', {}, { C1: ['promesse de paiement du 12/11/2026 non tenue'] }],
    ['with an amount, says it', promised({ amountCents: 60_000 }), '2026-11-13', 'en_cours', { FA1: 'promesse | FA1 : paiement promis pour le 12/11/2026 (600,00\u00a0€)' }, {}],
    ['for all the client\'s invoices (no refs): its debits only, not its credit', promised({ refs: [] }), '2026-11-13', 'en_cours',
      { FA1: 'promesse | FA1 : paiement promis pour le 12/11/2026', FA2: 'promesse | FA2 : paiement promis pour le 12/11/2026' }, {}],
  ] as [string, PromiseRecord, string, string, Record<string, string>, Record<string, string[]>][])('a promise %s', (_, p, asOf, status, excl, notes) => {
    const s = cases({ promises: [p] }, asOf);
    expect(s.promises.map((x) => [x.status, x.openCents])).toEqual([[status, p.refs.length === 0 ? 150_000 : 100_000]]);
    expect(excluded(s)).toEqual(excl);
    expect(Object.fromEntries(s.notes)).toEqual(notes);
    expect(Object.fromEntries(s.brokenPromises)).toEqual(status === 'rompue' ? { C1: 1 } : {});
  });

  it.each([
    ['paid on its date', '2026-11-12', 'tenue'],
    ['paid on its last grace day', '2026-11-15', 'tenue'],
    ['paid the day after its grace days', '2026-11-16', 'rompue'],
  ])('a promise %s (the invoice has left the exports)', (_, settledOn, status) => {
    const s = cases({ promises: [promise({ refs: ['FA1'], promisedOn: '2026-11-12' })], settled: new Map([['FA1', settledOn]]) }, '2026-11-20', items.slice(1));
    expect(s.promises.map((x) => [x.status, x.openCents])).toEqual([[status, 0]]);
    expect(Object.fromEntries(s.brokenPromises)).toEqual(status === 'rompue' ? { C1: 1 } : {});
    expect(s.notes.size).toBe(0); // a promise kept late is counted broken but the invoice is gone: nothing to say in a reminder
  });

  it('a promise whose invoice shows nothing left (0,00 €) is kept, and that invoice is no open item of the client', () => {
    const settled = [item({ openCents: 0 }), item({ ref: 'FA2', openCents: 50_000, originalCents: 50_000 })];
    expect(cases({ promises: [promise({ refs: ['FA1'] })] }, '2026-12-31', settled).promises.map((x) => [x.status, x.openCents])).toEqual([['tenue', 0]]);
    expect(excluded(cases({ promises: [promise({ refs: [] })] }, '2026-11-20', settled))).toEqual({ FA2: 'promesse | FA2 : paiement promis pour le 30/11/2026' });
  });

  it('a promise whose invoices left the exports at a date the journal does not know is kept', () => {
    expect(cases({ promises: [promise({ refs: ['FA1'] })] }, '2026-12-31', items.slice(1)).promises.map((x) => x.status)).toEqual(['tenue']);
  });

  it('a promise made after the as-of date does not count yet; on its day it does', () => {
    const p = promise({ refs: ['FA1'], createdOn: '2026-11-17' });
    expect(cases({ promises: [p] }, '2026-11-16').promises).toEqual([]);
    expect(cases({ promises: [p] }, '2026-11-17').promises.map((x) => x.status)).toEqual(['en_cours']);
  });

  it('counts the broken promises of each client', () => {
    const s = cases({ promises: [promise({ id: 1, refs: ['FA1'], promisedOn: '2026-10-01' }), promise({ id: 2, refs: ['FA2'], promisedOn: '2026-10-20' }), promise({ id: 3, clientCode: 'C2', refs: ['FB1'], promisedOn: '2026-11-01' })] }, '2026-11-16');
    expect(Object.fromEntries(s.brokenPromises)).toEqual({ C1: 2, C2: 1 });
    expect(Object.fromEntries(s.notes)).toEqual({
      C1: ['promesse de paiement du 01/10/2026 non tenue', 'promesse de paiement du 20/10/2026 non tenue'], C2: ['promesse de paiement du 01/11/2026 non tenue'],
    });
  });
});

describe('evaluateCases: payment plans, with 3 grace days', () => {
  // 1 500,00 € over FA1 (1 000,00 €) and FA2 (500,00 €): 300,00 € down, then 3 × 400,00 €.
  const threeMonths = (over: Partial<PaymentPlanRecord> = {}) => plan({
    refs: ['FA1', 'FA2'], totalCents: 150_000, downPaymentCents: 30_000, createdOn: '2026-09-01',
    instalments: [{ number: 1, dueOn: '2026-10-10', amountCents: 40_000 }, { number: 2, dueOn: '2026-11-10', amountCents: 40_000 }, { number: 3, dueOn: '2026-12-10', amountCents: 40_000 }],
    ...over,
  });
  const left = (fa1: number, fa2: number) => [item({ openCents: fa1 }), item({ ref: 'FA2', originalCents: 50_000, openCents: fa2 })].filter((i) => i.openCents !== 0);
  const RESPECTED = 'echeancier | FA1 : échéancier du 01/09/2026 respecté';

  it.each([
    ['down payment and first instalment paid, second due within its grace days', left(80_000, 0), '2026-11-13', 'en_cours', 70_000, ['payee', 'a_venir', 'a_venir'], { FA1: RESPECTED }, 2],
    ['second instalment missed, the day after its grace days', left(80_000, 0), '2026-11-14', 'rompu', 70_000, ['payee', 'en_retard', 'a_venir'], {}, null],
    ['second instalment paid to the cent', left(40_000, 0), '2026-11-16', 'en_cours', 110_000, ['payee', 'payee', 'a_venir'], { FA1: RESPECTED }, 3],
    ['second instalment one cent short', left(40_001, 0), '2026-11-16', 'rompu', 109_999, ['payee', 'en_retard', 'a_venir'], {}, null],
    ['everything paid', left(0, 0), '2026-11-16', 'solde', 150_000, ['payee', 'payee', 'payee'], {}, null],
    ['nothing paid yet, before the first due date', left(100_000, 50_000), '2026-10-01', 'en_cours', 0, ['a_venir', 'a_venir', 'a_venir'], { FA1: RESPECTED, FA2: 'echeancier | FA2 : échéancier du 01/09/2026 respecté' }, 1],
  ] as [string, OpenItem[], string, string, number, string[], Record<string, string>, number | null][])('%s', (_, open, asOf, status, paid, instalments, excl, next) => {
    const s = cases({ plans: [threeMonths()] }, asOf, open);
    expect(s.plans.map((p) => [p.status, p.paidCents, p.instalments.map((i) => i.status)])).toEqual([[status, paid, instalments]]);
    expect(excluded(s)).toEqual(excl);
    expect(s.upcomingInstalments).toEqual(next === null ? [] : [{ clientCode: 'C1', planId: 1, number: next, of: 3, dueOn: `2026-${9 + next}-10`, amountCents: 40_000 }]);
    expect(Object.fromEntries(s.notes)).toEqual(status === 'rompu'
      ? { C1: ['échéance n° 2 du 10/11/2026 de l\'échéancier non payée : l\'échéancier est rompu, les relances reprennent'] } : {});
  });

  it('an invoice that grew past the plan\'s total counts nothing paid, not a negative amount', () => {
    expect(cases({ plans: [threeMonths()] }, '2026-10-01', left(120_000, 50_000)).plans[0]!.paidCents).toBe(0);
  });

  it('a plan made after the as-of date does not count yet', () => {
    expect(cases({ plans: [threeMonths({ createdOn: '2026-11-17' })] }, '2026-11-16').plans).toEqual([]);
    expect(cases({ plans: [threeMonths({ createdOn: '2026-11-16' })] }, '2026-11-16').plans).toHaveLength(1);
  });
});
