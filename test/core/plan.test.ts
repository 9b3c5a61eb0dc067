import { describe, expect, it } from 'vitest';
import { applyRecentCall, buildPlan, channelFor, type PlanInput } from '../../src/core/plan.js';
import type { CaseStatus } from '../../src/core/cases.js';
import type { Channel } from '../../src/core/scenario.js';
import { DEFAULT_LADDERS } from '../../src/core/scenario.js';
import { DEFAULT_WEIGHTS } from '../../src/core/score.js';
import { DEFAULT_THRESHOLDS, emptyHistory } from '../../src/core/segment.js';
import { client, item } from '../builders.js';

const AS_OF = '2026-11-16';
const settings = { thresholds: DEFAULT_THRESHOLDS, segmentOverrides: {}, weights: DEFAULT_WEIGHTS, ladders: DEFAULT_LADDERS, clientLadders: {}, minimumCents: 5000, minimumGapDays: 7 };
const plan = (over: Partial<PlanInput>) =>
  buildPlan({ asOf: AS_OF, horizonDays: 7, openItems: [], clients: [], histories: new Map(), settings, ...over });

describe('the weekly plan', () => {
  it('ranks 45 000 € at J+8 above 800 € at J+25 for two clients with no history', () => {
    const p = plan({
      openItems: [item({ clientCode: 'SMALL', ref: 'F800', openCents: 80_000, dueDate: '2026-10-22' }), item({ clientCode: 'BIG', ref: 'F45K', openCents: 4_500_000, dueDate: '2026-11-08' })],
      clients: [client({ clientCode: 'SMALL' }), client({ clientCode: 'BIG' })],
    });
    expect(p.actions.map((a) => [a.rank, a.clientCode, a.segment, a.step])).toEqual([[1, 'BIG', 'nouveau', 'relance1'], [2, 'SMALL', 'nouveau', 'relance1']]);
  });

  it('makes one action per client, at its case step, for all its overdue invoices, plus those coming due listed « à échoir »', () => {
    const p = plan({
      openItems: [
        item({ ref: 'OLD', dueDate: '2026-09-01' }),
        item({ ref: 'RECENT', dueDate: '2026-11-05' }),
        item({ ref: 'NEXT', dueDate: '2026-11-19' }),
        item({ ref: 'LATER', dueDate: '2026-12-31' }),
      ],
      clients: [client()],
      messages: new Map([['C1', [{ date: '2026-09-08', step: 'relance1', channel: 'email', amountCents: 100_000, invoices: [{ ref: 'OLD', step: 'relance1', dueDate: '2026-09-01' }] }]]]),
    });
    expect(p.actions).toHaveLength(1);
    const a = p.actions[0]!;
    expect(a.step).toBe('relance2');
    // RECENT fell due during the case: it joins at the case's step; NEXT is due within the preventive window.
    expect(a.invoices.map((i) => [i.ref, i.step])).toEqual([['OLD', 'relance2'], ['RECENT', 'relance2'], ['NEXT', 'preventive']]);
    expect(a.overdueCents).toBe(200_000);
    expect(a.case).toEqual({
      openedOn: '2026-09-08', step: 'relance1', stepOn: '2026-09-08', remindersSent: 1, firstReminderOn: '2026-09-08', lastMessageOn: '2026-09-08',
      nextStep: 'escalade', nextOn: '2026-12-01', waitReason: null, waitCode: null, // relance2 sent late: escalade keeps its 15 days
    });
  });

  it('leaves out steps that fall due after the horizon, and lists the client as waiting', () => {
    const p = plan({ openItems: [item({ dueDate: '2026-11-12' })], clients: [client()], horizonDays: 1 });
    expect(p.actions).toEqual([]);
    expect(p.waiting.map((w) => [w.clientCode, w.case.nextStep, w.case.nextOn, w.case.waitCode])).toEqual([['C1', 'relance1', '2026-11-19', 'etape']]);
    const week = plan({ openItems: [item({ dueDate: '2026-11-12' })], clients: [client()], horizonDays: 7 });
    expect(week.actions[0]).toMatchObject({ step: 'relance1', dueOn: '2026-11-19' });
  });

  it('skips a case below the minimum amount, saying so', () => {
    const p = plan({ openItems: [item({ openCents: 4999 })], clients: [client()] });
    expect(p.actions).toEqual([]);
    expect(p.skipped).toEqual([{ clientCode: 'C1', clientName: 'Client 1', reason: 'montant-minimum', detail: '49,99\u00a0€ à relancer, sous le minimum de 50,00\u00a0€' }]);
  });

  it('skips a client whose credits cover its debts', () => {
    const p = plan({ openItems: [item({ openCents: 100_000 }), item({ ref: 'AV1', openCents: -120_000, originalCents: -120_000 })], clients: [client()] });
    expect(p.actions).toEqual([]);
    expect(p.skipped.map((s) => s.reason)).toEqual(['credits-couvrent']);
  });

  it('puts an excluded client on the manual list with the step it would have had', () => {
    const p = plan({ openItems: [item()], clients: [client({ excluded: true, excludedReason: 'Litige commercial' })] });
    expect(p.actions).toEqual([]);
    expect(p.manual.map((m) => [m.clientCode, m.reason, m.step])).toEqual([['C1', 'Litige commercial', 'relance1']]);
  });

  it('falls back to a letter when the client has no e-mail, and says why', () => {
    const p = plan({ openItems: [item()], clients: [client({ emails: [] })] });
    expect(p.actions[0]).toMatchObject({ channel: 'courrier', channelNote: "pas d'adresse e-mail dans la fiche client" });
    const unknown = plan({ openItems: [item()], clients: [] });
    expect(unknown.actions[0]).toMatchObject({ channel: 'courrier', channelNote: 'client absent du fichier clients : e-mail inconnu' });
  });

  it('skips invoices with no due date at all, saying so', () => {
    const p = plan({ openItems: [item({ dueDate: null, docDate: null })], clients: [client()] });
    expect(p.skipped.map((s) => s.reason)).toEqual(['echeance-inconnue']);
  });

  it('follows the ladder of the segment: a chronic payer is reminded earlier', () => {
    const history = emptyHistory();
    Object.assign(history, { count: 5, amountCents: 500_000, centDaysLate: 500_000 * 40, lateCents: 500_000 });
    const p = plan({ openItems: [item({ dueDate: '2026-11-13' })], clients: [client()], histories: new Map([['C1', history]]), horizonDays: 1 });
    expect(p.actions[0]).toMatchObject({ segment: 'chronique', ladder: 'chronique', step: 'relance1', dueOn: AS_OF });
  });

  it('lets the config force a ladder or a segment per client', () => {
    const forced = plan({
      openItems: [item({ dueDate: '2026-11-13' })],
      clients: [client()],
      settings: { ...settings, clientLadders: { C1: 'chronique' }, segmentOverrides: { C1: 'bon' } },
    });
    expect(forced.actions[0]).toMatchObject({ segment: 'bon', ladder: 'chronique' });
  });
});

