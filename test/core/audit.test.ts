import { describe, expect, it } from 'vitest';
import { auditRecords, identityGaps, sortFindings, warningsBeforeActing, type ActingInput, type AuditInput } from '../../src/core/audit.js';
import { finding, type Finding } from '../../src/errors.js';
import { client, item, payment } from '../builders.js';

// What `relance check` reports (issue 16): each finding code, its severity, and the day
// or the cent its boundary falls on. As of 16/11/2026, exports older than 7 days are stale.
const AS_OF = '2026-11-16';
const audit = (over: Partial<AuditInput> = {}): Finding[] =>
  auditRecords({ asOf: AS_OF, openItems: [], payments: [], clients: [client()], hasClientsFile: true, exports: [], maxExportAgeDays: 7, ...over });
/** The findings in short: severity, code, where, the value quoted. */
const brief = (fs: Finding[]) => fs.map((f) => [f.severity, f.code, f.line, f.value]);
const E = '\u00a0€';

describe('auditRecords: invoices', () => {
  it.each([
    ['a clean invoice', [item()], []],
    ['a due date before the invoice date', [item({ docDate: '2026-10-01', dueDate: '2026-09-30' })], [['avertissement', 'echeance-avant-piece', 1, 'FA1']]],
    ['a due date on the invoice date (cash on delivery)', [item({ docDate: '2026-10-01', dueDate: '2026-10-01' })], []],
    ['a derived due date before the invoice date: the terms computed it, nothing to correct', [item({ docDate: '2026-10-01', dueDate: '2026-09-30', dueDateDerived: true })], [['info', 'echeance-calculee', null, null]]],
    ['an open amount one cent above the amount', [item({ openCents: 100_001 })], [['avertissement', 'solde-superieur-montant', 1, 'FA1']]],
    ['an open amount equal to the amount', [item({ openCents: 100_000 })], []],
    ['a credit note whose open amount is beyond its amount', [item({ originalCents: -10_000, openCents: -10_001 }), item({ ref: 'FA2', source: { file: 'test', line: 2 } })],
      [['avertissement', 'avoir-non-impute', 1, 'C1'], ['avertissement', 'solde-superieur-montant', 1, 'FA1']]],
    ['an open amount of the other sign (an overpaid invoice) is not compared', [item({ originalCents: 10_000, openCents: -20_000 })], []],
    ['no due date and no invoice date', [item({ docDate: null, dueDate: null })], [['avertissement', 'echeance-inconnue', 1, 'FA1']]],
    ['a client missing from the clients file', [item({ clientCode: 'C9' })], [['avertissement', 'client-inconnu', 1, 'C9']]],
  ] as [string, ReturnType<typeof item>[], unknown[][]][])('%s', (_, openItems, want) => {
    expect(brief(audit({ openItems }))).toEqual(want);
  });

  it('a client missing from the clients is not said when no clients file was given', () => {
    expect(audit({ openItems: [item({ clientCode: 'C9' })], clients: [], hasClientsFile: false })).toEqual([]);
  });

  it('says the whole finding for a due date before the invoice and an open amount above the amount', () => {
    expect(audit({ openItems: [item({ dueDate: '2026-09-30', openCents: 120_000 })] })).toEqual([
      finding('avertissement', 'echeance-avant-piece', { file: 'test', line: 1, value: 'FA1' }, 'la pièce « FA1 » échoit le 30/09/2026, avant sa date du 01/10/2026', 'corrigez la date d\'échéance dans le logiciel'),
      finding('avertissement', 'solde-superieur-montant', { file: 'test', line: 1, value: 'FA1' }, `le reste dû de « FA1 » (1\u202f200,00${E}) dépasse son montant (1\u202f000,00${E})`, 'vérifiez les colonnes Montant et Solde de l\'export'),
    ]);
  });
});

