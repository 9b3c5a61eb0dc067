import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planSettings, type Config } from '../../src/config.js';
import { loadInputs } from '../../src/read/inputs.js';
import { buildPlan, type PlanAction } from '../../src/core/plan.js';
import { penaltyTablesFrom, type PenaltyTables } from '../../src/core/rates.js';
import type { Client } from '../../src/core/records.js';
import type { Step } from '../../src/core/scenario.js';
import {
  emlOf,
  letterData,
  paymentPlanData,
  renderAction,
  renderPaymentPlan,
  TemplateError,
  type LetterContext,
  type PaymentPlanContext,
  type RenderedMessage,
} from '../../src/render/letters.js';
import { expectGolden } from '../golden.js';
import { asGolden } from './letter-golden.js';
import { fixture, fixtureLetters, ROOT, runCli } from '../helpers.js';

const AS_OF = '2026-11-16';
let config: Config;
let clients: Client[];
let actions: PlanAction[];
let tables: PenaltyTables;

// The real pipeline on the fixture company: config, Sage 100 exports, plan.
beforeAll(async () => {
  ({ config, clients, actions, tables } = await fixtureLetters(AS_OF));
});

/** The fixture action of a client, at the step asked for (every template can be rendered from it). */
function actionOf(code: string, step?: Step): PlanAction {
  const a = actions.find((x) => x.clientCode === code);
  if (!a) throw new Error(`no action for ${code}`);
  return structuredClone({ ...a, step: step ?? a.step });
}

function contextOf(code: string, step?: Step, over: Partial<LetterContext> = {}): LetterContext {
  return {
    asOf: AS_OF,
    company: config.company,
    client: clients.find((c) => c.clientCode === code) ?? null,
    action: actionOf(code, step),
    penaltyTables: tables,
    contractualRatePercent: config.penalties.contractualRatePercent ?? null,
    templatesDir: null,
    cwd: ROOT,
    ...over,
  };
}

const render = (code: string, step?: Step, over: Partial<LetterContext> = {}): RenderedMessage => renderAction(contextOf(code, step, over));

const planOf = (over: Partial<PaymentPlanContext> = {}): PaymentPlanContext => {
  const a = actionOf('CTRABOU');
  return {
    asOf: AS_OF,
    company: config.company,
    client: clients.find((c) => c.clientCode === 'CTRABOU')!,
    clientCode: 'CTRABOU',
    clientName: a.clientName,
    invoices: a.invoices,
    downPaymentCents: 106_000,
    instalments: [
      { number: 1, date: '2026-12-15', amountCents: 250_000 },
      { number: 2, date: '2027-01-15', amountCents: 250_000 },
    ],
    mode: 'virement',
    templatesDir: null,
    cwd: ROOT,
    ...over,
  };
};

describe('golden letters of the fixture company on 16/11/2026', () => {
  it('preventive: the good payer Roux, Vidal & Associés, 5 days before the due date', () => {
    expectGolden(asGolden('preventive – CROUXVI (bon payeur)', render('CROUXVI')), fixture('letters/preventive.golden.txt'));
  });

  it.each(['relance1', 'relance2', 'escalade', 'mise_en_demeure', 'contentieux'] as Step[])(
    '%s: Brasserie Les Traboules, chronic late payer, three invoices',
    (step) => {
      // The litigation file lists the reminders of the journal: those of the chronic ladder.
      const history: LetterContext['history'] = step === 'contentieux'
        ? [
          { date: '2026-09-30', step: 'relance1', channel: 'email' },
          { date: '2026-10-07', step: 'relance2', channel: 'email+appel' },
          { date: '2026-10-17', step: 'escalade', channel: 'email+appel' },
          { date: '2026-10-27', step: 'mise_en_demeure', channel: 'lrar+email' },
        ]
        : undefined;
      const m = render('CTRABOU', step, { history });
      expectGolden(asGolden(`${step} – CTRABOU (mauvais payeur chronique)`, m), fixture(`letters/${step}.golden.txt`));
    },
  );

  it('mise en demeure of a consumer: M. Marchetti', () => {
    expectGolden(asGolden('mise_en_demeure – CMARCHE (particulier)', render('CMARCHE', 'mise_en_demeure')), fixture('letters/mise_en_demeure-particulier.golden.txt'));
  });

  it('payment plan confirmation (échéancier)', () => {
    expectGolden(asGolden('echeancier – CTRABOU', renderPaymentPlan(planOf())), fixture('letters/echeancier.golden.txt'));
  });

  it('relance1 as an e-mail file (.eml), byte for byte', async () => {
    const m = render('CTRABOU', 'relance1');
    const eml = await emlOf(m, {
      from: config.mail.from!, to: ['brasserie.traboules@example.fr'], replyTo: config.mail.replyTo ?? null,
      date: new Date('2026-11-16T08:00:00Z'), messageId: '<relance.2026-11-16.CTRABOU.relance1@lumen-eclairage.example>',
    });
    expectGolden(eml, fixture('letters/relance1.golden.eml'));
  });
});

