import { describe, expect, it } from 'vitest';
import { casesOf, paceOf, type CaseFacts, type CaseMessage, type LitigationClosure } from '../../src/core/case.js';
import { buildPlan, type Plan, type PlanSettings } from '../../src/core/plan.js';
import type { OpenItem, Segment } from '../../src/core/records.js';
import { DEFAULT_LADDERS } from '../../src/core/scenario.js';
import { DEFAULT_WEIGHTS } from '../../src/core/score.js';
import { DEFAULT_THRESHOLDS } from '../../src/core/segment.js';
import { client, item, message } from '../builders.js';

// Each case is one client, C1, on the standard ladder unless its segment is forced:
// preventive J-5, relance1 J+7, relance2 J+15, escalade J+30, mise_en_demeure J+45,
// contentieux J+53. The plan is the day's (`send`: horizon 1) unless said otherwise.
const AS_OF = '2026-11-16';
const SETTINGS: PlanSettings = {
  thresholds: DEFAULT_THRESHOLDS, segmentOverrides: {}, weights: DEFAULT_WEIGHTS, ladders: DEFAULT_LADDERS, clientLadders: {}, minimumCents: 5000, minimumGapDays: 7,
};
const inv = (ref: string, dueDate: string, over: Partial<OpenItem> = {}): OpenItem => item({ ref, dueDate, docDate: null, ...over });

interface Case {
  items: OpenItem[];
  messages?: CaseMessage[];
  settled?: Record<string, string>;
  closures?: string[];
  segment?: Segment;
  asOf?: string;
  days?: number;
}

function planOf(c: Case): Plan {
  return buildPlan({
    asOf: c.asOf ?? AS_OF, horizonDays: c.days ?? 1, openItems: c.items, clients: [client()], histories: new Map(),
    messages: new Map([['C1', c.messages ?? []]]), settled: new Map(Object.entries(c.settled ?? {})),
    litigationClosures: (c.closures ?? []).map((closedOn): LitigationClosure => ({ clientCode: 'C1', closedOn, outcome: 'abandon', reason: 'insolvable' })),
    settings: { ...SETTINGS, segmentOverrides: c.segment ? { C1: c.segment } : {} },
  });
}

/** What a rule is judged on: the action (step, invoices and their steps), or why the client waits. */
function outcome(p: Plan) {
  const a = p.actions[0];
  const w = p.waiting[0];
  return {
    action: a ? { step: a.step, dueOn: a.dueOn, invoices: a.invoices.map((i) => `${i.ref}:${i.step}`), openedOn: a.case.openedOn, caseStep: a.case.step, remindersSent: a.case.remindersSent } : null,
    waiting: w ? { step: w.case.step, nextStep: w.case.nextStep, nextOn: w.case.nextOn, code: w.case.waitCode } : null,
  };
}

