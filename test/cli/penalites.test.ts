import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { optionTable } from '../../src/commands/options.js';
import { PENALITES_OPTIONS } from '../../src/commands/penalites-options.js';
import { expectGolden } from '../golden.js';
import { fixture, runCli } from '../helpers.js';

const SAGE = ['--payments', fixture('sage100/reglements.csv'), '--clients', fixture('sage100/clients.csv'), '--balance', fixture('sage100/balance.csv')];
const FEC = ['--fec', fixture('fec/812345678FEC20251231.txt'), '--fec', fixture('fec/812345678FEC20261231.txt')];
const dirs: string[] = [];

/**
 * A scratch folder with the fixture company's config (penalties.whenRateMissing: lastKnown),
 * `penalties` lines added after that key; the fixtures are read in place.
 */
function scratch(penalties = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'relance-penalites-'));
  dirs.push(dir);
  const config = readFileSync(fixture('relance.yaml'), 'utf8');
  writeFileSync(join(dir, 'relance.yaml'), config.replace('  whenRateMissing: lastKnown\n', `  whenRateMissing: lastKnown\n${penalties}`));
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('relance penalites', () => {
  it('lists, per client, the invoices paid late with interest (L441-10) and 40 € indemnities (D441-5)', async () => {
    const r = await runCli(['penalites', ...SAGE, '--as-of', '2026-11-16', '--from', '2026-01-01', '--to', '2026-06-30', '--format', 'json'], { cwd: scratch() });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.period).toEqual({ from: '2026-01-01', to: '2026-06-30' });
    const traboules = report.clients.find((c: { clientCode: string }) => c.clientCode === 'CTRABOU');
    // FA2026-0001: 2 052,00 € due 07/02/2026, paid 23/03/2026: 44 days at 12,15 % = 30,05 €.
    expect(traboules.invoices.map((i: { ref: string; interestCents: number; indemnityCents: number }) => [i.ref, i.interestCents, i.indemnityCents])).toEqual([
      ['FA2026-0001', 3005, 4000],
      ['FA2026-0006', 3713, 4000],
      ['FA2026-0014', 4774, 4000],
    ]);
    expect(report.totals).toMatchObject({ clients: 6, invoices: 11 });
  });

  it('reads the same facts from the FEC lettering as from the payments file', async () => {
    const args = ['--as-of', '2026-11-16', '--from', '2026-01-01', '--to', '2026-06-30', '--format', 'csv'];
    const fromFec = await runCli(['penalites', ...FEC, ...args], { cwd: scratch() });
    const fromSage = await runCli(['penalites', ...SAGE, ...args], { cwd: scratch() });
    expect(fromFec.code).toBe(0);
    const cut = (csv: string) => csv.split('\n').map((l) => l.split(',').filter((_, i) => i !== 1 && i !== 2 && i !== 5).join(','));
    expect(cut(fromFec.stdout)).toEqual(cut(fromSage.stdout));
  });

  it('states no interest for a half-year without a rate unless whenRateMissing is lastKnown, and says so', async () => {
    const r = await runCli(['penalites', ...SAGE, '--as-of', '2026-11-16', '--from', '2026-07-01', '--client', 'CTRABOU', '--wide'], { cwd: scratch(), columns: 200 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('taux de 12,15'); // lastKnown in the fixture config: the rate is stated
    const refuse = scratch();
    writeFileSync(join(refuse, 'relance.yaml'), readFileSync(fixture('relance.yaml'), 'utf8').replace('whenRateMissing: lastKnown', 'whenRateMissing: refuse'));
    const refused = await runCli(['penalites', ...SAGE, '--as-of', '2026-11-16', '--from', '2026-07-01', '--client', 'CTRABOU', '--wide'], { cwd: refuse, columns: 200 });
    expect(refused.stdout).toContain('non calculé');
    expect(refused.stdout).toContain("n'a pas de taux pour le 2e semestre 2026");
    // FA2026-0021, due 19/06/2026 and paid 24/08/2026: only its 11 days of June keep a rate (12,15 %).
    const plain = refused.stdout.replace(/[\u00a0\u202f]/g, ' ');
    expect(plain).toMatch(/FA2026-0021 +│ 19\/06\/2026 │ 24\/08\/2026 │ +66 │ +1 380,00 € │ 12,15 % │ +5,05 € │ +40,00 € │ +45,05 € │/);
    expect(refused.stdout).toContain("CTRABOU FA2026-0021 : intérêts comptés jusqu'au 30/06/2026 seulement");
    expect(plain).toMatch(/FA2026-0025 .* non calculé │ +40,00 € │ +40,00 € │/);
  });

  it('writes one courteous statement per client with --letters, none to a waived segment or client', async () => {
    const dir = scratch('  lateStatement:\n    waiveClients: [CVASSEU]\n    minimum: 45\n');
    const r = await runCli(['penalites', ...SAGE, '--as-of', '2026-11-16', '--from', '2026-01-01', '--letters', 'releves'], { cwd: dir, columns: 200 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CVASSEU : pas de relevé, client dispensé (penalties.lateStatement.waiveClients).');
    const files = readdirSync(join(dir, 'releves')).sort();
    expect(files).toContain('releve-penalites-CTRABOU-2026-11-16.html');
    expect(files.some((f) => f.includes('CVASSEU'))).toBe(false);
    const text = readFileSync(join(dir, 'releves', 'releve-penalites-CTRABOU-2026-11-16.txt'), 'utf8');
    const letter = readFileSync(join(dir, 'releves', 'releve-penalites-CTRABOU-2026-11-16.html'), 'utf8');
    expect(text).toContain('article L441-10 du Code de commerce');
    expect(text).toContain('article D441-5 du Code de commerce');
    expect(text).not.toMatch(/mise en demeure/i);
    expectGolden(`${text}\n== lettre ==\n${letter}`, fixture('letters/releve_penalites.golden.txt'));
  });

  it('writes nothing when every penalty is waived (waiveAll), and says why', async () => {
    const dir = scratch('  lateStatement:\n    waiveAll: true\n');
    const r = await runCli(['penalites', ...SAGE, '--as-of', '2026-11-16', '--letters', 'releves'], { cwd: dir, columns: 200 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pas de relevé, renonciation générale (penalties.lateStatement.waiveAll)');
    expect(r.stdout).toContain('Relevés écrits dans releves : 0 client.');
    expect(existsSync(join(dir, 'releves'))).toBe(true);
    expect(readdirSync(join(dir, 'releves'))).toEqual([]);
  });

  it.each([
    [['--client', 'INCONNU'], 'client inconnu pour --client : « INCONNU »'],
    [['--from', '2026-13-01'], '--from'],
    [['--to', '2026-12-31'], "--to (2026-12-31) est après la date d'arrêté (2026-11-16)"],
    [['--from', '2026-10-01', '--to', '2026-09-01'], '--to (2026-09-01) précède --from (2026-10-01)'],
  ])('refuses %j with a French message', async (args, message) => {
    const r = await runCli(['penalites', ...SAGE, '--as-of', '2026-11-16', ...args], { cwd: scratch() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
  });

  it('has one option table for help and README', () => {
    expect(optionTable(PENALITES_OPTIONS)).toContain('| `--letters <dossier>` |');
  });
});
