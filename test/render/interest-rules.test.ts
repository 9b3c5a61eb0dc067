import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import type { PlanAction } from '../../src/core/plan.js';
import { penaltyTablesFrom, type PenaltyTables } from '../../src/core/rates.js';
import type { Client } from '../../src/core/records.js';
import type { Step } from '../../src/core/scenario.js';
import { BUNDLED_TEMPLATES, renderAction, renderPaymentPlan, type HistoryEntry, type LetterContext, type RenderedMessage } from '../../src/render/letters.js';
import { expectGolden } from '../golden.js';
import { asGolden } from './letter-golden.js';
import { fixture, fixtureLetters, ROOT } from '../helpers.js';

// Issue 13, points 1 and 3: a consumer's interest runs from the formal notice (Code civil
// 1231-6), and a rate missing from the tables never misleads the debtor.

const AS_OF = '2026-11-16';
let config: Config;
let clients: Client[];
let actions: PlanAction[];
let tables: PenaltyTables;

beforeAll(async () => {
  ({ config, clients, actions, tables } = await fixtureLetters(AS_OF));
});

function render(code: string, step: Step, over: Partial<LetterContext> = {}): RenderedMessage {
  const a = actions.find((x) => x.clientCode === code)!;
  return renderAction({
    asOf: AS_OF,
    company: config.company,
    client: clients.find((c) => c.clientCode === code) ?? null,
    action: structuredClone({ ...a, step }),
    penaltyTables: tables,
    contractualRatePercent: null,
    templatesDir: null,
    cwd: ROOT,
    ...over,
  });
}

const partsOf = (m: RenderedMessage): [string, string][] => [
  ['subject', m.subject],
  ['text', m.text],
  ['html', m.html],
  ['letter', m.letterHtml ?? ''],
];

const notice = (date: string): HistoryEntry[] => [
  { date: '2026-10-01', step: 'relance1', channel: 'email' },
  { date, step: 'mise_en_demeure', channel: 'lrar+email' },
];

