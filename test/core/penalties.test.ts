import { describe, expect, it } from 'vitest';
import { latePenalty, penaltiesForInvoice, presumedNoticeReceipt } from '../../src/core/penalties.js';
import { LATE_PAYMENT_RATES, LEGAL_INTEREST_RATES, penaltyTablesFrom, rateOn } from '../../src/core/rates.js';
import { ConfigError } from '../../src/errors.js';

const tables = penaltyTablesFrom();
const invoice = (dueDate: string, openCents = 1_000_000) => ({ ref: 'FA1', dueDate, openCents });

describe('rate tables', () => {
  it.each([
    ['2022-03-15', 10],
    ['2022-09-30', 10],
    ['2023-01-01', 12.5],
    ['2023-12-31', 14],
    ['2024-02-29', 14.5],
    ['2024-07-01', 14.25],
    ['2025-01-01', 13.15],
    ['2025-06-30', 13.15],
    ['2025-07-01', 12.15],
    ['2026-01-01', 12.15],
    ['2026-06-30', 12.15],
  ])('late-payment rate (ECB + 10 points) on %s is %s %%', (date, rate) => {
    expect(rateOn(LATE_PAYMENT_RATES, date)).toMatchObject({ ratePercent: rate, extrapolated: false });
  });

  it.each([
    ['2022-01-01', 0.76],
    ['2023-07-01', 4.22],
    ['2024-01-01', 5.07],
    ['2025-01-01', 3.71],
    ['2025-07-01', 2.76],
    ['2026-01-01', 2.62],
  ])('legal interest rate (autres cas) on %s is %s %%', (date, rate) => {
    expect(rateOn(LEGAL_INTEREST_RATES, date)).toMatchObject({ ratePercent: rate, extrapolated: false });
  });

  it('has one entry per half-year, oldest first, with no gap', () => {
    for (const table of [LATE_PAYMENT_RATES, LEGAL_INTEREST_RATES]) {
      for (let i = 1; i < table.length; i++) {
        const prev = table[i - 1]!.from;
        const expected = prev.slice(5) === '01-01' ? `${prev.slice(0, 4)}-07-01` : `${+prev.slice(0, 4) + 1}-01-01`;
        expect(table[i]!.from).toBe(expected);
      }
    }
  });

  it('flags a date after the last known half-year instead of using its rate silently', () => {
    expect(rateOn(LATE_PAYMENT_RATES, '2026-07-01')).toEqual({ ratePercent: 12.15, source: { year: 2026, half: 1 }, extrapolated: true });
  });

  it('takes the half-years the config adds, and replaces a shipped one', () => {
    const t = penaltyTablesFrom({ rates: [{ from: '2026-07-01', ratePercent: 12 }, { from: '2026-01-01', ratePercent: 11 }] });
    expect(rateOn(t.latePayment, '2026-11-16')).toMatchObject({ ratePercent: 12, extrapolated: false });
    expect(rateOn(t.latePayment, '2026-03-01')).toMatchObject({ ratePercent: 11, extrapolated: false });
    expect(rateOn(t.legalInterest, '2026-11-16')).toMatchObject({ ratePercent: 2.62, extrapolated: true });
  });

  it('rejects a config rate that does not start a half-year, naming the key', () => {
    expect(() => penaltyTablesFrom({ legalInterestRates: [{ from: '2026-03-15', ratePercent: 3 }] })).toThrow(ConfigError);
    expect(() => penaltyTablesFrom({ legalInterestRates: [{ from: '2026-03-15', ratePercent: 3 }] })).toThrow(
      'penalties.legalInterestRates.0.from : « 2026-03-15 » n\'est pas le début d\'un semestre.',
    );
  });
});

