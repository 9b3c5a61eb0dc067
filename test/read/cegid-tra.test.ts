import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openItemsAt, paymentsAt } from '../../src/core/ledger.js';
import { readCegidTra } from '../../src/read/cegid-tra.js';
import { detectFormat } from '../../src/read/formats.js';
import type { LedgerSettings } from '../../src/read/ledger-lines.js';
import { runCli } from '../helpers.js';

const SETTINGS: LedgerSettings = { customerAccounts: ['411'], openingJournals: [] };
const HEADER = '***S5EXPJRLSTD'.padEnd(222, ' ');

interface TraLine {
  journal?: string; date?: string; nature?: string; general: string; type?: string; aux?: string; ref?: string; label?: string;
  mode?: string; due?: string; sens: string; amount: string; piece?: string;
}

/** One 222-character TRA line (0-based offsets of the S5 standard layout). */
function tra(l: TraLine): string {
  const c = Array(222).fill(' ');
  const put = (at: number, width: number, text: string, right = false): void => {
    const v = right ? text.padStart(width, ' ') : text.padEnd(width, ' ');
    for (let k = 0; k < width; k++) c[at + k] = v[k];
  };
  put(0, 3, l.journal ?? 'VTE'); put(3, 8, l.date ?? '01022026'); put(11, 2, l.nature ?? 'FC'); put(13, 17, l.general);
  put(30, 1, l.type ?? (l.aux ? 'X' : ' ')); put(31, 17, l.aux ?? ''); put(48, 35, l.ref ?? ''); put(83, 35, l.label ?? '');
  put(118, 3, l.mode ?? ''); put(121, 8, l.due ?? ''); put(129, 1, l.sens); put(130, 20, l.amount, true); put(150, 1, 'N');
  put(151, 8, l.piece ?? ''); put(159, 3, 'EUR'); put(172, 3, 'E--');
  return c.join('');
}

const write = (lines: string[], header = HEADER): string => {
  const dir = mkdtempSync(join(tmpdir(), 'relance-tra-'));
  const file = join(dir, 'ecritures.tra');
  writeFileSync(file, Buffer.from([header, ...lines].join('\r\n') + '\r\n', 'latin1'));
  return file;
};
const read = (lines: string[]) => readCegidTra(write(lines), null, SETTINGS, tmpdir());

const invoice = (piece: string, ref: string, amount: string, due = '31032026', date = '01022026'): string[] => [
  tra({ date, general: '411000', aux: 'CTRABOU', ref, sens: 'D', amount, due, piece }),
  tra({ date, general: '706000', ref, sens: 'C', amount, piece }),
];
const bankPayment = (piece: string, ref: string, amount: string, aux = 'CTRABOU', date = '10032026'): string[] => [
  tra({ journal: 'BQ1', date, nature: 'RC', general: '512000', ref, sens: 'D', amount, piece }),
  tra({ journal: 'BQ1', date, nature: 'RC', general: '411000', aux, ref, mode: 'VIR', sens: 'C', amount, piece }),
];

