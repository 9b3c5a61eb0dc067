/**
 * The client's collection case (DESIGN §3.3): the unit of the reminders is the client,
 * not the invoice. This module is pure: it reads the messages already taken for one
 * client and what is known today of the invoices they named, and says which case the
 * client is in, at which step, and when (and why not sooner) the next step may come.
 *
 * The rules, as the README states them:
 * - A case is a run of overdue reminders (every step but `preventive`). It opens with
 *   its first one; its current step is the highest step sent in it (by the order of
 *   STEPS, whatever the ladder: the tone never goes down).
 * - A reminder continues the case of the previous one when the client was never clear
 *   of overdue invoices in between: some invoice named by the case is still chased
 *   today, or the last of them left the exports (paid, credited) on a day when the
 *   oldest invoice of the new reminder was already overdue (its due date strictly
 *   before that day). Otherwise the previous case closed and the reminder opens a new
 *   one. Today is judged the same way, with the oldest invoice chased today.
 * - An invoice still open but taken out of the scenario (dispute, pending promise,
 *   honoured payment plan, write-off) no longer holds the case open: it counts as
 *   ended on the day it was last named. When it comes back (a broken promise or plan)
 *   it holds the case again, at its step.
 * - A case handed over (`contentieux`) stays in litigation until a person closes it
 *   (a litigation closure dated on or after the hand-over); a closure dated on or after
 *   a case's last reminder closes any case.
 */
import { addDays, formatDateFr, type CalendarDate } from './dates.js';
import type { Cents } from './money.js';
import { nextRung, rungOf, STEP_LABELS, STEPS, type Ladder, type Rung, type Step } from './scenario.js';

/** A message already taken for a client: sent, being sent, uncertain or left to a person (failures do not count). */
export interface CaseMessage {
  date: CalendarDate;
  step: Step;
  channel: string;
  amountCents: Cents;
  /** The invoices it named, each with its step: `preventive` for those listed « à échoir ». */
  invoices: { ref: string; step: Step; dueDate: CalendarDate | null }[];
  /**
   * A registered letter not yet posted: the id of its LRAR task still « à faire ». Its
   * date is then the e-mail's; once posted, `date` is the posting day (the deadline of a
   * formal notice runs from it) and this is absent.
   */
  awaitingPost?: number;
}

/** A litigation closed by a person (paid, abandoned, written off), from the journal. */
export interface LitigationClosure {
  clientCode: string;
  closedOn: CalendarDate;
  outcome: string;
  reason: string;
}

/** What is known today of the client's invoices. */
export interface CaseFacts {
  asOf: CalendarDate;
  /** Refs open today after allocation and chased (not disputed, promised, in an honoured plan, written off). */
  chased: ReadonlySet<string>;
  /** Refs open today after allocation, whatever their status. */
  open: ReadonlySet<string>;
  /** When invoices the journal knew left the exports (paid or credited). */
  settled: ReadonlyMap<string, CalendarDate>;
  /** Dates of the client's litigation closures. */
  closures: readonly CalendarDate[];
}

/** One collection case of a client's history. */
export interface ClientCase {
  /** Its overdue reminders, oldest first. */
  messages: CaseMessage[];
  openedOn: CalendarDate;
  /** The highest step sent: the case's current step. */
  step: Step;
  /** When the current step was (first) sent. */
  stepOn: CalendarDate;
  /** When it was handed over to litigation, if it was. */
  handedOverOn: CalendarDate | null;
}

/** Where a client stands today. */
export interface CaseState {
  /** The case the client is in today (its last case, still going on), or null. */
  current: ClientCase | null;
  /** The case handed over to litigation and not closed by a person, or null. */
  litigation: ClientCase | null;
  /** The client's last case, whatever became of it. */
  last: ClientCase | null;
  /** The last message to the client, of any kind (the minimum gap runs from it). */
  lastMessage: CaseMessage | null;
}

const NEVER = '9999-12-31';
const rank = (s: Step): number => STEPS.indexOf(s);
const isReminder = (s: Step): boolean => s !== 'preventive';

/** The invoices a reminder chased (those it listed « à échoir » aside). */
function chasedBy(m: CaseMessage): CaseMessage['invoices'] {
  return m.invoices.filter((i) => isReminder(i.step));
}

