import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan.js';
import { runCli } from '../helpers.js';

const euros = (text: string) => text.replace(/ (?=\d{3},)/g, '\u202f').replace(/ €/g, '\u00a0€');
const AS_OF = ['--as-of', '2026-11-16'];
// The ledgers end with the last entry (12/11/2026), four days before the as-of date: the
// CSV exports carry their printing date instead, hence the first warning.
const LEDGER_WARNINGS =
  euros('attention : dernière écriture le 12/11/2026, il y a 4 jours ; 1 client sans e-mail : CGIRAUD ; 2 clients ont des règlements ou avoirs non imputés (CVASSEU 2 160,00 €, CMORELE 1 200,00 €).\n') +
  'conseil : relance check sur les mêmes fichiers donne le détail et la correction de chaque point.\n';

const FILES = [
  { file: 'fixtures/ebp/ecritures-2026.txt', clients: 'fixtures/ebp/clients.csv', label: 'export EBP (ASCII)' },
  { file: 'fixtures/cegid/ecritures-2026.tra', clients: 'fixtures/cegid/clients.csv', label: 'Cegid TRA' },
];

const reference = async (): Promise<Plan> => {
  const r = await runCli(['plan', '--balance', 'fixtures/sage100/balance.csv', '--payments', 'fixtures/sage100/reglements.csv', '--clients', 'fixtures/sage100/clients.csv', ...AS_OF, '--format', 'json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Plan;
};

describe.each(FILES)('the fixture company from $file', ({ file, clients, label }) => {
  it('gives the reference plan (the Sage 100 CSV exports), with the software\'s own clients export', async () => {
    const r = await runCli(['plan', '--ledger', file, '--clients', clients, ...AS_OF, '--format', 'json']);
    expect(r.stderr).toBe(LEDGER_WARNINGS);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout) as Plan).toEqual(await reference());
  });

  it(`is the « ${label} » for inspect`, async () => {
    const r = await runCli(['inspect', file, ...AS_OF]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  Format            : ${label}\n`);
    expect(r.stdout).toContain('  Dernière écriture : 12/11/2026\n');
  });

  it('passes check', async () => {
    const r = await runCli(['check', '--ledger', file, '--clients', clients, ...AS_OF]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Pas d'erreur bloquante");
  });
});