describe('the case rules (one client, table-driven)', () => {
  it.each<[string, Case, ReturnType<typeof outcome>]>([
    // --- opening
    ['opening: the first overdue reminder is relance1 and opens the case',
      { items: [inv('A', '2026-11-08')] },
      { action: { step: 'relance1', dueOn: AS_OF, invoices: ['A:relance1'], openedOn: null, caseStep: null, remindersSent: 0 }, waiting: null }],
    ['opening: overdue but before the ladder day, the client waits for relance1 at J+7',
      { items: [inv('A', '2026-11-12')] },
      { action: null, waiting: { step: null, nextStep: 'relance1', nextOn: '2026-11-19', code: 'etape' } }],
    ['strict sequence: an invoice 307 days late starts at relance1, never further',
      { items: [inv('A', '2026-01-13')] },
      { action: { step: 'relance1', dueOn: AS_OF, invoices: ['A:relance1'], openedOn: null, caseStep: null, remindersSent: 0 }, waiting: null }],
    // --- joining
    ['joining: an invoice that fell due during the case joins it at the case step',
      { items: [inv('A', '2026-10-15'), inv('B', '2026-11-10')], messages: [message('2026-11-01', 'relance1', [['A', '2026-10-15']])] },
      { action: { step: 'relance2', dueOn: AS_OF, invoices: ['A:relance2', 'B:relance2'], openedOn: '2026-11-01', caseStep: 'relance1', remindersSent: 1 }, waiting: null }],
    ['joining: invoices coming due within the preventive window are listed « à échoir », not sent a preventive',
      { items: [inv('A', '2026-11-08'), inv('B', '2026-11-19'), inv('C', '2026-12-15')] },
      { action: { step: 'relance1', dueOn: AS_OF, invoices: ['A:relance1', 'B:preventive'], openedOn: null, caseStep: null, remindersSent: 0 }, waiting: null }],
    // --- pace
    ['pace: the next step waits for the oldest overdue invoice to reach its day',
      { items: [inv('A', '2026-11-05')], messages: [message('2026-11-12', 'relance1', [['A', '2026-11-05']])] },
      { action: null, waiting: { step: 'relance1', nextStep: 'relance2', nextOn: '2026-11-20', code: 'etape' } }],
    ['pace: the day is the oldest invoice\'s, not the newest\'s',
      { items: [inv('A', '2026-10-01'), inv('B', '2026-11-10')], messages: [message('2026-10-08', 'relance1', [['A', '2026-10-01']])] },
      { action: { step: 'relance2', dueOn: AS_OF, invoices: ['A:relance2', 'B:relance2'], openedOn: '2026-10-08', caseStep: 'relance1', remindersSent: 1 }, waiting: null }],
    ['late send keeps the gap: relance1 sent at J+26, relance2 comes 8 days later, not at J+15',
      { items: [inv('A', '2026-10-15')], messages: [message('2026-11-10', 'relance1', [['A', '2026-10-15']])] },
      { action: null, waiting: { step: 'relance1', nextStep: 'relance2', nextOn: '2026-11-18', code: 'palier' } }],
    ['late send keeps the gap: on that day the step goes',
      { items: [inv('A', '2026-10-15')], messages: [message('2026-11-10', 'relance1', [['A', '2026-10-15']])], asOf: '2026-11-18' },
      { action: { step: 'relance2', dueOn: '2026-11-18', invoices: ['A:relance2'], openedOn: '2026-11-10', caseStep: 'relance1', remindersSent: 1 }, waiting: null }],
    // --- gap
    ['gap of any kind: a preventive reminder 4 days ago holds relance1 back',
      { items: [inv('A', '2026-11-06'), inv('B', '2026-11-17')], messages: [message('2026-11-12', 'preventive', [], [['B', '2026-11-17']])] },
      { action: null, waiting: { step: null, nextStep: 'relance1', nextOn: '2026-11-19', code: 'ecart' } }],
    ['gap: never two messages the same day, even when the step is due',
      { items: [inv('A', '2026-10-01')], messages: [message(AS_OF, 'relance1', [['A', '2026-10-01']])] },
      { action: null, waiting: { step: 'relance1', nextStep: 'relance2', nextOn: '2026-11-24', code: 'palier' } }],
    ['gap: a preventive reminder waits for it too (due on 16/11 without the relance1 of 12/11)',
      { items: [inv('B', '2026-11-20')], messages: [message('2026-11-12', 'relance1', [['A', '2026-11-01']])], settled: { A: '2026-11-14' }, days: 7 },
      { action: { step: 'preventive', dueOn: '2026-11-19', invoices: ['B:preventive'], openedOn: null, caseStep: null, remindersSent: 0 }, waiting: null }],
    // --- closing and reopening
    ['closing: every invoice of the case was paid before the new one fell due, so it opens a new case at relance1',
      { items: [inv('B', '2026-11-01')], messages: [message('2026-10-01', 'escalade', [['A', '2026-09-01']])], settled: { A: '2026-10-15' } },
      { action: { step: 'relance1', dueOn: AS_OF, invoices: ['B:relance1'], openedOn: null, caseStep: null, remindersSent: 0 }, waiting: null }],
    ['continuing: the case goes on when the new invoice was already overdue when the last one was paid',
      { items: [inv('B', '2026-10-01')], messages: [message('2026-10-01', 'escalade', [['A', '2026-09-01']])], settled: { A: '2026-10-20' } },
      { action: { step: 'mise_en_demeure', dueOn: AS_OF, invoices: ['B:mise_en_demeure'], openedOn: '2026-10-01', caseStep: 'escalade', remindersSent: 1 }, waiting: null }],
    ['continuing: an invoice gone from today\'s export without a settlement date left it today',
      { items: [inv('B', '2026-10-01')], messages: [message('2026-10-01', 'escalade', [['A', '2026-09-01']])] },
      { action: { step: 'mise_en_demeure', dueOn: AS_OF, invoices: ['B:mise_en_demeure'], openedOn: '2026-10-01', caseStep: 'escalade', remindersSent: 1 }, waiting: null }],
    ['closing: a person closed the case (litigation closure), the next overdue invoice opens a new one',
      { items: [inv('A', '2026-09-01')], messages: [message('2026-10-01', 'escalade', [['A', '2026-09-01']])], closures: ['2026-10-10'] },
      { action: { step: 'relance1', dueOn: AS_OF, invoices: ['A:relance1'], openedOn: null, caseStep: null, remindersSent: 0 }, waiting: null }],
    // --- preventive reminders
    ['preventive: to a client with nothing overdue, five days before the due date',
      { items: [inv('B', '2026-11-21')] },
      { action: { step: 'preventive', dueOn: AS_OF, invoices: ['B:preventive'], openedOn: null, caseStep: null, remindersSent: 0 }, waiting: null }],
    ['preventive suppressed while anything is overdue (the upcoming invoice waits for the case message)',
      { items: [inv('A', '2026-11-13'), inv('B', '2026-11-21')] },
      { action: null, waiting: { step: null, nextStep: 'relance1', nextOn: '2026-11-20', code: 'etape' } }],
    ['preventive once per invoice: not when a message already listed it « à échoir »',
      { items: [inv('B', '2026-11-19')], messages: [message('2026-11-01', 'relance1', [['A', '2026-10-20']], [['B', '2026-11-19']])] },
      { action: null, waiting: null }],
    // --- tone never goes down
    ['tone never goes down: after an escalade under the standard ladder, a good payer\'s next step is the formal notice',
      { items: [inv('A', '2026-09-01')], messages: [message('2026-10-20', 'escalade', [['A', '2026-09-01']])], segment: 'bon' },
      { action: { step: 'mise_en_demeure', dueOn: AS_OF, invoices: ['A:mise_en_demeure'], openedOn: '2026-10-20', caseStep: 'escalade', remindersSent: 1 }, waiting: null }],
    ['tone never goes down: an old journal that sent an escalade after a formal notice continues from the formal notice',
      { items: [inv('A', '2026-08-01'), inv('B', '2026-09-01')], messages: [message('2026-09-20', 'mise_en_demeure', [['A', '2026-08-01']]), message('2026-10-01', 'escalade', [['B', '2026-09-01']])] },
      { action: { step: 'contentieux', dueOn: AS_OF, invoices: ['A:contentieux', 'B:contentieux'], openedOn: '2026-09-20', caseStep: 'mise_en_demeure', remindersSent: 2 }, waiting: null }],
  ])('%s', (_name, c, expected) => {
    expect(outcome(planOf(c))).toEqual(expected);
  });
});

