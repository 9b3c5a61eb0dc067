import { Journal } from '../../src/journal/journal.js';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan.js';
import { expectGolden } from '../golden.js';
import { fixture, runCli } from '../helpers.js';

/** A folder with a journal, where small exports are written for successive dates. */
function desk() {
  const dir = mkdtempSync(join(tmpdir(), 'relance-cases-'));
  const journal = join(dir, 'journal.sqlite');
  Journal.open(journal).close(); // as the first relance send would: the case commands never create it
  const balance = (asOf: string, rows: [string, string, string, string, string][]) => {
    const file = `balance-${asOf}.csv`;
    writeFileSync(join(dir, file), ['Code client;Nom client;N° facture;Date facture;Date d\'échéance;Montant TTC;Reste dû', ...rows.map((r) => r.join(';'))].join('\n') + '\n');
    return file;
  };
  const run = (asOf: string, file: string, ...args: string[]) => runCli([...args, '--balance', file, '--journal', journal, '--as-of', asOf], { cwd: dir });
  const plan = async (asOf: string, file: string): Promise<Plan> => {
    const r = await run(asOf, file, 'plan', '--format', 'json');
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as Plan;
  };
  return { dir, balance, run, plan };
}
const rowA = (open: string): [string, string, string, string, string] => ['CA', 'Client A', 'FA1', '01/10/2026', `31/10/2026;1000,00;${open}`];
const rowB = (open: string): [string, string, string, string, string] => ['CB', 'Client B', 'FB1', '01/10/2026', `31/10/2026;3000,00;${open}`];

describe('promises to pay, over time', () => {
  it('a promise suspends the reminders until its date, and is kept when the invoice leaves the exports', async () => {
    const d = desk();
    const nov10 = d.balance('2026-11-10', [rowA('1000,00')]);
    expect((await d.run('2026-11-10', nov10, 'promise', 'CA', '--date', '2026-11-20')).code).toBe(0);
    const p = await d.plan('2026-11-12', nov10);
    expect(p.actions).toEqual([]);
    expect(p.skipped).toEqual([{ clientCode: 'CA', clientName: 'Client A', reason: 'promesse', detail: 'FA1 : paiement promis pour le 20/11/2026' }]);
    const nov19 = d.balance('2026-11-19', [rowA('0,00'), rowB('3000,00')]); // FA1 paid
    const client = JSON.parse((await d.run('2026-11-19', nov19, 'client', 'CA', '--format', 'json')).stdout) as { promises: { status: string }[] };
    expect(client.promises.map((p) => p.status)).toEqual(['tenue']);
    expect((await d.plan('2026-11-25', nov19)).actions.map((a) => a.clientCode)).toEqual(['CB']);
  });

  it('a broken promise puts the invoice back in the scenario, says so, and raises the payer\'s risk', async () => {
    const d = desk();
    const file = d.balance('2026-11-10', [rowA('1000,00')]);
    await d.run('2026-11-10', file, 'promise', 'CA', '--date', '2026-11-20', '--invoices', 'FA1', '--amount', '1000');
    const during = await d.plan('2026-11-23', file); // within the 3 days of grace
    expect(during.actions).toEqual([]);
    const after = await d.plan('2026-11-24', file);
    expect(after.actions).toHaveLength(1);
    expect(after.actions[0]).toMatchObject({ clientCode: 'CA', step: 'relance1', segment: 'occasionnel', notes: ['promesse de paiement du 20/11/2026 non tenue'] });
    const client = JSON.parse((await d.run('2026-11-24', file, 'client', 'CA', '--format', 'json')).stdout) as { promises: { status: string }[] };
    expect(client.promises.map((p) => p.status)).toEqual(['rompue']);
  });
});

describe('payment plans, over time', () => {
  it('while honoured the invoices are out of the scenario and each instalment is reminded before its date; a missed one breaks the plan', async () => {
    const d = desk();
    const nov10 = d.balance('2026-11-10', [rowB('3000,00')]);
    const r = await d.run('2026-11-10', nov10, 'echeancier', 'CB', '--invoices', 'FB1', '--installments', '3', '--first', '2026-11-20', '--down-payment', '300');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 échéances \(20\/11\/2026 900,00\s€ ; 20\/12\/2026 900,00\s€ ; 20\/01\/2027 900,00\s€\)/);
    expect(readFileSync(join(d.dir, 'echeancier-CB-2026-11-10.html'), 'utf8')).toContain('900,00');

    const nov16 = await d.plan('2026-11-16', d.balance('2026-11-16', [rowB('2700,00')])); // down payment received
    expect(nov16.skipped.map((s) => s.reason)).toEqual(['echeancier']);
    expect(nov16.actions.map((a) => [a.step, a.invoices.map((i) => i.ref)])).toEqual([['preventive', ['échéance 1/3']]]);

    const nov25paid = await d.plan('2026-11-25', d.balance('2026-11-25', [rowB('1800,00')])); // first instalment paid
    expect(nov25paid.actions).toEqual([]);
    expect(nov25paid.skipped.map((s) => s.reason)).toEqual(['echeancier']);

    const nov25missed = await d.plan('2026-11-25', d.balance('2026-11-25b', [rowB('2700,00')])); // nothing paid since the down payment
    expect(nov25missed.skipped).toEqual([]);
    expect(nov25missed.actions[0]).toMatchObject({ clientCode: 'CB', step: 'relance1', notes: [expect.stringContaining("échéance n° 1 du 20/11/2026 de l'échéancier non payée")] });
  });
});

