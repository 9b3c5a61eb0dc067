import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { identityGaps } from '../../src/core/audit.js';
import { fixture, runCli } from '../helpers.js';
import { startSmtp } from '../smtp.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

const FULL = readFileSync(fixture('relance.yaml'), 'utf8');

function workspace(config: string): { dir: string; args: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'relance-identite-'));
  for (const f of ['balance.csv', 'reglements.csv', 'clients.csv']) copyFileSync(fixture(`sage100/${f}`), join(dir, f));
  writeFileSync(join(dir, 'relance.yaml'), config);
  return { dir, args: ['--config', 'relance.yaml', '--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--journal', 'journal.sqlite', '--as-of', '2026-11-16', '--quiet'] };
}

describe('identityGaps', () => {
  const company = { name: 'Lumen SAS', siren: '812345678', address: ['1 rue A', '69007 Lyon'] };
  it.each([
    ['complete', { company, from: 'Compta <compta@lumen.example>', needsLegal: true }, []],
    ['placeholder name', { company: { ...company, name: 'Votre société' }, from: 'compta@lumen.example', needsLegal: false }, ['company.name']],
    ['empty name', { company: { ...company, name: ' ' }, from: 'compta@lumen.example', needsLegal: false }, ['company.name']],
    ['no SIREN nor address, early steps', { company: { name: 'Lumen SAS', address: [] }, from: 'compta@lumen.example', needsLegal: false }, []],
    ['no SIREN nor address, escalade due', { company: { name: 'Lumen SAS', address: [] }, from: 'compta@lumen.example', needsLegal: true }, ['company.siren', 'company.address']],
    ['no mail.from', { company, from: undefined, needsLegal: false }, ['mail.from']],
    ['invalid mail.from', { company, from: 'Comptabilité <compta>', needsLegal: false }, ['mail.from']],
  ])('%s', (_name, input, keys) => {
    expect(identityGaps(input).map((g) => g.key)).toEqual(keys);
  });
});

describe('send refuses while the identity is incomplete, and check lists it', () => {
  it.each([
    ['the placeholder name', FULL.replace('name: Lumen Éclairage SAS', 'name: Votre société'), 'company.name'],
    ['no company name at all', FULL.replace('  name: Lumen Éclairage SAS\n', ''), 'company.name'],
    ['an invalid mail.from', FULL.replace(/from: ".*"/, 'from: "Comptabilité <comptabilite>"'), 'mail.from'],
  ])('%s: exit 1, nothing sent, the key named', async (_name, config, key) => {
    const server = await startSmtp();
    closers.push(server.close);
    const w = workspace(config);
    const r = await runCli(['send', ...w.args], { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`relance: erreur : l'identité de l'expéditeur est incomplète : .*\\(${key.replace('.', '\\.')}\\).* ; rien n'a été envoyé\\.\\nconseil : renseignez ${key.replace('.', '\\.')}`));
    expect(server.received).toEqual([]);
    expect(existsSync(join(w.dir, 'journal.sqlite'))).toBe(false);

    const c = await runCli(['check', ...w.args.filter((a, i, all) => a !== '--journal' && all[i - 1] !== '--journal'), '--format', 'json'], { cwd: w.dir });
    const findings = JSON.parse(c.stdout).findings as { code: string; column: string; file: string }[];
    expect(findings.filter((f) => f.code === 'identite-incomplete').map((f) => f.column)).toContain(key);
  });

  it('the bundled configuration is complete: check lists no identity gap', async () => {
    const w = workspace(FULL);
    const c = await runCli(['check', ...w.args.filter((a, i, all) => a !== '--journal' && all[i - 1] !== '--journal'), '--format', 'json'], { cwd: w.dir });
    expect((JSON.parse(c.stdout).findings as { code: string }[]).filter((f) => f.code === 'identite-incomplete')).toEqual([]);
  });

  it('check lists the missing SIREN and address', async () => {
    const w = workspace(FULL.replace(/  address: .*\n/, '').replace(/  siren: .*\n/, ''));
    const c = await runCli(['check', ...w.args.filter((a, i, all) => a !== '--journal' && all[i - 1] !== '--journal'), '--format', 'json'], { cwd: w.dir });
    const gaps = (JSON.parse(c.stdout).findings as { code: string; column: string; file: string }[]).filter((f) => f.code === 'identite-incomplete');
    expect(gaps.map((f) => [f.file, f.column])).toEqual([['relance.yaml', 'company.siren'], ['relance.yaml', 'company.address']]);
  });
});

describe('the SIREN and address are asked for only when a step due needs them', () => {
  it('send on 2026-11-16 (préventive and relance1 only) sends without them', async () => {
    const server = await startSmtp();
    closers.push(server.close);
    const w = workspace(FULL.replace(/  address: .*\n/, '').replace(/  siren: .*\n/, ''));
    const r = await runCli(['send', ...w.args], { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(r.stderr).not.toContain("l'identité de l'expéditeur est incomplète");
    expect(r.code).toBe(0);
    expect(server.received.length).toBeGreaterThan(0);
  });
});
