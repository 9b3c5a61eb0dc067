import { evaluateCases, type CaseStatus } from '../core/cases.js';
import type { OpenItem, Payment } from '../core/records.js';
import type { CalendarDate } from '../core/dates.js';
import { closest } from '../core/similar.js';
import { UsageError } from '../errors.js';
import type { Inputs } from '../read/inputs.js';
import { loadCaseFile, reconcile } from './cases.js';
import type { Journal } from './journal.js';

/**
 * The cases at a date: first the new export is reconciled with what the journal
 * knew (invoices gone are settled), then promises, disputes and plans are evaluated.
 */
export function caseStatusOf(
  journal: Journal | null,
  openItems: OpenItem[],
  payments: Payment[],
  asOf: CalendarDate,
  graceDays: number,
  write = true,
): CaseStatus | undefined {
  if (!journal) return undefined;
  if (write) reconcile(journal, openItems, payments, asOf);
  return evaluateCases(loadCaseFile(journal), openItems, asOf, graceDays);
}

/** The open invoice of an export by its ref, or an error listing the closest refs. */
export function findInvoice(inputs: Inputs, ref: string): OpenItem {
  const found = inputs.openItems.find((i) => i.ref === ref);
  if (found) return found;
  const close = closest(ref, inputs.openItems.map((i) => i.ref));
  throw new UsageError(
    `la facture « ${ref} » n'est pas dans les exports lus (aucune créance ouverte de ce numéro).`,
    close.length > 0 ? `numéros les plus proches : ${close.join(', ')}.` : `vérifiez le numéro et les fichiers donnés (--balance, --fec).`,
  );
}

/** The client's name by its code (from the clients file or the open items), or an error listing the closest codes. */
export function findClient(inputs: Inputs, code: string): string {
  const client = inputs.clients.find((c) => c.clientCode === code);
  if (client) return client.clientName;
  const item = inputs.openItems.find((i) => i.clientCode === code);
  if (item) return item.clientName;
  const codes = [...new Set([...inputs.clients.map((c) => c.clientCode), ...inputs.openItems.map((i) => i.clientCode)])];
  const close = closest(code, codes);
  throw new UsageError(
    `client « ${code} » inconnu dans les exports lus.`,
    close.length > 0 ? `codes les plus proches : ${close.join(', ')}.` : `vérifiez le code client et les fichiers donnés.`,
  );
}
