/**
 * relance client CLIENT : toute l'histoire d'un client sur un écran — identité et
 * contacts, segment et pourquoi, factures ouvertes et leur retard, actions envoyées
 * (avec l'empreinte de leur contenu), promesses et leur issue, litiges, échéanciers,
 * notes et appels, et la prochaine étape prévue.
 */
import { loadTasks } from '../journal/tasks.js';
import { TASK_LABELS, type Task } from '../core/tasks.js';
import { daysBetween, formatDateFr } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import { buildPlan, type CaseView, type LitigationCase, type WaitingCase } from '../core/plan.js';
import { CHANNEL_LABELS, STEP_LABELS, type Channel } from '../core/scenario.js';
import { addPayment, emptyHistory, segmentOf, withBrokenPromises } from '../core/segment.js';
import { evaluateCases, LITIGATION_OUTCOMES, type LitigationOutcome } from '../core/cases.js';
import { planSettings } from '../config.js';
import { outputFormat, type Context } from '../context.js';
import { litigationsOf, loadCaseFile, notesOf, reconciliationOf } from '../journal/cases.js';
import { findClient } from '../journal/case-context.js';
import { loadProcedures } from '../journal/procedures.js';
import { caseHistoryOf, STATUS_LABELS, type CaseHistory, type Journal } from '../journal/journal.js';
import { caseOfAction, caseOfWaiting, litigationText } from '../render/plan.js';
import { fitOf, fitTable, fitText, type Fit } from '../render/table.js';
import { openCaseInput, type CaseOptions } from './case-input.js';

const PROMISE_LABELS = { en_cours: 'en cours', tenue: 'tenue', rompue: 'non tenue', annulee: 'annulée', remplacee: 'remplacée' };
const PLAN_LABELS = { en_cours: 'respecté', rompu: 'rompu', solde: 'soldé', annule: 'annulé', remplace: 'remplacé' };
const INSTALMENT_LABELS = { payee: 'payée', a_venir: 'à venir', en_retard: 'en retard' };

/** Options of `relance client`. */
export interface ClientOptions extends CaseOptions {
  wide?: boolean;
}

/** Prints the client's timeline; returns it as data. */
export async function runClient(code: string, opts: ClientOptions, ctx: Context): Promise<Record<string, unknown>> {
  const format = outputFormat(opts.format);
  const { flags, inputs, journal, config } = await openCaseInput(opts, ctx, 'read');
  try {
    const name = findClient(inputs, code);
    const client = inputs.clients.find((c) => c.clientCode === code) ?? null;
    const settings = planSettings(config);
    // Read-only: the reconciliation with this export is computed in memory, never written.
    const { settled } = reconciliationOf(journal, inputs.openItems, inputs.payments, flags.asOf);
    const file = { ...loadCaseFile(journal), settled };
    const cases = evaluateCases(file, inputs.openItems, flags.asOf, config.promiseGraceDays);
    const history = emptyHistory();
    for (const p of inputs.payments) if (p.clientCode === code) addPayment(history, p, settings.thresholds.graceDays);
    const verdict = withBrokenPromises(
      segmentOf(history, settings.thresholds, client?.segment ?? settings.segmentOverrides[code] ?? null),
      cases.brokenPromises.get(code) ?? 0,
    );
    const items = inputs.openItems.filter((i) => i.clientCode === code);
    const plan = buildPlan({
      asOf: flags.asOf, horizonDays: 31, openItems: items, clients: client ? [client] : [], histories: new Map([[code, history]]),
      ...caseHistoryFor(journal, code, settled), settings, cases, procedures: loadProcedures(journal),
    });
    // Under a collective proceeding there is no next reminder: the declaration of claim is what comes.
    const underProcedure = plan.manual.find((m) => m.procedure) ?? null;
    const next = underProcedure ? null : (plan.actions[0] ?? plan.manual.find((m) => !m.barred) ?? null); // a barred claim has no next reminder (L110-4, L218-2)
    const timeline = {
      clientCode: code,
      clientName: name,
      contacts: client && { emails: client.emails, cc: client.cc, phone: client.phone, address: client.address, salesRep: client.salesRep, salesRepEmail: client.salesRepEmail, consumer: client.consumer, excluded: client.excluded, excludedReason: client.excludedReason },
      segment: verdict.segment,
      segmentWhy: verdict.why,
      openItems: items.map((i) => ({
        ref: i.ref, docDate: i.docDate, dueDate: i.dueDate, openCents: i.openCents,
        daysLate: i.dueDate ? daysBetween(i.dueDate, flags.asOf) : null, outOfScenario: cases.excluded.get(i.ref) ?? null,
      })),
      actions: journal.actions({ client: code }),
      promises: cases.promises.filter((p) => p.record.clientCode === code).map((p) => ({ ...p.record, status: p.status })),
      disputes: file.disputes.filter((d) => d.clientCode === code),
      plans: cases.plans.filter((p) => p.record.clientCode === code).map((p) => ({ ...p.record, status: p.status, paidCents: p.paidCents, instalments: p.instalments })),
      notes: notesOf(journal, code),
      // The tasks left to a person, with the LRAR number kept as evidence once posted.
      tasks: loadTasks(journal, { client: code }),
      litigations: litigationsOf(journal, code),
      pausedUntil: cases.paused.get(code) ?? null,
      next: next && { step: next.step, channel: next.channel, dueOn: next.dueOn, invoices: next.invoices.map((i) => i.ref), notes: next.notes, case: next.case },
      waiting: plan.waiting[0] ?? null,
      inLitigation: plan.litigation[0] ?? null,
      skipped: plan.skipped,
      procedures: loadProcedures(journal).filter((p) => p.clientCode === code),
      procedure: underProcedure && { ...underProcedure.procedure!, reason: underProcedure.reason },
    };
    if (format === 'json') ctx.stdout.write(`${JSON.stringify(timeline, null, 2)}\n`);
    else ctx.stdout.write(timelineAsText(timeline as unknown as Timeline, flags.asOf, fitOf(ctx.columns, opts.wide)));
    return timeline;
  } finally {
    journal.close();
  }
}