describe('readCegidTra: the fields of a line', () => {
  it('reads the customer lines at their offsets: auxiliary, RefInterne, due date, mode, sens, amount', async () => {
    const f = await read([...invoice('12', 'FA2026-0001', '1234,56'), ...bankPayment('13', 'FA2026-0001', '1234,56')]);
    expect(f.findings).toEqual([]);
    expect(f.lines.map(({ file, ...l }) => l)).toEqual([
      { client: 'CTRABOU', clientName: '', journal: 'VTE', ref: 'FA2026-0001', docDate: '2026-02-01', date: '2026-02-01', cents: 123456,
        group: 'CTRABOU\u0001=FA2026-0001', letDate: null, dueDate: '2026-03-31', opening: false, payment: false, mode: null, line: 2 },
      { client: 'CTRABOU', clientName: '', journal: 'BQ1', ref: 'FA2026-0001', docDate: '2026-03-10', date: '2026-03-10', cents: -123456,
        group: 'CTRABOU\u0001=FA2026-0001', letDate: null, dueDate: null, opening: false, payment: true, mode: 'VIR', line: 5 },
    ]);
    expect(f.report).toMatchObject({ formatLabel: 'Cegid TRA', delimiter: 'largeur fixe', lineEnding: 'CRLF', headerLine: 1, records: 2, lines: 5,
      exportDate: '2026-03-10', encoding: 'windows-1252' });
    expect(f.report.columns.find((c) => c.field === 'dueDate')).toEqual({ index: 121, header: 'position 122-129 (échéance)', field: 'dueDate' });
  });

  it('takes the piece number when RefInterne is blank, the general account without an auxiliary, skips analytic lines and reads ANO as opening', async () => {
    const f = await read([
      tra({ journal: 'ANO', date: '14112025', nature: 'OD', general: '411000', aux: 'CTILLEU', ref: 'FA2025-0017', sens: 'D', amount: '5280,00', due: '13012026', piece: '1' }),
      tra({ journal: 'ANO', date: '01012026', nature: 'OD', general: '512000', sens: 'C', amount: '5280,00', piece: '1' }),
      tra({ date: '02022026', general: '411000', sens: 'D', amount: '10,00', due: '04032026', piece: '77' }),
      tra({ date: '02022026', general: '706000', sens: 'C', amount: '10,00', piece: '77' }),
      tra({ date: '02022026', general: '706000', type: 'A', aux: 'AXE1', sens: 'C', amount: '10,00', piece: '77' }),
    ]);
    expect(f.findings).toEqual([]);
    expect(f.lines.map((l) => [l.client, l.ref, l.opening, l.docDate, l.dueDate])).toEqual([
      ['CTILLEU', 'FA2025-0017', true, '2025-11-14', '2026-01-13'],
      ['411000', '77', false, '2026-02-02', '2026-03-04'],
    ]);
    expect(f.report.skipped).toEqual({ 'hors comptes clients': 2, 'à-nouveaux (toutes lignes)': 2, 'lignes analytiques': 1 });
  });

  it('tolerates lines right-trimmed after the type d\'écriture, and LF line ends', async () => {
    const file = write([]);
    const short = (l: TraLine) => tra(l).slice(0, 151);
    writeFileSync(file, [HEADER, short({ general: '411000', aux: 'CMORELE', ref: 'FA-12', sens: 'D', amount: '250,50', due: '04042026' }),
      short({ general: '706000', ref: 'FA-12', sens: 'C', amount: '250,50' })].join('\n') + '\n');
    const f = await readCegidTra(file, null, SETTINGS, tmpdir());
    expect(f.findings).toEqual([]);
    expect(f.lines.map((l) => [l.client, l.ref, l.cents, l.dueDate])).toEqual([['CMORELE', 'FA-12', 25050, '2026-04-04']]);
    expect(f.report.lineEnding).toBe('LF');
  });

  it('is detected from its header', () => {
    expect(detectFormat(Buffer.from(`${HEADER}\r\n${invoice('1', 'FA1', '1,00')[0]}\r\n`))).toBe('cegid-tra');
  });

  it('refuses a TRA header other than the standard one', async () => {
    const file = write(invoice('1', 'FA1', '1,00'), '***S5EXPJRLETE'.padEnd(222, ' '));
    await expect(readCegidTra(file, null, SETTINGS, tmpdir())).rejects.toThrow(
      `${file}, ligne 1 : l'en-tête « ***S5EXPJRLETE » n'est pas celui d'un export Cegid TRA standard (***S5EXPJRLSTD).`,
    );
  });
});

