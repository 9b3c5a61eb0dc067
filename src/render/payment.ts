import type { Config } from '../config.js';
import { checkPaymentDetails, epcPayload, remittanceOf } from '../core/epc.js';
import type { Cents } from '../core/money.js';
import { qrDataUri } from './qr.js';

/**
 * How a letter lets the client pay what it asks (templates' `payment`): the SEPA QR code
 * (EPC069-12) when the config has the company's IBAN and BIC, and the « Payer en ligne »
 * link when it has `paymentUrl`. Both are null when nothing is asked (amount ≤ 0).
 */
export interface PaymentData {
  /** What the letter asks, after the unapplied credits (never more than it states). */
  amountCents: Cents;
  /** The invoices that amount pays, in the letter's order. */
  refs: string[];
  /** The transfer's remittance text: the refs, none cut (see `remittanceOf`). */
  remittance: string;
  /** The QR code as a `data:image/png;base64,…` URI (the e-mail carries it as an inline `cid:` image), or null. */
  qr: string | null;
  /** `paymentUrl` with `{{ref}}` replaced by the refs (comma-separated, URL-encoded), or null. */
  url: string | null;
  /** True when the amount includes penalties (a B2B formal notice): the QR code then states them. */
  includesPenalties: boolean;
}

/** What is needed for the payment block: the company's bank details and the optional link template. */
export interface PaymentSettings {
  company: Pick<Config['company'], 'name' | 'iban' | 'bic'>;
  paymentUrl?: string | null;
}

export function paymentData(s: PaymentSettings, amountCents: Cents, refs: string[], includesPenalties = false): PaymentData {
  const remittance = remittanceOf(refs);
  const owed = amountCents > 0 && refs.length > 0;
  const { iban, bic, name } = s.company;
  let qr: string | null = null;
  if (iban && bic) {
    // A wrong IBAN is refused even when nothing is asked: it would be printed on the letter.
    checkPaymentDetails(iban, bic);
    if (owed) qr = qrDataUri(epcPayload({ name, iban, bic, amountCents, remittance }));
  }
  const url = owed && s.paymentUrl ? paymentUrlOf(s.paymentUrl, refs) : null;
  return { amountCents: Math.max(0, amountCents), refs, remittance, qr, url, includesPenalties };
}

/** `https://pay.example.fr/{{ref}}` → `https://pay.example.fr/F1%2CF2`. */
export function paymentUrlOf(template: string, refs: string[]): string {
  return template.replace(/\{\{\s*ref\s*\}\}/g, encodeURIComponent(refs.join(',')));
}