describe('a case handed over to litigation', () => {
  const handed = [message('2026-10-01', 'mise_en_demeure', [['A', '2026-08-01']]), message('2026-10-10', 'contentieux', [['A', '2026-08-01']])];

  it('is listed « en contentieux » with the date and the amount, its new invoices flagged, nothing chased', () => {
    const p = planOf({ items: [inv('A', '2026-08-01', { openCents: 250_000 }), inv('C', '2026-11-01', { openCents: 30_000 })], messages: handed, days: 7 });
    expect(p.actions).toEqual([]);
    expect(p.waiting).toEqual([]);
    expect(p.litigation).toEqual([{
      clientCode: 'C1', clientName: 'Client 1', handedOverOn: '2026-10-10', openedOn: '2026-10-01', remindersSent: 1,
      amountCents: 250_000, invoices: ['A'], newInvoices: ['C'], newInvoicesCents: 30_000,
    }]);
  });

  it('stays listed once everything is paid, until a person closes it', () => {
    expect(planOf({ items: [], messages: handed }).litigation.map((l) => [l.clientCode, l.amountCents])).toEqual([['C1', 0]]);
    expect(planOf({ items: [], messages: handed, closures: ['2026-11-02'] }).litigation).toEqual([]);
  });

  it('once closed, a new overdue invoice opens a new case at relance1; the invoices handed over are not chased again', () => {
    const p = planOf({ items: [inv('A', '2026-08-01'), inv('C', '2026-11-01')], messages: handed, closures: ['2026-11-02'] });
    expect(p.litigation).toEqual([]);
    expect(outcome(p).action).toMatchObject({ step: 'relance1', invoices: ['C:relance1'], openedOn: null });
    expect(p.skipped).toEqual([{ clientCode: 'C1', clientName: 'Client 1', reason: 'contentieux-clos', detail: 'A : contentieux clos le 02/11/2026 (abandon : insolvable)' }]);
  });
});

