import { RelanceError } from '../errors.js';
import { centsToDecimal, formatEuros, type Cents } from './money.js';

/**
 * The SEPA credit transfer QR code (« code QR de virement », EPC069-12 version 002 of the
 * European Payments Council, « SCT » identification): the payload a banking app reads to
 * prefill a transfer. Pure: the QR image is drawn by render/qr.ts.
 */

/** A company IBAN or BIC that a transfer cannot be made to: no QR code is made from it. */
export class PaymentDetailsError extends RelanceError {}

/** Limits of EPC069-12 v002. */
export const EPC_MAX_NAME = 70;
export const EPC_MAX_REMITTANCE = 140;
export const EPC_MIN_CENTS: Cents = 1;
export const EPC_MAX_CENTS: Cents = 99_999_999_999;
/** The whole payload may not exceed 331 bytes. */
export const EPC_MAX_BYTES = 331;

export interface EpcTransfer {
  /** Beneficiary's name (the company); cut to 70 characters. */
  name: string;
  /** With or without spaces, any case. */
  iban: string;
  bic: string;
  amountCents: Cents;
  /** Unstructured remittance information, at most 140 characters (see `remittanceOf`). */
  remittance: string;
}

/** An IBAN without spaces, upper case: `FR76 3000 …` → `FR7630006…`. */
export function compactIban(iban: string): string {
  return iban.replace(/\s+/g, '').toUpperCase();
}

/** True when the IBAN has the ISO 13616 shape and its check digits hold (mod 97 = 1, ISO 7064). */
export function ibanValid(iban: string): boolean {
  const c = compactIban(iban);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(c)) return false;
  const moved = `${c.slice(4)}${c.slice(0, 4)}`;
  let rest = 0;
  for (const ch of moved) {
    const digits = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

/** Refuses an IBAN whose check digits are wrong, or a malformed BIC: a transfer to it would fail or go astray. */
export function checkPaymentDetails(iban: string, bic: string): void {
  if (!ibanValid(iban)) {
    throw new PaymentDetailsError(
      `IBAN invalide dans la configuration (company.iban) : « ${iban} » (clé de contrôle fausse, ISO 13616) ; aucun code QR de virement n'est produit.`,
      `recopiez l'IBAN depuis votre RIB : une seule erreur de chiffre fausse la clé de contrôle.`,
    );
  }
  if (!/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic.trim().toUpperCase())) {
    throw new PaymentDetailsError(
      `BIC invalide dans la configuration (company.bic) : « ${bic} » ; aucun code QR de virement n'est produit.`,
      `le BIC a 8 ou 11 caractères (par exemple AGRIFRPP ou AGRIFRPP882), voir votre RIB.`,
    );
  }
}

/** `EUR1234.56`: the amount element of the payload. */
export function epcAmount(cents: Cents): string {
  return `EUR${centsToDecimal(cents)}`;
}

/**
 * The remittance text for a list of invoice refs, at most `max` characters: the refs
 * separated by `, `. A ref is never cut: when they do not all fit, the ones that fit are
 * kept in order and `+N` tells how many are left out (« F1, F2, F3 +4 »); when not even
 * one fits, « N factures ».
 */
export function remittanceOf(refs: string[], max = EPC_MAX_REMITTANCE): string {
  const clean = refs.map((r) => r.replace(/\s+/g, ' ').trim()).filter((r) => r.length > 0);
  const all = clean.join(', ');
  if (all.length <= max) return all;
  for (let kept = clean.length - 1; kept >= 1; kept--) {
    const text = `${clean.slice(0, kept).join(', ')} +${clean.length - kept}`;
    if (text.length <= max) return text;
  }
  return `${clean.length} factures`.slice(0, max);
}

/** Cuts to `max` characters without splitting a UTF-16 surrogate pair. */
function cut(text: string, max: number): string {
  return [...text].slice(0, max).join('');
}

/**
 * The EPC069-12 v002 payload, lines separated by LF: BCD, 002, 1 (UTF-8), SCT, BIC,
 * name, IBAN, amount, purpose (empty), structured reference (empty), unstructured
 * remittance; the beneficiary-to-originator information is empty and, as the standard
 * asks, the last filled element is not followed by a separator. Refuses a bad IBAN or
 * BIC, and an amount outside 0,01 €–999 999 999,99 € (never a QR code for nothing owed).
 */
export function epcPayload(t: EpcTransfer): string {
  checkPaymentDetails(t.iban, t.bic);
  if (!Number.isInteger(t.amountCents) || t.amountCents < EPC_MIN_CENTS || t.amountCents > EPC_MAX_CENTS) {
    throw new PaymentDetailsError(
      `montant impossible pour un code QR de virement : ${Number.isFinite(t.amountCents) ? formatEuros(t.amountCents) : String(t.amountCents)} (de 0,01 € à 999 999 999,99 €).`,
      `un code QR n'est produit que pour une somme à payer.`,
    );
  }
  const name = cut(t.name.replace(/\s+/g, ' ').trim(), EPC_MAX_NAME);
  if (name.length === 0) {
    throw new PaymentDetailsError(`nom du bénéficiaire vide pour le code QR de virement.`, `renseignez company.name dans la configuration.`);
  }
  const remittance = t.remittance.replace(/\s+/g, ' ').trim();
  if ([...remittance].length > EPC_MAX_REMITTANCE) {
    throw new PaymentDetailsError(
      `libellé de virement trop long (${[...remittance].length} caractères, 140 au plus) : « ${remittance} ».`,
      `un libellé se construit avec remittanceOf, qui ne coupe aucune référence.`,
    );
  }
  const lines = ['BCD', '002', '1', 'SCT', t.bic.trim().toUpperCase(), name, compactIban(t.iban), epcAmount(t.amountCents), '', '', remittance];
  const payload = lines.join('\n').replace(/\n+$/, '');
  const bytes = new TextEncoder().encode(payload).length;
  if (bytes > EPC_MAX_BYTES) {
    throw new PaymentDetailsError(
      `code QR de virement trop long (${bytes} octets, ${EPC_MAX_BYTES} au plus).`,
      `raccourcissez le nom de la société (company.name) ou les références de facture.`,
    );
  }
  return payload;
}