describe('latePenalty', () => {
  it.each([
    // The published cases.
    ['5 000 € × 10 % × 30/365 = 41,10 €', 500_000, '2022-03-01', '2022-03-31', 4110],
    ['10 000 €, 30 days in the 1st half of 2026 at 12,15 % = 99,86 €', 1_000_000, '2026-03-01', '2026-03-31', 9986],
    ['10 000 € due 15/06/2025 paid 15/07/2025 = 103,97 €', 1_000_000, '2025-06-15', '2025-07-15', 10397],
    // Actual/365 even over 29 February: 30 days at 14,5 %.
    ['10 000 € over 29/02/2024', 1_000_000, '2024-02-01', '2024-03-02', 11918],
    ['one day at 13,15 % on 1 000 €', 100_000, '2025-03-01', '2025-03-02', 36],
    ['not yet due', 1_000_000, '2026-11-20', '2026-11-16', 0],
    ['due today', 1_000_000, '2026-11-16', '2026-11-16', 0],
  ])('%s', (_, amount, due, until, cents) => {
    expect(latePenalty(amount, due, until, LATE_PAYMENT_RATES).cents).toBe(cents);
  });

  it('computes 5 000 € at a fixed 10 % the same way', () => {
    expect(latePenalty(500_000, '2026-03-01', '2026-03-31', 10)).toEqual({
      cents: 4110, days: 30, extrapolated: false, gaps: [], note: null,
      parts: [{ from: '2026-03-02', to: '2026-03-31', days: 30, ratePercent: 10, cents: 4110, extrapolated: false }],
    });
  });

  it('splits at the half-year boundary, each part at its own rate', () => {
    expect(latePenalty(1_000_000, '2025-06-15', '2025-07-15', LATE_PAYMENT_RATES)).toEqual({
      cents: 10397,
      days: 30,
      extrapolated: false,
      gaps: [],
      note: null,
      parts: [
        { from: '2025-06-16', to: '2025-06-30', days: 15, ratePercent: 13.15, cents: 5404, extrapolated: false },
        { from: '2025-07-01', to: '2025-07-15', days: 15, ratePercent: 12.15, cents: 4993, extrapolated: false },
      ],
    });
  });

  it('rounds once: the parts add up to the total even when each part rounds down', () => {
    // 333,33 € over three half-years: each part's share has a fraction of a cent.
    const p = latePenalty(33_333, '2024-06-15', '2025-02-10', LATE_PAYMENT_RATES);
    expect(p.parts.map((x) => [x.from, x.to, x.days, x.ratePercent])).toEqual([
      ['2024-06-16', '2024-06-30', 15, 14.5],
      ['2024-07-01', '2024-12-31', 184, 14.25],
      ['2025-01-01', '2025-02-10', 41, 13.15],
    ]);
    expect(p.days).toBe(240);
    // 33 333 × (14,5 × 15 + 14,25 × 184 + 13,15 × 41) / 36 500 = 3 085,49… cents, whose
    // parts are 198,63 + 2 394,48 + 492,37: floored they make 3 084, the missing cent
    // goes to the largest remainder.
    expect(p.cents).toBe(3085);
    expect(p.parts.map((x) => x.cents)).toEqual([199, 2394, 492]);
    expect(p.parts.reduce((s, x) => s + x.cents, 0)).toBe(p.cents);
  });

  it('uses the last known rate after the table, flags the missing half-years, and states the rate used, not its publication', () => {
    const p = latePenalty(1_000_000, '2026-06-15', '2026-11-16', LATE_PAYMENT_RATES);
    expect(p.extrapolated).toBe(true);
    expect(p.gaps).toEqual([{ used: { year: 2026, half: 1 }, missing: [{ year: 2026, half: 2 }], ratePercent: 12.15 }]);
    expect(p.note).toBe('taux de 12,15\u00a0% retenu pour le 2e semestre 2026');
    expect(p.parts.map((x) => [x.days, x.ratePercent, x.extrapolated])).toEqual([[15, 12.15, false], [139, 12.15, true]]);
    const later = latePenalty(1_000_000, '2026-06-15', '2027-02-01', LATE_PAYMENT_RATES);
    expect(later.note).toBe('taux de 12,15\u00a0% retenu pour le 2e semestre 2026 et le 1er semestre 2027');
    expect(later.note).not.toContain('publié');
  });
});

