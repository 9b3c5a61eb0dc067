import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import type { PlanAction } from '../../src/core/plan.js';
import type { PenaltyTables } from '../../src/core/rates.js';
import type { Client } from '../../src/core/records.js';
import type { Step } from '../../src/core/scenario.js';
import { loadInputs } from '../../src/read/inputs.js';
import { renderAction, renderPaymentPlan, type LetterContext, type PaymentPlanContext, type PenaltyPolicy } from '../../src/render/letters.js';
import { fixtureLetters, ROOT, runCli } from '../helpers.js';

// Issue 13, points 2, 6 and 8: the small-claims procedure is amicable, the debtor's
// identity and the court of the injonction de payer, the payment plan's penalties clause.

const AS_OF = '2026-11-16';
let config: Config;
let clients: Client[];
let actions: PlanAction[];
let tables: PenaltyTables;

beforeAll(async () => {
  ({ config, clients, actions, tables } = await fixtureLetters(AS_OF));
});

function contextOf(code: string, step: Step, client: Partial<Client> = {}, over: Partial<LetterContext> = {}): LetterContext {
  const a = actions.find((x) => x.clientCode === code)!;
  return {
    asOf: AS_OF,
    company: config.company,
    client: { ...clients.find((c) => c.clientCode === code)!, ...client },
    action: structuredClone({ ...a, step }),
    penaltyTables: tables,
    contractualRatePercent: null,
    templatesDir: null,
    cwd: ROOT,
    ...over,
  };
}

const render = (code: string, step: Step, client: Partial<Client> = {}, over: Partial<LetterContext> = {}) => renderAction(contextOf(code, step, client, over));
const NBSP = '\u00a0';

describe('mise en demeure: the small-claims procedure (CPCE L125-1) is amicable, apart from the injonction de payer (CPC 1405)', () => {
  it('up to 5 000 €: the injonction de payer is the judicial route, the small-claims procedure an amicable one needing the debtor\'s agreement (CPCE L125-1)', () => {
    const m = render('CCANUTS', 'mise_en_demeure');
    for (const doc of [m.text, m.html, m.letterHtml!]) {
      expect(doc).not.toContain('procédure de recouvrement judiciaire');
      expect(doc).toContain("d'une requête en injonction de payer (articles 1405 et suivants du Code de procédure civile).");
      expect(doc).toContain(
        `La créance n'excédant pas 5${'\u202f'}000,00${NBSP}€, nous pourrons auparavant vous proposer, par l'intermédiaire d'un commissaire de justice, la procédure simplifiée de recouvrement des petites créances (article L125-1 du Code des procédures civiles d'exécution) : cette démarche amiable, hors tribunal, suppose votre accord sur le montant et les modalités de paiement.`,
      );
    }
  });

  it('above 5 000 €: the injonction de payer alone (CPC 1405), no small-claims procedure (CPCE L125-1)', () => {
    const m = render('CTRABOU', 'mise_en_demeure');
    expect(m.text).toContain('injonction de payer (articles 1405 et suivants du Code de procédure civile)');
    expect(m.text).not.toContain('petites créances');
  });

  it.each([
    ['a SARL: the tribunal de commerce (C. com. L721-3)', { legalForm: 'SARL' }, 'le tribunal de commerce compétent'],
    ['an SCI: the tribunal judiciaire (C. com. L721-3 a contrario)', { legalForm: 'SCI' }, 'le tribunal judiciaire compétent'],
    ['a consumer: the tribunal judiciaire (CPC 1406)', { consumer: true }, 'le tribunal judiciaire compétent'],
    ['an EI: the court is not named (C. com. L721-3)', { legalForm: 'EI' }, 'le tribunal compétent'],
    ['no legal form: the court is not named (C. com. L721-3)', {}, 'le tribunal compétent'],
  ])('names the court only when the data tells it: %s', (_, client, court) => {
    expect(render('CTRABOU', 'mise_en_demeure', client).text).toContain(`nous saisirons sans autre avis ${court} d'une requête en injonction de payer`);
  });
});

