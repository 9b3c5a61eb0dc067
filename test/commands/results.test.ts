import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.js';
import { runCheck } from '../../src/commands/check.js';
import { runClient } from '../../src/commands/client.js';
import { runInspect } from '../../src/commands/inspect.js';
import { runJournal } from '../../src/commands/journal.js';
import { runPlan } from '../../src/commands/plan.js';
import { PLAN_OPTIONS } from '../../src/commands/plan-options.js';
import { CHECK_OPTIONS } from '../../src/commands/check-options.js';
import { CLIENT_OPTIONS } from '../../src/commands/client-options.js';
import { INSPECT_OPTIONS } from '../../src/commands/inspect-options.js';
import { JOURNAL_OPTIONS } from '../../src/commands/journal-options.js';
import { SEND_OPTIONS } from '../../src/commands/send-options.js';
import { parseOptions } from '../../src/commands/options.js';
import { runSend } from '../../src/commands/send.js';
import { Journal } from '../../src/journal/journal.js';
import { fixture, ROOT } from '../helpers.js';

// Each command returns what it printed, as data: the tests read the result, and check
// that the JSON on stdout is that result, formatted (the renderers only format).
const AS_OF = '2026-11-16';
const INPUTS = { balance: ['fixtures/sage100/balance.csv'], payments: ['fixtures/sage100/reglements.csv'], clients: ['fixtures/sage100/clients.csv'], asOf: AS_OF };

function captured(): { ctx: Context; out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  const ctx: Context = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: ROOT, now: () => new Date('2026-11-16T09:00:00+01:00'), env: {}, color: false, columns: 80, stderrIsTTY: false,
  };
  return { ctx, out: () => stdout, err: () => stderr };
}

/** A journal in a temp dir with one e-mail sent to Brasserie Les Traboules on 09/11/2026. */
function journalWithOneAction(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'relance-results-')), 'journal.sqlite');
  const j = Journal.open(path);
  j.record({
    clientCode: 'CTRABOU', clientName: 'Brasserie Les Traboules', step: 'relance1', channel: 'email', actionDate: '2026-11-09',
    createdAt: '2026-11-09T08:00:00.000Z', status: 'envoye', recipients: 'brasserie.traboules@example.fr', cc: '', subject: 'Relance',
    amountCents: 123_456, costCents: 0, messageId: '<1@example.fr>', sha256: null, invoices: [{ ref: 'FA1', step: 'relance1', openCents: 123_456, dueDate: '2026-10-01' }],
  });
  j.close();
  return path;
}