describe('mise en demeure (B2B)', () => {
  it('has the legal mentions, every invoice, the penalties, the indemnities, the total and the deadline', () => {
    const m = render('CTRABOU', 'mise_en_demeure');
    expect(m.totals).toEqual({ dueCents: 606_000, interestCents: 6665, indemnityCents: 12_000, totalCents: 624_665 });
    for (const doc of [m.text, m.html, m.letterHtml!]) {
      expect(doc).toMatch(/mise en demeure/i);
      expect(doc).toContain('L441-10');
      expect(doc).toContain('D441-5');
      expect(doc).not.toContain('L441-6');
      expect(doc).toContain('Lumen Éclairage SAS');
      expect(doc).toContain('Brasserie Les Traboules');
      // Each invoice: number, date, amount, penalties to date, the 40 € indemnity.
      for (const [ref, date, amount, penalty] of [
        ['FA2026-0030', '28/08/2026', '1\u202f656,00\u00a0€', '27,56\u00a0€'],
        ['FA2026-0033', '12/09/2026', '2\u202f472,00\u00a0€', '28,80\u00a0€'],
        ['FA2026-0036', '01/10/2026', '1\u202f932,00\u00a0€', '10,29\u00a0€'],
      ]) {
        for (const s of [ref, date, amount, penalty]) expect(doc).toContain(s);
      }
      expect(doc.split('40,00\u00a0€').length - 1).toBeGreaterThanOrEqual(3);
      expect(doc).toContain('120,00\u00a0€');
      expect(doc).toContain('6\u202f246,65\u00a0€');
      expect(doc).toContain('dans un délai de 8 jours à compter de sa réception');
      expect(doc).toContain('injonction de payer');
      // Above 5 000 €, no small-claims procedure.
      expect(doc).not.toContain('petites créances');
    }
    expect(m.letterHtml).toContain('Lettre recommandée avec accusé de réception');
    expect(m.letterHtml).toContain('Lyon, le 16 novembre 2026');
    expect(m.letterHtml).toContain('SIREN 812 345 678');
    expect(m.letterHtml).toContain('22 rue Saint-Jean<br>69005 Lyon');
  });

  it('offers the simplified small-claims procedure up to 5 000 €', () => {
    const m = render('CCANUTS', 'mise_en_demeure');
    expect(m.totals.totalCents).toBeLessThanOrEqual(500_000);
    expect(m.text).toContain('procédure simplifiée de recouvrement des petites créances');
    expect(m.text).toContain('injonction de payer');
  });

  it('states in a footnote the rate used for the 2nd half of 2026, which the table lacks, and nothing about its publication', () => {
    const m = render('CTRABOU', 'mise_en_demeure');
    expect(m.notes).toEqual(["la table des taux des pénalités de retard (taux BCE + 10 points, article L441-10 du Code de commerce) n'a pas de taux pour le 2e semestre 2026"]);
    expect(m.text).toContain('(*) taux de 12,15\u00a0% retenu pour le 2e semestre 2026.');
    expect(m.text).not.toContain('publié');
    expect(m.missingRates).toEqual([{ table: 'latePayment', used: { year: 2026, half: 1 }, missing: [{ year: 2026, half: 2 }], ratePercent: 12.15 }]);
    expect(m.statesPenalties).toBe(true);
  });

  it('has no footnote nor missing rate once the config adds the half-year (penalties.rates)', () => {
    const m = render('CTRABOU', 'mise_en_demeure', { penaltyTables: penaltyTablesFrom({ rates: [{ from: '2026-07-01', ratePercent: 12.15 }] }) });
    expect(m.missingRates).toEqual([]);
    expect(m.notes).toEqual([]);
    expect(m.text).not.toContain('(*)');
  });

  it('uses a contractual rate in place of the ECB rate, and warns the sender when it is below the legal floor', () => {
    const m = render('CTRABOU', 'mise_en_demeure', { contractualRatePercent: 5 });
    expect(m.text).toContain('au taux de 5,00\u00a0% prévu par nos conditions générales de vente');
    // 6 060 € at 5 %: 11,34 + 11,85 + 4,23
    expect(m.totals.interestCents).toBe(1134 + 1185 + 423);
    expect(m.notes.some((n) => n.startsWith('taux contractuel de 5,00\u00a0% inférieur au minimum légal'))).toBe(true);
    expect(m.text).not.toContain('inférieur au minimum légal');
  });
});

