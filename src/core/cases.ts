import { addDays, formatDateFr, type CalendarDate } from './dates.js';
import { formatEuros, type Cents } from './money.js';
import type { OpenItem } from './records.js';

/** A promise to pay, as the journal keeps it. `refs` empty: all the client's invoices. */
export interface PromiseRecord {
  id: number;
  clientCode: string;
  refs: string[];
  promisedOn: CalendarDate;
  amountCents: Cents | null;
  createdOn: CalendarDate;
  /** Corrections (a record is never deleted): from this date it no longer counts. */
  cancelledOn?: CalendarDate | null;
  cancelReason?: string | null;
  /** The record that replaced this one (`--replace`), cancelled the same day. */
  replacedBy?: number | null;
}

/** The corrections a promise, a payment plan or a pause can carry. */
export type Correction = Pick<PromiseRecord, 'cancelledOn' | 'cancelReason' | 'replacedBy'>;

/** A disputed invoice; closed when `closedOn` is set. */
export interface DisputeRecord {
  id: number;
  ref: string;
  clientCode: string;
  reason: string;
  openedOn: CalendarDate;
  closedOn: CalendarDate | null;
  creditNote: boolean;
  /** The dispute that replaced this one (`--replace`); this one is closed the same day. */
  replacedBy?: number | null;
}

/** A payment plan (échéancier) and its instalments. */
export interface PaymentPlanRecord {
  id: number;
  clientCode: string;
  refs: string[];
  totalCents: Cents;
  downPaymentCents: Cents;
  mode: string;
  createdOn: CalendarDate;
  instalments: { number: number; dueOn: CalendarDate; amountCents: Cents }[];
  /** When the debtor signed it: an acknowledgement that interrupts prescription (Code civil art. 2240). */
  signedOn?: CalendarDate | null;
  cancelledOn?: CalendarDate | null;
  cancelReason?: string | null;
  replacedBy?: number | null;
}

/** A pause of the reminders for a client. */
export interface PauseRecord {
  id: number;
  clientCode: string;
  until: CalendarDate;
  reason: string;
  createdOn: CalendarDate;
  resumedOn: CalendarDate | null;
  cancelledOn?: CalendarDate | null;
  cancelReason?: string | null;
  replacedBy?: number | null;
}

/** A debt deemed irrecoverable. */
export interface WriteoffRecord {
  ref: string;
  clientCode: string;
  reason: string;
  amountCents: Cents;
  writtenOn: CalendarDate;
}

/** Everything the journal knows about the cases. */
export interface CaseFile {
  promises: PromiseRecord[];
  disputes: DisputeRecord[];
  plans: PaymentPlanRecord[];
  pauses: PauseRecord[];
  writeoffs: WriteoffRecord[];
  /** Date of each client's last call. */
  lastCalls: Map<string, CalendarDate>;
  /** When invoices the journal knew left the exports (paid or credited). */
  settled: Map<string, CalendarDate>;
}

/** An empty case file (no journal). */
export function emptyCaseFile(): CaseFile {
  return { promises: [], disputes: [], plans: [], pauses: [], writeoffs: [], lastCalls: new Map(), settled: new Map() };
}

export type PromiseStatus = 'en_cours' | 'tenue' | 'rompue' | 'annulee' | 'remplacee';
export type PlanStatus = 'en_cours' | 'rompu' | 'solde' | 'annule' | 'remplace';

/** Whether a correction (`--cancel`, `--replace`) has taken effect by `asOf`. */
export function isCancelled(r: Correction, asOf: CalendarDate): boolean {
  return r.cancelledOn != null && r.cancelledOn <= asOf;
}

/** Whether a pause holds the client's reminders at `asOf`: started, not over, not resumed nor cancelled. */
export function isPauseActive(p: PauseRecord, asOf: CalendarDate): boolean {
  return p.createdOn <= asOf && asOf <= p.until && (p.resumedOn === null || p.resumedOn > asOf) && !isCancelled(p, asOf);
}

export type InstalmentStatus = 'payee' | 'a_venir' | 'en_retard';

/** How a litigation hand-over ends, with its French labels (in a light module: the declarations load it). */
export { LITIGATION_OUTCOMES, type LitigationOutcome } from './litigation-outcomes.js';

/** Why an invoice is out of the reminders. */
export type CaseReason = 'litige' | 'promesse' | 'echeancier' | 'perte';

