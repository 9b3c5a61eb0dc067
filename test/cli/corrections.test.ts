import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan.js';
import { Journal } from '../../src/journal/journal.js';
import { fixture, runCli } from '../helpers.js';

// Case commands are safe to repeat and to undo (issue 11): the same promise, plan,
// dispute or pause twice is refused unless --replace; --cancel ends one; every
// correction stays in the journal. All on a real SQLite file in a temp folder.

type Row = [string, string, string, string, string];

// Amounts are printed with no-break spaces (1 234,56 €): compared here as plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const cli = async (args: string[], cwd: string) => {
  const r = await runCli(args, { cwd });
  return { code: r.code, stdout: plain(r.stdout), stderr: plain(r.stderr) };
};
const rowA = (open: string): Row => ['CA', 'Client A', 'FA1', '01/10/2026', `31/10/2026;1000,00;${open}`];
const rowB = (open: string): Row => ['CB', 'Client B', 'FB1', '01/10/2026', `31/10/2026;3000,00;${open}`];

/** A folder with a journal and small exports, written for successive dates. */
function desk() {
  const dir = mkdtempSync(join(tmpdir(), 'relance-corrections-'));
  const journal = join(dir, 'journal.sqlite');
  Journal.open(journal).close(); // only send creates a journal
  const balance = (name: string, rows: Row[]) => {
    const file = `balance-${name}.csv`;
    writeFileSync(join(dir, file), ['Code client;Nom client;N° facture;Date facture;Date d\'échéance;Montant TTC;Reste dû', ...rows.map((r) => r.join(';'))].join('\n') + '\n');
    return file;
  };
  const run = (asOf: string, file: string, ...args: string[]) => cli([...args, '--balance', file, '--journal', journal, '--as-of', asOf], dir);
  const plan = async (asOf: string, file: string): Promise<Plan> => {
    const r = await run(asOf, file, 'plan', '--format', 'json');
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as Plan;
  };
  const rows = (sql: string) => {
    const db = new Database(journal, { readonly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  };
  return { dir, journal, balance, run, plan, rows };
}

/** The sage100 fixture company in a temp folder, with its journal. */
function company() {
  const dir = mkdtempSync(join(tmpdir(), 'relance-corrections-sage-'));
  for (const f of ['balance.csv', 'reglements.csv', 'clients.csv']) copyFileSync(fixture(`sage100/${f}`), join(dir, f));
  const journal = join(dir, 'journal.sqlite');
  Journal.open(journal).close(); // only send creates a journal
  const run = (asOf: string, ...args: string[]) =>
    cli([...args, '--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--journal', journal, '--as-of', asOf], dir);
  return { dir, journal, run };
}

describe('promises: twice refused, replaced, cancelled, never above the balance', () => {
  it('refuses the same client\'s second pending promise, with the date it was recorded', async () => {
    const d = desk();
    const file = d.balance('a', [rowA('1000,00')]);
    expect((await d.run('2026-11-10', file, 'promise', 'CA', '--date', '2026-11-20')).code).toBe(0);
    const again = await d.run('2026-11-12', file, 'promise', 'CA', '--date', '2026-11-25', '--amount', '500');
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'relance: erreur : une promesse de paiement de CA est déjà enregistrée le 10/11/2026 : paiement de toutes ses factures pour le 20/11/2026, en cours.\n' +
        'conseil : --replace la remplace (l\'ancienne reste au journal, marquée remplacée) ; --cancel --reason "…" l\'annule.\n',
    });
    expect(d.rows('SELECT COUNT(*) AS n FROM promises')).toEqual([{ n: 1 }]);
  });

  it('--replace records the new promise and marks the old one replaced; the old date no longer breaks', async () => {
    const d = desk();
    const file = d.balance('a', [rowA('1000,00')]);
    await d.run('2026-11-10', file, 'promise', 'CA', '--date', '2026-11-20');
    const r = await d.run('2026-11-12', file, 'promise', 'CA', '--date', '2026-11-27', '--replace', '--reason', 'le client décale son virement');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "Promesse notée : CA Client A paiera toutes ses factures le 27/11/2026 ; relances suspendues jusqu'au 30/11/2026.\n" +
        'Elle remplace la promesse enregistrée le 10/11/2026 : paiement de toutes ses factures pour le 20/11/2026 (gardée au journal, marquée remplacée).\n',
    );
    expect(d.rows('SELECT id, promised_on, created_on, cancelled_on, cancel_reason, replaced_by FROM promises ORDER BY id')).toEqual([
      { id: 1, promised_on: '2026-11-20', created_on: '2026-11-10', cancelled_on: '2026-11-12', cancel_reason: 'le client décale son virement', replaced_by: 2 },
      { id: 2, promised_on: '2026-11-27', created_on: '2026-11-12', cancelled_on: null, cancel_reason: null, replaced_by: null },
    ]);
    // 24/11: past the first promise's grace, within the second's: still suspended, nothing broken.
    const p = await d.plan('2026-11-24', file);
    expect(p.actions).toEqual([]);
    expect(p.skipped.map((s) => s.detail)).toEqual(['FA1 : paiement promis pour le 27/11/2026']);
    const client = JSON.parse((await d.run('2026-11-24', file, 'client', 'CA', '--format', 'json')).stdout) as { promises: { status: string }[]; segment: string };
    expect(client.promises.map((x) => x.status)).toEqual(['remplacee', 'en_cours']);
    const text = (await d.run('2026-11-24', file, 'client', 'CA', '--wide')).stdout;
    expect(text).toContain('paiement promis pour le 20/11/2026 de toutes les factures : remplacée le 12/11/2026 : le client décale son virement');
  });

  it('--cancel --reason ends the pending promise from that date: reminders resume, the earlier dates still suspended', async () => {
    const d = desk();
    const file = d.balance('a', [rowA('1000,00')]);
    await d.run('2026-11-10', file, 'promise', 'CA', '--date', '2026-11-30');
    const r = await d.run('2026-11-16', file, 'promise', 'CA', '--cancel', '--reason', 'promesse notée par erreur');
    expect(r.stdout).toBe(
      'Promesse de CA Client A annulée le 16/11/2026 (enregistrée le 10/11/2026 : paiement de toutes ses factures pour le 30/11/2026) : promesse notée par erreur. Les relances reprennent.\n',
    );
    expect((await d.plan('2026-11-15', file)).actions).toEqual([]);
    const after = await d.plan('2026-11-16', file);
    expect(after.actions.map((a) => [a.clientCode, a.invoices.map((i) => i.ref)])).toEqual([['CA', ['FA1']]]);
    expect(after.skipped).toEqual([]);
    expect(d.rows('SELECT cancelled_on, cancel_reason FROM promises')).toEqual([{ cancelled_on: '2026-11-16', cancel_reason: 'promesse notée par erreur' }]);
    // A cancelled promise is neither kept nor broken, and there is nothing left to cancel.
    const client = JSON.parse((await d.run('2026-12-10', file, 'client', 'CA', '--format', 'json')).stdout) as { promises: { status: string }[] };
    expect(client.promises.map((x) => x.status)).toEqual(['annulee']);
    const twice = await d.run('2026-11-17', file, 'promise', 'CA', '--cancel', '--reason', 'x');
    expect(twice.stderr).toBe('relance: erreur : aucune promesse de paiement en cours pour CA au 17/11/2026.\nconseil : relance client CA liste ses promesses et leur issue.\n');
  });

  it('after a kept or broken promise a new one is a new fact, not a repeat', async () => {
    const d = desk();
    const file = d.balance('a', [rowA('1000,00')]);
    await d.run('2026-11-10', file, 'promise', 'CA', '--date', '2026-11-12');
    expect((await d.run('2026-11-20', file, 'promise', 'CA', '--date', '2026-11-30')).code).toBe(0); // the first is broken by then
    expect(d.rows('SELECT COUNT(*) AS n FROM promises WHERE replaced_by IS NULL AND cancelled_on IS NULL')).toEqual([{ n: 2 }]);
  });

  it('refuses options that do not go with --cancel', async () => {
    const d = desk();
    const file = d.balance('a', [rowA('1000,00')]);
    expect((await d.run('2026-11-10', file, 'promise', 'CA', '--cancel', '--date', '2026-11-20', '--reason', 'x')).stderr).toBe(
      'relance: erreur : --date ne s\'emploie pas avec --cancel.\nconseil : relance promise CA --cancel --reason "…" annule, sans rien enregistrer de nouveau.\n',
    );
    expect((await d.run('2026-11-10', file, 'promise', 'CA', '--cancel', '--replace')).stderr).toContain('--cancel et --replace ne vont pas ensemble.');
    expect((await d.run('2026-11-10', file, 'promise', 'CA', '--cancel')).stderr).toContain('--reason est obligatoire.');
  });

  it('refuses a promise above what the client owes after its unapplied credits, and says how much that is', async () => {
    const c = company();
    // CMORELE: FA2026-0039 3 600,00 € and an unapplied payment of 1 200,00 €.
    const r = await c.run('2026-11-16', 'promise', 'CMORELE', '--date', '2026-11-30', '--amount', '3000');
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'relance: erreur : le montant promis (3 000,00 €) dépasse le solde de CMORELE : 2 400,00 €, après imputation de 1 200,00 € de règlements et avoirs non imputés.\n' +
        'conseil : notez au plus 2 400,00 €, ou vérifiez les exports donnés (--balance, --fec).\n',
    });
    const inv = await c.run('2026-11-16', 'promise', 'CREVERB', '--date', '2026-11-30', '--invoices', 'FA2026-0032', '--amount', '3000');
    expect(inv.stderr).toBe(
      'relance: erreur : le montant promis (3 000,00 €) dépasse ce que CREVERB doit encore sur FA2026-0032 : 2 634,00 € (solde du client : 4 536,00 €).\n' +
        'conseil : notez au plus 2 634,00 €, ou vérifiez les exports donnés (--balance, --fec).\n',
    );
    expect((await c.run('2026-11-16', 'promise', 'CMORELE', '--date', '2026-11-30', '--amount', '2400')).code).toBe(0);
  });
});

