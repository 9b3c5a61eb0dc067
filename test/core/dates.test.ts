import { describe, expect, it } from 'vitest';
import { addDays, BAD_DATE, daysBetween, endOfMonth, impossibleDate, parseDate } from '../../src/core/dates.js';
import { dueDateFromTerms, parseTerms } from '../../src/core/terms.js';

describe('parseDate', () => {
  it.each([
    ['16/11/2026', '2026-11-16'],
    ['16/11/26', '2026-11-16'],
    ['161126', '2026-11-16'],
    ['20261116', '2026-11-16'],
    ['16112026', '2026-11-16'],
    ['2026-11-16', '2026-11-16'],
    ['16-11-2026', '2026-11-16'],
    ['16.11.2026', '2026-11-16'],
    ['1/2/2026', '2026-02-01'],
    ['16/11/2026 00:00:00', '2026-11-16'],
    ['2026-11-16T10:00:00', '2026-11-16'],
    ['29/02/2024', '2024-02-29'],
    ['31/12/99', '1999-12-31'],
  ])('reads %j as %s', (text, iso) => {
    expect(parseDate(text)).toBe(iso);
  });

  it.each(['', '  ', '01/01/1900', '1900-01-01', '00/00/0000', '000000', '00000000'])('reads %j as no date', (text) => {
    expect(parseDate(text)).toBeNull();
  });

  it.each(['31/02/2026', '29/02/2025', '2026-13-01', '16/11', 'demain', '1611', '16/11/2026/1', '32012026'])(
    'rejects %j',
    (text) => {
      expect(parseDate(text)).toBe(BAD_DATE);
    },
  );
});

describe('impossibleDate', () => {
  it.each([
    ['31/02/2026', "février 2026 n'a que 28 jours", '2026-02-28'],
    ['2026-02-30', "février 2026 n'a que 28 jours", '2026-02-28'],
    ['30/02/2024', "février 2024 n'a que 29 jours", '2024-02-29'],
    ['31/04/2026', "avril 2026 n'a que 30 jours", '2026-04-30'],
    ['20260431', "avril 2026 n'a que 30 jours", '2026-04-30'],
    ['2026-13-01', "il n'y a que 12 mois, pas de mois 13", null],
    ['00/11/2026', "il n'y a pas de jour 0", null],
    ['32/01/2026', "aucun mois n'a 32 jours", null],
  ])('%j is impossible: %s', (text, reason, lastDay) => {
    expect(parseDate(text)).toBe(BAD_DATE);
    expect(impossibleDate(text)).toEqual({ reason, lastDay });
  });

  it.each(['16/11/2026', '', 'le 22', '2026-11', '01/01/1900', '12/05/3026'])('%j is a real date, blank, illegible or out of range: not impossible', (text) => {
    expect(impossibleDate(text)).toBeNull();
  });
});

describe('calendar arithmetic', () => {
  it('adds days across months and leap years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-10-22', '2026-11-16')).toBe(25);
    expect(endOfMonth('2026-02-10')).toBe('2026-02-28');
  });
});

describe('payment terms', () => {
  it.each([
    ['30 jours', { days: 30, endOfMonth: false }],
    ['30 j net', { days: 30, endOfMonth: false }],
    ['45 jours fin de mois', { days: 45, endOfMonth: true }],
    ['45 j FDM', { days: 45, endOfMonth: true }],
    ['60', { days: 60, endOfMonth: false }],
    ['À réception', { days: 0, endOfMonth: false }],
    ['Comptant', { days: 0, endOfMonth: false }],
  ])('reads %j', (text, terms) => {
    expect(parseTerms(text)).toEqual(terms);
  });

  it('gives nothing for text without terms', () => {
    expect(parseTerms('selon accord')).toBeNull();
  });

  it('computes due dates, end of month after the days', () => {
    expect(dueDateFromTerms('2026-10-09', { days: 30, endOfMonth: false })).toBe('2026-11-08');
    expect(dueDateFromTerms('2026-10-09', { days: 45, endOfMonth: true })).toBe('2026-11-30');
  });
});
