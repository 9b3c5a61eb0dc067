import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { OpenItem } from '../../src/core/records.js';
import { loadInputs, type InputFlags } from '../../src/read/inputs.js';
import { fixture, ROOT, REAL_FEC } from '../helpers.js';

const config = loadConfig(null, ROOT);
const flags = (fec: string[], asOf: string): InputFlags => ({
  balance: [], payments: [], clients: [], fec, files: [], asOf, profile: null, encoding: null,
});
const perClient = (items: OpenItem[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const i of items) out[i.clientCode] = (out[i.clientCode] ?? 0) + i.openCents;
  return out;
};
const nonZero = (m: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(m).filter(([, v]) => v !== 0));

// Figures computed independently (Python, standard library) from the three real files.
const oracle = JSON.parse(readFileSync(new URL('./data/fec-oracle.json', import.meta.url), 'utf8')) as Record<
  string,
  {
    date_max: string; asof_date: string; grand_411_balance_cents: number; grand_411_balance_asof_cents: number;
    clients: Record<string, { balance_cents: number; balance_asof_cents: number }>;
    payments_strict_entry_level: { count: number; total_cents: number };
  }
>;
const iso = (d: string): string => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;

describe.each(Object.keys(oracle))('the real FEC %s', (name) => {
  const o = oracle[name]!;
  it('reads without error and gives each client its balance at the last entry date', async () => {
    const inputs = await loadInputs(flags([`${REAL_FEC}${name}`], iso(o.date_max)), config, true, ROOT);
    const want = Object.fromEntries(Object.entries(o.clients).map(([k, v]) => [k, v.balance_cents]));
    expect(nonZero(perClient(inputs.openItems))).toEqual(nonZero(want));
    expect(inputs.openItems.reduce((s, i) => s + i.openCents, 0)).toBe(o.grand_411_balance_cents);
  });

  it('gives each client its balance at an earlier as-of date (lettering after it reopens items)', async () => {
    const inputs = await loadInputs(flags([`${REAL_FEC}${name}`], iso(o.asof_date)), config, true, ROOT);
    const want = Object.fromEntries(Object.entries(o.clients).map(([k, v]) => [k, v.balance_asof_cents]));
    expect(nonZero(perClient(inputs.openItems))).toEqual(nonZero(want));
  });

  it('finds the payments: customer credits whose entry moves a bank or cash account', async () => {
    const inputs = await loadInputs(flags([`${REAL_FEC}${name}`], iso(o.date_max)), config, true, ROOT);
    expect(inputs.payments.length).toBe(o.payments_strict_entry_level.count);
    expect(inputs.payments.reduce((s, p) => s + p.amountCents, 0)).toBe(o.payments_strict_entry_level.total_cents);
  });
});

describe('the real FECs, details', () => {
  it('reads the pipe file with its trailing separator, padding and stray 0xF8 byte, and says how it decoded it', async () => {
    const inputs = await loadInputs(flags([`${REAL_FEC}111111111FEC20221231.TXT`], '2023-07-31'), config, true, ROOT);
    const report = inputs.reports[0]!;
    expect(report.delimiter).toBe('« | »');
    expect(report.encoding).toBe('windows-1252');
    expect(report.encodingReason).toContain('0xF8');
    expect(report.encodingReason).toContain('ligne 779');
  });

  it('derives due dates from the default terms (30 days) when the FEC has none, and says so', async () => {
    const inputs = await loadInputs(flags([`${REAL_FEC}0000000001FEC20220831.txt`], '2022-08-31'), config, true, ROOT);
    const item = inputs.openItems.find((i) => i.docDate !== null)!;
    expect(item.dueDateDerived).toBe(true);
    const d = new Date(`${item.docDate}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 30);
    expect(item.dueDate).toBe(d.toISOString().slice(0, 10));
  });
});

interface ExpectedFec {
  clients: { code: string; balanceCents: number; openItems: { ref: string; openCents: number }[] }[];
  fec: Record<string, { clientBalancesAtAsOfCents?: Record<string, number> }>;
}
const company = JSON.parse(readFileSync(fixture('company/expected.json'), 'utf8')) as ExpectedFec;
const FEC2025 = fixture('fec/812345678FEC20251231.txt');
const FEC2026 = fixture('fec/812345678FEC20261231.txt');

describe('the fixture company FEC', () => {
  const balances = Object.fromEntries(company.clients.map((c) => [c.code, c.balanceCents]));

  it('alone (2026), keeps the aggregated opening line per client and gets every balance right', async () => {
    const inputs = await loadInputs(flags([FEC2026], '2026-11-16'), config, true, ROOT);
    expect(nonZero(perClient(inputs.openItems))).toEqual(nonZero(balances));
    const opening = inputs.openItems.filter((i) => i.ref === 'AN');
    expect(opening.map((i) => i.clientCode).sort()).toEqual(['CNUITBL', 'CTILLEU']);
    expect(opening.every((i) => i.dueDateDerived)).toBe(true);
  });

  it('with the previous year (2025 + 2026), drops the opening lines and shows the 2025 invoices instead', async () => {
    const inputs = await loadInputs(flags([FEC2026, FEC2025], '2026-11-16'), config, true, ROOT);
    expect(nonZero(perClient(inputs.openItems))).toEqual(nonZero(balances));
    expect(inputs.openItems.filter((i) => i.ref === 'AN')).toEqual([]);
    // The partial payment of FA2026-0027 is not lettered in the FEC: it stays a credit of its own.
    const refs = [...company.clients.flatMap((c) => c.openItems.map((i) => i.ref)), 'RG2026-0028'].sort();
    expect(inputs.openItems.map((i) => i.ref).sort()).toEqual(refs);
    expect(inputs.findings.filter((f) => f.code === 'a-nouveau-ecart')).toEqual([]);
  });

  it('uses DateLimitReglmt as the due date when the FEC has it', async () => {
    const inputs = await loadInputs(flags([FEC2026], '2026-11-16'), config, true, ROOT);
    const bellecour = inputs.openItems.find((i) => i.ref === 'FA2026-0040')!;
    expect(bellecour).toMatchObject({ dueDate: '2026-11-08', dueDateDerived: false, openCents: 4500000 });
  });

  it('a balance at an earlier date only counts the entries up to it', async () => {
    const inputs = await loadInputs(flags([FEC2025, FEC2026], '2025-12-31'), config, true, ROOT);
    const want = (company.fec['812345678FEC20251231.txt'] as { clientBalancesAtYearEndCents: Record<string, number> }).clientBalancesAtYearEndCents;
    expect(nonZero(perClient(inputs.openItems))).toEqual(nonZero(want));
  });
});

describe('the real B2C FEC with CR CR LF line ends and detailed opening entries', () => {
  const file = `${REAL_FEC}123456789FEC20500930.txt`;
  it('detects the CR CR LF line ends and reads every line', async () => {
    const inputs = await loadInputs(flags([file], '2023-04-30'), config, true, ROOT);
    const report = inputs.reports[0]!;
    expect(report.lineEnding).toBe('CR CR LF');
    expect(report.records).toBe(4);
  });

  it('nets a detailed, lettered opening line with its pair and keeps the unlettered entries open', async () => {
    const before = await loadInputs(flags([file], '2022-08-15'), config, true, ROOT);
    expect(before.openItems).toEqual([]);
    const end = await loadInputs(flags([file], '2023-04-30'), config, true, ROOT);
    expect(end.openItems.map((i) => [i.ref, i.openCents])).toEqual([
      ['OD000000095', 7578450],
      ['OD000000096', 5241600],
    ]);
  });
});
