/**
 * relance client CLIENT : toute l'histoire d'un client sur un écran — identité et
 * contacts, segment et pourquoi, factures ouvertes et leur retard, actions envoyées
 * (avec l'empreinte de leur contenu), promesses et leur issue, litiges, échéanciers,
 * notes et appels, et la prochaine étape prévue.
 */
import { loadTasks } from '../journal/tasks.js';
import type { Task } from '../core/tasks.js';
import { daysBetween, type CalendarDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import { buildPlan, segmentFor, type CaseView, type LitigationCase, type ManualProcedure, type Skipped, type WaitingCase } from '../core/plan.js';
import type { Channel, Step } from '../core/scenario.js';
import type { Segment } from '../core/records.js';
import { addPayment, emptyHistory } from '../core/segment.js';
import { evaluateCases, type CaseReason, type DisputeRecord, type InstalmentStatus, type PaymentPlanRecord, type PlanStatus, type PromiseRecord, type PromiseStatus } from '../core/cases.js';
import type { ProcedureRecord } from '../core/procedure.js';
import { planSettings } from '../config.js';
import type { Context } from '../context.js';
import { CLIENT_OPTIONS } from './client-options.js';
import type { OptionsOf } from './options.js';
import { litigationsOf, loadCaseFile, notesOf, reconciliationOf, type Litigation } from '../journal/cases.js';
import { findClient } from '../journal/case-context.js';
import { loadProcedures } from '../journal/procedures.js';
import { caseHistoryOf, type CaseHistory, type Journal, type JournalAction } from '../journal/journal.js';
import { clientAsJson, clientAsText } from '../render/client.js';
import { fitOf } from '../render/table.js';
import { readCaseInput } from './case-input.js';

/** How far ahead `client` looks for the next step: a month, so that the next one is almost always found. */
const CLIENT_HORIZON_DAYS = 31;

/** A client's whole story at the as-of date, as `client` prints it (and its JSON, key for key). */
export interface ClientResult {
  clientCode: string;
  clientName: string;
  /** From the clients file; null when the client is not in it. */
  contacts: {
    emails: string[]; cc: string[]; phone: string | null; address: string[]; salesRep: string | null; salesRepEmail: string | null;
    consumer: boolean; excluded: boolean; excludedReason: string | null;
  } | null;
  segment: Segment;
  segmentWhy: string;
  openItems: {
    ref: string; docDate: CalendarDate | null; dueDate: CalendarDate | null; openCents: Cents;
    daysLate: number | null; outOfScenario: { reason: CaseReason; detail: string } | null;
  }[];
  actions: JournalAction[];
  promises: (PromiseRecord & { status: PromiseStatus })[];
  disputes: DisputeRecord[];
  plans: (Omit<PaymentPlanRecord, 'instalments'> & { status: PlanStatus; paidCents: Cents; instalments: { number: number; dueOn: CalendarDate; amountCents: Cents; status: InstalmentStatus }[] })[];
  notes: { notedOn: string; text: string; isCall: boolean; minutes: number | null; costCents: number }[];
  /** The tasks left to a person, with the LRAR number kept as evidence once posted. */
  tasks: Task[];
  litigations: Litigation[];
  pausedUntil: { until: CalendarDate; reason: string } | null;
  /** The next reminder within the horizon (none under a collective proceeding, nor for a barred claim). */
  next: { step: Step; channel: Channel; dueOn: CalendarDate; invoices: string[]; notes: string[]; case: CaseView } | null;
  waiting: WaitingCase | null;
  inLitigation: LitigationCase | null;
  skipped: Skipped[];
  procedures: ProcedureRecord[];
  procedure: (ManualProcedure & { reason: string }) | null;
}

/** Options of `relance client`. */
export type ClientOptions = OptionsOf<typeof CLIENT_OPTIONS>;

/** Prints the client's timeline; returns it as data. */
export async function runClient(code: string, opts: ClientOptions, ctx: Context): Promise<ClientResult> {
  const { format } = opts;
  const { flags, inputs, journal, config } = await readCaseInput(opts, ctx, 'read');
  try {
    const result = clientTimelineOf(code, flags.asOf, inputs, journal, config);
    if (format === 'json') ctx.stdout.write(clientAsJson(result));
    else ctx.stdout.write(clientAsText(result, flags.asOf, CLIENT_HORIZON_DAYS, fitOf(ctx.columns, opts.wide)));
    return result;
  } finally {
    journal.close();
  }
}

type CaseInput = Awaited<ReturnType<typeof readCaseInput>>;

/** Reads the client's story from the exports and the journal (read-only), and plans its next step. */
function clientTimelineOf(code: string, asOf: CalendarDate, inputs: CaseInput['inputs'], journal: Journal, config: CaseInput['config']): ClientResult {
  const name = findClient(inputs, code);
  const client = inputs.clients.find((c) => c.clientCode === code) ?? null;
  const settings = planSettings(config);
  // Read-only: the reconciliation with this export is computed in memory, never written.
  const { settled } = reconciliationOf(journal, inputs.openItems, inputs.payments, asOf);
  const file = { ...loadCaseFile(journal), settled };
  const cases = evaluateCases(file, inputs.openItems, asOf, config.promiseGraceDays);
  const history = emptyHistory();
  for (const p of inputs.payments) if (p.clientCode === code) addPayment(history, p, settings.thresholds.graceDays);
  const histories = new Map([[code, history]]);
  const verdict = segmentFor(code, client, { histories, settings, cases });
  const items = inputs.openItems.filter((i) => i.clientCode === code);
  const procedures = loadProcedures(journal);
  const plan = buildPlan({
    asOf, horizonDays: CLIENT_HORIZON_DAYS, openItems: items, clients: client ? [client] : [], histories,
    ...caseHistoryFor(journal, code, settled), settings, cases, procedures,
  });
  // Under a collective proceeding there is no next reminder: the declaration of claim is what comes.
  const underProcedure = plan.manual.find((m) => m.procedure) ?? null;
  const next = underProcedure ? null : (plan.actions[0] ?? plan.manual.find((m) => !m.barred) ?? null); // a barred claim has no next reminder (L110-4, L218-2)
  return {
    clientCode: code,
    clientName: name,
    contacts: client && { emails: client.emails, cc: client.cc, phone: client.phone, address: client.address, salesRep: client.salesRep, salesRepEmail: client.salesRepEmail, consumer: client.consumer, excluded: client.excluded, excludedReason: client.excludedReason },
    segment: verdict.segment,
    segmentWhy: verdict.why,
    openItems: items.map((i) => ({
      ref: i.ref, docDate: i.docDate, dueDate: i.dueDate, openCents: i.openCents,
      daysLate: i.dueDate ? daysBetween(i.dueDate, asOf) : null, outOfScenario: cases.excluded.get(i.ref) ?? null,
    })),
    actions: journal.actions({ client: code }),
    promises: cases.promises.filter((p) => p.record.clientCode === code).map((p) => ({ ...p.record, status: p.status })),
    disputes: file.disputes.filter((d) => d.clientCode === code),
    plans: cases.plans.filter((p) => p.record.clientCode === code).map((p) => ({ ...p.record, status: p.status, paidCents: p.paidCents, instalments: p.instalments })),
    notes: notesOf(journal, code),
    tasks: loadTasks(journal, { client: code }),
    litigations: litigationsOf(journal, code),
    pausedUntil: cases.paused.get(code) ?? null,
    next: next && { step: next.step, channel: next.channel, dueOn: next.dueOn, invoices: next.invoices.map((i) => i.ref), notes: next.notes, case: next.case },
    waiting: plan.waiting[0] ?? null,
    inLitigation: plan.litigation[0] ?? null,
    skipped: plan.skipped,
    procedures: procedures.filter((p) => p.clientCode === code),
    procedure: underProcedure && { ...underProcedure.procedure!, reason: underProcedure.reason },
  };
}

/** The journal's case history of one client (the plan of `client` sees only its invoices). */
function caseHistoryFor(journal: Journal, code: string, settled: Map<string, string>): CaseHistory {
  const h = caseHistoryOf(journal, settled);
  return { messages: new Map([[code, h.messages.get(code) ?? []]]), settled: h.settled, litigationClosures: h.litigationClosures.filter((c) => c.clientCode === code) };
}
