import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { RelanceError, UsageError } from '../errors.js';
import { journalOpenError, refuseNewer } from './journal.js';

/** Who holds the run lock: the process, its host and when it started. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

/**
 * The lock of `relance send`, held in the journal itself: one row of `run_lock`, taken in a
 * `BEGIN IMMEDIATE` transaction. SQLite locks the file, not the path, so a symlinked folder,
 * a relative path or eight simultaneous starts still meet on the same row and only one wins;
 * the row is written with its content in one transaction, so there is no empty lock to
 * mistake for a stale one. A row whose process is gone on this host (a killed run) is taken
 * over, and `takenOver` says from whom.
 */
export class RunLock {
  private constructor(
    private readonly db: Database.Database,
    private readonly token: string,
    readonly path: string,
    /** The stale holder this lock was taken from, to be said; null when the lock was free. */
    readonly takenOver: LockHolder | null,
  ) {}

  /**
   * Takes the lock of the journal at `path` (created when missing: only `send` calls this)
   * or throws a clear error naming the run that holds it.
   */
  static acquire(path: string, now: Date, host: string = hostname()): RunLock {
    // Its own connection: the lock outlives the journal's, whatever order they are closed in.
    let db: Database.Database;
    try {
      db = new Database(path);
    } catch (err) {
      throw journalOpenError(err, path);
    }
    try {
      db.pragma('busy_timeout = 10000');
      const token = randomUUID();
      const take = db.transaction((): LockHolder | null => {
        refuseNewer(db, path); // rolled back whole: a newer journal is not written, not even the lock
        db.exec('CREATE TABLE IF NOT EXISTS run_lock (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL, token TEXT NOT NULL)');
        const holder = (db.prepare('SELECT pid, host, since FROM run_lock WHERE id = 1').get() as LockHolder | undefined) ?? null;
        if (holder) refuseIfHeld(holder, host, path);
        db.prepare('INSERT OR REPLACE INTO run_lock (id, pid, host, since, token) VALUES (1, ?, ?, ?, ?)').run(process.pid, host, now.toISOString(), token);
        return holder;
      });
      const stale = take.immediate();
      return new RunLock(db, token, path, stale);
    } catch (err) {
      db.close();
      throw err instanceof RelanceError ? err : journalOpenError(err, path); // a damaged file: said in French, never a stack
    }
  }

  /** Gives the lock back (only if it is still ours). */
  release(): void {
    if (!this.db.open) return;
    try {
      this.db.prepare('DELETE FROM run_lock WHERE id = 1 AND token = ?').run(this.token);
    } finally {
      this.db.close();
    }
  }
}

/** The one French line that says a stale lock was taken over. */
export function takeoverLine(h: LockHolder): string {
  return `verrou repris : le lancement précédent (processus ${h.pid} sur ${h.host}, démarré le ${h.since}) s'est arrêté sans le rendre.`;
}

function refuseIfHeld(h: LockHolder, host: string, path: string): void {
  if (h.host === host && !isAlive(h.pid)) return; // stale: its process is gone
  const where = h.host === host ? `processus ${h.pid}` : `processus ${h.pid} sur la machine ${h.host}`;
  throw new UsageError(
    `un autre « relance send » est en cours sur ce journal (${where}, démarré le ${h.since}) : ce lancement s'arrête sans rien envoyer.`,
    h.host === host
      ? `attendez la fin de l'autre envoi (journal ${path}).`
      : `attendez la fin de l'envoi sur ${h.host} ; si aucun n'y tourne plus, libérez le verrou : sqlite3 ${path} "DELETE FROM run_lock".`,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
