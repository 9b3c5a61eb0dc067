import { describe, expect, it } from 'vitest';
import {
  invoiceKey,
  latePenaltiesOf,
  NO_WAIVERS,
  paidLateFromLedger,
  paidLateFromPayments,
  type LatePenaltiesInput,
  type PaidLateInvoice,
} from '../../src/core/late-payments.js';
import type { FecLine } from '../../src/core/ledger.js';
import { penaltyTablesFrom } from '../../src/core/rates.js';
import { payment } from '../builders.js';

const TABLES = penaltyTablesFrom();
const PERIOD = { from: '2026-01-01', to: '2026-06-30' };

/** An invoice of C1 due 2026-01-31, paid late by the given receipts. */
function paidLate(receipts: [date: string, cents: number | null][], over: Partial<PaidLateInvoice> = {}): PaidLateInvoice {
  return {
    clientCode: 'C1', clientName: 'Client 1', ref: 'FA1', dueDate: '2026-01-31', dueDateDerived: false, origin: 'reglements',
    receipts: receipts.map(([date, cents]) => ({ date, cents, unknownWhy: cents === null ? 'règlement commun' : null })), ...over,
  };
}

function reportOf(invoices: PaidLateInvoice[], over: Partial<LatePenaltiesInput> = {}) {
  return latePenaltiesOf({
    period: PERIOD, asOf: '2026-06-30', invoices, clients: new Map([['C1', { consumer: false, segment: 'occasionnel' }]]), openRefs: new Set(),
    tables: TABLES, contractualRatePercent: null, whenRateMissing: 'refuse', waivers: NO_WAIVERS, ...over,
  });
}

