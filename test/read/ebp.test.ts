import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openItemsAt, paymentsAt } from '../../src/core/ledger.js';
import { readEbp } from '../../src/read/ebp.js';
import { detectFormat } from '../../src/read/formats.js';
import type { LedgerSettings } from '../../src/read/ledger-lines.js';
import { runCli } from '../helpers.js';

const SETTINGS: LedgerSettings = { customerAccounts: ['411'], openingJournals: [] };

/** One EBP ASCII line, OpenFlyers' layout. */
const ebp = (flow: number, date: string, journal: string, account: string, label: string, piece: string, amount: string, sens: string, last: string): string =>
  `${String(flow).padStart(5, ' ')},${date},${journal},${account.padEnd(15, ' ')},,"${label.padEnd(40, ' ')}","${piece.padEnd(15, ' ')}",${amount},${sens},${last},`;

const write = (lines: string[]): string => {
  const dir = mkdtempSync(join(tmpdir(), 'relance-ebp-'));
  const file = join(dir, 'ecritures.txt');
  writeFileSync(file, Buffer.from(lines.join('\r\n') + '\r\n', 'latin1'));
  return file;
};
const read = (lines: string[]) => readEbp(write(lines), null, SETTINGS, tmpdir());

// An invoice of 120,00 € to CTRABOU, due 31/03/2026, and its entry's other lines.
const invoice = (flow: number, piece: string, cents: string, date = '01022026', due = '31032026', account = '411CTRABOU'): string[] => [
  ebp(flow, date, 'VT', account, `Facture ${piece}`, piece, cents, 'D', due),
  ebp(flow, date, 'VT', '706000', `Facture ${piece}`, piece, cents, 'C', date),
];
const bankPayment = (flow: number, piece: string, cents: string, date = '10032026', account = '411CTRABOU'): string[] => [
  ebp(flow, date, 'BQ', '512000', `Règlement ${piece}`, piece, cents, 'D', date),
  ebp(flow, date, 'BQ', account, `Règlement ${piece}`, piece, cents, 'C', date),
];

