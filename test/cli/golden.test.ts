import { describe, it } from 'vitest';
import { expectGolden } from '../golden.js';
import { fixture, runCli } from '../helpers.js';

// Whole outputs on the fixture company, pinned beside the fixtures with a fixed as-of.
// Tables are pinned whole (--wide); test/render/terminal-width.test.ts fits them to 80 columns.
const SOFTWARE = ['sage100', 'sage50', 'cegid', 'ebp'];
const files = (sw: string) => [`fixtures/${sw}/balance.csv`, `fixtures/${sw}/reglements.csv`, `fixtures/${sw}/clients.csv`];

describe.each(SOFTWARE)('golden outputs for %s', (sw) => {
  it('inspect, as a table', async () => {
    const r = await runCli(['inspect', ...files(sw), '--as-of', '2026-11-16', '--limit', '8', '--wide']);
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
    const r = await runCli(['inspect', '--fec', 'fixtures/fec/812345678FEC20251231.txt', '--fec', 'fixtures/fec/812345678FEC20261231.txt', '--as-of', '2026-11-16', '--limit', '30', '--wide']);
    expectGolden(`${r.stdout}${r.stderr}--- code de sortie : ${r.code}\n`, fixture('fec/inspect.golden.txt'));
  });
});

describe('golden plan of the fixture company', () => {
  const inputs = ['--balance', 'fixtures/sage100/balance.csv', '--payments', 'fixtures/sage100/reglements.csv', '--clients', 'fixtures/sage100/clients.csv', '--as-of', '2026-11-16'];
  it('as a table, with the details and the score explained', async () => {
    const r = await runCli(['plan', ...inputs, '--explain', '--wide']);
    expectGolden(`${r.stdout}${r.stderr}--- code de sortie : ${r.code}\n`, fixture('sage100/plan.golden.txt'));
  });
  it('as JSON', async () => {
    const r = await runCli(['plan', ...inputs, '--format', 'json']);
    expectGolden(`${r.stdout}${r.stderr}`, fixture('sage100/plan.golden.json'));
  });
  it('as CSV', async () => {
    const r = await runCli(['plan', ...inputs, '--format', 'csv']);
    expectGolden(`${r.stdout}${r.stderr}`, fixture('sage100/plan.golden.csv'));
  });
  it('the same plan from the two FECs and the clients file', async () => {
    const r = await runCli(['plan', '--fec', 'fixtures/fec/812345678FEC20251231.txt', '--fec', 'fixtures/fec/812345678FEC20261231.txt', '--clients', 'fixtures/sage100/clients.csv', '--as-of', '2026-11-16', '--detail', '--wide']);
    expectGolden(`${r.stdout}${r.stderr}--- code de sortie : ${r.code}\n`, fixture('fec/plan.golden.txt'));
  });
});