/** The oldest due date a reminder chased; null when the journal does not know it. */
function oldestDueOf(m: CaseMessage): CalendarDate | null {
  let oldest: CalendarDate | null = null;
  for (const i of chasedBy(m)) if (i.dueDate !== null && (oldest === null || i.dueDate < oldest)) oldest = i.dueDate;
  return oldest;
}

/**
 * The first day the client was clear of the invoices the case named: the latest of
 * their ends (never, for one still chased; the day it left the exports, for one paid
 * or credited; the day it was last named, for one taken out of the scenario).
 */
export function reachOf(c: ClientCase, facts: CaseFacts): CalendarDate {
  const lastNamed = new Map<string, CalendarDate>();
  for (const m of c.messages) for (const i of chasedBy(m)) lastNamed.set(i.ref, m.date);
  let reach = c.messages[c.messages.length - 1]!.date;
  for (const [ref, named] of lastNamed) {
    const end = facts.chased.has(ref) ? NEVER : facts.open.has(ref) ? named : (facts.settled.get(ref) ?? facts.asOf);
    if (end > reach) reach = end;
  }
  return reach;
}

/** True when a person closed the case (a litigation closure) after its last reminder and on or before `date`. */
function closedBy(c: ClientCase, date: CalendarDate, facts: CaseFacts): boolean {
  const from = c.handedOverOn ?? c.messages[c.messages.length - 1]!.date;
  return facts.closures.some((k) => k >= from && k <= date);
}

/** True when the client stayed in collection from the case's last reminder until its oldest overdue invoice (due `oldestDue`) fell due. */
function continues(c: ClientCase, oldestDue: CalendarDate | null, facts: CaseFacts): boolean {
  if (c.handedOverOn !== null) return true;
  // An old journal that did not keep due dates: keep the case, the tone never goes down.
  if (oldestDue === null) return true;
  return oldestDue < reachOf(c, facts);
}

function caseOf(m: CaseMessage): ClientCase {
  return { messages: [m], openedOn: m.date, step: m.step, stepOn: m.date, handedOverOn: m.step === 'contentieux' ? m.date : null };
}

function join(c: ClientCase, m: CaseMessage): void {
  c.messages.push(m);
  if (rank(m.step) > rank(c.step)) {
    c.step = m.step;
    c.stepOn = m.date;
  }
  if (m.step === 'contentieux' && c.handedOverOn === null) c.handedOverOn = m.date;
}

const byDate = (a: CaseMessage, b: CaseMessage): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : rank(a.step) - rank(b.step));

/** The client's cases, oldest first, from its messages (preventive reminders belong to no case). */
export function casesOf(messages: readonly CaseMessage[], facts: CaseFacts): ClientCase[] {
  const cases: ClientCase[] = [];
  for (const m of messages.filter((x) => isReminder(x.step)).sort(byDate)) {
    const cur = cases[cases.length - 1];
    if (cur && !closedBy(cur, m.date, facts) && continues(cur, oldestDueOf(m), facts)) join(cur, m);
    else cases.push(caseOf(m));
  }
  return cases;
}

/**
 * Where the client stands today. `oldestDue` is the due date of its oldest invoice
 * chased and overdue within the plan's horizon (null: nothing overdue): the last case
 * goes on when the client stayed in collection since its last reminder.
 */
export function caseStateOf(messages: readonly CaseMessage[], facts: CaseFacts, oldestDue: CalendarDate | null): CaseState {
  const cases = casesOf(messages, facts);
  const last = cases[cases.length - 1] ?? null;
  let lastMessage: CaseMessage | null = null;
  for (const m of messages) if (lastMessage === null || m.date >= lastMessage.date) lastMessage = m;
  const litigation = last && last.handedOverOn !== null && !closedBy(last, facts.asOf, facts) ? last : null;
  const current = litigation ?? (last && oldestDue !== null && !closedBy(last, facts.asOf, facts) && continues(last, oldestDue, facts) ? last : null);
  return { current, litigation, last, lastMessage };
}

/**
 * The refs handed over to litigation in a case a person has since closed: they are
 * not chased again (a closed litigation was paid, abandoned or written off).
 */