// M. Marchetti (consumer): invoice FA2026-0042, 1 476 €, due 27/10/2026.
describe('consumers: interest at the legal rate runs from the formal notice (Code civil art. 1231-6)', () => {
  const STEPS: Step[] = ['relance1', 'relance2', 'escalade', 'mise_en_demeure', 'contentieux'];

  it.each(STEPS)('art. 1231-6: %s before any formal notice claims no interest and says none is running', (step) => {
    const m = render('CMARCHE', step, { history: [] });
    expect(m.totals).toMatchObject({ interestCents: 0, indemnityCents: 0, totalCents: 147_600 });
    for (const [part, doc] of partsOf(m)) {
      expect(doc, part).not.toMatch(/portent intérêts|fait courir des intérêts|ils s'élèvent|intérêts au \d|Détail du calcul/);
      expect(doc, part).not.toMatch(/L441-10|D441-5|indemnité forfaitaire/);
    }
  });

  it.each([
    ['relance1', "les sommes dues porteront intérêts au taux de l'intérêt légal à compter de la réception d'une mise en demeure (article 1231-6 du Code civil)"],
    ['relance2', "les sommes dues porteront intérêts au taux de l'intérêt légal à compter de la réception d'une mise en demeure (article 1231-6 du Code civil)"],
    ['escalade', "ces sommes porteront intérêts au taux de l'intérêt légal à compter de la réception d'une mise en demeure (article 1231-6 du Code civil)"],
    ['mise_en_demeure', "À compter de la réception de la présente mise en demeure, ces sommes porteront intérêts au taux de l'intérêt légal jusqu'à complet paiement (article 1231-6 du Code civil)."],
  ] as [Step, string][])('art. 1231-6: the consumer %s says interest will run from the notice', (step, sentence) => {
    // relance1 names the penalties to a chronic late payer only: make M. Marchetti one.
    const a = structuredClone({ ...actions.find((x) => x.clientCode === 'CMARCHE')!, step, segment: 'chronique' as const });
    const m = render('CMARCHE', step, { action: a });
    expect(m.text).toContain(sentence);
    expect(m.html).toContain(sentence);
  });

  it('art. 1231-6: the formal notice itself claims none, even after an earlier notice', () => {
    const m = render('CMARCHE', 'mise_en_demeure', { history: notice('2026-10-28'), asOf: '2026-12-16' });
    expect(m.totals.interestCents).toBe(0);
    expect(m.text).toContain('la somme de 1\u202f476,00\u00a0€ en principal, dans un délai de 8 jours');
  });

  it.each([
    // [case, notice sent on, as-of, interest cents, first day]
    // Sent 28/10, presumed received 18 days later on 15/11: 1 476 € × 2,62 % × 31 / 365 = 3,28 € from 16/11 to 16/12.
    ['art. 1231-6: from the day after the presumed receipt of a notice sent after the due date', '2026-10-28', '2026-12-16', 328, '16/11/2026'],
    ['art. 1231-6: nothing while the notice is not yet presumed received', '2026-11-10', '2026-11-20', 0, null],
    ['art. 1231-6: a notice sent before the invoice fell due does not put it in demand', '2026-10-20', '2026-12-16', 0, null],
  ])('%s', (_, sentOn, asOf, cents, from) => {
    const m = render('CMARCHE', 'contentieux', { history: notice(sentOn), asOf });
    expect(m.totals.interestCents).toBe(cents);
    expect(m.totals.indemnityCents).toBe(0);
    if (from) expect(m.text).toContain(`à compter du ${from} (article 1231-6 du Code civil : réception présumée le 15/11/2026 de la mise en demeure envoyée le 28/10/2026 ; recalculez-les d'après la date de l'accusé de réception)`);
  });

  it('golden: the consumer formal notice claims no interest; the litigation file after it counts interest from its presumed receipt', () => {
    // The formal notice's golden is letters/mise_en_demeure-particulier.golden.txt (test/render/letters.test.ts).
    expect(render('CMARCHE', 'mise_en_demeure').text).toContain('la somme de 1\u202f476,00\u00a0€ en principal, dans un délai');
    expectGolden(
      asGolden('contentieux – CMARCHE (particulier, mise en demeure envoyée le 28/10/2026)', render('CMARCHE', 'contentieux', { history: notice('2026-10-28'), asOf: '2026-12-16', action: monthLater('CMARCHE', 'contentieux') })),
      fixture('letters/contentieux-particulier.golden.txt'),
    );
  });

  it('art. 1231-6: a reminder after the notice says interest runs since its receipt', () => {
    const m = render('CMARCHE', 'relance2', { history: notice('2026-10-28'), asOf: '2026-12-16' });
    expect(m.text).toContain("les sommes dues portent intérêts au taux de l'intérêt légal depuis la réception de notre mise en demeure du 28/10/2026 (article 1231-6 du Code civil)");
  });
});

// Brasserie Les Traboules (professional): three invoices of 6 060 € in all.
describe('between professionals: penalties from the day after the due date (L441-10) and 40 € per invoice (D441-5)', () => {
  it.each(['escalade', 'mise_en_demeure', 'contentieux'] as Step[])('L441-10 and D441-5: %s states penalties and indemnities, with or without a notice', (step) => {
    for (const history of [[], notice('2026-10-28')]) {
      const m = render('CTRABOU', step, { history });
      expect(m.totals.interestCents).toBe(2756 + 2880 + 1029);
      expect(m.totals.indemnityCents).toBe(3 * 4000);
      expect(m.text).toMatch(/L441-10/);
      expect(m.text).toMatch(/D441-5/);
    }
  });
});

describe('missing rates never mislead the debtor', () => {
  it.each([
    // [case, client, step, states penalties]
    ['L441-10: the B2B formal notice states penalties (amounts, rates)', 'CTRABOU', 'mise_en_demeure', true],
    ['L441-10: the B2B escalade states the penalties to date', 'CTRABOU', 'escalade', true],
    ['L441-10: the litigation file states them', 'CTRABOU', 'contentieux', true],
    ['L441-10: a firm first reminder names the rule, not an amount nor a rate from the table', 'CTRABOU', 'relance1', false],
    ['L441-10: an amicable first reminder states none', 'CBELLEC', 'relance1', false],
    ['L441-10: relance2 names the rule only', 'CTRABOU', 'relance2', false],
    ['art. 1231-6: the consumer formal notice states no interest', 'CMARCHE', 'mise_en_demeure', false],
  ] as [string, string, Step, boolean][])('%s', (_, code, step, states) => {
    const m = render(code, step);
    if (code === 'CMARCHE') expect(m.missingRates).toEqual([]);
    else expect(m.missingRates).toHaveLength(1);
    // What the template read decides it (the consumer notice still reads its subject's total).
    if (code !== 'CMARCHE') expect(m.statesPenalties).toBe(states);
  });

  it('a template of the user that prints an interest amount states penalties; the same without it does not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-tpl-'));
    const bundled = readFileSync(join(BUNDLED_TEMPLATES, 'relance1.hbs'), 'utf8');
    writeFileSync(join(dir, 'relance1.hbs'), bundled.replace('{{> conclusion}}.\n', '{{> conclusion}}. Pénalités à ce jour : {{euros totals.interestCents}}.\n'));
    expect(render('CBELLEC', 'relance1').statesPenalties).toBe(false);
    const own = render('CBELLEC', 'relance1', { templatesDir: dir, cwd: '/' });
    expect(own.text).toContain('Pénalités à ce jour : ');
    expect(own.statesPenalties).toBe(true);
    expect(own.missingRates).toHaveLength(1);
  });

  it('no letter says « faute de taux publié »: every template, every part, B2B and consumer, with or without a notice, with or without the rate', () => {
    const withRate = penaltyTablesFrom({ rates: [{ from: '2026-07-01', ratePercent: 12.15 }], legalInterestRates: [{ from: '2026-07-01', ratePercent: 2.62 }] });
    const STEPS: Step[] = ['relance1', 'relance2', 'escalade', 'mise_en_demeure', 'contentieux'];
    const seen: string[] = [];
    for (const penaltyTables of [tables, withRate]) {
      for (const history of [undefined, [], notice('2026-10-28')]) {
        for (const asOf of [AS_OF, '2027-02-01']) {
          for (const code of ['CTRABOU', 'CMARCHE', 'CMORELE', 'CBELLEC']) {
            for (const step of STEPS) seen.push(...partsOf(render(code, step, { penaltyTables, history, asOf })).map(([, d]) => d));
            seen.push(...partsOf(render(code, step0(code), { penaltyTables, history, asOf, contractualRatePercent: 5 })).map(([, d]) => d));
          }
          seen.push(...partsOf(render('CROUXVI', 'preventive', { penaltyTables, history, asOf: AS_OF })).map(([, d]) => d));
        }
      }
    }
    const a = actions.find((x) => x.clientCode === 'CTRABOU')!;
    seen.push(...partsOf(renderPaymentPlan({
      asOf: AS_OF, company: config.company, client: clients.find((c) => c.clientCode === 'CTRABOU')!, clientCode: 'CTRABOU', clientName: a.clientName,
      invoices: a.invoices, downPaymentCents: 106_000, instalments: [{ number: 1, date: '2026-12-15', amountCents: 500_000 }], mode: 'virement', templatesDir: null, cwd: ROOT,
    })).map(([, d]) => d));
    expect(seen.length).toBeGreaterThan(500);
    for (const doc of seen) {
      expect(doc).not.toMatch(/faute de taux publié/i);
      expect(doc).not.toMatch(/taux publié|non publié/i);
    }
    // Nor may a template file or the code that writes the notes bring it back.
    for (const f of readdirSync(BUNDLED_TEMPLATES)) expect(readFileSync(join(BUNDLED_TEMPLATES, f), 'utf8'), f).not.toMatch(/faute de taux publié/i);
    const letterCode = readdirSync(join(ROOT, 'src/render/letters')).map((f) => `src/render/letters/${f}`);
    for (const f of ['src/core/rates.ts', 'src/core/penalties.ts', 'src/render/letters.ts', ...letterCode]) expect(readFileSync(join(ROOT, f), 'utf8'), f).not.toMatch(/faute de taux publié/i);
  });
});

/** The client's action as of 16/12/2026, 30 days later than the fixture's plan. */
function monthLater(code: string, step: Step): PlanAction {
  const a = structuredClone({ ...actions.find((x) => x.clientCode === code)!, step });
  return { ...a, oldestDaysLate: a.oldestDaysLate + 30, invoices: a.invoices.map((i) => ({ ...i, daysOverdue: i.daysOverdue + 30 })) };
}

/** A step the client's letters are rendered at with a contractual rate too. */
function step0(code: string): Step {
  return code === 'CMARCHE' ? 'escalade' : 'mise_en_demeure';
}