describe('readCegidTra: lettering by reference', () => {
  it.each([
    ['paid in full: nothing open', [...invoice('1', 'FA1', '100,00'), ...bankPayment('2', 'FA1', '100,00')], []],
    ['partly paid: the rest stays open', [...invoice('1', 'FA1', '100,00'), ...bankPayment('2', 'FA1', '40,00')], [['FA1', 10000, 6000]]],
    ['a payment naming no invoice stays alone, unapplied', [...invoice('1', 'FA1', '100,00'), ...bankPayment('2', 'RG9', '50,00')],
      [['FA1', 10000, 10000], ['RG9', -5000, -5000]]],
    ['a credit note carrying the invoice number settles it', [...invoice('1', 'FA1', '100,00'),
      tra({ date: '15022026', nature: 'AC', general: '706000', ref: 'FA1', sens: 'D', amount: '30,00', piece: '3' }),
      tra({ date: '15022026', nature: 'AC', general: '411000', aux: 'CTRABOU', ref: 'FA1', sens: 'C', amount: '30,00', piece: '3' })], [['FA1', 10000, 7000]]],
  ])('%s', async (_name, lines, open) => {
    const f = await read(lines);
    expect(f.findings).toEqual([]);
    expect(openItemsAt(f.lines, '2026-11-16').map((i) => [i.ref, i.originalCents, i.openCents])).toEqual(open);
  });

  it('gives each payment line the invoice it names, its mode, and is not fooled by a credit note', async () => {
    const f = await read([...invoice('1', 'FA1', '100,00'), ...bankPayment('2', 'FA1', '60,00'),
      tra({ date: '15022026', nature: 'AC', general: '706000', ref: 'FA1', sens: 'D', amount: '40,00', piece: '3' }),
      tra({ date: '15022026', nature: 'AC', general: '411000', aux: 'CTRABOU', ref: 'FA1', sens: 'C', amount: '40,00', piece: '3' })]);
    expect(paymentsAt(f.lines, '2026-11-16').map((p) => [p.amountCents, p.refs, p.mode])).toEqual([[6000, ['FA1'], 'VIR']]);
    expect(openItemsAt(f.lines, '2026-11-16')).toEqual([]);
  });
});

describe('readCegidTra: broken lines', () => {
  const good = (patch: Partial<TraLine>) => tra({ general: '411000', aux: 'CTRABOU', ref: 'FA1', sens: 'D', amount: '100,00', due: '31032026', piece: '1', ...patch });
  it.each([
    ['a bad sens', good({ sens: 'X' }), { column: 'position 130 (sens)', value: 'X', message: 'sens illisible « X » : D (débit) ou C (crédit) attendu' }],
    ['an unreadable amount', good({ amount: '1OO,00' }), { column: 'position 131-150 (montant)', value: '1OO,00', message: 'montant illisible « 1OO,00 »' }],
    ['an impossible date', good({ date: '30022026' }), { column: 'position 4-11 (date)', value: '30022026', message: "date impossible « 30022026 » (février 2026 n'a que 28 jours)" }],
    ['an impossible due date', good({ due: '01132026' }), { column: 'position 122-129 (échéance)', value: '01132026', message: "date impossible « 01132026 » (il n'y a que 12 mois, pas de mois 13)" }],
    ['a short line', good({}).slice(0, 130), { column: null, value: null, message: "la ligne n'a que 130 caractères, il en faut au moins 151 (jusqu'au type d'écriture, position 151)" }],
  ])('reports %s with its line, field and value', async (_name, line, want) => {
    const f = await read([line]);
    expect(f.findings.map(({ line, column, value, message, severity }) => ({ line, column, value, message, severity }))).toEqual([{ ...want, line: 2, severity: 'erreur' }]);
  });

  it('rejects the whole file in plan, naming the line and the field', async () => {
    const file = write([...invoice('1', 'FA1', '100,00'), tra({ general: '411000', aux: 'CTRABOU', ref: 'FA2', sens: 'D', amount: '1OO,00', piece: '2' })]);
    const r = await runCli(['plan', '--ledger', file, '--as-of', '2026-11-16']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `relance: erreur : ${file}, ligne 4, colonne « position 131-150 (montant) » : montant illisible « 1OO,00 ». Le fichier est rejeté en entier.\n` +
        'conseil : les montants sont lus comme 1 234,56 / 1234.56 / -1 234,56 / 1 234,56- / (1 234,56), avec ou sans « € » ou « EUR » ; corrigez la valeur dans le logiciel et ré-exportez\n',
    );
  });
});
