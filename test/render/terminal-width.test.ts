import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KpiReport } from '../../src/core/kpi.js';
import { formatEuros } from '../../src/core/money.js';
import type { Plan } from '../../src/core/plan.js';
import { Journal } from '../../src/journal/journal.js';
import { formatDays } from '../../src/render/kpi-format.js';
import { cut, displayWidth, fitTable, fitText, type Column } from '../../src/render/table.js';
import { expectGolden } from '../golden.js';
import { fixture, runCli } from '../helpers.js';

// Every table fits the terminal: at 80 and 120 columns no line of stdout is wider, and
// what matters (client codes, amounts) is still there. --wide prints everything.

const AS_OF = ['--as-of', '2026-11-16'];
const SAGE = ['--balance', 'fixtures/sage100/balance.csv', '--payments', 'fixtures/sage100/reglements.csv', '--clients', 'fixtures/sage100/clients.csv', ...AS_OF];
const FEC = ['--fec', 'fixtures/fec/812345678FEC20251231.txt', '--fec', 'fixtures/fec/812345678FEC20261231.txt', ...AS_OF];
const WIDTHS = [80, 120];

/** The widest line, in terminal columns: the fixtures have only one-column characters (box drawing, accented letters). */
const widest = (text: string): number => Math.max(...text.split('\n').map((l) => [...l.normalize('NFC')].length));

