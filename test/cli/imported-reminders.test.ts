import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan.js';
import { Journal } from '../../src/journal/journal.js';
import { fixture, runCli } from '../helpers.js';
import { startSmtp } from '../smtp.js';

// Sage 100 says it sent FA2026-0030 of CTRABOU two reminders, the last on 02/11/2026
// (fields 22 and 31 of its #MECG block): the ladder goes on from there.
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

function workspace(): { dir: string; journal: string } {
  const dir = mkdtempSync(join(tmpdir(), 'relance-imported-'));
  const lines = readFileSync(fixture('sage100/ecritures-2026.txt'), 'latin1').split('\r\n');
  let set = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '#MECG') continue;
    const f = lines.slice(i + 1, i + 40);
    if (f[4] === 'FA2026-0030' && f[8] === 'CTRABOU' && f[16] === '0') {
      lines[i + 22] = '2'; // nombre de rappels
      lines[i + 31] = '021126'; // date relance
      set++;
    }
  }
  expect(set).toBe(1);
  writeFileSync(join(dir, 'ecritures.txt'), lines.join('\r\n'), 'latin1');
  copyFileSync(fixture('sage100/clients.csv'), join(dir, 'clients.csv'));
  // The ledger's last entry is of 12/11: send accepts it up to a week old.
  writeFileSync(join(dir, 'relance.yaml'), `${readFileSync(fixture('relance.yaml'), 'utf8')}\nmaxExportAgeDays: 7\n`);
  return { dir, journal: join(dir, 'journal.sqlite') };
}

describe('reminders Sage 100 already sent', () => {
  it('put the case at the second reminder: the chronic payer is due its escalade, not a first reminder', async () => {
    const w = workspace();
    const r = await runCli(['plan', '--ledger', 'ecritures.txt', '--clients', 'clients.csv', '--as-of', '2026-11-16', '--format', 'json'], { cwd: w.dir });
    expect(r.code).toBe(0);
    const ctrabou = (JSON.parse(r.stdout) as Plan).actions.find((a) => a.clientCode === 'CTRABOU')!;
    expect(ctrabou).toMatchObject({ step: 'escalade', dueOn: '2026-11-16' });
    expect(ctrabou.case).toMatchObject({ openedOn: '2026-11-02', step: 'relance2', remindersSent: 1 });
    // Without the reminders, the same file plans a first reminder.
    const plain = await runCli(['plan', '--ledger', fixture('sage100/ecritures-2026.txt'), '--clients', 'clients.csv', '--as-of', '2026-11-16', '--format', 'json'], { cwd: w.dir });
    expect((JSON.parse(plain.stdout) as Plan).actions.find((a) => a.clientCode === 'CTRABOU')).toMatchObject({ step: 'relance1' });
  });

  it('are recorded in the journal by send, once, and never turned into a formal notice', { timeout: 30_000 }, async () => {
    const server = await startSmtp();
    closers.push(server.close);
    const w = workspace();
    const send = (asOf: string) =>
      runCli(['send', '--ledger', 'ecritures.txt', '--clients', 'clients.csv', '--journal', w.journal, '--as-of', asOf], { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    const first = await send('2026-11-16');
    expect(first.stdout).toMatch(/CTRABOU.*escalade/);
    const second = await send('2026-11-17');
    expect(second.code).toBe(0);
    const journal = Journal.open(w.journal);
    try {
      expect(journal.importedReminders()).toEqual([
        { clientCode: 'CTRABOU', ref: 'FA2026-0030', count: 2, lastDate: '2026-11-02', file: 'ecritures.txt', line: expect.any(Number) },
      ]);
      // What the journal holds of CTRABOU: the imported second reminder, then relance's escalade; no mise en demeure.
      expect(journal.caseMessages().get('CTRABOU')?.map((m) => m.step)).toEqual(['escalade']);
    } finally {
      journal.close();
    }
    const toTraboules = server.received.filter((m) => m.to.includes('brasserie.traboules@example.fr'));
    expect(toTraboules).toHaveLength(1);
  });
});
