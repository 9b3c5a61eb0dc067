import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { CanonicalRecord, OpenItem, Payment } from '../../src/core/records.js';
import { DataError } from '../../src/errors.js';
import { readTabular } from '../../src/read/tabular.js';
import { excelSerialDate, numberCents } from '../../src/read/xlsx.js';
import { runCli } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'relance-xlsx-'));
const options = { cwd: dir, encoding: null, profile: null, columns: {} };
const AS_OF = ['--as-of', '2026-11-16'];
const HEADER = ['Code client', 'Nom client', 'N° facture', 'Date facture', "Date d'échéance", 'Montant TTC', 'Reste dû'];
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

type Cell = ExcelJS.CellValue;

/** Writes a workbook of sheets (name → rows, row 1 first) into the temp dir; `edit` may touch the workbook. */
async function book(name: string, sheets: Record<string, Cell[][]>, edit?: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const [sheetName, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(sheetName);
    rows.forEach((cells, r) => cells.forEach((v, c) => {
      if (v === null || v === undefined) return;
      const cell = ws.getCell(r + 1, c + 1);
      cell.value = v;
      if (v instanceof Date) cell.numFmt = 'dd/mm/yyyy';
      if (typeof v === 'number' && c >= 5) cell.numFmt = '#,##0.00 €';
    }));
  }
  edit?.(wb);
  await wb.xlsx.writeFile(join(dir, name));
  return name;
}

const openItems = (records: CanonicalRecord[]) => records.filter((r): r is OpenItem => r.kind === 'open_item');
const brief = (i: OpenItem) => [i.ref, i.docDate, i.dueDate, i.originalCents, i.openCents];