describe('the case view of an action and of a waiting client', () => {
  it('fills the case: opened on, step and since when, reminders sent, last message, next step and when', () => {
    const p = planOf({ items: [inv('A', '2026-10-01')], messages: [message('2026-10-08', 'relance1', [['A', '2026-10-01']]), message('2026-10-16', 'relance2', [['A', '2026-10-01']])] });
    expect(p.actions[0]!.case).toEqual({
      openedOn: '2026-10-08', step: 'relance2', stepOn: '2026-10-16', remindersSent: 2, firstReminderOn: '2026-10-08', lastMessageOn: '2026-10-16',
      nextStep: 'mise_en_demeure', nextOn: '2026-12-01', waitReason: null, waitCode: null,
    });
  });

  it('says why not sooner, in French', () => {
    const gap = planOf({ items: [inv('A', '2026-11-06'), inv('B', '2026-11-17')], messages: [message('2026-11-12', 'preventive', [], [['B', '2026-11-17']])] });
    expect(gap.waiting[0]!.case.waitReason).toBe('écart minimal de 7 jours depuis le message du 12/11/2026 (rappel préventif)');
    const day = planOf({ items: [inv('A', '2026-11-05')], messages: [message('2026-11-12', 'relance1', [['A', '2026-11-05']])] });
    expect(day.waiting[0]!.case.waitReason).toBe('2e relance prévue à J+15 de la facture la plus ancienne (A, échéance du 05/11/2026)');
    const late = planOf({ items: [inv('A', '2026-10-15')], messages: [message('2026-11-10', 'relance1', [['A', '2026-10-15']])] });
    expect(late.waiting[0]!.case.waitReason).toBe('écart entre étapes gardé : 1re relance envoyée le 10/11/2026, 2e relance 8 jours après');
  });

  it('plans the week: the action on the day its step falls due, with why not sooner', () => {
    const p = planOf({ items: [inv('A', '2026-11-05')], messages: [message('2026-11-12', 'relance1', [['A', '2026-11-05']])], days: 7 });
    expect(p.actions[0]).toMatchObject({ step: 'relance2', dueOn: '2026-11-20', case: { waitCode: 'etape', nextStep: 'escalade', nextOn: '2026-12-05' } });
  });

  it('lists every client in collection once: in actions, waiting, manual or litigation', () => {
    const p = buildPlan({
      asOf: AS_OF, horizonDays: 1, histories: new Map(), settings: SETTINGS,
      openItems: [item({ clientCode: 'ACT', ref: 'A1', dueDate: '2026-11-01' }), item({ clientCode: 'WAIT', ref: 'W1', dueDate: '2026-11-14' }), item({ clientCode: 'LIT', ref: 'L1', dueDate: '2026-08-01' })],
      clients: [client({ clientCode: 'ACT' }), client({ clientCode: 'WAIT' }), client({ clientCode: 'LIT' })],
      messages: new Map([['LIT', [message('2026-10-10', 'contentieux', [['L1', '2026-08-01']])]]]),
    });
    expect([p.actions.map((a) => a.clientCode), p.waiting.map((w) => w.clientCode), p.litigation.map((l) => l.clientCode)]).toEqual([['ACT'], ['WAIT'], ['LIT']]);
    expect(p.totals).toMatchObject({ actions: 1, waiting: 1, litigation: 1 });
  });

  it('lists a paused client in collection as waiting, with the pause as the reason', () => {
    const p = buildPlan({
      asOf: AS_OF, horizonDays: 7, histories: new Map(), settings: SETTINGS, openItems: [inv('A', '2026-11-01')], clients: [client()],
      cases: { excluded: new Map(), paused: new Map([['C1', { until: '2026-11-30', reason: 'conciliation' }]]), notes: new Map(), brokenPromises: new Map(), promises: [], plans: [], upcomingInstalments: [], lastCalls: new Map() },
    });
    expect(p.actions).toEqual([]);
    expect(p.waiting[0]!.case).toMatchObject({ nextStep: 'relance1', nextOn: '2026-12-01', waitCode: 'pause', waitReason: "relances suspendues jusqu'au 30/11/2026 : conciliation" });
  });
});

