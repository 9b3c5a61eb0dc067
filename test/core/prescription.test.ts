import { describe, expect, it } from 'vitest';
import { acknowledgementsOf, addMonths, barDateOf, prescriptionFindings, prescriptionStateOf } from '../../src/core/prescription.js';
import type { PaymentPlanRecord } from '../../src/core/cases.js';
import { buildPlan, type PlanInput } from '../../src/core/plan.js';
import { DEFAULT_LADDERS } from '../../src/core/scenario.js';
import { DEFAULT_WEIGHTS, scoreInvoice, withBarUrgency } from '../../src/core/score.js';
import { DEFAULT_THRESHOLDS } from '../../src/core/segment.js';
import { evaluateCases, emptyCaseFile } from '../../src/core/cases.js';
import { client, item } from '../builders.js';

describe('prescription: the bar date of an invoice', () => {
  it.each([
    // [name, docDate, dueDate, consumer, acknowledgements, lastDay, barOn, startKind]
    ['L110-4 : une créance commerciale est prescrite 5 ans après la facture', '2021-03-15', '2021-04-14', false, [], '2026-03-15', '2026-03-16', 'piece'],
    ['L218-2 : une créance sur un consommateur est prescrite 2 ans après la facture', '2024-03-15', '2024-04-14', true, [], '2026-03-15', '2026-03-16', 'piece'],
    ['L110-4 : sans date de pièce, le délai court de l\'échéance', null, '2021-04-14', false, [], '2026-04-14', '2026-04-15', 'echeance'],
    ['L110-4 et art. 641 CPC : une facture du 29 février court jusqu\'au 28 février', '2024-02-29', '2024-03-31', false, [], '2029-02-28', '2029-03-01', 'piece'],
    ['L218-2 : du 29 février 2024 au 28 février 2026 pour un consommateur', '2024-02-29', '2024-03-31', true, [], '2026-02-28', '2026-03-01', 'piece'],
    ['L218-2 : un 29 février qui retombe sur une année bissextile reste le 29', '2026-02-28', '2026-03-31', true, [], '2028-02-28', '2028-02-29', 'piece'],
    ['Code civil 2240 et 2231 : un échéancier signé fait repartir un délai de même durée', '2021-03-15', '2021-04-14', false, ['2025-06-01'], '2030-06-01', '2030-06-02', 'reconnaissance'],
    ['Code civil 2240 : pour un consommateur, 2 ans de nouveau depuis la signature', '2024-03-15', '2024-04-14', true, ['2025-06-01'], '2027-06-01', '2027-06-02', 'reconnaissance'],
    ['Code civil 2240 : la dernière reconnaissance compte, chacune relançant la précédente', '2018-01-10', '2018-02-10', false, ['2024-06-01', '2022-05-01'], '2029-06-01', '2029-06-02', 'reconnaissance'],
    ['Code civil 2240 : une reconnaissance après la prescription ne la fait pas revivre ici', '2019-01-10', '2019-02-10', false, ['2024-02-01'], '2024-01-10', '2024-01-11', 'piece'],
    ['Code civil 2240 : une reconnaissance antérieure à la facture ne compte pas', '2021-03-15', '2021-04-14', false, ['2021-01-01'], '2026-03-15', '2026-03-16', 'piece'],
  ] as const)('%s', (_name, docDate, dueDate, consumer, acks, lastDay, barOn, startKind) => {
    const bar = barDateOf({ docDate, dueDate }, consumer, acks);
    expect(bar).toMatchObject({ lastDay, barOn, startKind, rule: { article: consumer ? 'L218-2' : 'L110-4' } });
  });

  it('gives no bar date to an invoice with neither date', () => {
    expect(barDateOf({ docDate: null, dueDate: null }, false)).toBeNull();
  });

  it.each([
    ['L110-4 : la veille du dernier jour, la créance n\'est pas prescrite', '2026-03-14', 'proche'],
    ['L110-4 et Code civil 2229 : le dernier jour du terme, elle n\'est pas encore prescrite', '2026-03-15', 'proche'],
    ['L110-4 et Code civil 2229 : le lendemain du dernier jour, elle est prescrite', '2026-03-16', 'prescrite'],
    ['L110-4 : 6 mois avant, l\'avertissement commence', '2025-09-16', 'proche'],
    ['L110-4 : la veille des 6 mois, pas encore d\'avertissement', '2025-09-15', 'non'],
  ] as const)('%s', (_name, asOf, state) => {
    const bar = barDateOf({ docDate: '2021-03-15', dueDate: '2021-04-14' }, false)!;
    expect(prescriptionStateOf(bar, asOf)).toBe(state);
  });

  it.each([
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2026-03-16', -6, '2025-09-16'],
    ['2026-08-31', -6, '2026-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
  ] as const)('addMonths(%s, %i) = %s (art. 641 CPC : le dernier jour du mois à défaut de quantième)', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe('prescription: the acknowledgements of the journal (Code civil art. 2240)', () => {
  const plan = (over: Partial<PaymentPlanRecord>): PaymentPlanRecord => ({
    id: 1, clientCode: 'C1', refs: ['FA1', 'FA2'], totalCents: 200_000, downPaymentCents: 0, mode: 'virement', createdOn: '2025-05-20', instalments: [], ...over,
  });
  it.each([
    ['Code civil 2240 : un échéancier signé interrompt la prescription de chacune de ses factures', plan({ signedOn: '2025-06-01' }), { FA1: ['2025-06-01'], FA2: ['2025-06-01'] }],
    ['Code civil 2240 : un échéancier non signé n\'interrompt rien', plan({ signedOn: null }), {}],
    ['Code civil 2240 : une signature après la date d\'arrêté ne compte pas encore', plan({ signedOn: '2026-12-01' }), {}],
    ['Code civil 2240 : un échéancier remplacé garde sa signature', plan({ signedOn: '2025-06-01', cancelledOn: '2025-09-01', replacedBy: 2 }), { FA1: ['2025-06-01'], FA2: ['2025-06-01'] }],
    ['Code civil 2240 : un échéancier annulé (peut-être saisi par erreur) ne compte pas', plan({ signedOn: '2025-06-01', cancelledOn: '2025-09-01' }), {}],
  ] as const)('%s', (_name, p, expected) => {
    expect(Object.fromEntries(acknowledgementsOf([p], '2026-11-16'))).toEqual(expected);
  });
});

describe('prescription: the score (plan ranks a claim near its bar date higher)', () => {
  it.each([
    ['L110-4 : 6 mois avant, le score est inchangé', 182, 182],
    ['L110-4 : à mi-chemin, la moitié du reste de la probabilité', 91, 182],
    ['L110-4 : le dernier jour, tout le montant est à risque', 1, 182],
  ] as const)('%s', (_name, daysLeft, windowDays) => {
    const base = scoreInvoice(100_000, 30, 'bon', DEFAULT_WEIGHTS);
    const raised = withBarUrgency(base, { barOn: '2026-03-16', article: 'L110-4' }, daysLeft, windowDays);
    const expected = base.probability + (1 - base.probability) * (1 - daysLeft / windowDays);
    expect(raised.probability).toBeCloseTo(expected, 12);
    expect(raised.atRiskCents).toBe(Math.round(100_000 * expected));
    expect(raised.prescription).toEqual({ barOn: '2026-03-16', article: 'L110-4', daysLeft, windowDays, probabilityBefore: base.probability });
  });
});

const settings = { thresholds: DEFAULT_THRESHOLDS, segmentOverrides: {}, weights: DEFAULT_WEIGHTS, ladders: DEFAULT_LADDERS, clientLadders: {}, minimumCents: 5000, minimumGapDays: 7 };
const AS_OF = '2026-11-16';
const plan = (over: Partial<PlanInput>) => buildPlan({ asOf: AS_OF, horizonDays: 7, openItems: [], clients: [], histories: new Map(), settings, ...over });

describe('prescription in the plan', () => {
  it('L110-4 : une facture prescrite va à la liste manuelle, motif prescription ; les autres factures du client sont relancées', () => {
    const p = plan({
      openItems: [
        item({ ref: 'OLD', docDate: '2021-10-01', dueDate: '2021-10-31', openCents: 300_000 }),
        item({ ref: 'NEW', docDate: '2026-09-01', dueDate: '2026-10-01' }),
      ],
      clients: [client()],
    });
    expect(p.actions.map((a) => [a.clientCode, a.step, a.invoices.map((i) => i.ref), a.overdueCents])).toEqual([['C1', 'relance1', ['NEW'], 100_000]]);
    expect(p.manual).toHaveLength(1);
    const m = p.manual[0]!;
    expect([m.clientCode, m.reason, m.invoices.map((i) => i.ref), m.overdueCents]).toEqual(['C1', 'prescription', ['OLD'], 300_000]);
    expect(m.barred).toEqual([{ ref: 'OLD', docDate: '2021-10-01', dueDate: '2021-10-31', openCents: 300_000, barOn: '2026-10-02', article: 'L110-4', startOn: '2021-10-01', startKind: 'piece' }]);
    expect(m.why).toEqual(['OLD prescrite le 02/10/2026 (article L110-4 du Code de commerce) : plus de relance automatique, à traiter par une personne']);
  });

  it('L218-2 : pour un consommateur, une facture de plus de 2 ans est prescrite ; pour un professionnel, non', () => {
    const old = (code: string) => item({ clientCode: code, ref: `${code}-F`, docDate: '2024-10-01', dueDate: '2024-10-31' });
    const p = plan({ openItems: [old('PART'), old('PRO')], clients: [client({ clientCode: 'PART', consumer: true }), client({ clientCode: 'PRO' })] });
    expect(p.manual.map((m) => [m.clientCode, m.reason])).toEqual([['PART', 'prescription']]);
    expect(p.actions.map((a) => a.clientCode)).toEqual(['PRO']);
  });

  it('Code civil 2240 : un échéancier signé fait repartir le délai, la facture est relancée de nouveau', () => {
    const items = [item({ ref: 'OLD', docDate: '2021-10-01', dueDate: '2021-10-31' })];
    const file = emptyCaseFile();
    file.plans.push({
      id: 1, clientCode: 'C1', refs: ['OLD'], totalCents: 100_000, downPaymentCents: 0, mode: 'virement', createdOn: '2025-01-10',
      instalments: [{ number: 1, dueOn: '2025-02-10', amountCents: 100_000 }], signedOn: '2025-01-15',
    });
    const cases = evaluateCases(file, items, AS_OF, 5);
    const p = plan({ openItems: items, clients: [client()], cases });
    expect(p.manual).toEqual([]);
    expect(p.actions.map((a) => a.invoices.map((i) => i.ref))).toEqual([['OLD']]);
  });

  it('L110-4 : une facture à moins de 6 mois de sa prescription passe devant, et le plan dit pourquoi', () => {
    const p = plan({
      openItems: [
        // Barred on 2027-01-06: 51 days left, near the end of the 6-month window.
        item({ clientCode: 'NEAR', ref: 'N1', docDate: '2022-01-05', dueDate: '2022-02-04', openCents: 100_000 }),
        item({ clientCode: 'BIG', ref: 'B1', docDate: '2026-08-01', dueDate: '2026-09-01', openCents: 250_000 }),
      ],
      clients: [client({ clientCode: 'NEAR' }), client({ clientCode: 'BIG' })],
    });
    expect(p.actions.map((a) => a.clientCode)).toEqual(['NEAR', 'BIG']);
    const near = p.actions[0]!;
    expect(near.why).toEqual(['N1 prescrite le 06/01/2027 (article L110-4 du Code de commerce) : à traiter avant']);
    expect(near.invoices[0]!.barOn).toBe('2027-01-06');
    expect(near.scoreParts.prescription).toMatchObject({ barOn: '2027-01-06', article: 'L110-4', daysLeft: 51 });
    // Without its bar date, NEAR would come second.
    expect(Math.round(near.scoreParts.prescription!.probabilityBefore * 100_000)).toBeLessThan(p.actions[1]!.score);
    expect(near.score).toBeGreaterThan(p.actions[1]!.score);
    expect(p.actions[1]!.why).toBeUndefined();
  });
});

describe('prescription warnings of check', () => {
  it.each([
    ['L110-4 : avertit 6 mois avant la prescription d\'une créance commerciale', false, '2021-03-15', '2025-12-01', 'prescription-proche'],
    ['L218-2 : avertit 6 mois avant la prescription d\'une créance sur un consommateur', true, '2024-03-15', '2025-12-01', 'prescription-proche'],
    ['L110-4 : signale une créance déjà prescrite', false, '2021-03-15', '2026-03-16', 'prescrite'],
    ['L110-4 : rien plus de 6 mois avant', false, '2021-03-15', '2025-09-15', null],
  ] as const)('%s', (_name, consumer, docDate, asOf, code) => {
    const f = prescriptionFindings({ asOf, openItems: [item({ docDate, dueDate: null, source: { file: 'balance.csv', line: 7 } })], clients: [client({ consumer })], acknowledgements: new Map() });
    expect(f.map((x) => [x.code, x.severity, x.file, x.line, x.value])).toEqual(code ? [[code, 'avertissement', 'balance.csv', 7, 'FA1']] : []);
  });

  it('Code civil 2240 : après un échéancier signé, plus d\'avertissement', () => {
    const f = prescriptionFindings({ asOf: '2025-12-01', openItems: [item({ docDate: '2021-03-15' })], clients: [client()], acknowledgements: new Map([['FA1', ['2025-06-01']]]) });
    expect(f).toEqual([]);
  });
});
