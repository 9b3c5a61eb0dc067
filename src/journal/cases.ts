import type { CaseFile, DisputeRecord, LitigationOutcome, PaymentPlanRecord, PauseRecord, PromiseRecord, WriteoffRecord } from '../core/cases.js';
import type { CalendarDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import type { OpenItem, Payment } from '../core/records.js';
import { Journal } from './journal.js';

const list = (text: string): string[] => (text ? text.split(',') : []);

// The correction columns of migration 3, as record fields.
const correction = (r: Record<string, unknown>) => ({
  cancelledOn: (r.cancelled_on as string | null) ?? null,
  cancelReason: (r.cancel_reason as string | null) ?? null,
  replacedBy: (r.replaced_by as number | null) ?? null,
});

/** The tables whose records `--cancel` and `--replace` correct. */
export type CorrectedTable = 'promises' | 'payment_plans' | 'pauses';

/** Cancels a record from a date, with the reason; the row stays, marked. */
export function cancelRecord(j: Journal, table: CorrectedTable, id: number, on: CalendarDate, reason: string): void {
  Journal.sqlOf(j).prepare(`UPDATE ${table} SET cancelled_on = ?, cancel_reason = ? WHERE id = ? AND cancelled_on IS NULL`).run(on, reason, id);
}

// Marks `oldId` replaced by `newId` from `on`: it stops counting that day. `reason` is optional here.
function markReplaced(j: Journal, table: CorrectedTable, oldId: number, newId: number, on: CalendarDate, reason: string | null): void {
  Journal.sqlOf(j).prepare(`UPDATE ${table} SET cancelled_on = ?, cancel_reason = ?, replaced_by = ? WHERE id = ?`).run(on, reason, newId, oldId);
}

/** Reads every case record of the journal. */
export function loadCaseFile(j: Journal): CaseFile {
  const db = Journal.sqlOf(j);
  const promises = (db.prepare('SELECT * FROM promises ORDER BY id').all() as Record<string, unknown>[]).map(
    (r): PromiseRecord => ({
      id: r.id as number, clientCode: r.client_code as string, refs: list(r.refs as string), promisedOn: r.promised_on as string,
      amountCents: (r.amount_cents as number | null) ?? null, createdOn: r.created_on as string, ...correction(r),
    }),
  );
  const disputes = (db.prepare('SELECT * FROM disputes ORDER BY id').all() as Record<string, unknown>[]).map(
    (r): DisputeRecord => ({
      id: r.id as number, ref: r.ref as string, clientCode: r.client_code as string, reason: r.reason as string,
      openedOn: r.opened_on as string, closedOn: (r.closed_on as string | null) ?? null, creditNote: r.credit_note === 1,
      replacedBy: (r.replaced_by as number | null) ?? null,
    }),
  );
  const instalments = db.prepare('SELECT number, due_on AS dueOn, amount_cents AS amountCents FROM plan_instalments WHERE plan_id = ? ORDER BY number');
  const plans = (db.prepare('SELECT * FROM payment_plans ORDER BY id').all() as Record<string, unknown>[]).map(
    (r): PaymentPlanRecord => ({
      id: r.id as number, clientCode: r.client_code as string, refs: list(r.refs as string), totalCents: r.total_cents as number,
      downPaymentCents: r.down_payment_cents as number, mode: r.mode as string, createdOn: r.created_on as string,
      instalments: instalments.all(r.id) as PaymentPlanRecord['instalments'], signedOn: (r.signed_on as string | null) ?? null, ...correction(r),
    }),
  );
  const pauses = (db.prepare('SELECT * FROM pauses ORDER BY id').all() as Record<string, unknown>[]).map(
    (r): PauseRecord => ({
      id: r.id as number, clientCode: r.client_code as string, until: r.until as string, reason: r.reason as string,
      createdOn: r.created_on as string, resumedOn: (r.resumed_on as string | null) ?? null, ...correction(r),
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

/** Records a promise to pay, replacing the promises `replaces` (why: `reason`) in the same transaction; returns its id. */
export function addPromise(j: Journal, p: Omit<PromiseRecord, 'id'>, now: Date, replaces: number[] = [], reason: string | null = null): number {
  return Journal.sqlOf(j).transaction(() => {
    const id = Number(
      Journal.sqlOf(j)
        .prepare('INSERT INTO promises (client_code, refs, promised_on, amount_cents, created_on, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(p.clientCode, p.refs.join(','), p.promisedOn, p.amountCents, p.createdOn, now.toISOString()).lastInsertRowid,
    );
    for (const old of replaces) markReplaced(j, 'promises', old, id, p.createdOn, reason);
    return id;
  })();
}

/** Opens a dispute on an invoice; `replaces`: the open disputes it supersedes, closed that day. */
export function openDispute(j: Journal, d: { ref: string; clientCode: string; reason: string; openedOn: CalendarDate }, now: Date, replaces: number[] = []): number {
  return Journal.sqlOf(j).transaction(() => {
    const id = Number(
      Journal.sqlOf(j).prepare('INSERT INTO disputes (ref, client_code, reason, opened_on, created_at) VALUES (?, ?, ?, ?, ?)').run(d.ref, d.clientCode, d.reason, d.openedOn, now.toISOString())
        .lastInsertRowid,
    );
    for (const old of replaces) Journal.sqlOf(j).prepare('UPDATE disputes SET closed_on = ?, replaced_by = ? WHERE id = ?').run(d.openedOn, id, old);
    return id;
  })();
}

/** The open dispute of an invoice, if any. */
export function openDisputeOf(j: Journal, ref: string): DisputeRecord | null {
  return loadCaseFile(j).disputes.find((d) => d.ref === ref && d.closedOn === null) ?? null;
}

/** Closes an invoice's open dispute. */
export function closeDispute(j: Journal, id: number, closedOn: CalendarDate, creditNote: boolean): void {
  Journal.sqlOf(j).prepare('UPDATE disputes SET closed_on = ?, credit_note = ? WHERE id = ?').run(closedOn, creditNote ? 1 : 0, id);
}

/** Records a payment plan and its instalments in one transaction, replacing the plans `replaces`. */
export function addPaymentPlan(j: Journal, p: Omit<PaymentPlanRecord, 'id'>, now: Date, replaces: number[] = [], reason: string | null = null): number {
  return Journal.sqlOf(j).transaction(() => {
    const id = Number(
      Journal.sqlOf(j)
        .prepare('INSERT INTO payment_plans (client_code, refs, total_cents, down_payment_cents, mode, created_on, created_at, signed_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(p.clientCode, p.refs.join(','), p.totalCents, p.downPaymentCents, p.mode, p.createdOn, now.toISOString(), p.signedOn ?? null).lastInsertRowid,
    );
    const add = Journal.sqlOf(j).prepare('INSERT INTO plan_instalments (plan_id, number, due_on, amount_cents) VALUES (?, ?, ?, ?)');
    for (const i of p.instalments) add.run(id, i.number, i.dueOn, i.amountCents);
    for (const old of replaces) markReplaced(j, 'payment_plans', old, id, p.createdOn, reason);
    return id;
  })();
}

/** Records the day the debtor signed a payment plan: an acknowledgement, it interrupts prescription (Code civil art. 2240). */
export function signPaymentPlan(j: Journal, planId: number, signedOn: CalendarDate): void {
  Journal.sqlOf(j).prepare('UPDATE payment_plans SET signed_on = ? WHERE id = ?').run(signedOn, planId);
}

/** Records a note or a call (a call also counts as an action, with its cost). */
export function addNote(j: Journal, n: { clientCode: string; notedOn: CalendarDate; text: string; isCall: boolean; minutes: number | null; costCents: Cents }, now: Date): number {
  return Number(
    Journal.sqlOf(j)
      .prepare('INSERT INTO notes (client_code, noted_on, text, is_call, minutes, cost_cents, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(n.clientCode, n.notedOn, n.text, n.isCall ? 1 : 0, n.minutes, n.costCents, now.toISOString()).lastInsertRowid,
  );
}

/** The client's notes and calls, oldest first. */
export function notesOf(j: Journal, clientCode: string): { notedOn: string; text: string; isCall: boolean; minutes: number | null; costCents: number }[] {
  return (
    Journal.sqlOf(j).prepare('SELECT noted_on AS notedOn, text, is_call AS isCall, minutes, cost_cents AS costCents FROM notes WHERE client_code = ? ORDER BY noted_on, id').all(clientCode) as {
      notedOn: string; text: string; isCall: number; minutes: number | null; costCents: number;
    }[]
  ).map((r) => ({ ...r, isCall: r.isCall === 1 }));
}

/** Pauses a client's reminders until a date, replacing the pauses `replaces`. */
export function addPause(j: Journal, p: Pick<PauseRecord, 'clientCode' | 'until' | 'reason' | 'createdOn'>, now: Date, replaces: number[] = [], reason: string | null = null): number {
  return Journal.sqlOf(j).transaction(() => {
    const id = Number(
      Journal.sqlOf(j).prepare('INSERT INTO pauses (client_code, until, reason, created_on, created_at) VALUES (?, ?, ?, ?, ?)').run(p.clientCode, p.until, p.reason, p.createdOn, now.toISOString())
        .lastInsertRowid,
    );
    for (const old of replaces) markReplaced(j, 'pauses', old, id, p.createdOn, reason);
    return id;
  })();
}

/** Ends a client's active pauses; returns how many. */
export function resumeClient(j: Journal, clientCode: string, on: CalendarDate): number {
  return Journal.sqlOf(j)
    .prepare('UPDATE pauses SET resumed_on = ? WHERE client_code = ? AND resumed_on IS NULL AND (cancelled_on IS NULL OR cancelled_on > ?) AND created_on <= ? AND until >= ?')
    .run(on, clientCode, on, on, on).changes;
}

/** Records a write-off. */
export function addWriteoff(j: Journal, w: WriteoffRecord, now: Date): void {
  Journal.sqlOf(j)
    .prepare('INSERT INTO writeoffs (ref, client_code, reason, amount_cents, written_on, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(w.ref, w.clientCode, w.reason, w.amountCents, w.writtenOn, now.toISOString());
}

/** A litigation hand-over (a `contentieux` action of the journal) and its closure, if any. */
export interface Litigation {
  clientCode: string;
  actionId: number;
  handedOverOn: CalendarDate;
  amountCents: Cents;
  refs: string[];
  closure: { closedOn: CalendarDate; outcome: LitigationOutcome; reason: string } | null;
}

/** The client's litigation hand-overs (failed ones left out), oldest first, each with its closure. */
export function litigationsOf(j: Journal, clientCode: string): Litigation[] {
  const rows = Journal.sqlOf(j)
    .prepare(
      `SELECT a.id, a.action_date AS handedOverOn, a.amount_cents AS amountCents, c.closed_on AS closedOn, c.outcome, c.reason,
              (SELECT group_concat(ref, ',') FROM (SELECT ref FROM action_invoices WHERE action_id = a.id ORDER BY ref)) AS refs
       FROM actions a LEFT JOIN litigation_closures c ON c.handover_action_id = a.id
       WHERE a.client_code = ? AND a.step = 'contentieux' AND a.status <> 'echec' ORDER BY a.action_date, a.id`,
    )
    .all(clientCode) as { id: number; handedOverOn: string; amountCents: number; closedOn: string | null; outcome: LitigationOutcome | null; reason: string | null; refs: string | null }[];
  return rows.map((r) => ({
    clientCode, actionId: r.id, handedOverOn: r.handedOverOn, amountCents: r.amountCents, refs: list(r.refs ?? ''),
    closure: r.closedOn === null ? null : { closedOn: r.closedOn, outcome: r.outcome!, reason: r.reason! },
  }));
}

/** Every litigation closure, by closing date: what the case engine reads to close a case handed over. */
export function litigationClosures(j: Journal): { clientCode: string; closedOn: string; outcome: string; reason: string }[] {
  return Journal.sqlOf(j)
    .prepare('SELECT client_code AS clientCode, closed_on AS closedOn, outcome, reason FROM litigation_closures ORDER BY closed_on, id')
    .all() as { clientCode: string; closedOn: string; outcome: string; reason: string }[];
}

/** Closes a litigation hand-over, with the write-offs that go with it (`perte`), in one transaction. */
export function closeLitigation(
  j: Journal,
  c: { clientCode: string; actionId: number; handedOverOn: CalendarDate; closedOn: CalendarDate; outcome: LitigationOutcome; reason: string },
  writeoffs: WriteoffRecord[],
  now: Date,
): number {
  return Journal.sqlOf(j).transaction(() => {
    const id = Number(
      Journal.sqlOf(j)
        .prepare('INSERT INTO litigation_closures (client_code, handover_action_id, handed_over_on, closed_on, outcome, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(c.clientCode, c.actionId, c.handedOverOn, c.closedOn, c.outcome, c.reason, now.toISOString()).lastInsertRowid,
    );
    for (const w of writeoffs) addWriteoff(j, w, now);
    return id;
  })();
}

/** What reconciling an export would do: the invoices seen again, those newly settled, and the settlement dates after it. */
export interface Reconciliation {
  seen: OpenItem[];
  newlySettled: { ref: string; on: CalendarDate }[];
  /** Every settlement date once reconciled: what the cases are computed with. */
  settled: Map<string, CalendarDate>;
}

/**
 * Compares a new export with what the journal knew, without writing: every invoice the
 * journal speaks of (reminded, promised, disputed, in a plan) that is still open is seen
 * again; one that has left the exports is settled (paid or credited), on the date of a
 * payment naming it when the payments export has one, else on the export's date. Only an
 * export at least as recent as the last one seen can settle (or reopen) an invoice. The
 * read-only commands use this; `send` and the case commands write it with `reconcile`.
 */
export function reconciliationOf(j: Journal, openItems: OpenItem[], payments: Payment[], asOf: CalendarDate): Reconciliation {
  const db = Journal.sqlOf(j);
  const rows = db.prepare('SELECT ref, last_seen_on AS seen, settled_on AS settled FROM known_invoices').all() as { ref: string; seen: string; settled: string | null }[];
  const known = new Map(rows.map((r) => [r.ref, r]));
  const settled = new Map<string, CalendarDate>();
  for (const r of rows) if (r.settled !== null) settled.set(r.ref, r.settled);
  const tracked = new Set<string>([
    ...(db.prepare('SELECT DISTINCT ref FROM action_invoices').pluck().all() as string[]),
    ...(db.prepare('SELECT ref FROM disputes').pluck().all() as string[]),
    ...(db.prepare("SELECT refs FROM promises WHERE refs <> ''").pluck().all() as string[]).flatMap(list),
    ...(db.prepare('SELECT refs FROM payment_plans').pluck().all() as string[]).flatMap(list),
  ]);
  if (tracked.size === 0) return { seen: [], newlySettled: [], settled };
  const open = new Map<string, OpenItem>();
  for (const i of openItems) if (i.openCents > 0 && tracked.has(i.ref)) open.set(i.ref, i);
  const paidOn = new Map<string, CalendarDate>();
  for (const p of payments) for (const r of p.refs) if (tracked.has(r) && (paidOn.get(r) ?? '') < p.date) paidOn.set(r, p.date);
  // Seen again in an export at least as recent: open once more.
  for (const ref of open.keys()) {
    const k = known.get(ref);
    if (k && asOf >= k.seen) settled.delete(ref);
  }
  const newlySettled: { ref: string; on: CalendarDate }[] = [];
  for (const k of rows) {
    if (open.has(k.ref) || asOf < k.seen || k.settled !== null) continue;
    const date = paidOn.get(k.ref) ?? asOf;
    const on = date < k.seen ? k.seen : date;
    newlySettled.push({ ref: k.ref, on });
    settled.set(k.ref, on);
  }
  return { seen: [...open.values()], newlySettled, settled };
}

/** Writes what `reconciliationOf` found: the invoices seen again, the settlements. */
export function reconcile(j: Journal, openItems: OpenItem[], payments: Payment[], asOf: CalendarDate): { settled: string[] } {
  const db = Journal.sqlOf(j);
  return db.transaction(() => {
    const r = reconciliationOf(j, openItems, payments, asOf);
    const upsert = db.prepare(
      `INSERT INTO known_invoices (ref, client_code, due_date, open_cents, first_seen_on, last_seen_on) VALUES (@ref, @client, @due, @open, @on, @on)
       ON CONFLICT (ref) DO UPDATE SET open_cents = @open, last_seen_on = MAX(last_seen_on, @on), settled_on = CASE WHEN @on >= last_seen_on THEN NULL ELSE settled_on END`,
    );
    for (const i of r.seen) upsert.run({ ref: i.ref, client: i.clientCode, due: i.dueDate, open: i.openCents, on: asOf });
    const settle = db.prepare('UPDATE known_invoices SET settled_on = ? WHERE ref = ?');
    for (const s of r.newlySettled) settle.run(s.on, s.ref);
    return { settled: r.newlySettled.map((s) => s.ref) };
  })();
}
