import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { declarationOf, type ProcedureRecord } from '../../src/core/procedure.js';
import { penaltyTablesFrom } from '../../src/core/rates.js';
import type { Inputs } from '../../src/read/inputs.js';
import { renderDeclaration } from '../../src/render/letters.js';
import { expectGolden } from '../golden.js';
import { fixture, fixtureCompany, ROOT } from '../helpers.js';
import { asGolden } from './letter-golden.js';

const AS_OF = '2026-11-16';
let config: Config;
let inputs: Inputs;

beforeAll(async () => {
  ({ config, inputs } = await fixtureCompany(AS_OF));
});

const TRABOULES: ProcedureRecord = {
  id: 1, clientCode: 'CTRABOU', type: 'redressement', judgmentOn: '2026-11-02', bodaccOn: '2026-11-12',
  administrator: 'Maître Anne Martin, 12 rue de la Bourse, 69002 Lyon', openedOn: AS_OF, closedOn: null, closeReason: null,
};

function render(p: ProcedureRecord) {
  const declaration = declarationOf(p, inputs.openItems, { consumer: false }, penaltyTablesFrom(config.penalties), config.penalties.whenRateMissing);
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
    expect(m.totals.indemnityCents).toBe(3 * 4000);
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
