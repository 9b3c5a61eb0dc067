// Issue 12, points 2 to 5: the lock bound to the journal, one journal only (its path from
// the config's folder, created by send alone), the schema guard, and read-only commands
// that never write a byte. All on real SQLite files in temp folders.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal, SCHEMA_VERSION } from '../../src/journal/journal.js';
import { RunLock } from '../../src/journal/lock.js';
import { MIGRATIONS } from '../../src/journal/migrations.js';
import { fixture, runCli } from '../helpers.js';
import { startSmtp } from '../smtp.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const FILES = ['--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--as-of', '2026-11-16'];

/** The fixture company in a temp folder, its config beside the exports. */
function company(): string {
  const dir = mkdtempSync(join(tmpdir(), 'relance-safety-'));
  for (const f of ['balance.csv', 'reglements.csv', 'clients.csv']) copyFileSync(fixture(`sage100/${f}`), join(dir, f));
  copyFileSync(fixture('relance.yaml'), join(dir, 'relance.yaml'));
  return dir;
}

/** A journal that remembers a reminder on an invoice of the export and one on an invoice gone from it. */
function journalWithHistory(path: string): void {
  const j = Journal.open(path);
  for (const ref of ['FA2026-0030', 'FA-PAYEE-1']) {
    j.record({
      clientCode: 'CTRABOU', clientName: 'Brasserie des Traboules', step: 'relance1', channel: 'email', actionDate: '2026-11-02', createdAt: '2026-11-02T07:00:00Z',
      status: 'envoye', recipients: 'x@example.fr', cc: '', subject: 's', amountCents: 1000, costCents: 0, messageId: null, sha256: null,
      invoices: [{ ref, step: 'relance1', openCents: 1000, dueDate: '2026-10-01' }],
    });
  }
  Journal.sqlOf(j).prepare("INSERT INTO known_invoices (ref, client_code, due_date, open_cents, first_seen_on, last_seen_on) VALUES ('FA-PAYEE-1', 'CTRABOU', '2026-10-01', 1000, '2026-11-02', '2026-11-02')").run();
  j.close();
}

/**
 * The journal's bytes, and its -wal file's when there is one. A read-only SQLite connection
 * may create an empty -wal (and -shm) beside a WAL journal that had none: no data, so an
 * absent -wal and an empty one count the same.
 */
function bytesOf(path: string): string[] {
  return [path, `${path}-wal`].map((p) => (existsSync(p) && readFileSync(p).length > 0 ? readFileSync(p).toString('base64') : '(vide)'));
}

async function smtp() {
  const server = await startSmtp({});
  closers.push(server.close);
  return server;
}

describe('read-only commands never write the journal', () => {
  it.each([
    ['plan', ['plan']],
    ['plan --format json', ['plan', '--format', 'json']],
    ['client', ['client', 'CTRABOU']],
    ['journal', ['journal']],
    ['kpi', ['kpi']],
    ['send --dry-run', ['send', '--dry-run']],
  ])('%s leaves the bytes of the journal as they were', async (_name, args) => {
    const dir = company();
    const path = join(dir, 'journal.sqlite');
    journalWithHistory(path);
    const before = bytesOf(path);
    const r = await runCli([...args, ...(args[0] === 'journal' ? [] : FILES), '--journal', path], { cwd: dir });
    expect(r.stderr).not.toMatch(/relance: erreur/);
    expect(r.code).not.toBe(1);
    expect(bytesOf(path)).toEqual(before);
  });

  it('plan still counts the invoice gone from the export as settled, in memory, and send records it', async () => {
    const dir = company();
    const path = join(dir, 'journal.sqlite');
    journalWithHistory(path);
    const { reconciliationOf } = await import('../../src/journal/cases.js');
    const j = Journal.openReadOnly(path);
    expect(reconciliationOf(j, [], [], '2026-11-16').settled.get('FA-PAYEE-1')).toBe('2026-11-16');
    j.close();
    const server = await smtp();
    expect((await runCli(['send', ...FILES, '--journal', path], { cwd: dir, env: { RELANCE_SMTP_URL: server.url } })).code).not.toBe(1);
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT settled_on FROM known_invoices WHERE ref = 'FA-PAYEE-1'").pluck().get()).toBe('2026-11-16');
    db.close();
  });
});

