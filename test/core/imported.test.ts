import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaseMessage } from '../../src/core/case.js';
import { importedStep, withImportedReminders, type ImportedReminder } from '../../src/core/imported.js';
import { buildPlan, type PlanSettings } from '../../src/core/plan.js';
import { DEFAULT_LADDERS } from '../../src/core/scenario.js';
import { DEFAULT_WEIGHTS } from '../../src/core/score.js';
import { DEFAULT_THRESHOLDS } from '../../src/core/segment.js';
import { caseHistoryOf, Journal } from '../../src/journal/journal.js';
import { client, item, message } from '../builders.js';

const AS_OF = '2026-11-16';
const SETTINGS: PlanSettings = {
  thresholds: DEFAULT_THRESHOLDS, segmentOverrides: {}, weights: DEFAULT_WEIGHTS, ladders: DEFAULT_LADDERS, clientLadders: {}, minimumCents: 5000, minimumGapDays: 7,
};
const reminder = (ref: string, count: number, lastDate: string, over: Partial<ImportedReminder> = {}): ImportedReminder => ({
  clientCode: 'C1', ref, count, lastDate, file: 'ecritures.txt', line: 12, ...over,
});
const A = item({ ref: 'A', dueDate: '2026-10-01', openCents: 250_000 });
const B = item({ ref: 'B', dueDate: '2026-10-20' });

describe('the reminders an export says were sent', () => {
  it.each<[number, string]>([[1, 'relance1'], [2, 'relance2'], [3, 'relance2'], [7, 'relance2']])(
    'a count of %i stands for %s: never a formal notice', (count, step) => {
      expect(importedStep(count)).toBe(step);
    });

  it.each<[string, ImportedReminder[], CaseMessage[], { date: string; step: string; channel: string; refs: string[]; cents: number }[]]>([
    ['one reminder becomes one message on its date, for what is open of the invoice',
      [reminder('A', 1, '2026-10-20')], [],
      [{ date: '2026-10-20', step: 'relance1', channel: 'importe', refs: ['A'], cents: 250_000 }]],
    ['a paid invoice (no longer open) says nothing of the case', [reminder('Z', 2, '2026-10-20')], [], []],
    ['a reminder dated after the as-of date is left out', [reminder('A', 1, '2026-11-20')], [], []],
    ['the same reminder from the file and the journal counts once',
      [reminder('A', 2, '2026-10-20'), reminder('A', 2, '2026-10-20')], [],
      [{ date: '2026-10-20', step: 'relance2', channel: 'importe', refs: ['A'], cents: 250_000 }]],
    ["it goes in date order among the journal's own messages",
      [reminder('B', 1, '2026-11-02')], [message('2026-10-25', 'relance1', [['A', '2026-10-01']]), message('2026-11-10', 'relance2', [['A', '2026-10-01']])],
      [
        { date: '2026-10-25', step: 'relance1', channel: 'email', refs: ['A'], cents: 100_000 },
        { date: '2026-11-02', step: 'relance1', channel: 'importe', refs: ['B'], cents: 100_000 },
        { date: '2026-11-10', step: 'relance2', channel: 'email', refs: ['A'], cents: 100_000 },
      ]],
  ])('%s', (_, reminders, journal, expected) => {
    const out = withImportedReminders(new Map([['C1', journal]]), reminders, [A, B], AS_OF).get('C1') ?? [];
    expect(out.map((m) => ({ date: m.date, step: m.step, channel: m.channel, refs: m.invoices.map((i) => i.ref), cents: m.amountCents }))).toEqual(expected);
  });

  it('the ladder goes on where the software left it: two Sage reminders, the next step follows the second reminder', () => {
    const plan = (reminders: ImportedReminder[]) => buildPlan({
      asOf: AS_OF, horizonDays: 1, openItems: [A], clients: [client()], histories: new Map(),
      messages: withImportedReminders(new Map(), reminders, [A], AS_OF), settled: new Map(), litigationClosures: [], settings: SETTINGS,
    });
    expect(plan([]).actions[0]).toMatchObject({ step: 'relance1' });
    // A is 46 days late; Sage's second reminder went on 10/11: the case is at relance2, and
    // the next rung waits for its own spacing, as if relance had sent it.
    expect(plan([reminder('A', 2, '2026-11-10')]).waiting[0]?.case).toMatchObject({ step: 'relance2', nextStep: 'escalade', nextOn: '2026-11-25', waitCode: 'palier' });
    expect(plan([reminder('A', 2, '2026-11-01')]).actions[0]).toMatchObject({ step: 'escalade' });
  });

  it('the journal records them once, and gives them back to the next run', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'relance-imported-')), 'journal.sqlite');
    const journal = Journal.open(path);
    try {
      expect(journal.importReminders([reminder('A', 1, '2026-10-20'), reminder('B', 2, '2026-11-02')], '2026-11-16T08:00:00.000Z')).toBe(2);
      expect(journal.importReminders([reminder('A', 1, '2026-10-20')], '2026-11-17T08:00:00.000Z')).toBe(0);
      expect(journal.importedReminders()).toEqual([reminder('A', 1, '2026-10-20'), reminder('B', 2, '2026-11-02')]);
      const history = caseHistoryOf(journal, undefined, { reminders: [reminder('A', 1, '2026-10-20')], openItems: [A, B], asOf: AS_OF });
      expect(history.messages.get('C1')?.map((m) => `${m.date} ${m.step} ${m.invoices[0]!.ref}`)).toEqual(['2026-10-20 relance1 A', '2026-11-02 relance2 B']);
    } finally {
      journal.close();
    }
  });
});
