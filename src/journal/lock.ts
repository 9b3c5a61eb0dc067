import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { UsageError } from '../errors.js';

/**
 * A lock file beside the journal, so that two `relance send` never overlap. Created
 * atomically (`wx`); a lock whose process is gone (a killed run) is taken over.
 */
export class RunLock {
  private constructor(readonly path: string) {}

  /** Takes the lock or throws a clear error naming the run that holds it. */
  static acquire(path: string, now: Date): RunLock {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, JSON.stringify({ pid: process.pid, since: now.toISOString() }));
        closeSync(fd);
        return new RunLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = readHolder(path);
        if (holder && isAlive(holder.pid)) {
          throw new UsageError(
            `un autre « relance send » est en cours (processus ${holder.pid}, démarré le ${holder.since}) : ce lancement s'arrête sans rien envoyer.`,
            `attendez la fin de l'autre envoi ; si aucun ne tourne, supprimez ${path}.`,
          );
        }
        rmSync(path, { force: true }); // stale: its process is gone
      }
    }
    throw new UsageError(`impossible de prendre le verrou ${path}.`, `supprimez ce fichier si aucun envoi ne tourne.`);
  }

  release(): void {
    rmSync(this.path, { force: true });
  }
}

function readHolder(path: string): { pid: number; since: string } | null {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; since?: unknown };
    return typeof data.pid === 'number' ? { pid: data.pid, since: String(data.since ?? '?') } : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
