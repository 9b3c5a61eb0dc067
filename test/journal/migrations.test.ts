import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadCaseFile } from '../../src/journal/cases.js';
import { Journal } from '../../src/journal/journal.js';
import { MIGRATIONS } from '../../src/journal/migrations.js';

/** A journal file as relance wrote it before migration 3: migrations 1 and 2 only, with a promise and a plan in it. */
function journalOfVersion2(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'relance-migrations-')), 'relance.sqlite');
  const db = new Database(path);
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  for (const m of MIGRATIONS.filter((x) => x.version <= 2)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-10-01T08:00:00.000Z');
  }
  db.prepare("INSERT INTO promises (client_code, refs, promised_on, amount_cents, created_on, created_at) VALUES ('CA', '', '2026-11-20', NULL, '2026-11-10', 'x')").run();
  db.prepare("INSERT INTO pauses (client_code, until, reason, created_on, created_at) VALUES ('CB', '2026-12-01', 'conciliation', '2026-11-10', 'x')").run();
  db.close();
  return path;
}

describe('migration 3 (corrections, litigation closures)', () => {
  it('is numbered after 1 and 2', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('upgrades a journal of migrations 1–2 once, keeps its records, and is a no-op the second time', () => {
    const path = journalOfVersion2();
    const j = Journal.open(path);
    expect(j.versions()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const file = loadCaseFile(j);
    expect(file.promises).toEqual([{ id: 1, clientCode: 'CA', refs: [], promisedOn: '2026-11-20', amountCents: null, createdOn: '2026-11-10', cancelledOn: null, cancelReason: null, replacedBy: null }]);
    expect(file.pauses.map((p) => [p.clientCode, p.cancelledOn])).toEqual([['CB', null]]);
    expect(j.litigationClosures()).toEqual([]);
    expect(j.migrate()).toEqual([]);
    j.close();

    const before = new Database(path, { readonly: true });
    const schema = before.prepare('SELECT name, sql FROM sqlite_master ORDER BY name').all();
    const recorded = before.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all();
    before.close();
    const again = Journal.open(path);
    expect(again.migrate()).toEqual([]);
    again.close();
    const after = new Database(path, { readonly: true });
    expect(after.prepare('SELECT name, sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
    expect(after.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all()).toEqual(recorded);
    expect(recorded.map((r) => (r as { version: number }).version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(after.prepare("SELECT name FROM pragma_table_info('promises') WHERE name IN ('cancelled_on', 'cancel_reason', 'replaced_by') ORDER BY name").pluck().all()).toEqual([
      'cancel_reason', 'cancelled_on', 'replaced_by',
    ]);
    after.close();
  });
});
