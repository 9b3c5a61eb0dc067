import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { daysBetween, type CalendarDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import type { OpenItem } from '../core/records.js';
import type { CaseMessage, LitigationClosure } from '../core/case.js';
import { withImportedReminders, type ImportedReminder } from '../core/imported.js';
import type { SentStep, Step } from '../core/scenario.js';
import { DataError } from '../errors.js';
import { litigationClosures } from './cases.js';
import { MIGRATIONS } from './migrations.js';

/** Where the journal is, and who named it (null: nobody, the default beside the config). */
export interface JournalLocation {
  path: string;
  namedBy: '--journal' | 'RELANCE_JOURNAL' | 'la clé journal de la configuration' | null;
}

/**
 * Where the journal is: `--journal` or RELANCE_JOURNAL (from `cwd`), else the config's
 * `journal` (already resolved against the config file's folder), else the default
 * `relance.sqlite` beside the config file.
 */
export function journalPathOf(option: string | undefined, env: Record<string, string | undefined>, config: { journal?: string; journalDefault: string }, cwd: string): JournalLocation {
  if (option !== undefined) return { path: resolve(cwd, option), namedBy: '--journal' };
  if (env.RELANCE_JOURNAL) return { path: resolve(cwd, env.RELANCE_JOURNAL), namedBy: 'RELANCE_JOURNAL' };
  if (config.journal !== undefined) return { path: config.journal, namedBy: 'la clé journal de la configuration' };
  return { path: config.journalDefault, namedBy: null };
}

/** The error for a journal that is not there: only `relance send` creates one. */
export function missingJournal(loc: JournalLocation): DataError {
  return new DataError(
    `aucun journal à ${loc.path}${loc.namedBy ? ` (indiqué par ${loc.namedBy})` : ''} : seul relance send crée le journal.`,
    loc.namedBy === 'la clé journal de la configuration'
      ? `corrigez la clé journal (un chemin relatif part du dossier du fichier de configuration), ou lancez d'abord relance send pour le créer.`
      : `vérifiez le chemin (--journal, RELANCE_JOURNAL ou la clé journal de la configuration), ou lancez d'abord relance send pour le créer.`,
  );
}

/**
 * The journal for a command that only reads: opened read-only; null when none was
 * named and there is none at the default; an error when the one named is missing.
 */
export function openJournalToRead(loc: JournalLocation): Journal | null {
  if (!existsSync(loc.path)) {
    if (loc.namedBy) throw missingJournal(loc);
    return null;
  }
  return Journal.openReadOnly(loc.path);
}

/** The journal for a command that records (the case commands): it must exist already. */
export function openJournalToWrite(loc: JournalLocation): Journal {
  if (!existsSync(loc.path)) throw missingJournal(loc);
  return Journal.open(loc.path);
}

/** The highest schema version this binary knows. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** What happened to an action: being sent, sent, failed, unknown (killed mid-send), left to a person. */
export type ActionStatus = 'envoi' | 'envoye' | 'echec' | 'incertain' | 'a_faire';

/** French names of the statuses, for listings. */
export const STATUS_LABELS: Record<ActionStatus, string> = {
  envoi: 'en cours d\'envoi',
  envoye: 'envoyé',
  echec: 'échec',
  incertain: 'incertain',
  a_faire: 'à faire',
};

/** An action as recorded in the journal. */
export interface JournalAction {
  id: number;
  clientCode: string;
  clientName: string;
  step: Step;
  channel: string;
  actionDate: CalendarDate;
  createdAt: string;
  status: ActionStatus;
  recipients: string;
  cc: string;
  subject: string;
  amountCents: Cents;
  costCents: Cents;
  messageId: string | null;
  sha256: string | null;
  error: string | null;
  invoices: { ref: string; step: Step; openCents: Cents; dueDate: CalendarDate | null }[];
}

/** An action about to be attempted, recorded before anything leaves. */
export type NewAction = Omit<JournalAction, 'id' | 'error'> & { error?: string | null };

/** An imported aged balance: per client, the balance and its buckets by days past due. */
export interface BalanceSnapshot {
  asOf: CalendarDate;
  clients: { clientCode: string; balanceCents: Cents; notDue: Cents; d1: Cents; d31: Cents; d61: Cents; d91: Cents }[];
}

/** Filters of `relance journal`. */
export interface ActionFilter {
  client?: string;
  step?: string;
  from?: CalendarDate;
  to?: CalendarDate;
}

// Statuses that mean the client may have received the message: they count as taken.
const TAKEN = "('envoi', 'envoye', 'incertain', 'a_faire')";

/**
 * The journal: one SQLite file, the memory behind "never twice". Every write is a
 * transaction, so a run killed at any moment leaves it consistent.
 */
export class Journal {
  private constructor(
    private readonly sqlite: Database.Database,
    readonly path: string,
  ) {}

  /**
   * The SQLite connection, for the table modules of src/journal/ only (cases, tasks,
   * procedures, sales alerts), and tests that set up a damaged state: no SQL outside
   * src/journal/ (test/journal/library.test.ts).
   */
  static sqlOf(j: Journal): Database.Database {
    return j.sqlite;
  }

  /** Runs `fn` in one transaction (nested calls join the outer one): all its writes, or none. */
  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn)();
  }

  /** The calls noted in the client files (`relance note --call`): who, when, at what cost. */
  calls(): { clientCode: string; notedOn: CalendarDate; costCents: Cents }[] {
    return this.sqlite
      .prepare('SELECT client_code AS clientCode, noted_on AS notedOn, cost_cents AS costCents FROM notes WHERE is_call = 1')
      .all() as { clientCode: string; notedOn: CalendarDate; costCents: Cents }[];
  }

  /** Sets how long a write waits for another process's lock before SQLITE_BUSY (tests shorten it). */
  setBusyTimeout(ms: number): void {
    this.sqlite.pragma(`busy_timeout = ${Math.trunc(ms)}`);
  }

  /**
   * The migrations this journal still lacks (empty when up to date): a read-only journal
   * was brought up to date in memory only.
   */
  pending: number[] = [];

  /** Opens (creating it if needed: `relance send` and tests only) and brings the schema up to date. */
  static open(path: string): Journal {
    const db = connect(path, {});
    try {
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      refuseNewer(db, path);
    } catch (err) {
      db.close();
      throw unreadable(err, path);
    }
    const journal = new Journal(db, path);
    try {
      journal.migrate();
    } catch (err) {
      db.close();
      throw unreadable(err, path);
    }
    return journal;
  }

  /**
   * Opens an existing journal read-only (`readonly: true`): nothing is ever written, not
   * even a migration. An older schema is brought up to date on a copy in memory, and
   * `pending` says which migrations the next `relance send` will apply.
   */
  static openReadOnly(path: string): Journal {
    let db = connect(path, { readonly: true, fileMustExist: true });
    let pending: number[];
    try {
      db.pragma('busy_timeout = 5000');
      refuseNewer(db, path);
      const done = new Set(versionsOf(db));
      pending = MIGRATIONS.filter((m) => !done.has(m.version)).map((m) => m.version);
      if (pending.length > 0) {
        const image = db.serialize();
        image[18] = 1; // a rollback-journal header: an in-memory copy cannot be in WAL mode
        image[19] = 1;
        const copy = new Database(image);
        db.close();
        db = copy;
      }
      db.pragma('foreign_keys = ON');
    } catch (err) {
      if (db.open) db.close();
      throw unreadable(err, path);
    }
    const journal = new Journal(db, path);
    if (pending.length > 0) journal.migrate();
    journal.pending = pending;
    return journal;
  }

  /** An empty journal in memory: what a read-only command reads when there is no journal yet. */
  static inMemory(): Journal {
    const journal = new Journal(new Database(':memory:'), ':memory:');
    journal.migrate();
    return journal;
  }

  close(): void {
    this.sqlite.close();
  }

  /** Applies the migrations not yet recorded; running it twice changes nothing. */
  migrate(): number[] {
    this.sqlite.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const done = new Set(this.sqlite.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      this.sqlite.transaction(() => {
        this.sqlite.exec(m.sql);
        this.sqlite.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      })();
      applied.push(m.version);
    }
    return applied;
  }

  /** The schema versions recorded, in order. */
  versions(): number[] {
    return this.sqlite.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[];
  }

  /** Litigation hand-overs closed by `relance contentieux --close`, by closing date (journal/cases.ts). */
  litigationClosures(): { clientCode: string; closedOn: string; outcome: string; reason: string }[] {
    return litigationClosures(this);
  }

  /** Steps already taken per invoice ref: what the scenario continues from. */
  sentSteps(): Map<string, SentStep[]> {
    const rows = this.sqlite
      .prepare(`SELECT i.ref, i.step, a.action_date AS date FROM action_invoices i JOIN actions a ON a.id = i.action_id WHERE a.status IN ${TAKEN} ORDER BY a.id`)
      .all() as { ref: string; step: Step; date: string }[];
    const out = new Map<string, SentStep[]>();
    for (const r of rows) {
      const list = out.get(r.ref);
      if (list) list.push({ step: r.step, date: r.date });
      else out.set(r.ref, [{ step: r.step, date: r.date }]);
    }
    return out;
  }

  /**
   * The messages taken per client code (sent, being sent, uncertain, left to a person;
   * not the failed ones), oldest first, each with the invoices it named and their
   * steps: what the client's case is rebuilt from.
   */
  caseMessages(): Map<string, CaseMessage[]> {
    const rows = this.sqlite
      .prepare(
        // A registered letter counts from the day its LRAR task was done (posted), not
        // from its e-mail copy; while not posted, the message says so (`awaitingPost`).
        `SELECT a.id, a.client_code AS code, a.step, a.channel, COALESCE(t.done_on, a.action_date) AS date, a.amount_cents AS amount, i.ref, i.step AS invoiceStep, i.due_date AS dueDate,
                CASE WHEN t.status = 'a_faire' THEN t.id END AS awaitingPost
         FROM actions a LEFT JOIN action_invoices i ON i.action_id = a.id
         LEFT JOIN tasks t ON t.id = (SELECT MAX(id) FROM tasks WHERE action_id = a.id AND kind = 'lrar')
         WHERE a.status IN ${TAKEN} ORDER BY a.action_date, a.id, i.ref`,
      )
      .all() as { id: number; code: string; step: Step; channel: string; date: string; amount: number; ref: string | null; invoiceStep: Step | null; dueDate: string | null; awaitingPost: number | null }[];
    const out = new Map<string, CaseMessage[]>();
    let lastId = -1;
    let message: CaseMessage | null = null;
    for (const r of rows) {
      if (r.id !== lastId) {
        lastId = r.id;
        message = { date: r.date, step: r.step, channel: r.channel, amountCents: r.amount, invoices: [], ...(r.awaitingPost !== null ? { awaitingPost: r.awaitingPost } : {}) };
        const list = out.get(r.code);
        if (list) list.push(message);
        else out.set(r.code, [message]);
      }
      if (r.ref !== null) message!.invoices.push({ ref: r.ref, step: r.invoiceStep ?? r.step, dueDate: r.dueDate });
    }
    return out;
  }

  /**
   * Records the reminders an export says were sent (see core/imported.ts); one already
   * recorded is left as it is. Returns how many were new.
   */
  importReminders(reminders: readonly ImportedReminder[], importedAt: string): number {
    const add = this.sqlite.prepare(
      'INSERT OR IGNORE INTO imported_reminders (client_code, ref, count, last_date, source, imported_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    let added = 0;
    this.sqlite.transaction(() => {
      for (const r of reminders) added += add.run(r.clientCode, r.ref, r.count, r.lastDate, `${r.file}:${r.line}`, importedAt).changes;
    })();
    return added;
  }

  /** The reminders recorded from exports, oldest first. */
  importedReminders(): ImportedReminder[] {
    const rows = this.sqlite
      .prepare('SELECT client_code AS clientCode, ref, count, last_date AS lastDate, source FROM imported_reminders ORDER BY last_date, client_code, ref, count')
      .all() as { clientCode: string; ref: string; count: number; lastDate: string; source: string }[];
    return rows.map(({ source, ...r }) => {
      const at = source.lastIndexOf(':');
      return { ...r, file: source.slice(0, at), line: Number(source.slice(at + 1)) };
    });
  }

  /** When invoices the journal knew left the exports (paid or credited), per ref (see `reconcile`). */
  settledDates(): Map<string, CalendarDate> {
    const rows = this.sqlite.prepare('SELECT ref, settled_on AS d FROM known_invoices WHERE settled_on IS NOT NULL').all() as { ref: string; d: string }[];
    return new Map(rows.map((r) => [r.ref, r.d]));
  }

  /** Clients already sent (or being sent) a message on that date. */
  clientsContactedOn(date: CalendarDate): Set<string> {
    return new Set(
      this.sqlite.prepare(`SELECT DISTINCT client_code FROM actions WHERE action_date = ? AND status IN ('envoi', 'envoye', 'incertain')`).pluck().all(date) as string[],
    );
  }

  /** Records an action and its invoices in one transaction; returns its id. */
  record(a: NewAction): number {
    return this.sqlite.transaction(() => {
      const id = Number(
        this.sqlite
          .prepare(
            `INSERT INTO actions (client_code, client_name, step, channel, action_date, created_at, status, recipients, cc, subject, amount_cents, cost_cents, message_id, sha256, error)
             VALUES (@clientCode, @clientName, @step, @channel, @actionDate, @createdAt, @status, @recipients, @cc, @subject, @amountCents, @costCents, @messageId, @sha256, @error)`,
          )
          .run({ ...a, error: a.error ?? null }).lastInsertRowid,
      );
      const add = this.sqlite.prepare('INSERT INTO action_invoices (action_id, ref, step, open_cents, due_date) VALUES (?, ?, ?, ?, ?)');
      for (const i of a.invoices) add.run(id, i.ref, i.step, i.openCents, i.dueDate);
      return id;
    })();
  }

  /**
   * Marks an action sent, failed or uncertain once the SMTP server has answered. A busy
   * journal (another process writing) is waited for: each attempt waits the connection's
   * busy timeout, and a busy failure is tried again, up to `attempts` times in all.
   */
  settle(id: number, status: 'envoye' | 'echec' | 'incertain', error: string | null = null, attempts = 4): void {
    const update = this.sqlite.prepare('UPDATE actions SET status = ?, error = ? WHERE id = ?');
    for (let attempt = 1; ; attempt++) {
      try {
        update.run(status, error, id);
        return;
      } catch (err) {
        if (attempt >= attempts || !isBusy(err)) throw err;
      }
    }
  }

  /** The actions whose fate is unknown and that no person has settled yet, oldest first. */
  uncertain(): JournalAction[] {
    const ids = this.sqlite.prepare(`SELECT id FROM actions WHERE status IN ('envoi', 'incertain') ORDER BY id`).pluck().all() as number[];
    return ids.length ? this.actions({}, ids) : [];
  }

  /**
   * A person's verdict on an uncertain action: sent (it counts as taken) or not sent (it
   * becomes a failure, so the step is due again). The row stays, its earlier reason kept
   * in `error`, and a note on the client's file says who decided what and why.
   */
  resolveUncertain(id: number, sent: boolean, reason: string, on: CalendarDate, at: string): void {
    this.sqlite.transaction(() => {
      const row = this.sqlite.prepare('SELECT client_code AS c, error FROM actions WHERE id = ?').get(id) as { c: string; error: string | null };
      const verdict = `tranché ${sent ? 'envoyé' : 'non envoyé'} le ${on}${reason ? ` : ${reason}` : ''}`;
      const error = `incertain (${row.error ?? 'sans détail'}) ; ${verdict}`;
      this.sqlite.prepare('UPDATE actions SET status = ?, error = ? WHERE id = ?').run(sent ? 'envoye' : 'echec', error, id);
      this.sqlite
        .prepare('INSERT INTO notes (client_code, noted_on, text, is_call, minutes, cost_cents, created_at) VALUES (?, ?, ?, 0, NULL, 0, ?)')
        .run(row.c, on, `message n° ${id} ${verdict}`, at);
    })();
  }

  /**
   * Actions left `envoi` by a run that was killed between sending and recording: the
   * message may have gone. They become `incertain`, still count as sent (never sent
   * again), and are returned to be reported.
   */
  resolveInterrupted(): JournalAction[] {
    const ids = this.sqlite.prepare(`SELECT id FROM actions WHERE status = 'envoi'`).pluck().all() as number[];
    if (ids.length === 0) return [];
    this.sqlite.prepare(`UPDATE actions SET status = 'incertain', error = 'run interrompu entre l''envoi et son enregistrement' WHERE status = 'envoi'`).run();
    return this.actions({}, ids);
  }

  /** The actions, oldest first, with their invoices. */
  actions(filter: ActionFilter, ids?: number[]): JournalAction[] {
    const conditions: Record<keyof ActionFilter, string> = {
      client: 'client_code = @client',
      step: 'step = @step',
      from: 'action_date >= @from',
      to: 'action_date <= @to',
    };
    const where: string[] = [];
    const args: Record<string, string> = {};
    for (const key of Object.keys(conditions) as (keyof ActionFilter)[]) {
      const value = filter[key];
      if (value) {
        where.push(conditions[key]);
        args[key] = value;
      }
    }
    if (ids) where.push(`id IN (${ids.map(Number).join(',') || 'NULL'})`);
    const rows = this.sqlite
      .prepare(`SELECT * FROM actions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY action_date, id`)
      .all(args) as Record<string, unknown>[];
    const invoices = this.sqlite.prepare('SELECT ref, step, open_cents AS openCents, due_date AS dueDate FROM action_invoices WHERE action_id = ? ORDER BY ref');
    return rows.map((r) => ({
      id: r.id as number,
      clientCode: r.client_code as string,
      clientName: r.client_name as string,
      step: r.step as Step,
      channel: r.channel as string,
      actionDate: r.action_date as string,
      createdAt: r.created_at as string,
      status: r.status as ActionStatus,
      recipients: r.recipients as string,
      cc: r.cc as string,
      subject: r.subject as string,
      amountCents: r.amount_cents as number,
      costCents: r.cost_cents as number,
      messageId: (r.message_id as string | null) ?? null,
      sha256: (r.sha256 as string | null) ?? null,
      error: (r.error as string | null) ?? null,
      invoices: invoices.all(r.id) as JournalAction['invoices'],
    }));
  }

  /**
   * Records the aged balance imported for a date (per client: balance and aging
   * buckets by days past due), replacing an earlier import of the same date and source.
   */
  recordSnapshot(asOf: CalendarDate, source: string, items: OpenItem[], importedAt: string): void {
    const perClient = new Map<string, number[]>();
    let total = 0;
    let overdue = 0;
    for (const i of items) {
      const b = perClient.get(i.clientCode) ?? [0, 0, 0, 0, 0, 0];
      const late = i.dueDate === null ? 0 : daysBetween(i.dueDate, asOf);
      const bucket = late <= 0 ? 1 : late <= 30 ? 2 : late <= 60 ? 3 : late <= 90 ? 4 : 5;
      b[0]! += i.openCents;
      b[bucket]! += i.openCents;
      perClient.set(i.clientCode, b);
      total += i.openCents;
      if (late > 0) overdue += i.openCents;
    }
    this.sqlite.transaction(() => {
      this.sqlite.prepare('DELETE FROM snapshots WHERE as_of = ? AND source = ?').run(asOf, source);
      const id = Number(
        this.sqlite.prepare('INSERT INTO snapshots (as_of, source, imported_at, total_cents, overdue_cents) VALUES (?, ?, ?, ?, ?)').run(asOf, source, importedAt, total, overdue).lastInsertRowid,
      );
      const add = this.sqlite.prepare('INSERT INTO snapshot_clients VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      for (const [code, b] of perClient) add.run(id, code, ...b);
    })();
  }

  /**
   * The aged-balance snapshots with their per-client buckets (for the KPIs without a
   * FEC): one per date, the latest import of that date.
   */
  snapshotDetails(): BalanceSnapshot[] {
    const snaps = this.sqlite.prepare('SELECT id, as_of AS asOf FROM snapshots ORDER BY as_of, id').all() as { id: number; asOf: string }[];
    const byDate = new Map<string, number>();
    for (const s of snaps) byDate.set(s.asOf, s.id);
    const rows = this.sqlite.prepare(
      `SELECT client_code AS clientCode, balance_cents AS balanceCents, not_due_cents AS notDue, d1_30_cents AS d1, d31_60_cents AS d31,
              d61_90_cents AS d61, d91_cents AS d91 FROM snapshot_clients WHERE snapshot_id = ? ORDER BY client_code`,
    );
    return [...byDate].map(([asOf, id]) => ({ asOf, clients: rows.all(id) as BalanceSnapshot['clients'] }));
  }

  /** Snapshots recorded, oldest first (date, source, totals). */
  snapshots(): { asOf: CalendarDate; source: string; totalCents: Cents; overdueCents: Cents; clients: number }[] {
    return this.sqlite
      .prepare(
        `SELECT s.as_of AS asOf, s.source, s.total_cents AS totalCents, s.overdue_cents AS overdueCents, COUNT(c.client_code) AS clients
         FROM snapshots s LEFT JOIN snapshot_clients c ON c.snapshot_id = s.id GROUP BY s.id ORDER BY s.as_of, s.id`,
      )
      .all() as { asOf: CalendarDate; source: string; totalCents: Cents; overdueCents: Cents; clients: number }[];
  }
}

function connect(path: string, options: Database.Options): Database.Database {
  try {
    return new Database(path, options);
  } catch (err) {
    throw unreadable(err, path);
  }
}

function unreadable(err: unknown, path: string): Error {
  return journalOpenError(err, path);
}

const WHERE = `(--journal, RELANCE_JOURNAL ou la clé journal de la configuration)`;

/**
 * The French error for a journal that SQLite cannot open, create or write: a folder
 * given as the file, a missing folder, a damaged file, no write access, a full disk.
 * Each names the path and the fix; only an unknown cause keeps SQLite's own words.
 */
export function journalOpenError(err: unknown, path: string): Error {
  if (err instanceof DataError) return err;
  const e = err as { code?: string; message?: string };
  const code = String(e.code ?? '');
  const text = String(e.message ?? err);
  const kind = kindOf(path);
  if (kind === 'dossier') {
    return new DataError(
      `le journal ${path} est un dossier, pas un fichier : rien n'a été lu ni écrit.`,
      `indiquez le fichier du journal, par exemple --journal ${resolve(path, 'relance.sqlite')} ${WHERE}.`,
    );
  }
  if (kind === 'absent' && kindOf(dirname(path)) !== 'dossier') {
    return new DataError(
      `le dossier du journal n'existe pas : ${dirname(path)} (journal ${path}) ; rien n'a été lu ni écrit.`,
      `créez le dossier (mkdir -p ${dirname(path)}) ou corrigez le chemin du journal ${WHERE}.`,
    );
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || /not a database|malformed/.test(text)) {
    return new DataError(
      `le journal ${path} est endommagé ou n'est pas un journal relance (${code || text}) : rien n'a été lu ni écrit.`,
      `restaurez la dernière sauvegarde de ce fichier, ou indiquez le bon journal ${WHERE} ; ne le supprimez pas : il garde la mémoire des relances déjà envoyées.`,
    );
  }
  if (code === 'SQLITE_FULL' || /disk is full|ENOSPC/.test(text)) {
    return new DataError(
      `le disque du journal ${path} est plein (${code || 'ENOSPC'}) : le journal n'a pas pu être écrit.`,
      `libérez de la place sur ce disque, puis relancez.`,
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'EACCES' || /readonly|read-only|permission denied/i.test(text)) {
    return new DataError(
      `le journal ${path} n'est pas accessible en écriture (${code || text}) : rien n'a été écrit.`,
      `donnez le droit d'écriture sur ce fichier et sur son dossier ${dirname(path)} (SQLite y crée ses fichiers -wal et -shm) à l'utilisateur qui lance relance.`,
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) {
    return new DataError(
      `impossible d'ouvrir le journal ${path} (${code}) : rien n'a été lu ni écrit.`,
      `vérifiez que ${path} est un fichier et que son dossier ${dirname(path)} existe et est accessible en lecture et en écriture ${WHERE}.`,
    );
  }
  return new DataError(`journal illisible : ${path} (${text}).`, `vérifiez le chemin du journal ${WHERE}.`);
}

function kindOf(path: string): 'dossier' | 'fichier' | 'absent' {
  try {
    return statSync(path).isDirectory() ? 'dossier' : 'fichier';
  } catch {
    return 'absent';
  }
}

/** The schema versions recorded (none in a journal never migrated). */
function versionsOf(db: Database.Database): number[] {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  return has ? (db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[]) : [];
}

/** Refuses a journal written by a newer relance: its schema is not this binary's to read or change. */
export function refuseNewer(db: Database.Database, path: string): void {
  const newest = Math.max(0, ...versionsOf(db));
  if (newest > SCHEMA_VERSION) {
    throw new DataError(
      `ce journal a été créé par une version plus récente de relance : ${path} est au schéma ${newest}, cette version connaît jusqu'au schéma ${SCHEMA_VERSION} ; rien n'a été lu ni écrit.`,
      `mettez relance à jour (npm install -g relance) avant de vous servir de ce journal.`,
    );
  }
}

/** What the plan needs of the journal to rebuild each client's case. */
export interface CaseHistory {
  messages: Map<string, CaseMessage[]>;
  settled: Map<string, CalendarDate>;
  litigationClosures: LitigationClosure[];
}

/**
 * The clients' case history from the journal (empty without one): messages taken,
 * settlement dates (`settled` when computed in memory by `reconciliationOf`), and the
 * litigation closures recorded by a person. With `imported`, the reminders the exports
 * say were sent (Sage 100), and those the journal recorded from earlier exports, join
 * the messages (see core/imported.ts).
 */
export function caseHistoryOf(
  journal: Journal | null,
  settled?: Map<string, CalendarDate>,
  imported?: { reminders: readonly ImportedReminder[]; openItems: readonly OpenItem[]; asOf: CalendarDate },
): CaseHistory {
  const own: CaseHistory = journal
    ? { messages: journal.caseMessages(), settled: settled ?? journal.settledDates(), litigationClosures: journal.litigationClosures() }
    : { messages: new Map(), settled: new Map(), litigationClosures: [] };
  if (!imported) return own;
  const reminders = [...(journal?.importedReminders() ?? []), ...imported.reminders];
  return { ...own, messages: withImportedReminders(own.messages, reminders, imported.openItems, imported.asOf) };
}

/** Whether an SQLite error only says that another connection holds the write lock. */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || (typeof code === 'string' && code.startsWith('SQLITE_BUSY_'));
}