describe('the cases of a history', () => {
  const facts = (over: Partial<CaseFacts> = {}): CaseFacts => ({ asOf: AS_OF, chased: new Set(), open: new Set(), settled: new Map(), closures: [], ...over });

  it('splits the history where the client was clear of overdue invoices', () => {
    const history = [
      message('2026-03-10', 'relance1', [['A', '2026-03-01']]),
      message('2026-03-20', 'relance2', [['A', '2026-03-01']]),
      message('2026-06-10', 'relance1', [['B', '2026-06-01']]),
    ];
    const cases = casesOf(history, facts({ settled: new Map([['A', '2026-04-02']]) }));
    expect(cases.map((c) => [c.openedOn, c.step, c.messages.length])).toEqual([['2026-03-10', 'relance2', 2], ['2026-06-10', 'relance1', 1]]);
  });

  it('keeps one case while an invoice it named is still chased', () => {
    const history = [message('2026-03-10', 'relance1', [['A', '2026-03-01']]), message('2026-06-10', 'relance1', [['B', '2026-06-01']])];
    expect(casesOf(history, facts({ chased: new Set(['A']), open: new Set(['A']) })).map((c) => c.messages.length)).toEqual([2]);
  });

  it('lets go of an invoice taken out of the scenario (a dispute): it ends the day it was last named', () => {
    const history = [message('2026-03-10', 'relance1', [['A', '2026-03-01']]), message('2026-06-10', 'relance1', [['B', '2026-06-01']])];
    expect(casesOf(history, facts({ open: new Set(['A']) })).map((c) => c.messages.length)).toEqual([1, 1]);
  });

  it('never counts preventive reminders as a case', () => {
    expect(casesOf([message('2026-03-10', 'preventive', [], [['A', '2026-03-15']])], facts())).toEqual([]);
  });
});

describe('the pace of a case', () => {
  const ladder = DEFAULT_LADDERS.standard;
  it.each<[string, Parameters<typeof paceOf>[0], [string, string, string] | null]>([
    ['the ladder day of the oldest invoice', { ladder, step: 'relance1', lastReminderOn: '2026-10-08', oldest: { ref: 'A', dueDate: '2026-10-01' }, lastMessage: { date: '2026-10-08', step: 'relance1' }, gapDays: 7 }, ['relance2', '2026-10-16', 'etape']],
    ['the gap kept after a late send', { ladder, step: 'relance1', lastReminderOn: '2026-11-10', oldest: { ref: 'A', dueDate: '2026-10-01' }, lastMessage: { date: '2026-11-10', step: 'relance1' }, gapDays: 7 }, ['relance2', '2026-11-18', 'palier']],
    ['the minimum gap since a message of any kind', { ladder, step: null, lastReminderOn: null, oldest: { ref: 'A', dueDate: '2026-10-01' }, lastMessage: { date: '2026-11-14', step: 'preventive' }, gapDays: 7 }, ['relance1', '2026-11-21', 'ecart']],
    ['a longer minimum gap wins over the ladder', { ladder, step: 'relance1', lastReminderOn: '2026-10-08', oldest: { ref: 'A', dueDate: '2026-10-01' }, lastMessage: { date: '2026-10-08', step: 'relance1' }, gapDays: 14 }, ['relance2', '2026-10-22', 'ecart']],
    ['nothing after litigation', { ladder, step: 'contentieux', lastReminderOn: '2026-10-08', oldest: { ref: 'A', dueDate: '2026-08-01' }, lastMessage: null, gapDays: 7 }, null],
  ])('%s', (_name, input, expected) => {
    const p = paceOf(input);
    expect(p && [p.rung.step, p.on, p.code]).toEqual(expected);
  });
});