describe('an aged balance saved as an Excel workbook', () => {
  it('reads date cells, serial numbers in a date column, number amounts as numbers and French text amounts', async () => {
    const file = await book('cells.xlsx', {
      Balance: [
        HEADER,
        ['C1', 'Client Un', 'FA1', day('2026-10-09'), day('2026-11-08'), 45000, 45000],
        // Serial numbers in date columns (the cells have no date format): 46304 is 09/10/2026.
        ['C1', 'Client Un', 'FA2', 46304, 46334, 0.1 + 0.2, 0.1 + 0.2],
        ['C2', 'Client Deux', 'AV1', day('2026-11-12'), day('2026-11-12'), -1200.5, -1200.5],
        // Retyped as text the French way: read by the text parser.
        ['C2', 'Client Deux', 'FA3', '22/09/2026', '22/10/2026', '1 234,56 €', '-1 234,56'],
        // A double just below the half cent that Excel shows rounded up (15 digits).
        ['C3', 'Client Trois', 'FA4', day('2026-09-01'), day('2026-10-01'), 1.005, -2.675],
      ],
    });
    const { records, findings, report } = await readTabular(file, 'balance', options);
    expect(findings).toEqual([]);
    expect(openItems(records).map(brief)).toEqual([
      ['FA1', '2026-10-09', '2026-11-08', 4500000, 4500000],
      ['FA2', '2026-10-09', '2026-11-08', 30, 30],
      ['AV1', '2026-11-12', '2026-11-12', -120050, -120050],
      ['FA3', '2026-09-22', '2026-10-22', 123456, -123456],
      ['FA4', '2026-09-01', '2026-10-01', 101, -268],
    ]);
    expect(records[0]!.source).toEqual({ file, line: 2 });
    expect(report).toMatchObject({ sheet: 'Balance', headerLine: 1, lines: 6, records: 5, encoding: 'utf-8' });
  });

  it('counts serial days as Excel does: its 29/02/1900, 01/01/1900 as no date, and the 1904 system', async () => {
    expect([1, 59, 61, 45292].map((n) => excelSerialDate(n, false))).toEqual(['1900-01-01', '1900-02-28', '1900-03-01', '2024-01-01']);
    expect(excelSerialDate(45292.75, false)).toBe('2024-01-01');
    expect(excelSerialDate(0, false)).toBeNull();
    expect(typeof excelSerialDate(60, false)).toBe('symbol');
    expect([0, 1, 44000].map((n) => excelSerialDate(n, true))).toEqual([null, '1904-01-02', '2024-06-19']);
    expect([0.1 + 0.2, 1.005, -1.005, 45000, -0.005, 19.999].map(numberCents)).toEqual([30, 101, -101, 4500000, -1, 2000]);

    // A 1904 workbook (old Mac Excel): date cells and serial numbers both count from 01/01/1904.
    const file = await book('mac.xlsx', {
      Balance: [
        HEADER,
        ['C1', 'Client Un', 'FA1', day('2026-10-09'), 44000, 100, 100],
        // Sage's « no date », 01/01/1900, as a date cell of a 1900 workbook is serial 1: here 1904-01-02.
      ],
    }, (wb) => {
      wb.properties.date1904 = true;
    });
    const { records, findings } = await readTabular(file, 'balance', options);
    expect(findings).toEqual([]);
    expect(openItems(records).map(brief)).toEqual([['FA1', '2026-10-09', '2024-06-19', 10000, 10000]]);

    // Serial 1 is Sage's « no date » (01/01/1900); a number past Excel's last day may be AAAAMMJJ; else it is no date.
    const odd = await book('odd-dates.xlsx', {
      Balance: [HEADER, ['C1', 'Client Un', 'FA1', day('2026-10-09'), 1, 100, 100], ['C1', 'Client Un', 'FA2', 20261009, 20261108, 100, 100], ['C1', 'Client Un', 'FA3', 46304, 9999999, 100, 100]],
    });
    const read = await readTabular(odd, 'balance', options);
    expect(openItems(read.records).map(brief)).toEqual([['FA1', '2026-10-09', null, 10000, 10000], ['FA2', '2026-10-09', '2026-11-08', 10000, 10000],
      ['FA3', '2026-10-09', null, 10000, 10000]]);
    expect(read.findings.map((f) => [f.code, f.line, f.column, f.message])).toEqual([
      ['valeur-illisible', 4, "Date d'échéance", "date illisible « 9999999 » : ce nombre n'est pas une date d'Excel (numéro de série de 1 à 2958465)"],
    ]);
  });

  it('reads the merged title once, finds the header below it, and checks subtotals and the grand total (SUM formulas)', async () => {
    const file = await book('sage.xlsx', {
      'Échéancier clients': [
        ['Lumen Éclairage SAS'],
        ['Échéancier clients au 16/11/2026'],
        [],
        HEADER,
        ['C1', 'Client Un', 'FA1', day('2026-10-09'), day('2026-11-08'), 0.1, 0.1],
        ['C1', 'Client Un', 'FA2', day('2026-10-10'), day('2026-11-09'), 0.2, 0.2],
        ['Total C1', null, null, null, null, { formula: 'SUM(F5:F6)', result: 0.1 + 0.2 }, { formula: 'SUM(G5:G6)', result: 0.30000000000000004 }],
        ['C2', 'Client Deux', 'FA3', day('2026-10-11'), day('2026-11-10'), 1000, 1000],
        ['Total C2', null, null, null, null, { formula: 'SUM(F8)', result: 1000 }, { formula: 'SUM(G8)', result: 1000 }],
        ['Total général', null, null, null, null, { formula: 'SUM(F7,F9)', result: 1000.3 }, { formula: 'SUM(G7,G9)', result: 1000.3 }],
      ],
    }, (wb) => {
      const ws = wb.getWorksheet('Échéancier clients')!;
      ws.mergeCells('A1:G1');
      ws.mergeCells('A2:G2');
    });
    const { records, findings, report } = await readTabular(file, 'balance', options);
    expect(findings).toEqual([]);
    expect(records).toHaveLength(3);
    expect(report.title).toEqual([['Lumen Éclairage SAS'], ['Échéancier clients au 16/11/2026']]);
    expect(report.exportDate).toBe('2026-11-16');
    expect(report.headerLine).toBe(4);
    expect(report.skipped).toEqual({ titre: 3, 'sous-totaux': 2, total: 1 });
    expect(report.totals.map((t) => [t.line, t.label, t.column, t.declaredCents, t.computedCents])).toEqual([
      [7, 'Total C1', 'Montant TTC', 30, 30], [7, 'Total C1', 'Reste dû', 30, 30],
      [9, 'Total C2', 'Montant TTC', 100000, 100000], [9, 'Total C2', 'Reste dû', 100000, 100000],
      [10, 'Total général', 'Montant TTC', 100030, 100030], [10, 'Total général', 'Reste dû', 100030, 100030],
    ]);
  });

  it('rejects a wrong total (total-incorrect), naming the Excel row and the column', async () => {
    await book('wrong-total.xlsx', {
      Balance: [
        HEADER,
        ['C1', 'Client Un', 'FA1', day('2026-10-09'), day('2026-11-08'), 100, 100],
        ['C1', 'Client Un', 'FA2', day('2026-10-10'), day('2026-11-09'), 50, 50],
        ['Total général', null, null, null, null, { formula: 'SUM(F2:F3)', result: 150 }, 140],
      ],
    });
    const r = await runCli(['plan', '--balance', 'wrong-total.xlsx', ...AS_OF], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'relance: erreur : wrong-total.xlsx, ligne 4, colonne « Reste dû » : la ligne « Total général » annonce 140,00\u00a0€ mais les lignes qu\'elle totalise font 150,00\u00a0€ (écart -10,00\u00a0€). Le fichier est rejeté en entier.\n' +
        "conseil : l'export est incomplet ou a été modifié à la main : ré-exportez l'état complet depuis le logiciel\n",
    );
  });

  it('rejects a formula without its cached result, naming the cell, and says how to get one', async () => {
    await book('no-result.xlsx', {
      Balance: [
        HEADER,
        ['C1', 'Client Un', 'FA1', day('2026-10-09'), day('2026-11-08'), 100, 100],
        ['C1', 'Client Un', 'FA2', day('2026-10-10'), day('2026-11-09'), 50, { formula: 'F3*1' }],
        ['Total général', null, null, null, null, { formula: 'SUM(F2:F3)', result: 150 }, { formula: 'SUM(G2:G3)' }],
      ],
    });
    const r = await runCli(['plan', '--balance', 'no-result.xlsx', ...AS_OF], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'relance: erreur : no-result.xlsx : 2 erreurs, le fichier est rejeté en entier :\n' +
        '  - ligne 3, colonne « Reste dû » : cellule G3 : formule sans valeur calculée (=F3*1) : le classeur a été enregistré sans le résultat de ses formules\n' +
        '  - ligne 4, colonne « Reste dû » : cellule G4 : formule sans valeur calculée (=SUM(G2:G3)) : le classeur a été enregistré sans le résultat de ses formules\n' +
        'conseil : ouvrez le classeur dans Excel, enregistrez-le, puis relancez ; si la formule donne une cellule vide, remplacez-la par sa valeur (copier, puis collage spécial « valeurs »)\n',
    );
  });

  it('rejects an error value, naming the cell and the value; an error in a column it does not read is no matter', async () => {
    await book('div0.xlsx', {
      Balance: [
        [...HEADER, 'Remarque'],
        ['C1', 'Client Un', 'FA1', day('2026-10-09'), day('2026-11-08'), 100, { formula: 'F2/0', result: { error: '#DIV/0!' } }, { error: '#N/A' }],
        ['C1', 'Client Un', 'FA2', day('2026-10-10'), { error: '#N/A' }, 50, 50],
      ],
    });
    const r = await runCli(['plan', '--balance', 'div0.xlsx', ...AS_OF], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'relance: erreur : div0.xlsx : 2 erreurs, le fichier est rejeté en entier :\n' +
        "  - ligne 2, colonne « Reste dû » : cellule G2 : valeur d'erreur Excel « #DIV/0! » (formule =F2/0)\n" +
        "  - ligne 3, colonne « Date d'échéance » : cellule E3 : valeur d'erreur Excel « #N/A »\n" +
        "conseil : corrigez la cellule dans le classeur (ou ré-exportez l'état depuis le logiciel), enregistrez-le, puis relancez\n",
    );
  });

  it('reads rich text and hyperlinks as their text', async () => {
    const file = await book('rich.xlsx', {
      Clients: [
        ['Code client', 'Nom client', 'E-mail'],
        ['C1', { richText: [{ text: 'Restaurant "' }, { text: 'Le Réverbère', font: { bold: true } }, { text: '"' }] }, { text: 'compta@reverbere.example', hyperlink: 'mailto:compta@reverbere.example' }],
      ],
    });
    const { records } = await readTabular(file, 'clients', options);
    expect(records.map((c) => c.kind === 'client' && [c.clientCode, c.clientName, c.emails])).toEqual([['C1', 'Restaurant "Le Réverbère"', ['compta@reverbere.example']]]);
  });

  it('gives the same records as the same table saved as CSV', async () => {
    const rows: Cell[][] = [
      ['Lumen Éclairage SAS'],
      ['Règlements clients au 16/11/2026'],
      [],
      ['Code client', 'Nom client', 'Date', 'N° pièce', 'Montant', 'Pièces réglées', 'Date facture', 'Échéance facture'],
      ['C1', 'Client Un', day('2026-02-12'), 'RG1', 3456, 'FA1', day('2026-01-14'), day('2026-02-13')],
      ['C1', 'Client Un', day('2026-03-09'), 'RG2', 1938.4, 'FA2', day('2026-02-04'), day('2026-03-06')],
      ['C2', 'Client Deux', day('2026-03-23'), 'RG3', -12.05, '', null, null],
      ['Total général', null, null, null, { formula: 'SUM(E5:E7)', result: 5382.35 }],
    ];
    const xlsx = await book('same.xlsx', { Feuil1: rows });
    const text = (v: Cell): string =>
      v instanceof Date ? v.toISOString().slice(0, 10).split('-').reverse().join('/')
        : typeof v === 'number' ? v.toFixed(2).replace('.', ',')
          : typeof v === 'object' && v !== null && 'result' in v ? (v.result as number).toFixed(2).replace('.', ',')
            : String(v ?? '');
    writeFileSync(join(dir, 'same.csv'), rows.map((r) => r.map(text).join(';')).join('\r\n') + '\r\n');
    const fromXlsx = await readTabular(xlsx, 'payments', options);
    const fromCsv = await readTabular('same.csv', 'payments', options);
    const strip = (records: CanonicalRecord[]) => records.map((r) => ({ ...r, source: { ...r.source, file: '' } }));
    expect(fromXlsx.findings).toEqual([]);
    expect(fromCsv.findings).toEqual([]);
    expect(strip(fromXlsx.records)).toEqual(strip(fromCsv.records));
    expect((fromXlsx.records as Payment[]).map((p) => p.amountCents)).toEqual([345600, 193840, -1205]);
    expect(fromXlsx.report.totals).toEqual(fromCsv.report.totals);
  });
});

