import { addDays, dayNumber, daysBetween, formatDateFr, type CalendarDate } from './dates.js';
import { formatEuros, type Cents } from './money.js';
import type { Client, OpenItem, Segment } from './records.js';
import { nextRung, SEGMENT_LADDERS, STEP_LABELS, withoutEmail, type Channel, type Ladder, type Step } from './scenario.js';
import { CaseScoreSum, invoiceAtRisk, scoreCase, scoreInvoice, withBarUrgency, type BarUrgency, type InvoiceScoreParts, type ScoreParts, type ScoreWeights } from './score.js';
import { emptyHistory, segmentOf, withBrokenPromises, type PaymentHistory, type SegmentThresholds, type SegmentVerdict } from './segment.js';
import type { CaseReason, CaseStatus } from './cases.js';
import { positionOf } from './allocation.js';
import { acknowledgementsOf, barDateOf, barText, daysBeforeBar, prescriptionStateOf, PRESCRIPTION_RULES, type BarDate } from './prescription.js';
import { activeProcedureOf, declarationDeadline, procedureReason, type ProcedureRecord } from './procedure.js';
import {
  caseStateOf,
  closedLitigationRefs,
  forewarned,
  gapOf,
  paceOf,
  type CaseFacts,
  type CaseMessage,
  type CaseState,
  type ClientCase,
  type LitigationClosure,
  type Pace,
} from './case.js';

/** The settings a plan depends on (from the config). */
export interface PlanSettings {
  thresholds: SegmentThresholds;
  /** Segments forced by the config, per client code (the clients file can force too). */
  segmentOverrides: Record<string, Segment>;
  weights: ScoreWeights;
  ladders: Record<string, Ladder>;
  /** Ladder names forced per client code. */
  clientLadders: Record<string, string>;
  /** Below this amount due, a case gets no reminder. */
  minimumCents: Cents;
  /** Never two messages to one client within this many days, whatever their kind. */
  minimumGapDays: number;
}

/** Everything a plan is computed from: no clock, no files. */
export interface PlanInput {
  asOf: CalendarDate;
  /** Actions falling due up to asOf + horizonDays − 1 are planned (7: the week). */
  horizonDays: number;
  openItems: OpenItem[];
  clients: Client[];
  histories: Map<string, PaymentHistory>;
  /** Messages already taken, per client code (the journal; absent or empty without one). */
  messages?: Map<string, CaseMessage[]>;
  /** When invoices the journal knew left the exports (paid or credited), per ref. */
  settled?: Map<string, CalendarDate>;
  /** Litigations closed by a person (the journal). */
  litigationClosures?: LitigationClosure[];
  settings: PlanSettings;
  /** Promises, disputes, payment plans, pauses, write-offs at the as-of date (the journal). */
  cases?: CaseStatus;
  /** Collective proceedings (the journal): a client under one gets no reminder, it is left to a person. */
  procedures?: readonly ProcedureRecord[];
}

/** An invoice of an action: overdue ones at the action's step, those coming due (« à échoir ») at `preventive`. */
export interface PlanInvoice {
  ref: string;
  docDate: CalendarDate | null;
  dueDate: CalendarDate;
  dueDateDerived: boolean;
  /** The invoice's amount incl. VAT, for letters (not in the plan's JSON). */
  originalCents: Cents;
  /** What the books show open on it, before the client's unapplied credits. */
  statementCents: Cents;
  /** What is still owed on it once the client's unapplied credits are allocated: what is asked. */
  openCents: Cents;
  daysOverdue: number;
  step: Step;
  atRiskCents: Cents;
  /** Set when the invoice is within 6 months of its bar date: the day it is barred (prescription). */
  barOn?: CalendarDate;
  /** How that bar date raised its score (plan --explain; not in the plan's JSON invoices). */
  barUrgency?: BarUrgency;
  /** How its score was made, age term included (plan --explain; not in the plan's JSON invoices); absent on a barred invoice. */
  scoreParts?: InvoiceScoreParts;
}

/** One client's action of the plan. */
export interface PlanAction {
  rank: number;
  clientCode: string;
  clientName: string;
  segment: Segment;
  segmentWhy: string;
  ladder: string;
  step: Step;
  channel: Channel;
  /** Why the channel differs from the ladder's (no e-mail), or null. */
  channelNote: string | null;
  dueOn: CalendarDate;
  score: Cents;
  scoreParts: ScoreParts;
  /** What is overdue after allocation of the unapplied credits; never more than the balance. */
  overdueCents: Cents;
  /** The account balance. */
  balanceCents: Cents;
  /** The client's unapplied credits (payments and credit notes not lettered), as a positive number. */
  unappliedCents: Cents;
  /** The part of those credits allocated to the invoices of this action (the letter's deduction). */
  creditsAppliedCents: Cents;
  oldestDaysLate: number;
  email: string[];
  invoices: PlanInvoice[];
  /** What the person (and the letter) must know: a broken promise, a missed instalment, a call made. */
  notes: string[];
  /** The client's collection case this action belongs to (DESIGN §3.3: the unit is the case). */
  case: CaseView;
  /**
   * Why the action ranks higher than its age and amount alone would put it (for the
   * person, never in a letter): « FA1 prescrite le 16/03/2027 (article L110-4 du Code de
   * commerce) : à traiter avant ». Absent when nothing raised it.
   */
  why?: string[];
}

/** A client's collection case as the plan sees it at the as-of date. */
export interface CaseView {
  /** When the case opened: the date of its first overdue reminder; null when this action opens it. */
  openedOn: CalendarDate | null;
  /** The case's current step: the last one sent; null before the first reminder. */
  step: Step | null;
  /** When the current step was sent; null before the first reminder (always filled by the plan). */
  stepOn?: CalendarDate | null;
  /** Overdue reminders of this case already sent (before this action). */
  remindersSent: number;
  /** The date of the case's first reminder (= openedOn), null if none yet. */
  firstReminderOn: CalendarDate | null;
  /** The last message to this client, of any kind (the minimum gap runs from it). */
  lastMessageOn: CalendarDate | null;
  /** The step after this action's, and the earliest date it can come; null at the end of the ladder. */
  nextStep: Step | null;
  nextOn: CalendarDate | null;
  /** Why this action is not sooner (the ladder's day, the minimum gap, a promise…), or null. */
  waitReason: string | null;
  /** The code of that reason, or null (always filled by the plan). */
  waitCode?: WaitCode | null;
}

/**
 * Why a step waits (stable codes, documented in the README): `etape` the ladder's day
 * of the oldest overdue invoice, `palier` the gap between two rungs kept after a late
 * send, `ecart` the minimum gap between two messages, `pause`, `montant-minimum`,
 * `hors-scenario` (its overdue invoices are promised, disputed or in a payment plan),
 * `fin-de-scenario` (the ladder has no step left), `lrar-a-poster` (the registered
 * letter of the current step is not posted yet: its LRAR task is still open).
 */
