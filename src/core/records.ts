import type { CalendarDate } from './dates.js';
import type { Cents } from './money.js';
import type { PaymentTerms } from './terms.js';

/** Where a record came from: the file as the user named it, and its 1-based line. */
export interface Source {
  file: string;
  line: number;
}

/** An open receivable: an invoice, a credit note or an unapplied payment (negative). */
export interface OpenItem {
  kind: 'open_item';
  clientCode: string;
  clientName: string;
  ref: string;
  docDate: CalendarDate | null;
  dueDate: CalendarDate | null;
  /** True when the due date was not in the file but computed from payment terms. */
  dueDateDerived: boolean;
  originalCents: Cents;
  openCents: Cents;
  currency: string;
  salesRep: string | null;
  source: Source;
}

/** A payment received from a client, with the invoices it settles when known. */
export interface Payment {
  kind: 'payment';
  clientCode: string;
  clientName: string;
  date: CalendarDate;
  amountCents: Cents;
  refs: string[];
  /** For each settled invoice whose dates the export gives: the payer's history. */
  settles: SettledInvoice[];
  mode: string | null;
  source: Source;
}

/** An invoice settled by a payment, with its dates when the export gives them. */
export interface SettledInvoice {
  ref: string;
  docDate: CalendarDate | null;
  dueDate: CalendarDate | null;
  /**
   * The invoice's amount, when the export gives it (a ledger's lettered debit): a payment
   * of several invoices is then shared among them in proportion, as a payments list that
   * writes one line per invoice would have it, not evenly.
   */
  cents?: Cents;
}

/** Payer segments; `null` on a client means "compute it from the history". */
export type Segment = 'bon' | 'occasionnel' | 'chronique' | 'nouveau';

/** A client as the clients export (or the config) describes it. */
export interface Client {
  kind: 'client';
  clientCode: string;
  clientName: string;
  emails: string[];
  cc: string[];
  salesRep: string | null;
  salesRepEmail: string | null;
  phone: string | null;
  address: string[];
  language: string;
  consumer: boolean;
  /** The SIREN (9 digits), read from a SIREN or SIRET column; null when absent or invalid. */
  siren: string | null;
  /** The legal form as the file writes it (« SARL », « S.A.S. »…); see core/debtor.ts. */
  legalForm: string | null;
  terms: PaymentTerms | null;
  segment: Segment | null;
  excluded: boolean;
  excludedReason: string | null;
  source: Source;
}

/** Any canonical record a reader yields. */
export type CanonicalRecord = OpenItem | Payment | Client;