async function ok(args: string[], columns = 80): Promise<string> {
  const r = await runCli(args, { columns });
  expect(r.stderr.replace(/^(attention|conseil) : .*\n/gm, '')).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

const json = async <T>(args: string[]): Promise<T> => JSON.parse(await ok([...args, '--format', 'json'])) as T;

/** A real journal file, filled by the case commands and a few recorded sends, in a scratch folder. */
let journal: string;
beforeAll(async () => {
  journal = join(mkdtempSync(join(tmpdir(), 'relance-width-')), 'journal.sqlite');
  const j = Journal.open(journal);
  const sends = [
    ['CTRABOU', 'Brasserie Les Traboules', 'relance1', 'email', '2026-10-20', 'envoye', null, 412_800],
    ['CBELLEC', 'Hôtel Bellecour SAS', 'preventive', 'email', '2026-11-03', 'envoye', null, 4_500_000],
    ['CGIRAUD', 'Menuiserie Giraud & Fils', 'relance1', 'courrier', '2026-11-09', 'a_faire', null, 294_000],
    ['CTRABOU', 'Brasserie Les Traboules', 'relance2', 'email+appel', '2026-11-12', 'echec', '550 5.2.2 boîte aux lettres pleine, message refusé par le serveur du destinataire', 606_000],
    ['CNUITBL', 'SARL Nuit Blanche Événements', 'mise_en_demeure', 'lrar+email', '2026-11-13', 'envoye', null, 1_392_000],
  ] as const;
  for (const [code, name, step, channel, date, status, error, cents] of sends) {
    j.record({
      clientCode: code, clientName: name, step, channel, actionDate: date, createdAt: `${date}T08:00:00Z`, status,
      recipients: 'compta@example.fr', cc: '', subject: 'Relance', amountCents: cents, costCents: 5, messageId: null,
      sha256: status === 'envoye' ? 'a1b2c3d4'.repeat(8) : null, error, invoices: [{ ref: `FA-${code}`, step, openCents: cents, dueDate: '2026-10-01' }],
    });
  }
  j.close();
  const run = async (...args: string[]) => expect((await runCli([...args, ...SAGE, '--journal', journal])).stderr).toBe('');
  await run('promise', 'CTRABOU', '--date', '2026-11-30', '--invoices', 'FA2026-0036', '--amount', '1932');
  await run('dispute', 'FA2026-0038', '--reason', 'livraison incomplète : deux cartons de verres manquants à la réception');
  await run('note', 'CTRABOU', 'Appel au gérant : il attend le virement de son propre client avant de payer le solde', '--call', '--minutes', '7');
});

describe.each(WIDTHS)('at %i columns', (columns) => {
  it('plan: every line fits; ranks, client codes and amounts at risk are all there', async () => {
    const plan = await json<Plan>(['plan', ...SAGE]);
    for (const extra of [[], ['--detail'], ['--explain']]) {
      const out = await ok(['plan', ...SAGE, ...extra], columns);
      expect(widest(out)).toBeLessThanOrEqual(columns);
      for (const a of plan.actions) {
        expect(out).toContain(a.clientCode);
        expect(out).toContain(formatEuros(a.score));
        expect(out).toContain(formatEuros(a.overdueCents));
      }
    }
  });

  it('plan from the FEC: every line fits', async () => {
    const out = await ok(['plan', ...FEC, '--clients', 'fixtures/sage100/clients.csv', '--detail'], columns);
    expect(widest(out)).toBeLessThanOrEqual(columns);
  });

  it('check: every line fits; each finding keeps its severity and where it is', async () => {
    const args = ['check', '--balance', 'fixtures/messy/total-mismatch.csv', ...SAGE];
    const r = await runCli([...args, '--format', 'json']);
    const { findings } = JSON.parse(r.stdout) as { findings: { severity: string; file: string; line: number | null }[] };
    const out = (await runCli(args, { columns })).stdout;
    expect(widest(out)).toBeLessThanOrEqual(columns);
    for (const f of findings) if (f.line !== null) expect(out).toContain(`${f.file.split('/').at(-1)}:${f.line}`);
    expect(out.match(/│ (erreur|avertissement|info) /g)?.length).toBe(findings.length);
  });

  it('inspect: every line fits; each record shown keeps its client code and amount', async () => {
    for (const [inputs, limit] of [[SAGE, '40'], [FEC, '30']] as const) {
      const out = await ok(['inspect', ...inputs, '--limit', limit], columns);
      expect(widest(out)).toBeLessThanOrEqual(columns);
      const { records } = await json<{ records: { kind: string; clientCode: string; openCents?: number }[] }>(['inspect', ...inputs, '--limit', limit]);
      for (const rec of records) {
        expect(out).toContain(rec.clientCode);
        if (rec.kind === 'open_item') expect(out).toContain(formatEuros(rec.openCents!));
      }
    }
  });

  it('kpi: every line fits; the figures and the top debtors are there', async () => {
    const out = await ok(['kpi', ...FEC, '--month', '2026-10'], columns);
    expect(widest(out)).toBeLessThanOrEqual(columns);
    const report = await json<KpiReport>(['kpi', ...FEC, '--month', '2026-10']);
    expect(out).toContain(formatDays(report.dso.simple!));
    expect(out).toContain(formatDays(report.dso.countback!));
    for (const d of report.topDebtors.slice(0, 10)) {
      expect(out).toContain(d.clientCode);
      expect(out).toContain(formatEuros(d.balanceCents));
    }
  });

  it('journal: every line fits; each action keeps its date, client and amount', async () => {
    const out = await ok(['journal', '--journal', journal], columns);
    expect(widest(out)).toBeLessThanOrEqual(columns);
    const { actions } = await json<{ actions: { clientCode: string; amountCents: number }[] }>(['journal', '--journal', journal]);
    for (const a of actions) {
      expect(out).toContain(a.clientCode);
      expect(out).toContain(formatEuros(a.amountCents));
    }
    expect(out).toContain(`${actions.length} actions.`);
  });

  it('client: every line fits; open invoices, actions, promise, dispute and call are there', async () => {
    const out = await ok(['client', 'CTRABOU', ...SAGE, '--journal', journal], columns);
    expect(widest(out)).toBeLessThanOrEqual(columns);
    const t = await json<{ openItems: { ref: string; openCents: number }[] }>(['client', 'CTRABOU', ...SAGE, '--journal', journal]);
    for (const i of t.openItems) {
      expect(out).toContain(i.ref);
      expect(out).toContain(formatEuros(i.openCents));
    }
    expect(out).toContain('2e relance');
    expect(out).toContain('paiement promis pour le 30/11/2026');
    expect(out).toContain('appel (7 min)');
    const other = await ok(['client', 'CREVERB', ...SAGE, '--journal', journal], columns);
    expect(widest(other)).toBeLessThanOrEqual(columns);
    expect(other).toContain('FA2026-0038 depuis le 16/11/2026');
  });
});

describe('columns hidden to fit, and --wide', () => {
  it('says which columns were hidden, under the table', async () => {
    const out = await ok(['plan', ...SAGE], 80);
    expect(out).toMatch(/^colonnes masquées : Segment, .*Pour le ; --wide les affiche$/m);
    expect(out.split('\n').find((l) => l.includes('Rang'))).not.toContain('Segment');
    // At 120 columns, only the segment is hidden.
    expect(await ok(['plan', ...SAGE], 120)).toMatch(/^colonnes masquées : Segment ; --wide les affiche$/m);
  });

  it('--wide prints every column untruncated, whatever the width', async () => {
    for (const [args, hidden] of [
      [['plan', ...SAGE, '--detail'], ['Segment', 'Pour le', 'Factures', 'Retard max', 'Résidence Les Tilleuls', 'Architectes Roux, Vidal & Associés']],
      [['check', ...SAGE], ['Code', 'avoir-non-impute']],
      [['inspect', ...SAGE], ['Source', 'clients.csv:6']],
      [['journal', '--journal', journal], ['Empreinte', 'a1b2c3d4a1b2']],
      [['client', 'CTRABOU', ...SAGE, '--journal', journal], ['Empreinte SHA-256']],
      [['kpi', ...FEC, '--month', '2026-10'], ['Indicateur']],
    ] as const) {
      const wide = await ok([...args, '--wide'], 80);
      expect(widest(wide), args[0]).toBeGreaterThan(80);
      expect(wide).not.toContain('colonnes masquées');
      for (const h of hidden) expect(wide).toContain(h);
      expect(await ok([...args, '--wide'], 300)).toBe(wide);
    }
  });

  it('pins the plan with its details at 80 columns', async () => {
    expectGolden(await ok(['plan', ...SAGE, '--detail'], 80), fixture('sage100/plan-80.golden.txt'));
  });
});

describe('--limit', () => {
  const ranks = (out: string) => [...out.matchAll(/^│ +(\d+) │ [A-Z]/gm)].map((m) => Number(m[1]));

  it('plan: the first actions by rank, says how many are left out; the totals, JSON and CSV stay whole', async () => {
    const all = await json<Plan>(['plan', ...SAGE]);
    const out = await ok(['plan', ...SAGE, '--limit', '3', '--detail']);
    expect(ranks(out)).toEqual([1, 2, 3]);
    expect(out).toContain(`… et ${all.actions.length - 3} autres actions (--limit)`);
    expect(out).toContain(`Total : ${all.actions.length} actions`);
    expect(out).toContain('3. '); // the details of the actions shown…
    expect(out).not.toMatch(/^4\. /m); // …and of those only
    expect((await json<Plan>(['plan', ...SAGE, '--limit', '3'])).actions).toHaveLength(all.actions.length);
    expect((await ok(['plan', ...SAGE, '--limit', '3', '--format', 'csv'])).trim().split('\n').length).toBe(
      (await ok(['plan', ...SAGE, '--format', 'csv'])).trim().split('\n').length,
    );
    expect(await ok(['plan', ...SAGE, '--limit', '100'])).not.toContain('(--limit)');
  });

  it('check: errors first, then warnings, then infos', async () => {
    const args = ['check', '--balance', 'fixtures/messy/total-mismatch.csv', ...SAGE];
    const out = (await runCli([...args, '--limit', '2'])).stdout;
    expect(out.match(/│ (erreur|avertissement|info) /g)).toEqual(['│ erreur ', '│ avertissement ']);
    expect(out).toMatch(/^… et 4 autres constats \(--limit\)$/m);
    expect(out).toContain('1 erreur, 4 avertissements, 1 information'); // the summary counts them all
    const { findings } = JSON.parse((await runCli([...args, '--limit', '2', '--format', 'json'])).stdout) as { findings: unknown[] };
    expect(findings).toHaveLength(6);
  });

  it('journal: the most recent actions, still in date order', async () => {
    const out = await ok(['journal', '--journal', journal, '--limit', '2']);
    const dates = [...out.matchAll(/^│ (\d\d\/\d\d\/\d{4}) │/gm)].map((m) => m[1]);
    expect(dates).toEqual(['12/11/2026', '13/11/2026']);
    expect(out).toContain('… et 3 actions plus anciennes (--limit)\n5 actions.\n');
    expect((await json<{ actions: unknown[] }>(['journal', '--journal', journal, '--limit', '2'])).actions).toHaveLength(5);
  });

  it('inspect keeps its meaning: the records previewed, in every format', async () => {
    expect(await ok(['inspect', ...SAGE, '--limit', '3'])).toContain('Premiers enregistrements (3 sur 61) :');
    expect((await json<{ records: unknown[] }>(['inspect', ...SAGE, '--limit', '3'])).records).toHaveLength(3);
  });

  it.each(['0', '-2', 'abc', '2.5', '1e3', ''])('rejects --limit %j with the fix', async (value) => {
    for (const cmd of [['plan', ...SAGE], ['check', ...SAGE], ['inspect', ...SAGE], ['journal', '--journal', journal]]) {
      const r = await runCli([...cmd, '--limit', value]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`relance: erreur : nombre invalide pour --limit : « ${value} ».\nconseil : donnez un nombre entier de 1 ou plus, par exemple --limit 20.\n`);
    }
  });
});

describe('fitTable, the one fitting of every table', () => {
  const columns: Column[] = [
    { head: 'Code' },
    { head: 'Nom', shorten: 'cut', min: 8 },
    { head: 'Note', priority: 10, shorten: 'wrap', min: 10 },
    { head: 'Ville', priority: 20 },
    { head: 'Montant', align: 'right' },
  ];
  const rows = [['C1', 'Électricité Générale Morel', 'à rappeler après le 30, le gérant est absent', 'Villeurbanne', formatEuros(1_234_567)]];

  it('prints the table as it is when it fits, and whole when wide', () => {
    const natural = fitTable(columns, rows, { columns: 200, wide: false });
    expect(fitTable(columns, rows, { columns: 20, wide: true })).toBe(natural);
    expect(natural).toContain('Électricité Générale Morel');
    expect(natural).not.toContain('colonnes masquées');
  });

  it('narrows first, then drops the least important column and names it', () => {
    const narrowed = fitTable(columns, rows, { columns: 70, wide: false });
    expect(widest(narrowed)).toBeLessThanOrEqual(70);
    expect(narrowed).toMatch(/│ Électricité… +│/);
    expect(narrowed).toMatch(/│ après le 30, +│/);
    expect(narrowed).not.toContain('colonnes masquées');
    const out = fitTable(columns, rows, { columns: 60, wide: false });
    expect(widest(out)).toBeLessThanOrEqual(60);
    expect(out).toContain(formatEuros(1_234_567)); // an amount is never cut nor wrapped
    expect(out.split('\n').at(-1)).toBe('colonnes masquées : Note ; --wide les affiche');
    const narrow = fitTable(columns, rows, { columns: 40, wide: false });
    expect(widest(narrow)).toBeLessThanOrEqual(40);
    expect(narrow).toContain('│ Électricité Gé… │');
    expect(narrow.split('\n').slice(-2).join(' ')).toBe('colonnes masquées : Note, Ville ; --wide les affiche');
  });

  it('still fits when even the columns that are never dropped are too wide', () => {
    expect(widest(fitTable(columns, rows, { columns: 24, wide: false }))).toBeLessThanOrEqual(24);
  });

  it('counts display columns: accents, box drawing and colour codes', () => {
    expect(displayWidth('Échéance │ ✓')).toBe(12);
    expect(displayWidth('\u001b[31merreur\u001b[39m')).toBe(6);
    expect(cut('Résidence Les Tilleuls', 10)).toBe('Résidence…');
    expect(cut('\u001b[31mavertissement\u001b[39m', 6)).toBe('\u001b[31mavert…\u001b[0m');
  });

  it('wraps prose at ordinary spaces, never before « : » or inside an amount', () => {
    const text = fitText(`   Segment : chronique ; scénario « chronique » ; solde du compte ${formatEuros(606_000)}`, { columns: 30, wide: false }, '  ');
    expect(text.split('\n').every((l) => displayWidth(l) <= 30)).toBe(true);
    expect(text).toContain('« chronique »');
    expect(text).toContain(formatEuros(606_000));
    expect(text.split('\n').slice(1).every((l) => l.startsWith('     '))).toBe(true);
  });
});