describe('the plan asks only for what is owed once unapplied credits are allocated', () => {
  it('asks 2 400 € for a 3 600 € invoice after an unapplied payment of 1 200 €, and says so', () => {
    const p = plan({
      openItems: [item({ ref: 'FA39', openCents: 360_000, originalCents: 360_000, dueDate: '2026-11-07' }), item({ ref: 'RG30', openCents: -120_000, originalCents: -120_000, dueDate: '2026-11-12' })],
      clients: [client()],
    });
    const a = p.actions[0]!;
    expect(a).toMatchObject({ balanceCents: 240_000, unappliedCents: 120_000, overdueCents: 240_000, creditsAppliedCents: 120_000 });
    expect(a.invoices.map((i) => [i.ref, i.statementCents, i.openCents])).toEqual([['FA39', 360_000, 240_000]]);
    // The score is computed on what is owed, not on the booked amount.
    const full = plan({ openItems: [item({ ref: 'FA39', openCents: 240_000, dueDate: '2026-11-07' })], clients: [client()] }).actions[0]!;
    expect(a.score).toBe(full.score);
  });

  it('sends no overdue reminder to a client whose credits cover everything overdue', () => {
    const p = plan({
      openItems: [
        item({ ref: 'LATE', openCents: 100_000, dueDate: '2026-10-01' }),
        item({ ref: 'SOON', openCents: 100_000, dueDate: '2026-11-19' }),
        item({ ref: 'AV', openCents: -100_000, dueDate: null, docDate: '2026-11-02' }),
      ],
      clients: [client()],
    });
    const a = p.actions[0]!;
    expect(a.step).toBe('preventive');
    expect(a.overdueCents).toBe(0);
    expect(a.invoices.map((i) => i.ref)).toEqual(['SOON']);
  });

  it('never plans an overdue amount above the balance', () => {
    const p = plan({
      openItems: [item({ ref: 'A', openCents: 500_000, dueDate: '2026-09-01' }), item({ ref: 'B', openCents: 300_000, dueDate: '2026-10-01' }), item({ ref: 'AV', openCents: -650_000, dueDate: '2026-10-15' })],
      clients: [client()],
    });
    const a = p.actions[0]!;
    expect(a.balanceCents).toBe(150_000);
    expect(a.overdueCents).toBe(150_000);
    expect(a.invoices.map((i) => [i.ref, i.openCents])).toEqual([['B', 150_000]]);
  });
});