describe('mise en demeure: the debtor identified by its legal form and SIREN', () => {
  it.each([
    ['form and SIREN after the name', 'CTRABOU', { legalForm: 'S.A.R.L.', siren: '552100554' }, 'À : Brasserie Les Traboules, SARL, SIREN 552 100 554, 22 rue Saint-Jean, 69005 Lyon'],
    ['the form left out when the name carries it', 'CBELLEC', { legalForm: 'SAS', siren: '732829320' }, 'À : Hôtel Bellecour SAS, SIREN 732 829 320, '],
    ['an unrecognised form written as the file gives it', 'CTRABOU', { legalForm: 'Coopérative' }, 'À : Brasserie Les Traboules, Coopérative, 22 rue Saint-Jean'],
    ['nothing when the file gives neither', 'CTRABOU', {}, 'À : Brasserie Les Traboules, 22 rue Saint-Jean'],
  ])('%s', (_, code, client, line) => {
    const m = render(code, 'mise_en_demeure', client);
    expect(m.text).toContain(line);
    expect(m.html).toContain(line);
  });

  it('prints the SIREN in the letter\'s address block', () => {
    const m = render('CTRABOU', 'mise_en_demeure', { legalForm: 'SARL', siren: '552100554' });
    expect(m.letterHtml).toContain('<strong>Brasserie Les Traboules</strong><br>\nSARL, SIREN 552 100 554<br>\n22 rue Saint-Jean<br>');
  });
});