describe('penalties on invoices paid late (Code de commerce L441-10, D441-5)', () => {
  // 1 000 € at 12,15 % (1st half-year 2026): 1 000 × 12,15 % × days / 365.
  it.each([
    ['L441-10: 10 days late, interest from the day after the due date to the payment date', [['2026-02-10', 100_000]], 333, 4000],
    ['L441-10: 30 days late on 1 000 €', [['2026-03-02', 100_000]], 999, 4000],
    ['L441-10: interest on the amount paid late only (400 € of the invoice)', [['2026-03-02', 40_000]], 399, 4000],
    ['L441-10 and D441-5: paid in two late payments, interest on each, one 40 € indemnity', [['2026-02-10', 50_000], ['2026-03-02', 50_000]], 166 + 499, 4000],
  ] as const)('%s', (_name, receipts, interest, indemnity) => {
    const r = reportOf([paidLate(receipts.map(([d, c]) => [d, c]))]);
    const inv = r.clients[0]!.invoices[0]!;
    expect(inv.interestCents).toBe(interest);
    expect(inv.indemnityCents).toBe(indemnity);
    expect(inv.totalCents).toBe(interest + indemnity);
    expect(r.clients[0]!.totalCents).toBe(interest + indemnity);
  });

  it('L441-10: a payment on the due date is not late, and neither is one before it', () => {
    expect(paidLateFromPayments([payment(0), payment(-3)])).toEqual([]);
    expect(paidLateFromPayments([payment(1)])[0]!.receipts).toEqual([{ date: '2026-02-01', cents: 100_000, unknownWhy: null }]);
  });

  it('L441-10: a payment shared by several invoices states no interest (the split is unknown), D441-5: still 40 € each', () => {
    const shared = payment(10, 300_000, {
      refs: ['FA1', 'FA2'],
      settles: [{ ref: 'FA1', docDate: null, dueDate: '2026-01-31' }, { ref: 'FA2', docDate: null, dueDate: '2026-02-05' }],
    });
    const found = paidLateFromPayments([shared]);
    expect(found.map((f) => [f.ref, f.receipts[0]!.cents])).toEqual([['FA1', null], ['FA2', null]]);
    const r = reportOf(found);
    const c = r.clients[0]!;
    expect(c.invoices.map((i) => [i.ref, i.interestCents, i.indemnityCents, i.incomplete])).toEqual([['FA1', 0, 4000, true], ['FA2', 0, 4000, true]]);
    expect(c.invoices[0]!.receipts[0]!.unstated).toContain('montant reçu par cette facture inconnu');
    expect(c.incomplete).toBe(true);
  });

  it('D441-5: no indemnity here for an invoice still open (its reminders claim it)', () => {
    const r = reportOf([paidLate([['2026-02-10', 50_000]])], { openRefs: new Set([invoiceKey('C1', 'FA1')]) });
    const inv = r.clients[0]!.invoices[0]!;
    expect(inv.indemnityCents).toBe(0);
    expect(inv.indemnityWhy).toContain('encore ouverte');
    expect(inv.interestCents).toBe(166);
  });

  it('D441-5: the indemnity goes with the first late payment, not again in a later period', () => {
    const r = reportOf([paidLate([['2025-12-20', 50_000], ['2026-02-10', 50_000]], { dueDate: '2025-12-01' })]);
    const inv = r.clients[0]!.invoices[0]!;
    expect(inv.receipts.map((x) => x.date)).toEqual(['2026-02-10']);
    expect(inv.indemnityCents).toBe(0);
    expect(inv.indemnityWhy).toContain('20/12/2025');
  });

  it('L441-10 and D441-5 apply between professionals only: a consumer gets nothing, and is said', () => {
    const r = reportOf([paidLate([['2026-02-10', 100_000]])], { clients: new Map([['C1', { consumer: true, segment: null }]]) });
    expect(r.clients).toEqual([]);
    expect(r.consumers).toEqual([{ clientCode: 'C1', clientName: 'Client 1', invoices: 1 }]);
    expect(r.totals.totalCents).toBe(0);
  });

  it('L441-10: the contractual rate replaces ECB + 10 points', () => {
    const r = reportOf([paidLate([['2026-03-02', 100_000]])], { contractualRatePercent: 15 });
    expect(r.basis).toBe('taux-contractuel');
    expect(r.clients[0]!.invoices[0]!.interestCents).toBe(1233); // 1 000 € × 15 % × 30 / 365
  });

  it('L441-10: a half-year without a rate states no interest under refuse, and the last known rate, said, under lastKnown', () => {
    const late = paidLate([['2026-07-31', 100_000]], { dueDate: '2026-07-01' });
    const period = { from: '2026-07-01', to: '2026-12-31' };
    const refused = reportOf([late], { period });
    expect(refused.clients[0]!.invoices[0]!.interestCents).toBe(0);
    expect(refused.clients[0]!.invoices[0]!.receipts[0]!.interestCents).toBeNull();
    expect(refused.clients[0]!.invoices[0]!.indemnityCents).toBe(4000);
    expect(refused.notes.join('\n')).toContain('2e semestre 2026');
    // Due in June, paid in July: the June days keep their rate, the July days are not counted.
    const across = reportOf([paidLate([['2026-07-10', 100_000]], { dueDate: '2026-06-20' })], { period });
    expect(across.clients[0]!.invoices[0]!.interestCents).toBe(333); // 10 days of June at 12,15 %
    expect(across.clients[0]!.invoices[0]!.incomplete).toBe(true);
    const known = reportOf([late], { period, whenRateMissing: 'lastKnown' });
    expect(known.clients[0]!.invoices[0]!.interestCents).toBe(999);
    expect(known.clients[0]!.footnotes).toEqual(['taux de 12,15\u00a0% retenu pour le 2e semestre 2026']);
  });

  it('L441-10: payments outside the period are not counted', () => {
    expect(reportOf([paidLate([['2026-07-10', 100_000]])]).clients).toEqual([]);
  });

  it.each([
    ['L441-10 waiver: waiveAll lists the penalties but claims none', { ...NO_WAIVERS, waiveAll: true }, 'renonciation générale'],
    ['L441-10 waiver: a segment', { ...NO_WAIVERS, waiveSegments: ['occasionnel' as const] }, 'segment « occasionnel »'],
    ['L441-10 waiver: a client', { ...NO_WAIVERS, waiveClients: ['C1'] }, 'client dispensé'],
    ['L441-10 waiver: below the minimum', { ...NO_WAIVERS, minimumCents: 5000 }, 'minimum'],
    ['L441-10 waiver: none', NO_WAIVERS, null],
  ])('%s', (_name, waivers, why) => {
    const r = reportOf([paidLate([['2026-02-10', 100_000]])], { waivers });
    const c = r.clients[0]!;
    if (why === null) expect(c.waived).toBeNull();
    else expect(c.waived).toContain(why);
    expect(c.totalCents).toBe(4333);
    expect(r.totals.claimedCents).toBe(why === null ? 4333 : 0);
  });
});

/** A customer line of the FEC. */
function line(over: Partial<FecLine>): FecLine {
  return {
    client: 'C1', clientName: 'Client 1', journal: 'VT', ref: 'FA1', docDate: '2026-01-01', date: '2026-01-01', cents: 100_000, group: 'C1\u0001AA',
    letDate: null, dueDate: '2026-01-31', opening: false, payment: false, mode: null, file: 'fec.txt', line: 1, ...over,
  };
}
const noTerms = () => null;

