import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan.js';
import { runCli } from '../helpers.js';

const euros = (text: string) => text.replace(/ (?=\d{3},)/g, '\u202f').replace(/ €/g, '\u00a0€');
// What `check` flags on the fixture company and bears on the plan: the same as from the CSV exports.
const WARNINGS =
  euros('attention : 1 client sans e-mail : CGIRAUD ; 2 clients ont des règlements ou avoirs non imputés (CVASSEU 2 160,00 €, CMORELE 1 200,00 €).\n') +
  'conseil : relance check sur les mêmes fichiers donne le détail et la correction de chaque point.\n';
const files = (ext: string) => ['--balance', `fixtures/sage100/balance.${ext}`, '--payments', `fixtures/sage100/reglements.${ext}`, '--clients', `fixtures/sage100/clients.${ext}`];

describe('relance on the Sage 100 « Exporter vers Excel » workbooks of the fixture company', () => {
  it('plans exactly what the Sage 100 CSV exports plan', async () => {
    const reference = await runCli(['plan', ...files('csv'), '--as-of', '2026-11-16', '--format', 'json']);
    const r = await runCli(['plan', ...files('xlsx'), '--as-of', '2026-11-16', '--format', 'json']);
    expect(r.stderr).toBe(WARNINGS);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout) as Plan).toEqual(JSON.parse(reference.stdout) as Plan);
  });

  it('inspect names the workbook, its sheet and what it read, totals checked', async () => {
    const r = await runCli(['inspect', 'fixtures/sage100/balance.xlsx', '--as-of', '2026-11-16', '--limit', '1'], { columns: 160 });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 10)).toEqual([
      'Fichier : fixtures/sage100/balance.xlsx',
      '  Format           : classeur Excel, feuille « Échéancier clients », balance âgée (créances ouvertes)',
      '  Logiciel         : Sage 100 (détecté)',
      '  Encodage         : utf-8 (classeur Excel : texte Unicode)',
      '  Séparateur       : aucun, une valeur par cellule',
      "  Ligne d'en-tête  : 4",
      "  Date de l'export : 16/11/2026",
      // Excel rows: 2 title rows and a blank one, the header, 18 open items, 11 subtotals, the grand total.
      '  Lignes lues      : 34 ; enregistrements : 18 ; ignorées : 3 titre, 11 sous-totaux, 1 total',
      euros('  Totaux vérifiés  : 12 lignes de total, égales à la somme des lignes (Montant 93 488,00 €, Solde 90 988,00 €)'),
      '┌─────────┬─────────────────┬─────────────────────────┐',
    ]);
  });

  it('check finds nothing that stops a plan', async () => {
    const r = await runCli(['check', ...files('xlsx'), '--as-of', '2026-11-16', '--format', 'json']);
    expect(r.code).toBe(0);
    const findings = (JSON.parse(r.stdout) as { findings: { severity: string; code: string; file: string; line: number | null }[] }).findings;
    expect(findings.filter((f) => f.severity === 'erreur')).toEqual([]);
    // The warnings the CSV exports give, on the workbooks' own rows.
    expect(findings.map((f) => [f.severity, f.code, f.file.split('/').at(-1), f.line])).toEqual([
      ['avertissement', expect.any(String), 'balance.xlsx', 14],
      ['avertissement', expect.any(String), 'balance.xlsx', 32],
      ['avertissement', expect.any(String), 'clients.xlsx', 8],
      ['avertissement', expect.any(String), 'reglements.xlsx', 35],
      ['info', expect.any(String), 'balance.xlsx', null],
    ]);
  });
});
