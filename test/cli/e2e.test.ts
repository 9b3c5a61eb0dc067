import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, ROOT } from '../helpers.js';

// Runs the built bin/relance.js as a real process (npm test builds before vitest).
const BIN = `${ROOT}bin/relance.js`;
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });

describe('relance as a process', () => {
  it('answers --help fast, in French, listing every command', () => {
    const started = performance.now();
    const out = execFileSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(out).toContain('Utilisation : relance');
    for (const cmd of ['inspect', 'check']) expect(out).toContain(cmd);
  });

  it('inspect --format json prints the documented schema for every record', () => {
    const r = run(['inspect', '--format', 'json', '--as-of', '2026-11-16', fixture('cegid/balance.csv'), fixture('cegid/reglements.csv'), fixture('cegid/clients.csv')]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { files: unknown[]; records: Record<string, unknown>[]; warnings: unknown[] };
    expect(out.files).toHaveLength(3);
    const item = out.records.find((x) => x.kind === 'open_item' && x.ref === 'FA2026-0040');
    expect(item).toEqual({
      kind: 'open_item', clientCode: 'CBELLEC', clientName: 'Hôtel Bellecour SAS', ref: 'FA2026-0040', docDate: '2026-10-09',
      dueDate: '2026-11-08', dueDateDerived: false, originalCents: 4500000, openCents: 4500000, currency: 'EUR', salesRep: null,
      source: { file: fixture('cegid/balance.csv'), line: 3 },
    });
    const payment = out.records.find((x) => x.kind === 'payment')!;
    expect(Object.keys(payment)).toEqual(['kind', 'clientCode', 'clientName', 'date', 'amountCents', 'refs', 'settles', 'mode', 'source']);
  });

  it('inspect --format csv prints one canonical CSV of the records', () => {
    const r = run(['inspect', '--format', 'csv', '--fec', fixture('fec/812345678FEC20261231.txt'), '--as-of', '2026-11-16']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('kind,clientCode,clientName,ref,docDate,dueDate,dueDateDerived,originalCents,openCents,date,amountCents,refs,emails,terms,excluded,file,line');
    expect(lines.some((l) => l.startsWith('open_item,CBELLEC,Hôtel Bellecour SAS,FA2026-0040,2026-10-09,2026-11-08,non,4500000,4500000,'))).toBe(true);
  });

  it('check exits 1 on a file whose total does not add up, 0 on clean data', () => {
    const bad = run(['check', '--balance', fixture('messy/total-mismatch.csv'), '--as-of', '2026-11-16', '--wide']); // the Code column is hidden at 80 columns
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('total-incorrect');
    const good = run(['check', '--balance', fixture('sage50/balance.csv'), '--as-of', '2026-11-16']);
    expect(good.status).toBe(0);
  });

  it('a data error prints one French line and its advice, never a stack trace', () => {
    const r = run(['inspect', '--balance', fixture('messy/total-mismatch.csv')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^relance: erreur : .*\nconseil : /);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('the README', () => {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  it('documents every command of the CLI', () => {
    const help = execFileSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    const commands = [...help.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThan(1);
    for (const c of commands) expect(readme).toContain(`relance ${c}`);
  });
  it('keeps its two-command quick start', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test');
  });
});