describe('the worksheet read', () => {
  const sheets = {
    Notes: [['Rien à lire ici']],
    Balance: [HEADER, ['C1', 'Client Un', 'FA1', day('2026-10-09'), day('2026-11-08'), 100, 100]],
  };

  it('is the first sheet, or the one --sheet names', async () => {
    await book('two.xlsx', sheets);
    const first = await runCli(['check', '--balance', 'two.xlsx', ...AS_OF], { cwd: dir });
    expect(first.code).toBe(1);
    expect(first.stderr).toContain("relance: erreur : two.xlsx : aucune ligne d'en-tête reconnue dans les 50 premières lignes.");
    const { report, records } = await readTabular('two.xlsx', 'balance', { ...options, sheet: 'Balance' });
    expect([report.sheet, records.length]).toEqual(['Balance', 1]);
    const r = await runCli(['inspect', '--balance', 'two.xlsx', '--sheet', 'Balance', ...AS_OF], { cwd: dir, columns: 160 });
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      'Fichier : two.xlsx',
      '  Format           : classeur Excel, feuille « Balance », balance âgée (créances ouvertes)',
      '  Logiciel         : Sage 50 (ex-Ciel) (détecté)', // the header is Sage 50's
      '  Encodage         : utf-8 (classeur Excel : texte Unicode)',
    ]);
  });

  it('named by --sheet must exist: the error lists the sheets', async () => {
    await book('two-bis.xlsx', sheets);
    const r = await runCli(['plan', '--balance', 'two-bis.xlsx', '--sheet', 'Échéancier', ...AS_OF], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'relance: erreur : two-bis.xlsx : aucune feuille « Échéancier » dans ce classeur. Feuilles : « Notes », « Balance ».\n' +
        'conseil : donnez le nom d\'une de ces feuilles, par exemple --sheet "Notes".\n',
    );
  });
});

