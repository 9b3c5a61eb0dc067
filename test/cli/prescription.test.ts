import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan.js';
import { Journal } from '../../src/journal/journal.js';
import { expectGolden } from '../golden.js';
import { fixture, runCli } from '../helpers.js';
import { startSmtp } from '../smtp.js';

// fixtures/prescription at 16/11/2026: CPRO's FA2021-0101 (05/10/2021) is barred since
// 06/10/2026 (L110-4), its FA2022-0042 (10/02/2022) is barred on 11/02/2027; CPART is a
// consumer whose FA2024-0900 (20/12/2024) is barred on 21/12/2026 (L218-2).
const AS_OF = '2026-11-16';
const files = ['--balance', 'fixtures/prescription/balance.csv', '--clients', 'fixtures/prescription/clients.csv', '--as-of', AS_OF];

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A folder with the prescription exports, the fixture company's config and an empty journal. */
function desk() {
  const dir = mkdtempSync(join(tmpdir(), 'relance-prescription-'));
  for (const f of ['balance.csv', 'clients.csv']) copyFileSync(fixture(`prescription/${f}`), join(dir, f));
  writeFileSync(join(dir, 'relance.yaml'), readFileSync(fixture('relance.yaml'), 'utf8'));
  const journal = join(dir, 'journal.sqlite');
  Journal.open(journal).close();
  const run = (...args: string[]) => runCli([...args, '--balance', 'balance.csv', '--clients', 'clients.csv', '--journal', journal, '--as-of', AS_OF], { cwd: dir });
  // check has no --journal: it reads the journal the configuration or RELANCE_JOURNAL names.
  const check = () => runCli(['check', '--balance', 'balance.csv', '--clients', 'clients.csv', '--as-of', AS_OF, '--format', 'json'], { cwd: dir, env: { RELANCE_JOURNAL: journal } });
  return { dir, journal, run, check };
}

