/**
 * The sales rep in the loop (issue 14): which clients' sales reps get an internal alert
 * before a firm step (escalade, mise en demeure), and each rep's digest of their clients
 * in collection. Pure: the plan, the clients file and what the journal already holds
 * come in as data.
 */
import { addDays, daysBetween, type CalendarDate } from './dates.js';
import type { Cents } from './money.js';
import { positionOf } from './allocation.js';
import type { Plan, PlanAction, WaitingCase } from './plan.js';
import type { Client, OpenItem, Segment } from './records.js';
import type { Step } from './scenario.js';

/** The steps a sales rep is warned of: from the escalade on, the client relationship is at stake. */
export const ALERTED_STEPS = ['escalade', 'mise_en_demeure'] as const;
export type AlertedStep = (typeof ALERTED_STEPS)[number];

/** An overdue invoice of an alert, with what is still owed on it after allocation of the unapplied credits. */
export interface SalesAlertInvoice {
  ref: string;
  docDate: CalendarDate | null;
  dueDate: CalendarDate;
  daysOverdue: number;
  openCents: Cents;
}

/** A reminder already taken in the client's case (journal). */
export interface SalesAlertReminder {
  date: CalendarDate;
  step: Step;
}

/** One internal alert to send: the client's case, the step coming and when, and to whom. */
export interface SalesAlert {
  clientCode: string;
  clientName: string;
  segment: Segment;
  salesRep: string | null;
  /** A consumer (« particulier »): no L441-10 penalties, interest at the legal rate (Code civil 1231-6). */
  consumer: boolean;
  /** The sales rep's e-mail address (clients file). */
  recipient: string;
  step: AlertedStep;
  /** The day the step is planned (the action's day, or the waiting case's next date). */
  plannedOn: CalendarDate;
  /** Days from the as-of date to `plannedOn` (0: today). */
  daysLeft: number;
  caseOpenedOn: CalendarDate | null;
  /** What is overdue after allocation, the sum of `invoices`. */
  overdueCents: Cents;
  invoices: SalesAlertInvoice[];
  reminders: SalesAlertReminder[];
}

/** What the alerts are computed from. */
export interface SalesAlertInput {
  asOf: CalendarDate;
  plan: Plan;
  clients: readonly Client[];
  /** The open items the plan was built from (for the waiting cases' amounts after allocation). */
  openItems: readonly OpenItem[];
  /** Config `salesAlerts.daysBefore`: steps planned up to asOf + daysBefore are announced. */
  daysBefore: number;
  /** Alerts already in the journal (sent, uncertain, being sent; not the failed ones). */
  alreadyAlerted: readonly PastAlert[];
  /** Messages already taken per client code (journal), for the reminders of the case. */
  messages?: ReadonlyMap<string, readonly { date: CalendarDate; step: Step }[]>;
}

/** An alert the journal holds: for which client, before which step, planned for which day. */
export interface PastAlert {
  clientCode: string;
  step: string;
  plannedOn: CalendarDate;
}

/** The identity of an alert in the journal (UNIQUE(client_code, step, planned_on)). */
export function salesAlertKey(clientCode: string, step: string, plannedOn: CalendarDate): string {
  return `${clientCode}\u0000${step}\u0000${plannedOn}`;
}

const isAlerted = (s: Step | null): s is AlertedStep => s === 'escalade' || s === 'mise_en_demeure';

/**
 * The alerts due at the as-of date: a client whose case's next step is an escalade or a
 * formal notice, planned between today and today + `daysBefore`, whose sales rep has an
 * e-mail address, and not already alerted for that step in this case (an alert planned
 * on or after the case's opening: a step that slips by a day, a late run, is not
 * announced twice). Taken from the
 * plan's actions (the step is today's) and its waiting cases (their next step), never
 * from a case held out of the scenario (promise, dispute, payment plan). Sorted by
 * planned date, then client code.
 */