describe('litigation file: the court and Cerfa of the injonction de payer (CPC 1405 s., C. com. L721-3)', () => {
  it.each([
    ['SARL → tribunal de commerce, Cerfa 12946 (C. com. L210-1, L721-3)', { legalForm: 'SARL' },
      '- tribunal de commerce, formulaire Cerfa n° 12946 : SARL (société à responsabilité limitée) : société commerciale par sa forme (article L210-1 du Code de commerce), le tribunal de commerce connaît des contestations qui la concernent (article L721-3 du Code de commerce) ;'],
    ['SASU → tribunal de commerce, Cerfa 12946 (C. com. L721-3)', { legalForm: 'sasu' }, '- tribunal de commerce, formulaire Cerfa n° 12946 : SASU'],
    ['SCI → tribunal judiciaire, Cerfa 12948 (C. com. L721-3 a contrario)', { legalForm: 'SCI' },
      "- tribunal judiciaire, formulaire Cerfa n° 12948 : SCI (société civile immobilière) : ni commerçant ni société commerciale, le tribunal de commerce n'est pas compétent (article L721-3 du Code de commerce a contrario) ; tribunal judiciaire, ou sa chambre de proximité ;"],
    ['association → tribunal judiciaire, Cerfa 12948 (C. com. L721-3 a contrario)', { legalForm: 'Association' }, '- tribunal judiciaire, formulaire Cerfa n° 12948 : association :'],
    ['consumer → tribunal judiciaire, Cerfa 12948 (CPC 1406)', { consumer: true },
      '- tribunal judiciaire, formulaire Cerfa n° 12948 : le débiteur est un particulier (consommateur) : tribunal judiciaire, ou sa chambre de proximité ;'],
    ['EI → to be checked: commerçant or artisan (C. com. L721-3)', { legalForm: 'EI' },
      "- tribunal à déterminer : entreprise individuelle : le tribunal dépend de l'activité du débiteur ;\n- à vérifier : l'activité et l'inscription du débiteur"],
    ['unknown form → said so, not guessed (C. com. L721-3)', {},
      '- tribunal à déterminer : forme juridique inconnue (absente du fichier clients) : le tribunal compétent ne peut pas être déterminé ;'],
  ])('%s', (_, client, expected) => {
    const m = render('CTRABOU', 'contentieux', client);
    expect(m.text).toContain('Voie judiciaire : requête en injonction de payer (articles 1405 et suivants du Code de procédure civile)');
    expect(m.text).toContain(expected);
  });

  it('lists the debtor\'s legal form and SIREN, or says they are to complete', () => {
    expect(render('CTRABOU', 'contentieux', { legalForm: 'SARL', siren: '552100554' }).text).toContain(
      '- nom : Brasserie Les Traboules\n- forme juridique : SARL (société à responsabilité limitée)\n- SIREN : 552 100 554\n',
    );
    expect(render('CTRABOU', 'contentieux').text).toContain(
      '- forme juridique : inconnue (à compléter avant toute procédure)\n- SIREN : inconnu (à compléter avant toute procédure)\n',
    );
    expect(render('CTRABOU', 'contentieux', { legalForm: 'Coopérative' }).text).toContain("- forme juridique : « Coopérative », non reconnue (vérifiez l'extrait Kbis)\n");
  });

  it('fills what the Cerfa form asks from the data (CPC 1407: parties, amounts and their basis, L441-10, D441-5)', () => {
    const history: LetterContext['history'] = [{ date: '2026-10-27', step: 'mise_en_demeure', channel: 'lrar' }];
    const m = render('CTRABOU', 'contentieux', { legalForm: 'SARL', siren: '552100554' }, { history });
    const form = m.text.slice(m.text.indexOf('Ce que demande le formulaire'));
    expect(form.split('\n').slice(0, 16)).toEqual([
      'Ce que demande le formulaire Cerfa n° 12946 (2 éléments à compléter)',
      '- créancier (demandeur) : Lumen Éclairage SAS',
      '- SIREN du créancier : 812 345 678',
      '- siège du créancier : 17 rue Sébastien Gryphe, 69007 Lyon',
      '- représentant légal du créancier : à compléter (nom et qualité du signataire de la requête)',
      '- débiteur (dénomination) : Brasserie Les Traboules',
      '- forme juridique du débiteur : SARL (société à responsabilité limitée)',
      '- SIREN du débiteur : 552 100 554',
      '- siège social du débiteur : 22 rue Saint-Jean, 69005 Lyon',
      `- montant en principal : 6${'\u202f'}060,00${NBSP}€ (factures FA2026-0030, FA2026-0033, FA2026-0036)`,
      // The amount is the penalties' business (test/core/penalties.test.ts); here, its basis.
      expect.stringMatching(/^- pénalités de retard : [\d\u202f]+,\d\d\u00a0€ arrêtées au 16\/11\/2026, au taux de la BCE majoré de 10 points \(article L441-10 du Code de commerce\)$/),
      `- indemnité forfaitaire pour frais de recouvrement : 120,00${NBSP}€ (40 € par facture, article D441-5 du Code de commerce)`,
      expect.stringMatching(/^- total demandé : /),
      '- cause de la créance : à compléter (vente ou prestation facturée par les factures FA2026-0030, FA2026-0033, FA2026-0036 : précisez la commande, le devis ou le contrat)',
      '- mise en demeure : envoyée le 27/10/2026, délai ouvert jusqu\'au 22/11/2026',
      expect.stringMatching(/^- pièces à joindre \(bordereau\) : les factures FA2026-0030, FA2026-0033, FA2026-0036 ; la mise en demeure et son accusé de réception ;/),
    ]);
  });

  it('says « à compléter » for what the data lacks: the debtor\'s SIREN and form, the formal notice', () => {
    const m = render('CTRABOU', 'contentieux', {}, { history: [] });
    expect(m.text).toContain('(5 éléments à compléter)');
    expect(m.text).toContain('- SIREN du débiteur : à compléter (colonne « SIREN » ou « SIRET » du fichier clients, ou avis de situation SIRENE)');
    expect(m.text).toContain("- mise en demeure : à compléter (aucune mise en demeure au journal : date d'envoi et accusé de réception)");
    expect(m.html).toContain('<li>SIREN du débiteur : <strong>à compléter (colonne « SIREN » ou « SIRET » du fichier clients, ou avis de situation SIRENE)</strong></li>');
  });

  it('a consumer: no SIREN nor legal form asked, interest at the legal rate (C. civ. 1231-6), no indemnity (D441-5)', () => {
    const m = render('CTRABOU', 'contentieux', { consumer: true });
    expect(m.text).toContain('- débiteur (nom et prénom) : Brasserie Les Traboules');
    expect(m.text).toContain('- domicile du débiteur : 22 rue Saint-Jean, 69005 Lyon');
    expect(m.text).not.toContain('SIREN du débiteur');
    expect(m.text).not.toContain('forme juridique');
    expect(m.text).not.toContain('indemnité forfaitaire pour frais de recouvrement');
  });

  it('up to 5 000 €: the small-claims procedure as an amicable step, apart from the judicial route (CPCE L125-1)', () => {
    const m = render('CCANUTS', 'contentieux');
    expect(m.text).toContain('Démarche amiable possible (hors tribunal)');
    expect(m.text).toContain("procédure simplifiée de recouvrement des petites créances (article L125-1 du Code des procédures civiles d'exécution), confiée à un commissaire de justice ; ce n'est pas une procédure judiciaire : elle suppose l'accord du débiteur");
    expect(m.text.indexOf('Démarche amiable')).toBeLessThan(m.text.indexOf('Voie judiciaire'));
  });
});