describe('commands return their result as data', () => {
  it('plan: the Plan it prints, the same as the golden JSON', async () => {
    const { ctx, out, err } = captured();
    const plan = await runPlan(parseOptions(PLAN_OPTIONS, { ...INPUTS, format: 'json' }), ctx);
    // The golden file is stdout (the JSON) then stderr (the warnings).
    expect(`${out()}${err()}`).toBe(readFileSync(fixture('sage100/plan.golden.json'), 'utf8'));
    const json = JSON.parse(out());
    expect(plan.totals).toEqual(json.totals);
    expect(plan.actions.map((a) => [a.rank, a.clientCode, a.step, a.score, a.scoreParts])).toEqual(
      json.actions.map((a: { rank: number; clientCode: string; step: string; score: number; scoreParts: unknown }) => [a.rank, a.clientCode, a.step, a.score, a.scoreParts]),
    );
    expect(plan.totals.actions).toBe(plan.actions.length);
  });

  it('check: the findings, their summary and the exit code', async () => {
    const { ctx, out } = captured();
    const r = await runCheck(parseOptions(CHECK_OPTIONS, { ...INPUTS, format: 'json' }), ctx);
    expect(r.summary).toEqual({ erreurs: 0, avertissements: 4, infos: 1 });
    expect(r.exitCode).toBe(0);
    expect(r.findings.map((f) => f.code)).toContain('avoir-non-impute');
    expect(JSON.parse(out())).toEqual({ asOf: AS_OF, summary: r.summary, findings: JSON.parse(JSON.stringify(r.findings)) });
  });

  it('inspect: the file reports, every record and the warnings', async () => {
    const { ctx, out } = captured();
    const r = await runInspect([], parseOptions(INSPECT_OPTIONS, { ...INPUTS, format: 'json' }), ctx);
    expect(r.files.map((f) => [f.file, f.kind])).toEqual([
      ['fixtures/sage100/clients.csv', 'clients'], ['fixtures/sage100/balance.csv', 'balance'], ['fixtures/sage100/reglements.csv', 'payments'],
    ]);
    const json = JSON.parse(out());
    // JSON lists every record (--limit is for the table), each file's as many as its report says.
    expect(json.records).toHaveLength(r.records.length);
    expect(r.records.filter((x) => x.kind === 'client').length).toBe(r.files[0]!.records);
    expect(r.records.filter((x) => x.kind === 'payment').length).toBe(r.files[2]!.records);
    expect(json.files).toEqual(JSON.parse(JSON.stringify(r.files)));
  });

  it('journal: the actions recorded, as listed', () => {
    const journal = journalWithOneAction();
    const { ctx, out } = captured();
    const r = runJournal(parseOptions(JOURNAL_OPTIONS, { journal, format: 'json' }), ctx);
    expect(r.actions.map((a) => [a.clientCode, a.step, a.status, a.amountCents, a.invoices.map((i) => i.ref)])).toEqual([['CTRABOU', 'relance1', 'envoye', 123_456, ['FA1']]]);
    expect(JSON.parse(out())).toEqual(JSON.parse(JSON.stringify(r)));
    const table = captured();
    runJournal(parseOptions(JOURNAL_OPTIONS, { journal, client: 'NOBODY' }), table.ctx);
    expect(table.out()).toBe('Aucune action enregistrée pour ces critères.\n');
  });

  it('client: the typed timeline, the same as its JSON', async () => {
    const journal = journalWithOneAction();
    const { ctx, out } = captured();
    const r = await runClient('CTRABOU', parseOptions(CLIENT_OPTIONS, { ...INPUTS, journal, format: 'json' }), ctx);
    expect([r.clientCode, r.clientName, r.segment]).toEqual(['CTRABOU', 'Brasserie Les Traboules', 'chronique']);
    expect(r.contacts?.emails).toEqual(['brasserie.traboules@example.fr']);
    expect(r.actions.map((a) => [a.actionDate, a.step])).toEqual([['2026-11-09', 'relance1']]);
    expect(r.next?.case.lastMessageOn).toBe('2026-11-09');
    expect(JSON.parse(out())).toEqual(JSON.parse(JSON.stringify(r)));
  });

  it('send --dry-run: one simulated line per action due today, and no journal written', async () => {
    const journal = join(mkdtempSync(join(tmpdir(), 'relance-results-')), 'journal.sqlite');
    const { ctx, out } = captured();
    const r = await runSend(parseOptions(SEND_OPTIONS, { ...INPUTS, config: 'fixtures/relance.yaml', journal, dryRun: true, format: 'json' }), ctx);
    const { ctx: planCtx } = captured();
    const today = await runPlan(parseOptions(PLAN_OPTIONS, { ...INPUTS, config: 'fixtures/relance.yaml', days: '1', format: 'json' }), planCtx);
    expect(r.dryRun).toBe(true);
    expect(r.lines.filter((l) => l.outcome === 'simulation').map((l) => l.clientCode).sort()).toEqual(today.actions.map((a) => a.clientCode).sort());
    expect(r.counts.simulation).toBe(today.actions.length);
    expect(r.counts.envoye + r.counts.echec + r.counts.a_faire).toBe(0);
    expect([r.exitCode, r.letters, r.printFile, r.lrarFile]).toEqual([0, [], null, null]);
    expect(JSON.parse(out())).toEqual(JSON.parse(JSON.stringify(r)));
    expect(existsSync(journal)).toBe(false);
  });
});