describe('readEbp: the fields of a line', () => {
  it('reads client, journal, piece, dates, amount and sens of the customer lines only', async () => {
    const f = await read([...invoice(67, 'FA2026-0001', '0000000120.00'), ...bankPayment(68, 'FA2026-0001', '0000000120.00')]);
    expect(f.findings).toEqual([]);
    expect(f.lines.map(({ file, ...l }) => l)).toEqual([
      { client: 'CTRABOU', clientName: '', journal: 'VT', ref: 'FA2026-0001', docDate: '2026-02-01', date: '2026-02-01', cents: 12000,
        group: 'CTRABOU\u0001=FA2026-0001', letDate: null, dueDate: '2026-03-31', opening: false, payment: false, mode: null, line: 1 },
      { client: 'CTRABOU', clientName: '', journal: 'BQ', ref: 'FA2026-0001', docDate: '2026-03-10', date: '2026-03-10', cents: -12000,
        group: 'CTRABOU\u0001=FA2026-0001', letDate: null, dueDate: '2026-03-10', opening: false, payment: true, mode: null, line: 4 },
    ]);
    expect(f.report).toMatchObject({ formatLabel: 'export EBP (ASCII)', delimiter: 'virgule', lineEnding: 'CRLF', headerLine: 0, records: 2, lines: 4,
      exportDate: '2026-03-10', skipped: { 'hors comptes clients': 2, 'à-nouveaux (toutes lignes)': 0 } });
    expect(f.report.encoding).toBe('cp850');
  });

  it.each([
    ['411CTRABOU', 'CTRABOU'],
    ['411000', '411000'],
    ['4110042', '4110042'],
    ['411c_lower', 'c_lower'],
  ])('account %s is client %s', async (account, client) => {
    const f = await read(invoice(1, 'FA1', '0000000010.00', '01022026', '31032026', account));
    expect(f.lines.map((l) => l.client)).toEqual([client]);
  });

  it('takes the movement number as the ref when the piece is blank, and reads the AN journal as opening with its piece date', async () => {
    const f = await read([
      ebp(1, '14112025', 'AN', '411CTILLEU', 'Report à nouveau FA2025-0017', 'FA2025-0017', '0000005280.00', 'D', '13012026'),
      ebp(1, '01012026', 'AN', '512000', 'Report à nouveau', 'AN', '0000005280.00', 'C', '01012026'),
      ebp(7, '02022026', 'OD', '411CTILLEU', 'Frais', '', '0000000010.00', 'D', '04032026'),
      ebp(7, '02022026', 'OD', '708000', 'Frais', '', '0000000010.00', 'C', '02022026'),
    ]);
    expect(f.lines.map((l) => [l.ref, l.opening, l.docDate, l.dueDate])).toEqual([
      ['FA2025-0017', true, '2025-11-14', '2026-01-13'],
      ['7', false, '2026-02-02', '2026-03-04'],
    ]);
    expect(f.firstDate).toBe('2026-02-02'); // opening lines do not open the period
  });

  it("tolerates Dolibarr's layout (no empty field), a comma decimal, a quoted comma, lowercase sens, LF and no trailing field", async () => {
    const file = write([]);
    writeFileSync(file, '12,05032026,VT,411CMORELE,"Facture 12, lot B","FA-12",250,50,d,04042026\n12,05032026,VT,706000,"Facture 12, lot B","FA-12",250,50,c,05032026\n');
    const f = await readEbp(file, null, SETTINGS, tmpdir());
    expect(f.findings).toEqual([]);
    expect(f.lines.map((l) => [l.client, l.ref, l.cents, l.dueDate])).toEqual([['CMORELE', 'FA-12', 25050, '2026-04-04']]);
    expect(f.report.lineEnding).toBe('LF');
  });

  it.each([
    ['cp850', Buffer.from([0x82]), 'cp850', "pas de l'UTF-8 (octet 0x82 ligne 1) ; lu en CP850, l'encodage des exports EBP"],
    ['UTF-8', Buffer.from('é', 'utf8'), 'utf-8', 'UTF-8 valide sans BOM'],
  ])('decodes a %s file as its bytes say, CP850 by default', async (_name, accent, encoding, reason) => {
    const file = write([]);
    const [a, b] = invoice(1, 'FA1', '0000000100.00');
    const at = a!.indexOf('Facture') + 6; // « Facturé » in the label
    writeFileSync(file, Buffer.concat([Buffer.from(a!.slice(0, at)), accent, Buffer.from(`${a!.slice(at + 1)}\r\n${b}\r\n`)]));
    const f = await readEbp(file, null, SETTINGS, tmpdir());
    expect([f.report.encoding, f.report.encodingReason, f.findings]).toEqual([encoding, reason, []]);
  });

  it('is detected from its content, in both layouts', () => {
    const a = ebp(67, '01012014', 'VT', '411000', 'Pilote CHRISTIAN', '', '0000000099.00', 'D', '01012014');
    expect(detectFormat(Buffer.from(`${a}\r\n${a}\r\n`))).toBe('ebp');
    expect(detectFormat(Buffer.from('12,05032026,VT,411CMORELE,"Facture 12, lot B","FA-12",250,50,D,04042026\n'))).toBe('ebp');
  });
});