type Corrected = { cancelledOn?: string | null; cancelReason?: string | null };

// « annulée le 20/11/2026 : motif » after the status of a cancelled or replaced record.
const correctionText = (r: Corrected) => (r.cancelledOn ? ` le ${formatDateFr(r.cancelledOn)}${r.cancelReason ? ` : ${r.cancelReason}` : ''}` : '');

type Timeline = {
  clientCode: string; clientName: string; segment: string; segmentWhy: string;
  contacts: { emails: string[]; phone: string | null; address: string[]; salesRep: string | null; consumer: boolean; excluded: boolean; excludedReason: string | null } | null;
  openItems: { ref: string; docDate: string | null; dueDate: string | null; openCents: number; daysLate: number | null; outOfScenario: { detail: string } | null }[];
  actions: { actionDate: string; step: keyof typeof STEP_LABELS; channel: string; status: keyof typeof STATUS_LABELS; invoices: { ref: string }[]; sha256: string | null }[];
  promises: ({ promisedOn: string; refs: string[]; amountCents: number | null; status: keyof typeof PROMISE_LABELS; createdOn: string } & Corrected)[];
  disputes: { ref: string; reason: string; openedOn: string; closedOn: string | null; replacedBy: number | null }[];
  plans: ({ createdOn: string; totalCents: number; status: keyof typeof PLAN_LABELS; paidCents: number; instalments: { number: number; dueOn: string; amountCents: number; status: keyof typeof INSTALMENT_LABELS }[] } & Corrected)[];
  notes: { notedOn: string; text: string; isCall: boolean; minutes: number | null }[];
  tasks: Task[];
  litigations: { handedOverOn: string; amountCents: number; refs: string[]; closure: { closedOn: string; outcome: LitigationOutcome; reason: string } | null }[];
  pausedUntil: { until: string; reason: string } | null;
  next: { step: keyof typeof STEP_LABELS; channel: Channel; dueOn: string; invoices: string[]; notes: string[]; case: CaseView } | null;
  waiting: WaitingCase | null;
  inLitigation: LitigationCase | null;
  skipped: { reason: string; detail: string }[];
  procedures: { type: string; judgmentOn: string; bodaccOn: string | null; administrator: string | null; closedOn: string | null; closeReason: string | null }[];
  procedure: { reason: string } | null;
};

