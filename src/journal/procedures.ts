import type { CalendarDate } from '../core/dates.js';
import { activeProcedureOf, type ProcedureRecord, type ProcedureType } from '../core/procedure.js';
import { Journal } from './journal.js';

/** Every collective proceeding of the journal (migration 4), oldest first. */
export function loadProcedures(j: Journal): ProcedureRecord[] {
  return (Journal.sqlOf(j).prepare('SELECT * FROM procedures ORDER BY judgment_on, id').all() as Record<string, unknown>[]).map((r) => ({
    id: r.id as number,
    clientCode: r.client_code as string,
    type: r.type as ProcedureType,
    judgmentOn: r.judgment_on as string,
    bodaccOn: (r.bodacc_on as string | null) ?? null,
    administrator: (r.administrator as string | null) ?? null,
    openedOn: r.opened_on as string,
    closedOn: (r.closed_on as string | null) ?? null,
    closeReason: (r.close_reason as string | null) ?? null,
  }));
}

/** The client's proceeding in force at the date, if any. */
export function activeProcedure(j: Journal, clientCode: string, asOf: CalendarDate): ProcedureRecord | null {
  return activeProcedureOf(loadProcedures(j), clientCode, asOf);
}

/** Records a proceeding opened against a client; returns its id. */
export function recordProcedure(j: Journal, p: Omit<ProcedureRecord, 'id' | 'closedOn' | 'closeReason'>, now: Date): number {
  return Journal.sqlOf(j).transaction(() =>
    Number(
      Journal.sqlOf(j)
        .prepare('INSERT INTO procedures (client_code, type, judgment_on, bodacc_on, administrator, opened_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(p.clientCode, p.type, p.judgmentOn, p.bodaccOn, p.administrator, p.openedOn, now.toISOString()).lastInsertRowid,
    ),
  )();
}

/** Ends a proceeding from a date, with the reason (plan adopted, closure, error); the row stays. */
export function closeProcedure(j: Journal, id: number, on: CalendarDate, reason: string): void {
  Journal.sqlOf(j).prepare('UPDATE procedures SET closed_on = ?, close_reason = ? WHERE id = ? AND closed_on IS NULL').run(on, reason, id);
}
