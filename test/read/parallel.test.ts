import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, ROOT } from '../helpers.js';

// `relance plan` reads a large payments list in a worker thread while it reads the
// balance (src/read/parallel.ts). RELANCE_THREADS=1 sends every payments list to a
// worker, RELANCE_THREADS=0 none: whatever the files, the user sees the same thing. Runs
// the built CLI (the worker is a module of dist/: `npm test` builds it first).

const BIN = join(ROOT, 'bin', 'relance.js');
let dir: string;

function plan(threads: '0' | '1', payments: string, extra: string[] = []) {
  const asOf = extra.includes('--as-of') ? [] : ['--as-of', '2026-11-16'];
  const r = spawnSync(
    process.execPath,
    [BIN, 'plan', '--balance', fixture('sage100/balance.csv'), '--payments', payments, '--clients', fixture('sage100/clients.csv'), ...asOf, ...extra],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, RELANCE_THREADS: threads, NO_COLOR: '1' } },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The fixture payments list (Windows-1252, CR LF) with lines added before its total line. */
function paymentsWith(name: string, lines: string[], total?: string): string {
  const text = readFileSync(fixture('sage100/reglements.csv'), 'latin1');
  const [body, tail] = text.split(/(?=Total g\u00e9n\u00e9ral)/);
  const file = join(dir, name);
  writeFileSync(file, `${body}${lines.map((l) => `${l}\r\n`).join('')}${total ?? tail}`, 'latin1');
  return file;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'relance-parallel-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a payments list read in a worker thread', () => {
  it('gives the same plan, JSON and text, as read in the main thread', () => {
    for (const format of [['--format', 'json'], ['--detail'], ['--format', 'csv']]) {
      const inline = plan('0', fixture('sage100/reglements.csv'), format);
      const threaded = plan('1', fixture('sage100/reglements.csv'), format);
      expect(inline.status).toBe(0);
      expect(threaded).toEqual(inline);
    }
  });

  it('notes the same late payments and unapplied credits (the cross-file checks see them)', () => {
    // Paid after the balance was drawn (16/11/2026), and a payment naming no invoice.
    const file = paymentsWith('late.csv', [
      'CTRABOU;Traiteur Bouvier;18/11/2026;RG2026-0031;Virement;500,00;FA2026-0030;;',
      'CAMPERE;Optique Amp\u00e8re;13/11/2026;RG2026-0032;Ch\u00e8que;90,00;;;',
    ], 'Total g\u00e9n\u00e9ral;;;;;79\u00a0952,40;;;\r\n');
    // As of 20/11, the payment of 18/11 is one the balance cannot show yet: it is deducted.
    const asOf = ['--as-of', '2026-11-20', '--format', 'json'];
    const inline = plan('0', file, asOf);
    const threaded = plan('1', file, asOf);
    expect(inline.status).toBe(0);
    expect(inline.stderr).toMatch(/CAMPERE/);
    const owed = (out: string) => JSON.parse(out).actions.find((a: { clientCode: string }) => a.clientCode === 'CTRABOU')?.invoices;
    expect(owed(inline.stdout)).not.toEqual(owed(plan('0', fixture('sage100/reglements.csv'), asOf).stdout));
    expect(threaded).toEqual(inline);
  });

  it('rejects a broken payments list with the same message, naming its line, and no plan', () => {
    const file = paymentsWith('broken.csv', ['CTRABOU;Traiteur Bouvier;31/02/2026;RG2026-0031;Virement;5OO,00;FA2026-0030;;']);
    const inline = plan('0', file);
    const threaded = plan('1', file);
    expect(inline.status).not.toBe(0);
    expect(inline.stdout).toBe('');
    expect(inline.stderr).toMatch(/broken\.csv/);
    expect(threaded).toEqual(inline);
  });

  it('still says the balance\'s error first when both files are broken', () => {
    const payments = paymentsWith('broken2.csv', ['CTRABOU;Traiteur Bouvier;31/02/2026;RG2026-0031;Virement;5OO,00;FA2026-0030;;']);
    const balance = join(dir, 'balance-cassee.csv');
    writeFileSync(balance, readFileSync(fixture('sage100/balance.csv'), 'latin1').replace(/;(\d+),(\d\d);/, ';12x,00;'), 'latin1');
    const args = (threads: '0' | '1') =>
      spawnSync(process.execPath, [BIN, 'plan', '--balance', balance, '--payments', payments, '--as-of', '2026-11-16'], {
        cwd: ROOT, encoding: 'utf8', env: { ...process.env, RELANCE_THREADS: threads, NO_COLOR: '1' },
      });
    const inline = args('0');
    const threaded = args('1');
    expect(inline.status).not.toBe(0);
    expect(inline.stderr).toMatch(/balance-cassee\.csv/);
    expect({ status: threaded.status, stdout: threaded.stdout, stderr: threaded.stderr }).toEqual({ status: inline.status, stdout: inline.stdout, stderr: inline.stderr });
  });
});
