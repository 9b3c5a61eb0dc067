import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { readSagePnm } from '../../src/read/sage-pnm.js';

const SETTINGS = { customerAccounts: ['411'], openingJournals: [] };
const HEADER = ['#FLG 000', '#VER 31', '#DEV EUR'];

/** The 38 fields of a #MECG block and its blank separator, `0` or empty where not given. */
function mecg(given: Record<number, string>): string[] {
  const f: string[] = [];
  for (let n = 1; n <= 38; n++) f.push(given[n] ?? ([14, 15, 16, 21, 22, 23, 24, 38].includes(n) ? '0' : ''));
  return ['#MECG', ...f, ''];
}

/** A customer line: journal, date, piece, account, tiers, sense and amount. */
function line(journal: string, date: string, piece: string, account: string, tiers: string, sens: string, amount: string, more: Record<number, string> = {}): string[] {
  return mecg({ 1: journal, 2: date, 3: date, 4: piece, 5: piece, 7: account, 9: tiers, 11: `Ligne ${piece}`, 17: sens, 18: amount, ...more });
}

/** A #MPCT block (133 fields and one attached account). */
function tiers(given: Record<number, string>): string[] {
  const f: string[] = [];
  for (let n = 1; n <= 133; n++) f.push(given[n] ?? '');
  return ['#MPCT', ...f, '411000'];
}

function contact(given: Record<number, string>): string[] {
  const f: string[] = [];
  for (let n = 1; n <= 13; n++) f.push(given[n] ?? '');
  return ['#MCTT', ...f];
}

function write(blocks: string[][], opts: { end?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'relance-pnm-'));
  const file = join(dir, 'export.txt');
  const lines = [...HEADER, ...blocks.flat(), ...(opts.end === false ? [] : ['#FIN'])];
  writeFileSync(file, cp850(`${lines.join('\r\n')}\r\n`));
  return file;
}

// Sage 100 writes in CP850: the few accents these tests use.
const CP850: Record<string, number> = { é: 0x82, â: 0x83, à: 0x85, ç: 0x87, ê: 0x88, è: 0x8a, ô: 0x93 };
const cp850 = (text: string): Buffer => Buffer.from([...text].map((ch) => CP850[ch] ?? ch.charCodeAt(0)));

const read = (file: string) => readSagePnm(file, null, SETTINGS, tmpdir());

// The first block starts on line 4 (after the three header lines); its field n is on line 4 + n.
const AT = 4;
const BLOCK = 40; // a #MECG block: its tag, 38 fields and the blank line