export type WaitCode = 'etape' | 'palier' | 'ecart' | 'pause' | 'montant-minimum' | 'hors-scenario' | 'fin-de-scenario' | 'lrar-a-poster';

/** A client in collection that gets no action within the horizon: its case, its next step, and why not sooner. */
export interface WaitingCase {
  clientCode: string;
  clientName: string;
  segment: Segment;
  ladder: string;
  /** What is overdue after allocation (chased invoices only). */
  overdueCents: Cents;
  oldestDaysLate: number;
  /** Its overdue invoices, oldest first. */
  invoices: string[];
  /** The case; `nextStep`, `nextOn` and `waitReason` say what comes and when. */
  case: CaseView;
}

/** A client handed over to litigation, not closed by a person: listed, never chased automatically. */
export interface LitigationCase {
  clientCode: string;
  clientName: string;
  handedOverOn: CalendarDate;
  /** When the case opened, and its reminders before the hand-over. */
  openedOn: CalendarDate;
  remindersSent: number;
  /** What is still owed today (after allocation) on the invoices handed over. */
  amountCents: Cents;
  /** The invoices handed over that are still open. */
  invoices: string[];
  /** Open invoices that were not part of the hand-over (issued since): flagged here, not chased. */
  newInvoices: string[];
  newInvoicesCents: Cents;
}

/** A case left to a person, with the action it would have had. */
export interface ManualAction extends PlanAction {
  reason: string;
  /** With reason `prescription`: the barred invoices, never chased automatically nor put in a letter. */
  barred?: BarredInvoice[];
  /** Set when the client is under a collective proceeding (reason code `procedure-collective`). */
  procedure?: ManualProcedure;
}

/** Why a client under a collective proceeding is in the manual list, and the deadline of its declaration of claim. */
export interface ManualProcedure {
  code: 'procedure-collective';
  id: number;
  type: ProcedureRecord['type'];
  judgmentOn: CalendarDate;
  bodaccOn: CalendarDate | null;
  /** The last day to declare the claim (R622-24); null while the BODACC publication is unknown. */
  declarationDeadline: CalendarDate | null;
}

/** A case that gets no action, and why. */
export interface Skipped {
  clientCode: string;
  clientName: string;
  reason: SkipReason;
  detail: string;
}

/** Stable codes of the reasons a case is left out (documented in the README). */
export type SkipReason = 'montant-minimum' | 'credits-couvrent' | 'echeance-inconnue' | 'pause' | 'contentieux-clos' | CaseReason;

/** The week's plan. */
export interface Plan {
  asOf: CalendarDate;
  until: CalendarDate;
  actions: PlanAction[];
  manual: ManualAction[];
  skipped: Skipped[];
  /** Clients in collection with no action within the horizon, by client code. */
  waiting: WaitingCase[];
  /** Clients « en contentieux », by hand-over date. */
  litigation: LitigationCase[];
  totals: { actions: number; overdueCents: Cents; scoreCents: Cents; manual: number; skipped: number; waiting: number; litigation: number };
}

/** An invoice the plan may chase: open after allocation, in the scenario, with a known due date. */
interface Chased {
  item: OpenItem;
  statementCents: Cents;
  dueDate: CalendarDate;
  /** Its bar date (prescription), when it has a date to start from. */
  bar?: BarDate | null;
}

/** An invoice past its bar date (Code de commerce L110-4, Code de la consommation L218-2): left to a person. */
export interface BarredInvoice {
  ref: string;
  docDate: CalendarDate | null;
  dueDate: CalendarDate | null;
  openCents: Cents;
  /** The day it was barred, the period's article, and when the period started. */
  barOn: CalendarDate;
  article: string;
  startOn: CalendarDate;
  startKind: BarDate['startKind'];
}

/** An invoice or instalment coming due, with the day its preventive reminder falls. */
interface Upcoming extends Chased {
  remindOn: CalendarDate;
  instalment: boolean;
}

/** An invoice listed « à échoir » in an action: a chased invoice, or an instalment of a payment plan. */
type Listed = Chased & { instalment?: boolean };

const NO_SETTLEMENTS: ReadonlyMap<string, CalendarDate> = new Map();
const NO_REFS: ReadonlySet<string> = new Set();

/**
 * Builds the plan, one client's case at a time (DESIGN §3.3, rules in src/core/case.ts
 * and the README): after allocation of the unapplied credits, the chased invoices
 * (not disputed, promised, in an honoured plan, written off, or in a litigation a
 * person closed) decide whether the client is in collection; its case gives the
 * current step and the next one, which comes when the oldest overdue invoice reaches
 * its day, the gap after a late send is kept and the minimum gap since the last message
 * has passed. One message covers every overdue invoice, at the case's step, plus those
 * coming due within the preventive window (« à échoir »). A client with nothing
 * overdue may get a preventive reminder, once per invoice. Each action is scored as
 * expected euros at risk, and ranked most valuable first. Clients in collection without
 * an action are listed as waiting, with why; clients handed over to litigation are
 * listed apart; cases left out say why.
 */
export function buildPlan(input: PlanInput): Plan {
  const until = addDays(input.asOf, Math.max(1, input.horizonDays) - 1);
  const shared = sharedFactsOf(input, until);
  const lists: PlanLists = { actions: [], manual: [], skipped: [], waiting: [], litigation: [] };
  const byClient = itemsByClient(input);
  for (const [code, items] of byClient) {
    planClient(accountOf(code, items, input, shared), input, shared, lists);
    byClient.delete(code); // what a client's case kept is in its entries: its items can go
  }
  return rankedPlan(input.asOf, until, lists);
}

/** The lists a plan fills, client by client, before they are ranked. */
interface PlanLists {
  actions: PlanAction[];
  manual: ManualAction[];
  skipped: Skipped[];
  waiting: WaitingCase[];
  litigation: LitigationCase[];
}

/** What every client's case reads, computed once per plan. */
interface SharedFacts {
  until: CalendarDate;
  clients: Map<string, Client>;
  closures: Map<string, LitigationClosure[]>;
  /** Payment-plan instalments whose preventive reminder can fall within the horizon, per client. */
  instalments: Map<string, CaseStatus['upcomingInstalments']>;
  /** Prescription: the acknowledgements (signed payment plans) that restart each invoice's period. */
  acknowledgements: ReturnType<typeof acknowledgementsOf>;
  /** Bar dates without acknowledgement by start date (many invoices share one), per rule and kind of start: b2b, consumer × due date, invoice date. */
  bars: Map<CalendarDate, BarDate | null>[];
  /** The class of the actions' invoices, per segment (their score parts come from it). */
  invoiceClasses: Map<Segment, InvoiceClass>;
}