describe('consumer clients (B2C)', () => {
  it('get no 40 € indemnity, and their formal notice claims no interest: it runs from its receipt (art. 1231-6)', () => {
    const m = render('CMARCHE', 'mise_en_demeure');
    expect(m.totals).toEqual({ dueCents: 147_600, interestCents: 0, indemnityCents: 0, totalCents: 147_600 });
    expect(m.missingRates).toEqual([]);
    for (const doc of [m.text, m.html, m.letterHtml!]) {
      expect(doc).toContain("À compter de la réception de la présente mise en demeure, ces sommes porteront intérêts au taux de l'intérêt légal jusqu'à complet paiement (article 1231-6 du Code civil).");
      expect(doc).not.toMatch(/Détail du calcul|Intérêts au|d'intérêts de retard|× 2,62/);
      expect(doc).not.toContain('D441-5');
      expect(doc).not.toContain('L441-10');
      expect(doc).not.toContain('40\u00a0€');
      expect(doc).not.toContain('40,00');
      expect(doc).not.toMatch(/indemnit/);
      expect(doc).toContain('1\u202f476,00\u00a0€');
      expect(doc).not.toContain('1\u202f478,12');
      expect(doc).toContain('procédure simplifiée de recouvrement des petites créances');
    }
  });

  it('are told, before the formal notice, that legal interest will run from its receipt, not of the B2B penalties', () => {
    const m = render('CMARCHE', 'escalade');
    expect(m.text).toContain("ces sommes porteront intérêts au taux de l'intérêt légal à compter de la réception d'une mise en demeure (article 1231-6 du Code civil)");
    expect(m.text).not.toContain('D441-5');
  });
});

describe('tone and content of each step', () => {
  it('relance1 is amicable for an ordinary payer and firm for a chronic late payer', () => {
    const amicable = render('CBELLEC', 'relance1');
    expect(amicable.text).toContain('le règlement de la facture ci-dessous, arrivée à échéance, semble ne pas nous être parvenu');
    expect(amicable.text).toContain('FA2026-0040');
    expect(amicable.text).not.toContain('dès réception');
    const firm = render('CTRABOU', 'relance1');
    expect(firm.text).toContain("n'ont pas été réglées");
    expect(firm.text).toContain('dès réception de ce message');
    expect(firm.text).toContain('L441-10');
  });

  it('relance2 asks for a payment date', () => {
    expect(render('CBELLEC', 'relance2').text).toContain('la date à laquelle vous procéderez à ce règlement');
    expect(render('CTRABOU', 'relance2').text).toContain('au plus tard le 24 novembre 2026');
  });

  it('the preventive reminder thanks a good payer', () => {
    const good = render('CROUXVI');
    expect(good.subject).toBe("Rappel d'échéance : facture FA2026-0041 payable le 21/11/2026 – Lumen Éclairage SAS");
    expect(good.text).toContain('régularité de vos règlements');
    // Hôtel Bellecour's invoice five days before it falls due (a preventive reminder only lists invoices not yet due).
    const ordinary = contextOf('CBELLEC', 'preventive');
    Object.assign(ordinary.action.invoices[0]!, { dueDate: '2026-11-21', daysOverdue: -5 });
    expect(renderAction(ordinary).text).not.toContain('régularité de vos règlements');
  });

  it('escalade names the sales rep in copy and the penalties to date', () => {
    const m = render('CTRABOU', 'escalade');
    expect(m.text).toContain('Thomas Lambert, votre contact commercial, en copie de ce message');
    expect(m.text).toContain('66,65\u00a0€ de pénalités et 120,00\u00a0€ d\'indemnités forfaitaires');
  });

  it('the litigation file is internal, lists the reminders sent and suggests a procedure', () => {
    const m = render('CTRABOU', 'contentieux', {
      history: [
        { date: '2026-10-01', step: 'relance1', channel: 'email' },
        { date: '2026-10-20', step: 'mise_en_demeure', channel: 'lrar+email' },
      ],
    });
    expect(m.text).toContain('document interne, à ne pas envoyer au client');
    expect(m.text).toContain('- 01/10/2026 : 1re relance (e-mail)');
    expect(m.text).toContain('- 20/10/2026 : mise en demeure (LRAR + copie e-mail)');
    expect(m.text).toContain('requête en injonction de payer');
    expect(m.letterHtml).toContain('Service contentieux');
  });

  it('gives a client without e-mail a printable letter with the recipient block', () => {
    const m = render('CGIRAUD');
    expect(m.letterHtml).toContain('<strong>Menuiserie Giraud &amp; Fils</strong><br>\n12 chemin des Érables<br>ZA du Bois<br>69390 Vourles<br>');
    expect(m.letterHtml).toContain('Lyon, le 16 novembre 2026');
  });
});

describe('HTML escaping', () => {
  it('keeps a client named <b>Dupont & Fils</b> as text in the HTML, and as is in the plain text', () => {
    const client = { ...clients.find((c) => c.clientCode === 'CTRABOU')!, clientName: '<b>Dupont & Fils</b>', address: ['1 rue <i>x</i>', '69001 Lyon'] };
    const m = render('CTRABOU', 'mise_en_demeure', { client });
    for (const doc of [m.html, m.letterHtml!]) {
      expect(doc).toContain('&lt;b&gt;Dupont &amp; Fils&lt;/b&gt;');
      expect(doc).toContain('1 rue &lt;i&gt;x&lt;/i&gt;');
      expect(doc).not.toContain('<b>Dupont');
      expect(doc).not.toContain('<i>x');
    }
    expect(m.text).toContain('À : <b>Dupont & Fils</b>, 1 rue <i>x</i>, 69001 Lyon');
  });
});

describe('templates folder and strictness', () => {
  const folder = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-modeles-'));
    mkdirSync(join(dir, 'modeles'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'modeles', name), text);
    return dir;
  };
  const minimal = (body: string): string =>
    `{{#*inline "subject"}}Objet {{client.name}}{{/inline}}\n{{#*inline "text"}}${body}{{/inline}}\n{{#*inline "html"}}<p>{{client.name}}</p>{{/inline}}\n`;

  it('uses the file of the same name in the templates folder, and the bundled one for the others', () => {
    const cwd = folder({ 'relance1.hbs': minimal('Bonjour {{client.name}}, vous devez {{euros totals.dueCents}} ({{plural count "facture" "factures"}}).') });
    const own = render('CTRABOU', 'relance1', { templatesDir: 'modeles', cwd });
    expect(own.subject).toBe('Objet Brasserie Les Traboules');
    expect(own.text).toBe('Bonjour Brasserie Les Traboules, vous devez 6\u202f060,00\u00a0€ (factures).\n');
    expect(own.letterHtml).toBeNull();
    const bundled = render('CTRABOU', 'relance2', { templatesDir: 'modeles', cwd });
    expect(bundled.subject).toContain('2e relance');
  });

  it('rejects a templates folder that does not exist', () => {
    expect(() => render('CTRABOU', 'relance1', { templatesDir: 'nulle-part', cwd: tmpdir() })).toThrow(
      'dossier de modèles introuvable : nulle-part (clé templatesDir de la configuration).',
    );
  });

  it.each([
    ['a variable printed', 'Adresse : {{client.adresse}}', 'modèle modeles/relance1.hbs : variable inconnue « client.adresse » (ligne 3).'],
    ['a variable inside a loop', '{{#each invoices}}{{montant}}{{/each}}', 'modèle modeles/relance1.hbs : variable inconnue « montant » (ligne 3).'],
    ['a helper argument', 'Total : {{euros totals.totl}}', 'modèle modeles/relance1.hbs : variable inconnue « totals.totl ».'],
    ['a condition', '{{#if client.vip}}VIP{{/if}}', 'modèle modeles/relance1.hbs : variable inconnue « client.vip ».'],
  ])('names the template and the variable when %s is unknown', (_, body, message) => {
    const cwd = folder({ 'relance1.hbs': minimal(body).replace('{{#*inline "text"}}', '{{#*inline "text"}}\n') });
    let error: unknown;
    try {
      render('CTRABOU', 'relance1', { templatesDir: 'modeles', cwd });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).message).toBe(message);
    expect((error as TemplateError).hint).toMatch(/^corrigez le modèle ; variables disponibles à cet endroit : /);
  });

  it.each([
    ['{{euros client.name}}', 'modèle modeles/relance1.hbs : le helper « euros » attend un nombre, il a reçu « Brasserie Les Traboules » (exemple : {{euros totals.dueCents}}).'],
    ['{{euros}}', 'modèle modeles/relance1.hbs : le helper « euros » n\'a pas reçu de valeur (exemple : {{euros totals.dueCents}}).'],
    ['{{date totals.dueCents}}', 'modèle modeles/relance1.hbs : le helper « date » attend une date AAAA-MM-JJ, il a reçu « 606000 » (exemple : {{date dueDate}}).'],
  ])('rejects a helper given the wrong value: %s', (body, message) => {
    const cwd = folder({ 'relance1.hbs': minimal(body) });
    expect(() => render('CTRABOU', 'relance1', { templatesDir: 'modeles', cwd })).toThrow(message);
  });

  it('says which part a template lacks', () => {
    const cwd = folder({ 'relance1.hbs': '{{#*inline "subject"}}Objet{{/inline}}' });
    expect(() => render('CTRABOU', 'relance1', { templatesDir: 'modeles', cwd })).toThrow('modèle modeles/relance1.hbs : la partie « text » manque.');
  });

  it('reports a syntax error with the template name', () => {
    const cwd = folder({ 'relance1.hbs': '{{#*inline "subject"}}Objet {{#if}}{{/inline}}' });
    expect(() => render('CTRABOU', 'relance1', { templatesDir: 'modeles', cwd })).toThrow(/^modèle modeles\/relance1\.hbs : /);
  });
});