export function closedLitigationRefs(messages: readonly CaseMessage[], closures: readonly CalendarDate[], asOf: CalendarDate): Set<string> {
  const out = new Set<string>();
  for (const m of messages) {
    if (m.step !== 'contentieux' || !closures.some((k) => k >= m.date && k <= asOf)) continue;
    for (const i of chasedBy(m)) out.add(i.ref);
  }
  return out;
}

/** Why a step waits: the ladder's day, the gap between two rungs kept after a late send, or the minimum gap between two messages. */
export type PaceCode = 'etape' | 'palier' | 'ecart';

/** The next step of a case and the earliest day it may come. */
export interface Pace {
  rung: Rung;
  on: CalendarDate;
  /** The constraint that sets `on`. */
  code: PaceCode;
  /** That constraint, in French, for « pourquoi pas avant ». */
  reason: string;
}

/** What the pace of a case is computed from. */
export interface PaceInput {
  ladder: Ladder;
  /** The case's current step, null before its first reminder. */
  step: Step | null;
  /** The date of the case's last reminder (the late-send rule runs from it). */
  lastReminderOn: CalendarDate | null;
  /** The case's oldest overdue invoice. */
  oldest: { ref: string; dueDate: CalendarDate };
  /** The last message to the client, of any kind. */
  lastMessage: { date: CalendarDate; step: Step } | null;
  gapDays: number;
}

/** French name of a step as the subject of « prévue » / « … jours après ». */
const STEP_NOUNS: Record<Step, string> = { ...STEP_LABELS, contentieux: 'transmission au contentieux' };

/**
 * The next step of a case and when it may come: the strict successor of the current
 * step in the client's ladder (never a skipped step, never an earlier one), on the
 * latest of (1) the day the oldest overdue invoice reaches that step's offset, (2) the
 * last reminder's date plus the gap between the two rungs (a late send keeps the gap;
 * only when the ladder has the current step), (3) the last message's date plus the
 * minimum gap. Null at the end of the ladder.
 */
export function paceOf(p: PaceInput): Pace | null {
  const rung = nextRung(p.ladder, p.step);
  if (!rung) return null;
  const label = STEP_NOUNS[rung.step];
  // A step after the due date is never due on it (a ladder may say J+0).
  const ladderDay = addDays(p.oldest.dueDate, Math.max(1, rung.offsetDays));
  let best: Pace = {
    rung, on: ladderDay, code: 'etape',
    reason: `${label} prévue à J+${rung.offsetDays} de la facture la plus ancienne (${p.oldest.ref}, échéance du ${formatDateFr(p.oldest.dueDate)})`,
  };
  const from = p.step !== null ? rungOf(p.ladder, p.step) : null;
  if (from && p.lastReminderOn !== null) {
    const kept = addDays(p.lastReminderOn, rung.offsetDays - from.offsetDays);
    if (kept > best.on) {
      best = { rung, on: kept, code: 'palier',
        reason: `écart entre étapes gardé : ${STEP_LABELS[from.step]} envoyée le ${formatDateFr(p.lastReminderOn)}, ${label} ${rung.offsetDays - from.offsetDays} jours après` };
    }
  }
  const gap = gapOf(p.lastMessage, p.gapDays);
  if (gap && gap.on > best.on) best = { rung, ...gap };
  return best;
}

/** The minimum gap from the last message, whatever its kind. */
export function gapOf(last: { date: CalendarDate; step: Step } | null, gapDays: number): { on: CalendarDate; code: 'ecart'; reason: string } | null {
  if (last === null || gapDays <= 0) return null;
  return {
    on: addDays(last.date, gapDays), code: 'ecart',
    reason: `écart minimal de ${gapDays} jour${gapDays > 1 ? 's' : ''} depuis le message du ${formatDateFr(last.date)} (${STEP_LABELS[last.step]})`,
  };
}

/** True when a message already named this invoice as coming due (a preventive reminder, or « à échoir » in a case message). */
export function forewarned(messages: readonly CaseMessage[], ref: string, dueDate: CalendarDate | null = null): boolean {
  return messages.some((m) => m.invoices.some((i) => i.ref === ref && i.step === 'preventive' && (dueDate === null || i.dueDate === null || i.dueDate === dueDate)));
}