function sharedFactsOf(input: PlanInput, until: CalendarDate): SharedFacts {
  const closures = new Map<string, LitigationClosure[]>();
  for (const c of input.litigationClosures ?? []) closures.set(c.clientCode, [...(closures.get(c.clientCode) ?? []), c]);
  const instalments = new Map<string, CaseStatus['upcomingInstalments']>();
  for (const i of input.cases?.upcomingInstalments ?? []) {
    if (addDays(i.dueOn, -PREVENTIVE_INSTALMENT_DAYS) <= until && i.dueOn >= input.asOf) {
      instalments.set(i.clientCode, [...(instalments.get(i.clientCode) ?? []), i]);
    }
  }
  return {
    until,
    clients: new Map(input.clients.map((c) => [c.clientCode, c])),
    closures,
    instalments,
    acknowledgements: acknowledgementsOf((input.cases?.plans ?? []).map((p) => p.record), input.asOf),
    bars: [new Map(), new Map(), new Map(), new Map()],
    invoiceClasses: new Map(),
  };
}

/** The open items per client, plus the clients handed over to litigation: they stay listed even once nothing is open. */
function itemsByClient(input: PlanInput): Map<string, OpenItem[]> {
  const byClient = new Map<string, OpenItem[]>();
  for (const item of input.openItems) {
    const list = byClient.get(item.clientCode);
    if (list) list.push(item);
    else byClient.set(item.clientCode, [item]);
  }
  for (const [code, list] of input.messages ?? []) {
    if (!byClient.has(code) && list.some((m) => m.step === 'contentieux')) byClient.set(code, []);
  }
  return byClient;
}

/** One client as the plan sees it before its case: who, which segment and ladder, what it owes after allocation. */
interface Account {
  code: string;
  name: string;
  client: Client | null;
  messages: CaseMessage[];
  /** Litigations a person closed by the as-of date, oldest first. */
  closures: LitigationClosure[];
  verdict: SegmentVerdict;
  ladderName: string;
  ladder: Ladder;
  position: ReturnType<typeof positionOf>;
}

function accountOf(code: string, items: OpenItem[], input: PlanInput, shared: SharedFacts): Account {
  const { settings } = input;
  const client = shared.clients.get(code) ?? null;
  const verdict = segmentFor(code, client, input);
  const ladderName = settings.clientLadders[code] ?? SEGMENT_LADDERS[verdict.segment];
  return {
    code,
    name: client?.clientName || items[0]?.clientName || code,
    client,
    messages: input.messages?.get(code) ?? [],
    closures: (shared.closures.get(code) ?? []).filter((c) => c.closedOn <= input.asOf).sort((a, b) => (a.closedOn < b.closedOn ? -1 : 1)),
    verdict,
    ladderName,
    ladder: settings.ladders[ladderName] ?? settings.ladders.standard!,
    // Unapplied credits are allocated first (oldest due date first): the case, the
    // score and the letters only see what is still owed.
    position: positionOf(code, items),
  };
}

/** A client's invoices still owed, sorted by what the plan may do with each. */
interface DueInvoices {
  /** How many invoices are still owed. */
  openCount: number;
  /** Every invoice still owed, by ref: only the case rules read it, so only a client with messages has it filled. */
  open: ReadonlySet<string>;
  /** Those the plan may chase, oldest due date first. */
  chased: Chased[];
  /** Those out of the scenario (promised, disputed, in a closed litigation…), their details per reason. */
  outOfScenario: Map<SkipReason, string[]>;
  /** How many have neither a due date nor a document date. */
  unknownDue: number;
  /** Those past their bar date: left to a person. */
  barred: BarredInvoice[];
}

/**
 * Sorts what a client still owes (after allocation): an invoice out of the scenario
 * (cases.excluded) or in a litigation a person closed is left out, saying why; a barred
 * one (L110-4, L218-2) is never chased automatically, a person decides; one without
 * any date cannot be placed on the ladder; the rest is chased.
 */
function dueInvoicesOf(account: Account, input: PlanInput, shared: SharedFacts): DueInvoices {
  const { asOf, cases } = input;
  const closedRefs = closedLitigationRefs(account.messages, account.closures.map((c) => c.closedOn), asOf);
  const open = account.messages.length > 0 ? new Set<string>() : null;
  const due: DueInvoices = { openCount: 0, open: open ?? NO_REFS, chased: [], outOfScenario: new Map(), unknownDue: 0, barred: [] };
  const leaveOut = (reason: SkipReason, detail: string) => {
    const list = due.outOfScenario.get(reason);
    if (list) list.push(detail);
    else due.outOfScenario.set(reason, [detail]);
  };
  const consumer = account.client?.consumer ?? false;
  for (const { item: booked, statementCents, openCents } of account.position.invoices) {
    if (openCents <= 0) continue;
    const item = openCents === booked.openCents ? booked : { ...booked, openCents };
    due.openCount++;
    open?.add(item.ref);
    const excluded = cases?.excluded.get(item.ref);
    if (excluded) leaveOut(excluded.reason, excluded.detail);
    else if (closedRefs.has(item.ref)) {
      const k = account.closures[account.closures.length - 1]!;
      leaveOut('contentieux-clos', `${item.ref} : contentieux clos le ${formatDateFr(k.closedOn)} (${k.outcome} : ${k.reason})`);
    } else {
      const bar = barOf(item, consumer, shared);
      if (bar && prescriptionStateOf(bar, asOf) === 'prescrite') due.barred.push(barredInvoiceOf(item, bar));
      else if (item.dueDate === null) due.unknownDue++;
      else due.chased.push({ item, statementCents, dueDate: item.dueDate, bar });
    }
  }
  return due;
}

/** An invoice's bar date (barDateOf); without acknowledgement, computed once per rule and start date. */
function barOf(item: OpenItem, consumer: boolean, shared: SharedFacts): BarDate | null {
  const acknowledged = shared.acknowledgements.get(item.ref);
  if (acknowledged && acknowledged.length > 0) return barDateOf(item, consumer, acknowledged);
  const start = item.docDate ?? item.dueDate;
  if (start === null) return null;
  const byStart = shared.bars[(consumer ? 2 : 0) + (item.docDate !== null ? 1 : 0)]!;
  let bar = byStart.get(start);
  if (bar === undefined) {
    bar = barDateOf(item, consumer);
    byStart.set(start, bar);
  }
  return bar;
}

/** Where a client's case stands today: its case, its overdue invoices, and the next step of its ladder. */
interface Standing {
  state: CaseState;
  current: ClientCase | null;
  lastMessage: { date: CalendarDate; step: Step } | null;
  /** The chased invoices (DueInvoices.chased): the first `overdueCount` are overdue today. */
  chased: Chased[];
  overdueCount: number;
  overdueCents: Cents;
  /** Something is overdue today: the client is in collection. */
  inCollection: boolean;
  /** The next rung and its earliest day, or null at the end of the ladder (or with nothing due in the horizon). */
  pace: Pace | null;
  /** A registered letter of the current step not posted yet, or null. */
  unposted: CaseMessage | null;
}

