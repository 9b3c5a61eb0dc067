import type { CaseMessage } from '../src/core/case.js';
import type { Client, OpenItem, Payment } from '../src/core/records.js';
import type { Step } from '../src/core/scenario.js';

/** An open item with sensible defaults: a 1 000,00 € invoice of client C1. */
export function item(over: Partial<OpenItem> = {}): OpenItem {
  return {
    kind: 'open_item', clientCode: 'C1', clientName: 'Client 1', ref: 'FA1', docDate: '2026-10-01', dueDate: '2026-10-31',
    dueDateDerived: false, originalCents: 100_000, openCents: 100_000, currency: 'EUR', salesRep: null,
    source: { file: 'test', line: 1 }, ...over,
  };
}

/** A client with an e-mail, B2B, no forced segment, not excluded. */
export function client(over: Partial<Client> = {}): Client {
  return {
    kind: 'client', clientCode: 'C1', clientName: 'Client 1', emails: ['compta@client1.example'], cc: [], salesRep: null,
    salesRepEmail: null, phone: null, address: [], language: 'fr', consumer: false, siren: null, legalForm: null, terms: null, segment: null,
    excluded: false, excludedReason: null, source: { file: 'test', line: 1 }, ...over,
  };
}

/** A payment of one invoice, `late` days after its due date of 2026-01-31. */
export function payment(late: number, amountCents = 100_000, over: Partial<Payment> = {}): Payment {
  const date = new Date(Date.UTC(2026, 0, 31 + late)).toISOString().slice(0, 10);
  return {
    kind: 'payment', clientCode: 'C1', clientName: 'Client 1', date, amountCents, refs: ['FA0'],
    settles: [{ ref: 'FA0', docDate: '2026-01-01', dueDate: '2026-01-31' }], mode: null, source: { file: 'test', line: 1 }, ...over,
  };
}

/**
 * A message already taken for a client (the journal's view of the case): `chased` are
 * the overdue invoices it named at its step, `soon` those it listed « à échoir ».
 */
export function message(date: string, step: Step, chased: [ref: string, dueDate: string][], soon: [ref: string, dueDate: string][] = []): CaseMessage {
  return {
    date, step, channel: step === 'contentieux' ? 'interne' : 'email', amountCents: 100_000 * chased.length,
    invoices: [...chased.map(([ref, dueDate]) => ({ ref, step, dueDate })), ...soon.map(([ref, dueDate]) => ({ ref, step: 'preventive' as Step, dueDate }))],
  };
}
