import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildSync } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunLock, takeoverLine } from '../../src/journal/lock.js';
import { ROOT } from '../helpers.js';

const folder = () => mkdtempSync(join(tmpdir(), 'relance-lock-'));

describe('the run lock, a row of the journal itself', () => {
  it('refuses a second run while the first holds it, and is free again once released', () => {
    const path = join(folder(), 'j.sqlite');
    const lock = RunLock.acquire(path, new Date('2026-11-16T08:00:00Z'));
    expect(() => RunLock.acquire(path, new Date())).toThrow(/^un autre « relance send » est en cours sur ce journal \(processus \d+, démarré le 2026-11-16T08:00:00.000Z\)/);
    lock.release();
    RunLock.acquire(path, new Date()).release();
  });

  it('the same journal through a symlinked folder is the same lock', () => {
    const dir = folder();
    mkdirSync(join(dir, 'vrai'));
    symlinkSync(join(dir, 'vrai'), join(dir, 'lien'));
    const lock = RunLock.acquire(join(dir, 'vrai', 'j.sqlite'), new Date());
    expect(() => RunLock.acquire(join(dir, 'lien', 'j.sqlite'), new Date())).toThrow(/un autre « relance send » est en cours/);
    expect(() => RunLock.acquire(join(dir, 'lien', '..', 'vrai', './j.sqlite'), new Date())).toThrow(/un autre « relance send » est en cours/);
    lock.release();
  });

  it('takes over the lock of a process that is gone on this host, and says from whom', () => {
    const path = join(folder(), 'j.sqlite');
    RunLock.acquire(path, new Date()).release();
    const db = new Database(path);
    db.prepare("INSERT INTO run_lock VALUES (1, ?, ?, '2026-11-15T06:00:00.000Z', 'x')").run(2 ** 22 + 12345, hostname()); // no such process
    db.close();
    const lock = RunLock.acquire(path, new Date());
    expect(lock.takenOver).toEqual({ pid: 2 ** 22 + 12345, host: hostname(), since: '2026-11-15T06:00:00.000Z' });
    expect(takeoverLine(lock.takenOver!)).toBe(
      `verrou repris : le lancement précédent (processus ${2 ** 22 + 12345} sur ${hostname()}, démarré le 2026-11-15T06:00:00.000Z) s'est arrêté sans le rendre.`,
    );
    lock.release();
  });

  it("never takes over another host's lock: it cannot know whether that run is alive", () => {
    const path = join(folder(), 'j.sqlite');
    RunLock.acquire(path, new Date()).release();
    const db = new Database(path);
    db.prepare("INSERT INTO run_lock VALUES (1, 1, 'autre-machine', '2026-11-15T06:00:00.000Z', 'x')").run();
    db.close();
    expect(() => RunLock.acquire(path, new Date())).toThrow(
      `un autre « relance send » est en cours sur ce journal (processus 1 sur la machine autre-machine, démarré le 2026-11-15T06:00:00.000Z) : ce lancement s'arrête sans rien envoyer.`,
    );
  });
});

describe('simultaneous starts, as real processes', () => {
  let child = '';
  beforeAll(() => {
    // The child bundled once (CommonJS, better-sqlite3 from the repository's node_modules).
    child = join(folder(), 'lock-child.cjs');
    buildSync({ entryPoints: [join(ROOT, 'test/journal/lock-child.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: child, external: ['better-sqlite3'], logLevel: 'silent' });
  });

  const start = (path: string) => {
    const p = spawn(process.execPath, [child, path], { env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') }, stdio: ['pipe', 'pipe', 'inherit'] });
    const said = new Promise<string>((resolve) => {
      let out = '';
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      p.on('exit', () => resolve(out.trim()));
    });
    const done = new Promise<void>((resolve) => p.on('exit', () => resolve()));
    return { said, end: () => p.stdin.end(), done };
  };

  it('8 starts on a new journal, 10 times: exactly one wins each time', async () => {
    for (let trial = 0; trial < 10; trial++) {
      const dir = folder();
      // Half through a symlinked folder: the path is no way around the lock.
      mkdirSync(join(dir, 'vrai'));
      symlinkSync(join(dir, 'vrai'), join(dir, 'lien'));
      const runs = Array.from({ length: 8 }, (_, i) => start(join(dir, i % 2 ? 'lien' : 'vrai', 'j.sqlite')));
      const said = await Promise.all(runs.map((r) => r.said));
      for (const r of runs) r.end();
      await Promise.all(runs.map((r) => r.done));
      expect(said.filter((s) => s === 'gagné'), `essai ${trial} : ${said.join(' | ')}`).toHaveLength(1);
      expect(said.filter((s) => s.startsWith('refusé un autre « relance send » est en cours'))).toHaveLength(7);
    }
    // 80 Node processes (each loading the TypeScript loader): about 10 s on an idle 2-core
    // machine, three times that on a loaded one.
  }, 120_000);
});