describe('payment plan confirmation (échéancier)', () => {
  it('lists the amounts, the dates, the payment mode and the acceleration clause', () => {
    const m = renderPaymentPlan(planOf());
    expect(m.step).toBe('echeancier');
    expect(m.subject).toBe('Confirmation de votre échéancier de paiement – 2 échéances – Lumen Éclairage SAS');
    for (const doc of [m.text, m.html, m.letterHtml!]) {
      expect(doc).toContain('6\u202f060,00\u00a0€');
      expect(doc).toContain('1\u202f060,00\u00a0€');
      expect(doc).toContain('15/12/2026');
      expect(doc).toContain('15/01/2027');
      expect(doc).toContain('2\u202f500,00\u00a0€');
      expect(doc).toContain('virement');
      expect(doc).toContain("à défaut de paiement d'une seule échéance à sa date, et 8 jours après une mise en demeure restée sans effet, le présent échéancier sera caduc : la totalité des sommes restant dues deviendra immédiatement exigible");
    }
    expect(m.letterHtml).toContain('Bon pour accord');
  });

  it('refuses instalments that do not add up to the amount due', () => {
    expect(() => renderPaymentPlan(planOf({ downPaymentCents: 0 }))).toThrow(
      "échéancier de CTRABOU : l'acompte et les échéances font 5\u202f000,00\u00a0€, les factures 6\u202f060,00\u00a0€.",
    );
  });
});

