import { describe, expect, it } from 'vitest';
import { penaltiesForInvoice } from '../../src/core/penalties.js';
import {
  activeProcedureOf,
  addMonths,
  declarationDeadline,
  declarationOf,
  deadlineSentence,
  type ProcedureRecord,
} from '../../src/core/procedure.js';
import { buildPlan, type PlanInput } from '../../src/core/plan.js';
import { penaltyTablesFrom } from '../../src/core/rates.js';
import { DEFAULT_LADDERS } from '../../src/core/scenario.js';
import { DEFAULT_WEIGHTS } from '../../src/core/score.js';
import { DEFAULT_THRESHOLDS } from '../../src/core/segment.js';
import { client, item } from '../builders.js';

const tables = penaltyTablesFrom();
const B2B = { consumer: false };

function procedure(over: Partial<ProcedureRecord> = {}): ProcedureRecord {
  return {
    id: 1, clientCode: 'C1', type: 'redressement', judgmentOn: '2026-05-15', bodaccOn: '2026-05-28', administrator: null,
    openedOn: '2026-06-01', closedOn: null, closeReason: null, ...over,
  };
}

describe('R622-24: the claim is declared within two months of the BODACC publication', () => {
  it.each([
    ['2026-11-12', '2027-01-12'],
    ['2026-03-01', '2026-05-01'],
    ['2026-08-31', '2026-10-31'], // no 31 October missing: same day number
    ['2026-12-31', '2027-02-28'], // no 31 February: the month's last day (CPC art. 641)
    ['2027-12-31', '2028-02-29'],
    ['2026-12-30', '2027-02-28'],
  ])('R622-24 (CPC 641): published %s, last day %s', (bodacc, deadline) => {
    expect(declarationDeadline(bodacc)).toBe(deadline);
  });

  it('R622-24: without the publication date no deadline is made up, and the sentence says so', () => {
    expect(declarationDeadline(null)).toBeNull();
    expect(deadlineSentence({ bodaccOn: null }, '2026-06-01')).toBe('déclaration de créance à faire : délai de deux mois à calculer dès la publication au BODACC (R622-24)');
  });

  it.each([
    ['2026-06-01', 'déclaration de créance à faire avant le 28/07/2026 (deux mois après la publication au BODACC du 28/05/2026, R622-24)'],
    ['2026-07-28', 'déclaration de créance à faire avant le 28/07/2026 (deux mois après la publication au BODACC du 28/05/2026, R622-24)'],
    ['2026-07-29', 'délai de déclaration de créance expiré le 28/07/2026 : demander au juge-commissaire un relevé de forclusion avant le 28/11/2026 (L622-26)'],
    ['2026-11-29', 'délai de déclaration de créance expiré le 28/07/2026, et celui du relevé de forclusion le 28/11/2026 (L622-26)'],
  ])('R622-24 and L622-26: on %s the plan says « %s »', (asOf, sentence) => {
    expect(deadlineSentence(procedure(), asOf)).toBe(sentence);
  });

  it('CPC 641: months are added to the day number, clamped to the month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-15', 6)).toBe('2027-05-15');
  });
});

describe('L622-21: a proceeding stops the reminders from its judgment until it is closed', () => {
  const p = procedure({ judgmentOn: '2026-05-15', closedOn: '2026-09-01' });
  it.each([
    ['2026-05-14', false],
    ['2026-05-15', true],
    ['2026-08-31', true],
    ['2026-09-01', false],
  ])('L622-21: on %s in force: %s', (asOf, inForce) => {
    expect(activeProcedureOf([p], 'C1', asOf) !== null).toBe(inForce);
    expect(activeProcedureOf([p], 'C2', asOf)).toBeNull();
  });
});

