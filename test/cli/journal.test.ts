import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.js';
import { runCli } from '../helpers.js';

function seeded(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'relance-journal-cli-')), 'j.sqlite');
  const j = Journal.open(path);
  for (const [code, step, date, status] of [['CBELLEC', 'relance1', '2026-11-16', 'envoye'], ['CGIRAUD', 'relance1', '2026-11-16', 'a_faire'], ['CBELLEC', 'relance2', '2026-11-24', 'echec']] as const) {
    j.record({
      clientCode: code, clientName: code, step, channel: status === 'a_faire' ? 'courrier' : 'email', actionDate: date, createdAt: `${date}T08:00:00Z`,
      status, recipients: '', cc: '', subject: '', amountCents: 4_500_000, costCents: 5, messageId: null, sha256: status === 'envoye' ? 'f'.repeat(64) : null,
      error: status === 'echec' ? '550 boîte pleine' : null, invoices: [{ ref: `F-${code}`, step, openCents: 4_500_000, dueDate: '2026-11-08' }],
    });
  }
  j.close();
  return path;
}

describe('relance journal', () => {
  it('lists the actions with their status, filtered by client and dates', async () => {
    const path = seeded();
    const all = await runCli(['journal', '--journal', path, '--format', 'json']);
    expect((JSON.parse(all.stdout) as { actions: unknown[] }).actions).toHaveLength(3);
    const one = await runCli(['journal', '--journal', path, '--client', 'CBELLEC', '--from', '2026-11-20', '--format', 'json']);
    expect((JSON.parse(one.stdout) as { actions: { step: string; status: string; error: string }[] }).actions).toEqual([
      expect.objectContaining({ step: 'relance2', status: 'echec', error: '550 boîte pleine' }),
    ]);
    const text = await runCli(['journal', '--journal', path]);
    expect(text.stdout).toContain('à faire');
    expect(text.stdout).toContain('3 actions.');
    const csv = await runCli(['journal', '--journal', path, '--step', 'relance1', '--format', 'csv']);
    expect(csv.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('says clearly when there is no journal yet', async () => {
    const r = await runCli(['journal', '--journal', '/tmp/nulle-part/j.sqlite']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'relance: erreur : aucun journal à /tmp/nulle-part/j.sqlite (indiqué par --journal) : seul relance send crée le journal.\n'
        + 'conseil : vérifiez le chemin (--journal, RELANCE_JOURNAL ou la clé journal de la configuration), ou lancez d\'abord relance send pour le créer.\n',
    );
  });
});