describe('readSagePnm: #MECG entries', () => {
  it('reads a customer line: client, piece, dates, amount, lettering, due date', async () => {
    const file = write([
      line('VT', '140126', 'FA2026-0003', '411000', 'CROUX', '0', '3456,00', { 13: '130226', 19: 'AF' }),
      line('VT', '140126', 'FA2026-0003', '706000', '', '1', '2880,00'),
      line('VT', '140126', 'FA2026-0003', '445710', '', '1', '576,00'),
    ]);
    const r = await read(file);
    expect(r.findings).toEqual([]);
    expect(r.lines).toEqual([{
      client: 'CROUX', clientName: '', journal: 'VT', ref: 'FA2026-0003', docDate: '2026-01-14', date: '2026-01-14',
      cents: 345600, group: 'CROUX\u0001AF', letDate: null, dueDate: '2026-02-13', opening: false, payment: false,
      mode: null, file, line: AT,
    }]);
    expect([r.firstDate, r.lastDate, r.report.exportDate]).toEqual(['2026-01-14', '2026-01-14', '2026-01-14']);
    expect(r.report).toMatchObject({
      formatLabel: 'export Sage 100 (#MECG)', encoding: 'cp850', delimiter: 'un champ par ligne', lineEnding: 'CRLF', headerLine: 0,
      records: 1, skipped: { 'hors comptes clients': 2, 'à-nouveaux (toutes lignes)': 0 },
    });
    expect(r.report.columns).toContainEqual({ index: 12, header: 'champ 13 (échéance)', field: 'dueDate' });
  });

  it.each([
    ['the invoice number (field 5)', { 5: 'FAC-17', 4: 'P12' }, 'FAC-17'],
    ['the piece (field 4) when field 5 is blank', { 5: '', 4: 'P12' }, 'P12'],
  ])('takes the ref from %s', async (_what, fields, ref) => {
    const r = await read(write([mecg({ 1: 'VT', 2: '010226', 7: '411000', 9: 'CDUP', 17: '0', 18: '10,00', ...fields })]));
    expect(r.lines.map((l) => l.ref)).toEqual([ref]);
  });

  it('takes the client from the general account when the tiers account is blank, with a customer prefix from the config', async () => {
    const file = write([line('VT', '010226', 'F1', '41100042', '', '0', '10,00'), line('VT', '010226', 'F1', '401000', 'FOURN', '1', '10,00')]);
    const r = await readSagePnm(file, null, { customerAccounts: ['4110'], openingJournals: [] }, tmpdir());
    expect(r.lines.map((l) => [l.client, l.cents])).toEqual([['41100042', 1000]]);
  });

  it('tells a payment by the bank line of its entry (journal, piece, date), not a credit note', async () => {
    const file = write([
      line('BQ', '120226', 'RG1', '512000', '', '0', '3456,00'),
      line('BQ', '120226', 'RG1', '411000', 'CROUX', '1', '3456,00', { 19: 'AF' }),
      line('VT', '250326', 'AV1', '411000', 'CROUX', '1', '240,00'),
      line('VT', '250326', 'AV1', '706000', '', '0', '240,00'),
      // Same journal and piece as the bank entry, another date: another entry.
      line('BQ', '130226', 'RG1', '411000', 'CROUX', '1', '1,00'),
    ]);
    const r = await read(file);
    expect(r.lines.map((l) => [l.ref, l.cents, l.payment])).toEqual([['RG1', -345600, true], ['AV1', -24000, false], ['RG1', -100, false]]);
  });

  it.each([
    ['field 23 = 1 (détail)', 'XX', '1'],
    ['field 23 = 2 (solde)', 'XX', '2'],
    ['an opening journal (RAN)', 'RAN', '0'],
  ])('marks opening lines by %s, outside the period seen', async (_what, journal, type) => {
    const file = write([
      line(journal, '201025', 'FA2025-0015', '411000', 'CNUIT', '0', '4320,00', { 23: type }),
      line('VT', '030226', 'FA2026-0004', '411000', 'CNUIT', '0', '100,00'),
    ]);
    const r = await read(file);
    expect(r.lines.map((l) => [l.ref, l.docDate, l.opening])).toEqual([['FA2025-0015', '2025-10-20', true], ['FA2026-0004', '2026-02-03', false]]);
    expect([r.firstDate, r.lastDate]).toEqual(['2026-02-03', '2026-02-03']);
    expect(r.report.skipped['à-nouveaux (toutes lignes)']).toBe(1);
  });

  it('reads a blank or 000000 due date as none, and tolerates LF, trailing spaces and a block without its optional last fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-pnm-'));
    const file = join(dir, 'lf.txt');
    const short = mecg({ 1: 'VT', 2: '010226', 4: 'F2', 7: '411000 ', 9: 'CDUP  ', 17: '0', 18: '5,00' }).slice(0, 20);
    const lines = [...HEADER, ...line('VT', '010226', 'F1', '411000', 'CDUP', '0', '10,00', { 13: '000000' }), ...short, '#FIN'];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await read(file);
    expect(r.findings).toEqual([]);
    expect(r.lines.map((l) => [l.client, l.ref, l.cents, l.dueDate])).toEqual([['CDUP', 'F1', 1000, null], ['CDUP', 'F2', 500, null]]);
    expect(r.report.lineEnding).toBe('LF');
  });
});

describe('readSagePnm: reminders (fields 22 and 31)', () => {
  it('gives what Sage counts as sent on a customer debit as an ImportedReminder', async () => {
    const file = write([
      line('VT', '010926', 'FA2026-0031', '411000', 'CTRAB', '0', '600,00', { 13: '011026', 22: '2', 31: '151026' }),
      // A credit's count is not a reminder.
      line('BQ', '011026', 'RG9', '411000', 'CTRAB', '1', '10,00', { 22: '1', 31: '151026' }),
    ]);
    const r = await read(file);
    expect(r.findings).toEqual([]);
    expect(r.reminders).toEqual([{ clientCode: 'CTRAB', ref: 'FA2026-0031', count: 2, lastDate: '2026-10-15', file, line: AT }]);
  });

  it.each([
    [{ 22: '2', 31: '' }, AT + 31, 'champ 31 (date relance)',
      "2 rappels notés pour la pièce F1 mais pas de date relance : ils sont ignorés, faute de savoir quand la dernière relance est partie"],
    [{ 22: '0', 31: '151026' }, AT + 22, 'champ 22 (nombre de rappels)',
      'date relance 15/10/2026 pour la pièce F1 mais aucun rappel compté : elle est ignorée, faute de savoir combien de relances sont parties'],
  ])('warns, and ignores, a count without a date or a date without a count (%o)', async (fields, lineNo, column, message) => {
    const r = await read(write([line('VT', '010926', 'F1', '411000', 'CTRAB', '0', '600,00', fields)]));
    expect(r.reminders).toEqual([]);
    expect(r.findings.map((f) => [f.severity, f.line, f.column, f.message])).toEqual([['avertissement', lineNo, column, message]]);
  });
});

