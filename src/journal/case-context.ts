import { positionOf } from '../core/allocation.js';
import { evaluateCases, isPauseActive, type CaseFile, type CaseStatus, type PauseRecord } from '../core/cases.js';
import type { Cents } from '../core/money.js';
import type { OpenItem } from '../core/records.js';
import type { CalendarDate } from '../core/dates.js';
import { closest } from '../core/similar.js';
import { UsageError } from '../errors.js';
import type { Inputs } from '../read/inputs.js';
import { loadCaseFile, reconciliationOf } from './cases.js';
import type { ProcedureRecord } from '../core/procedure.js';
import { caseHistoryOf, type CaseHistory, type Journal } from './journal.js';
import { loadProcedures } from './procedures.js';

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

/** What a case command is asked to do: record something new, record it in place of what is active, or cancel what is active. */
export type CorrectionKind = 'record' | 'replace' | 'cancel';

/**
 * Reads `--cancel` and `--replace`. `recordFlags` are the options that describe a new
 * record (`--date`…), given or not: with `--cancel` they are refused, since nothing new is
 * recorded. `--cancel` needs `--reason`, read by the command (pause and dispute have
 * their own `--reason`).
 */
export function correctionOf(
  opts: { cancel?: boolean; replace?: boolean },
  recordFlags: Record<string, unknown>,
  usage: string,
): CorrectionKind {
  if (opts.cancel && opts.replace) {
    throw new UsageError(`--cancel et --replace ne vont pas ensemble.`, `--replace enregistre une nouvelle version à la place de l'ancienne ; --cancel --reason "…" annule sans remplacer.`);
  }
  if (!opts.cancel) return opts.replace ? 'replace' : 'record';
  const extra = Object.entries(recordFlags).find(([, v]) => v !== undefined);
  if (extra) throw new UsageError(`${extra[0]} ne s'emploie pas avec --cancel.`, `${usage} --cancel --reason "…" annule, sans rien enregistrer de nouveau.`);
  return 'cancel';
}

/** The client's pauses that hold its reminders at `asOf`. */
export function activePausesOf(file: CaseFile, clientCode: string, asOf: CalendarDate): PauseRecord[] {
  return file.pauses.filter((p) => p.clientCode === clientCode && isPauseActive(p, asOf));
}

/**
 * What a client owes once its unapplied credits are allocated (DESIGN §2.4), on all its
 * invoices or on `refs`: the ceiling of a promise.
 */
export function owedBy(inputs: Inputs, clientCode: string, refs: string[]): { owedCents: Cents; balanceCents: Cents; unappliedCents: Cents } {
  const position = positionOf(clientCode, inputs.openItems.filter((i) => i.clientCode === clientCode));
  const wanted = refs.length > 0 ? new Set(refs) : null;
  const owed = position.invoices.filter((i) => !wanted || wanted.has(i.item.ref)).reduce((s, i) => s + i.openCents, 0);
  return { owedCents: owed, balanceCents: position.balanceCents, unappliedCents: position.unappliedCents };
}

/** What the plan needs of the journal (all empty without one). */
export interface PlanJournalContext extends CaseHistory {
  cases: CaseStatus | undefined;
  procedures: ProcedureRecord[] | undefined;
}

/**
 * What the plan needs of the journal, read without writing: the cases (the invoices gone
 * from this export count as settled, as `send` records them), the clients' history with
 * the reminders the exports say were sent (Sage 100), and the collective proceedings.
 */
export function planJournalContext(
  journal: Journal | null,
  inputs: Pick<Inputs, 'payments' | 'reminders'>,
  openItems: OpenItem[],
  asOf: CalendarDate,
  promiseGraceDays: number,
): PlanJournalContext {
  // Reconciled once, in memory: the cases and the history read the same settlements.
  const settled = journal ? reconciliationOf(journal, openItems, inputs.payments, asOf).settled : undefined;
  return {
    cases: journal ? evaluateCases({ ...loadCaseFile(journal), settled: settled! }, openItems, asOf, promiseGraceDays) : undefined,
    ...caseHistoryOf(journal, settled, { reminders: inputs.reminders, openItems, asOf }),
    procedures: journal ? loadProcedures(journal) : undefined,
  };
}
