import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DataError } from '../../src/errors.js';
import { loadInputs, type InputFlags } from '../../src/read/inputs.js';
import { runCli } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'relance-cut-rows-'));
const config = loadConfig(null, dir);
const balanceFlags = (file: string): InputFlags => ({
  balance: [file], payments: [], clients: [], fec: [], ledger: [], files: [], sheet: null, asOf: '2026-11-16', profile: null, encoding: null,
});
const write = (name: string, lines: string[], eol = '\n'): string => {
  writeFileSync(join(dir, name), `${lines.join(eol)}${eol}`);
  return name;
};

const HEADER = 'N° compte tiers;Intitulé;N° pièce;Date pièce;Échéance;Montant;Solde';
const BELLECOUR = 'CBELLEC;Hôtel Bellecour SAS;FA2026-0040;09/10/2026;08/11/2026;45 000,00;45 000,00';
const ROUX = 'CROUXVI;Roux Villeurbanne;FA2026-0041;10/10/2026;09/11/2026;800,00;800,00';

describe('a row cut in two by an unquoted line break', () => {
  it.each([
    ['in the client name', ['CMORELE;Électricité', 'Générale Morel;FA2026-0039;08/10/2026;07/11/2026;3 600,00;3 600,00'],
      '« CMORELE;Électricité » puis « Générale Morel;FA2026-0039;08/10/2026;07/11/2026;3 600,00;3… » : 2 et 6 colonnes'],
    ['in a date', ['CMORELE;Électricité Générale Morel;FA2026-0039;08/10/2026;07/1', '1/2026;3 600,00;3 600,00'],
      '« CMORELE;Électricité Générale Morel;FA2026-0039;08/10/2026;0… » puis « 1/2026;3 600,00;3 600,00 » : 5 et 3 colonnes'],
    ['right after a separator', ['CMORELE;Électricité Générale Morel;', 'FA2026-0039;08/10/2026;07/11/2026;3 600,00;3 600,00'],
      '« CMORELE;Électricité Générale Morel » puis « FA2026-0039;08/10/2026;07/11/2026;3 600,00;3 600,00 » : 3 et 5 colonnes'],
  ])('%s, is an error naming both lines, not a bogus client', async (_, cut, parts) => {
    const file = write(`cut-${cut[1]!.length}.csv`, ['Échéancier clients', '', HEADER, BELLECOUR, ROUX, '', cut[0]!, cut[1]!, ROUX.replace('0041', '0042')]);
    const err = (await loadInputs(balanceFlags(file), config, true, dir).catch((e: unknown) => e)) as DataError;
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toBe(
      `${file} : lignes 7 et 8 : une ligne coupée en deux par un retour à la ligne non protégé (${parts}, qui recollées font une ligne complète de 7 colonnes). Le fichier est rejeté en entier.`,
    );
  });

  it('is listed by check as one error, with no warning about the halves', async () => {
    const file = write('check.csv', [HEADER, BELLECOUR, 'CMORELE;Électricité', 'Générale Morel;FA2026-0039;08/10/2026;07/11/2026;3 600,00;3 600,00'], '\r\n');
    const inputs = await loadInputs(balanceFlags(file), config, false, dir);
    expect(inputs.findings.filter((f) => f.file === file).map((f) => [f.severity, f.code, f.message.slice(0, 14)])).toEqual([
      ['erreur', 'ligne-coupee', 'lignes 3 et 4 '],
    ]);
    expect(inputs.openItems.map((i) => i.clientCode)).toEqual(['CBELLEC']);
    const r = await runCli(['check', '--balance', file, '--as-of', '2026-11-16', '--format', 'csv'], { cwd: dir });
    const rows = (parse(r.stdout, { columns: true }) as Record<string, string>[]).filter((f) => f.file === file);
    expect(rows.map((f) => [f.severity, f.code, f.line, f.message!.slice(0, 40)])).toEqual([
      ['erreur', 'ligne-coupee', '', 'lignes 3 et 4 : une ligne coupée en deux'],
    ]);
    expect(r.code).toBe(1);
  });

  it('leaves alone a client header row followed by its full detail rows', async () => {
    const file = write('groups.csv', [HEADER, 'CMORELE;Électricité Générale Morel', ';;FA2026-0039;08/10/2026;07/11/2026;3 600,00;3 600,00', 'CROUXVI;Roux', ';;FA2026-0041;10/10/2026;09/11/2026;800,00;800,00']);
    const inputs = await loadInputs(balanceFlags(file), config, true, dir);
    expect(inputs.openItems.map((i) => [i.clientCode, i.clientName, i.ref])).toEqual([
      ['CMORELE', 'Électricité Générale Morel', 'FA2026-0039'],
      ['CROUXVI', 'Roux', 'FA2026-0041'],
    ]);
  });

  it('leaves alone a line break inside quotes', async () => {
    const file = write('quoted.csv', [HEADER, 'CMORELE;"Électricité', 'Générale Morel";FA2026-0039;08/10/2026;07/11/2026;3 600,00;3 600,00', ROUX]);
    const inputs = await loadInputs(balanceFlags(file), config, true, dir);
    expect(inputs.openItems.map((i) => [i.clientName, i.source.line])).toEqual([['Électricité\nGénérale Morel', 2], ['Roux Villeurbanne', 4]]);
  });
});
