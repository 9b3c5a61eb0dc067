import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OpenItem, Payment, Client } from '../../src/core/records.js';
import { loadConfig } from '../../src/config.js';
import { loadInputs } from '../../src/read/inputs.js';
import { readTabular } from '../../src/read/tabular.js';
import { fixture, ROOT } from '../helpers.js';

interface ExpectedItem { ref: string; docDate: string; dueDate: string | null; originalCents: number; openCents: number }
interface ExpectedClient { code: string; name: string; balanceCents: number; openItems: ExpectedItem[]; emails: string[]; terms: string; type: string; excluded: boolean }
const expected = JSON.parse(readFileSync(fixture('company/expected.json'), 'utf8')) as {
  asOf: string;
  clients: ExpectedClient[];
  totals: { balanceCents: number; openItemCount: number; payments2026Cents: number };
  payments2026: { clientCode: string; date: string; amountCents: number; refs: string[] }[];
};
const options = { cwd: ROOT, encoding: null, profile: null, columns: {} };
const SOFTWARE = [
  ['sage100', 'windows-1252', 'sage100'],
  ['sage50', 'windows-1252', 'sage50'],
  ['cegid', 'utf-8', 'cegid'],
  ['ebp', 'iso-8859-15', 'ebp'],
] as const;

const expectedItems = expected.clients
  .flatMap((c) => c.openItems.map((i) => ({ clientCode: c.code, ref: i.ref, docDate: i.docDate, dueDate: i.dueDate, originalCents: i.originalCents, openCents: i.openCents })))
  .sort((a, b) => a.ref.localeCompare(b.ref));

describe.each(SOFTWARE)('the fixture company as %s exports it', (dir, encoding, profile) => {
  it('reads the aged balance into the same open items, to the cent', async () => {
    const { report, records, findings } = await readTabular(fixture(`${dir}/balance.csv`), null, options);
    expect(report.kind).toBe('balance');
    expect(report.profile).toBe(profile);
    expect(report.encoding).toBe(encoding);
    expect(report.exportDate).toBe('2026-11-16');
    expect(findings.filter((f) => f.severity === 'erreur')).toEqual([]);
    const items = (records as OpenItem[])
      .map((r) => ({ clientCode: r.clientCode, ref: r.ref, docDate: r.docDate, dueDate: r.dueDate, originalCents: r.originalCents, openCents: r.openCents }))
      .sort((a, b) => a.ref.localeCompare(b.ref));
    expect(items).toEqual(expectedItems);
    expect(items.reduce((s, i) => s + i.openCents, 0)).toBe(expected.totals.balanceCents);
    expect(report.totals.length).toBeGreaterThan(0);
    expect(report.totals.every((t) => t.declaredCents === t.computedCents)).toBe(true);
  });

  it('reads the payments with the invoices they settle', async () => {
    const { report, records } = await readTabular(fixture(`${dir}/reglements.csv`), null, options);
    expect(report.kind).toBe('payments');
    const payments = records as Payment[];
    expect(payments.reduce((s, p) => s + p.amountCents, 0)).toBe(expected.totals.payments2026Cents);
    const refs = new Set(payments.flatMap((p) => p.refs));
    for (const p of expected.payments2026) for (const r of p.refs) expect(refs).toContain(r);
  });

  it('reads the clients with their e-mails, terms and exclusions', async () => {
    const { report, records } = await readTabular(fixture(`${dir}/clients.csv`), null, options);
    expect(report.kind).toBe('clients');
    const clients = records as Client[];
    expect(clients.map((c) => c.clientCode).sort()).toEqual(expected.clients.map((c) => c.code).sort());
    for (const want of expected.clients) {
      const got = clients.find((c) => c.clientCode === want.code)!;
      expect(got.clientName).toBe(want.name);
      expect(got.emails).toEqual(want.emails);
      expect(got.excluded).toBe(want.excluded);
    }
  });
});

describe('due dates missing from the file', () => {
  it('are derived from the client terms and marked as derived', async () => {
    const flags = { balance: [fixture('sage100/balance.csv')], payments: [], clients: [fixture('sage100/clients.csv')], fec: [], ledger: [], files: [], sheet: null, asOf: '2026-11-16', profile: null, encoding: null };
    const inputs = await loadInputs(flags, loadConfig(null, ROOT), true, ROOT);
    const derived = inputs.openItems.filter((i) => i.dueDateDerived);
    const withoutDue = expectedItems.filter((i) => i.dueDate === null);
    expect(derived.map((i) => i.ref).sort()).toEqual(withoutDue.map((i) => i.ref).sort());
    for (const item of derived) expect(item.dueDate).not.toBeNull();
  });
});