describe('prescription, seen from the command line', () => {
  it('L110-4 et L218-2 : check avertit 6 mois avant la prescription, avec la ligne, la date, l\'article et quoi faire (golden)', async () => {
    const r = await runCli(['check', ...files, '--wide']);
    expect(r.code).toBe(0);
    expectGolden(r.stdout, fixture('prescription/check.golden.txt'));
  });

  it('L110-4 : plan passe devant la créance proche de sa prescription, dit pourquoi, et met la créance prescrite à la main (golden)', async () => {
    const r = await runCli(['plan', ...files, '--detail', '--explain', '--wide']);
    expect(r.code).toBe(0);
    expectGolden(r.stdout, fixture('prescription/plan.golden.txt'));
  });

  it('L110-4 : en JSON et en CSV, le motif prescription, la date de prescription et le pourquoi', async () => {
    const plan = JSON.parse((await runCli(['plan', ...files, '--format', 'json'])).stdout) as Plan;
    expect(plan.manual.map((m) => [m.clientCode, m.reason, (m.barred ?? []).map((b) => b.ref)])).toEqual([['CPRO', 'prescription', ['FA2021-0101']]]);
    const cpro = plan.actions.find((a) => a.clientCode === 'CPRO')!;
    expect(cpro.invoices.map((i) => [i.ref, i.barOn ?? null])).toEqual([['FA2022-0042', '2027-02-11'], ['FA2026-0300', null]]);
    expect(cpro.why).toEqual(['FA2022-0042 prescrite le 11/02/2027 (article L110-4 du Code de commerce) : à traiter avant']);
    const csv = (await runCli(['plan', ...files, '--format', 'csv'])).stdout.split('\n');
    expect(csv[0]).toMatch(/,reason,barOn$/);
    expect(csv.find((l) => l.includes('FA2021-0101'))).toMatch(/^1,oui,CPRO,.*,prescription,2026-10-06$/);
    expect(csv.find((l) => l.includes('FA2022-0042'))).toMatch(/,non,CPRO,.*,,2027-02-11$/);
  });

  it('L110-4 : plan --letters n\'écrit aucune lettre avec une créance prescrite', async () => {
    const d = desk();
    const r = await d.run('plan', '--letters', 'lettres');
    expect(r.code).toBe(0);
    const { readdirSync } = await import('node:fs');
    const written = readdirSync(join(d.dir, 'lettres'));
    expect(written.some((f) => f.startsWith('manuel-'))).toBe(false);
    for (const f of written) expect(readFileSync(join(d.dir, 'lettres', f), 'utf8')).not.toContain('FA2021-0101');
  });

  it('Code civil 2240 : echeancier --signe enregistre la signature, la prescription repart, check et plan en tiennent compte', async () => {
    const d = desk();
    const before = JSON.parse((await d.check()).stdout) as { findings: { code: string; value: string }[] };
    expect(before.findings.filter((f) => f.code.startsWith('prescri')).map((f) => [f.code, f.value])).toEqual([
      ['prescrite', 'FA2021-0101'], ['prescription-proche', 'FA2022-0042'], ['prescription-proche', 'FA2024-0900'],
    ]);
    // A plan recorded first, signed later: --signe alone records the signature of the plan in progress.
    expect((await d.run('echeancier', 'CPRO', '--invoices', 'FA2022-0042', '--installments', '3', '--first', '2026-12-01', '--out', 'ech.html')).code).toBe(0);
    const signed = await d.run('echeancier', 'CPRO', '--signe', '2026-11-14');
    expect(signed.stderr).toBe('');
    expect(signed.stdout).toBe(
      'Échéancier de CPRO Hôtel des Brotteaux SAS enregistré le 16/11/2026 (FA2022-0042, 1\u202f800,00\u00a0€, 3 échéances) : signé le 14/11/2026.\n' +
        'Reconnaissance de dette (art. 2240 du Code civil) : la prescription repart du 14/11/2026 (FA2022-0042 prescrite le 15/11/2031).\n',
    );
    const after = JSON.parse((await d.check()).stdout) as { findings: { code: string; value: string }[] };
    expect(after.findings.filter((f) => f.code.startsWith('prescri')).map((f) => [f.code, f.value])).toEqual([['prescrite', 'FA2021-0101'], ['prescription-proche', 'FA2024-0900']]);
    // Signed once: a second date is refused.
    const again = await d.run('echeancier', 'CPRO', '--signe', '2026-11-15');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('est déjà signé, le 14/11/2026');
    // Cancelled outright, the plan's signature no longer counts (it may have been recorded by mistake).
    expect((await d.run('echeancier', 'CPRO', '--cancel', '--reason', 'saisi par erreur')).code).toBe(0);
    const cancelled = JSON.parse((await d.check()).stdout) as { findings: { code: string; value: string }[] };
    expect(cancelled.findings.some((f) => f.value === 'FA2022-0042')).toBe(true);
  });

  it('Code civil 2240 : echeancier … --signe enregistre l\'échéancier déjà signé ; une signature à venir, avec --cancel, ou un échéancier sur une créance prescrite (L110-4) est refusé', async () => {
    const d = desk();
    const r = await d.run('echeancier', 'CPART', '--invoices', 'FA2024-0900', '--installments', '2', '--first', '2026-12-01', '--out', 'ech.html', '--signe', '2026-11-16');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Reconnaissance de dette (art. 2240 du Code civil) : la prescription repart du 16/11/2026 (FA2024-0900 prescrite le 17/11/2028).\n');
    const future = await d.run('echeancier', 'CNEUF', '--invoices', 'FA2026-0310', '--installments', '2', '--first', '2026-12-01', '--signe', '2026-11-20');
    expect(future.code).toBe(1);
    expect(future.stderr).toBe(
      'relance: erreur : la date de signature (20/11/2026) est après la date d\'arrêté (16/11/2026).\nconseil : enregistrez la signature une fois faite, à sa date : --signe AAAA-MM-JJ.\n',
    );
    const cancel = await d.run('echeancier', 'CPART', '--cancel', '--reason', 'x', '--signe', '2026-11-16');
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toContain('--signe ne s\'emploie pas avec --cancel.');
    const barred = await d.run('echeancier', 'CPRO', '--invoices', 'FA2021-0101', '--installments', '2', '--first', '2026-12-01', '--out', 'ech2.html');
    expect(barred.code).toBe(1);
    expect(barred.stderr).toBe(
      'relance: erreur : la facture « FA2021-0101 » est prescrite depuis le 06/10/2026 (article L110-4 du Code de commerce) : relance n\'écrit pas de lettre qui la réclame.\n' +
        'conseil : retirez-la de --invoices ; une personne décide de la suite (demande amiable, ou passage en perte avec relance writeoff).\n',
    );
    const nothing = await d.run('echeancier', 'CNEUF', '--signe', '2026-11-16');
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('aucun échéancier en cours pour CNEUF au 16/11/2026 : rien à signer.');
  });

  it('L110-4 : send, sur un vrai serveur SMTP, n\'envoie jamais une créance prescrite et laisse la trace « ignoré »', async () => {
    const server = await startSmtp();
    closers.push(server.close);
    const d = desk();
    const r = await runCli(['send', '--balance', 'balance.csv', '--clients', 'clients.csv', '--journal', d.journal, '--as-of', AS_OF], { cwd: d.dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(r.code).toBe(0);
    expect(server.received.map((m) => m.to[0]).sort()).toEqual(['compta@hotel-brotteaux.example', 'factures@atelier-croix-rousse.example', 'martine.dupuis@example.fr']);
    for (const m of server.received) expect(m.raw).not.toContain('FA2021-0101');
    const cpro = server.received.find((m) => m.to.includes('compta@hotel-brotteaux.example'))!;
    expect(cpro.mail.text).toContain('FA2022-0042');
    expect(r.stdout).toMatch(/^ignoré CPRO .*prescription/m);
    const j = Journal.open(d.journal);
    expect(j.actions({ client: 'CPRO' }).filter((a) => a.status === 'envoye').flatMap((a) => a.invoices.map((i) => i.ref))).not.toContain('FA2021-0101');
    j.close();
  });
});
