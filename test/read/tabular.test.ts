import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { OpenItem } from '../../src/core/records.js';
import { DataError } from '../../src/errors.js';
import { loadInputs, type InputFlags } from '../../src/read/inputs.js';
import { exportDateOf } from '../../src/read/table.js';
import { readTabular } from '../../src/read/tabular.js';
import { runCli } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'relance-tabular-'));
const options = { cwd: dir, encoding: null, profile: null, columns: {} };
const config = loadConfig(null, dir);
const balanceFlags = (file: string): InputFlags => ({
  balance: [file], payments: [], clients: [], fec: [], ledger: [], files: [], sheet: null, asOf: '2026-11-16', profile: null, encoding: null,
});

/** Writes a file in Windows-1252 (the bytes of its Latin-1 string, `\x80` for €) with CRLF. */
function cp1252(name: string, lines: string[]): string {
  writeFileSync(join(dir, name), Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'));
  return name;
}

describe('an export that prints subtotals but lost its grand total', () => {
  // A Sage 100 aged balance: a subtotal per client, then « Total général ».
  const SAGE = [
    'Lumen Éclairage SAS',
    'Échéancier clients',
    'Date de tirage : 16/11/2026',
    '',
    'N° compte tiers;Intitulé;N° pièce;Date pièce;Échéance;Montant;Solde',
    'CBELLEC;Hôtel Bellecour SAS;FA2026-0040;09/10/2026;08/11/2026;45 000,00;45 000,00',
    'Total CBELLEC;;;;;45 000,00;45 000,00',
    'CMORELE;Électricité Générale Morel;FA2026-0039;08/10/2026;07/11/2026;3 600,00;3 600,00',
    'CMORELE;Électricité Générale Morel;RG2026-0030;12/11/2026;12/11/2026;-1 200,00;-1 200,00',
    'Total CMORELE;;;;;2 400,00;2 400,00',
    'Total général;;;;;47 400,00;47 400,00',
  ];
  const write = (name: string, lines: string[]): string => {
    writeFileSync(join(dir, name), `${lines.join('\r\n')}\r\n`);
    return name;
  };

  it('is read whole when the grand total closes it', async () => {
    const inputs = await loadInputs(balanceFlags(write('whole.csv', SAGE)), config, true, dir);
    expect(inputs.openItems).toHaveLength(3);
  });

  it.each([
    ['after a detail line', 8, 'ligne 8 : dernière ligne lue « CMORELE;Électricité Générale Morel;FA2026-0039;08/10/2026;0… »'],
    ['after a subtotal', 10, 'ligne 10 : dernière ligne lue « Total CMORELE;;;;;2 400,00;2 400,00 »'],
  ])('cut at a line end %s, is rejected whole, saying where it stops and what is missing', async (_, keep, where) => {
    const file = write(`cut-${keep}.csv`, SAGE.slice(0, keep));
    const read = loadInputs(balanceFlags(file), config, true, dir);
    await expect(read).rejects.toBeInstanceOf(DataError);
    const err = (await read.catch((e: DataError) => e)) as DataError;
    expect(err.message).toBe(
      `${file}, ${where} : l'état imprime des sous-totaux (${keep === 8 ? 1 : 2} ligne${keep === 8 ? '' : 's'} « Total … ») mais pas la ligne de total général (« Total général ») qui doit le terminer ; le fichier semble tronqué. Le fichier est rejeté en entier.`,
    );
    expect(err.hint).toBe("ré-exportez l'état complet depuis le logiciel (une copie ou un téléchargement a pu être interrompu) : relance ne lit jamais un état à moitié.");
  });

  it('is an error that `check` lists (it reads without rejecting)', async () => {
    const inputs = await loadInputs(balanceFlags(write('cut-check.csv', SAGE.slice(0, 10))), config, false, dir);
    expect(inputs.findings.filter((f) => f.severity === 'erreur').map((f) => f.code)).toEqual(['fichier-tronque']);
  });

  it('takes a total of totals after the last subtotal for the grand total, whatever its label', async () => {
    const lines = [...SAGE.slice(0, -1), 'Total balance âgée clients;;;;;47 400,00;47 400,00'];
    const { records, findings, report } = await readTabular(write('other-label.csv', lines), 'balance', options);
    expect(findings.filter((f) => f.severity === 'erreur')).toEqual([]);
    expect(records).toHaveLength(3);
    expect(report.skipped).toMatchObject({ 'sous-totaux': 2, total: 1 });
  });

  it('stays accepted without any total line, or with a grand total only (nothing tells a cut there)', async () => {
    const bare = SAGE.filter((l) => !l.startsWith('Total'));
    expect((await loadInputs(balanceFlags(write('no-totals.csv', bare.slice(0, -1))), config, true, dir)).openItems).toHaveLength(2);
    const grandOnly = SAGE.filter((l) => !/^Total C/.test(l));
    expect((await loadInputs(balanceFlags(write('grand-only.csv', grandOnly.slice(0, -2))), config, true, dir)).openItems).toHaveLength(2);
  });
});

describe('a balance re-saved by Excel as « CSV (séparateur : point-virgule) »', () => {
  const HEADER = "Code client;Nom client;N° facture;Date facture;Date d'échéance;Montant TTC;Reste dû";
  it('reads amounts with a € or EUR before or after them, spaced or not, quoted or not', async () => {
    const file = cp1252('excel.csv', [
      HEADER,
      'CBELLEC;Hôtel Bellecour SAS;FA2026-0040;09/10/2026;08/11/2026;"45 000,00 \x80";"45 000,00 \x80"',
      'CBELLEC;Hôtel Bellecour SAS;FA2026-0041;09/10/2026;08/11/2026;"45\xa0000,00\xa0\x80";"1\xa0000,00\xa0\x80"',
      'CMORELE;Électricité Générale Morel;AV2026-0002;12/11/2026;12/11/2026;"-1 200,00 \x80";"-1 200,00 \x80"',
      'CMORELE;Électricité Générale Morel;FA2026-0039;08/10/2026;07/11/2026;3 600,00\x80;\x80 3 600,00',
      'CGIRAUD;Menuiserie Giraud & Fils;FA2026-0037;05/10/2026;04/11/2026;2 940,00 EUR;EUR 2 940,00',
      'Total général;;;;;"95 340,00 \x80";"51 340,00 \x80"',
    ]);
    const { report, records, findings } = await readTabular(file, 'balance', options);
    expect(report.encoding).toBe('windows-1252');
    expect(findings.filter((f) => f.severity === 'erreur')).toEqual([]);
    expect((records as OpenItem[]).map((r) => [r.ref, r.originalCents, r.openCents])).toEqual([
      ['FA2026-0040', 4_500_000, 4_500_000],
      ['FA2026-0041', 4_500_000, 100_000],
      ['AV2026-0002', -120_000, -120_000],
      ['FA2026-0039', 360_000, 360_000],
      ['FA2026-0037', 294_000, 294_000],
    ]);
    expect(report.totals.map((t) => [t.declaredCents, t.computedCents])).toEqual([[9_534_000, 9_534_000], [5_134_000, 5_134_000]]);
  });

  it('quotes a bad amount as the file holds it: € as €, an invisible character escaped', async () => {
    const file = cp1252('excel-bad.csv', [
      HEADER,
      'CBELLEC;Hôtel Bellecour SAS;FA2026-0040;09/10/2026;08/11/2026;"45 000,00 \x80";"45 000,00 \x80 HT"',
      'CMORELE;Électricité Générale Morel;FA2026-0039;08/10/2026;07/11/2026;3 600,00;3 600,00\x81',
    ]);
    const { findings } = await readTabular(file, 'balance', options);
    expect(findings.filter((f) => f.severity === 'erreur').map((f) => f.message)).toEqual([
      'montant illisible « 45 000,00 € HT »',
      'montant illisible « 3 600,00\\u0081 »',
    ]);
  });
});

describe('the date an export was printed', () => {
  const at = (date: string): Date => new Date(`${date}T10:00:00+01:00`);
  const titled = (name: string, title: string[], modified: Date): string => {
    const lines = [...title, '', 'N° compte tiers;Intitulé;N° pièce;Date pièce;Échéance;Solde', 'CBELLEC;Hôtel Bellecour SAS;FA2026-0040;09/10/2026;08/11/2026;45 000,00'];
    writeFileSync(join(dir, name), `${lines.join('\r\n')}\r\n`);
    utimesSync(join(dir, name), modified, modified);
    return name;
  };

  it('is the printing date, not the end of the period shown beside it', async () => {
    const file = titled('stale.csv', ['Lumen Éclairage SAS', 'Échéancier clients', 'Date de tirage : 01/11/2026', 'Période du 01/01/2026 au 31/12/2026'], at('2026-11-01'));
    const { report, findings } = await readTabular(file, 'balance', options);
    expect(report.exportDate).toBe('2026-11-01');
    expect(findings).toEqual([]);
    // `send` refuses it: 15 days old (the period's end would have made it look fresh).
    const { code, stderr } = await runCli(['send', '--dry-run', '--balance', file, '--as-of', '2026-11-16'], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toContain(`${file} date du 01/11/2026, 15 jours avant le 16/11/2026 : envoi refusé, rien n'a été envoyé`);
  });

  it.each([
    [['Balance âgée éditée le 14/11/2026 à 18:02'], '2026-11-14'],
    [['Imprimé le : 13/11/2026', 'Période du 01/01/2026 au 31/12/2026'], '2026-11-13'],
    [['Échéancier clients au 16/11/2026 - Lumen Éclairage SAS'], '2026-11-16'],
    [['Balance âgée au 16/11/2026', 'Exercice du 01/01/2026 au 31/12/2026'], '2026-11-16'],
    [['Règlements clients du 01/01/2026 au 16/11/2026'], null],
    [['Période : 01/01/2026 - 31/12/2026'], null],
    [['Lumen Éclairage SAS'], null],
    [['16/11/2026'], '2026-11-16'],
  ])('title %j gives %s', (title, date) => {
    expect(exportDateOf([title as string[]].flatMap((t) => t.map((l) => [l])), '2026-11-20')).toEqual({ date, finding: null });
  });

  it('when ambiguous, is the file\'s modification date, and a warning says why', async () => {
    const two = titled('two-dates.csv', ['Date de tirage : 12/11/2026', 'Imprimé le 14/11/2026'], at('2026-11-15'));
    const read = await readTabular(two, 'balance', options);
    expect(read.report.exportDate).toBe('2026-11-15');
    expect(read.findings.map((f) => [f.severity, f.code, f.message])).toEqual([
      ['avertissement', 'date-export-ambigue', "date de l'export ambiguë : les lignes de titre donnent plusieurs dates de tirage (12/11/2026, 14/11/2026) ; la date de modification du fichier (15/11/2026) est retenue"],
    ]);
    const late = titled('late.csv', ['Date de tirage : 16/11/2026'], at('2026-11-10'));
    const lateRead = await readTabular(late, 'balance', options);
    expect(lateRead.report.exportDate).toBe('2026-11-10');
    expect(lateRead.findings[0]!.message).toBe(
      "date de l'export ambiguë : la date de tirage 16/11/2026 est postérieure à la dernière modification du fichier (10/11/2026) ; la date de modification du fichier (10/11/2026) est retenue",
    );
  });
});
