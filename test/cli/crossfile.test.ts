import { copyFileSync, existsSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan.js';
import type { Finding } from '../../src/errors.js';
import { Journal } from '../../src/journal/journal.js';
import { fixture, runCli } from '../helpers.js';
import { startSmtp } from '../smtp.js';

// Issue 10: the same file twice, the same invoice in two balances, payments from another
// company, and payments received after the balance was exported.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A folder with the fixture company's exports (Windows-1252) and config. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'relance-crossfile-'));
  for (const f of ['balance.csv', 'reglements.csv', 'clients.csv', '../relance.yaml']) copyFileSync(fixture(`sage100/${f}`), join(dir, f.replace('../', '')));
  return dir;
}

/** Writes a Windows-1252 file derived from another one of the folder. */
function derive(dir: string, from: string, to: string, edit: (text: string) => string): void {
  writeFileSync(join(dir, to), Buffer.from(edit(readFileSync(join(dir, from)).toString('latin1')), 'latin1'));
}

const AS_OF = ['--as-of', '2026-11-16'];
const findingsOf = (stdout: string): Finding[] => (JSON.parse(stdout) as { findings: Finding[] }).findings;

async function smtp() {
  const server = await startSmtp();
  closers.push(server.close);
  return server;
}

describe('the same file given twice', () => {
  it('is refused when it is a copy (same bytes), naming both arguments', async () => {
    const dir = workspace();
    copyFileSync(join(dir, 'balance.csv'), join(dir, 'copie.csv'));
    const r = await runCli(['plan', '--balance', 'balance.csv', '--balance', 'copie.csv', ...AS_OF], { cwd: dir });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "relance: erreur : « --balance balance.csv » et « --balance copie.csv » ont exactement le même contenu (l'un est une copie de l'autre) : lus tous les deux, chacune de leurs lignes compterait double.\n" +
        'conseil : donnez ce fichier une seule fois : retirez --balance copie.csv.\n',
    });
  });

  it.each([
    ['./balance.csv', () => {}],
    ['lien.csv', (dir: string) => symlinkSync(join(dir, 'balance.csv'), join(dir, 'lien.csv'))],
  ])('is refused when %s is the same file under another name', async (other, prepare) => {
    const dir = workspace();
    prepare(dir);
    const r = await runCli(['check', '--balance', 'balance.csv', '--balance', other, ...AS_OF], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `relance: erreur : « --balance balance.csv » et « --balance ${other} » désignent le même fichier : lu deux fois, chacune de ses lignes compterait double.\n` +
        `conseil : donnez ce fichier une seule fois : retirez --balance ${other}.\n`,
    );
  });

  it('is refused across kinds too, and two different files of the same size are read', async () => {
    const dir = workspace();
    const same = await runCli(['check', '--balance', 'balance.csv', '--payments', 'balance.csv', ...AS_OF], { cwd: dir });
    expect(same.stderr).toContain('« --balance balance.csv » et « --payments balance.csv » désignent le même fichier');
    // Same size, one byte apart: not a copy.
    derive(dir, 'balance.csv', 'b.csv', (t) => t.replace('FA2026-0040', 'FA2026-0099'));
    const sized = await runCli(['check', '--balance', 'balance.csv', '--balance', 'b.csv', ...AS_OF, '--format', 'json'], { cwd: dir });
    expect(sized.stderr).toBe('');
    expect(findingsOf(sized.stdout).filter((f) => f.code === 'ref-en-double')).toHaveLength(17);
  });

  it('stops send before anything is sent or recorded', async () => {
    const server = await smtp();
    const dir = workspace();
    copyFileSync(join(dir, 'balance.csv'), join(dir, 'copie.csv'));
    const journal = join(dir, 'journal.sqlite');
    const r = await runCli(['send', '--balance', 'balance.csv', '--balance', 'copie.csv', '--clients', 'clients.csv', '--journal', journal, ...AS_OF], {
      cwd: dir,
      env: { RELANCE_SMTP_URL: server.url },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^relance: erreur : « --balance balance\.csv » et « --balance copie\.csv » ont exactement le même contenu/);
    expect(server.received).toEqual([]);
    expect(existsSync(journal)).toBe(false);
  });
});

