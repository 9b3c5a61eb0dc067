import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openItemsAt } from '../../src/core/ledger.js';
import { detectFormat } from '../../src/read/formats.js';
import { readQuadra } from '../../src/read/quadra.js';
import { runCli } from '../helpers.js';

const SETTINGS = { customerAccounts: ['411'], openingJournals: [] };

interface M {
  account: string;
  journal?: string;
  journal3?: string;
  date?: string;
  label?: string;
  sens?: string;
  amount?: string;
  due?: string;
  letter?: string;
  piece5?: string;
  piece8?: string;
  piece10?: string;
}

const pad = (s: string, n: number): string => s.padEnd(n).slice(0, n);
const cents = (c: number): string => `+${String(c).padStart(12, '0')}`;

/** An M line as Quadra writes it, 158 characters, the fields at their positions. */
function m(f: M): string {
  return (
    'M' + pad(f.account, 8) + pad(f.journal ?? '', 2) + '000' + (f.date ?? '150126') + ' ' + pad(f.label ?? 'Libellé', 20) +
    (f.sens ?? 'D') + (f.amount ?? cents(120000)) + ' '.repeat(8) + (f.due ?? '000000') + pad(f.letter ?? '', 2) + '   ' +
    pad(f.piece5 ?? '', 5) + ' '.repeat(20) + pad(f.piece8 ?? '', 8) + 'EUR' + pad(f.journal3 ?? '', 3) + '   ' +
    pad(f.label ?? 'Libellé', 30) + '  ' + pad(f.piece10 ?? '', 10)
  );
}

/** A C line (Dolibarr's layout): account, label, collectif at 99, type at 218. */
function c(account: string, label: string, collectif: string, type: string): string {
  return 'C' + pad(account, 8) + pad(label, 30) + ' '.repeat(59) + pad(collectif, 8) + ' '.repeat(110) + '2' + type;
}

function write(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'relance-quadra-'));
  const file = join(dir, 'ecritures.txt');
  writeFileSync(file, Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1'));
  return file;
}

const read = async (lines: string[]) => {
  const file = write(lines);
  return { file, ...(await readQuadra(file, null, SETTINGS, '/')) };
};

const DUPONT = c('CDUPONT', 'Dupont Électricité', '41100000', 'C');