function standingOf(account: Account, due: DueInvoices, input: PlanInput, until: CalendarDate): Standing {
  const { asOf } = input;
  // position.invoices are oldest due date first, so chased[0] is the oldest.
  // Only the case rules read the refs, and only for a client with messages.
  const chasedRefs = account.messages.length > 0 ? new Set(due.chased.map((c) => c.item.ref)) : NO_REFS;
  const facts: CaseFacts = { asOf, chased: chasedRefs, open: due.open, settled: input.settled ?? NO_SETTLEMENTS, closures: account.closures.map((c) => c.closedOn) };
  const oldest = due.chased[0];
  const inHorizon = oldest !== undefined && oldest.dueDate < until ? oldest : null;
  const state = caseStateOf(account.messages, facts, inHorizon?.dueDate ?? null);
  const current = state.current;
  const lastMessage = state.lastMessage && { date: state.lastMessage.date, step: state.lastMessage.step };
  let overdueCount = 0;
  let overdueCents = 0;
  for (const c of due.chased) {
    if (c.dueDate >= asOf) break;
    overdueCount++;
    overdueCents += c.item.openCents;
  }
  const pace = inHorizon
    ? paceOf({
      ladder: account.ladder, step: current?.step ?? null, lastReminderOn: current ? current.messages[current.messages.length - 1]!.date : null,
      oldest: { ref: inHorizon.item.ref, dueDate: inHorizon.dueDate }, lastMessage, gapDays: input.settings.minimumGapDays,
    })
    : null;
  return {
    state,
    current,
    lastMessage,
    chased: due.chased,
    overdueCount,
    overdueCents,
    inCollection: overdueCount > 0,
    pace,
    // A registered letter of the current step not yet posted: the case goes no further
    // until a person marks it posted (relance fait), since a formal notice's 8-day
    // deadline runs from the letter (Code civil art. 1344), not from its e-mail copy.
    unposted: current?.messages.find((m) => m.awaitingPost !== undefined && m.step === current.step) ?? null,
  };
}

/** A case as the plan shows it, before its next step is known. */
function caseViewOf(c: ClientCase | null, standing: Standing): CaseView {
  return {
    openedOn: c?.openedOn ?? null,
    step: c?.step ?? null,
    stepOn: c?.stepOn ?? null,
    remindersSent: c?.messages.length ?? 0,
    firstReminderOn: c?.openedOn ?? null,
    lastMessageOn: standing.lastMessage?.date ?? null,
    nextStep: null,
    nextOn: null,
    waitReason: null,
    waitCode: null,
  };
}

/** The current case with its next step and why not sooner: an unposted registered letter, the ladder's pace, or its end. */
function paceViewOf(standing: Standing): CaseView {
  const { pace, unposted, current } = standing;
  const view = caseViewOf(current, standing);
  if (pace && unposted) {
    return {
      ...view, nextStep: pace.rung.step, nextOn: null, waitCode: 'lrar-a-poster',
      waitReason: `${STEP_LABELS[unposted.step]} du ${formatDateFr(unposted.date)} pas encore postée en recommandé : tâche n° ${unposted.awaitingPost}, à marquer faite (relance fait ${unposted.awaitingPost} --lrar NUMÉRO) ; le délai court de l'envoi de la lettre`,
    };
  }
  if (pace) return { ...view, nextStep: pace.rung.step, nextOn: pace.on, waitReason: pace.reason, waitCode: pace.code };
  return { ...view, waitReason: 'dernière étape du scénario atteinte : à traiter par une personne', waitCode: 'fin-de-scenario' };
}

/** The waiting entry of a client in collection, with its overdue invoices (or `refs`). */
function waitingOf(account: Account, standing: Standing, view: CaseView, asOf: CalendarDate, refs?: string[]): WaitingCase {
  const { chased, overdueCount } = standing;
  const overdueRefs = refs ?? chased.slice(0, overdueCount).map((c) => c.item.ref);
  return {
    clientCode: account.code, clientName: account.name, segment: account.verdict.segment, ladder: account.ladderName, overdueCents: standing.overdueCents,
    oldestDaysLate: overdueCount > 0 ? daysBetween(chased[0]!.dueDate, asOf) : 0, invoices: overdueRefs, case: view,
  };
}

/** One client's case: routed to the manual list, litigation, skipped or waiting, or made an action. */
function planClient(account: Account, input: PlanInput, shared: SharedFacts, lists: PlanLists): void {
  const { asOf, settings, cases } = input;
  const { code, name, verdict, ladderName, client, position } = account;
  const due = dueInvoicesOf(account, input, shared);
  const standing = standingOf(account, due, input, shared.until);
  const { state, current } = standing;

  // A collective proceeding stops every reminder, litigation included (L622-21).
  const procedure = input.procedures ? activeProcedureOf(input.procedures, code, asOf) : null;
  if (procedure) {
    if (due.openCount > 0) lists.manual.push(procedureAction(procedure, { code, name, verdict, ladderName, client, position, asOf, weights: settings.weights, current }));
    return;
  }
  if (due.barred.length > 0) lists.manual.push(barredAction(due.barred, { code, name, verdict, ladderName, client, position, asOf, current }));
  if (state.litigation) {
    lists.litigation.push(litigationOf(code, name, state.litigation, position.invoices));
    return;
  }
  const wait = (v: CaseView, refs?: string[]) => lists.waiting.push(waitingOf(account, standing, v, asOf, refs));
  if (leftOut(account, due, standing, input, lists)) return;

  const caseOn = caseDayOf(standing, asOf, shared.until);
  const windows = preventiveOf(account, due, standing, input, shared);
  const { preventive } = windows;
  const usePreventive = preventive !== null && (caseOn === null || preventive.on < caseOn);
  if (!usePreventive && caseOn === null) {
    if (standing.inCollection) wait(paceViewOf(standing));
    else {
      const held = heldOutOfScenario(account, due, standing, input, shared.until);
      if (held) wait(held.view, held.refs);
    }
    return;
  }

  const choice = usePreventive ? preventiveStep(preventive!, windows.prevRung) : chooseStep(caseOn!, standing.pace!, due.chased, windows);
  if (choice.askedCents < settings.minimumCents) {
    const detail = `${formatEuros(choice.askedCents)} à relancer, sous le minimum de ${formatEuros(settings.minimumCents)}`;
    lists.skipped.push({ clientCode: code, clientName: name, reason: 'montant-minimum', detail });
    if (standing.inCollection) wait({ ...paceViewOf(standing), nextOn: null, waitReason: detail, waitCode: 'montant-minimum' });
    return;
  }

  const notes = [...(cases?.notes.get(code) ?? [])];
  const lastReminderOn = current ? current.messages[current.messages.length - 1]!.date : null;
  const called = applyRecentCall(choice.channel, cases?.lastCalls.get(code) ?? null, lastReminderOn, asOf);
  if (called.note) notes.push(called.note);
  const { channel, channelNote } = channelFor(called.channel, client);
  const action = actionOf(account, standing, { ...choice, channel, channelNote, notes, usePreventive, why: usePreventive ? preventive!.why : standing.pace! }, input, shared);
  if (client?.excluded) {
    lists.manual.push({ ...action, reason: client.excludedReason ?? 'client exclu des relances automatiques' });
  } else {
    lists.actions.push(action);
  }
}