describe('the same invoice in two balances', () => {
  /** The fixture balance exported a week earlier: the same invoices, another date in its title. */
  const olderExport = (dir: string) =>
    derive(dir, 'balance.csv', 'balance-0911.csv', (t) => t.replace('Date de tirage : 16/11/2026', 'Date de tirage : 09/11/2026').replace('au 16/11/2026', 'au 09/11/2026'));

  it('stops plan, naming both files and lines, and says to drop the older export', async () => {
    const dir = workspace();
    olderExport(dir);
    const r = await runCli(['plan', '--balance', 'balance.csv', '--balance', 'balance-0911.csv', '--clients', 'clients.csv', ...AS_OF], { cwd: dir });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'relance: erreur : les balances balance.csv et balance-0911.csv contiennent 18 mêmes pièces des mêmes clients : ' +
        '« FA2026-0040 » du client CBELLEC (balance.csv ligne 7, balance-0911.csv ligne 7), ' +
        '« FA2026-0034 » du client CCANUTS (balance.csv ligne 9, balance-0911.csv ligne 9), ' +
        '« FA2026-0037 » du client CGIRAUD (balance.csv ligne 11, balance-0911.csv ligne 11) et 15 autres ; ' +
        "lues ensemble, elles compteraient ces pièces deux fois. Rien n'a été fait.\n" +
        "conseil : ne gardez que l'export le plus récent : retirez balance-0911.csv (export du 09/11/2026, balance.csv est du 16/11/2026).\n",
    });
  });

  it('without export dates, names the older file by its modification time', async () => {
    const dir = workspace();
    const untitled = (t: string) => t.split('\r\n').slice(5).join('\r\n');
    derive(dir, 'balance.csv', 'lundi.csv', untitled);
    derive(dir, 'balance.csv', 'mardi.csv', (t) => untitled(t).replace('FA2026-0041', 'FA2026-0043'));
    utimesSync(join(dir, 'lundi.csv'), new Date('2026-11-09T08:30:00Z'), new Date('2026-11-09T08:30:00Z'));
    utimesSync(join(dir, 'mardi.csv'), new Date('2026-11-10T08:30:00Z'), new Date('2026-11-10T08:30:00Z'));
    const r = await runCli(['plan', '--balance', 'mardi.csv', '--balance', 'lundi.csv', ...AS_OF], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^relance: erreur : les balances mardi\.csv et lundi\.csv contiennent 17 mêmes pièces des mêmes clients : « FA2026-0040 » du client CBELLEC \(mardi\.csv ligne 2, lundi\.csv ligne 2\)/);
    expect(r.stderr).toContain("conseil : ne gardez que l'export le plus récent : retirez lundi.csv (modifié le 09/11/2026 à 09:30, mardi.csv le 10/11/2026 à 09:30).\n");
  });

  it('stops send: nothing sent, nothing recorded', async () => {
    const server = await smtp();
    const dir = workspace();
    olderExport(dir);
    const journal = join(dir, 'journal.sqlite');
    const r = await runCli(['send', '--balance', 'balance.csv', '--balance', 'balance-0911.csv', '--clients', 'clients.csv', '--journal', journal, ...AS_OF], {
      cwd: dir,
      env: { RELANCE_SMTP_URL: server.url },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^relance: erreur : les balances balance\.csv et balance-0911\.csv contiennent 18 mêmes pièces/);
    expect(server.received).toEqual([]);
    const j = Journal.open(journal);
    expect(j.actions({})).toEqual([]);
    expect(j.snapshots()).toEqual([]);
    j.close();
  });

  it('is an error of check (ref-en-double), naming both places; a ref repeated within one file stays a warning', async () => {
    const dir = workspace();
    olderExport(dir);
    // In the newer balance, FA2026-0033 also replaces FA2026-0036 (the same number twice in one file).
    derive(dir, 'balance.csv', 'balance-1611.csv', (t) => t.replace('FA2026-0036', 'FA2026-0033').replace(/CBELLEC;H.tel Bellecour SAS;FA2026-0040/, 'CBELLEC;Hôtel Bellecour SAS;FA2026-0140'));
    const r = await runCli(['check', '--balance', 'balance-1611.csv', '--balance', 'balance-0911.csv', ...AS_OF, '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const doubles = findingsOf(r.stdout).filter((f) => f.code === 'ref-en-double');
    expect(doubles.find((f) => f.value === 'FA2026-0034')).toEqual({
      severity: 'erreur', code: 'ref-en-double', file: 'balance-1611.csv', line: 9, column: null, value: 'FA2026-0034',
      message: 'la pièce « FA2026-0034 » du client CCANUTS figure dans deux balances : balance-1611.csv ligne 9 et balance-0911.csv ligne 9',
      hint: "lues ensemble, les balances la comptent plusieurs fois : ne gardez que l'export le plus récent, retirez balance-0911.csv (export du 09/11/2026, balance-1611.csv est du 16/11/2026)",
    });
    expect(doubles.filter((f) => f.value === 'FA2026-0033').map((f) => [f.severity, f.file, f.line, f.message])).toEqual([
      ['erreur', 'balance-1611.csv', 30, 'la pièce « FA2026-0033 » du client CTRABOU figure dans deux balances : balance-1611.csv ligne 30 et balance-0911.csv ligne 30'],
      ['avertissement', 'balance-1611.csv', 30, 'la pièce « FA2026-0033 » apparaît 2 fois (aussi ligne 31)'],
    ]);
    // Only in the older file: not a duplicate.
    expect(doubles.some((f) => f.value === 'FA2026-0040' || f.value === 'FA2026-0140')).toBe(false);
  });
});

describe('a payments file from another company', () => {
  /** The fixture payments, with another company's name in the title. */
  const otherTitle = (dir: string) => derive(dir, 'reglements.csv', 'reglements-autre.csv', (t) => t.replace('Lumen \xc9clairage SAS', 'Optique Lafayette SARL'));
  /** The fixture payments without title, every client under another name. */
  const otherNames = (dir: string) =>
    derive(dir, 'reglements.csv', 'reglements-autre.csv', (t) =>
      t.split('\r\n').slice(5).map((l) => l.replace(/^(C([A-Z]+));[^;]*;/, (_, code: string, rest: string) => `${code};Société ${rest[0]}${rest.slice(1).toLowerCase()};`)).join('\r\n'));
  const files = ['--balance', 'balance.csv', '--payments', 'reglements-autre.csv', '--clients', 'clients.csv', ...AS_OF];

  it('by the title: a warning of check (reglements-autre-societe)', async () => {
    const dir = workspace();
    otherTitle(dir);
    const r = await runCli(['check', ...files, '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(findingsOf(r.stdout).filter((f) => f.code === 'reglements-autre-societe')).toEqual([{
      severity: 'avertissement', code: 'reglements-autre-societe', file: 'reglements-autre.csv', line: null, column: null, value: 'Optique Lafayette SARL',
      message: "reglements-autre.csv semble venir d'une autre société : son titre nomme « Optique Lafayette SARL », balance.csv « Lumen Éclairage SAS »",
      hint: "vérifiez que les règlements viennent du même dossier comptable que la balance et ré-exportez-les depuis la bonne société (`relance send` refuse d'envoyer avec ce fichier)",
    }]);
  });

  it('by the clients\' names: a warning of check', async () => {
    const dir = workspace();
    otherNames(dir);
    const r = await runCli(['check', ...files, '--format', 'json'], { cwd: dir });
    expect(findingsOf(r.stdout).filter((f) => f.code === 'reglements-autre-societe').map((f) => f.message)).toEqual([
      "reglements-autre.csv semble venir d'une autre société : pour 8 des 8 clients qu'il a en commun avec la balance et le fichier clients, il donne un autre nom (par exemple CAMPERE « Société Ampere » au lieu de « Optique Ampère »)",
    ]);
  });

  it('plan warns on stderr and still plans', async () => {
    const dir = workspace();
    otherTitle(dir);
    const r = await runCli(['plan', ...files, '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(/^attention : reglements-autre\.csv semble venir d'une autre société ; 1 client sans e-mail : CGIRAUD ; /);
    expect((JSON.parse(r.stdout) as Plan).actions.length).toBeGreaterThan(0);
  });

  it.each([['title', otherTitle], ['names', otherNames]])('send refuses it (by the %s): nothing sent, exit 1', async (_, make) => {
    const server = await smtp();
    const dir = workspace();
    make(dir);
    const journal = join(dir, 'journal.sqlite');
    const r = await runCli(['send', ...files, '--journal', journal], { cwd: dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^relance: erreur : reglements-autre\.csv semble venir d'une autre société : .* : envoi refusé, rien n'a été envoyé\.\n/);
    expect(r.stderr).toMatch(/\nconseil : vérifiez que reglements-autre\.csv vient du même dossier comptable que la balance : ré-exportez les règlements depuis la bonne société, ou retirez --payments reglements-autre\.csv\.\n$/);
    expect(server.received).toEqual([]);
    expect(existsSync(journal)).toBe(false);
  });

  it('the fixture company\'s own payments are not flagged', async () => {
    const r = await runCli(['check', '--balance', 'fixtures/sage100/balance.csv', '--payments', 'fixtures/sage100/reglements.csv', '--clients', 'fixtures/sage100/clients.csv', ...AS_OF, '--format', 'json']);
    expect(findingsOf(r.stdout).filter((f) => f.code === 'reglements-autre-societe' || f.code === 'ref-en-double')).toEqual([]);
  });
});

describe('payments received after the balance was exported', () => {
  const BALANCE = [
    'Lumen Éclairage SAS', 'Échéancier clients', 'Date de tirage : 10/11/2026', '',
    'N° compte tiers;Intitulé;N° pièce;Date pièce;Échéance;Montant;Solde',
    'CBELLEC;Hôtel Bellecour SAS;FA2026-0040;09/10/2026;08/11/2026;45 000,00;45 000,00',
    'CTRABOU;Brasserie Les Traboules;FA2026-0030;28/08/2026;27/09/2026;1 656,00;1 656,00',
    'CTRABOU;Brasserie Les Traboules;FA2026-0033;12/09/2026;12/10/2026;2 472,00;2 472,00',
    'CCANUTS;Boulangerie des Canuts;FA2026-0034;22/09/2026;22/10/2026;800,00;800,00',
    'CCANUTS;Boulangerie des Canuts;RG2026-0052;12/11/2026;12/11/2026;-300,00;-300,00',
  ];
  const PAYMENTS = [
    'Lumen Éclairage SAS', 'Règlements clients', 'Date de tirage : 16/11/2026', '',
    'N° compte tiers;Intitulé;Date;N° pièce;Mode de règlement;Montant;Pièces réglées',
    // Before the export: already in the balance.
    'CTRABOU;Brasserie Les Traboules;05/11/2026;RG2026-0049;Chèque;100,00;FA2026-0020',
    // After it: the invoice it names is paid.
    'CBELLEC;Hôtel Bellecour SAS;13/11/2026;RG2026-0050;Virement;45 000,00;FA2026-0040',
    // After it, naming nothing: taken off the oldest invoices.
    'CTRABOU;Brasserie Les Traboules;12/11/2026;RG2026-0051;Chèque;2 000,00;',
    // After the export but already in it (its credit line): not counted twice.
    'CCANUTS;Boulangerie des Canuts;12/11/2026;RG2026-0052;Virement;300,00;',
  ];
  function files(): string {
    const dir = mkdtempSync(join(tmpdir(), 'relance-late-'));
    writeFileSync(join(dir, 'balance.csv'), `${BALANCE.join('\n')}\n`);
    writeFileSync(join(dir, 'reglements.csv'), `${PAYMENTS.join('\n')}\n`);
    return dir;
  }
  const args = ['--balance', 'balance.csv', '--payments', 'reglements.csv', ...AS_OF];

  it('plan does not ask for them', async () => {
    const r = await runCli(['plan', ...args, '--format', 'json'], { cwd: files() });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    const invoices = Object.fromEntries(plan.actions.map((a) => [a.clientCode, a.invoices.map((i) => [i.ref, i.openCents])]));
    expect(invoices).toEqual({ CTRABOU: [['FA2026-0033', 212_800]], CCANUTS: [['FA2026-0034', 50_000]] });
  });

  it('check says what was deducted', async () => {
    const r = await runCli(['check', ...args, '--format', 'json'], { cwd: files() });
    expect(findingsOf(r.stdout).filter((f) => f.code === 'reglement-apres-export').map((f) => [f.line, f.message])).toEqual([
      [7, 'le règlement de 45 000,00 € du 13/11/2026 (client CBELLEC) est postérieur à la balance du 10/11/2026 : il est déduit de ce qui est réclamé (45 000,00 € sur « FA2026-0040 »)'.replace(/ (?=\d{3},)/g, '\u202f').replace(/ €/g, '\u00a0€')],
      [8, 'le règlement de 2 000,00 € du 12/11/2026 (client CTRABOU) est postérieur à la balance du 10/11/2026 : il est déduit de ce qui est réclamé (2 000,00 € en règlement non imputé, sur les factures les plus anciennes)'.replace(/ (?=\d{3},)/g, '\u202f').replace(/ €/g, '\u00a0€')],
    ]);
  });
});