describe('the Quadra ASCII reader', () => {
  it('reads an invoice with its due date and lettering, on the tiers account a C line names', async () => {
    const r = await read([DUPONT, m({ account: 'CDUPONT', journal: 'VT', journal3: 'VT', due: '140226', letter: 'AB', piece10: 'FA26-0001' }), m({ account: '70600000', journal: 'VT', journal3: 'VT', sens: 'C', piece10: 'FA26-0001' })]);
    expect(r.findings).toEqual([]);
    expect(r.lines).toEqual([{
      client: 'CDUPONT', clientName: 'Dupont Électricité', journal: 'VT', ref: 'FA26-0001', docDate: '2026-01-15', date: '2026-01-15',
      cents: 120000, group: 'CDUPONT\u0001AB', letDate: null, dueDate: '2026-02-14', opening: false, payment: false, mode: null, file: r.file, line: 2,
    }]);
    expect(r.clients!.map((x) => [x.clientCode, x.clientName, x.source.line])).toEqual([['CDUPONT', 'Dupont Électricité', 1]]);
    expect(r.report).toMatchObject({ formatLabel: 'Quadra ASCII', delimiter: 'largeur fixe', headerLine: 0, lineEnding: 'CRLF', records: 1, lines: 3, exportDate: '2026-01-15' });
    expect(r.report.skipped).toEqual({ 'hors comptes clients': 1, 'à-nouveaux (toutes lignes)': 0, 'lignes C (comptes)': 1, 'lignes I (analytique)': 0, "lignes d'autres types": 0 });
  });

  it.each([
    ['a bank line in the same journal, date and piece', '51200000', true],
    ['no bank line (an OD against another account)', '66500000', false],
  ])('takes a customer credit as a payment when its entry has %s', async (_what, other, payment) => {
    const r = await read([
      DUPONT,
      m({ account: 'CDUPONT', journal: 'BQ', date: '200226', sens: 'C', amount: cents(50000), piece10: 'RG26-0001' }),
      m({ account: 'CDUPONT', journal: 'BQ', date: '210226', sens: 'C', amount: cents(100), piece10: 'RG26-0001' }), // another day: another entry
      m({ account: other, journal: 'BQ', date: '200226', sens: 'D', amount: cents(50000), piece10: 'RG26-0001' }),
    ]);
    expect(r.lines.map((l) => [l.cents, l.payment])).toEqual([[-50000, payment], [-100, false]]);
  });

  it('nets a partial lettering: a 6 000,00 € invoice and its 2 500,00 € payment lettered together leave 3 500,00 € open', async () => {
    const r = await read([
      DUPONT,
      m({ account: 'CDUPONT', journal: 'VT', date: '150726', amount: cents(600000), due: '130926', letter: 'AC', piece10: 'FA26-0027' }),
      m({ account: 'CDUPONT', journal: 'BQ', date: '021026', sens: 'C', amount: cents(250000), letter: 'AC', piece10: 'RG26-0024' }),
      m({ account: '51200000', journal: 'BQ', date: '021026', amount: cents(250000), piece10: 'RG26-0024' }),
    ]);
    expect(openItemsAt(r.lines, '2026-11-16').map((i) => [i.ref, i.originalCents, i.openCents, i.dueDate])).toEqual([['FA26-0027', 600000, 350000, '2026-09-13']]);
  });

  it('knows a customer by its C line (type C, or a 411 collectif), wherever the C line is, and guesses nothing without one', async () => {
    const r = await read([
      m({ account: 'CMARTIN', piece10: 'FA1' }), // its C line comes after it
      m({ account: 'CLEROY', piece10: 'FA2' }),
      m({ account: 'FLEDPRO', sens: 'C', piece10: 'FF1' }),
      m({ account: 'XINCONN', piece10: 'FA3' }),
      m({ account: 'XINCONN', piece10: 'FA4' }),
      m({ account: '41100000', piece10: 'FA5' }), // a general customer account needs no C line
      c('CMARTIN', 'Martin SARL', '', 'C'),
      c('CLEROY', 'Leroy & Fils', '41100000', ' '),
      c('FLEDPRO', 'LED Pro Distribution', '40100000', 'F'),
    ]);
    expect(r.lines.map((l) => [l.client, l.clientName, l.ref, l.line])).toEqual([
      ['CMARTIN', 'Martin SARL', 'FA1', 1], ['CLEROY', 'Leroy & Fils', 'FA2', 2], ['41100000', '', 'FA5', 6],
    ]);
    expect(r.clients!.map((x) => x.clientCode)).toEqual(['CMARTIN', 'CLEROY']);
    expect(r.findings).toEqual([{
      severity: 'avertissement', code: 'compte-tiers-inconnu', file: r.file, line: 4, column: 'positions 2-9 (compte)', value: 'XINCONN',
      message: 'aucune ligne C ne décrit le compte de tiers « XINCONN » : ses 2 lignes ne sont pas lues comme lignes clients',
      hint: "exportez les comptes (lignes C) avec les écritures depuis Quadra ; si c'est un compte client, ajoutez son préfixe à fec.customerAccounts dans relance.yaml",
    }]);
  });

  it('reads the journal on 3 characters at 111 (10-11 blank), and an opening journal there', async () => {
    const r = await read([
      DUPONT,
      m({ account: 'CDUPONT', journal3: 'VTE', piece10: 'FA26-0002' }),
      m({ account: 'CDUPONT', journal3: 'RAN', date: '141125', due: '130126', piece10: 'FA25-0017' }),
    ]);
    expect(r.lines.map((l) => [l.journal, l.opening, l.docDate])).toEqual([['VTE', false, '2026-01-15'], ['RAN', true, '2025-11-14']]);
    expect(r.firstDate).toBe('2026-01-15'); // the opening line's piece date is not the period
    expect(r.report.skipped['à-nouveaux (toutes lignes)']).toBe(1);
  });

  it.each([
    ['the 5-character piece at 75', { piece5: '12345' }, '12345'],
    ['the 8-character piece at 100', { piece5: '12345', piece8: 'FA260003' }, 'FA260003'],
    ['the 10-character piece at 149 first', { piece5: '12345', piece8: 'FA260003', piece10: 'FA26-0003' }, 'FA26-0003'],
  ])('takes the reference from %s', async (_what, pieces, ref) => {
    const r = await read([DUPONT, m({ account: 'CDUPONT', journal: 'VT', ...pieces })]);
    expect(r.lines.map((l) => l.ref)).toEqual([ref]);
  });

  it('tolerates a line cut after the amount (trailing blanks dropped), lowercase sense and LF line ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-quadra-'));
    const file = join(dir, 'court.txt');
    writeFileSync(file, `${DUPONT}\n${m({ account: 'CDUPONT', journal: 'VT', sens: 'd', piece10: 'FA1' })}\n${m({ account: 'CDUPONT', journal: 'VT' }).slice(0, 55)}\n`);
    const r = await readQuadra(file, null, SETTINGS, '/');
    expect(r.findings).toEqual([]);
    expect(r.lines.map((l) => [l.cents, l.ref, l.dueDate, l.group])).toEqual([[120000, 'FA1', null, ''], [120000, '', null, '']]);
    expect(r.report.lineEnding).toBe('LF');
  });

  it('is recognised from its content, even when a line is broken', () => {
    const good = m({ account: 'CDUPONT', journal: 'VT' });
    expect(detectFormat(Buffer.from([DUPONT, good, m({ account: 'CDUPONT', sens: 'X' })].join('\r\n')))).toBe('quadra');
    expect(detectFormat(Buffer.from([DUPONT, `${good};`].join('\r\n')))).toBe('tabular');
  });
});