describe('invoices paid late, from the FEC lettering (L441-10)', () => {
  it('L441-10: one invoice, two lettered payments: each payment gave it its amount', () => {
    const { invoices, unknown } = paidLateFromLedger([
      line({}),
      line({ journal: 'BQ', ref: 'RG1', date: '2026-01-20', cents: -40_000, payment: true, line: 2 }),
      line({ journal: 'BQ', ref: 'RG2', date: '2026-02-10', cents: -60_000, payment: true, line: 3 }),
    ], noTerms);
    expect(unknown).toEqual([]);
    expect(invoices.map((i) => [i.ref, i.receipts])).toEqual([['FA1', [{ date: '2026-02-10', cents: 60_000, unknownWhy: null }]]]);
  });

  it('L441-10: one payment for all the invoices of its group: each received its whole amount', () => {
    const { invoices } = paidLateFromLedger([
      line({}),
      line({ ref: 'FA2', dueDate: '2026-02-15', cents: 50_000, line: 2 }),
      line({ journal: 'BQ', ref: 'RG1', date: '2026-02-10', cents: -150_000, payment: true, line: 3 }),
    ], noTerms);
    expect(invoices.map((i) => [i.ref, i.receipts[0]!.cents])).toEqual([['FA1', 100_000]]);
  });

  it('L441-10: several invoices and several payments lettered together: no figure, said', () => {
    const { invoices, unknown } = paidLateFromLedger([
      line({}),
      line({ ref: 'FA2', cents: 50_000, line: 2 }),
      line({ journal: 'BQ', ref: 'RG1', date: '2026-02-10', cents: -70_000, payment: true, line: 3 }),
      line({ journal: 'BQ', ref: 'RG2', date: '2026-02-20', cents: -80_000, payment: true, line: 4 }),
    ], noTerms);
    expect(invoices).toEqual([]);
    expect(unknown.map((u) => u.refs)).toEqual([['FA1', 'FA2']]);
  });

  it('L441-10: a credit note lettered first reduces what was paid late', () => {
    const { invoices } = paidLateFromLedger([
      line({}),
      line({ journal: 'VT', ref: 'AV1', date: '2026-01-15', cents: -30_000, line: 2 }),
      line({ journal: 'BQ', ref: 'RG1', date: '2026-02-10', cents: -70_000, payment: true, line: 3 }),
    ], noTerms);
    expect(invoices[0]!.receipts).toEqual([{ date: '2026-02-10', cents: 70_000, unknownWhy: null }]);
  });

  it('L441-10: a payment lettered with an opening entry (à-nouveau) is not priced: the invoice is in the previous year', () => {
    const { invoices, unknown } = paidLateFromLedger([
      line({ ref: 'AN', journal: 'AN', opening: true, dueDate: null }),
      line({ journal: 'BQ', ref: 'RG1', date: '2026-02-10', cents: -100_000, payment: true, line: 2 }),
    ], () => '2026-01-31');
    expect(invoices).toEqual([]);
    expect(unknown[0]!.why).toContain('report à nouveau');
  });

  it('L441-10: a due date missing from the FEC comes from the terms, and is marked', () => {
    const { invoices } = paidLateFromLedger([
      line({ dueDate: null }),
      line({ journal: 'BQ', ref: 'RG1', date: '2026-02-10', cents: -100_000, payment: true, line: 2 }),
    ], () => '2026-01-31');
    expect(invoices.map((i) => [i.dueDate, i.dueDateDerived])).toEqual([['2026-01-31', true]]);
  });
});

describe('what the statements leave out (journal exclusions) and a client in credit (Code civil art. 1347)', () => {
  const KEY = invoiceKey('C1', 'FA1');
  it.each([
    ['an excluded invoice (payment plan, dispute, write-off)', { excludedInvoices: new Map([[KEY, 'facture contestée']]) }, 'facture contestée'],
    ['L622-21: a client under a proceeding in force', { excludedClients: new Map([['C1', { why: 'procédure', paidBefore: null }]]) }, 'procédure'],
    ['L622-24: an invoice first paid late before a closed proceeding\'s judgment', { excludedClients: new Map([['C1', { why: 'antérieure', paidBefore: '2026-03-01' }]]) }, 'antérieure'],
    ['an invoice first paid late after that judgment', { excludedClients: new Map([['C1', { why: 'antérieure', paidBefore: '2026-02-01' }]]) }, null],
  ] as const)('%s', (_, over, why) => {
    const r = reportOf([paidLate([['2026-02-10', 100_000]])], over as Partial<LatePenaltiesInput>);
    if (why === null) {
      expect(r.excluded).toEqual([]);
      expect(r.clients.map((c) => c.clientCode)).toEqual(['C1']);
    } else {
      expect(r.excluded).toEqual([{ clientCode: 'C1', clientName: 'Client 1', refs: ['FA1'], why }]);
      expect(r.clients).toEqual([]);
      expect(r.totals.totalCents).toBe(0);
    }
  });

  it.each([
    ['no credit: a statement', 0, null],
    ['Code civil art. 1347: a credit covering the penalties (43,33 €)', 36_000, 'solde créditeur de 360,00\u00a0€ : à compenser (article 1347 du Code civil)'],
    ['Code civil art. 1347: a smaller credit, the rest claimed by hand', 1_000, 'solde créditeur de 10,00\u00a0€ : à compenser (article 1347 du Code civil) ; le reste, 33,33\u00a0€, est à réclamer à la main après la compensation'],
  ] as const)('%s', (_, credit, waived) => {
    const r = reportOf([paidLate([['2026-02-10', 100_000]])], { credits: new Map([['C1', credit]]) });
    expect(r.clients[0]!.totalCents).toBe(4333);
    expect(r.clients[0]!.waived).toBe(waived);
    expect(r.totals.claimedCents).toBe(waived === null ? 4333 : 0);
  });
});
