import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan.js';
// @ts-expect-error the fixture generator is plain JavaScript, without types
import { quadraRef } from '../../fixtures/lib/ledgers/quadra.mjs';
import { runCli } from '../helpers.js';

const LEDGER = 'fixtures/quadra/ecritures-2026.txt';
const euros = (text: string) => text.replace(/ (?=\d{3},)/g, '\u202f').replace(/ €/g, '\u00a0€');
// The ledger's last entry is on 12/11/2026 (the CSV exports are printed on 16/11): check says so.
const WARNINGS =
  euros('attention : dernière écriture le 12/11/2026, il y a 4 jours ; 1 client sans e-mail : CGIRAUD ; 2 clients ont des règlements ou avoirs non imputés (CVASSEU 2 160,00 €, CMORELE 1 200,00 €).\n') +
  'conseil : relance check sur les mêmes fichiers donne le détail et la correction de chaque point.\n';

/**
 * The reference plan with its piece references as Quadra's 10-character piece field holds
 * them (FA2026-0027 -> FA26-0027, by the generator's own quadraRef): the only mapping, for
 * a field Quadra cannot carry whole. A reference is mapped wherever the plan names it,
 * in `ref` fields and in sentences (« avant l'échéance de FA2026-0041 »).
 */
function withQuadraRefs<T>(value: T): T {
  const toRef = quadraRef as (ref: string) => string;
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) =>
    typeof v === 'string' ? v.replace(/\b[A-Z]+20\d\d-\d{4}\b/g, (ref) => toRef(ref)) : v,
  ) as T;
}

describe('relance on the Quadra ASCII export of the fixture company', () => {
  it('plans exactly what the Sage 100 CSV exports plan, references in Quadra form', async () => {
    const ref = await runCli(['plan', '--balance', 'fixtures/sage100/balance.csv', '--payments', 'fixtures/sage100/reglements.csv', '--clients', 'fixtures/sage100/clients.csv', '--as-of', '2026-11-16', '--format', 'json']);
    const r = await runCli(['plan', '--ledger', LEDGER, '--clients', 'fixtures/sage100/clients.csv', '--as-of', '2026-11-16', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(WARNINGS);
    expect(JSON.parse(r.stdout) as Plan).toEqual(withQuadraRefs(JSON.parse(ref.stdout) as Plan));
  });

  it('maps references as the generator writes them, and only those', () => {
    expect(withQuadraRefs({ ref: 'FA2026-0027', why: "l'échéance de AV2026-0002 (21/11/2026)", code: 'CTILLEU', n: 2026 })).toEqual({
      ref: 'FA26-0027', why: "l'échéance de AV26-0002 (21/11/2026)", code: 'CTILLEU', n: 2026,
    });
  });

  it('inspect names the format and what it read', async () => {
    const r = await runCli(['inspect', LEDGER, '--as-of', '2026-11-16', '--limit', '1'], { columns: 160 });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 6)).toEqual([
      `Fichier : ${LEDGER}`,
      '  Format            : Quadra ASCII',
      "  Encodage          : windows-1252 (pas de l'UTF-8 (octet 0xE8 ligne 1) ; lu en Windows-1252, l'encodage des exports Quadra)",
      '  Séparateur        : largeur fixe, fins de ligne CRLF',
      '  Dernière écriture : 12/11/2026',
      // 349 lines: 13 C lines (12 clients, the supplier) and 336 M lines, 77 of them on customer accounts.
      '  Lignes lues       : 349 ; enregistrements : 77 ; ignorées : 259 hors comptes clients, 8 à-nouveaux (toutes lignes), 13 lignes C (comptes)',
    ]);
  });

  it('check finds nothing that stops a plan', async () => {
    const r = await runCli(['check', '--ledger', LEDGER, '--clients', 'fixtures/sage100/clients.csv', '--as-of', '2026-11-16']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
