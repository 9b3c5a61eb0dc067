import { beforeAll, describe, expect, it } from 'vitest';
import { paidLateOf } from '../../src/commands/penalites.js';
import type { Config } from '../../src/config.js';
import { invoiceKey, type PaidLateInvoice } from '../../src/core/late-payments.js';
import { declarationOf, type ProcedureRecord } from '../../src/core/procedure.js';
import { penaltyTablesFrom } from '../../src/core/rates.js';
import { loadInputs, type Inputs } from '../../src/read/inputs.js';
import { renderDeclaration } from '../../src/render/letters.js';
import { item } from '../builders.js';
import { expectGolden } from '../golden.js';
import { fixture, fixtureCompany, ROOT } from '../helpers.js';
import { asGolden } from './letter-golden.js';

const AS_OF = '2026-11-16';
let config: Config;
let inputs: Inputs;
/** The exports with their payments kept one by one, as the commands read them (fixtureCompany folds them into histories). */
let withPayments: Inputs;

beforeAll(async () => {
  ({ config, inputs } = await fixtureCompany(AS_OF));
  withPayments = await loadInputs(
    { balance: ['fixtures/sage100/balance.csv'], payments: ['fixtures/sage100/reglements.csv'], clients: ['fixtures/sage100/clients.csv'], fec: [], ledger: [], files: [], sheet: null, asOf: AS_OF, profile: null, encoding: null },
    config, true, ROOT,
  );
});

const TRABOULES: ProcedureRecord = {
  id: 1, clientCode: 'CTRABOU', type: 'redressement', judgmentOn: '2026-11-02', bodaccOn: '2026-11-12',
  administrator: 'Maître Anne Martin, 12 rue de la Bourse, 69002 Lyon', openedOn: AS_OF, closedOn: null, closeReason: null,
};

function render(p: ProcedureRecord) {
  const declaration = declarationOf(p, inputs.openItems, { consumer: false }, penaltyTablesFrom(config.penalties), config.penalties.whenRateMissing, paidLateOf(withPayments, config));
  return renderDeclaration({
    asOf: AS_OF, company: config.company, client: inputs.clients.find((c) => c.clientCode === p.clientCode) ?? null, clientCode: p.clientCode,
    clientName: 'Brasserie Les Traboules', declaration, basis: 'taux-bce', templatesDir: null, cwd: ROOT,
  });
}

describe('the declaration of claim to the mandataire (L622-24, R622-23)', () => {
  it('golden: CTRABOU in redressement judiciaire, judgment of 02/11/2026, BODACC of 12/11/2026', () => {
    expectGolden(asGolden('declaration_creance – CTRABOU (redressement, jugement du 02/11/2026)', render(TRABOULES)), fixture('letters/declaration_creance.golden.txt'));
  });

  it('states the creditor, the debtor, each invoice, the interest stopped by the judgment (L622-28), the 40 € (D441-5), the total and the signature', () => {
    const m = render(TRABOULES);
    const letter = m.letterHtml!;
    for (const text of ['Lumen Éclairage SAS', 'SIREN 812 345 678', 'Brasserie Les Traboules', 'FA2026-0030', 'FA2026-0033', 'FA2026-0036', 'article L622-28', 'D441-5', 'Total déclaré', 'sincère et véritable', 'Nadia Benali', 'Signature']) {
      expect(letter).toContain(text);
    }
    expect(letter).toContain("jusqu'au 01/11/2026, veille du jugement d'ouverture");
    expect(m.totals.totalCents).toBe(m.totals.dueCents + m.totals.interestCents + m.totals.indemnityCents);
    // D441-5: 40 € for each of the 3 open invoices and each of the 5 invoices paid late before the judgment.
    expect(m.totals.indemnityCents).toBe(3 * 4000 + 5 * 4000);
    expect(letter).not.toContain('À compléter');
  });

  it('L641-3: in a liquidation it goes to the liquidateur; without --mandataire the addressee is visibly left to complete', () => {
    const m = render({ ...TRABOULES, type: 'liquidation', administrator: null });
    expect(m.letterHtml).toContain('À compléter : nom et adresse du liquidateur judiciaire');
    expect(m.letterHtml).toContain('article L622-28 et L641-3');
    expect(m.text).toContain('[À COMPLÉTER : nom et adresse du liquidateur judiciaire');
    expect(m.subject).toBe('Déclaration de créance – Brasserie Les Traboules – liquidation judiciaire (jugement du 02/11/2026)');
  });
});

