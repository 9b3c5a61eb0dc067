import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import type { Context } from '../src/context.js';
import { loadConfig } from '../src/config.js';
import { loadInputs, type InputFlags } from '../src/read/inputs.js';
import { PROGRESS_MIN_BYTES, progressLine, startInputProgress } from '../src/progress.js';
import { fixture, ROOT } from './helpers.js';

const BIN = `${ROOT}bin/relance.js`;
const AS_OF = '2026-11-16';
const CLEAR_LINE = '\x1b[2K';
/** Any trace of a progress line: terminal escapes, the bar, the rate. */
const NO_PROGRESS = /\x1b|[█░]|lignes\/s/;

let dir: string;
let big: string;
let truncated: string;

/** An aged balance a little over the 20 Mo threshold, with unique refs and no totals. */
function writeBigBalance(file: string): void {
  const header = 'N° compte tiers;Intitulé;N° pièce;Date pièce;Échéance;Libellé;Montant;Solde\n';
  writeFileSync(file, header);
  // Long labels: over 20 Mo in few lines, so that the tests stay quick.
  const label = 'Fourniture et pose de luminaires, rénovation du hall, des salons et des couloirs, '.repeat(3).trim();
  let size = header.length;
  for (let block = 0; size <= PROGRESS_MIN_BYTES + 1_000_000; block++) {
    const lines: string[] = [];
    for (let k = 0; k < 10_000; k++) {
      const i = block * 10_000 + k;
      const c = i % 2000;
      lines.push(`C${String(c).padStart(5, '0')};Client ${c} SARL;FA2026-${String(i).padStart(7, '0')};01/10/2026;31/10/2026;${label}, lot ${i};1234,56;1234,56\n`);
    }
    const text = lines.join('');
    appendFileSync(file, text);
    size += Buffer.byteLength(text);
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'relance-progress-'));
  big = join(dir, 'grosse-balance.csv');
  writeBigBalance(big);
  truncated = join(dir, 'balance-tronquee.csv');
  copyFileSync(big, truncated);
  appendFileSync(truncated, 'C00001;Client 1 SARL;FA2099'); // cut short, no line break
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A terminal on stderr, as cli-progress sees one; every write of both streams in order. */
function ttyContext(): { ctx: Context; log: { stream: 'out' | 'err'; text: string }[]; err: () => string; out: () => string } {
  const log: { stream: 'out' | 'err'; text: string }[] = [];
  const ctx: Context = {
    stdout: { write: (text: string) => log.push({ stream: 'out', text }) },
    stderr: { isTTY: true, columns: 100, write: (text: string) => log.push({ stream: 'err', text }) } as Context['stderr'],
    cwd: ROOT,
    now: () => new Date('2026-11-16T09:00:00+01:00'),
    env: {},
    color: false,
    columns: 100,
    stderrIsTTY: true,
  };
  const of = (s: 'out' | 'err') => () => log.filter((l) => l.stream === s).map((l) => l.text).join('');
  return { ctx, log, err: of('err'), out: of('out') };
}

function balanceFlags(file: string): InputFlags {
  return { balance: [file], payments: [], clients: [], fec: [], ledger: [], files: [], sheet: null, asOf: AS_OF, profile: null, encoding: null };
}

describe('progressLine', () => {
  it('shows the file, the percentage and the lines per second, in French', () => {
    const line = progressLine({ file: 'exports/balance.csv', percent: 42, lines: 1234567, linesPerSecond: 310000.4 }, 120);
    expect(line).toBe('lecture de exports/balance.csv ████████░░░░░░░░░░░░  42\u00a0% · 1\u202f234\u202f567 lignes · 310\u202f000 lignes/s');
  });

  it.each([80, 60, 40, 20])('fits %i columns (one spare: no wrapping)', (columns) => {
    const line = progressLine({ file: '/very/long/path/to/the/exports/of/the/month/balance.csv', percent: 7, lines: 12, linesPerSecond: null }, columns);
    expect(line.length).toBeLessThanOrEqual(columns - 1);
    expect(line).toContain('balance.csv');
  });
});

