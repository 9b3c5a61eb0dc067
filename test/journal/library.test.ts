import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addNote, addPause, loadCaseFile } from '../../src/journal/cases.js';
import { Journal } from '../../src/journal/journal.js';
import { ROOT } from '../helpers.js';

const fresh = () => Journal.open(join(mkdtempSync(join(tmpdir(), 'relance-library-')), 'relance.sqlite'));
const NOW = new Date('2026-11-16T09:00:00Z');

/** Every TypeScript file under a folder, as paths from the repository root. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => relative(ROOT, join(ROOT, dir, f)).replaceAll('\\', '/'))
    .sort();
}


describe('the journal is a library: no SQL outside src/journal/', () => {
  const outside = sourcesUnder('src').filter((f) => !f.startsWith('src/journal/'));

  it.each([
    ['a prepared statement', /\.prepare\(/],
    ['a pragma', /\.pragma\(/],
    ['the SQLite driver', /better-sqlite3/],
    ['the connection of the table modules', /Journal\.sqlOf\(/],
    ['an SQL statement', /\b(SELECT .* FROM|INSERT INTO|DELETE FROM|UPDATE \w+ SET)\b/],
  ])('no file outside src/journal/ holds %s', (_, pattern) => {
    expect(outside.filter((f) => pattern.test(readFileSync(join(ROOT, f), 'utf8')))).toEqual([]);
  });

  it('no file outside src/journal/ reaches a raw connection (`.db`)', () => {
    const users = outside.filter((f) => /\.db\b(?!')/.test(readFileSync(join(ROOT, f), 'utf8').replace(/journal relance\.db/g, '')));
    expect(users).toEqual([]);
  });
});

describe('the journal\'s named methods', () => {
  it('transaction(fn) returns what fn returns and keeps its writes', () => {
    const j = fresh();
    const id = j.transaction(() => addPause(j, { clientCode: 'C1', until: '2026-12-31', reason: 'vacances', createdOn: '2026-11-16' }, NOW));
    expect(loadCaseFile(j).pauses.map((p) => [p.id, p.clientCode, p.until])).toEqual([[id, 'C1', '2026-12-31']]);
    j.close();
  });

  it('transaction(fn) keeps none of its writes when fn throws, and lets the error through', () => {
    const j = fresh();
    expect(() =>
      j.transaction(() => {
        addPause(j, { clientCode: 'C1', until: '2026-12-31', reason: 'vacances', createdOn: '2026-11-16' }, NOW);
        addPause(j, { clientCode: 'C2', until: '2026-12-31', reason: 'vacances', createdOn: '2026-11-16' }, NOW);
        throw new Error('coupure au milieu');
      }),
    ).toThrow('coupure au milieu');
    expect(loadCaseFile(j).pauses).toEqual([]);
    j.close();
  });

  it('calls() gives the calls noted, with their cost, and not the plain notes', () => {
    const j = fresh();
    addNote(j, { clientCode: 'C1', notedOn: '2026-11-02', text: 'appel au comptable', isCall: true, minutes: 10, costCents: 750 }, NOW);
    addNote(j, { clientCode: 'C1', notedOn: '2026-11-03', text: 'a promis de payer', isCall: false, minutes: null, costCents: 0 }, NOW);
    addNote(j, { clientCode: 'C2', notedOn: '2026-11-04', text: 'messagerie', isCall: true, minutes: 2, costCents: 150 }, NOW);
    expect(j.calls()).toEqual([
      { clientCode: 'C1', notedOn: '2026-11-02', costCents: 750 },
      { clientCode: 'C2', notedOn: '2026-11-04', costCents: 150 },
    ]);
    j.close();
  });
});
