import { describe, expect, it } from 'vitest';
import { emptyCaseFile, evaluateCases, type CaseFile, type PaymentPlanRecord } from '../../src/core/cases.js';
import { invoiceKey } from '../../src/core/late-payments.js';
import { penaltyExclusionsOf, type PlanPenaltyPolicy } from '../../src/core/penalty-exclusions.js';
import type { ProcedureRecord } from '../../src/core/procedure.js';
import type { OpenItem } from '../../src/core/records.js';
import type { SentStep } from '../../src/core/scenario.js';
import { item } from '../builders.js';

const AS_OF = '2026-11-16';
const KEY = invoiceKey('C1', 'FA1');

/** A plan of FA1 (1 000 €) agreed on 2026-09-01: two instalments of 500 € on 2026-10-01 and 2026-11-01. */
const PLAN: PaymentPlanRecord = {
  id: 1, clientCode: 'C1', refs: ['FA1'], totalCents: 100_000, downPaymentCents: 0, mode: 'virement', createdOn: '2026-09-01',
  instalments: [{ number: 1, dueOn: '2026-10-01', amountCents: 50_000 }, { number: 2, dueOn: '2026-11-01', amountCents: 50_000 }],
};

/** FA1's open items for each plan state: `en_cours` (on 2026-10-20, the first instalment paid), `rompu` (nothing paid), `solde` (paid off). */
const OPEN: Record<string, OpenItem[]> = {
  en_cours: [item({ ref: 'FA1', openCents: 50_000 })],
  rompu: [item({ ref: 'FA1', openCents: 100_000 })],
  solde: [],
};

function exclusionsOf(policy: PlanPenaltyPolicy, state: keyof typeof OPEN, opts: { notice?: string; settledOn?: string; asOf?: string; file?: Partial<CaseFile> } = {}) {
  const asOf = opts.asOf ?? AS_OF;
  const file: CaseFile = { ...emptyCaseFile(), plans: [PLAN], settled: new Map(opts.settledOn ? [['FA1', opts.settledOn]] : []), ...opts.file };
  const sentSteps = new Map<string, SentStep[]>(opts.notice ? [['FA1', [{ step: 'mise_en_demeure', date: opts.notice }]]] : []);
  return penaltyExclusionsOf({ asOf, file, status: evaluateCases(file, OPEN[state]!, asOf, 5), procedures: [], sentSteps, policy, noticeDays: 8 });
}

describe('penalties a payment plan promised (echeancier.penalties)', () => {
  it.each([
    // policy, plan state, notice, settled, excluded?, why contains
    ['abandonnees', 'rompu', '2026-11-03', undefined, true, 'abandonnées par l\'échéancier du 01/09/2026'],
    ['abandonnees', 'solde', undefined, '2026-11-01', true, 'abandonnées'],
    ['suspendues', 'en_cours', undefined, undefined, true, 'suspendues tant que l\'échéancier du 01/09/2026 est respecté'],
    ['suspendues', 'solde', undefined, '2026-11-01', true, 'a été soldé'],
    ['suspendues', 'solde', '2026-10-10', '2026-10-15', true, 'a été soldé'], // paid within the notice's 8 days: not lapsed
    ['suspendues', 'solde', '2026-10-10', '2026-10-30', false, ''], // paid after the notice lapsed: due again
    ['suspendues', 'rompu', undefined, undefined, true, 'pas caduc'], // missed, no formal notice
    ['suspendues', 'rompu', '2026-11-12', undefined, true, 'pas caduc'], // notice's 8 days not over on 16/11
    ['suspendues', 'rompu', '2026-11-03', undefined, false, ''], // notice unanswered 8 days: caduc
    ['dues', 'en_cours', undefined, undefined, false, ''],
    ['dues', 'solde', undefined, '2026-11-01', false, ''],
  ] as const)('L441-10, D441-5: %s, plan %s, notice %s, settled %s → excluded %s', (policy, state, notice, settledOn, excluded, why) => {
    const asOf = state === 'en_cours' ? '2026-10-20' : AS_OF;
    const x = exclusionsOf(policy, state, { notice, settledOn, asOf });
    expect(x.invoices.has(KEY)).toBe(excluded);
    if (excluded) expect(x.invoices.get(KEY)).toContain(why);
  });

  it('says when a lapsed plan makes the suspended penalties due again', () => {
    expect(exclusionsOf('suspendues', 'rompu', { notice: '2026-11-03' }).notes).toEqual([
      'C1 : l\'échéancier du 01/09/2026 est caduc (mise en demeure du 03/11/2026 restée 8 jours sans effet) : les pénalités suspendues de FA1 redeviennent dues',
    ]);
  });

  it('a cancelled plan promised nothing', () => {
    const x = exclusionsOf('abandonnees', 'rompu', { file: { plans: [{ ...PLAN, cancelledOn: '2026-09-02', cancelReason: 'erreur de saisie' }] } });
    expect(x.invoices.size).toBe(0);
  });
});

describe('disputes, write-offs and collective proceedings', () => {
  const procedure = (over: Partial<ProcedureRecord>): ProcedureRecord => ({
    id: 1, clientCode: 'C1', type: 'redressement', judgmentOn: '2026-11-02', bodaccOn: null, administrator: null, openedOn: '2026-11-03', closedOn: null, closeReason: null, ...over,
  });
  const of = (file: Partial<CaseFile>, procedures: ProcedureRecord[] = []) => {
    const f = { ...emptyCaseFile(), ...file };
    return penaltyExclusionsOf({ asOf: AS_OF, file: f, status: evaluateCases(f, [], AS_OF, 5), procedures, sentSteps: new Map(), policy: 'suspendues', noticeDays: 8 });
  };

  it.each<[string, Partial<CaseFile>, string | null]>([
    ['an open dispute', { disputes: [{ id: 1, ref: 'FA1', clientCode: 'C1', reason: 'livraison incomplète', openedOn: '2026-10-01', closedOn: null, creditNote: false }] }, 'facture contestée depuis le 01/10/2026 (livraison incomplète)'],
    ['a dispute closed since', { disputes: [{ id: 1, ref: 'FA1', clientCode: 'C1', reason: 'x', openedOn: '2026-10-01', closedOn: '2026-10-15', creditNote: false }] }, null],
    ['a write-off', { writeoffs: [{ ref: 'FA1', clientCode: 'C1', reason: 'irrécouvrable', amountCents: 100_000, writtenOn: '2026-10-01' }] }, 'facture passée en perte le 01/10/2026'],
  ])('%s', (_, file, why) => {
    expect(of(file).invoices.get(KEY) ?? null).toBe(why);
  });

  it('L622-21, L622-7: a proceeding in force takes the whole client out', () => {
    expect(of({}, [procedure({})]).clients.get('C1')).toEqual({
      why: 'redressement judiciaire (jugement du 02/11/2026) : aucun relevé pendant la procédure (L622-21, L622-7) ; les pénalités des factures réglées avant le jugement sont à déclarer au mandataire (relance procedure)',
      paidBefore: null,
    });
  });

  it('L622-24: once the proceeding is closed, penalties of invoices paid late before its judgment stay out of any statement', () => {
    expect(of({}, [procedure({ closedOn: '2026-11-10', closeReason: 'plan de sauvegarde arrêté' })]).clients.get('C1')?.paidBefore).toBe('2026-11-02');
    expect(of({}, [procedure({ judgmentOn: '2026-11-20' })]).clients.size).toBe(0); // judged after the as-of date
  });
});
