import { addDays, dayNumber, daysBetween, formatDateFr, type CalendarDate } from './dates.js';
import { formatEuros, type Cents } from './money.js';
import type { Client, OpenItem, Segment } from './records.js';
import {
  laterStep,
  nextStep,
  SEGMENT_LADDERS,
  withoutEmail,
  type Channel,
  type Ladder,
  type SentStep,
  type Step,
} from './scenario.js';
import { scoreCase, scoreInvoice, type ScoreParts, type ScoreWeights } from './score.js';
import { emptyHistory, segmentOf, withBrokenPromises, type PaymentHistory, type SegmentThresholds, type SegmentVerdict } from './segment.js';
import type { CaseReason, CaseStatus } from './cases.js';
import { positionOf } from './allocation.js';

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
}

/** Everything a plan is computed from: no clock, no files. */
export interface PlanInput {
  asOf: CalendarDate;
  /** Actions falling due up to asOf + horizonDays − 1 are planned (7: the week). */
  horizonDays: number;
  openItems: OpenItem[];
  clients: Client[];
  histories: Map<string, PaymentHistory>;
  /** Steps already taken, per invoice ref (the journal; empty without one). */
  sent: Map<string, SentStep[]>;
  settings: PlanSettings;
  /** Promises, disputes, payment plans, pauses, write-offs at the as-of date (the journal). */
  cases?: CaseStatus;
}

/** An invoice of an action, with its own step. */
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
}

/** A client's collection case as the plan sees it at the as-of date. */
export interface CaseView {
  /** When the case opened: the date of its first overdue reminder; null when this action opens it. */
  openedOn: CalendarDate | null;
  /** The case's current step: the last one sent; null before the first reminder. */
  step: Step | null;
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
}

/** A case left to a person, with the action it would have had. */
export interface ManualAction extends PlanAction {
  reason: string;
}

/** A case that gets no action, and why. */
export interface Skipped {
  clientCode: string;
  clientName: string;
  reason: SkipReason;
  detail: string;
}

/** Stable codes of the reasons a case is left out (documented in the README). */
export type SkipReason = 'montant-minimum' | 'credits-couvrent' | 'echeance-inconnue' | 'pause' | CaseReason;

/** The week's plan. */
export interface Plan {
  asOf: CalendarDate;
  until: CalendarDate;
  actions: PlanAction[];
  manual: ManualAction[];
  skipped: Skipped[];
  totals: { actions: number; overdueCents: Cents; scoreCents: Cents; manual: number; skipped: number };
}

/**
 * Builds the plan: for each client, the next step of each open invoice; the invoices
 * whose step falls due within the horizon make one action (at most one per client),
 * at the most advanced of their steps; each case is scored as expected euros at risk,
 * and the actions are ranked most valuable first. Cases left out say why.
 */