describe('the declaration of claim (L622-24, R622-23)', () => {
  const late = item({ ref: 'FA1', docDate: '2026-03-01', dueDate: '2026-03-31', openCents: 100_000 });

  it.each([
    ['redressement', 'L622-28'],
    ['sauvegarde', 'L622-28'],
    ['liquidation', 'L641-3'],
  ] as const)('%s (%s): interest runs up to the eve of the judgment, then stops', (type, _article) => {
    const d = declarationOf(procedure({ type }), [late], B2B, tables);
    const eve = penaltiesForInvoice({ ref: 'FA1', dueDate: '2026-03-31', openCents: 100_000 }, B2B, '2026-05-14', tables);
    expect(d.interestUntil).toBe('2026-05-14');
    expect(d.invoices[0]).toMatchObject({ ref: 'FA1', principalCents: 100_000, overdue: true, daysLate: 44, interestCents: eve.interestCents, interestKnown: true });
    expect(eve.interestCents).toBeGreaterThan(0);
    // What is declared does not grow with time: the same judgment, a later run, the same figures.
    expect(declarationOf(procedure({ type, openedOn: '2026-12-01' }), [late], B2B, tables).totals).toEqual(d.totals);
  });

  it.each([
    ['late at the judgment, between professionals', late, B2B, 4000],
    ['due the day before the judgment: not yet late on its eve', item({ docDate: '2026-04-14', dueDate: '2026-05-14' }), B2B, 0],
    ['not yet due at the judgment (à échoir)', item({ docDate: '2026-05-01', dueDate: '2026-06-30' }), B2B, 0],
    ['late, but the debtor is a consumer', late, { consumer: true }, 0],
  ])('D441-5: 40 € indemnity when %s', (_what, invoice, terms, indemnity) => {
    expect(declarationOf(procedure(), [invoice], terms, tables).invoices[0]!.indemnityCents).toBe(indemnity);
  });

  it('R622-23: an invoice not yet due is declared « à échoir » for its principal, with its due date', () => {
    const d = declarationOf(procedure(), [late, item({ ref: 'FA2', docDate: '2026-05-10', dueDate: '2026-06-30', openCents: 50_000 })], B2B, tables);
    expect(d.invoices[1]).toMatchObject({ ref: 'FA2', dueDate: '2026-06-30', overdue: false, interestCents: 0, indemnityCents: 0, totalCents: 50_000 });
    expect(d.totals).toMatchObject({ principalCents: 150_000, overduePrincipalCents: 100_000, upcomingPrincipalCents: 50_000, indemnityCents: 4000 });
    expect(d.totals.totalCents).toBe(d.totals.principalCents + d.totals.interestCents + d.totals.indemnityCents);
  });

  it('L622-17: an invoice issued after the judgment is a post-judgment claim, not declared, and said', () => {
    const d = declarationOf(procedure(), [late, item({ ref: 'FA3', docDate: '2026-05-20', dueDate: '2026-06-19' })], B2B, tables);
    expect(d.invoices.map((i) => i.ref)).toEqual(['FA1']);
    expect(d.leftOut).toEqual([{ ref: 'FA3', reason: 'facture du 20/05/2026, postérieure au jugement : créance postérieure, à ne pas déclarer (L622-17)' }]);
  });

  it('DESIGN §2.4: unapplied credits are allocated first, oldest invoice first: nothing already paid is declared', () => {
    const credit = item({ ref: 'RG1', docDate: '2026-04-10', dueDate: '2026-04-10', openCents: -30_000, originalCents: -30_000 });
    const d = declarationOf(procedure(), [late, item({ ref: 'FA2', docDate: '2026-03-30', dueDate: '2026-04-30', openCents: 20_000 }), credit], B2B, tables);
    expect(d.invoices.map((i) => [i.ref, i.principalCents])).toEqual([['FA1', 70_000], ['FA2', 20_000]]);
    expect(d.totals.principalCents).toBe(90_000);
  });

  it('L441-10: a rate missing from the tables is not guessed: the interest is left « pour mémoire », with a note', () => {
    const gap = procedure({ judgmentOn: '2031-03-01', bodaccOn: null });
    const invoice = item({ docDate: '2030-12-01', dueDate: '2030-12-31' });
    const refuse = declarationOf(gap, [invoice], B2B, tables);
    expect(refuse.invoices[0]).toMatchObject({ interestKnown: false, interestCents: 0, indemnityCents: 4000, totalCents: 104_000 });
    expect(refuse.notes[0]).toContain('intérêts non chiffrés (déclarés pour mémoire)');
    const lastKnown = declarationOf(gap, [invoice], B2B, tables, 'lastKnown');
    expect(lastKnown.invoices[0]!.interestKnown).toBe(true);
    expect(lastKnown.invoices[0]!.interestCents).toBeGreaterThan(0);
    expect(lastKnown.rateNotes).toHaveLength(1);
  });
});

describe('L622-21: the plan reminds no client under a proceeding, and lists it for a person', () => {
  const settings = { thresholds: DEFAULT_THRESHOLDS, segmentOverrides: {}, weights: DEFAULT_WEIGHTS, ladders: DEFAULT_LADDERS, clientLadders: {}, minimumCents: 5000, minimumGapDays: 7 };
  const plan = (over: Partial<PlanInput>) =>
    buildPlan({ asOf: '2026-11-16', horizonDays: 7, openItems: [], clients: [client()], histories: new Map(), settings, ...over });
  const overdue = item({ docDate: '2026-09-01', dueDate: '2026-10-01' });

  it.each([
    ['an overdue invoice that would get a reminder', [overdue]],
    ['an invoice just overdue whose reminder would wait', [item({ docDate: '2026-10-15', dueDate: '2026-11-14' })]],
    ['an invoice not yet due (a preventive reminder)', [item({ docDate: '2026-10-20', dueDate: '2026-11-19' })]],
    ['an amount below the minimum', [item({ docDate: '2026-09-01', dueDate: '2026-10-01', openCents: 1000 })]],
  ])('L622-21: %s → manual, reason procedure-collective', (_what, openItems) => {
    const p = plan({ openItems, procedures: [procedure({ judgmentOn: '2026-11-02', bodaccOn: '2026-11-12' })] });
    expect(p.actions).toEqual([]);
    expect(p.waiting).toEqual([]);
    expect(p.manual.map((m) => [m.clientCode, m.procedure?.code, m.procedure?.declarationDeadline])).toEqual([['C1', 'procedure-collective', '2027-01-12']]);
    expect(p.manual[0]!.reason).toContain('déclaration de créance à faire avant le 12/01/2027');
  });

  it('L622-21: a closed proceeding, or one judged after the as-of date, lets the reminders run', () => {
    expect(plan({ openItems: [overdue], procedures: [procedure({ judgmentOn: '2026-11-02', closedOn: '2026-11-10' })] }).actions.map((a) => a.clientCode)).toEqual(['C1']);
    expect(plan({ openItems: [overdue], procedures: [procedure({ judgmentOn: '2026-11-20' })] }).actions.map((a) => a.clientCode)).toEqual(['C1']);
    expect(plan({ openItems: [overdue], procedures: [procedure({ clientCode: 'C2', judgmentOn: '2026-11-02' })] }).actions.map((a) => a.clientCode)).toEqual(['C1']);
  });
});