export function salesAlertsDue(input: SalesAlertInput): SalesAlert[] {
  const { asOf, plan } = input;
  const last = addDays(asOf, Math.max(0, input.daysBefore));
  const clients = new Map(input.clients.map((c) => [c.clientCode, c]));
  const out: SalesAlert[] = [];
  const seen = new Set<string>();
  const consider = (
    code: string, name: string, segment: Segment, step: Step | null, on: CalendarDate | null, openedOn: CalendarDate | null, invoices: () => SalesAlertInvoice[],
  ): void => {
    if (!isAlerted(step) || on === null || on > last) return;
    const client = clients.get(code);
    if (!client?.salesRepEmail) return;
    if (seen.has(code)) return;
    if (input.alreadyAlerted.some((p) => p.clientCode === code && p.step === step && (openedOn === null || p.plannedOn >= openedOn))) return;
    seen.add(code);
    const rows = invoices();
    const reminders = (input.messages?.get(code) ?? [])
      .filter((m) => m.step !== 'preventive' && (openedOn === null || m.date >= openedOn))
      .map((m) => ({ date: m.date, step: m.step }));
    out.push({
      clientCode: code, clientName: name, segment, salesRep: client.salesRep, consumer: client.consumer, recipient: client.salesRepEmail, step, plannedOn: on,
      daysLeft: Math.max(0, daysBetween(asOf, on)), caseOpenedOn: openedOn, overdueCents: rows.reduce((s, i) => s + i.openCents, 0), invoices: rows, reminders,
    });
  };
  for (const a of plan.actions) consider(a.clientCode, a.clientName, a.segment, a.step, a.dueOn, a.case.openedOn, () => actionInvoices(a));
  for (const w of plan.waiting) {
    // A case held out of the scenario (promise, dispute, plan) or below the minimum: no step is coming.
    if (w.case.waitCode === 'hors-scenario' || w.case.waitCode === 'montant-minimum' || w.case.waitCode === 'fin-de-scenario') continue;
    if (w.case.nextOn !== null && w.case.nextOn < asOf) continue;
    consider(w.clientCode, w.clientName, w.segment, w.case.nextStep, w.case.nextOn, w.case.openedOn, () => waitingInvoices(w, input.openItems, asOf));
  }
  return out.sort((a, b) => (a.plannedOn !== b.plannedOn ? (a.plannedOn < b.plannedOn ? -1 : 1) : a.clientCode < b.clientCode ? -1 : a.clientCode > b.clientCode ? 1 : 0));
}

/** An action's overdue invoices (not those coming due), as the letter asks for them. */
function actionInvoices(a: PlanAction): SalesAlertInvoice[] {
  return a.invoices
    .filter((i) => i.daysOverdue > 0)
    .map((i) => ({ ref: i.ref, docDate: i.docDate, dueDate: i.dueDate, daysOverdue: i.daysOverdue, openCents: i.openCents }));
}

/** A waiting case's overdue invoices, with what remains owed once the unapplied credits are allocated. */
function waitingInvoices(w: WaitingCase, openItems: readonly OpenItem[], asOf: CalendarDate): SalesAlertInvoice[] {
  const refs = new Set(w.invoices);
  const position = positionOf(w.clientCode, openItems.filter((i) => i.clientCode === w.clientCode));
  const rows: SalesAlertInvoice[] = [];
  for (const p of position.invoices) {
    if (!refs.has(p.item.ref) || p.openCents <= 0 || p.item.dueDate === null) continue;
    rows.push({ ref: p.item.ref, docDate: p.item.docDate, dueDate: p.item.dueDate, daysOverdue: daysBetween(p.item.dueDate, asOf), openCents: p.openCents });
  }
  return rows.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.ref < b.ref ? -1 : 1));
}

// ---------------------------------------------------------------------------------
// The digest: per sales rep, their clients in collection.

/** Where a client of the digest stands. */
export type DigestStatus = 'action' | 'manuel' | 'attente' | 'contentieux';

