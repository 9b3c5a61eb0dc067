/**
 * The sales reps' alerts and digests in the journal (table `sales_alerts`, migration 5).
 * As for the reminders: a row `envoi` is written before the SMTP transaction, then
 * settled `envoye`, `echec` or `incertain`; only a failure (the server refused) is sent
 * again. A digest is a row too, step `recapitulatif`, its client code the rep's key
 * (`commercial:<e-mail>`) and its date the day it was sent: never twice the same day.
 */
import type { CalendarDate } from '../core/dates.js';
import type { PastAlert } from '../core/sales-alerts.js';
import { Journal } from './journal.js';

export type SalesAlertStatus = 'envoi' | 'envoye' | 'echec' | 'incertain';

/** One row of `sales_alerts`. */
export interface SalesAlertRow {
  id: number;
  clientCode: string;
  step: string;
  plannedOn: CalendarDate;
  recipient: string;
  status: SalesAlertStatus;
  messageId: string | null;
  sha256: string | null;
  error: string | null;
  createdAt: string;
}

/** The step recorded for a digest. */
export const DIGEST_STEP = 'recapitulatif';

/** The client code a digest is recorded under: the rep's key. */
export function digestCode(repKey: string): string {
  return `commercial:${repKey}`;
}

/** The alerts and digests of the journal, oldest first. */
export function salesAlertRows(journal: Journal): SalesAlertRow[] {
  return (Journal.sqlOf(journal).prepare('SELECT * FROM sales_alerts ORDER BY id').all() as Record<string, unknown>[]).map((r) => ({
    id: r.id as number,
    clientCode: r.client_code as string,
    step: r.step as string,
    plannedOn: r.planned_on as string,
    recipient: r.recipient as string,
    status: r.status as SalesAlertStatus,
    messageId: (r.message_id as string | null) ?? null,
    sha256: (r.sha256 as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    createdAt: r.created_at as string,
  }));
}

/** The alerts not to send again (all but the failed ones), digests aside. */
export function salesAlertsTaken(journal: Journal): PastAlert[] {
  return Journal.sqlOf(journal)
    .prepare(`SELECT client_code AS clientCode, step, planned_on AS plannedOn FROM sales_alerts WHERE status <> 'echec' AND step <> ? ORDER BY id`)
    .all(DIGEST_STEP) as PastAlert[];
}

/** What is recorded before an alert or a digest is handed to the SMTP server. */
export interface NewSalesAlert {
  clientCode: string;
  step: string;
  plannedOn: CalendarDate;
  recipient: string;
  messageId: string;
  sha256: string;
  createdAt: string;
}

/**
 * Records an alert `envoi` before it is sent and returns its id; null when the journal
 * already has it sent, uncertain or being sent (another run): it is not sent again. A
 * failed one is taken again (same row, its error cleared).
 */
export function claimSalesAlert(journal: Journal, a: NewSalesAlert): number | null {
  return Journal.sqlOf(journal).transaction((): number | null => {
    const row = Journal.sqlOf(journal).prepare('SELECT id, status FROM sales_alerts WHERE client_code = ? AND step = ? AND planned_on = ?').get(a.clientCode, a.step, a.plannedOn) as
      | { id: number; status: SalesAlertStatus }
      | undefined;
    if (row && row.status !== 'echec') return null;
    if (row) {
      Journal.sqlOf(journal)
        .prepare(`UPDATE sales_alerts SET status = 'envoi', recipient = ?, message_id = ?, sha256 = ?, error = NULL, created_at = ? WHERE id = ?`)
        .run(a.recipient, a.messageId, a.sha256, a.createdAt, row.id);
      return row.id;
    }
    return Number(
      Journal.sqlOf(journal)
        .prepare(`INSERT INTO sales_alerts (client_code, step, planned_on, recipient, status, message_id, sha256, error, created_at) VALUES (?, ?, ?, ?, 'envoi', ?, ?, NULL, ?)`)
        .run(a.clientCode, a.step, a.plannedOn, a.recipient, a.messageId, a.sha256, a.createdAt).lastInsertRowid,
    );
  }).immediate();
}

/** Marks an alert sent, failed or uncertain once the SMTP server has answered (or not). */
export function settleSalesAlert(journal: Journal, id: number, status: 'envoye' | 'echec' | 'incertain', error: string | null = null): void {
  Journal.sqlOf(journal).prepare('UPDATE sales_alerts SET status = ?, error = ? WHERE id = ?').run(status, error, id);
}

/**
 * Alerts left `envoi` by a run killed between the SMTP transaction and its record: they
 * may have gone, become `incertain` and are never sent again. Digests are left alone
 * (the digest command does not hold send's lock); called by `send`, which does.
 */
export function resolveInterruptedSalesAlerts(journal: Journal): SalesAlertRow[] {
  const ids = Journal.sqlOf(journal).prepare(`SELECT id FROM sales_alerts WHERE status = 'envoi' AND step <> ?`).pluck().all(DIGEST_STEP) as number[];
  if (ids.length === 0) return [];
  Journal.sqlOf(journal)
    .prepare(`UPDATE sales_alerts SET status = 'incertain', error = 'run interrompu entre l''envoi et son enregistrement' WHERE status = 'envoi' AND step <> ?`)
    .run(DIGEST_STEP);
  return salesAlertRows(journal).filter((r) => ids.includes(r.id));
}