describe('templates/fr/README.md, for the declaration of claim', () => {
  it('documents every variable declaration_creance.hbs is given', async () => {
    const { readFileSync } = await import('node:fs');
    const { declarationData } = await import('../../src/render/letters.js');
    const doc = readFileSync(`${ROOT}templates/fr/README.md`, 'utf8');
    const declaration = declarationOf(TRABOULES, inputs.openItems, { consumer: false }, penaltyTablesFrom(config.penalties), config.penalties.whenRateMissing);
    const data = declarationData({ asOf: AS_OF, company: config.company, client: null, clientCode: 'CTRABOU', clientName: 'Brasserie Les Traboules', declaration, basis: 'taux-bce', templatesDir: null, cwd: ROOT });
    const names = [...Object.keys(data), ...Object.keys(data.procedure), ...Object.keys(data.administrator), ...Object.keys(data.invoices[0]!), ...Object.keys(data.totals), ...Object.keys(data.penalties)];
    expect([...new Set(names)].filter((n) => !doc.includes(`\`${n}\``))).toEqual([]);
  });
});

describe('L622-26: penalties on invoices paid late before the judgment are declared, not lost', () => {
  const P: ProcedureRecord = { ...TRABOULES, clientCode: 'C1', judgmentOn: '2026-06-15' };
  const paidLate = (date: string, ref = 'FA0', cents = 100_000): PaidLateInvoice => ({
    clientCode: 'C1', clientName: 'Client 1', ref, dueDate: '2026-03-31', dueDateDerived: false, origin: 'reglements', receipts: [{ date, cents, unknownWhy: null }],
  });
  const declare = (late: PaidLateInvoice[], open = [] as ReturnType<typeof item>[], consumer = false, excluded = new Map<string, string>()) =>
    declarationOf(P, open, { consumer }, penaltyTablesFrom(config.penalties), 'refuse', { invoices: late, excluded });

  it.each([
    ['the eve of the judgment', '2026-06-14', 1],
    ['the day of the judgment (L622-7: a payment that day is after it)', '2026-06-15', 0],
    ['after the judgment', '2026-07-01', 0],
  ])('a payment on %s is declared: %i invoice', (_, date, n) => {
    expect(declare([paidLate(date)]).paidLate).toHaveLength(n);
  });

  it('L441-10: interest from the day after the due date to the payment date; D441-5: 40 € per invoice; both in the total', () => {
    const d = declare([paidLate('2026-05-15')]);
    // 1 000,00 € paid 45 days late at 12,15 %: 14,98 €.
    expect(d.paidLate.map((i) => [i.ref, i.receipts[0]!.daysLate, i.interestCents, i.indemnityCents, i.totalCents])).toEqual([['FA0', 45, 1498, 4000, 5498]]);
    expect(d.totals).toMatchObject({ paidLateInterestCents: 1498, paidLateIndemnityCents: 4000, paidLateCents: 5498, totalCents: 5498 });
  });

  it('D441-5: an invoice part-paid late and still open has its 40 € once, in the open-invoices part', () => {
    const d = declare([paidLate('2026-05-15', 'FA1', 40_000)], [item({ ref: 'FA1', docDate: '2026-03-01', dueDate: '2026-03-31', openCents: 60_000 })]);
    expect(d.invoices.map((i) => i.indemnityCents)).toEqual([4000]);
    expect(d.paidLate.map((i) => i.indemnityCents)).toEqual([0]);
    expect(d.totals.totalCents).toBe(d.invoices[0]!.totalCents + d.paidLate[0]!.interestCents);
  });

  it('leaves out, with a note, penalties a payment plan waived; a consumer has none (L441-10 is between professionals)', () => {
    const d = declare([paidLate('2026-05-15')], [], false, new Map([[invoiceKey('C1', 'FA0'), "pénalités abandonnées par l'échéancier du 01/04/2026 (echeancier.penalties: abandonnees)"]]));
    expect(d.paidLate).toEqual([]);
    expect(d.notes).toContain("FA0 : pénalités de retard non déclarées, pénalités abandonnées par l'échéancier du 01/04/2026 (echeancier.penalties: abandonnees)");
    expect(declare([paidLate('2026-05-15')], [], true).paidLate).toEqual([]);
  });
});