describe('payment plans: twice refused, replaced, cancelled', () => {
  it('refuses a second plan, replaces it with --replace, and --cancel puts the invoice back in the plan', async () => {
    const d = desk();
    const file = d.balance('b', [rowB('3000,00')]);
    const first = ['echeancier', 'CB', '--invoices', 'FB1', '--installments', '3', '--first', '2026-11-20', '--out', 'ech1.html'];
    expect((await d.run('2026-11-10', file, ...first)).code).toBe(0);
    const again = await d.run('2026-11-12', file, 'echeancier', 'CB', '--invoices', 'FB1', '--installments', '2', '--first', '2026-11-25', '--out', 'ech2.html');
    expect(again.stderr).toBe(
      'relance: erreur : un échéancier de CB est déjà enregistré le 10/11/2026 (FB1, 3 000,00 €, 3 échéances), respecté à ce jour.\n' +
        'conseil : --replace le remplace (l\'ancien reste au journal, marqué remplacé) ; --cancel --reason "…" l\'annule.\n',
    );
    const replaced = await d.run('2026-11-12', file, 'echeancier', 'CB', '--invoices', 'FB1', '--installments', '2', '--first', '2026-11-25', '--out', 'ech2.html', '--replace');
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain("Il remplace l'échéancier enregistré le 10/11/2026 (FB1, 3 000,00 €, 3 échéances) (gardé au journal, marqué remplacé).");
    expect(d.rows('SELECT id, created_on, cancelled_on, replaced_by FROM payment_plans ORDER BY id')).toEqual([
      { id: 1, created_on: '2026-11-10', cancelled_on: '2026-11-12', replaced_by: 2 },
      { id: 2, created_on: '2026-11-12', cancelled_on: null, replaced_by: null },
    ]);
    expect(d.rows('SELECT plan_id, COUNT(*) AS n FROM plan_instalments GROUP BY plan_id')).toEqual([{ plan_id: 1, n: 3 }, { plan_id: 2, n: 2 }]);

    // The replacing plan is being honoured: FB1 out of the reminders, instalment 1/2 reminded.
    const honoured = await d.plan('2026-11-20', file);
    expect(honoured.skipped.map((s) => s.detail)).toEqual(['FB1 : échéancier du 12/11/2026 respecté']);
    expect(honoured.actions.map((a) => a.invoices.map((i) => i.ref))).toEqual([['échéance 1/2']]);

    const cancel = await d.run('2026-11-21', file, 'echeancier', 'CB', '--cancel', '--reason', 'le client conteste le calendrier');
    expect(cancel.stdout).toBe(
      'Échéancier de CB Client B annulé le 21/11/2026 (enregistré le 12/11/2026 (FB1, 3 000,00 €, 2 échéances)) : le client conteste le calendrier. FB1 reviennent dans les relances.\n',
    );
    const back = await d.plan('2026-11-21', file);
    expect(back.skipped).toEqual([]);
    expect(back.actions.map((a) => [a.clientCode, a.invoices.map((i) => i.ref)])).toEqual([['CB', ['FB1']]]);
    expect(back.actions[0]!.notes).toEqual([]); // cancelled, not broken
    const client = JSON.parse((await d.run('2026-11-21', file, 'client', 'CB', '--format', 'json')).stdout) as { plans: { status: string; cancelReason: string | null }[] };
    expect(client.plans.map((p) => [p.status, p.cancelReason])).toEqual([['remplace', null], ['annule', 'le client conteste le calendrier']]);
    expect((await d.run('2026-11-22', file, 'echeancier', 'CB', '--cancel', '--reason', 'x')).stderr).toContain('aucun échéancier en cours pour CB au 22/11/2026.');
  });
});

