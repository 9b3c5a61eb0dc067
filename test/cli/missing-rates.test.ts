import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers.js';
import { BUNDLED_TEMPLATES } from '../../src/render/letters.js';

// Issue 13, point 3: the shipped tables end with the 1st half of 2026, the fixtures are
// dated in the 2nd: check, plan and send say which half-year lacks a rate and the fix.

const FIXTURE = readFileSync(fixture('relance.yaml'), 'utf8');

function workspace(penalties: string): { dir: string; args: (cmd: string, ...more: string[]) => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'relance-taux-'));
  for (const f of ['balance.csv', 'reglements.csv', 'clients.csv']) copyFileSync(fixture(`sage100/${f}`), join(dir, f));
  const config = FIXTURE.replace('penalties:\n  whenRateMissing: lastKnown\n', `penalties:\n${penalties}`);
  writeFileSync(join(dir, 'relance.yaml'), config);
  return { dir, args: (cmd, ...more) => [cmd, '--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--as-of', '2026-11-16', '--quiet', ...more] };
}

const MESSAGE = "la table des taux des pénalités de retard (taux BCE + 10 points, article L441-10 du Code de commerce) n'a pas de taux pour le 2e semestre 2026";
const HINT = 'ajoutez le taux en vigueur dans la configuration, penalties.rates: [{ from: "2026-07-01", ratePercent: … }] ; ou, pour calculer avec le taux du 1er semestre 2026 (12,15\u00a0%) en le disant dans la lettre, penalties.whenRateMissing: lastKnown';

describe('relance check: a half-year the penalties need and the tables lack', () => {
  it('is an error by default (penalties.whenRateMissing: refuse), with the fix, exit 1', async () => {
    const w = workspace('  whenRateMissing: refuse\n');
    const r = await runCli(w.args('check', '--format', 'json'), { cwd: w.dir });
    expect(r.code).toBe(1);
    const { findings } = JSON.parse(r.stdout) as { findings: { severity: string; code: string; message: string; hint: string; value: string }[] };
    const rate = findings.filter((f) => f.code === 'taux-manquant');
    expect(rate).toEqual([
      expect.objectContaining({ severity: 'erreur', value: '2026-07-01', message: `${MESSAGE} : relance send refusera les lettres qui chiffrent des pénalités avec ce taux`, hint: HINT }),
      // The consumer's interest needs the legal rate only after a formal notice (Code civil 1231-6): a warning.
      expect.objectContaining({ severity: 'avertissement', value: '2026-07-01', message: expect.stringContaining("la table des taux de l'intérêt légal (article L313-2 du Code monétaire et financier) n'a pas de taux pour le 2e semestre 2026") }),
    ]);
  });

  it('is a warning naming the rate used with penalties.whenRateMissing: lastKnown', async () => {
    const w = workspace('  whenRateMissing: lastKnown\n');
    const r = await runCli(w.args('check', '--format', 'json'), { cwd: w.dir });
    const { findings } = JSON.parse(r.stdout) as { findings: { severity: string; code: string; message: string }[] };
    const rate = findings.filter((f) => f.code === 'taux-manquant');
    expect(rate.map((f) => f.severity)).toEqual(['avertissement', 'avertissement']);
    expect(rate[0]!.message).toBe(`${MESSAGE} : le taux du 1er semestre 2026 (12,15\u00a0%) est repris (penalties.whenRateMissing: lastKnown) et les lettres l'indiquent`);
    expect(findings.some((f) => f.severity === 'erreur' && f.code === 'taux-manquant')).toBe(false);
  });

  it('is gone once the config adds the half-years (penalties.rates, penalties.legalInterestRates)', async () => {
    // Test values, as a user would add them once known.
    const w = workspace('  rates: [{ from: "2026-07-01", ratePercent: 12.15 }]\n  legalInterestRates: [{ from: "2026-07-01", ratePercent: 2.62 }]\n');
    const r = await runCli(w.args('check', '--format', 'json'), { cwd: w.dir });
    const { findings } = JSON.parse(r.stdout) as { findings: { code: string }[] };
    expect(findings.filter((f) => f.code === 'taux-manquant')).toEqual([]);
  });
});