describe('échéancier: what becomes of the penalties already accrued, and the caducité clause', () => {
  const planOf = (policy: PenaltyPolicy | undefined, client: Partial<Client> = {}, over: Partial<PaymentPlanContext> = {}): PaymentPlanContext => {
    const a = actions.find((x) => x.clientCode === 'CTRABOU')!;
    return {
      asOf: AS_OF,
      company: config.company,
      client: { ...clients.find((c) => c.clientCode === 'CTRABOU')!, ...client },
      clientCode: 'CTRABOU',
      clientName: a.clientName,
      invoices: a.invoices,
      downPaymentCents: 106_000,
      instalments: [
        { number: 1, date: '2026-12-15', amountCents: 250_000 },
        { number: 2, date: '2027-01-15', amountCents: 250_000 },
      ],
      mode: 'virement',
      ...(policy ? { penaltyPolicy: policy } : {}),
      templatesDir: null,
      cwd: ROOT,
      ...over,
    };
  };
  const INDEMNITIES = `les indemnités forfaitaires pour frais de recouvrement de 40 € par facture, soit 120,00${NBSP}€ pour 3 factures (article D441-5 du Code de commerce)`;

  it.each([
    ['abandonnées: waived for good (C. com. L441-10, D441-5)', 'abandonnees' as const,
      `En contrepartie de cet accord, nous renonçons définitivement aux pénalités de retard échues à ce jour (article L441-10 du Code de commerce) et ${INDEMNITIES}, et nous n'appliquerons pas de pénalités sur les échéances payées à leur date.`],
    ['suspendues: suspended while the plan is honoured (C. com. L441-10, D441-5)', 'suspendues' as const,
      `Les pénalités de retard échues à ce jour (article L441-10 du Code de commerce) et ${INDEMNITIES} sont suspendues tant que cet échéancier est respecté : nous y renoncerons lorsque la dernière échéance aura été payée à sa date, et nous n'appliquerons pas de pénalités sur les échéances payées à leur date.`],
    ['dues: still due on top of the instalments (C. com. L441-10, D441-5)', 'dues' as const,
      `Cet échéancier porte sur le principal seul : les pénalités de retard (article L441-10 du Code de commerce) et ${INDEMNITIES} restent dues en sus des échéances ci-dessus ; les pénalités continuent de courir sur le solde jusqu'à complet paiement.`],
    ['default: suspended (C. com. L441-10, D441-5)', undefined, 'sont suspendues tant que cet échéancier est respecté'],
  ])('between professionals, %s', (_, policy, sentence) => {
    const m = renderPaymentPlan(planOf(policy));
    expect(m.text).toContain(sentence);
    expect(m.html).toContain(sentence);
    expect(m.letterHtml).toContain(sentence);
  });

  it.each([
    ['abandonnees' as const, "nous renonçons définitivement aux intérêts de retard au taux légal (article 1231-6 du Code civil) éventuellement échus à ce jour"],
    ['suspendues' as const, "Les intérêts de retard au taux légal (article 1231-6 du Code civil) éventuellement échus à ce jour sont suspendus tant que cet échéancier est respecté"],
    ['dues' as const, "les intérêts de retard au taux légal (article 1231-6 du Code civil) éventuellement échus à ce jour restent dus en sus des échéances ci-dessus."],
  ])('a consumer, %s: legal interest (C. civ. 1231-6), never the 40 € indemnity (D441-5)', (policy, sentence) => {
    const m = renderPaymentPlan(planOf(policy, { consumer: true }));
    expect(m.text).toContain(sentence);
    expect(m.text).not.toContain('D441-5');
    expect(m.text).not.toContain('L441-10');
  });

  it.each([
    ['suspendues' as const, false, ', les pénalités et indemnités suspendues redeviendront dues, et nous reprendrons'],
    ['suspendues' as const, true, ', les intérêts suspendus redeviendront dus, et nous reprendrons'],
    ['abandonnees' as const, false, 'deviendra immédiatement exigible, et nous reprendrons'],
    ['dues' as const, false, 'deviendra immédiatement exigible, et nous reprendrons'],
  ])('the caducité clause, %s (consumer: %s): a missed instalment, a notice left without effect, the whole balance due', (policy, consumer, tail) => {
    const m = renderPaymentPlan(planOf(policy, { consumer }, { noticeDays: 15 }));
    expect(m.text).toContain(
      "En revanche, à défaut de paiement d'une seule échéance à sa date, et 15 jours après une mise en demeure restée sans effet, le présent échéancier sera caduc : la totalité des sommes restant dues deviendra immédiatement exigible",
    );
    expect(m.text).toContain(tail);
  });

  it('says nothing of accrued penalties when no invoice of the plan is overdue yet (D441-5)', () => {
    const plan = planOf('suspendues');
    const m = renderPaymentPlan({ ...plan, invoices: plan.invoices.map((i) => ({ ...i, dueDate: '2026-12-31' })) });
    expect(m.text).not.toContain('pénalités de retard');
    expect(m.text).toContain('deviendra immédiatement exigible, et nous reprendrons');
  });
});