describe('readEbp: payments and lettering by reference', () => {
  it('marks as payment a customer credit whose entry moves a bank account, not a credit note', async () => {
    const f = await read([
      ...invoice(1, 'FA1', '0000000100.00'),
      ...bankPayment(2, 'FA1', '0000000040.00'),
      ebp(3, '15022026', 'VT', '706000', 'Avoir AV1', 'FA1', '0000000010.00', 'D', '15022026'),
      ebp(3, '15022026', 'VT', '411CTRABOU', 'Avoir AV1', 'FA1', '0000000010.00', 'C', '15022026'),
    ]);
    expect(f.lines.map((l) => [l.journal, l.cents, l.payment])).toEqual([['VT', 10000, false], ['BQ', -4000, true], ['VT', -1000, false]]);
  });

  it.each([
    ['paid in full: nothing open', [...invoice(1, 'FA1', '0000000100.00'), ...bankPayment(2, 'FA1', '0000000100.00')], []],
    ['partly paid: the rest of the invoice stays open', [...invoice(1, 'FA1', '0000000100.00'), ...bankPayment(2, 'FA1', '0000000040.00')], [['FA1', 10000, 6000]]],
    ['a payment naming no invoice stays alone, unapplied', [...invoice(1, 'FA1', '0000000100.00'), ...bankPayment(2, 'RG9', '0000000050.00')],
      [['FA1', 10000, 10000], ['RG9', -5000, -5000]]],
    ['the same number at another client is another group', [...invoice(1, 'FA1', '0000000100.00'), ...bankPayment(2, 'FA1', '0000000100.00', '10032026', '411CMORELE')],
      [['FA1', -10000, -10000], ['FA1', 10000, 10000]]],
    ['known limit: two documents of one client sharing a number are netted together', [...invoice(1, 'FA1', '0000000100.00'),
      ebp(2, '15022026', 'VT', '706000', 'Avoir', 'FA1', '0000000040.00', 'D', '15022026'),
      ebp(2, '15022026', 'VT', '411CTRABOU', 'Avoir', 'FA1', '0000000040.00', 'C', '15022026')], [['FA1', 10000, 6000]]],
    ['a payment of two invoices, one line per invoice', [...invoice(1, 'FA1', '0000000100.00'), ...invoice(2, 'FA2', '0000000030.00'),
      ebp(3, '10032026', 'BQ', '512000', 'Règlement', 'RG1', '0000000130.00', 'D', '10032026'),
      ebp(3, '10032026', 'BQ', '411CTRABOU', 'Règlement', 'FA1', '0000000100.00', 'C', '10032026'),
      ebp(3, '10032026', 'BQ', '411CTRABOU', 'Règlement', 'FA2', '0000000030.00', 'C', '10032026')], []],
  ])('%s', async (_name, lines, open) => {
    const f = await read(lines);
    expect(f.findings).toEqual([]);
    const items = openItemsAt(f.lines, '2026-11-16');
    expect(items.map((i) => [i.ref, i.originalCents, i.openCents])).toEqual(open);
  });

  it('ties each payment line to the invoice it names (the payer history)', async () => {
    const f = await read([...invoice(1, 'FA1', '0000000100.00'), ...invoice(2, 'FA2', '0000000030.00'),
      ebp(3, '10032026', 'BQ', '512000', 'Règlement', 'RG1', '0000000130.00', 'D', '10032026'),
      ebp(3, '10032026', 'BQ', '411CTRABOU', 'Règlement', 'FA1', '0000000100.00', 'C', '10032026'),
      ebp(3, '10032026', 'BQ', '411CTRABOU', 'Règlement', 'FA2', '0000000030.00', 'C', '10032026')]);
    expect(paymentsAt(f.lines, '2026-11-16').map((p) => [p.amountCents, p.refs])).toEqual([[10000, ['FA1']], [3000, ['FA2']]]);
  });
});

