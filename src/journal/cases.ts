import type { CaseFile, DisputeRecord, PaymentPlanRecord, PauseRecord, PromiseRecord, WriteoffRecord } from '../core/cases.js';
import type { CalendarDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import type { OpenItem, Payment } from '../core/records.js';
import type { Journal } from './journal.js';

const list = (text: string): string[] => (text ? text.split(',') : []);

/** Reads every case record of the journal. */
export function loadCaseFile(j: Journal): CaseFile {
  const db = j.db;
  const promises = (db.prepare('SELECT * FROM promises ORDER BY id').all() as Record<string, unknown>[]).map(
    (r): PromiseRecord => ({
      id: r.id as number, clientCode: r.client_code as string, refs: list(r.refs as string), promisedOn: r.promised_on as string,
      amountCents: (r.amount_cents as number | null) ?? null, createdOn: r.created_on as string,
    }),
  );
  const disputes = (db.prepare('SELECT * FROM disputes ORDER BY id').all() as Record<string, unknown>[]).map(
    (r): DisputeRecord => ({
      id: r.id as number, ref: r.ref as string, clientCode: r.client_code as string, reason: r.reason as string,
      openedOn: r.opened_on as string, closedOn: (r.closed_on as string | null) ?? null, creditNote: r.credit_note === 1,
    }),
  );
  const instalments = db.prepare('SELECT number, due_on AS dueOn, amount_cents AS amountCents FROM plan_instalments WHERE plan_id = ? ORDER BY number');
  const plans = (db.prepare('SELECT * FROM payment_plans ORDER BY id').all() as Record<string, unknown>[]).map(
    (r): PaymentPlanRecord => ({
      id: r.id as number, clientCode: r.client_code as string, refs: list(r.refs as string), totalCents: r.total_cents as number,
      downPaymentCents: r.down_payment_cents as number, mode: r.mode as string, createdOn: r.created_on as string,
      instalments: instalments.all(r.id) as PaymentPlanRecord['instalments'],
    }),
  );
  const pauses = (db.prepare('SELECT * FROM pauses ORDER BY id').all() as Record<string, unknown>[]).map(
    (r): PauseRecord => ({
      id: r.id as number, clientCode: r.client_code as string, until: r.until as string, reason: r.reason as string,
      createdOn: r.created_on as string, resumedOn: (r.resumed_on as string | null) ?? null,
    }),
  );
  const writeoffs = db
    .prepare('SELECT ref, client_code AS clientCode, reason, amount_cents AS amountCents, written_on AS writtenOn FROM writeoffs ORDER BY id')
    .all() as WriteoffRecord[];
  const lastCalls = new Map(
    (db.prepare('SELECT client_code AS c, MAX(noted_on) AS d FROM notes WHERE is_call = 1 GROUP BY client_code').all() as { c: string; d: string }[]).map((r) => [r.c, r.d]),
  );
  const settled = new Map(
    (db.prepare('SELECT ref, settled_on AS d FROM known_invoices WHERE settled_on IS NOT NULL').all() as { ref: string; d: string }[]).map((r) => [r.ref, r.d]),
  );
  return { promises, disputes, plans, pauses, writeoffs, lastCalls, settled };
}

/** Records a promise to pay; returns its id. */
export function addPromise(j: Journal, p: Omit<PromiseRecord, 'id'>, now: Date): number {
  return Number(
    j.db
      .prepare('INSERT INTO promises (client_code, refs, promised_on, amount_cents, created_on, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(p.clientCode, p.refs.join(','), p.promisedOn, p.amountCents, p.createdOn, now.toISOString()).lastInsertRowid,
  );
}

/** Opens a dispute on an invoice. */
export function openDispute(j: Journal, d: { ref: string; clientCode: string; reason: string; openedOn: CalendarDate }, now: Date): number {
  return Number(
    j.db.prepare('INSERT INTO disputes (ref, client_code, reason, opened_on, created_at) VALUES (?, ?, ?, ?, ?)').run(d.ref, d.clientCode, d.reason, d.openedOn, now.toISOString())
      .lastInsertRowid,
  );
}

/** The open dispute of an invoice, if any. */
export function openDisputeOf(j: Journal, ref: string): DisputeRecord | null {
  return loadCaseFile(j).disputes.find((d) => d.ref === ref && d.closedOn === null) ?? null;
}

/** Closes an invoice's open dispute. */
export function closeDispute(j: Journal, id: number, closedOn: CalendarDate, creditNote: boolean): void {
  j.db.prepare('UPDATE disputes SET closed_on = ?, credit_note = ? WHERE id = ?').run(closedOn, creditNote ? 1 : 0, id);
}

/** Records a payment plan and its instalments in one transaction. */
export function addPaymentPlan(j: Journal, p: Omit<PaymentPlanRecord, 'id'>, now: Date): number {
  return j.db.transaction(() => {
    const id = Number(
      j.db
        .prepare('INSERT INTO payment_plans (client_code, refs, total_cents, down_payment_cents, mode, created_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(p.clientCode, p.refs.join(','), p.totalCents, p.downPaymentCents, p.mode, p.createdOn, now.toISOString()).lastInsertRowid,
    );
    const add = j.db.prepare('INSERT INTO plan_instalments (plan_id, number, due_on, amount_cents) VALUES (?, ?, ?, ?)');
    for (const i of p.instalments) add.run(id, i.number, i.dueOn, i.amountCents);
    return id;
  })();
}

/** Records a note or a call (a call also counts as an action, with its cost). */
export function addNote(j: Journal, n: { clientCode: string; notedOn: CalendarDate; text: string; isCall: boolean; minutes: number | null; costCents: Cents }, now: Date): number {
  return Number(
    j.db
      .prepare('INSERT INTO notes (client_code, noted_on, text, is_call, minutes, cost_cents, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(n.clientCode, n.notedOn, n.text, n.isCall ? 1 : 0, n.minutes, n.costCents, now.toISOString()).lastInsertRowid,
  );
}

/** The client's notes and calls, oldest first. */
export function notesOf(j: Journal, clientCode: string): { notedOn: string; text: string; isCall: boolean; minutes: number | null; costCents: number }[] {
  return (
    j.db.prepare('SELECT noted_on AS notedOn, text, is_call AS isCall, minutes, cost_cents AS costCents FROM notes WHERE client_code = ? ORDER BY noted_on, id').all(clientCode) as {
      notedOn: string; text: string; isCall: number; minutes: number | null; costCents: number;
    }[]
  ).map((r) => ({ ...r, isCall: r.isCall === 1 }));
}

/** Pauses a client's reminders until a date. */
export function addPause(j: Journal, p: Omit<PauseRecord, 'id' | 'resumedOn'>, now: Date): number {
  return Number(
    j.db.prepare('INSERT INTO pauses (client_code, until, reason, created_on, created_at) VALUES (?, ?, ?, ?, ?)').run(p.clientCode, p.until, p.reason, p.createdOn, now.toISOString())
      .lastInsertRowid,
  );
}

/** Ends a client's active pauses; returns how many. */
export function resumeClient(j: Journal, clientCode: string, on: CalendarDate): number {
  return j.db.prepare('UPDATE pauses SET resumed_on = ? WHERE client_code = ? AND resumed_on IS NULL AND until >= ?').run(on, clientCode, on).changes;
}

/** Records a write-off. */
export function addWriteoff(j: Journal, w: WriteoffRecord, now: Date): void {
  j.db
    .prepare('INSERT INTO writeoffs (ref, client_code, reason, amount_cents, written_on, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(w.ref, w.clientCode, w.reason, w.amountCents, w.writtenOn, now.toISOString());
}

/**
 * Compares a new export with what the journal knew: every invoice the journal speaks
 * of (reminded, promised, disputed, in a plan) that is still open is seen again; one
 * that has left the exports is settled (paid or credited), on the date of a payment
 * naming it when the payments export has one, else on the export's date. Only an
 * export at least as recent as the last one seen can settle an invoice.
 */
export function reconcile(j: Journal, openItems: OpenItem[], payments: Payment[], asOf: CalendarDate): { settled: string[] } {
  const db = j.db;
  const tracked = new Set<string>([
    ...(db.prepare('SELECT DISTINCT ref FROM action_invoices').pluck().all() as string[]),
    ...(db.prepare('SELECT ref FROM disputes').pluck().all() as string[]),
    ...(db.prepare("SELECT refs FROM promises WHERE refs <> ''").pluck().all() as string[]).flatMap(list),
    ...(db.prepare('SELECT refs FROM payment_plans').pluck().all() as string[]).flatMap(list),
  ]);
  if (tracked.size === 0) return { settled: [] };
  const open = new Map<string, OpenItem>();
  for (const i of openItems) if (i.openCents > 0 && tracked.has(i.ref)) open.set(i.ref, i);
  const paidOn = new Map<string, CalendarDate>();
  for (const p of payments) for (const r of p.refs) if (tracked.has(r) && (paidOn.get(r) ?? '') < p.date) paidOn.set(r, p.date);
  const settled: string[] = [];
  db.transaction(() => {
    const upsert = db.prepare(
      `INSERT INTO known_invoices (ref, client_code, due_date, open_cents, first_seen_on, last_seen_on) VALUES (@ref, @client, @due, @open, @on, @on)
       ON CONFLICT (ref) DO UPDATE SET open_cents = @open, last_seen_on = MAX(last_seen_on, @on), settled_on = CASE WHEN @on >= last_seen_on THEN NULL ELSE settled_on END`,
    );
    for (const i of open.values()) upsert.run({ ref: i.ref, client: i.clientCode, due: i.dueDate, open: i.openCents, on: asOf });
    const known = db.prepare('SELECT ref, last_seen_on AS seen FROM known_invoices WHERE settled_on IS NULL').all() as { ref: string; seen: string }[];
    const settle = db.prepare('UPDATE known_invoices SET settled_on = ? WHERE ref = ?');
    for (const k of known) {
      if (open.has(k.ref) || asOf < k.seen) continue;
      const date = paidOn.get(k.ref) ?? asOf;
      settle.run(date < k.seen ? k.seen : date, k.ref);
      settled.push(k.ref);
    }
  })();
  return { settled };
}
