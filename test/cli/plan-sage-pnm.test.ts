import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan.js';
import { runCli } from '../helpers.js';

const LEDGER = 'fixtures/sage100/ecritures-2026.txt';
const DEMO = 'fixtures/real/sage100/DEMO_MPLG_20260919.txt';
const euros = (text: string) => text.replace(/ (?=\d{3},)/g, '\u202f').replace(/ €/g, '\u00a0€');

const reference = async (): Promise<Plan> => {
  const r = await runCli(['plan', '--balance', 'fixtures/sage100/balance.csv', '--payments', 'fixtures/sage100/reglements.csv', '--clients', 'fixtures/sage100/clients.csv', '--as-of', '2026-11-16', '--format', 'json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Plan;
};

describe('relance on the Sage 100 #MECG export of the fixture company', () => {
  it('plans from the entries what it plans from the Sage 100 CSV exports', async () => {
    const r = await runCli(['plan', '--ledger', LEDGER, '--clients', 'fixtures/sage100/clients.csv', '--as-of', '2026-11-16', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      euros('attention : dernière écriture le 12/11/2026, il y a 4 jours ; 1 client sans e-mail : CGIRAUD ; 2 clients ont des règlements ou avoirs non imputés (CVASSEU 2 160,00 €, CMORELE 1 200,00 €).\n') +
        'conseil : relance check sur les mêmes fichiers donne le détail et la correction de chaque point.\n',
    );
    expect(JSON.parse(r.stdout)).toEqual(await reference());
  });

  it('is recognised by its content as « export Sage 100 (#MECG) »', async () => {
    const r = await runCli(['inspect', LEDGER, '--as-of', '2026-11-16']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  Format            : export Sage 100 (#MECG)\n');
    expect(r.stdout).toContain('  Encodage          : cp850 (pas de l\'UTF-8 (octet 0x8A ligne 6) ; lu en CP850,\n                      l\'encodage des exports Sage 100)\n');
    expect(r.stdout).toContain('  Lignes lues       : 15120 ; enregistrements : 77 ; ignorées : 259 hors comptes\n                      clients, 8 à-nouveaux (toutes lignes)\n');
  });

  it('passes check', async () => {
    const r = await runCli(['check', '--ledger', LEDGER, '--clients', 'fixtures/sage100/clients.csv', '--as-of', '2026-11-16']);
    expect(r.stdout).toContain('Contrôle des données au 16/11/2026 : 0 erreur, 5 avertissements, 1 information.');
    expect(r.code).toBe(0);
  });

  it("reads Sage's own #MPLG demo file (chart of accounts only) without error", async () => {
    const r = await runCli(['inspect', DEMO, '--as-of', '2026-11-16', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const [report] = (JSON.parse(r.stdout) as { files: { formatLabel: string; records: number; lines: number; skipped: Record<string, number> }[] }).files;
    expect(report).toMatchObject({ formatLabel: 'export Sage 100 (#MECG)', records: 0, lines: 52, skipped: { '#MPLG': 2 } });
  });

  it('refuses to plan from an export with one broken due date, saying where and how to fix it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-pnm-cli-'));
    const lines = readFileSync(LEDGER, 'latin1').split('\r\n');
    // The first customer line (field 7 = 411000): its field 13 (échéance) is 13 lines below its tag.
    const at = lines.findIndex((l, i) => l === '#MECG' && lines[i + 7] === '411000');
    lines[at + 13] = '3102';
    writeFileSync(join(dir, 'ecritures.txt'), lines.join('\r\n'), 'latin1');
    const r = await runCli(['plan', '--ledger', join(dir, 'ecritures.txt'), '--as-of', '2026-11-16']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `relance: erreur : ${join(dir, 'ecritures.txt')}, ligne ${at + 14}, colonne « champ 13 (échéance) » : « 3102 » n'est pas une date JJMMAA. Le fichier est rejeté en entier.\n` +
        "conseil : les dates d'un export Sage 100 s'écrivent JJMMAA (160226 pour le 16/02/2026) ; corrigez l'écriture dans Sage 100 et ré-exportez\n",
    );
  });
});
