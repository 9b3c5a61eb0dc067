import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.js';

/** Another process that holds the journal's write lock for `ms`, resolved once it holds it. */
async function holdWriteLock(path: string, ms: number): Promise<{ released: Promise<void> }> {
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const script = `const D = require(${JSON.stringify(sqlite)}); const db = new D(${JSON.stringify(path)}); db.exec('BEGIN IMMEDIATE'); process.stdout.write('held\\n'); setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${ms});`;
  const child = spawn(process.execPath, ['-e', script]);
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
  return { released: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
}

function journalWithAction(): { journal: Journal; id: number } {
  const journal = Journal.open(join(mkdtempSync(join(tmpdir(), 'relance-settle-')), 'journal.sqlite'));
  const id = journal.record({
    clientCode: 'C1', clientName: 'Client', step: 'relance1', channel: 'email', actionDate: '2026-11-16', createdAt: '2026-11-16T08:00:00Z',
    status: 'envoi', recipients: 'c1@example.fr', cc: '', subject: 's', amountCents: 100, costCents: 5, messageId: null, sha256: null,
    invoices: [{ ref: 'F1', step: 'relance1', openCents: 100, dueDate: '2026-10-01' }],
  });
  journal.setBusyTimeout(150); // short waits, for a fast test
  return { journal, id };
}

describe('Journal.settle while another process writes', () => {
  it('retries a busy journal instead of failing: the action ends envoye', async () => {
    const { journal, id } = journalWithAction();
    const { released } = await holdWriteLock(journal.path, 400);
    journal.settle(id, 'envoye', null, 6);
    expect(journal.actions({})[0]!.status).toBe('envoye');
    await released;
    journal.close();
  });

  it('gives up after its bounded attempts with the busy error (the action stays « envoi », uncertain next run)', async () => {
    const { journal, id } = journalWithAction();
    const { released } = await holdWriteLock(journal.path, 1500);
    expect(() => journal.settle(id, 'envoye', null, 2)).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    await released;
    expect(journal.actions({})[0]!.status).toBe('envoi');
    journal.close();
  });
});