describe('disputes, pauses, write-offs and calls', () => {
  it('a dispute takes the invoice out, only that one, until it is closed', async () => {
    const d = desk();
    const file = d.balance('2026-11-16', [rowA('1000,00'), ['CA', 'Client A', 'FA2', '01/10/2026', '31/10/2026;500,00;500,00']]);
    await d.run('2026-11-16', file, 'dispute', 'FA1', '--reason', 'livraison incomplète');
    const open = await d.plan('2026-11-16', file);
    expect(open.actions[0]!.invoices.map((i) => i.ref)).toEqual(['FA2']);
    expect(open.skipped).toEqual([{ clientCode: 'CA', clientName: 'Client A', reason: 'litige', detail: 'FA1 contestée depuis le 16/11/2026 : livraison incomplète' }]);
    const again = await d.run('2026-11-16', file, 'dispute', 'FA1', '--reason', 'encore');
    expect(again.stderr).toContain('litige déjà enregistré le 16/11/2026 sur la facture « FA1 »');
    await d.run('2026-11-20', file, 'dispute', 'FA1', '--close');
    const closed = await d.plan('2026-11-20', file);
    expect(closed.actions[0]!.invoices.map((i) => i.ref).sort()).toEqual(['FA1', 'FA2']);
  });

  it('a pause skips the client until its date or until resumed', async () => {
    const d = desk();
    const file = d.balance('2026-11-16', [rowA('1000,00')]);
    await d.run('2026-11-16', file, 'pause', 'CA', '--until', '2026-11-30', '--reason', 'conciliation en cours');
    expect((await d.plan('2026-11-20', file)).skipped.map((s) => s.reason)).toEqual(['pause']);
    expect((await d.plan('2026-12-01', file)).actions).toHaveLength(1);
    await d.run('2026-11-21', file, 'resume', 'CA');
    expect((await d.plan('2026-11-22', file)).actions).toHaveLength(1);
  });

  it('a written-off invoice leaves the reminders', async () => {
    const d = desk();
    const file = d.balance('2026-11-16', [rowA('1000,00')]);
    const r = await d.run('2026-11-16', file, 'writeoff', 'FA1', '--reason', 'liquidation judiciaire');
    expect(r.stdout).toContain('passée en perte pour 1');
    expect((await d.plan('2026-11-16', file)).skipped.map((s) => s.reason)).toEqual(['perte']);
  });

  it('a call does the phone task of the plan', async () => {
    const d = desk();
    const file = d.balance('2026-11-16', [rowA('1000,00')]);
    const j = Journal.open(join(d.dir, 'journal.sqlite'));
    j.record({
      clientCode: 'CA', clientName: 'Client A', step: 'relance1', channel: 'email', actionDate: '2026-11-07', createdAt: '2026-11-07T08:00:00Z', status: 'envoye',
      recipients: '', cc: '', subject: '', amountCents: 100_000, costCents: 5, messageId: null, sha256: null, invoices: [{ ref: 'FA1', step: 'relance1', openCents: 100_000, dueDate: '2026-10-31' }],
    });
    j.close();
    // No clients file here, so no e-mail: the letter and the call.
    expect((await d.plan('2026-11-16', file)).actions[0]).toMatchObject({ step: 'relance2', channel: 'courrier+appel' });
    await d.run('2026-11-15', file, 'note', 'CA', 'Appel : le comptable paie vendredi', '--call', '--minutes', '6');
    expect((await d.plan('2026-11-16', file)).actions[0]).toMatchObject({ step: 'relance2', channel: 'courrier', notes: ["appel passé le 15/11/2026 : la tâche d'appel est faite"] });
  });

  it('an invoice ref or client code that is not in the exports is a clear error listing the closest', async () => {
    const d = desk();
    const file = d.balance('2026-11-16', [rowA('1000,00'), rowB('3000,00')]);
    const r = await d.run('2026-11-16', file, 'dispute', 'FA11', '--reason', 'x');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("relance: erreur : la facture « FA11 » n'est pas dans les exports lus (aucune créance ouverte de ce numéro).\nconseil : numéros les plus proches : FA1, FB1.\n");
    const c = await d.run('2026-11-16', file, 'pause', 'CX', '--until', '2026-12-01', '--reason', 'x');
    expect(c.stderr).toContain('client « CX » inconnu dans les exports lus.\nconseil : codes les plus proches : CA, CB.');
  });
});

describe('golden plan of the fixture company with its cases', () => {
  it('shows a disputed invoice, a pending promise, a broken promise, a plan being honoured and a paused client', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-golden-cases-'));
    for (const f of ['balance.csv', 'reglements.csv', 'clients.csv']) copyFileSync(fixture(`sage100/${f}`), join(dir, f));
    const journal = join(dir, 'journal.sqlite');
    Journal.open(journal).close();
    const run = (asOf: string, ...args: string[]) =>
      runCli([...args, '--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--journal', journal, '--as-of', asOf], { cwd: dir });
    expect((await run('2026-11-02', 'promise', 'CMARCHE', '--date', '2026-11-06')).code).toBe(0); // broken by 16/11
    expect((await run('2026-11-16', 'promise', 'CBELLEC', '--date', '2026-11-30', '--amount', '45000')).code).toBe(0);
    expect((await run('2026-11-16', 'dispute', 'FA2026-0038', '--reason', 'livraison incomplète')).code).toBe(0);
    expect((await run('2026-11-10', 'echeancier', 'CTRABOU', '--invoices', 'FA2026-0030,FA2026-0033', '--installments', '3', '--first', '2026-11-20', '--out', 'ech.html')).code).toBe(0);
    expect((await run('2026-11-16', 'pause', 'CMORELE', '--until', '2026-12-15', '--reason', 'procédure de conciliation')).code).toBe(0);
    const r = await run('2026-11-16', 'plan', '--detail', '--wide');
    expectGolden(`${r.stdout}${r.stderr}--- code de sortie : ${r.code}\n`, fixture('sage100/plan-cases.golden.txt'));
  });
});
