import { TASK_LABELS } from '../core/tasks.js';
import { formatDateFr } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import { CHANNEL_LABELS, STEP_LABELS, type Channel } from '../core/scenario.js';
import { LITIGATION_OUTCOMES } from '../core/cases.js';
import { STATUS_LABELS } from '../journal/journal.js';
import type { ClientResult } from '../commands/client.js';
import { caseOfAction, caseOfWaiting, litigationText } from './plan.js';
import { fitTable, fitText, WIDE, type Fit } from './table.js';

const PROMISE_LABELS = { en_cours: 'en cours', tenue: 'tenue', rompue: 'non tenue', annulee: 'annulée', remplacee: 'remplacée' };
const PLAN_LABELS = { en_cours: 'respecté', rompu: 'rompu', solde: 'soldé', annule: 'annulé', remplace: 'remplacé' };
const INSTALMENT_LABELS = { payee: 'payée', a_venir: 'à venir', en_retard: 'en retard' };

/** The client's timeline as JSON (`relance client --format json`). */
export function clientAsJson(t: ClientResult): string {
  return `${JSON.stringify(t, null, 2)}\n`;
}

type Corrected = { cancelledOn?: string | null; cancelReason?: string | null };

// « annulée le 20/11/2026 : motif » after the status of a cancelled or replaced record.
const correctionText = (r: Corrected) => (r.cancelledOn ? ` le ${formatDateFr(r.cancelledOn)}${r.cancelReason ? ` : ${r.cancelReason}` : ''}` : '');


/** The client's timeline on one screen: contacts, segment, open invoices, actions, promises, disputes, plans, litigations, tasks, notes, and the next step. */
export function clientAsText(t: ClientResult, asOf: string, horizonDays: number, fit: Fit = WIDE): string {
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
  } else line(`Prochaine étape : aucune dans les ${horizonDays} jours${t.skipped.length ? ` (${t.skipped.map((s) => `${s.reason} : ${s.detail}`).join(' ; ')})` : ''}`);
  return `${out.join('\n')}\n`;
}