/**
 * Leaves a case out (true) or lists why parts of it are (false): a pause suspends every
 * reminder (the case waits until the day after it); credits that cover the balance leave
 * nothing to ask; invoices out of the scenario or without a date are said, the rest goes on.
 */
function leftOut(account: Account, due: DueInvoices, standing: Standing, input: PlanInput, lists: PlanLists): boolean {
  const { code, name, position } = account;
  const pause = input.cases?.paused.get(code);
  if (pause) {
    const reason = `relances suspendues jusqu'au ${formatDateFr(pause.until)} : ${pause.reason}`;
    lists.skipped.push({ clientCode: code, clientName: name, reason: 'pause', detail: reason });
    if (standing.inCollection) {
      const v = paceViewOf(standing);
      lists.waiting.push(waitingOf(account, standing, v.nextOn !== null && v.nextOn > pause.until ? v : {
        ...v, nextOn: v.nextStep ? addDays(pause.until, 1) : null, waitReason: reason, waitCode: 'pause',
      }, input.asOf));
    }
    return true;
  }
  if (position.balanceCents <= 0) {
    if (position.invoices.length > 0) {
      lists.skipped.push({ clientCode: code, clientName: name, reason: 'credits-couvrent',
        detail: `ses avoirs et règlements non imputés couvrent ce qu'il doit (solde ${formatEuros(position.balanceCents)})` });
    }
    return true;
  }
  for (const [reason, details] of due.outOfScenario) lists.skipped.push({ clientCode: code, clientName: name, reason, detail: details.join(' ; ') });
  if (due.unknownDue > 0) {
    lists.skipped.push({ clientCode: code, clientName: name, reason: 'echeance-inconnue',
      detail: `${due.unknownDue} facture${due.unknownDue > 1 ? 's' : ''} sans échéance ni date de pièce : à dater dans le logiciel` });
  }
  return false;
}

/** The day of the case's next reminder, when it falls within the horizon (never before asOf; never while a registered letter waits to be posted). */
function caseDayOf(standing: Standing, asOf: CalendarDate, until: CalendarDate): CalendarDate | null {
  const { pace, unposted } = standing;
  if (!pace || unposted) return null;
  const on = pace.on < asOf ? asOf : pace.on;
  return on <= until ? on : null;
}

/** Why a step waits, and from when. */
interface WaitWhy {
  on: CalendarDate;
  code: WaitCode;
  reason: string;
}

/** The preventive side of a case: the ladder's preventive rung, its « à échoir » window, the instalments, and the preventive reminder if one is due. */
interface PreventiveWindow {
  prevRung: Ladder[number] | null;
  /** Invoices due within this many days after an overdue reminder are listed « à échoir » in it. */
  windowDays: number;
  instalmentRows: Upcoming[];
  preventive: { on: CalendarDate; rows: Upcoming[]; why: WaitWhy } | null;
}

/**
 * A preventive reminder: once per invoice (or instalment), only on a day when nothing
 * is overdue, before the due date, and never within the minimum gap.
 */
function preventiveOf(account: Account, due: DueInvoices, standing: Standing, input: PlanInput, shared: SharedFacts): PreventiveWindow {
  const { asOf } = input;
  const { code, name, ladder, messages } = account;
  const { until } = shared;
  const prevRung = ladder.find((r) => r.step === 'preventive') ?? null;
  const windowDays = Math.max(0, -(prevRung?.offsetDays ?? -PREVENTIVE_INSTALMENT_DAYS));
  const instalmentRows: Upcoming[] = (shared.instalments.get(code) ?? []).map((i) => ({
    item: { kind: 'open_item', clientCode: code, clientName: name, ref: `échéance ${i.number}/${i.of}`, docDate: null, dueDate: i.dueOn, dueDateDerived: false,
      originalCents: i.amountCents, openCents: i.amountCents, currency: 'EUR', salesRep: null, source: { file: 'journal', line: i.planId } },
    statementCents: i.amountCents, dueDate: i.dueOn, remindOn: addDays(i.dueOn, -PREVENTIVE_INSTALMENT_DAYS), instalment: true,
  }));
  const upcoming: Upcoming[] = [];
  if (prevRung) {
    // Chased invoices are by due date: those whose reminder falls by `until` come first.
    const lastDue = addDays(until, -prevRung.offsetDays);
    for (const c of due.chased) {
      if (c.dueDate > lastDue) break;
      if (c.dueDate > asOf && !forewarned(messages, c.item.ref)) upcoming.push({ ...c, remindOn: addDays(c.dueDate, prevRung.offsetDays), instalment: false });
    }
  }
  for (const i of instalmentRows) if (!forewarned(messages, i.item.ref, i.dueDate)) upcoming.push(i);
  let preventive: PreventiveWindow['preventive'] = null;
  if (upcoming.length > 0) {
    const first = upcoming.reduce((a, b) => (b.remindOn < a.remindOn ? b : a));
    let why: WaitWhy = {
      on: first.remindOn, code: 'etape',
      reason: `rappel préventif prévu ${daysBetween(first.remindOn, first.dueDate)} jours avant l'échéance de ${first.item.ref} (${formatDateFr(first.dueDate)})`,
    };
    const gap = gapOf(standing.lastMessage, input.settings.minimumGapDays);
    if (gap && gap.on > why.on) why = gap;
    const on = why.on < asOf ? asOf : why.on;
    const rows = upcoming.filter((u) => (u.instalment ? on <= u.dueDate : on < u.dueDate));
    if (on <= until && rows.length > 0 && !(due.chased.length > 0 && due.chased[0]!.dueDate < on)) preventive = { on, rows, why };
  }
  return { prevRung, windowDays, instalmentRows, preventive };
}

/**
 * A case not in collection whose overdue invoices are out of the scenario for now
 * (promised, disputed, in a payment plan): kept, at its step, for when they come back.
 */
function heldOutOfScenario(account: Account, due: DueInvoices, standing: Standing, input: PlanInput, until: CalendarDate): { view: CaseView; refs: string[] } | null {
  const last = standing.state.last;
  const excluded = input.cases?.excluded;
  if (!last || last.handedOverOn !== null || (due.chased.length > 0 && due.chased[0]!.dueDate < until)) return null;
  const held = [...new Set(last.messages[last.messages.length - 1]!.invoices.filter((i) => i.step !== 'preventive').map((i) => i.ref))]
    .filter((r) => due.open.has(r) && excluded?.has(r));
  if (held.length === 0) return null;
  return {
    view: {
      ...caseViewOf(last, standing), nextStep: nextRung(account.ladder, last.step)?.step ?? null,
      waitReason: held.map((r) => excluded!.get(r)!.detail).join(' ; '), waitCode: 'hors-scenario',
    },
    refs: held,
  };
}

