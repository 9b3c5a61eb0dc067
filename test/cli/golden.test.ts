import { describe, it } from 'vitest';
import { expectGolden } from '../golden.js';
import { fixture, runCli } from '../helpers.js';

// Whole outputs on the fixture company, pinned beside the fixtures with a fixed as-of.
const SOFTWARE = ['sage100', 'sage50', 'cegid', 'ebp'];
const files = (sw: string) => [`fixtures/${sw}/balance.csv`, `fixtures/${sw}/reglements.csv`, `fixtures/${sw}/clients.csv`];

describe.each(SOFTWARE)('golden outputs for %s', (sw) => {
  it('inspect, as a table', async () => {
    const r = await runCli(['inspect', ...files(sw), '--as-of', '2026-11-16', '--limit', '8']);
    expectGolden(`${r.stdout}${r.stderr}--- code de sortie : ${r.code}\n`, fixture(`${sw}/inspect.golden.txt`));
  });

  it('check, as JSON', async () => {
    const [balance, payments, clients] = files(sw);
    const r = await runCli(['check', '--balance', balance!, '--payments', payments!, '--clients', clients!, '--as-of', '2026-11-16', '--format', 'json']);
    expectGolden(`${r.stdout}${r.stderr}`, fixture(`${sw}/check.golden.json`));
  });
});

describe('golden outputs for the FEC', () => {
  it('inspect of two consecutive fiscal years, as a table', async () => {
    const r = await runCli(['inspect', '--fec', 'fixtures/fec/812345678FEC20251231.txt', '--fec', 'fixtures/fec/812345678FEC20261231.txt', '--as-of', '2026-11-16', '--limit', '30']);
    expectGolden(`${r.stdout}${r.stderr}--- code de sortie : ${r.code}\n`, fixture('fec/inspect.golden.txt'));
  });
});