describe('relance plan: says which half-year lacks a rate, and the fix', () => {
  it('on stderr, by default: send will not send the letters stating those penalties', async () => {
    const w = workspace('  whenRateMissing: refuse\n');
    const r = await runCli(w.args('plan', '--format', 'json'), { cwd: w.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`attention : ${MESSAGE} : relance send n'envoie pas les lettres qui chiffrent des pénalités avec ce taux manquant.\nconseil : ${HINT}.\n`);
    JSON.parse(r.stdout); // stdout stays clean JSON
  });

  it('says nothing once the rate is added, nor with lastKnown (check and send name the rate used)', async () => {
    for (const penalties of ['  rates: [{ from: "2026-07-01", ratePercent: 12.15 }]\n', '  whenRateMissing: lastKnown\n']) {
      const w = workspace(penalties);
      const r = await runCli(w.args('plan', '--format', 'json'), { cwd: w.dir });
      expect(r.stderr).not.toContain('taux');
    }
  });

  it('--letters writes letters that never say « faute de taux publié », and the B2B ones state the rate used', async () => {
    const w = workspace('  whenRateMissing: lastKnown\n');
    const r = await runCli(w.args('plan', '--letters', 'lettres', '--days', '31'), { cwd: w.dir });
    expect(r.code).toBe(0);
    const files = readdirSync(join(w.dir, 'lettres'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) expect(readFileSync(join(w.dir, 'lettres', f), 'utf8'), f).not.toMatch(/faute de taux|taux publié/);
  });

  it('--letters holds back, by default, a letter that states penalties computed without the rate: it would be posted by hand', async () => {
    // A user's template that prints the interest of the first reminder.
    const own = readFileSync(join(BUNDLED_TEMPLATES, 'relance1.hbs'), 'utf8').replace('{{> conclusion}}.\n', '{{> conclusion}}.\n\nIntérêts de retard à ce jour : {{euros totals.interestCents}}.\n');
    const setUp = (penalties: string) => {
      const w = workspace(penalties);
      mkdirSync(join(w.dir, 'modeles'));
      writeFileSync(join(w.dir, 'modeles', 'relance1.hbs'), own);
      writeFileSync(join(w.dir, 'relance.yaml'), `${readFileSync(join(w.dir, 'relance.yaml'), 'utf8')}templatesDir: modeles\n`);
      return w;
    };
    const refused = setUp('  whenRateMissing: refuse\n');
    const r = await runCli(refused.args('plan', '--letters', 'lettres'), { cwd: refused.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('non écrit : lettres/01-CTILLEU-relance1 (CTILLEU) : la lettre chiffre des pénalités sans le taux du 2e semestre 2026, absent de la table des taux ; ajoutez-le (penalties.rates) ou choisissez penalties.whenRateMissing: lastKnown.\n');
    const held = readdirSync(join(refused.dir, 'lettres'));
    expect(held.filter((f) => f.includes('CTILLEU'))).toEqual([]);
    // The preventive reminder states no penalty: it is written.
    expect(held.some((f) => f.includes('CROUXVI-preventive'))).toBe(true);

    const chosen = setUp('  whenRateMissing: lastKnown\n');
    const ok = await runCli(chosen.args('plan', '--letters', 'lettres'), { cwd: chosen.dir });
    expect(ok.stderr).not.toContain('non écrit');
    const text = readFileSync(join(chosen.dir, 'lettres', '01-CTILLEU-relance1.eml'), 'utf8');
    expect(text).toMatch(/Int=C3=A9r=C3=AAts de retard =C3=A0 ce jour|Intérêts de retard à ce jour/);
  });
});