describe('readSagePnm: #MPCT and #MCTT clients', () => {
  it('builds the clients of the #MPCT blocks, their contacts and exclusion, and names the lines after them', async () => {
    const file = write([
      tiers({ 1: 'CREVERB', 2: 'Restaurant Le Réverbère', 3: '0', 4: '411000', 8: '4 rue Mercière', 9: 'Bât. B', 10: '69002', 11: 'Lyon', 13: 'France',
        18: '552 100 554 00005', 53: '0', 56: '04 65 71 19 56', 58: 'gerance@le-reverbere.example', 63: 'SARL' }),
      contact({ 1: 'Martin', 2: 'Léa', 4: 'Comptable', 5: '04 65 71 19 57', 8: 'compta@le-reverbere.example' }),
      contact({ 1: 'Dupuis', 2: 'Marc', 4: 'Chef de cuisine', 8: 'chef@le-reverbere.example' }),
      tiers({ 1: 'CNUITBL', 2: 'Nuit Blanche', 3: '0', 53: '1', 58: 'contact@nuit-blanche.example' }),
      tiers({ 1: 'FLUMIN', 2: 'Luminaires du Rhône', 3: '1', 58: 'ventes@luminaires.example' }),
      contact({ 1: 'Roche', 4: 'Comptabilité', 8: 'compta@luminaires.example' }),
      line('VT', '010226', 'F1', '411000', 'CREVERB', '0', '10,00'),
    ]);
    const r = await read(file);
    expect(r.findings).toEqual([]);
    expect(r.clients).toEqual([
      {
        kind: 'client', clientCode: 'CREVERB', clientName: 'Restaurant Le Réverbère',
        emails: ['compta@le-reverbere.example'], cc: ['gerance@le-reverbere.example'], salesRep: null, salesRepEmail: null,
        phone: '04 65 71 19 56', address: ['4 rue Mercière', 'Bât. B', '69002 Lyon', 'France'], language: 'fr', consumer: false,
        siren: '552100554', legalForm: 'SARL', terms: null, segment: null, excluded: false, excludedReason: null,
        source: { file, line: AT },
      },
      {
        kind: 'client', clientCode: 'CNUITBL', clientName: 'Nuit Blanche', emails: ['contact@nuit-blanche.example'], cc: [],
        salesRep: null, salesRepEmail: null, phone: null, address: [], language: 'fr', consumer: false, siren: null, legalForm: null,
        terms: null, segment: null, excluded: true, excludedReason: 'hors rappel/relevé dans Sage 100',
        source: { file, line: AT + 135 + 14 + 14 },
      },
    ]);
    expect(r.lines.map((l) => l.clientName)).toEqual(['Restaurant Le Réverbère']);
    expect(r.report.skipped).toMatchObject({ 'tiers non clients (#MPCT)': 1, '#MCTT': 1 });
  });

  it('warns about an e-mail that is not one, and a SIRET that fails its check, and ignores them', async () => {
    const r = await read(write([tiers({ 1: 'CX', 2: 'X', 3: '0', 18: '55210055400006', 58: 'compta at x.fr' })]));
    expect(r.clients!.map((c) => [c.emails, c.siren])).toEqual([[[], null]]);
    expect(r.findings.map((f) => [f.severity, f.line, f.column, f.value, f.message])).toEqual([
      ['avertissement', AT + 58, 'champ 58 (e-mail)', 'compta at x.fr', 'adresse e-mail invalide « compta at x.fr » pour le client CX : elle est ignorée'],
      ['avertissement', AT + 18, 'champ 18 (SIRET)', '55210055400006', 'SIRET invalide « 55210055400006 » pour le client CX : il est ignoré'],
    ]);
  });

  it('counts the blocks it does not read per tag', async () => {
    const r = await read(write([['#MPLG', '49500000', '0', 'Prov.'], ['#MPLG', '49600000', '0'], ['#MCJR', 'VT', 'Ventes'], line('VT', '010226', 'F1', '411000', 'C', '0', '1,00')]));
    expect(r.report.skipped).toEqual({ 'hors comptes clients': 0, 'à-nouveaux (toutes lignes)': 0, '#MPLG': 2, '#MCJR': 1 });
    expect(r.lines).toHaveLength(1);
  });
});