/** The step of an action, its ladder channel, its rows and what it asks for. */
interface StepChoice {
  dueOn: CalendarDate;
  step: Step;
  channel: Channel;
  /** The oldest `lateCount` of `chased` are overdue on that day: chased at `step`. */
  chased: readonly Chased[];
  lateCount: number;
  /** Then those listed « à échoir » (step `preventive`), instalments included. */
  soon: Listed[];
  /** What the message asks to be paid: the minimum amount applies to it. */
  askedCents: Cents;
}

/** A preventive reminder: its invoices and instalments coming due, by the ladder's preventive channel (e-mail without one). */
function preventiveStep(preventive: NonNullable<PreventiveWindow['preventive']>, prevRung: PreventiveWindow['prevRung']): StepChoice {
  const rows = preventive.rows;
  return { dueOn: preventive.on, step: 'preventive', channel: prevRung?.channel ?? 'email', chased: [], lateCount: 0, soon: rows, askedCents: rows.reduce((s, r) => s + r.item.openCents, 0) };
}

/**
 * The case's step on its day: every invoice overdue on that day at the rung's step,
 * plus those (and instalments) coming due within the preventive window, listed « à
 * échoir »; only the overdue ones are asked for.
 */
function chooseStep(dueOn: CalendarDate, pace: Pace, chased: Chased[], windows: PreventiveWindow): StepChoice {
  const step = pace.rung.step;
  const soonUntil = addDays(dueOn, windows.windowDays);
  // `chased` is by due date: the overdue ones first, then those coming due.
  let lateCount = 0;
  let askedCents = 0;
  while (lateCount < chased.length && chased[lateCount]!.dueDate < dueOn) askedCents += chased[lateCount++]!.item.openCents;
  const soon: Listed[] = [];
  for (let i = lateCount; i < chased.length && chased[i]!.dueDate <= soonUntil; i++) soon.push(chased[i]!);
  for (const u of windows.instalmentRows) if (u.dueDate >= dueOn && u.dueDate <= soonUntil) soon.push(u);
  return { dueOn, step, channel: pace.rung.channel, chased, lateCount, soon, askedCents };
}

/**
 * A phone call already made stands for the call of a step « +appel » (the call window):
 * a call within the last CALL_WINDOW_DAYS days (asOf − 7 included) and not before the
 * case's last reminder does the step's call task, so the step goes by its written
 * channel alone, saying so. Any other channel, or an older call, is unchanged.
 */
export function applyRecentCall(channel: Channel, lastCall: CalendarDate | null, lastReminderOn: CalendarDate | null, asOf: CalendarDate): { channel: Channel; note: string | null } {
  if (!lastCall || (channel !== 'email+appel' && channel !== 'courrier+appel')) return { channel, note: null };
  const since = Math.max(lastReminderOn ? dayNumber(lastReminderOn) : 0, dayNumber(asOf) - CALL_WINDOW_DAYS);
  if (dayNumber(lastCall) < since) return { channel, note: null };
  return { channel: channel === 'email+appel' ? 'email' : 'courrier', note: `appel passé le ${formatDateFr(lastCall)} : la tâche d'appel est faite` };
}

/** The channel a client can be reached by: without an e-mail address (or unknown to the clients file), the e-mail becomes a letter, saying why. */
export function channelFor(channel: Channel, client: Client | null): { channel: Channel; channelNote: string | null } {
  if ((client?.emails ?? []).length > 0 || channel === withoutEmail(channel)) return { channel, channelNote: null };
  return { channel: withoutEmail(channel), channelNote: client ? 'pas d\'adresse e-mail dans la fiche client' : 'client absent du fichier clients : e-mail inconnu' };
}

/** The class of an action's invoices for one segment: their fields, and the score parts derived from them. */
type InvoiceClass = new (c: Chased, step: Step, daysOverdue: number, atRiskCents: Cents, barUrgency: BarUrgency | null) => PlanInvoice;

/**
 * The class of the invoices of a segment's actions. An invoice keeps its fields; its
 * score parts (plan --explain) are derived on demand from its amount, days overdue and
 * bar urgency with the segment's weights (the same numbers as when it was scored), so
 * that a plan of a million invoices does not keep a million score objects.
 */
function invoiceClassOf(segment: Segment, shared: SharedFacts, weights: ScoreWeights): InvoiceClass {
  let cls = shared.invoiceClasses.get(segment);
  if (cls) return cls;
  cls = class implements PlanInvoice {
    ref: string;
    docDate: CalendarDate | null;
    dueDate: CalendarDate;
    dueDateDerived: boolean;
    originalCents: Cents;
    statementCents: Cents;
    openCents: Cents;
    daysOverdue: number;
    step: Step;
    atRiskCents: Cents;
    declare barOn?: CalendarDate;
    declare barUrgency?: BarUrgency;

    constructor(c: Chased, step: Step, daysOverdue: number, atRiskCents: Cents, barUrgency: BarUrgency | null) {
      this.ref = c.item.ref;
      this.docDate = c.item.docDate;
      this.dueDate = c.dueDate;
      this.dueDateDerived = c.item.dueDateDerived;
      this.originalCents = c.item.originalCents;
      this.statementCents = c.statementCents;
      this.openCents = c.item.openCents;
      this.daysOverdue = daysOverdue;
      this.step = step;
      this.atRiskCents = atRiskCents;
      if (barUrgency) {
        this.barOn = barUrgency.barOn;
        this.barUrgency = barUrgency;
      }
    }

    get scoreParts(): InvoiceScoreParts {
      const parts = scoreInvoice(this.openCents, this.daysOverdue, segment, weights);
      const u = this.barUrgency;
      return u ? withBarUrgency(parts, u, u.daysLeft, u.windowDays) : parts;
    }
  };
  shared.invoiceClasses.set(segment, cls);
  return cls;
}