describe('auditRecords: the legal maximum for due dates (art. L441-10: 60 days, or 45 days end of month)', () => {
  // The latest of the three readings is the limit: due on it is legal, the day after is not.
  it.each([
    ['60 days from the invoice date is the latest', '2026-01-31', '2026-04-01'],
    ['45 days then end of month is the latest', '2026-01-15', '2026-03-31'],
    ['end of month then 45 days is the latest', '2026-02-01', '2026-04-14'],
  ])('%s (invoice of %s, limit %s)', (_, docDate, limit) => {
    const at = (dueDate: string, over = {}) => brief(audit({ openItems: [item({ docDate, dueDate, ...over })] }));
    expect(at(limit)).toEqual([]);
    const next = new Date(`${limit}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    const dayAfter = next.toISOString().slice(0, 10);
    expect(at(dayAfter)).toEqual([['avertissement', 'echeance-hors-delai-legal', 1, 'FA1']]);
    // Consumers are outside L441-10, credits owe nothing, derived due dates come from the terms.
    expect(brief(audit({ openItems: [item({ docDate, dueDate: dayAfter })], clients: [client({ consumer: true })] }))).toEqual([]);
    expect(at(dayAfter, { originalCents: -10_000, openCents: -10_000 })).toEqual([]);
    expect(at(dayAfter, { dueDateDerived: true })).toEqual([['info', 'echeance-calculee', null, null]]);
    expect(at(dayAfter, { openCents: 0 })).toEqual([]); // settled: nothing left to chase
  });

  it('says the dates and the article', () => {
    expect(audit({ openItems: [item({ docDate: '2026-01-15', dueDate: '2026-04-01' })] })[0]!.message).toBe(
      'la pièce « FA1 » du 15/01/2026 échoit le 01/04/2026, au-delà du délai légal (60 jours date de facture ou 45 jours fin de mois, art. L441-10 du Code de commerce)',
    );
  });
});

describe('auditRecords: duplicates within one file', () => {
  it.each([
    ['the same ref on two lines of one file', [item(), item({ source: { file: 'test', line: 4 } })], [['avertissement', 'ref-en-double', 1, 'FA1']]],
    ['the same ref in two files: crossFileCheck says it, not the audit', [item(), item({ source: { file: 'autre', line: 4 } })], []],
    ['one line split into several items (the same line twice) is no duplicate', [item({ openCents: 60_000 }), item({ openCents: 40_000 })], []],
  ] as [string, ReturnType<typeof item>[], unknown[][]][])('%s', (_, openItems, want) => {
    expect(brief(audit({ openItems })).filter((f) => f[1] === 'ref-en-double')).toEqual(want);
  });

  it('names every other line', () => {
    const f = audit({ openItems: [item(), item({ source: { file: 'test', line: 4 } }), item({ source: { file: 'test', line: 9 } })] }).find((x) => x.code === 'ref-en-double')!;
    expect(f.message).toBe('la pièce « FA1 » apparaît 3 fois (aussi ligne 4, ligne 9)');
  });
});

describe('auditRecords: credits, clients and payments', () => {
  it.each([
    ['a credit while the client owes', [item(), item({ ref: 'AV1', openCents: -30_000, originalCents: -30_000, source: { file: 'test', line: 2 } })], [['avertissement', 'avoir-non-impute', 2, 'C1']]],
    ['a credit and nothing owed', [item({ ref: 'AV1', openCents: -30_000, originalCents: -30_000 })], []],
    ['a credit of another client', [item(), item({ clientCode: 'C2', ref: 'AV1', openCents: -30_000, originalCents: -30_000 })], [['avertissement', 'client-inconnu', 1, 'C2']]],
    ['a settled line (0,00 € left) beside a debt is no credit', [item(), item({ ref: 'FA0', openCents: 0, source: { file: 'test', line: 2 } })], []],
    ['the finding points at the credit, not at a 0,00 € line before it',
      [item({ ref: 'FA0', openCents: 0, source: { file: 'test', line: 1 } }), item({ ref: 'FA1', source: { file: 'test', line: 2 } }), item({ ref: 'AV1', openCents: -30_000, originalCents: -30_000, source: { file: 'test', line: 3 } })],
      [['avertissement', 'avoir-non-impute', 3, 'C1']]],
  ] as [string, ReturnType<typeof item>[], unknown[][]][])('%s', (_, openItems, want) => {
    expect(brief(audit({ openItems }))).toEqual(want);
  });

  it('sums the credits and the debts of the client', () => {
    const f = audit({ openItems: [item(), item({ ref: 'FA2', openCents: 25_000 }), item({ ref: 'AV1', openCents: -30_000, originalCents: -30_000 }), item({ ref: 'RG1', openCents: -5_000, originalCents: -5_000 })] })
      .find((x) => x.code === 'avoir-non-impute')!;
    expect(f.message).toBe(`le client C1 a 350,00${E} d'avoirs ou de règlements non imputés alors qu'il doit 1\u202f250,00${E}`);
  });

  it.each([
    ['who owes: a warning', [item()], 'avertissement'],
    ['who owes nothing: for information', [], 'info'],
    ['who only has a credit: for information', [item({ openCents: -1, originalCents: -1 })], 'info'],
    ['who only has a settled line (0,00 € left): for information', [item({ openCents: 0 })], 'info'],
  ] as [string, ReturnType<typeof item>[], string][])('a client without an e-mail %s', (_, openItems, severity) => {
    const f = audit({ openItems, clients: [client({ emails: [] })] }).filter((x) => x.code === 'client-sans-email');
    expect(f.map((x) => [x.severity, x.value, x.message])).toEqual([[severity, 'C1', 'le client C1 (Client 1) n\'a pas d\'adresse e-mail : ses relances iront par courrier ou téléphone']]);
  });

  it.each([
    ['a payment naming no invoice', payment(0, 50_000, { refs: [], settles: [] }), [item()], [['avertissement', 'reglement-sans-facture', 1, `500,00${E}`]]],
    ['a payment naming an invoice still wholly due, dated on the invoice date', payment(0, 100_000, { refs: ['FA1'], date: '2026-10-01' }), [item()], [['avertissement', 'reglement-facture-ouverte', 1, 'FA1']]],
    ['a payment naming an invoice still wholly due, dated before it (an advance)', payment(0, 100_000, { refs: ['FA1'], date: '2026-09-30' }), [item()], []],
    ['a payment naming an invoice partly paid', payment(0, 40_000, { refs: ['FA1'], date: '2026-10-20' }), [item({ openCents: 60_000 })], []],
    ['a payment naming an invoice no longer open', payment(0, 100_000, { refs: ['FA1'], date: '2026-10-20' }), [item({ ref: 'FA2' })], []],
    ['a payment naming an invoice of 0,00 €', payment(0, 0, { refs: ['FA1'], date: '2026-10-20' }), [item({ openCents: 0, originalCents: 0 })], []],
    ['a payment naming a credit note', payment(0, 100_000, { refs: ['AV1'], date: '2026-10-20' }), [item({ ref: 'AV1', openCents: -100_000, originalCents: -100_000 })], []],
  ] as [string, ReturnType<typeof payment>, ReturnType<typeof item>[], unknown[][]][])('%s', (_, p, openItems, want) => {
    expect(brief(audit({ openItems, payments: [p] })).filter((f) => String(f[1]).startsWith('reglement'))).toEqual(want);
  });

  it('says the payment and the balance line', () => {
    const [f] = audit({ openItems: [item({ source: { file: 'test', line: 7 } })], payments: [payment(0, 100_000, { refs: ['FA1'], date: '2026-10-20' })] });
    expect([f!.message, f!.hint]).toEqual([
      'le règlement du 20/10/2026 désigne la facture « FA1 », encore entièrement due dans la balance (ligne 7)',
      'lettrez le règlement : sans cela le client serait relancé pour une facture payée',
    ]);
  });
});

describe('auditRecords: derived due dates and export ages', () => {
  it.each([
    ['one derived due date', 1, '1 échéance absente du fichier, calculée à partir des conditions de règlement'],
    ['two derived due dates', 2, '2 échéances absentes du fichier, calculées à partir des conditions de règlement'],
  ])('%s: one note per file', (_, n, message) => {
    const openItems = Array.from({ length: n }, (__, k) => item({ ref: `FA${k}`, dueDateDerived: true, source: { file: 'balance.csv', line: k + 2 } }));
    expect(audit({ openItems }).map((f) => [f.severity, f.code, f.file, f.message])).toEqual([['info', 'echeance-calculee', 'balance.csv', message]]);
  });

  it.each([
    ['made 8 days before: stale', '2026-11-08', false, [['avertissement', 'export-ancien', 'l\'export date du 08/11/2026, 8 jours avant la date d\'arrêté du 16/11/2026']]],
    ['last entry 8 days before (a FEC): stale', '2026-11-08', true, [['avertissement', 'export-ancien', 'la dernière écriture date du 08/11/2026, 8 jours avant la date d\'arrêté du 16/11/2026']]],
    ['made 7 days before: still fresh', '2026-11-09', false, []],
    ['made on the as-of date', '2026-11-16', false, []],
    ['made the day after the as-of date', '2026-11-17', false, [['info', 'export-posterieur', 'l\'export date du 17/11/2026, après la date d\'arrêté du 16/11/2026']]],
  ] as [string, string, boolean, string[][]][])('an export %s', (_, exportDate, fec, want) => {
    expect(audit({ exports: [{ file: 'balance.csv', exportDate, fec }] }).map((f) => [f.severity, f.code, f.message])).toEqual(want);
  });

  it('an export of unknown date says nothing; the stale export\'s hint gives the limit', () => {
    expect(audit({ exports: [{ file: 'balance.csv', exportDate: null, fec: false }] })).toEqual([]);
    expect(audit({ exports: [{ file: 'balance.csv', exportDate: '2026-10-01', fec: false }] })[0]!.hint)
      .toBe('ré-exportez les données du jour (au-delà de 7 jours, `relance send` refusera d\'envoyer ; réglable par maxExportAgeDays)');
  });
});

describe('sortFindings', () => {
  it('puts errors first, then by file, line and code', () => {
    const f = (severity: 'erreur' | 'avertissement' | 'info', file: string, line: number | null, code: string) => finding(severity, code, { file, line }, '');
    const sorted = sortFindings([f('info', 'a', 1, 'x'), f('avertissement', 'b', 2, 'y'), f('avertissement', 'b', 2, 'a'), f('avertissement', 'b', 1, 'z'), f('avertissement', 'a', 9, 'z'), f('erreur', 'z', 1, 'z')]);
    expect(sorted.map((x) => [x.severity, x.file, x.line, x.code])).toEqual([
      ['erreur', 'z', 1, 'z'], ['avertissement', 'a', 9, 'z'], ['avertissement', 'b', 1, 'z'], ['avertissement', 'b', 2, 'a'], ['avertissement', 'b', 2, 'y'], ['info', 'a', 1, 'x'],
    ]);
  });
});

describe('warningsBeforeActing', () => {
  const acting = (over: Partial<ActingInput> = {}) =>
    warningsBeforeActing({ asOf: AS_OF, openItems: [item()], clients: [client()], reports: [], unapplied: new Map(), maxExportAgeDays: 7, ...over });
  const ADVICE = 'conseil : relance check sur les mêmes fichiers donne le détail et la correction de chaque point.';

  it.each([
    ['nothing to say', {}, null],
    ['a stale export', { reports: [{ file: 'balance.csv', exportDate: '2026-11-01', format: 'sage' }] }, 'export du 01/11/2026, vieux de 15 jours'],
    ['an export 7 days old is fresh', { reports: [{ file: 'balance.csv', exportDate: '2026-11-09', format: 'sage' }] }, null],
    ['two stale exports of one day', { reports: [{ file: 'b.csv', exportDate: '2026-11-01', format: 'sage' }, { file: 'r.csv', exportDate: '2026-11-01', format: 'sage' }] }, '2 exports du 01/11/2026, vieux de 15 jours'],
    ['two stale exports of two days', { reports: [{ file: 'b.csv', exportDate: '2026-11-03', format: 'sage' }, { file: 'r.csv', exportDate: '2026-11-01', format: 'sage' }] }, '2 exports anciens, le plus vieux du 01/11/2026 (15 jours)'],
    ['two fiscal years: only the latest FEC says how fresh the data is', { reports: [{ file: 'FEC2025.txt', exportDate: '2025-12-31', format: 'fec' }, { file: 'FEC2026.txt', exportDate: '2026-11-10', format: 'fec' }] }, null],
    ['two fiscal years given latest first', { reports: [{ file: 'FEC2026.txt', exportDate: '2026-11-10', format: 'fec' }, { file: 'FEC2025.txt', exportDate: '2025-12-31', format: 'fec' }] }, null],
    ['a stale export beside a fresh one: the stale one only', { reports: [{ file: 'b.csv', exportDate: '2026-11-16', format: 'sage' }, { file: 'r.csv', exportDate: '2026-11-01', format: 'sage' }] }, 'export du 01/11/2026, vieux de 15 jours'],
    ['a fresh export with another finding on it is not stale', {
      openItems: [item({ docDate: null, dueDate: null, source: { file: 'b.csv', line: 2 } })], reports: [{ file: 'b.csv', exportDate: '2026-11-16', format: 'sage' }],
    }, null],
    ['a stale FEC', { reports: [{ file: 'FEC2025.txt', exportDate: '2025-12-31', format: 'fec' }, { file: 'FEC2026.txt', exportDate: '2026-11-06', format: 'fec' }] }, 'dernière écriture le 06/11/2026, il y a 10 jours'],
    ['a client who owes without an e-mail', { clients: [client({ emails: [] })] }, '1 client sans e-mail : C1'],
    ['a client who owes nothing without an e-mail', { openItems: [], clients: [client({ emails: [] })] }, null],
    ['three clients without an e-mail', {
      openItems: ['C1', 'C2', 'C3'].map((c) => item({ clientCode: c, ref: `F${c}` })), clients: ['C1', 'C2', 'C3'].map((c) => client({ clientCode: c, emails: [] })),
    }, '3 clients sans e-mail : C1, C2, C3'],
    ['four clients without an e-mail', {
      openItems: ['C1', 'C2', 'C3', 'C4'].map((c) => item({ clientCode: c, ref: `F${c}` })), clients: ['C1', 'C2', 'C3', 'C4'].map((c) => client({ clientCode: c, emails: [] })),
    }, '4 clients sans e-mail : C1, C2, C3 et 1 autre'],
    ['a credit in the balance while the client owes', { openItems: [item(), item({ ref: 'AV1', openCents: -30_000, originalCents: -30_000 })] }, `1 client a des règlements ou avoirs non imputés (C1 300,00${E})`],
    ['unapplied payments of two clients, the largest first', { unapplied: new Map([['C1', { count: 1, cents: 10_000 }], ['C2', { count: 2, cents: 50_000 }]]) }, `2 clients ont des règlements ou avoirs non imputés (C2 500,00${E}, C1 100,00${E})`],
    ['a payments file from another company', { findings: [finding('avertissement', 'reglements-autre-societe', { file: 'reglements.csv' }, '')] }, 'reglements.csv semble venir d\'une autre société'],
  ] as [string, Partial<ActingInput>, string | null][])('%s', (_, over, said) => {
    expect(acting(over)).toEqual(said === null ? [] : [`attention : ${said}.`, ADVICE]);
  });
});

describe('identityGaps', () => {
  const gaps = (over: Partial<Parameters<typeof identityGaps>[0]> = {}) =>
    identityGaps({ company: { name: 'Dupont SARL', siren: '123456789', address: ['1 rue de la Paix', '75002 Paris'] }, from: 'Dupont <compta@dupont.example>', needsLegal: true, ...over }).map((g) => [g.key, g.message]);
  it.each([
    ['complete', {}, []],
    ['the placeholder name', { company: { name: 'Votre société', siren: '1', address: ['x'] } }, [['company.name', 'le nom de la société est encore « Votre société »']]],
    ['an empty name', { company: { name: '  ', siren: '1', address: ['x'] } }, [['company.name', 'le nom de la société est vide']]],
    ['no SIREN nor address, needed', { company: { name: 'Dupont', address: [' '] } }, [
      ['company.siren', 'le SIREN manque (il figure sur les relances à partir de l\'escalade)'], ['company.address', 'l\'adresse postale manque (elle figure sur les relances à partir de l\'escalade)'],
    ]],
    ['no SIREN nor address, not needed', { company: { name: 'Dupont', address: [] }, needsLegal: false }, []],
    ['no sender', { from: undefined }, [['mail.from', 'l\'expéditeur des e-mails n\'est pas configuré']]],
    ['a sender without a domain', { from: 'compta@dupont' }, [['mail.from', 'l\'expéditeur « compta@dupont » n\'est pas une adresse e-mail valide']]],
    ['a bare address', { from: 'compta@dupont.example' }, []],
  ] as [string, Partial<Parameters<typeof identityGaps>[0]>, string[][]][])('%s', (_, over, want) => {
    expect(gaps(over)).toEqual(want);
  });
});