describe('the progress line on a terminal', () => {
  it('is drawn for a file over 20 Mo: file name, percentage, lines per second; then cleared', async () => {
    expect(statSync(big).size).toBeGreaterThan(PROGRESS_MIN_BYTES);
    const { ctx, err } = ttyContext();
    const flags = balanceFlags(big);
    const progress = await startInputProgress(ctx, flags, false);
    expect(progress.onProgress).toBeDefined();
    const inputs = await loadInputs(flags, loadConfig(null, dir), true, ctx.cwd, null, progress.onProgress);
    progress.stop();
    expect(inputs.openItems.length).toBeGreaterThan(50_000);
    const drawn = err();
    expect(drawn).toMatch(/grosse-balance\.csv [█░]{20} +\d{1,3}\u00a0% · [\d\u202f]+ lignes · [\d\u202f]+ lignes\/s/);
    expect(drawn).toMatch(/[1-9]\d?\u00a0%/); // it moved past the first chunk
    expect(drawn.endsWith(CLEAR_LINE)).toBe(true);
    progress.stop(); // idempotent
    expect(err()).toBe(drawn);
  }, 60_000);

  it('is not drawn for small inputs read in under 2 s', async () => {
    const { ctx, err } = ttyContext();
    const flags = balanceFlags(fixture('sage100/balance.csv'));
    const progress = await startInputProgress(ctx, flags, false, { clock: () => 0 });
    await loadInputs(flags, loadConfig(null, ROOT), true, ctx.cwd, null, progress.onProgress);
    progress.stop();
    expect(err()).toBe('');
  });

  it('is drawn for small inputs once 2 s have gone by', async () => {
    const { ctx, err } = ttyContext();
    const flags = balanceFlags(fixture('sage100/balance.csv'));
    let t = 0;
    const progress = await startInputProgress(ctx, flags, false, { clock: () => (t += 3000) });
    await loadInputs(flags, loadConfig(null, ROOT), true, ctx.cwd, null, progress.onProgress);
    progress.stop();
    expect(err()).toContain('balance.csv');
    expect(err()).toContain('lignes/s');
  });

  it('is cleared before the command prints its output', async () => {
    const { ctx, log, err, out } = ttyContext();
    const code = await main(['plan', '--balance', big, '--as-of', AS_OF, '--format', 'json'], ctx);
    expect(code).toBe(0);
    expect(err()).toContain('lignes/s');
    const firstOut = log.findIndex((l) => l.stream === 'out');
    const lastErr = log.findLastIndex((l) => l.stream === 'err');
    expect(lastErr).toBeLessThan(firstOut);
    expect(log[lastErr]!.text).toBe(CLEAR_LINE);
    expect(JSON.parse(out())).toHaveProperty('actions');
  }, 60_000);

  it('is cleared before an error is printed', async () => {
    const { ctx, err } = ttyContext();
    const code = await main(['plan', '--balance', truncated, '--as-of', AS_OF], ctx);
    expect(code).toBe(1);
    const text = err();
    expect(text).toContain('lignes/s');
    expect(text).toMatch(new RegExp(`${CLEAR_LINE.replace('[', '\\[')}(\\x1b\\[\\d*G)?relance: erreur : .*semble tronqué`));
  }, 60_000);

  it('is never drawn with --quiet', async () => {
    const { ctx, err, out } = ttyContext();
    const code = await main(['inspect', '--balance', big, '--as-of', AS_OF, '--quiet'], ctx);
    expect(code).toBe(0);
    expect(err()).toBe('');
    expect(out()).not.toBe('');
  }, 60_000);
});

describe('the progress line off a terminal (cron, pipes)', () => {
  it('is never created when stderr is not a terminal', async () => {
    const { ctx } = ttyContext();
    const progress = await startInputProgress({ ...ctx, stderrIsTTY: false }, balanceFlags(big), false);
    expect(progress.onProgress).toBeUndefined();
  });

  it('relance as a process writes nothing to a piped stderr: plan on the fixtures, inspect on 20 Mo', () => {
    const fixtures = spawnSync(
      process.execPath,
      [BIN, 'plan', '--balance', fixture('sage100/balance.csv'), '--payments', fixture('sage100/reglements.csv'), '--clients', fixture('sage100/clients.csv'), '--as-of', AS_OF],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(fixtures.status).toBe(0);
    expect(fixtures.stdout).not.toBe('');
    // stderr may carry the plan's warnings ("attention : …"), never a progress line.
    expect(fixtures.stderr).not.toMatch(NO_PROGRESS);
    const large = spawnSync(process.execPath, [BIN, 'inspect', '--balance', big, '--as-of', AS_OF], { cwd: ROOT, encoding: 'utf8' });
    expect(large.status).toBe(0);
    expect(large.stderr).not.toMatch(NO_PROGRESS);
  }, 60_000);
});

// A real terminal: util-linux `script` runs relance in a pseudo-terminal and copies what
// it shows (stdout goes to /dev/null inside, so only stderr is seen).
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
describe.skipIf(!hasScript || !existsSync(`${ROOT}dist/cli.js`))('in a pseudo-terminal (script)', () => {
  const inTerminal = (args: string) =>
    spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ${args} > /dev/null`, '/dev/null'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, COLUMNS: '100' },
    });

  it('shows the progress line, and not with --quiet', () => {
    const shown = inTerminal(`inspect --balance ${JSON.stringify(big)} --as-of ${AS_OF}`);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/grosse-balance\.csv .*\d\u00a0% · .* lignes\/s/);
    const quiet = inTerminal(`inspect --balance ${JSON.stringify(big)} --as-of ${AS_OF} --quiet`);
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).toBe('');
  }, 60_000);
});
