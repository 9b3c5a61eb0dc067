import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { optionTable } from '../../src/commands/options.js';
import { PENALITES_OPTIONS } from '../../src/commands/penalites-options.js';
import { addPaymentPlan, addWriteoff, openDispute } from '../../src/journal/cases.js';
import { Journal } from '../../src/journal/journal.js';
import { recordProcedure } from '../../src/journal/procedures.js';
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

  describe('reads the journal, read-only, and claims nothing it must not', () => {
    const NOW = new Date('2026-11-16T09:00:00Z');
    /** A real journal file: CTRABOU in redressement, a plan of CGIRAUD's FA2026-0010 paid off, a dispute and a write-off. */
    function journalIn(dir: string): string {
      const path = join(dir, 'journal.sqlite');
      const j = Journal.open(path);
      recordProcedure(j, { clientCode: 'CTRABOU', type: 'redressement', judgmentOn: '2026-11-02', bodaccOn: '2026-11-12', administrator: null, openedOn: '2026-11-03' }, NOW);
      addPaymentPlan(j, { clientCode: 'CGIRAUD', refs: ['FA2026-0010'], totalCents: 104_400, downPaymentCents: 0, mode: 'virement', createdOn: '2026-04-03', instalments: [{ number: 1, dueOn: '2026-04-07', amountCents: 104_400 }] }, NOW);
      openDispute(j, { ref: 'FA2026-0013', clientCode: 'CREVERB', reason: 'luminaires abîmés', openedOn: '2026-06-01' }, NOW);
      addWriteoff(j, { ref: 'FA2026-0015', clientCode: 'CROUXVI', reason: 'accord commercial', amountCents: 0, writtenOn: '2026-06-01' }, NOW);
      j.close();
      return path;
    }
    const run = (dir: string, journal: string, ...more: string[]) =>
      runCli(['penalites', ...SAGE, '--journal', journal, '--as-of', '2026-11-16', '--letters', 'releves', '--wide', ...more], { cwd: dir, columns: 400 });
    const refsOf = (r: { stdout: string }) => {
      const report = JSON.parse(r.stdout.slice(0, r.stdout.lastIndexOf('}') + 1)) as { clients: { clientCode: string; invoices: { ref: string }[] }[] };
      return report.clients.flatMap((c) => c.invoices.map((i) => i.ref));
    };

    it('L622-21, L622-7: no statement to a client under a collective proceeding; the journal is not written', async () => {
      const dir = scratch();
      const journal = journalIn(dir);
      const before = readFileSync(journal);
      const r = await run(dir, journal);
      expect(r.code).toBe(0);
      expect(readFileSync(journal).equals(before)).toBe(true);
      expect(r.stdout).toContain(
        'CTRABOU FA2026-0001, FA2026-0006, FA2026-0014, FA2026-0021, FA2026-0025 : pénalités écartées, redressement judiciaire (jugement du 02/11/2026) : aucun relevé pendant la procédure (L622-21, L622-7) ; les pénalités des factures réglées avant le jugement sont à déclarer au mandataire (relance procedure).',
      );
      expect(readdirSync(join(dir, 'releves')).some((f) => f.includes('CTRABOU'))).toBe(false);
    });

    it.each([
      ['suspendues', "CGIRAUD FA2026-0010 : pénalités écartées, pénalités abandonnées : l'échéancier du 03/04/2026 a été soldé (echeancier.penalties: suspendues).", false],
      ['abandonnees', "CGIRAUD FA2026-0010 : pénalités écartées, pénalités abandonnées par l'échéancier du 03/04/2026 (echeancier.penalties: abandonnees).", false],
      ['dues', null, true],
    ] as const)('L441-10, D441-5: a payment plan under echeancier.penalties %s', async (policy, note, claimed) => {
      const dir = scratch();
      writeFileSync(join(dir, 'relance.yaml'), `${readFileSync(join(dir, 'relance.yaml'), 'utf8')}echeancier:\n  penalties: ${policy}\n`);
      const journal = journalIn(dir);
      const r = await run(dir, journal);
      expect(r.code).toBe(0);
      if (note) expect(r.stdout).toContain(note);
      const json = await runCli(['penalites', ...SAGE, '--journal', journal, '--as-of', '2026-11-16', '--format', 'json'], { cwd: dir });
      expect(refsOf(json).includes('FA2026-0010')).toBe(claimed);
    });

    it.each([
      ['an open dispute', 'CREVERB FA2026-0013 : pénalités écartées, facture contestée depuis le 01/06/2026 (luminaires abîmés).', 'FA2026-0013'],
      ['a write-off', 'CROUXVI FA2026-0015 : pénalités écartées, facture passée en perte le 01/06/2026.', 'FA2026-0015'],
    ])('leaves out %s, and says why', async (_, note, ref) => {
      const dir = scratch();
      const journal = journalIn(dir);
      expect((await run(dir, journal)).stdout).toContain(note);
      expect(refsOf(await runCli(['penalites', ...SAGE, '--journal', journal, '--as-of', '2026-11-16', '--format', 'json'], { cwd: dir }))).not.toContain(ref);
    });

    it('refuses a journal named but missing', async () => {
      const r = await runCli(['penalites', ...SAGE, '--journal', 'absent.sqlite', '--as-of', '2026-11-16'], { cwd: scratch() });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('aucun journal à');
    });
  });

  it('Code civil art. 1347: no statement to a client in credit (CVASSEU, solde -360,00 €): the debts are to be offset', async () => {
    const dir = scratch();
    const r = await runCli(['penalites', ...SAGE, '--as-of', '2026-11-16', '--letters', 'releves'], { cwd: dir, columns: 200 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CVASSEU : pas de relevé, solde créditeur de 360,00\u00a0€ : à compenser (article 1347 du Code civil).');
    expect(readdirSync(join(dir, 'releves')).some((f) => f.includes('CVASSEU'))).toBe(false);
    expect(readdirSync(join(dir, 'releves'))).toContain('releve-penalites-CTRABOU-2026-11-16.txt');
  });

  it('has one option table for help and README', () => {
    expect(optionTable(PENALITES_OPTIONS)).toContain('| `--letters <dossier>` |');
  });
});
