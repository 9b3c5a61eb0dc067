import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loadInputs, type InputFlags } from '../../src/read/inputs.js';

// A file in plain ASCII for more than its first MiB, then one Windows-1252 byte near the
// end: the reader starts it over through the decoder. What it handed on before must not
// be counted twice (issue 10: 46,730 records for 30,001 lines).
const dir = mkdtempSync(join(tmpdir(), 'relance-inputs-'));
const config = loadConfig(null, dir);
const LINES = 40_000;

function flags(over: Partial<InputFlags>): InputFlags {
  return { balance: [], payments: [], clients: [], fec: [], ledger: [], files: [], sheet: null, asOf: '2026-11-16', profile: null, encoding: null, ...over };
}

/** ASCII lines, then one last line holding a Windows-1252 é (0xE9): about 1.2 MiB. */
function lateAccent(name: string, header: string, line: (i: number) => string, last: string): string {
  const rows = [header];
  for (let i = 0; i < LINES; i++) rows.push(line(i));
  const bytes = Buffer.concat([Buffer.from(`${rows.join('\r\n')}\r\n`, 'latin1'), Buffer.from(`${last}\r\n`, 'latin1')]);
  expect(bytes.length).toBeGreaterThan(1.2 * 2 ** 20);
  writeFileSync(join(dir, name), bytes);
  return name;
}

const balance = lateAccent(
  'balance.csv',
  'No compte tiers;Intitule;No piece;Date piece;Echeance;Solde',
  (i) => `C${String(i % 500).padStart(4, '0')};Client ${i % 500};FA${i};01/10/2026;31/10/2026;100,00`,
  'CZ;Soci\xe9t\xe9 Z;FAZ;01/10/2026;31/10/2026;1,00',
);
// Every payment settles one invoice whose due date is known: one history entry each;
// one in ten names no invoice (unapplied).
const payments = lateAccent(
  'reglements.csv',
  'No compte tiers;Intitule;Date;No piece;Mode de reglement;Montant;Pieces reglees;Date facture;Echeance facture',
  (i) => (i % 10 === 0
    ? `C${String(i % 500).padStart(4, '0')};Client;20/10/2026;RG${i};Virement;10,00;;;`
    : `C${String(i % 500).padStart(4, '0')};Client;20/10/2026;RG${i};Virement;10,00;FA${i};01/09/2026;01/10/2026`),
  'CZ;Soci\xe9t\xe9 Z;20/10/2026;RGZ;Ch\xe8que;10,00;FAZ;01/09/2026;01/10/2026',
);
const clients = lateAccent(
  'clients.csv',
  'No compte tiers;Intitule;E-mail',
  (i) => `C${String(i).padStart(5, '0')};Client ${i};c${i}@example.fr`,
  'CZ;Soci\xe9t\xe9 Z;z@example.fr',
);

describe('a file whose Windows-1252 shows itself after its first MiB', () => {
  it('gives each open item once: as many records as data lines', async () => {
    const inputs = await loadInputs(flags({ balance: [balance] }), config, true, dir);
    expect(inputs.reports[0]!.encoding).toBe('windows-1252');
    expect(inputs.reports[0]!.records).toBe(LINES + 1);
    expect(inputs.openItems).toHaveLength(LINES + 1);
    expect(new Set(inputs.openItems.map((i) => i.ref)).size).toBe(LINES + 1);
    expect(inputs.openItems.at(-1)!.clientName).toBe('Société Z');
  });

  it('gives each payment once, kept or folded into the payers\' histories', async () => {
    const kept = await loadInputs(flags({ payments: [payments] }), config, true, dir);
    expect(kept.payments).toHaveLength(LINES + 1);
    const folded = await loadInputs(flags({ payments: [payments] }), config, true, dir, { graceDays: 5 });
    expect(folded.payments).toHaveLength(0);
    const settled = [...folded.histories.values()].reduce((n, h) => n + h.count, 0);
    expect(settled).toBe(LINES - LINES / 10 + 1);
    expect([...folded.histories.values()].reduce((s, h) => s + h.amountCents, 0)).toBe(settled * 1000);
    for (const inputs of [kept, folded]) {
      const unapplied = [...inputs.unapplied.values()];
      expect(unapplied.reduce((n, u) => n + u.count, 0)).toBe(LINES / 10);
      expect(unapplied.reduce((s, u) => s + u.cents, 0)).toBe((LINES / 10) * 1000);
    }
  });

  it('gives each client once', async () => {
    const inputs = await loadInputs(flags({ clients: [clients] }), config, true, dir);
    expect(inputs.clients).toHaveLength(LINES + 1);
  });

  it('adds two payments files of the same payers into one history each', async () => {
    const one = await loadInputs(flags({ payments: [payments] }), config, true, dir, { graceDays: 5 });
    writeFileSync(join(dir, 'reglements-2.csv'), 'No compte tiers;Intitule;Date;No piece;Montant;Pieces reglees;Echeance facture\r\nC0001;Client;30/10/2026;RG2-1;50,00;FB1;01/10/2026\r\n');
    const two = await loadInputs(flags({ payments: [payments, 'reglements-2.csv'] }), config, true, dir, { graceDays: 5 });
    const before = one.histories.get('C0001')!;
    expect(two.histories.get('C0001')).toEqual({
      count: before.count + 1,
      amountCents: before.amountCents + 5000,
      centDaysLate: before.centDaysLate + 5000 * 29,
      lateCents: before.lateCents + 5000,
      lastPayment: '2026-10-30',
    });
  });
});