describe('workbooks relance does not read', () => {
  it('refuses an Excel 97-2003 .xls and an OpenDocument .ods, saying how to save them', async () => {
    writeFileSync(join(dir, 'old.xls'), Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]));
    const xls = await runCli(['plan', '--balance', 'old.xls', ...AS_OF], { cwd: dir });
    expect(xls.code).toBe(1);
    expect(xls.stderr).toBe(
      'relance: erreur : old.xls est un classeur Excel 97-2003 (.xls) : relance ne lit pas ce format de classeur.\n' +
        'conseil : ouvrez-le dans Excel (ou LibreOffice) et enregistrez-le au format .xlsx (Excel 2007 et suivants) ou exportez en CSV (séparateur : point-virgule).\n',
    );
    writeFileSync(join(dir, 'calc.ods'), Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(26), Buffer.from('mimetypeapplication/vnd.oasis.opendocument.spreadsheet')]));
    const ods = (await readTabular('calc.ods', 'balance', options).catch((e: unknown) => e)) as DataError;
    expect(ods).toBeInstanceOf(DataError);
    expect([ods.message, ods.hint]).toEqual([
      'calc.ods est un classeur OpenDocument (.ods) : relance ne lit pas ce format de classeur.',
      'ouvrez-le dans Excel (ou LibreOffice) et enregistrez-le au format .xlsx (Excel 2007 et suivants) ou exportez en CSV (séparateur : point-virgule).',
    ]);
  });

  it('says a broken .xlsx is unreadable, and how to get a good one', async () => {
    writeFileSync(join(dir, 'cut.xlsx'), Buffer.from('504b0304140006000800000021', 'hex'));
    const r = await runCli(['check', '--balance', 'cut.xlsx', ...AS_OF], { cwd: dir });
    expect(r.stderr).toBe(
      "relance: erreur : cut.xlsx : classeur Excel illisible : le fichier est tronqué, abîmé, ou n'est pas un vrai classeur .xlsx.\n" +
        'conseil : ré-exportez-le depuis le logiciel, ou ouvrez-le dans Excel et enregistrez-le au format .xlsx (Excel 2007 et suivants).\n',
    );
  });
});