// The call window: a call made within the last 7 days (asOf − 7 included), and not before
// the case's last reminder, already did the call task of a step « +appel ».
describe('the call window: a recent phone call stands for the next step\'s call', () => {
  const called = (on: string) => `appel passé le ${on.slice(8, 10)}/${on.slice(5, 7)}/${on.slice(0, 4)} : la tâche d'appel est faite`;
  it.each([
    // channel, last call, last reminder, channel after, note?
    ['email+appel', '2026-11-09', null, 'email', true], // asOf − 7: inside the window
    ['email+appel', '2026-11-08', null, 'email+appel', false], // asOf − 8: outside
    ['courrier+appel', '2026-11-16', null, 'courrier', true], // today
    ['email+appel', '2026-11-13', '2026-11-13', 'email', true], // the day of the last reminder
    ['email+appel', '2026-11-12', '2026-11-13', 'email+appel', false], // before the last reminder: that reminder's call
    ['email+appel', '2026-11-10', '2026-11-01', 'email', true], // the week counts, not the older reminder
    ['email', '2026-11-15', null, 'email', false], // nothing to call for
    ['lrar+email', '2026-11-15', null, 'lrar+email', false],
    ['email+appel', null, '2026-11-13', 'email+appel', false], // no call
  ] as [Channel, string | null, string | null, Channel, boolean][])('%s, call on %s, last reminder %s → %s', (channel, call, reminder, after, noted) => {
    expect(applyRecentCall(channel, call, reminder, AS_OF)).toEqual({ channel: after, note: noted ? called(call!) : null });
  });

  const cases = (lastCall: string): CaseStatus => ({
    excluded: new Map(), paused: new Map(), notes: new Map(), brokenPromises: new Map(), promises: [], plans: [], upcomingInstalments: [], lastCalls: new Map([['C1', lastCall]]),
  });
  // FA1 is due 31/10; relance1 went on `sentOn`: relance2 (e-mail + call) comes within the week.
  const relance2 = (sentOn: string, lastCall: string) => plan({
    openItems: [item()], clients: [client()], cases: cases(lastCall),
    messages: new Map([['C1', [{ date: sentOn, step: 'relance1', channel: 'email', amountCents: 100_000, invoices: [{ ref: 'FA1', step: 'relance1', dueDate: '2026-10-31' }] }]]]),
  }).actions[0]!;
  it.each([
    ['2026-11-07', '2026-11-09', 'email'], // relance1 older than the week: the window starts at asOf − 7
    ['2026-11-07', '2026-11-08', 'email+appel'],
    ['2026-11-10', '2026-11-10', 'email'], // relance1 within the week: the window starts at it
    ['2026-11-10', '2026-11-09', 'email+appel'],
  ])('in the plan: relance1 on %s, call on %s → relance2 by %s', (sentOn, call, channel) => {
    const a = relance2(sentOn, call);
    expect([a.step, a.channel]).toEqual(['relance2', channel]);
    expect(a.notes).toEqual(channel === 'email' ? [called(call)] : []);
  });
});

describe('the channel a client can be reached by', () => {
  it.each([
    ['email+appel', ['a@b.example'], 'email+appel', null],
    ['email+appel', [], 'courrier+appel', "pas d'adresse e-mail dans la fiche client"],
    ['lrar+email', [], 'lrar', "pas d'adresse e-mail dans la fiche client"],
    ['courrier', [], 'courrier', null],
  ] as [Channel, string[], Channel, string | null][])('%s with e-mails %j → %s', (channel, emails, after, note) => {
    expect(channelFor(channel, client({ emails }))).toEqual({ channel: after, channelNote: note });
  });
  it('says when the client is not in the clients file', () => {
    expect(channelFor('email', null)).toEqual({ channel: 'courrier', channelNote: 'client absent du fichier clients : e-mail inconnu' });
  });
});