describe('one journal, never two by accident', () => {
  it("a relative journal: in the config is read from the config file's folder, not the cwd", async () => {
    const dir = company();
    mkdirSync(join(dir, 'conf'));
    writeFileSync(join(dir, 'conf', 'relance.yaml'), `${readFileSync(fixture('relance.yaml'), 'utf8')}\njournal: ../data/j.sqlite\n`);
    mkdirSync(join(dir, 'data'));
    mkdirSync(join(dir, 'ailleurs'));
    const files = FILES.map((a) => (a.endsWith('.csv') ? join(dir, a) : a));
    const plan = await runCli(['plan', ...files, '--config', join(dir, 'conf', 'relance.yaml')], { cwd: join(dir, 'ailleurs') });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(
      `relance: erreur : aucun journal à ${join(dir, 'data', 'j.sqlite')} (indiqué par la clé journal de la configuration) : seul relance send crée le journal.\n`
        + `conseil : corrigez la clé journal (un chemin relatif part du dossier du fichier de configuration), ou lancez d'abord relance send pour le créer.\n`,
    );
    const server = await smtp();
    const send = await runCli(['send', ...files, '--config', join(dir, 'conf', 'relance.yaml')], { cwd: join(dir, 'ailleurs'), env: { RELANCE_SMTP_URL: server.url } });
    expect(send.stderr).toMatch(new RegExp(`^journal créé : ${join(dir, 'data', 'j.sqlite')}$`, 'm'));
    expect(existsSync(join(dir, 'data', 'j.sqlite'))).toBe(true);
    expect(existsSync(join(dir, 'ailleurs', 'j.sqlite'))).toBe(false);
  });

  it.each([
    ['--journal', (p: string) => ({ args: ['--journal', p], env: {} })],
    ['RELANCE_JOURNAL', (p: string) => ({ args: [], env: { RELANCE_JOURNAL: p } })],
  ])('a journal named by %s that is missing is refused by every command but send, and none is created', async (by, how) => {
    const dir = company();
    const path = join(dir, 'absent.sqlite');
    const { args, env } = how(path);
    for (const command of [['plan'], ['check'], ['client', 'CTRABOU'], ['kpi'], ['promise', 'CTRABOU', '--date', '2026-11-30']]) {
      const r = await runCli([...command, ...FILES, ...args], { cwd: dir, env });
      if (command[0] === 'check') continue; // check does not read the journal
      expect(r.code, command.join(' ')).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^relance: erreur : aucun journal à ${path} \\(indiqué par ${by}\\) : seul relance send crée le journal\\.\n`, 'm'));
    }
    expect(existsSync(path)).toBe(false);
  });

  it('with no journal named and none at the default, read-only commands go on without one', async () => {
    const dir = company();
    for (const command of [['plan'], ['client', 'CTRABOU'], ['kpi'], ['send', '--dry-run']]) {
      expect((await runCli([...command, ...FILES], { cwd: dir })).code, command.join(' ')).toBe(0);
    }
    expect(existsSync(join(dir, 'relance.sqlite'))).toBe(false);
  });
});

describe('schema guard', () => {
  it('a journal written by a newer relance is refused, by reading and writing commands alike, and left untouched', async () => {
    const dir = company();
    const path = join(dir, 'journal.sqlite');
    Journal.open(path).close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_migrations VALUES (?, 'future', '2027-01-01')").run(SCHEMA_VERSION + 1);
    db.close();
    const before = bytesOf(path);
    const server = await smtp();
    for (const command of [['plan'], ['send', '--dry-run'], ['send'], ['promise', 'CTRABOU', '--date', '2026-11-30']]) {
      const r = await runCli([...command, ...FILES, '--journal', path], { cwd: dir, env: { RELANCE_SMTP_URL: server.url } });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `relance: erreur : ce journal a été créé par une version plus récente de relance : ${path} est au schéma ${SCHEMA_VERSION + 1}, cette version connaît jusqu'au schéma ${SCHEMA_VERSION} ; rien n'a été lu ni écrit.\n`
          + 'conseil : mettez relance à jour (npm install -g relance) avant de vous servir de ce journal.\n',
      );
    }
    expect(bytesOf(path)).toEqual(before);
    expect(server.received).toEqual([]);
  });

  it('send --dry-run on an older journal says a migration is needed and applies none', async () => {
    const dir = company();
    const path = join(dir, 'journal.sqlite');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of MIGRATIONS.slice(0, -1)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-01-01');
    }
    db.close();
    const before = bytesOf(path);
    const r = await runCli(['send', '--dry-run', ...FILES, '--journal', path], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`le journal ${path} doit être mis à jour (migration ${SCHEMA_VERSION}) : le prochain relance send l'appliquera ; --dry-run n'écrit rien.\n`);
    expect(bytesOf(path)).toEqual(before);
  });
});

describe('the lock of send, bound to the journal', () => {
  it('the same journal reached through a symlinked folder is refused while a run holds it: nothing sent', async () => {
    const dir = company();
    mkdirSync(join(dir, 'vrai'));
    symlinkSync(join(dir, 'vrai'), join(dir, 'lien'));
    const lock = RunLock.acquire(join(dir, 'vrai', 'journal.sqlite'), new Date('2026-11-16T06:00:00Z'));
    const server = await smtp();
    const r = await runCli(['send', ...FILES, '--journal', join(dir, 'lien', 'journal.sqlite')], { cwd: dir, env: { RELANCE_SMTP_URL: server.url } });
    lock.release();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^relance: erreur : un autre « relance send » est en cours sur ce journal \(processus \d+, démarré le 2026-11-16T06:00:00.000Z\)/m);
    expect(server.received).toEqual([]);
  });

  it("takes over a killed run's lock and says so in one line", async () => {
    const dir = company();
    const path = join(dir, 'journal.sqlite');
    RunLock.acquire(path, new Date()).release();
    Journal.open(path).close();
    const db = new Database(path);
    db.prepare("INSERT INTO run_lock VALUES (1, ?, ?, '2026-11-15T06:00:00.000Z', 'x')").run(2 ** 22 + 12345, hostname());
    db.close();
    const server = await smtp();
    const r = await runCli(['send', ...FILES, '--journal', path], { cwd: dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(r.stderr).toContain(`verrou repris : le lancement précédent (processus ${2 ** 22 + 12345} sur ${hostname()}, démarré le 2026-11-15T06:00:00.000Z) s'est arrêté sans le rendre.\n`);
    expect(server.received.length).toBeGreaterThan(0);
  });
});