function timelineAsText(t: Timeline, asOf: string, fit: Fit): string {
  const out: string[] = [];
  // Prose lines wrap, their continuation indented under the text.
  const line = (s: string) => out.push(fitText(s, fit, '  '));
  line(`${t.clientCode} ${t.clientName} — situation au ${formatDateFr(asOf)}`);
  if (t.contacts) {
    line(`  Contacts : ${t.contacts.emails.join(', ') || 'aucun e-mail'}${t.contacts.phone ? ` ; tél. ${t.contacts.phone}` : ''}${t.contacts.salesRep ? ` ; commercial ${t.contacts.salesRep}` : ''}`);
    if (t.contacts.address.length) line(`  Adresse : ${t.contacts.address.join(', ')}`);
    if (t.contacts.consumer) line('  Client particulier (B2C)');
    if (t.contacts.excluded) line(`  Exclu des relances automatiques : ${t.contacts.excludedReason ?? 'sans motif'}`);
  }
  line(`  Segment : ${t.segment} (${t.segmentWhy})`);
  if (t.pausedUntil) line(`  Relances suspendues jusqu'au ${formatDateFr(t.pausedUntil.until)} : ${t.pausedUntil.reason}`);
  out.push('', 'Factures ouvertes');
  out.push(t.openItems.length === 0 ? '  aucune' : fitTable([
    { head: 'Pièce', shorten: 'cut', min: 11 },
    { head: 'Date', priority: 20 },
    { head: 'Échéance', priority: 50 },
    { head: 'Reste dû', align: 'right' },
    { head: 'Retard', priority: 60 },
    { head: 'Hors relance', priority: 70, shorten: 'wrap', min: 16 },
  ], t.openItems.map((i) => [
    i.ref, i.docDate ? formatDateFr(i.docDate) : '—', i.dueDate ? formatDateFr(i.dueDate) : '—', formatEuros(i.openCents),
    i.daysLate === null ? '—' : i.daysLate > 0 ? `${i.daysLate} j` : 'non échue', i.outOfScenario?.detail ?? '',
  ]), fit));
  out.push('', 'Actions');
  out.push(t.actions.length === 0 ? '  aucune' : fitTable([
    { head: 'Date' },
    { head: 'Étape', shorten: 'wrap', min: 11 },
    { head: 'Canal', priority: 40, shorten: 'wrap', min: 10 },
    { head: 'Statut', shorten: 'wrap', min: 10 },
    { head: 'Factures', priority: 50, shorten: 'wrap', min: 11 },
    { head: 'Empreinte SHA-256', priority: 10 },
  ], t.actions.map((a) => [
    formatDateFr(a.actionDate), STEP_LABELS[a.step], CHANNEL_LABELS[a.channel as Channel] ?? a.channel, STATUS_LABELS[a.status],
    a.invoices.map((i) => i.ref).join(', '), a.sha256 ? a.sha256.slice(0, 16) : '—',
  ]), fit));
  const lines = (title: string, rows: string[], none = 'aucun') => {
    out.push('', title);
    if (rows.length === 0) out.push(`  ${none}`);
    for (const r of rows) out.push(fitText(`  - ${r}`, fit, '  '));
  };
  lines('Promesses', t.promises.map((p) => `le ${formatDateFr(p.createdOn)}, paiement promis pour le ${formatDateFr(p.promisedOn)} de ${p.refs.join(', ') || 'toutes les factures'}${p.amountCents !== null ? ` (${formatEuros(p.amountCents)})` : ''} : ${PROMISE_LABELS[p.status]}${p.status === 'annulee' || p.status === 'remplacee' ? correctionText(p) : ''}`), 'aucune');
  lines('Litiges', t.disputes.map((d) => `${d.ref} depuis le ${formatDateFr(d.openedOn)} : ${d.reason}${d.closedOn ? ` ; ${d.replacedBy !== null ? 'motif remplacé' : 'clos'} le ${formatDateFr(d.closedOn)}` : ' ; en cours'}`));
  lines('Échéanciers', t.plans.map((p) => `du ${formatDateFr(p.createdOn)}, ${formatEuros(p.totalCents)}, ${PLAN_LABELS[p.status]}${p.status === 'annule' || p.status === 'remplace' ? correctionText(p) : ''}, payé ${formatEuros(p.paidCents)} : ${p.instalments.map((i) => `n° ${i.number} le ${formatDateFr(i.dueOn)} ${formatEuros(i.amountCents)} ${INSTALMENT_LABELS[i.status]}`).join(' ; ')}`));
  lines('Contentieux', t.litigations.map((l) => `remis le ${formatDateFr(l.handedOverOn)} pour ${formatEuros(l.amountCents)}${l.refs.length ? ` (${l.refs.join(', ')})` : ''}${l.closure ? ` ; clos le ${formatDateFr(l.closure.closedOn)} : ${LITIGATION_OUTCOMES[l.closure.outcome]}, ${l.closure.reason}` : ' ; en cours'}`));
  if (t.tasks.length > 0) lines('Tâches', t.tasks.map((k) => `n° ${k.id} du ${formatDateFr(k.dueOn)}, ${TASK_LABELS[k.kind]}${k.step ? ` (${STEP_LABELS[k.step]})` : ''} : ${k.status === 'fait' ? `faite le ${formatDateFr(k.doneOn!)}${k.lrarNumber ? `, LRAR n° ${k.lrarNumber}` : ''}${k.note ? ` : ${k.note}` : ''}` : `à faire (${k.kind === 'lrar' ? `relance fait ${k.id} --lrar NUMÉRO` : `relance fait ${k.id}`})`}`), 'aucune');
  lines('Notes et appels', t.notes.map((n) => `${formatDateFr(n.notedOn)} ${n.isCall ? `appel${n.minutes ? ` (${n.minutes} min)` : ''}` : 'note'} : ${n.text}`), 'aucune');
  if (t.procedures.length > 0) {
    lines('Procédures collectives', t.procedures.map((p) => `${p.type}, jugement du ${formatDateFr(p.judgmentOn)}${p.bodaccOn ? `, BODACC du ${formatDateFr(p.bodaccOn)}` : ''}${p.administrator ? `, ${p.administrator}` : ''}${p.closedOn ? ` ; close le ${formatDateFr(p.closedOn)} : ${p.closeReason ?? ''}` : ' ; en cours'}`));
  }
  out.push('');
  if (t.procedure) line(`Prochaine étape : aucune relance, ${t.procedure.reason}`);
  else if (t.inLitigation) line(`Prochaine étape : aucune relance automatique, ${litigationText(t.inLitigation)}`);
  else if (t.next) {
    line(`Prochaine étape : ${STEP_LABELS[t.next.step]} (${CHANNEL_LABELS[t.next.channel]}) le ${formatDateFr(t.next.dueOn)} pour ${t.next.invoices.join(', ')}${t.next.notes.length ? ` ; ${t.next.notes.join(' ; ')}` : ''}`);
    line(`  Dossier : ${caseOfAction(t.next)}${t.next.case.waitReason ? ` ; pas avant : ${t.next.case.waitReason}` : ''}`);
  } else if (t.waiting) {
    line(`Prochaine étape : ${t.waiting.case.nextStep ? `${STEP_LABELS[t.waiting.case.nextStep]}${t.waiting.case.nextOn ? ` le ${formatDateFr(t.waiting.case.nextOn)}` : ''}` : 'aucune'}, en attente`);
    line(`  Dossier : ${caseOfWaiting(t.waiting)}`);
  } else line(`Prochaine étape : aucune dans les 31 jours${t.skipped.length ? ` (${t.skipped.map((s) => `${s.reason} : ${s.detail}`).join(' ; ')})` : ''}`);
  return `${out.join('\n')}\n`;
}

/** The journal's case history of one client (the plan of `client` sees only its invoices). */
function caseHistoryFor(journal: Journal, code: string, settled: Map<string, string>): CaseHistory {
  const h = caseHistoryOf(journal, settled);
  return { messages: new Map([[code, h.messages.get(code) ?? []]]), settled: h.settled, litigationClosures: h.litigationClosures.filter((c) => c.clientCode === code) };
}
