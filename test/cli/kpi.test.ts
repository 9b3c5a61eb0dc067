import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KpiReport } from '../../src/core/kpi.js';
import { addNote, addWriteoff, openDispute } from '../../src/journal/cases.js';
import { Journal } from '../../src/journal/journal.js';
import { expectGolden } from '../golden.js';
import { fixture, runCli } from '../helpers.js';

const FEC = ['--fec', 'fixtures/fec/812345678FEC20251231.txt', '--fec', 'fixtures/fec/812345678FEC20261231.txt', '--clients', 'fixtures/sage100/clients.csv'];

/** A journal for October 2026: reminders sent, a call, a dispute, a write-off. */
function octoberJournal(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'relance-kpi-')), 'journal.sqlite');
  const j = Journal.open(path);
  const now = new Date('2026-10-31T18:00:00Z');
  for (const [code, date, cost] of [['CTILLEU', '2026-10-05', 5], ['CNUITBL', '2026-10-05', 5], ['CTRABOU', '2026-10-12', 755]] as const) {
    j.record({
      clientCode: code, clientName: code, step: 'relance1', channel: 'email', actionDate: date, createdAt: `${date}T08:00:00Z`, status: 'envoye',
      recipients: '', cc: '', subject: '', amountCents: 100_000, costCents: cost, messageId: null, sha256: null, invoices: [{ ref: `X-${code}`, step: 'relance1', openCents: 100_000, dueDate: null }],
    });
  }
  addNote(j, { clientCode: 'CTILLEU', notedOn: '2026-10-20', text: 'appel', isCall: true, minutes: 10, costCents: 750 }, now);
  openDispute(j, { ref: 'FA2025-0013', clientCode: 'CNUITBL', reason: 'prestation contestée', openedOn: '2026-09-15' }, now);
  addWriteoff(j, { ref: 'FA2025-0015', clientCode: 'CNUITBL', reason: 'liquidation', amountCents: 432_000, writtenOn: '2026-10-30' }, now);
  j.close();
  return path;
}

describe('relance kpi on the fixture company', () => {
  it('pins every figure of October 2026 (golden JSON)', async () => {
    const r = await runCli(['kpi', ...FEC, '--journal', octoberJournal(), '--month', '2026-10', '--format', 'json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as KpiReport;
    report.sources.actions = report.sources.actions.replace(/journal : .*/, 'journal : <temp>');
    report.sources.disputes = report.sources.disputes.replace(/journal : .*/, 'journal : <temp>');
    expectGolden(`${JSON.stringify(report, null, 2)}\n`, fixture('fec/kpi-2026-10.golden.json'));
    // The figures the journal drives.
    expect(report.activation).toMatchObject({ overdueCases: 3, casesWithAction: 3 });
    expect(report.activationRate.coverage).toBe(1);
    expect(report.costs).toEqual({ actionsCents: 1515, fixedCents: 0, totalCents: 1515, recoveredCents: report.recovery!.collectedCents });
    expect(report.recovery!.disputedCents).toBe(960_000);
    expect(report.badDebtRate).toBeCloseTo(432_000 / report.salesCents!, 12);
  });

  it('reads the as-of date to default to the last complete month, and says what it cannot compute without a FEC', async () => {
    const r = await runCli(['kpi', '--balance', 'fixtures/sage100/balance.csv', '--as-of', '2026-11-16', '--format', 'json']);
    const report = JSON.parse(r.stdout) as KpiReport;
    expect(report.period.from).toBe('2026-10-01');
    expect(report.dso.simple).toBeNull();
    expect(report.missing['dso.simple']).toContain('donnez le FEC (--fec)');
    expect(report.agedBalance).not.toBeNull();
    expect(report.topDebtors[0]).toMatchObject({ clientCode: 'CBELLEC', balanceCents: 4_500_000 });
  });

  it('writes the HTML report only where told', async () => {
    const refused = await runCli(['kpi', ...FEC, '--as-of', '2026-11-16', '--format', 'html']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--format html écrit une page : indiquez le fichier avec --out.');
    const out = join(mkdtempSync(join(tmpdir(), 'relance-kpi-html-')), 'rapport.html');
    const r = await runCli(['kpi', ...FEC, '--as-of', '2026-11-16', '--format', 'html', '--out', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('data-chart="aged-balance"');
  });
});

describe('relance kpi without a FEC: the journal\'s snapshots and a sales export', () => {
  it('gives DSO, BPDSO and ADD from the aged balance recorded at the period end and the month\'s sales', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-kpi-snap-'));
    const path = join(dir, 'journal.sqlite');
    const j = Journal.open(path);
    const item = (clientCode: string, ref: string, openCents: number, dueDate: string) => ({
      kind: 'open_item' as const, clientCode, clientName: clientCode, ref, docDate: null, dueDate, dueDateDerived: false,
      originalCents: openCents, openCents, currency: 'EUR', salesRep: null, source: { file: 'x', line: 1 },
    });
    j.recordSnapshot('2026-11-30', 'balance.csv', [item('CA', 'F1', 1_100_000, '2026-11-10'), item('CB', 'F2', 400_000, '2026-12-10')], '2026-11-30T18:00:00Z');
    j.close();
    writeFileSync(join(dir, 'ventes.csv'), 'Mois;Ventes TTC\n2026-09;7 000,00\n2026-10;8 000,00\n2026-11;10 000,00\n');
    writeFileSync(join(dir, 'balance.csv'), "Code client;Nom client;N° facture;Date facture;Date d'échéance;Montant TTC;Reste dû\nCA;CA;F1;11/10/2026;10/11/2026;11000,00;11000,00\n");
    const r = await runCli(['kpi', '--balance', 'balance.csv', '--sales', 'ventes.csv', '--journal', path, '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as KpiReport;
    expect([report.dso.simple, report.bpdso, report.add].map((x) => Number(x!.toFixed(6)))).toEqual([45, 12, 33]);
    expect(report.sources.sales).toBe('fichier des ventes : ventes.csv');
    expect(report.agedBalance).toEqual({ non_echu: 400_000, '1-30': 1_100_000, '31-60': 0, '61-90': 0, '91+': 0 });
    expect(report.recoveryRate).toBeNull();
    expect(report.missing.recoveryRate).toContain('donnez le FEC (--fec)');
  });
});