describe('disputes and pauses: twice refused, replaced, cancelled', () => {
  it('a second dispute on the same invoice is refused; --replace changes its reason and keeps the first, closed', async () => {
    const d = desk();
    const file = d.balance('a', [rowA('1000,00')]);
    await d.run('2026-11-16', file, 'dispute', 'FA1', '--reason', 'livraison incomplète');
    const again = await d.run('2026-11-18', file, 'dispute', 'FA1', '--reason', 'prix contesté');
    expect(again.stderr).toBe(
      'relance: erreur : litige déjà enregistré le 16/11/2026 sur la facture « FA1 » : livraison incomplète.\n' +
        'conseil : --replace --reason "…" en change le motif (l\'ancien reste au journal) ; --close le clôt.\n',
    );
    const r = await d.run('2026-11-18', file, 'dispute', 'FA1', '--reason', 'prix contesté', '--replace');
    expect(r.stdout).toBe('Litige sur FA1 (CA Client A) : nouveau motif prix contesté, à la place de celui du 16/11/2026 (livraison incomplète, gardé au journal). La facture reste hors des relances.\n');
    expect(d.rows('SELECT id, reason, opened_on, closed_on, replaced_by FROM disputes ORDER BY id')).toEqual([
      { id: 1, reason: 'livraison incomplète', opened_on: '2026-11-16', closed_on: '2026-11-18', replaced_by: 2 },
      { id: 2, reason: 'prix contesté', opened_on: '2026-11-18', closed_on: null, replaced_by: null },
    ]);
    expect((await d.plan('2026-11-18', file)).skipped.map((s) => s.detail)).toEqual(['FA1 contestée depuis le 18/11/2026 : prix contesté']);
    expect((await d.run('2026-11-18', file, 'dispute', 'FA1', '--close', '--replace')).stderr).toContain('--close et --replace ne vont pas ensemble.');
  });

  it('a second pause is refused; --replace moves it; --cancel --reason ends it like resume, with its reason', async () => {
    const d = desk();
    const file = d.balance('a', [rowA('1000,00')]);
    await d.run('2026-11-16', file, 'pause', 'CA', '--until', '2026-11-30', '--reason', 'conciliation');
    const again = await d.run('2026-11-17', file, 'pause', 'CA', '--until', '2026-12-15', '--reason', 'conciliation prolongée');
    expect(again.stderr).toBe(
      'relance: erreur : une pause des relances de CA est déjà enregistrée le 16/11/2026 jusqu\'au 30/11/2026 (conciliation).\n' +
        'conseil : --replace la remplace (l\'ancienne reste au journal, marquée remplacée) ; --cancel --reason "…" l\'annule.\n',
    );
    expect((await d.run('2026-11-17', file, 'pause', 'CA', '--until', '2026-12-15', '--reason', 'conciliation prolongée', '--replace')).code).toBe(0);
    expect((await d.plan('2026-12-05', file)).skipped.map((s) => s.reason)).toEqual(['pause']);
    const cancel = await d.run('2026-12-07', file, 'pause', 'CA', '--cancel', '--reason', 'conciliation échouée');
    expect(cancel.stdout).toBe(
      "Pause de CA Client A annulée le 07/12/2026 (enregistrée le 17/11/2026 jusqu'au 15/12/2026 (conciliation prolongée)) : conciliation échouée. Les relances reprennent.\n",
    );
    expect((await d.plan('2026-12-07', file)).actions.map((a) => a.clientCode)).toEqual(['CA']);
    expect(d.rows('SELECT id, until, cancelled_on, cancel_reason, replaced_by FROM pauses ORDER BY id')).toEqual([
      { id: 1, until: '2026-11-30', cancelled_on: '2026-11-17', cancel_reason: null, replaced_by: 2 },
      { id: 2, until: '2026-12-15', cancelled_on: '2026-12-07', cancel_reason: 'conciliation échouée', replaced_by: null },
    ]);
    expect((await d.run('2026-12-08', file, 'resume', 'CA')).stderr).toContain('les relances de CA ne sont pas suspendues.');
  });
});