/** The cases at a date: what leaves the reminders, what the plan must mention. */
export interface CaseStatus {
  excluded: Map<string, { reason: CaseReason; detail: string }>;
  paused: Map<string, { until: CalendarDate; reason: string }>;
  /** Notes an action must carry (broken promise, missed instalment). */
  notes: Map<string, string[]>;
  brokenPromises: Map<string, number>;
  promises: { record: PromiseRecord; status: PromiseStatus; openCents: Cents }[];
  plans: {
    record: PaymentPlanRecord;
    status: PlanStatus;
    paidCents: Cents;
    instalments: { number: number; dueOn: CalendarDate; amountCents: Cents; status: InstalmentStatus }[];
  }[];
  /** Instalments of plans being honoured that call for a reminder: the next unpaid one. */
  upcomingInstalments: { clientCode: string; planId: number; number: number; of: number; dueOn: CalendarDate; amountCents: Cents }[];
  lastCalls: Map<string, CalendarDate>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Evaluates the cases at `asOf` against the current open items: a promise is kept
 * once its invoices are gone from the exports by its date (plus `graceDays`), broken
 * when the date has passed with them still open, pending before; a payment plan is
 * honoured while the amount paid (what left its invoices' open amounts) covers every
 * instalment past due, broken otherwise, settled when nothing is left. Disputes,
 * write-offs, pending promises and honoured plans take their invoices out of the
 * reminders; broken ones put them back, with a note. A promise, plan or pause
 * cancelled or replaced stops counting from that date (neither kept nor broken: it was
 * withdrawn while pending, the only state in which the commands let one be cancelled).
 */
export function evaluateCases(file: CaseFile, openItems: OpenItem[], asOf: CalendarDate, graceDays: number): CaseStatus {
  const open = new Map<string, OpenItem>();
  const byClient = new Map<string, OpenItem[]>();
  for (const i of openItems) {
    if (i.openCents <= 0) continue;
    open.set(i.ref, i);
    push(byClient, i.clientCode, i);
  }
  const status: CaseStatus = {
    excluded: new Map(),
    paused: new Map(),
    notes: new Map(),
    brokenPromises: new Map(),
    promises: [],
    plans: [],
    upcomingInstalments: [],
    lastCalls: file.lastCalls,
  };

  for (const d of file.disputes) {
    if (d.closedOn === null || d.closedOn > asOf) {
      status.excluded.set(d.ref, { reason: 'litige', detail: `${d.ref} contestée depuis le ${formatDateFr(d.openedOn)} : ${d.reason}` });
    }
  }
  for (const w of file.writeoffs) {
    if (w.writtenOn <= asOf) status.excluded.set(w.ref, { reason: 'perte', detail: `${w.ref} passée en perte le ${formatDateFr(w.writtenOn)} : ${w.reason}` });
  }
  for (const p of file.pauses) {
    if (isPauseActive(p, asOf)) status.paused.set(p.clientCode, { until: p.until, reason: p.reason });
  }

  for (const p of [...file.promises].sort((a, b) => a.id - b.id)) {
    if (p.createdOn > asOf) continue;
    const refs = p.refs.length > 0 ? p.refs : (byClient.get(p.clientCode) ?? []).map((i) => i.ref);
    const stillOpen = refs.filter((r) => open.has(r));
    const openCents = stillOpen.reduce((s, r) => s + open.get(r)!.openCents, 0);
    const deadline = addDays(p.promisedOn, graceDays);
    let st: PromiseStatus;
    if (isCancelled(p, asOf)) {
      st = p.replacedBy != null ? 'remplacee' : 'annulee';
    } else if (stillOpen.length === 0) {
      const late = refs.some((r) => (file.settled.get(r) ?? p.promisedOn) > deadline);
      st = late ? 'rompue' : 'tenue';
    } else if (asOf <= deadline) {
      st = 'en_cours';
      for (const r of stillOpen) {
        status.excluded.set(r, { reason: 'promesse', detail: `${r} : paiement promis pour le ${formatDateFr(p.promisedOn)}${p.amountCents !== null ? ` (${formatEuros(p.amountCents)})` : ''}` });
      }
    } else {
      st = 'rompue';
      push(status.notes, p.clientCode, `promesse de paiement du ${formatDateFr(p.promisedOn)} non tenue`);
    }
    if (st === 'rompue') status.brokenPromises.set(p.clientCode, (status.brokenPromises.get(p.clientCode) ?? 0) + 1);
    status.promises.push({ record: p, status: st, openCents });
  }

  for (const plan of [...file.plans].sort((a, b) => a.id - b.id)) {
    if (plan.createdOn > asOf) continue;
    const openCents = plan.refs.reduce((s, r) => s + (open.get(r)?.openCents ?? 0), 0);
    const paid = Math.max(0, plan.totalCents - openCents);
    let due = plan.downPaymentCents;
    let missed: { number: number; dueOn: CalendarDate } | null = null;
    const instalments = plan.instalments.map((i) => {
      due += i.amountCents;
      const st: InstalmentStatus = paid >= due ? 'payee' : addDays(i.dueOn, graceDays) < asOf ? 'en_retard' : 'a_venir';
      if (st === 'en_retard' && !missed) missed = { number: i.number, dueOn: i.dueOn };
      return { ...i, status: st };
    });
    const st: PlanStatus = isCancelled(plan, asOf) ? (plan.replacedBy != null ? 'remplace' : 'annule') : openCents === 0 ? 'solde' : missed ? 'rompu' : 'en_cours';
    status.plans.push({ record: plan, status: st, paidCents: paid, instalments });
    if (st === 'en_cours') {
      for (const r of plan.refs) {
        if (open.has(r)) status.excluded.set(r, { reason: 'echeancier', detail: `${r} : échéancier du ${formatDateFr(plan.createdOn)} respecté` });
      }
      const next = instalments.find((i) => i.status === 'a_venir');
      if (next) {
        status.upcomingInstalments.push({
          clientCode: plan.clientCode, planId: plan.id, number: next.number, of: instalments.length, dueOn: next.dueOn, amountCents: next.amountCents,
        });
      }
    } else if (st === 'rompu') {
      const m = missed as unknown as { number: number; dueOn: CalendarDate };
      push(status.notes, plan.clientCode, `échéance n° ${m.number} du ${formatDateFr(m.dueOn)} de l'échéancier non payée : l'échéancier est rompu, les relances reprennent`);
    }
  }
  return status;
}
