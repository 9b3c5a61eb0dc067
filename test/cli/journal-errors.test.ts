import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.js';
import { fixture, runCli } from '../helpers.js';

// Real files in a temp folder; cases chosen to fail even as root (chmod does not stop root).
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'relance-jerr-'));
  writeFileSync(join(dir, 'corrompu.sqlite'), 'ceci n\'est pas une base SQLite\n'.repeat(200));
  mkdirSync(join(dir, 'dossier'));
  return dir;
}

const inputs = ['--config', fixture('relance.yaml'), '--balance', fixture('sage100/balance.csv'), '--payments', fixture('sage100/reglements.csv'), '--clients', fixture('sage100/clients.csv'), '--as-of', '2026-11-16', '--quiet'];

function lastError(stderr: string): string {
  return stderr.slice(stderr.indexOf('relance: erreur'));
}

describe('a journal SQLite cannot open gives a French error with the path and the fix', () => {
  it('a damaged file, read by relance journal', async () => {
    const dir = folder();
    const path = join(dir, 'corrompu.sqlite');
    const r = await runCli(['journal', '--journal', path], { cwd: dir });
    expect(r.code).toBe(1);
    expect(lastError(r.stderr)).toBe(
      `relance: erreur : le journal ${path} est endommagé ou n'est pas un journal relance (SQLITE_NOTADB) : rien n'a été lu ni écrit.\n` +
        `conseil : restaurez la dernière sauvegarde de ce fichier, ou indiquez le bon journal (--journal, RELANCE_JOURNAL ou la clé journal de la configuration) ; ne le supprimez pas : il garde la mémoire des relances déjà envoyées.\n`,
    );
  });

  it('a damaged file, read by send --dry-run', async () => {
    const dir = folder();
    const path = join(dir, 'corrompu.sqlite');
    const r = await runCli(['send', '--dry-run', '--journal', path, ...inputs], { cwd: dir });
    expect(r.code).toBe(1);
    expect(lastError(r.stderr)).toMatch(/^relance: erreur : le journal .*corrompu\.sqlite est endommagé/);
    expect(r.stderr).not.toContain('erreur inattendue');
  });

  it('a damaged file, taken by a real send (the lock opens it first): nothing sent, no stack', async () => {
    const dir = folder();
    const path = join(dir, 'corrompu.sqlite');
    const r = await runCli(['send', '--journal', path, ...inputs], { cwd: dir, env: { RELANCE_SMTP_URL: 'smtp://127.0.0.1:9' } });
    expect(r.code).toBe(1);
    expect(lastError(r.stderr)).toMatch(/^relance: erreur : le journal .*corrompu\.sqlite est endommagé/);
    expect(r.stderr + r.stdout).not.toContain('erreur inattendue');
    expect(r.stdout).not.toMatch(/envoyé/);
  });

  it.each([['journal'], ['send', '--dry-run']])('a folder given as the journal (%s)', async (...cmd) => {
    const dir = folder();
    const path = join(dir, 'dossier');
    const r = await runCli([...cmd, '--journal', path, ...(cmd[0] === 'send' ? inputs : [])], { cwd: dir });
    expect(r.code).toBe(1);
    expect(lastError(r.stderr)).toBe(
      `relance: erreur : le journal ${path} est un dossier, pas un fichier : rien n'a été lu ni écrit.\n` +
        `conseil : indiquez le fichier du journal, par exemple --journal ${join(path, 'relance.sqlite')} (--journal, RELANCE_JOURNAL ou la clé journal de la configuration).\n`,
    );
  });

  it('send --journal /missing/dir/j.sqlite: exit 1, a French error, no stack', async () => {
    const dir = folder();
    const path = join(dir, 'absent', 'dir', 'j.sqlite');
    const r = await runCli(['send', '--journal', path, ...inputs], { cwd: dir, env: { RELANCE_SMTP_URL: 'smtp://127.0.0.1:1' } });
    expect(r.code).toBe(1);
    expect(lastError(r.stderr)).toContain(path);
    expect(r.stderr).not.toMatch(/erreur inattendue|\n\s+at /);
  });

  it.each([
    ['a missing folder', (dir: string) => join(dir, 'absent', 'j.sqlite'), /^le dossier du journal n'existe pas : .*absent \(journal .*j\.sqlite\)/],
    ['a folder', (dir: string) => join(dir, 'dossier'), /^le journal .*dossier est un dossier, pas un fichier/],
    ['a damaged file', (dir: string) => join(dir, 'corrompu.sqlite'), /^le journal .*corrompu\.sqlite est endommagé/],
  ])('Journal.open on %s throws the French error', (_name, at, expected) => {
    const path = at(folder());
    expect(() => Journal.open(path)).toThrow(expected);
    expect(() => Journal.openReadOnly(path)).toThrow(expected);
  });
});