describe('emlOf', () => {
  const opts = {
    from: 'Lumen Éclairage - Comptabilité <comptabilite@lumen-eclairage.example>',
    to: ['brasserie.traboules@example.fr'],
    cc: ['thomas.lambert@lumen-eclairage.example'],
    bcc: ['archives@lumen-eclairage.example'],
    replyTo: 'nadia.benali@lumen-eclairage.example',
    date: new Date('2026-11-16T08:00:00Z'),
    messageId: '<relance.2026-11-16.CTRABOU.escalade@lumen-eclairage.example>',
  };

  it('is deterministic given a date and a Message-ID, with text and HTML alternatives', async () => {
    const m = render('CTRABOU', 'escalade');
    const a = await emlOf(m, opts);
    expect(await emlOf(m, opts)).toBe(a);
    expect(a).toContain('Message-ID: <relance.2026-11-16.CTRABOU.escalade@lumen-eclairage.example>');
    expect(a).toContain('Date: Mon, 16 Nov 2026 08:00:00 +0000');
    expect(a).toContain('Cc: thomas.lambert@lumen-eclairage.example');
    expect(a).toContain('Content-Type: multipart/alternative');
    expect(a).toContain('Content-Type: text/plain; charset=utf-8');
    expect(a).toContain('Content-Type: text/html; charset=utf-8');
    expect(a).not.toMatch(/^Bcc:/m);
  });

  it('attaches files in a multipart/mixed message', async () => {
    const m = render('CTRABOU', 'relance1');
    const eml = await emlOf(m, { ...opts, attachments: [{ filename: 'FA2026-0030.pdf', content: Buffer.from('%PDF-1.4 test'), contentType: 'application/pdf' }] });
    expect(eml).toContain('Content-Type: multipart/mixed');
    expect(eml).toContain('filename=FA2026-0030.pdf');
    expect(eml).toContain(Buffer.from('%PDF-1.4 test').toString('base64'));
  });
});

describe('templates/fr/README.md', () => {
  it('documents every variable the templates are given', () => {
    const doc = readFileSync(`${ROOT}templates/fr/README.md`, 'utf8');
    const data = letterData(contextOf('CTRABOU', 'mise_en_demeure'));
    const names = [
      ...Object.keys(data),
      ...Object.keys(data.company),
      ...Object.keys(data.client),
      ...Object.keys(data.totals),
      ...Object.keys(data.penalties),
      ...Object.keys(data.invoices[0]!),
      ...Object.keys(data.invoices[0]!.parts[0]!),
      ...Object.keys(paymentPlanData(planOf())),
    ];
    const missing = [...new Set(names)].filter((n) => !doc.includes(`\`${n}\``));
    expect(missing).toEqual([]);
  });
});