/** An action of the plan: its scored invoices, what comes after it if it goes on its day, and why it is not sooner. */
function actionOf(
  account: Account,
  standing: Standing,
  s: StepChoice & { channelNote: string | null; notes: string[]; usePreventive: boolean; why: WaitWhy },
  input: PlanInput,
  shared: SharedFacts,
): PlanAction {
  const { asOf, settings } = input;
  const { weights } = settings;
  const segment = account.verdict.segment;
  const Invoice = invoiceClassOf(segment, shared, weights);
  const risk = weights.risk[segment];
  const sum = new CaseScoreSum();
  const invoices: PlanInvoice[] = [];
  const near: { ref: string; bar: BarDate }[] = [];
  let creditsApplied = 0;
  let oldestDaysLate = 0;
  // Scored in the order of the rows (overdue, then « à échoir »): the case's parts take the first of equal bar dates.
  const add = (c: Chased, step: Step): void => {
    const openCents = c.item.openCents;
    const daysOverdue = daysBetween(c.dueDate, asOf);
    let atRiskCents: Cents;
    let urgency: BarUrgency | null = null;
    if (c.bar && prescriptionStateOf(c.bar, asOf) === 'proche') {
      const parts = nearBar(c, asOf, scoreInvoice(openCents, daysOverdue, segment, weights));
      atRiskCents = parts.atRiskCents;
      urgency = parts.prescription!;
      near.push({ ref: c.item.ref, bar: c.bar });
    } else {
      atRiskCents = invoiceAtRisk(openCents, daysOverdue, segment, weights);
    }
    sum.add({ amountCents: openCents, atRiskCents, daysOverdue, risk, prescription: urgency ?? undefined });
    creditsApplied += c.statementCents - openCents;
    if (daysOverdue > oldestDaysLate) oldestDaysLate = daysOverdue;
    invoices.push(new Invoice(c, step, daysOverdue, atRiskCents, urgency));
  };
  for (let i = 0; i < s.lateCount; i++) add(s.chased[i]!, s.step);
  for (const c of s.soon) add(c, 'preventive');
  invoices.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.ref < b.ref ? -1 : 1));
  const oldest = s.usePreventive ? s.soon.find((r) => !r.instalment) : s.lateCount > 0 ? s.chased[0] : undefined;
  const after = oldest
    ? paceOf({
      ladder: account.ladder, step: s.usePreventive ? null : s.step, lastReminderOn: s.usePreventive ? null : s.dueOn,
      oldest: { ref: oldest.item.ref, dueDate: oldest.dueDate }, lastMessage: { date: s.dueOn, step: s.step }, gapDays: settings.minimumGapDays,
    })
    : null;
  const parts = sum.parts();
  return {
    rank: 0,
    clientCode: account.code,
    clientName: account.name,
    segment,
    segmentWhy: account.verdict.why,
    ladder: account.ladderName,
    step: s.step,
    channel: s.channel,
    channelNote: s.channelNote,
    dueOn: s.dueOn,
    score: parts.atRiskCents,
    scoreParts: parts,
    overdueCents: standing.overdueCents,
    balanceCents: account.position.balanceCents,
    unappliedCents: account.position.unappliedCents,
    creditsAppliedCents: creditsApplied,
    oldestDaysLate,
    email: account.client?.emails ?? [],
    invoices,
    notes: s.notes,
    case: {
      ...caseViewOf(s.usePreventive ? null : standing.current, standing),
      nextStep: after?.rung.step ?? null,
      nextOn: after?.on ?? null,
      waitReason: s.why.on >= asOf ? s.why.reason : null,
      waitCode: s.why.on >= asOf ? s.why.code : null,
    },
    ...nearBarWhy(near),
  };
}

/** The plan's lists ranked: actions and manual cases most valuable first (score, then amount overdue, then code), the others by client. */
function rankedPlan(asOf: CalendarDate, until: CalendarDate, lists: PlanLists): Plan {
  const { actions, manual, skipped, waiting, litigation } = lists;
  const byValue = (a: PlanAction, b: PlanAction): number =>
    b.score - a.score || b.overdueCents - a.overdueCents || (a.clientCode < b.clientCode ? -1 : 1);
  actions.sort(byValue).forEach((a, i) => (a.rank = i + 1));
  manual.sort(byValue).forEach((a, i) => (a.rank = i + 1));
  skipped.sort((a, b) => (a.clientCode < b.clientCode ? -1 : a.clientCode > b.clientCode ? 1 : a.reason < b.reason ? -1 : 1));
  waiting.sort((a, b) => (a.clientCode < b.clientCode ? -1 : 1));
  litigation.sort((a, b) => (a.handedOverOn < b.handedOverOn ? -1 : a.handedOverOn > b.handedOverOn ? 1 : a.clientCode < b.clientCode ? -1 : 1));
  return {
    asOf,
    until,
    actions,
    manual,
    skipped,
    waiting,
    litigation,
    totals: {
      actions: actions.length,
      overdueCents: actions.reduce((s, a) => s + a.overdueCents, 0),
      scoreCents: actions.reduce((s, a) => s + a.score, 0),
      manual: manual.length,
      skipped: skipped.length,
      waiting: waiting.length,
      litigation: litigation.length,
    },
  };
}

/**
 * The manual entry of a client under a collective proceeding: no reminder (L622-21),
 * whatever its case would have done; every invoice still owed is listed (all are to be
 * declared, disputed or not), with the deadline of the declaration of claim.
 */
function procedureAction(
  p: ProcedureRecord,
  c: { code: string; name: string; verdict: SegmentVerdict; ladderName: string; client: Client | null; position: ReturnType<typeof positionOf>; asOf: CalendarDate; weights: ScoreWeights; current: ClientCase | null },
): ManualAction {
  const owed = c.position.invoices.filter((i) => i.openCents > 0);
  const rows = owed.map((i) => {
    const dueDate = i.item.dueDate ?? c.asOf;
    const daysOverdue = daysBetween(dueDate, c.asOf);
    const parts = scoreInvoice(i.openCents, daysOverdue, c.verdict.segment, c.weights);
    const invoice: PlanInvoice = {
      ref: i.item.ref, docDate: i.item.docDate, dueDate, dueDateDerived: i.item.dueDateDerived, originalCents: i.item.originalCents,
      statementCents: i.statementCents, openCents: i.openCents, daysOverdue, step: c.current?.step ?? 'relance1', atRiskCents: parts.atRiskCents, scoreParts: parts,
    };
    return { invoice, parts };
  });
  const scoreParts = scoreCase(rows.map((r) => r.parts));
  const invoices = rows.map((r) => r.invoice);
  const overdue = invoices.filter((i) => i.daysOverdue > 0);
  const deadline = declarationDeadline(p.bodaccOn);
  return {
    rank: 0, clientCode: c.code, clientName: c.name, segment: c.verdict.segment, segmentWhy: c.verdict.why, ladder: c.ladderName,
    step: c.current?.step ?? 'relance1', channel: 'courrier', channelNote: null, dueOn: deadline !== null && deadline < c.asOf ? c.asOf : (deadline ?? c.asOf),
    score: scoreParts.atRiskCents, scoreParts,
    overdueCents: overdue.reduce((s, i) => s + i.openCents, 0), balanceCents: c.position.balanceCents, unappliedCents: c.position.unappliedCents,
    creditsAppliedCents: invoices.reduce((s, i) => s + i.statementCents - i.openCents, 0),
    oldestDaysLate: invoices.reduce((m, i) => Math.max(m, i.daysOverdue), 0), email: c.client?.emails ?? [], invoices, notes: [],
    case: {
      openedOn: c.current?.openedOn ?? null, step: c.current?.step ?? null, stepOn: c.current?.stepOn ?? null, remindersSent: c.current?.messages.length ?? 0,
      firstReminderOn: c.current?.openedOn ?? null, lastMessageOn: null, nextStep: null, nextOn: null, waitReason: null, waitCode: null,
    },
    reason: procedureReason(p, c.asOf),
    procedure: { code: 'procedure-collective', id: p.id, type: p.type, judgmentOn: p.judgmentOn, bodaccOn: p.bodaccOn, declarationDeadline: deadline },
  };
}