describe('a broken Quadra line rejects the file whole', () => {
  const HINT = 'conseil : ré-exportez les écritures depuis Quadra (Outils > Export ASCII) : le fichier semble tronqué ou modifié à la main\n';
  it.each([
    ['a sense that is neither D nor C', { sens: 'X' }, 'colonne « position 42 (sens) » : sens illisible « X » : D (débit) ou C (crédit) attendu', HINT],
    ['an amount with a letter', { amount: '+0000001200O0' }, "colonne « positions 43-55 (montant) » : montant illisible « +0000001200O0 » : Quadra l'écrit en centimes, un signe (+, - ou espace) puis 12 chiffres", HINT],
    ['an impossible due date', { due: '310226' }, "colonne « positions 64-69 (échéance) » : date impossible « 310226 » (février 2026 n'a que 28 jours)",
      "conseil : cette date n'existe pas au calendrier : corrigez-la dans le logiciel et ré-exportez\n"],
    ['a due date that is not JJMMAA', { due: '31-02 ' }, "colonne « positions 64-69 (échéance) » : « 31-02 » n'est pas une date JJMMAA",
      "conseil : Quadra écrit les dates sur 6 chiffres, jour, mois, année (160126 pour le 16/01/2026) : corrigez l'écriture dans Quadra et ré-exportez\n"],
  ])('%s', async (_what, fields, where, hint) => {
    const file = write([DUPONT, m({ account: 'CDUPONT', journal: 'VT', piece10: 'FA1' }), m({ account: 'CDUPONT', journal: 'VT', piece10: 'FA2', ...fields })]);
    const r = await runCli(['plan', '--ledger', file, '--as-of', '2026-11-16']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`relance: erreur : ${file}, ligne 3, ${where}. Le fichier est rejeté en entier.\n${hint}`);
  });

  it('a line shorter than the amount, with the others: each error on its line', async () => {
    const file = write([DUPONT, m({ account: 'CDUPONT', journal: 'VT', piece10: 'FA1' }), m({ account: 'CDUPONT', journal: 'VT' }).slice(0, 40), m({ account: 'CDUPONT', sens: 'X' })]);
    const r = await runCli(['plan', '--ledger', file, '--as-of', '2026-11-16']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `relance: erreur : ${file} : 2 erreurs, le fichier est rejeté en entier :\n` +
        "  - ligne 3, colonne « longueur de ligne » : la ligne M n'a que 40 caractères : il en faut au moins 55 pour aller jusqu'au montant (positions 43-55)\n" +
        '  - ligne 4, colonne « position 42 (sens) » : sens illisible « X » : D (débit) ou C (crédit) attendu\n' +
        HINT,
    );
  });
});