export function buildPlan(input: PlanInput): Plan {
  const { asOf, settings } = input;
  const until = addDays(asOf, Math.max(1, input.horizonDays) - 1);
  const clients = new Map(input.clients.map((c) => [c.clientCode, c]));
  const byClient = new Map<string, OpenItem[]>();
  for (const item of input.openItems) {
    const list = byClient.get(item.clientCode);
    if (list) list.push(item);
    else byClient.set(item.clientCode, [item]);
  }

  const cases = input.cases;
  const instalments = new Map<string, NonNullable<typeof cases>['upcomingInstalments']>();
  for (const i of cases?.upcomingInstalments ?? []) {
    if (addDays(i.dueOn, -PREVENTIVE_INSTALMENT_DAYS) <= until && i.dueOn >= asOf) {
      instalments.set(i.clientCode, [...(instalments.get(i.clientCode) ?? []), i]);
    }
  }
  const actions: PlanAction[] = [];
  const manual: ManualAction[] = [];
  const skipped: Skipped[] = [];
  for (const [code, items] of byClient) {
    const client = clients.get(code) ?? null;
    const name = client?.clientName || items[0]!.clientName;
    const pause = cases?.paused.get(code);
    if (pause) {
      skipped.push({ clientCode: code, clientName: name, reason: 'pause', detail: `relances suspendues jusqu'au ${formatDateFr(pause.until)} : ${pause.reason}` });
      continue;
    }
    const verdict = segmentFor(code, client, input);
    const ladderName = settings.clientLadders[code] ?? SEGMENT_LADDERS[verdict.segment];
    const ladder = settings.ladders[ladderName] ?? settings.ladders.standard!;

    // Unapplied credits are allocated first (oldest due date first): the steps, the
    // score and the letters only see what is still owed.
    const position = positionOf(code, items);
    const balance = position.balanceCents;
    if (balance <= 0) {
      if (position.invoices.length > 0) {
        skipped.push({ clientCode: code, clientName: name, reason: 'credits-couvrent',
          detail: `ses avoirs et règlements non imputés couvrent ce qu'il doit (solde ${formatEuros(balance)})` });
      }
      continue;
    }
    let overdue = 0;
    let unknownDue = 0;
    const due: { item: OpenItem; statementCents: Cents; step: Step; dueOn: CalendarDate; channel: Channel; parts: ScoreParts }[] = [];
    const outOfScenario = new Map<CaseReason, string[]>();
    for (const { item: booked, statementCents, openCents } of position.invoices) {
      if (openCents <= 0) continue;
      const item = openCents === booked.openCents ? booked : { ...booked, openCents };
      const excluded = cases?.excluded.get(item.ref);
      if (excluded) {
        outOfScenario.set(excluded.reason, [...(outOfScenario.get(excluded.reason) ?? []), excluded.detail]);
        continue;
      }
      if (item.dueDate === null) {
        unknownDue++;
        continue;
      }
      const late = daysBetween(item.dueDate, asOf);
      if (late > 0) overdue += item.openCents;
      const next = nextStep(ladder, item.dueDate, input.sent.get(item.ref) ?? [], asOf);
      if (!next || next.dueOn > until) continue;
      due.push({
        item,
        statementCents,
        step: next.rung.step,
        dueOn: next.dueOn,
        channel: next.rung.channel,
        parts: scoreInvoice(item.openCents, late, verdict.segment, settings.weights),
      });
    }
    for (const [reason, details] of outOfScenario) {
      skipped.push({ clientCode: code, clientName: name, reason, detail: details.join(' ; ') });
    }
    for (const i of instalments.get(code) ?? []) {
      const ref = `échéance ${i.number}/${i.of}`;
      due.push({
        item: { kind: 'open_item', clientCode: code, clientName: name, ref, docDate: null, dueDate: i.dueOn, dueDateDerived: false,
          originalCents: i.amountCents, openCents: i.amountCents, currency: 'EUR', salesRep: null, source: { file: 'journal', line: i.planId } },
        statementCents: i.amountCents,
        step: 'preventive',
        dueOn: addDays(i.dueOn, -PREVENTIVE_INSTALMENT_DAYS),
        channel: 'email',
        parts: scoreInvoice(i.amountCents, 0, verdict.segment, settings.weights),
      });
    }
    if (unknownDue > 0) {
      skipped.push({ clientCode: code, clientName: name, reason: 'echeance-inconnue',
        detail: `${unknownDue} facture${unknownDue > 1 ? 's' : ''} sans échéance ni date de pièce : à dater dans le logiciel` });
    }
    if (due.length === 0) continue;

    const dueCents = due.reduce((s, d) => s + d.item.openCents, 0);
    if (dueCents < settings.minimumCents) {
      skipped.push({ clientCode: code, clientName: name, reason: 'montant-minimum',
        detail: `${formatEuros(dueCents)} à relancer, sous le minimum de ${formatEuros(settings.minimumCents)}` });
      continue;
    }

    let step = due[0]!.step;
    let channel = due[0]!.channel;
    let dueOn = due[0]!.dueOn;
    for (const d of due) {
      if (laterStep(d.step, step) !== step) {
        step = d.step;
        channel = d.channel;
      }
      if (d.dueOn < dueOn) dueOn = d.dueOn;
    }
    const notes = [...(cases?.notes.get(code) ?? [])];
    const lastCall = cases?.lastCalls.get(code);
    const lastStep = Math.max(0, ...due.flatMap((d) => (input.sent.get(d.item.ref) ?? []).map((s) => dayNumber(s.date))));
    if (lastCall && (channel === 'email+appel' || channel === 'courrier+appel') && dayNumber(lastCall) >= Math.max(lastStep, dayNumber(asOf) - 7)) {
      channel = channel === 'email+appel' ? 'email' : 'courrier';
      notes.push(`appel passé le ${formatDateFr(lastCall)} : la tâche d'appel est faite`);
    }
    const emails = client?.emails ?? [];
    let channelNote: string | null = null;
    if (emails.length === 0 && channel !== withoutEmail(channel)) {
      channel = withoutEmail(channel);
      channelNote = client ? 'pas d\'adresse e-mail dans la fiche client' : 'client absent du fichier clients : e-mail inconnu';
    }
    const invoices = due
      .map((d) => ({
        ref: d.item.ref,
        docDate: d.item.docDate,
        dueDate: d.item.dueDate!,
        dueDateDerived: d.item.dueDateDerived,
        originalCents: d.item.originalCents,
        statementCents: d.statementCents,
        openCents: d.item.openCents,
        daysOverdue: daysBetween(d.item.dueDate!, asOf),
        step: d.step,
        atRiskCents: d.parts.atRiskCents,
      }))
      .sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.ref < b.ref ? -1 : 1));
    const parts = scoreCase(due.map((d) => d.parts));
    const action: PlanAction = {
      rank: 0,
      clientCode: code,
      clientName: name,
      segment: verdict.segment,
      segmentWhy: verdict.why,
      ladder: ladderName,
      step,
      channel,
      channelNote,
      dueOn: dueOn < asOf ? asOf : dueOn,
      score: parts.atRiskCents,
      scoreParts: parts,
      overdueCents: overdue,
      balanceCents: balance,
      unappliedCents: position.unappliedCents,
      creditsAppliedCents: invoices.reduce((s, i) => s + i.statementCents - i.openCents, 0),
      oldestDaysLate: Math.max(0, ...invoices.map((i) => i.daysOverdue)),
      email: emails,
      invoices,
      notes,
      case: { openedOn: null, step: null, remindersSent: 0, firstReminderOn: null, lastMessageOn: null, nextStep: null, nextOn: null, waitReason: null },
    };
    if (client?.excluded) {
      manual.push({ ...action, reason: client.excludedReason ?? 'client exclu des relances automatiques' });
    } else {
      actions.push(action);
    }
  }

  const byValue = (a: PlanAction, b: PlanAction): number =>
    b.score - a.score || b.overdueCents - a.overdueCents || (a.clientCode < b.clientCode ? -1 : 1);
  actions.sort(byValue).forEach((a, i) => (a.rank = i + 1));
  manual.sort(byValue).forEach((a, i) => (a.rank = i + 1));
  skipped.sort((a, b) => (a.clientCode < b.clientCode ? -1 : a.clientCode > b.clientCode ? 1 : a.reason < b.reason ? -1 : 1));
  return {
    asOf,
    until,
    actions,
    manual,
    skipped,
    totals: {
      actions: actions.length,
      overdueCents: actions.reduce((s, a) => s + a.overdueCents, 0),
      scoreCents: actions.reduce((s, a) => s + a.score, 0),
      manual: manual.length,
      skipped: skipped.length,
    },
  };
}

function segmentFor(code: string, client: Client | null, input: PlanInput): SegmentVerdict {
  const forced = client?.segment ?? input.settings.segmentOverrides[code] ?? null;
  const verdict = segmentOf(input.histories.get(code) ?? emptyHistory(), input.settings.thresholds, forced);
  return withBrokenPromises(verdict, input.cases?.brokenPromises.get(code) ?? 0);
}

/** Preventive reminder of a payment-plan instalment: days before its date. */
const PREVENTIVE_INSTALMENT_DAYS = 5;