// ---- Prescription (Code de commerce L110-4, Code de la consommation L218-2, Code civil 2240) ----

/** A barred invoice as the manual list shows it. */
function barredInvoiceOf(item: OpenItem, bar: BarDate): BarredInvoice {
  return {
    ref: item.ref, docDate: item.docDate, dueDate: item.dueDate, openCents: item.openCents,
    barOn: bar.barOn, article: bar.rule.article, startOn: bar.startOn, startKind: bar.startKind,
  };
}

/** An invoice's score, raised when it is within 6 months of its bar date (see withBarUrgency). */
function nearBar<P extends ScoreParts>(r: Chased, asOf: CalendarDate, parts: P): P {
  const bar = r.bar;
  if (!bar || prescriptionStateOf(bar, asOf) !== 'proche') return parts;
  return withBarUrgency(parts, { barOn: bar.barOn, article: bar.rule.article }, daysBeforeBar(bar, asOf), daysBetween(bar.warnFrom, bar.barOn));
}

/** The « pourquoi » lines of an action with invoices near their bar date, nearest first. */
function nearBarWhy(near: { ref: string; bar: BarDate }[]): { why?: string[] } {
  near.sort((a, b) => (a.bar.barOn < b.bar.barOn ? -1 : a.bar.barOn > b.bar.barOn ? 1 : a.ref < b.ref ? -1 : 1));
  return near.length > 0 ? { why: near.map((n) => `${n.ref} ${barText(n.bar)} : à traiter avant`) } : {};
}

/**
 * The manual entry of a client's barred invoices (reason `prescription`): listed for a
 * person, never chased nor put in a letter. Its score is what is lost: the whole amount.
 */
function barredAction(
  barred: BarredInvoice[],
  c: { code: string; name: string; verdict: SegmentVerdict; ladderName: string; client: Client | null; position: ReturnType<typeof positionOf>; asOf: CalendarDate; current: ClientCase | null },
): ManualAction {
  const byRef = new Map<string, (typeof c.position.invoices)[number]>();
  for (const i of c.position.invoices) if (!byRef.has(i.item.ref)) byRef.set(i.item.ref, i);
  const invoices: PlanInvoice[] = barred.map((b) => {
    const dueDate = b.dueDate ?? b.docDate ?? c.asOf;
    const booked = byRef.get(b.ref);
    return {
      ref: b.ref, docDate: b.docDate, dueDate, dueDateDerived: booked?.item.dueDateDerived ?? false, originalCents: booked?.item.originalCents ?? b.openCents,
      statementCents: booked?.statementCents ?? b.openCents, openCents: b.openCents, daysOverdue: daysBetween(dueDate, c.asOf), step: c.current?.step ?? 'relance1',
      atRiskCents: b.openCents, barOn: b.barOn,
    };
  });
  const scoreParts = scoreCase(invoices.map((i) => ({ amountCents: i.openCents, daysOverdue: i.daysOverdue, risk: 1, probability: 1, atRiskCents: i.openCents })));
  return {
    rank: 0, clientCode: c.code, clientName: c.name, segment: c.verdict.segment, segmentWhy: c.verdict.why, ladder: c.ladderName,
    step: c.current?.step ?? 'relance1', channel: 'courrier', channelNote: null, dueOn: c.asOf, score: scoreParts.atRiskCents, scoreParts,
    overdueCents: invoices.reduce((s, i) => s + i.openCents, 0), balanceCents: c.position.balanceCents, unappliedCents: c.position.unappliedCents,
    creditsAppliedCents: invoices.reduce((s, i) => s + i.statementCents - i.openCents, 0),
    oldestDaysLate: invoices.reduce((m, i) => Math.max(m, i.daysOverdue), 0), email: c.client?.emails ?? [], invoices, notes: [],
    case: {
      openedOn: c.current?.openedOn ?? null, step: c.current?.step ?? null, stepOn: c.current?.stepOn ?? null, remindersSent: c.current?.messages.length ?? 0,
      firstReminderOn: c.current?.openedOn ?? null, lastMessageOn: null, nextStep: null, nextOn: null, waitReason: null, waitCode: null,
    },
    reason: 'prescription',
    barred,
    why: barred.map((b) => `${b.ref} ${barText({ barOn: b.barOn, rule: b.article === PRESCRIPTION_RULES.consumer.article ? PRESCRIPTION_RULES.consumer : PRESCRIPTION_RULES.b2b })} : plus de relance automatique, à traiter par une personne`),
  };
}

/** The « En contentieux » entry of a client: what was handed over, what is still owed on it, and what came since. */
function litigationOf(code: string, name: string, c: ClientCase, invoices: { item: OpenItem; openCents: Cents }[]): LitigationCase {
  const handed = new Set(c.messages.filter((m) => m.step === 'contentieux').flatMap((m) => m.invoices.filter((i) => i.step !== 'preventive').map((i) => i.ref)));
  const still = invoices.filter((i) => i.openCents > 0 && handed.has(i.item.ref));
  const fresh = invoices.filter((i) => i.openCents > 0 && !handed.has(i.item.ref));
  return {
    clientCode: code,
    clientName: name,
    handedOverOn: c.handedOverOn!,
    openedOn: c.openedOn,
    remindersSent: c.messages.filter((m) => m.step !== 'contentieux').length,
    amountCents: still.reduce((s, i) => s + i.openCents, 0),
    invoices: still.map((i) => i.item.ref),
    newInvoices: fresh.map((i) => i.item.ref),
    newInvoicesCents: fresh.reduce((s, i) => s + i.openCents, 0),
  };
}

/** A client's segment: forced by the clients file, else by the config, else from its payment history; broken promises push it down. */
export function segmentFor(code: string, client: Client | null, input: Pick<PlanInput, 'histories' | 'settings' | 'cases'>): SegmentVerdict {
  const forced = client?.segment ?? input.settings.segmentOverrides[code] ?? null;
  const verdict = segmentOf(input.histories.get(code) ?? emptyHistory(), input.settings.thresholds, forced);
  return withBrokenPromises(verdict, input.cases?.brokenPromises.get(code) ?? 0);
}

/** Preventive reminder of a payment-plan instalment: days before its date; also the « à échoir » window of a ladder without a preventive rung. */
const PREVENTIVE_INSTALMENT_DAYS = 5;

/**
 * A call made within this many days (and not before the case's last reminder) already
 * did the call task of a step « +appel »: the debtor has just been spoken to about this
 * debt; a week, like the default minimum gap between two messages.
 */
const CALL_WINDOW_DAYS = 7;