/** One client in collection, for its sales rep. */
export interface DigestClient {
  clientCode: string;
  clientName: string;
  status: DigestStatus;
  /** What is overdue after allocation (what is still owed, in litigation). */
  overdueCents: Cents;
  invoices: number;
  oldestDaysLate: number | null;
  /** The next step and its date (the action's, the waiting case's next); the hand-over in litigation. */
  step: Step | null;
  on: CalendarDate | null;
  /** Why it waits, why it is left to a person, or null. */
  note: string | null;
}

/** A sales rep's digest. `email` null: the rep has no address in the clients file (printed, not sent). */
export interface RepDigest {
  /** The key of the rep: its e-mail address in lower case, else `nom:<name>`, `''` for clients without a rep. */
  key: string;
  salesRep: string | null;
  email: string | null;
  clients: DigestClient[];
  totalCents: Cents;
}

/**
 * Each sales rep's clients in collection, from the plan: its actions (not the preventive
 * reminders: nothing is overdue yet), the cases left to
 * a person, the waiting cases and those in litigation; a rep is known by its e-mail
 * address (clients file), else by its name. Reps sorted by name (those without a rep
 * last), clients by amount, largest first.
 */
export function salesRepDigests(plan: Plan, clients: readonly Client[]): RepDigest[] {
  const records = new Map(clients.map((c) => [c.clientCode, c]));
  const reps = new Map<string, RepDigest>();
  const add = (code: string, row: DigestClient): void => {
    const c = records.get(code);
    const email = c?.salesRepEmail ?? null;
    const name = c?.salesRep ?? null;
    const key = email ? email.toLowerCase() : name ? `nom:${name}` : '';
    let rep = reps.get(key);
    if (!rep) reps.set(key, (rep = { key, salesRep: name, email, clients: [], totalCents: 0 }));
    if (!rep.salesRep && name) rep.salesRep = name;
    if (rep.clients.some((r) => r.clientCode === code)) return;
    rep.clients.push(row);
    rep.totalCents += row.overdueCents;
  };
  for (const a of plan.actions) {
    if (a.step === 'preventive') continue; // nothing overdue: not in collection
    add(a.clientCode, { clientCode: a.clientCode, clientName: a.clientName, status: 'action', overdueCents: a.overdueCents, invoices: a.invoices.filter((i) => i.daysOverdue > 0).length, oldestDaysLate: a.oldestDaysLate, step: a.step, on: a.dueOn, note: null });
  }
  for (const m of plan.manual) {
    add(m.clientCode, { clientCode: m.clientCode, clientName: m.clientName, status: 'manuel', overdueCents: m.overdueCents, invoices: m.invoices.length, oldestDaysLate: m.oldestDaysLate, step: m.step, on: m.dueOn, note: m.reason });
  }
  for (const w of plan.waiting) {
    add(w.clientCode, { clientCode: w.clientCode, clientName: w.clientName, status: 'attente', overdueCents: w.overdueCents, invoices: w.invoices.length, oldestDaysLate: w.oldestDaysLate, step: w.case.nextStep, on: w.case.nextOn, note: w.case.waitReason });
  }
  for (const l of plan.litigation) {
    add(l.clientCode, { clientCode: l.clientCode, clientName: l.clientName, status: 'contentieux', overdueCents: l.amountCents, invoices: l.invoices.length, oldestDaysLate: null, step: 'contentieux', on: l.handedOverOn, note: null });
  }
  for (const rep of reps.values()) {
    rep.clients.sort((a, b) => b.overdueCents - a.overdueCents || (a.clientCode < b.clientCode ? -1 : 1));
  }
  const label = (r: RepDigest): string => (r.salesRep ?? r.email ?? '').toLowerCase();
  return [...reps.values()].sort((a, b) => {
    if ((a.key === '') !== (b.key === '')) return a.key === '' ? 1 : -1;
    return label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : a.key < b.key ? -1 : 1;
  });
}