describe('readEbp: due dates', () => {
  it('reads the last date as the due date of invoices, and a blank one as unknown', async () => {
    const f = await read([...invoice(1, 'FA1', '0000000100.00', '01022026', '31032026'), ...invoice(2, 'FA2', '0000000100.00', '01022026', '')]);
    expect(f.lines.map((l) => l.dueDate)).toEqual(['2026-03-31', null]);
    expect(f.findings).toEqual([]);
  });

  it('says the file carries no due dates when the last date is the entry date on every invoice, and leaves them to the terms', async () => {
    const f = await read([...invoice(1, 'FA1', '0000000100.00', '01022026', '01022026'), ...invoice(2, 'FA2', '0000000100.00', '05022026', '05022026')]);
    expect(f.lines.map((l) => l.dueDate)).toEqual([null, null]);
    expect(f.findings).toEqual([{
      severity: 'avertissement', code: 'sans-echeances', file: f.report.file, line: null, column: 'champ 10 (échéance)', value: null,
      message: "la dernière date de chaque ligne de facture est sa date d'écriture : ce fichier ne porte pas les échéances, elles sont calculées d'après les conditions de paiement des clients",
      hint: "exportez les écritures avec la date d'échéance en dernier champ, ou donnez les conditions de paiement de chaque client (--clients)",
    }]);
  });

  it('keeps the due dates when one invoice at least has its own (an invoice due on receipt is due on its date)', async () => {
    const f = await read([...invoice(1, 'FA1', '0000000100.00', '01022026', '01022026'), ...invoice(2, 'FA2', '0000000100.00', '05022026', '07032026')]);
    expect(f.lines.map((l) => l.dueDate)).toEqual(['2026-02-01', '2026-03-07']);
  });
});

describe('readEbp: broken lines', () => {
  it.each([
    ['a bad sens', ebp(5, '01022026', 'VT', '411CTRABOU', 'Facture', 'FA1', '0000000100.00', 'X', '31032026'),
      { line: 1, column: 'champ 9 (sens)', value: 'X', message: 'sens illisible « X » : D (débit) ou C (crédit) attendu' }],
    ['an unreadable amount', ebp(5, '01022026', 'VT', '411CTRABOU', 'Facture', 'FA1', '00000001O0.00', 'D', '31032026'),
      { line: 1, column: 'champ 8 (montant)', value: '00000001O0.00', message: 'montant illisible « 00000001O0.00 »' }],
    ['an impossible date', ebp(5, '31022026', 'VT', '411CTRABOU', 'Facture', 'FA1', '0000000100.00', 'D', '31032026'),
      { line: 1, column: 'champ 2 (date)', value: '31022026', message: "date impossible « 31022026 » (février 2026 n'a que 28 jours)" }],
    ['an unreadable due date', ebp(5, '01022026', 'VT', '411CTRABOU', 'Facture', 'FA1', '0000000100.00', 'D', '3103026'),
      { line: 1, column: 'champ 10 (échéance)', value: '3103026', message: 'date illisible « 3103026 » : une date JJMMAAAA (8 chiffres) est attendue' }],
    ['a short line', '    5,01022026,VT,411CTRABOU,,"Facture"',
      { line: 1, column: null, value: null, message: "la ligne n'a que 6 champs, il en faut au moins 9 (n° de mouvement, date, journal, compte, champ vide, libellé, pièce, montant, sens D/C)" }],
  ])('reports %s with its line, field and value', async (_name, line, want) => {
    const f = await read([line]);
    expect(f.findings.map(({ line, column, value, message, severity }) => ({ line, column, value, message, severity }))).toEqual([{ ...want, severity: 'erreur' }]);
  });

  it('rejects the whole file in plan, naming the line and the field', async () => {
    const file = write([...invoice(1, 'FA1', '0000000100.00'), ebp(2, '01022026', 'VT', '411CTRABOU', 'Facture', 'FA2', '0000000100.00', 'X', '31032026')]);
    const r = await runCli(['plan', '--ledger', file, '--as-of', '2026-11-16']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `relance: erreur : ${file}, ligne 3, colonne « champ 9 (sens) » : sens illisible « X » : D (débit) ou C (crédit) attendu. Le fichier est rejeté en entier.\n` +
        'conseil : corrigez la ligne dans EBP et ré-exportez\n',
    );
  });
});