describe('litigation closure', () => {
  /** Records a contentieux hand-over as `send` does: an internal task. */
  const handOver = (journal: string, clientCode: string, clientName: string, date: string, invoices: { ref: string; openCents: number; dueDate: string }[]) => {
    const j = Journal.open(journal);
    j.record({
      clientCode, clientName, step: 'contentieux', channel: 'interne', actionDate: date, createdAt: `${date}T08:00:00Z`, status: 'a_faire',
      recipients: '', cc: '', subject: 'Transmission au contentieux', amountCents: invoices.reduce((s, i) => s + i.openCents, 0), costCents: 0, messageId: null, sha256: null,
      invoices: invoices.map((i) => ({ ...i, step: 'contentieux' as const })),
    });
    j.close();
  };

  it('is refused without a hand-over, recorded once with its outcome and reason, refused twice, and shown by client', async () => {
    const c = company();
    const none = await c.run('2026-11-16', 'contentieux', 'CCANUTS', '--close', '--outcome', 'paye', '--reason', 'réglé');
    expect(none.stderr).toBe(
      "relance: erreur : CCANUTS n'a jamais été remis au contentieux : le journal n'a aucune action « contentieux » pour ce client.\n" +
        'conseil : relance journal --client CCANUTS --step contentieux liste ses remises au contentieux.\n',
    );
    handOver(c.journal, 'CCANUTS', 'Boulangerie des Canuts', '2026-11-10', [{ ref: 'FA2026-0034', openCents: 80_000, dueDate: '2026-10-22' }]);
    expect((await c.run('2026-11-09', 'contentieux', 'CCANUTS', '--close', '--outcome', 'paye', '--reason', 'réglé')).stderr).toContain('précède la remise au contentieux de CCANUTS, le 10/11/2026.');
    const r = await c.run('2026-11-16', 'contentieux', 'CCANUTS', '--close', '--outcome', 'paye', '--reason', 'virement reçu après injonction');
    expect(r).toEqual({ code: 0, stderr: '', stdout: 'Contentieux de CCANUTS Boulangerie des Canuts (remis le 10/11/2026 pour 800,00 €) clos le 16/11/2026 : payé, virement reçu après injonction.\n' });
    const j = Journal.open(c.journal);
    expect(j.litigationClosures()).toEqual([{ clientCode: 'CCANUTS', closedOn: '2026-11-16', outcome: 'paye', reason: 'virement reçu après injonction' }]);
    j.close();
    const twice = await c.run('2026-11-17', 'contentieux', 'CCANUTS', '--close', '--outcome', 'abandon', '--reason', 'x');
    expect(twice.stderr).toBe(
      'relance: erreur : le contentieux de CCANUTS remis le 10/11/2026 est déjà clos le 16/11/2026 (payé : virement reçu après injonction).\n' +
        'conseil : relance client CCANUTS montre son contentieux ; une nouvelle remise au contentieux se clôt à son tour.\n',
    );
    const client = await c.run('2026-11-17', 'client', 'CCANUTS', '--wide');
    expect(client.stdout).toContain('Contentieux\n  - remis le 10/11/2026 pour 800,00 € (FA2026-0034) ; clos le 16/11/2026 : payé, virement reçu après injonction\n');
    const json = JSON.parse((await c.run('2026-11-17', 'client', 'CCANUTS', '--format', 'json')).stdout) as { litigations: unknown[] };
    expect(json.litigations).toEqual([
      { clientCode: 'CCANUTS', actionId: 1, handedOverOn: '2026-11-10', amountCents: 80_000, refs: ['FA2026-0034'], closure: { closedOn: '2026-11-16', outcome: 'paye', reason: 'virement reçu après injonction' } },
    ]);
    // A new hand-over is a new litigation, closed in its turn.
    handOver(c.journal, 'CCANUTS', 'Boulangerie des Canuts', '2026-11-20', [{ ref: 'FA2026-0034', openCents: 80_000, dueDate: '2026-10-22' }]);
    expect((await c.run('2026-11-25', 'contentieux', 'CCANUTS', '--close', '--outcome', 'abandon', '--reason', 'montant trop faible')).code).toBe(0);
    expect(new Database(c.journal, { readonly: true }).prepare('SELECT handover_action_id AS a, outcome FROM litigation_closures ORDER BY id').all()).toEqual([
      { a: 1, outcome: 'paye' },
      { a: 2, outcome: 'abandon' },
    ]);
  });

  it('perte writes off what the client still owes, after its unapplied credits', async () => {
    const c = company();
    handOver(c.journal, 'CMORELE', 'Électricité Générale Morel', '2026-11-10', [{ ref: 'FA2026-0039', openCents: 240_000, dueDate: '2026-11-07' }]);
    const r = await c.run('2026-11-16', 'contentieux', 'CMORELE', '--close', '--outcome', 'perte', '--reason', 'liquidation judiciaire');
    expect(r.stdout).toBe(
      'Contentieux de CMORELE Électricité Générale Morel (remis le 10/11/2026 pour 2 400,00 €) clos le 16/11/2026 : passé en perte, liquidation judiciaire.\n' +
        'Passées en perte pour 2 400,00 € : FA2026-0039 (2 400,00 €). Elles sortent des relances.\n',
    );
    expect(new Database(c.journal, { readonly: true }).prepare('SELECT ref, client_code, reason, amount_cents, written_on FROM writeoffs').all()).toEqual([
      { ref: 'FA2026-0039', client_code: 'CMORELE', reason: 'contentieux clos en perte : liquidation judiciaire', amount_cents: 240_000, written_on: '2026-11-16' },
    ]);
  });

  it('checks its options, in French', async () => {
    const c = company();
    expect((await c.run('2026-11-16', 'contentieux', 'CMORELE', '--outcome', 'paye', '--reason', 'x')).stderr).toContain('--close est obligatoire');
    expect((await c.run('2026-11-16', 'contentieux', 'CMORELE', '--close', '--outcome', 'gagne', '--reason', 'x')).stderr).toBe(
      'relance: erreur : issue invalide pour --outcome : « gagne ».\n' +
        'conseil : écrivez --outcome paye (la dette est réglée), abandon (le recouvrement est abandonné) ou perte (ses factures ouvertes passent en perte).\n',
    );
    expect((await c.run('2026-11-16', 'contentieux', 'CMORELE', '--close', '--outcome', 'paye')).stderr).toContain('--reason est obligatoire.');
    expect((await c.run('2026-11-16', 'contentieux', 'CMOREL', '--close', '--outcome', 'paye', '--reason', 'x')).stderr).toContain('client « CMOREL » inconnu dans les exports lus.');
  });
});
