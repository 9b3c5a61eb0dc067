import { describe, expect, it } from 'vitest';
import { buildPlan, type PlanInput } from '../../src/core/plan.js';
import { salesAlertsDue, salesRepDigests, type PastAlert } from '../../src/core/sales-alerts.js';
import { DEFAULT_LADDERS } from '../../src/core/scenario.js';
import { DEFAULT_WEIGHTS } from '../../src/core/score.js';
import { DEFAULT_THRESHOLDS } from '../../src/core/segment.js';
import { client, item, message } from '../builders.js';

const settings = { thresholds: DEFAULT_THRESHOLDS, segmentOverrides: {}, weights: DEFAULT_WEIGHTS, ladders: DEFAULT_LADDERS, clientLadders: {}, minimumCents: 5000, minimumGapDays: 7 };
const REP = { salesRep: 'Claire Mercier', salesRepEmail: 'claire@lumen.example' };
// FA1 due 2026-10-01 (standard ladder): relance1 on 10-08, relance2 on 10-16, escalade from 10-31, mise en demeure from 11-15.
const ITEMS = [item({ ref: 'FA1', dueDate: '2026-10-01', openCents: 120_000 }), item({ ref: 'AV1', dueDate: '2026-10-05', openCents: -20_000 })];
const SENT = [message('2026-10-08', 'relance1', [['FA1', '2026-10-01']]), message('2026-10-16', 'relance2', [['FA1', '2026-10-01']])];

function alerts(asOf: string, over: { horizonDays?: number; daysBefore?: number; past?: PastAlert[]; rep?: { salesRep?: string | null; salesRepEmail?: string | null }; input?: Partial<PlanInput> } = {}) {
  const clients = [client({ ...REP, ...over.rep })];
  const plan = buildPlan({
    asOf, horizonDays: over.horizonDays ?? 1, openItems: ITEMS, clients, histories: new Map(), settings, messages: new Map([['C1', SENT]]), ...over.input,
  });
  return salesAlertsDue({ asOf, plan, clients, openItems: ITEMS, daysBefore: over.daysBefore ?? 3, alreadyAlerted: over.past ?? [], messages: new Map([['C1', SENT]]) });
}

