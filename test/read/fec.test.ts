import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { allocatedItems } from '../../src/core/allocation.js';
import type { OpenItem } from '../../src/core/records.js';
import { loadInputs, type InputFlags } from '../../src/read/inputs.js';
import { fixture, ROOT, REAL_FEC } from '../helpers.js';

const config = loadConfig(null, ROOT);
const flags = (fec: string[], asOf: string): InputFlags => ({
  balance: [], payments: [], clients: [], fec, ledger: [], files: [], sheet: null, asOf, profile: null, encoding: null,
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

// Two fiscal years whose 2026 opening entries are aggregated per client, some lettered
// with a 2026 payment or credit note; the figures come from an independent Python script
// (test/read/data/fec-years-oracle.py) reading the same two files.
describe('two fiscal years read together: lettering across the year end (fixtures/fec-years)', () => {
  const years = JSON.parse(readFileSync(new URL('./data/fec-years-oracle.json', import.meta.url), 'utf8')) as {
    files: string[];
    as_of: Record<string, Record<string, { balance_cents: number; open_items: [string, number][]; owed: [string, number][] }>>;
  };
  const pair = years.files.map((f) => `${ROOT}${f}`);
  const itemsByClient = (items: OpenItem[]): Record<string, [string, number][]> => {
    const out: Record<string, [string, number][]> = {};
    for (const i of items) (out[i.clientCode] ??= []).push([i.ref, i.openCents]);
    for (const list of Object.values(out)) list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    return out;
  };

  it.each(Object.keys(years.as_of))('at %s, every client has the open items of the oracle', async (asOf) => {
    const inputs = await loadInputs(flags([...pair].reverse(), asOf), config, true, ROOT);
    const want = Object.fromEntries(Object.entries(years.as_of[asOf]!).map(([code, c]) => [code, c.open_items]));
    expect(itemsByClient(inputs.openItems)).toEqual(want);
    expect(inputs.findings.filter((f) => f.code === 'a-nouveau-ecart')).toEqual([]);
  });

  it('leaves no 2025 invoice open once paid in 2026, and its payment is no unapplied credit', async () => {
    const inputs = await loadInputs(flags(pair, '2026-04-30'), config, true, ROOT);
    const refs = inputs.openItems.map((i) => i.ref);
    // Lettered across the year end (C01), through an aggregated opening line (C02, C10),
    // with the opening line lettered too (C05), by a credit note (C04).
    for (const ref of ['FA25-101', 'FA25-201', 'FA25-202', 'FA25-401', 'FA25-501', 'FA25-1001', 'FA25-1002']) expect(refs).not.toContain(ref);
    for (const ref of ['RG26-101', 'RG26-201', 'RG26-501', 'RG26-1001', 'RG26-1002', 'AV26-401']) expect(refs).not.toContain(ref);
    // Paid without lettering (C09) or through opening lines that map to nothing (C08): the
    // payments stay unapplied credits, and the allocation takes them off the invoices.
    expect(allocatedItems(inputs.openItems).filter((i) => i.ref.startsWith('FA25-'))).toEqual([]);
    const owed = Object.fromEntries(Object.entries(years.as_of['2026-04-30']!).filter(([, c]) => c.owed.length > 0).map(([code, c]) => [code, c.owed]));
    expect(itemsByClient(allocatedItems(inputs.openItems))).toEqual(owed);
  });

  it('gives the 2026 payments their 2025 invoices for the payer history, not an old invoice of a reused letter', async () => {
    const inputs = await loadInputs(flags(pair, '2026-04-30'), config, true, ROOT);
    const pieceAt = new Map<string, string>();
    for (const file of pair) readFileSync(file, 'utf8').split('\n').forEach((text, i) => pieceAt.set(`${file}:${i + 1}`, text.split('\t')[8] ?? ''));
    const settles = (ref: string) => inputs.payments.find((p) => pieceAt.get(`${p.source.file}:${p.source.line}`) === ref)?.refs;
    expect(settles('RG26-101')).toEqual(['FA25-101']);
    expect(settles('RG26-201')).toEqual(['FA25-201', 'FA25-202']);
    expect(settles('RG26-1002')).toEqual(['FA25-1002']);
    expect(settles('RG26-601')).toEqual(['FA26-601']);
    expect(settles('RG26-701')).toEqual(['FA26-701']);
  });

  it('read alone, the 2026 file keeps its opening lines, lettered with their payments, and gives the same balances', async () => {
    const inputs = await loadInputs(flags([pair[1]!], '2026-04-30'), config, true, ROOT);
    const want = Object.fromEntries(Object.entries(years.as_of['2026-04-30']!).map(([code, c]) => [code, c.balance_cents]));
    expect(nonZero(perClient(inputs.openItems))).toEqual(nonZero(want));
    // C01's opening line is not lettered (its invoice carries the letter, in 2025): alone, it stays open beside the payment.
    expect(inputs.openItems.filter((i) => i.ref === 'AN').map((i) => [i.clientCode, i.openCents])).toEqual([['C01', 120000], ['C09', 150000]]);
  });
});