describe('readSagePnm: broken files', () => {
  const HINT_DATE = "les dates d'un export Sage 100 s'écrivent JJMMAA (160226 pour le 16/02/2026) ; corrigez l'écriture dans Sage 100 et ré-exportez";
  const HINT_BROKEN = 'le fichier semble tronqué ou modifié à la main : ré-exportez les écritures depuis Sage 100 (un champ par ligne, sans retouche)';
  const HINT_FIX = "corrigez la fiche ou l'écriture dans Sage 100 et ré-exportez le fichier";
  it.each([
    ['a due date that is not JJMMAA', [line('VT', '010226', 'F1', '411000', 'C', '0', '1,00', { 13: '3102' })],
      AT + 13, 'champ 13 (échéance)', '3102', "« 3102 » n'est pas une date JJMMAA", HINT_DATE],
    ['a due date not in the calendar', [line('VT', '010226', 'F1', '411000', 'C', '0', '1,00', { 13: '310226' })],
      AT + 13, 'champ 13 (échéance)', '310226', 'date impossible « 310226 » (février 2026 n\'a que 28 jours)', HINT_DATE],
    ['a sense of 2', [line('VT', '010226', 'F1', '411000', 'C', '2', '1,00')],
      AT + 17, 'champ 17 (sens)', '2', 'sens illisible « 2 » : 0 pour un débit, 1 pour un crédit', HINT_FIX],
    ['an unreadable amount', [line('VT', '010226', 'F1', '411000', 'C', '0', '12a,00')],
      AT + 18, 'champ 18 (montant)', '12a,00', 'montant illisible « 12a,00 »', null],
    ['a blank date', [line('VT', '', 'F1', '411000', 'C', '0', '1,00')],
      AT + 2, 'champ 2 (date pièce)', '', 'date pièce manquante', HINT_DATE],
    ['a block cut before the lettering number', [mecg({ 1: 'VT', 2: '010226', 7: '411000', 17: '0', 18: '1,00' }).slice(0, 15), line('VT', '010226', 'F1', '411000', 'C', '0', '1,00')],
      AT + 15, 'champ 15', null, "le bloc #MECG de la ligne 4 n'a que 14 champs sur 38 (il en faut au moins 19, jusqu'au n° de lettrage)", HINT_BROKEN],
    ['a field too many', [[...mecg({ 1: 'VT', 2: '010226', 7: '411000', 17: '0', 18: '1,00' }).slice(0, 12), 'en trop', ...mecg({}).slice(12)]],
      AT + 39, 'champ 39 (séparateur)', '0', "la ligne 39 du bloc #MECG de la ligne 4 doit être vide, elle contient « 0 » : un champ est de trop plus haut dans le bloc", HINT_BROKEN],
    ['a type à-nouveau of 7', [line('AN', '010126', 'F1', '411000', 'C', '0', '1,00', { 23: '7' })],
      AT + 23, 'champ 23 (type à-nouveau)', '7', 'type à-nouveau illisible « 7 » : 0 (normal), 1 (détail), 2 (solde), 3 (manuel) ou 4 (résultat)', HINT_FIX],
  ])('rejects %s, naming the line and the field', async (_what, blocks, lineNo, column, value, message, hint) => {
    const r = await read(write(blocks as string[][]));
    const errors = r.findings.filter((f) => f.severity === 'erreur');
    expect(errors.map((f) => ({ line: f.line, column: f.column, value: f.value, message: f.message }))).toEqual([{ line: lineNo, column, value, message }]);
    if (hint !== null) expect(errors[0]!.hint).toBe(hint);
  });

  it('rejects a file that ends without #FIN', async () => {
    const file = write([line('VT', '010226', 'F1', '411000', 'C', '0', '1,00')], { end: false });
    const error = await read(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error).toMatchObject({
      message: `${file} se termine à la ligne ${3 + BLOCK} sans la ligne #FIN qui clôt un export Sage 100 : il semble tronqué.`,
      hint: 'ré-exportez le fichier complet depuis Sage 100 (une copie ou un téléchargement a pu être interrompu).',
    });
  });

  it('rejects a ledger kept in another currency', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-pnm-'));
    const file = join(dir, 'chf.txt');
    writeFileSync(file, '#FLG 000\r\n#VER 31\r\n#DEV CHF\r\n#FIN\r\n');
    await expect(read(file)).rejects.toThrow(`${file}, ligne 3 : la comptabilité est tenue en CHF, pas en euros (#DEV CHF).`);
  });
});
