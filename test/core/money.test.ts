import { describe, expect, it } from 'vitest';
import { centsToDecimal, formatEuros, parseCents } from '../../src/core/money.js';

describe('parseCents', () => {
  it.each([
    ['1 234,56', 123456],
    ['1\u00a0234,56', 123456],
    ['1\u202f234,56', 123456],
    ['1.234,56', 123456],
    ['1,234.56', 123456],
    ['1234.56', 123456],
    ['1234,5', 123450],
    ['1234', 123400],
    ['-1 234,56', -123456],
    ['1 234,56-', -123456],
    ['(1 234,56)', -123456],
    ['−45,00', -4500],
    ['+12,00', 1200],
    ['0000000069,60', 6960],
    ['0000000150,00-', -15000],
    ['1.234', 123400],
    ['1.234.567', 123456700],
    ['12,340', 1234],
    ['1 234,56 €', 123456],
    ['EUR 10', 1000],
    ['0,00', 0],
    ['-0,00', 0],
    [',50', 50],
    ['  45 000,00  ', 4500000],
  ])('reads %j as %i cents', (text, cents) => {
    expect(parseCents(text)).toBe(cents);
  });

  it.each(['', '   ', '\u00a0'])('reads blank %j as null', (text) => {
    expect(parseCents(text)).toBeNull();
  });

  it.each(['abc', '12,345', '1.23.4', '1,2,3', '12-34', '1 234,56,78', '--5', '12.3456,00', '1e5', '€'])(
    'rejects %j',
    (text) => {
      expect(parseCents(text)).toBeNaN();
    },
  );
});

describe('formatting', () => {
  it('formats euros the French way', () => {
    expect(formatEuros(123456)).toBe('1\u202f234,56\u00a0€');
    expect(formatEuros(-4000)).toBe('-40,00\u00a0€');
  });
  it('writes plain decimals for CSV', () => {
    expect(centsToDecimal(-123456)).toBe('-1234.56');
    expect(centsToDecimal(5)).toBe('0.05');
  });
});