describe('clients file: SIREN / SIRET and Forme juridique columns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relance-debtor-'));
  writeFileSync(join(dir, 'balance.csv'), [
    'Code client;Nom;N° pièce;Date pièce;Échéance;Solde',
    'CDUP;Dupont;FA1;01/09/2026;01/10/2026;1 200,00',
    'CSCI;SCI Les Lilas;FA2;01/09/2026;01/10/2026;800,00',
    'CEI;Martin Plomberie;FA3;01/09/2026;01/10/2026;300,00',
  ].join('\r\n'));
  writeFileSync(join(dir, 'clients.csv'), [
    'Code client;Nom;E-mail;N° SIRET;Forme juridique',
    'CDUP;Dupont;compta@dupont.example;552 100 554 00013;S.A.R.L.',
    'CSCI;SCI Les Lilas;sci@lilas.example;732829321;SCI',
    'CEI;Martin Plomberie;martin@plomb.example;4430618;EI',
  ].join('\r\n'));

  it.each([
    ['a SIRET gives its SIREN (its first 9 digits)', 'CDUP', { siren: '552100554', legalForm: 'S.A.R.L.' }],
    ['a SIREN failing its Luhn key is left out', 'CSCI', { siren: null, legalForm: 'SCI' }],
    ['7 digits are no SIREN: left out', 'CEI', { siren: null, legalForm: 'EI' }],
  ])('%s', async (_, code, expected) => {
    const inputs = await loadInputs(
      { balance: ['balance.csv'], payments: [], clients: ['clients.csv'], fec: [], ledger: [], files: [], sheet: null, asOf: AS_OF, profile: null, encoding: null },
      loadConfig(null, dir), false, dir,
    );
    expect(inputs.clients.find((c) => c.clientCode === code)).toMatchObject(expected);
  });

  it('a bad SIREN/SIRET is a warning naming the file, line, column and value', async () => {
    const r = await runCli(['check', '--balance', 'balance.csv', '--clients', 'clients.csv', '--as-of', AS_OF, '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const findings = (JSON.parse(r.stdout) as { findings: { severity: string; code: string; file: string; line: number; column: string; value: string; message: string }[] }).findings
      .filter((f) => f.code === 'siren-invalide');
    expect(findings).toMatchObject([
      {
        severity: 'avertissement', file: 'clients.csv', line: 3, column: 'N° SIRET', value: '732829321',
        message: 'SIREN/SIRET invalide « 732829321 » : la clé de contrôle (Luhn) ne correspond pas : un chiffre est faux ou deux sont inversés ; il est ignoré',
      },
      {
        severity: 'avertissement', file: 'clients.csv', line: 4, column: 'N° SIRET', value: '4430618',
        message: 'SIREN/SIRET invalide « 4430618 » : 7 chiffres au lieu de 9 (SIREN) ou 14 (SIRET) ; il est ignoré',
      },
    ]);
  });
});