describe('salesAlertsDue: which sales reps are warned, and when', () => {
  it.each([
    ['2026-10-27', []],
    ['2026-10-28', [['escalade', '2026-10-31', 3]]],
    ['2026-10-30', [['escalade', '2026-10-31', 1]]],
    ['2026-10-31', [['escalade', '2026-10-31', 0]]],
  ])('at %s: %j', (asOf, expected) => {
    expect(alerts(asOf).map((a) => [a.step, a.plannedOn, a.daysLeft])).toEqual(expected);
  });

  it('gives the case: invoices after allocation of the unapplied credit, the reminders already sent, the rep', () => {
    const [a] = alerts('2026-10-28');
    expect(a).toMatchObject({
      clientCode: 'C1', recipient: 'claire@lumen.example', salesRep: 'Claire Mercier', caseOpenedOn: '2026-10-08', overdueCents: 100_000,
      invoices: [{ ref: 'FA1', dueDate: '2026-10-01', daysOverdue: 27, openCents: 100_000 }],
      reminders: [{ date: '2026-10-08', step: 'relance1' }, { date: '2026-10-16', step: 'relance2' }],
    });
  });

  it('is silent without a sales rep e-mail, with a window of 0 days before the day itself, and once alerted in this case', () => {
    expect(alerts('2026-10-28', { rep: { salesRepEmail: null } })).toEqual([]);
    expect(alerts('2026-10-30', { daysBefore: 0 })).toEqual([]);
    expect(alerts('2026-10-31', { daysBefore: 0 })).toHaveLength(1);
    // Alerted on 10-28 for the 31st; the step slips to a later day (a late run): not announced twice.
    const past = [{ clientCode: 'C1', step: 'escalade', plannedOn: '2026-10-31' }];
    expect(alerts('2026-10-30', { past })).toEqual([]);
    expect(alerts('2026-11-02', { past })).toEqual([]);
    // An alert of an earlier case (before this one opened) does not count.
    expect(alerts('2026-10-30', { past: [{ clientCode: 'C1', step: 'escalade', plannedOn: '2026-03-01' }] })).toHaveLength(1);
  });

  it('announces the formal notice after the escalade was sent', () => {
    const sent = [...SENT, message('2026-10-31', 'escalade', [['FA1', '2026-10-01']])];
    const clients = [client(REP)];
    const asOf = '2026-11-13';
    const plan = buildPlan({ asOf, horizonDays: 1, openItems: ITEMS, clients, histories: new Map(), settings, messages: new Map([['C1', sent]]) });
    const got = salesAlertsDue({ asOf, plan, clients, openItems: ITEMS, daysBefore: 3, alreadyAlerted: [{ clientCode: 'C1', step: 'escalade', plannedOn: '2026-10-31' }], messages: new Map([['C1', sent]]) });
    expect(got.map((a) => [a.step, a.plannedOn, a.reminders.length])).toEqual([['mise_en_demeure', '2026-11-15', 3]]);
  });

  it('never for a case paused past the date, nor for a client held out of the scenario', () => {
    const paused = { paused: new Map([['C1', { until: '2026-11-30', reason: 'geste commercial' }]]) };
    expect(alerts('2026-10-28', { input: { cases: { ...emptyCases(), ...paused } as PlanInput['cases'] } })).toEqual([]);
    // The pause ends on 11-30: the escalade resumes on 12-01, announced from 11-28.
    expect(alerts('2026-11-28', { input: { cases: { ...emptyCases(), ...paused } as PlanInput['cases'] } }).map((a) => [a.step, a.plannedOn])).toEqual([['escalade', '2026-12-01']]);
    const disputed = { excluded: new Map([['FA1', { reason: 'litige' as const, detail: 'FA1 contestée' }]]) };
    expect(alerts('2026-10-28', { input: { cases: { ...emptyCases(), ...disputed } as PlanInput['cases'] } })).toEqual([]);
  });
});

describe('salesRepDigests: each rep, their clients in collection', () => {
  it('groups by rep e-mail, the clients without a rep last, amounts after allocation', () => {
    const clients = [client(REP), client({ clientCode: 'C2', clientName: 'Client 2' }), client({ clientCode: 'C3', clientName: 'Client 3', salesRep: 'Claire Mercier', salesRepEmail: 'CLAIRE@lumen.example' })];
    const items = [...ITEMS, item({ clientCode: 'C2', clientName: 'Client 2', ref: 'FA2', dueDate: '2026-10-20', openCents: 50_000 }), item({ clientCode: 'C3', clientName: 'Client 3', ref: 'FA3', dueDate: '2026-10-25', openCents: 300_000 })];
    const plan = buildPlan({ asOf: '2026-10-28', horizonDays: 7, openItems: items, clients, histories: new Map(), settings, messages: new Map([['C1', SENT]]) });
    const reps = salesRepDigests(plan, clients);
    expect(reps.map((r) => [r.key, r.email, r.totalCents, r.clients.map((c) => [c.clientCode, c.status, c.overdueCents, c.step, c.on])])).toEqual([
      ['claire@lumen.example', 'claire@lumen.example', 400_000, [['C3', 'action', 300_000, 'relance1', '2026-11-01'], ['C1', 'action', 100_000, 'escalade', '2026-10-31']]],
      ['', null, 50_000, [['C2', 'action', 50_000, 'relance1', '2026-10-28']]],
    ]);
  });
});

function emptyCases() {
  return { excluded: new Map(), paused: new Map(), notes: new Map(), brokenPromises: new Map(), promises: [], plans: [], upcomingInstalments: [], lastCalls: new Map() };
}