describe('statement: unapplied payments and credit notes deducted (issue 10)', () => {
  // Électricité Générale Morel: invoice FA2026-0039 of 3 600 €, and an unapplied payment
  // RG2026-0030 of 1 200 € (it names no invoice): 2 400 € is what may be asked.
  const STEPS: Step[] = ['preventive', 'relance1', 'relance2', 'escalade', 'mise_en_demeure', 'contentieux'];
  const E = (s: string): string => s.replace(/ /g, '\u202f').replace(/€/g, '\u00a0€').replace(/\u202f\u00a0€/g, '\u00a0€');
  const DEDUCTION = `Règlements et avoirs non imputés : −${E('1 200,00 €')}`;
  /** The litigation file is an internal list, its items in lower case. */
  const deductionOf = (step: Step, amount: string): string => `${step === 'contentieux' ? 'r' : 'R'}èglements et avoirs non imputés : −${E(amount)}`;

  /** Every line of a text that names an amount: the booked 3 600 € may only be on the invoice's line. */
  const linesWith = (text: string, amount: string): string[] => text.split('\n').filter((l) => l.includes(E(amount)));
  const rowsWith = (html: string, amount: string): string[] => html.split(/<tr>|<br>\n|<p>/).filter((r) => r.includes(E(amount)));

  it('gives the templates the statement of each invoice and of each section, computed once', () => {
    const ctx = contextOf('CMORELE');
    const data = letterData(ctx);
    expect(data.invoices.map((r) => [r.ref, r.originalCents, r.statementCents, r.creditCents, r.openCents, r.partial])).toEqual([
      ['FA2026-0039', 360_000, 360_000, 120_000, 240_000, false],
    ]);
    expect(data.totals).toMatchObject({
      statementCents: 360_000, creditsAppliedCents: 120_000, dueCents: 240_000,
      overdueStatementCents: 360_000, overdueCreditsCents: 120_000, overdueCents: 240_000,
      upcomingStatementCents: 0, upcomingCreditsCents: 0, upcomingCents: 0,
    });
    expect(data.totals.creditsAppliedCents).toBe(ctx.action.creditsAppliedCents);
    expect(data.totals.dueCents).toBe(ctx.action.balanceCents);
  });

  it('relance1: the invoice at 3 600,00 €, less 1 200,00 €, and 2 400,00 € due, in the text and the HTML', () => {
    const m = render('CMORELE', 'relance1');
    expect(m.totals).toMatchObject({ dueCents: 240_000 });
    expect(m.text).toContain(`- facture FA2026-0039 du 08/10/2026, échue le 07/11/2026 : ${E('3 600,00 €')} (9 jours de retard)\n\n${DEDUCTION}\nReste dû échu : ${E('2 400,00 €')}\n`);
    expect(linesWith(m.text, '3 600,00 €')).toEqual([`- facture FA2026-0039 du 08/10/2026, échue le 07/11/2026 : ${E('3 600,00 €')} (9 jours de retard)`]);
    for (const html of [m.html, m.letterHtml!]) {
      expect(html).toContain(`>Règlements et avoirs non imputés</td><td style="text-align: right; padding: 4px 0 4px 12px; border-top: 1px solid #999999; white-space: nowrap;">−${E('1 200,00 €')}</td></tr>`);
      expect(html).toContain(`<strong>Reste dû échu</strong></td><td style="text-align: right; padding: 4px 0 4px 12px; white-space: nowrap;"><strong>${E('2 400,00 €')}</strong>`);
      expect(rowsWith(html, '3 600,00 €')).toHaveLength(1);
      expect(rowsWith(html, '3 600,00 €')[0]).toContain('FA2026-0039');
      expect(html).not.toContain(`<strong>${E('3 600,00 €')}`);
    }
  });

  /** Morel's invoice four days before it falls due: the preventive reminder is only for invoices not yet due. */
  const upcoming = (step: Step): LetterContext => {
    const ctx = contextOf('CMORELE', step);
    Object.assign(ctx.action.invoices[0]!, { dueDate: '2026-11-20', daysOverdue: -4 });
    return ctx;
  };

  it.each(STEPS)('%s shows the deduction and asks for 2 400,00 €, never for the booked 3 600,00 €', (step) => {
    const m = step === 'preventive' ? renderAction(upcoming(step)) : render('CMORELE', step);
    expect(m.totals.dueCents).toBe(240_000);
    expect(m.subject).not.toContain(E('3 600,00 €'));
    expect(m.text).toContain(deductionOf(step, '1 200,00 €'));
    expect(m.text).toMatch(new RegExp(`(Reste dû échu|Total dû|principal) : ${E('2 400,00 €')}`));
    for (const line of linesWith(m.text, '3 600,00 €')) expect(line).toMatch(/^- facture (n° )?FA2026-0039 /);
    for (const html of [m.html, m.letterHtml!]) {
      expect(html).toContain(`Règlements et avoirs non imputés</td><td style="text-align: right; padding: 4px 0 4px 12px; border-top: 1px solid #999999; white-space: nowrap;">−${E('1 200,00 €')}`);
      for (const row of rowsWith(html, '3 600,00 €')) expect(row).toMatch(/^<td style="[^"]*">FA2026-0039</);
    }
  });

  it('mise en demeure: claims 2 400,00 € in principal, penalties on 2 400,00 €, and states the deduction', () => {
    const m = render('CMORELE', 'mise_en_demeure');
    // 2 400 € × 12,15 % × 9 days / 365 (07/11 due date, 08/11 to 16/11): on what is still owed, not on 3 600 €.
    const interest = Math.round((240_000 * 12.15 * 9) / 100 / 365);
    expect(interest).toBe(719);
    expect(m.totals).toEqual({ dueCents: 240_000, interestCents: interest, indemnityCents: 4000, totalCents: 244_719 });
    // The subject is one line of ordinary spaces.
    expect(m.subject).toBe('Mise en demeure de payer – facture FA2026-0039 – 2 447,19 € – Lumen Éclairage SAS');
    for (const doc of [m.text, m.html, m.letterHtml!]) {
      expect(doc).toMatch(/mise en demeure/i);
      expect(doc).toContain(`FA2026-0039 : ${E('2 400,00 €')} × 12,15\u00a0% × 9 j / 365, du 08/11/2026 au 16/11/2026 = 7,19\u00a0€`);
      expect(doc).not.toContain(`${E('3 600,00 €')} ×`);
      expect(doc).toContain(`la somme totale de ${E('2 447,19 €')}</strong>, soit ${E('2 400,00 €')} en principal (après déduction de ${E('1 200,00 €')} de règlements et avoirs non imputés), 7,19\u00a0€ de pénalités de retard et 40,00\u00a0€ d'indemnités forfaitaires`.replace('</strong>', doc === m.text ? '' : '</strong>'));
      expect(doc).not.toContain(`${E('3 600,00 €')} en principal`);
      expect(doc).toContain('petites créances');
    }
    expect(m.text).toContain(`montant ${E('3 600,00 €')}, reste dû ${E('3 600,00 €')}, 9 jours de retard, pénalités de retard au 16/11/2026 7,19\u00a0€ (calculées sur ${E('2 400,00 €')}), indemnité forfaitaire 40,00\u00a0€\n\n${DEDUCTION}\nTotal dû : ${E('2 400,00 €')}\n`);
    for (const html of [m.html, m.letterHtml!]) {
      expect(html).toContain(`7,19\u00a0€ (*)<br><small>sur ${E('2 400,00 €')}</small>`);
      expect(html).toContain(`<strong>Total dû</strong></td><td style="text-align: right; padding: 4px 0 4px 12px; white-space: nowrap;"><strong>${E('2 400,00 €')}</strong></td><td style="padding: 4px 12px 4px 0;"></td><td style="text-align: right; padding: 4px 0 4px 12px; white-space: nowrap;"><strong>7,19\u00a0€</strong></td>`);
    }
  });

  it('a consumer: interest on what is still owed, no indemnity, the deduction stated', () => {
    const client = { ...clients.find((c) => c.clientCode === 'CMORELE')!, consumer: true };
    for (const step of ['mise_en_demeure', 'contentieux'] as Step[]) {
      const m = render('CMORELE', step, { client });
      expect(m.totals.indemnityCents).toBe(0);
      // Interest runs from the formal notice only (art. 1231-6): none yet, whatever the deduction.
      expect(m.totals.interestCents).toBe(0);
      expect(m.text).toContain(deductionOf(step, '1 200,00 €'));
      expect(m.text).not.toMatch(/indemnit/);
    }
  });

  it('keeps « restant dus sur » for a partly lettered invoice, and deducts the credits apart', () => {
    const ctx = contextOf('CMORELE', 'relance1');
    ctx.action.invoices[0]!.originalCents = 500_000; // 1 400 € lettered in the books, 3 600 € left, 1 200 € unapplied
    const m = renderAction(ctx);
    expect(m.text).toContain(`: ${E('3 600,00 €')} restant dus sur ${E('5 000,00 €')} (9 jours de retard)\n\n${DEDUCTION}\nReste dû échu : ${E('2 400,00 €')}\n`);
    expect(m.html).toContain(`${E('3 600,00 €')}<br><small>sur ${E('5 000,00 €')}</small>`);
  });

  it('deducts credits from invoices not yet due: the preventive reminder and the « pour mémoire » section', () => {
    const preventive = renderAction(upcoming('preventive'));
    expect(preventive.text).toContain(`à régler au plus tard le 20/11/2026 : ${E('3 600,00 €')}\n\n${DEDUCTION}\nTotal dû : ${E('2 400,00 €')}\n`);
    expect(preventive.html).toContain(`<strong>Total dû</strong></td><td style="text-align: right; padding: 4px 0 4px 12px; white-space: nowrap;"><strong>${E('2 400,00 €')}</strong>`);
    for (const step of ['relance1', 'relance2', 'escalade'] as Step[]) {
      const m = renderAction(upcoming(step));
      expect(m.text).toContain(`à régler au plus tard le 20/11/2026 : ${E('3 600,00 €')}\n${DEDUCTION}\nReste dû à échoir : ${E('2 400,00 €')}\n`);
      expect(m.html).toContain(`<strong>Reste dû à échoir</strong></td><td style="text-align: right; padding: 4px 0 4px 12px; white-space: nowrap;"><strong>${E('2 400,00 €')}</strong>`);
    }
  });

  it('letters of clients without unapplied credits show no statement line', () => {
    for (const step of STEPS) {
      // The preventive reminder of the good payer: the Traboules invoices are all overdue.
      const m = step === 'preventive' ? render('CROUXVI') : render('CTRABOU', step);
      for (const doc of [m.subject, m.text, m.html, m.letterHtml!]) expect(doc).not.toContain('non imputés');
    }
  });

  it('golden: relance1 and mise en demeure of Électricité Générale Morel', () => {
    expectGolden(asGolden('relance1 – CMORELE (règlement non imputé)', render('CMORELE', 'relance1')), fixture('letters/relance1-non-imputes.golden.txt'));
    expectGolden(asGolden('mise_en_demeure – CMORELE (règlement non imputé)', render('CMORELE', 'mise_en_demeure')), fixture('letters/mise_en_demeure-non-imputes.golden.txt'));
  });

  describe('from the FEC (2025 and 2026 files)', () => {
    let fecActions: PlanAction[];
    beforeAll(async () => {
      const settings = planSettings(config);
      const inputs = await loadInputs(
        { balance: [], payments: [], clients: ['fixtures/sage100/clients.csv'], fec: ['fixtures/fec/812345678FEC20251231.txt', 'fixtures/fec/812345678FEC20261231.txt'], ledger: [], files: [], sheet: null, asOf: AS_OF, profile: null, encoding: null },
        config, true, ROOT, { graceDays: settings.thresholds.graceDays },
      );
      fecActions = buildPlan({ asOf: AS_OF, horizonDays: 7, openItems: inputs.openItems, clients: inputs.clients, histories: inputs.histories, settings }).actions;
    });

    // Not `preventive`: both invoices are overdue, and a preventive reminder is refused (test/render/case-letters.test.ts).
    it.each(STEPS.filter((s) => s !== 'preventive'))("%s: Résidence Les Tilleuls owes 8 780,00 € (its balance), never 11 280,00 €", (step) => {
      const action = structuredClone({ ...fecActions.find((a) => a.clientCode === 'CTILLEU')!, step });
      expect(action.balanceCents).toBe(878_000);
      const m = renderAction({ ...contextOf('CTILLEU'), action });
      expect(m.totals.dueCents).toBe(878_000);
      for (const doc of [m.subject, m.text, m.html, m.letterHtml!]) expect(doc).not.toContain(E('11 280,00 €'));
      expect(m.text).toContain(deductionOf(step, '2 500,00 €'));
      expect(m.text).toMatch(new RegExp(`(Reste dû échu|Total dû|principal) : ${E('8 780,00 €')}`));
      // The credit is not lettering: FA2025-0017 is shown at its booked 5 280 €, not « 2 780 € restant dus sur 5 280 € ».
      expect(m.text).not.toContain(`${E('2 780,00 €')} restant dus`);
      if (step === 'mise_en_demeure') expect(m.text).toContain(`soit ${E('8 780,00 €')} en principal (après déduction de ${E('2 500,00 €')}`);
    });
  });

  it('relance plan --letters writes the e-mail and the letter with the deduction and the right total', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-releve-'));
    const r = await runCli([
      'plan', '--balance', 'fixtures/sage100/balance.csv', '--payments', 'fixtures/sage100/reglements.csv', '--clients', 'fixtures/sage100/clients.csv',
      '--config', 'fixtures/relance.yaml', '--as-of', AS_OF, '--letters', dir, '--format', 'json',
    ]);
    expect(r.code).toBe(0);
    const files = readdirSync(dir).filter((f) => /^\d+-CMORELE-/.test(f)).sort();
    expect(files.map((f) => f.replace(/^\d+/, 'NN'))).toEqual(['NN-CMORELE-relance1.eml', 'NN-CMORELE-relance1.html']);
    const mail = await simpleParser(readFileSync(join(dir, files[0]!)));
    expect(mail.subject).toBe('Relance : règlement en attente – facture FA2026-0039 – Lumen Éclairage SAS');
    expect(mail.text).toContain(`${DEDUCTION}\nReste dû échu : ${E('2 400,00 €')}`);
    for (const html of [mail.html as string, readFileSync(join(dir, files[1]!), 'utf8')]) {
      expect(html).toContain(`−${E('1 200,00 €')}`);
      expect(html).toContain(`<strong>${E('2 400,00 €')}</strong>`);
      expect(html).not.toContain(`<strong>${E('3 600,00 €')}`);
    }
  });
});
