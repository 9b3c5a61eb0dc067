import { describe, expect, it } from 'vitest';
import { epcAmount, epcPayload, ibanValid, PaymentDetailsError, remittanceOf } from '../../src/core/epc.js';

const TRANSFER = { name: 'Lumen Éclairage SAS', iban: 'FR76 1254 8029 9800 0456 7890 174', bic: 'CMCIFR2A', amountCents: 123_456, remittance: 'FA2026-0030, FA2026-0033' };

describe('EPC069-12 payload (SEPA credit transfer QR code)', () => {
  it('writes the twelve elements of version 002, UTF-8, the IBAN without spaces, the last filled one ending the payload', () => {
    expect(epcPayload(TRANSFER)).toBe(
      ['BCD', '002', '1', 'SCT', 'CMCIFR2A', 'Lumen Éclairage SAS', 'FR7612548029980004567890174', 'EUR1234.56', '', '', 'FA2026-0030, FA2026-0033'].join('\n'),
    );
  });

  it('writes the amount in euros with a dot and two decimals, from 0,01 € to 999 999 999,99 €', () => {
    expect(epcAmount(1)).toBe('EUR0.01');
    expect(epcAmount(100_000)).toBe('EUR1000.00');
    expect(epcAmount(99_999_999_999)).toBe('EUR999999999.99');
  });

  it('never makes a QR code for nothing owed, nor beyond the ceiling', () => {
    for (const amountCents of [0, -500, 100_000_000_000, 12.5]) {
      expect(() => epcPayload({ ...TRANSFER, amountCents })).toThrow(PaymentDetailsError);
    }
    expect(() => epcPayload({ ...TRANSFER, amountCents: 0 })).toThrow(/montant impossible pour un code QR de virement : 0,00\s€/);
  });

  it('checks the IBAN key (mod 97) and refuses a wrong one clearly', () => {
    expect(ibanValid('FR76 1254 8029 9800 0456 7890 174')).toBe(true);
    expect(ibanValid('fr7630006000011234567890189')).toBe(true);
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('FR76 1254 8029 9800 0456 7890 175')).toBe(false);
    expect(ibanValid('FR77 1254 8029 9800 0456 7890 174')).toBe(false);
    expect(() => epcPayload({ ...TRANSFER, iban: 'FR76 1254 8029 9800 0456 7890 175' })).toThrow(
      'IBAN invalide dans la configuration (company.iban) : « FR76 1254 8029 9800 0456 7890 175 » (clé de contrôle fausse, ISO 13616) ; aucun code QR de virement n\'est produit.',
    );
    expect(() => epcPayload({ ...TRANSFER, bic: 'CMCI' })).toThrow(/BIC invalide/);
  });

  it('cuts the beneficiary name to 70 characters', () => {
    const name = `${'Société '.repeat(12)}SAS`;
    expect(epcPayload({ ...TRANSFER, name }).split('\n')[5]).toBe(name.slice(0, 70));
    expect(epcPayload({ ...TRANSFER, name }).split('\n')[5]).toHaveLength(70);
  });
});

describe('remittance text: the invoice refs, none cut', () => {
  it('joins the refs when they fit in 140 characters', () => {
    expect(remittanceOf(['FA2026-0030'])).toBe('FA2026-0030');
    expect(remittanceOf(['FA2026-0030', 'FA2026-0033', 'FA2026-0036'])).toBe('FA2026-0030, FA2026-0033, FA2026-0036');
  });

  it('keeps the refs that fit, whole, and counts the others', () => {
    const refs = Array.from({ length: 60 }, (_, i) => `FA2026-${String(500 + i).padStart(4, '0')}`);
    const text = remittanceOf(refs);
    expect(text.length).toBeLessThanOrEqual(140);
    const [kept, more] = text.split(' +');
    const listed = kept!.split(', ');
    expect(listed).toEqual(refs.slice(0, listed.length));
    expect(Number(more)).toBe(60 - listed.length);
    expect(text).toBe(`${refs.slice(0, 10).join(', ')} +50`);
  });

  it('says how many invoices when not even one ref fits', () => {
    expect(remittanceOf(['X'.repeat(150), 'Y'])).toBe('2 factures');
  });
});
