import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.js';
import { csvAsText, csvSchema, neutraliseCell } from '../../src/render/csv.js';
import { runCli } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'relance-csv-injection-'));
const HYPERLINK = '=HYPERLINK("http://x")';
// A balance whose client name is a formula, and an invoice whose ref is one.
writeFileSync(
  join(dir, 'balance.csv'),
  [
    'N° compte tiers;Intitulé;N° pièce;Date pièce;Échéance;Montant;Solde',
    `CPIEGE;"${HYPERLINK.replace(/"/g, '""')}";FA2026-0001;01/09/2026;01/10/2026;1 200,00;1 200,00`,
    'CPIEGE;Client piégé;@SUM(A1);01/09/2026;01/10/2026;2 400,00;2 400,00',
    'CPIEGE;Client piégé;AV2026-0001;01/10/2026;01/10/2026;-1 200,00;-1 200,00',
  ].join('\r\n') + '\r\n',
);
// For check: the same, and an amount written as a formula.
writeFileSync(
  join(dir, 'bad.csv'),
  [
    'N° compte tiers;Intitulé;N° pièce;Date pièce;Échéance;Montant;Solde',
    `CPIEGE;"${HYPERLINK.replace(/"/g, '""')}";FA2026-0001;01/09/2026;01/10/2026;1 200,00;1 200,00`,
    'CAUTRE;+33 4 72 00 00 00;FA2026-0003;01/09/2026;01/10/2026;@SUM(A1);@SUM(A1)',
  ].join('\r\n') + '\r\n',
);
const args = ['--balance', 'balance.csv', '--as-of', '2026-11-16', '--format', 'csv'];
const rowsOf = (text: string) => parse(text, { columns: true }) as Record<string, string>[];

describe('neutraliseCell', () => {
  it.each([
    ['=1+1', "'=1+1"], ['+33 4 72', "'+33 4 72"], ['-12,00', "'-12,00"], ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"], ['\rx', "'\rx"], ['＝1', "'＝1"], ['Morel', 'Morel'], ['', ''], ["l'=x", "l'=x"],
  ])('%j becomes %j', (text, shown) => expect(neutraliseCell(text)).toBe(shown));
});

describe('csvAsText', () => {
  const schema = csvSchema(['name', 'cents'] as const, ['cents']);
  it('decides by column: numbers stay numbers in numeric columns, text is neutralised even when it looks like a number', () => {
    expect(csvAsText(schema, [['-5', -120000], [-5, null], [HYPERLINK, '=1']])).toBe(
      `name,cents\n'-5,-120000\n'-5,\n"'=HYPERLINK(""http://x"")",'=1\n`,
    );
  });
  it('writes later batches without the header', () => {
    expect(csvAsText(schema, [['a', 1]], false)).toBe('a,1\n');
  });
});

describe('--format csv never hands a spreadsheet a formula', () => {
  it('plan: the client named =HYPERLINK(…) is text, openCents stay numbers', async () => {
    const r = await runCli(['plan', ...args], { cwd: dir });
    const rows = rowsOf(r.stdout);
    const piege = rows.filter((x) => x.clientCode === 'CPIEGE');
    expect(piege.length).toBeGreaterThan(0);
    for (const x of piege) expect(x.clientName).toMatch(/^'=HYPERLINK|^Client piégé$/);
    expect(rows.some((x) => x.clientName === `'${HYPERLINK}`)).toBe(true);
    expect(rows.find((x) => x.ref === "'@SUM(A1)")?.openCents).toMatch(/^\d+$/);
    for (const x of rows) expect(x.openCents).toMatch(/^-?\d+$/);
    expect(r.stdout).not.toMatch(/(^|,|")[=@+]/m);
  });

  it('inspect: names and refs are neutralised, amounts are not', async () => {
    const r = await runCli(['inspect', ...args], { cwd: dir });
    const rows = rowsOf(r.stdout).filter((x) => x.kind === 'open_item');
    expect(rows.map((x) => [x.clientName, x.ref, x.openCents])).toEqual([
      [`'${HYPERLINK}`, 'FA2026-0001', '120000'],
      ['Client piégé', "'@SUM(A1)", '240000'],
      ['Client piégé', 'AV2026-0001', '-120000'],
    ]);
  });

  it('check: the unreadable amount @SUM(A1) is quoted as text, the line stays a number', async () => {
    const r = await runCli(['check', '--balance', 'bad.csv', '--as-of', '2026-11-16', '--format', 'csv'], { cwd: dir });
    const bad = rowsOf(r.stdout).filter((x) => x.code === 'valeur-illisible');
    expect(bad.map((x) => [x.line, x.value])).toEqual([['3', "'@SUM(A1)"], ['3', "'@SUM(A1)"]]);
    expect(r.stdout).not.toMatch(/(^|,|")[=@+]/m);
  });

  it('journal: a client name and an error message that start like formulas are neutralised', async () => {
    const path = join(dir, 'j.sqlite');
    const j = Journal.open(path);
    j.record({
      clientCode: 'CPIEGE', clientName: HYPERLINK, step: 'relance1', channel: 'email', actionDate: '2026-11-16', createdAt: '2026-11-16T08:00:00Z',
      status: 'echec', recipients: '', cc: '', subject: '@SUM(A1)', amountCents: -120_000, costCents: 5, messageId: null, sha256: null,
      error: '-ERR refusé', invoices: [{ ref: '=1+1', step: 'relance1', openCents: -120_000, dueDate: '2026-10-01' }],
    });
    j.close();
    const r = await runCli(['journal', '--journal', path, '--format', 'csv'], { cwd: dir });
    const [row] = rowsOf(r.stdout);
    expect([row!.clientName, row!.subject, row!.invoices, row!.error, row!.amountCents]).toEqual([`'${HYPERLINK}`, "'@SUM(A1)", "'=1+1", "'-ERR refusé", '-120000']);
  });
});