describe('penaltiesForInvoice', () => {
  it('adds the 40 € indemnity to the interest between professionals (10 000 €, 30 days, 1st half of 2026)', () => {
    const p = penaltiesForInvoice(invoice('2026-03-01'), { consumer: false }, '2026-03-31', tables);
    expect(p).toMatchObject({ daysLate: 30, basis: 'taux-bce', interestCents: 9986, indemnityCents: 4000, totalCents: 13986, notes: [] });
  });

  it('gives a consumer the legal interest rate and no indemnity', () => {
    // 10 000 € × 2,62 % × 30/365 = 21,53 €
    const p = penaltiesForInvoice(invoice('2026-03-01'), { consumer: true, contractualRatePercent: 15, consumerInterestAfter: '2026-03-01' }, '2026-03-31', tables);
    expect(p).toMatchObject({ basis: 'taux-legal', interestCents: 2153, indemnityCents: 0, totalCents: 2153 });
    expect(p.interest.parts[0]!.ratePercent).toBe(2.62);
  });

  it('owes nothing on an invoice not yet due', () => {
    expect(penaltiesForInvoice(invoice('2026-11-21'), { consumer: false }, '2026-11-16', tables)).toMatchObject({
      daysLate: 0, interestCents: 0, indemnityCents: 0, totalCents: 0,
    });
  });

  it('replaces the table with a contractual rate', () => {
    // 10 000 € × 15 % × 30/365 = 123,29 €
    const p = penaltiesForInvoice(invoice('2026-03-01'), { consumer: false, contractualRatePercent: 15 }, '2026-03-31', tables);
    expect(p).toMatchObject({ basis: 'taux-contractuel', interestCents: 12329, indemnityCents: 4000, contractualBelowFloor: false, notes: [] });
  });

  it('flags a contractual rate below three times the legal interest rate', () => {
    const p = penaltiesForInvoice(invoice('2026-03-01'), { consumer: false, contractualRatePercent: 5 }, '2026-03-31', tables);
    expect(p.contractualBelowFloor).toBe(true);
    expect(p.interestCents).toBe(4110);
    expect(p.notes).toEqual([
      'taux contractuel de 5,00\u00a0% inférieur au minimum légal de trois fois le taux de l\'intérêt légal (7,86\u00a0% à partir du 02/03/2026, article L441-10 du Code de commerce)',
    ]);
  });

  it('tells the sender which half-year the table lacks, and lists it as a missing rate', () => {
    const p = penaltiesForInvoice(invoice('2026-10-01'), { consumer: false }, '2026-11-16', tables);
    expect(p.notes).toEqual(["la table des taux des pénalités de retard (taux BCE + 10 points, article L441-10 du Code de commerce) n'a pas de taux pour le 2e semestre 2026"]);
    expect(p.missingRates).toEqual([{ table: 'latePayment', used: { year: 2026, half: 1 }, missing: [{ year: 2026, half: 2 }], ratePercent: 12.15 }]);
    expect(p.interest.extrapolated).toBe(true);
  });

  it('reports no missing rate once the config adds the half-year (penalties.rates)', () => {
    const added = penaltyTablesFrom({ rates: [{ from: '2026-07-01', ratePercent: 12 }] });
    const p = penaltiesForInvoice(invoice('2026-10-01'), { consumer: false }, '2026-11-16', added);
    expect(p.missingRates).toEqual([]);
    expect(p.notes).toEqual([]);
    expect(p.interest.note).toBeNull();
  });

  it('has no missing rate with a contractual rate (no table needed)', () => {
    const p = penaltiesForInvoice(invoice('2026-10-01'), { consumer: false, contractualRatePercent: 15 }, '2026-11-16', tables);
    expect(p.missingRates).toEqual([]);
  });
});

describe('consumer interest runs from the formal notice (Code civil art. 1231-6)', () => {
  const due = '2026-03-01';
  it.each([
    // [case, consumerInterestAfter, asOf, interest cents, first day counted]
    ['art. 1231-6: no formal notice, no interest, however late', null, '2026-06-30', 0, null],
    ['art. 1231-6: notice received 31/03: interest from 01/04 only (10 000 € × 2,62 % × 30/365)', '2026-03-31', '2026-04-30', 2153, '2026-04-01'],
    ['art. 1231-6: notice received before the due date: interest from the day after the due date', '2026-02-15', '2026-03-31', 2153, '2026-03-02'],
    ['art. 1231-6: notice not yet received on the as-of date: nothing yet', '2026-05-10', '2026-05-01', 0, null],
  ])('%s', (_, after, asOf, cents, from) => {
    const p = penaltiesForInvoice(invoice(due), { consumer: true, consumerInterestAfter: after }, asOf, tables);
    expect(p).toMatchObject({ basis: 'taux-legal', interestCents: cents, indemnityCents: 0, totalCents: cents, interestFrom: from });
  });

  it.each([
    ['L441-10: a professional owes penalties from the day after the due date, with or without a notice', { consumer: false }, 9986 + 4000],
    ['L441-10: the notice date given for a professional is ignored', { consumer: false, consumerInterestAfter: '2026-03-20' }, 9986 + 4000],
    ['D441-5: the 40 € indemnity is for professionals only, not for a consumer after a notice', { consumer: true, consumerInterestAfter: '2026-03-01' }, 2153],
  ])('%s', (_, terms, total) => {
    expect(penaltiesForInvoice(invoice(due), terms, '2026-03-31', tables).totalCents).toBe(total);
  });

  it('art. 1231-6: the notice is presumed received 18 days after it was sent (3 days to present it, 15 held at the post office)', () => {
    expect(presumedNoticeReceipt('2026-11-02')).toBe('2026-11-20');
  });
});
