/**
 * Which penalties on invoices paid late must not be claimed, from what the journal
 * knows: what a payment plan promised (config `echeancier.penalties`), an open dispute,
 * a write-off, a collective proceeding (L622-21, L622-7: no demand for a pre-judgment
 * debt, which is declared to the mandataire instead, L622-24). Pure: the command loads
 * the journal and the exports.
 */
import type { CaseFile, CaseStatus } from './cases.js';
import { addDays, formatDateFr, type CalendarDate } from './dates.js';
import { invoiceKey } from './late-payments.js';
import { PROCEDURE_LABELS, type ProcedureRecord } from './procedure.js';
import type { SentStep } from './scenario.js';

/** What a payment plan does with the penalties already accrued (config `echeancier.penalties`). */
export type PlanPenaltyPolicy = 'abandonnees' | 'suspendues' | 'dues';

/** Everything the exclusions are decided from. */
export interface PenaltyExclusionInput {
  asOf: CalendarDate;
  file: CaseFile;
  /** The cases evaluated at `asOf` (cases.ts `evaluateCases`): each plan's status. */
  status: CaseStatus;
  procedures: readonly ProcedureRecord[];
  /** Steps taken per invoice ref (journal `sentSteps`): a formal notice after a missed instalment. */
  sentSteps: ReadonlyMap<string, readonly SentStep[]>;
  policy: PlanPenaltyPolicy;
  /** Days a formal notice gives before the plan lapses (config `echeancier.noticeDays`). */
  noticeDays: number;
}

/** Invoices and clients to leave out, with why (French), and notes for the sender. */
export interface PenaltyExclusions {
  invoices: Map<string, string>;
  clients: Map<string, { why: string; paidBefore: CalendarDate | null }>;
  notes: string[];
}

/**
 * The penalties not to claim. A payment plan (not cancelled nor replaced) under
 * `abandonnees` waived them for good. Under `suspendues` (the default) they stay
 * suspended while the plan runs, are waived once it is paid off, and are due again only
 * once the plan has lapsed the way its letter says: an instalment missed, then a formal
 * notice (`mise_en_demeure` or later step on one of its invoices, sent after the plan was
 * agreed) left without effect for `noticeDays` days — before the as-of date for a plan
 * still unpaid, before the plan's invoices were all settled for one paid off since. A
 * missed instalment without such a notice keeps them suspended. Under `dues` the plan
 * takes nothing out. Open disputes and write-offs take their invoice out; a proceeding
 * in force takes the whole client out, one closed since takes out the invoices first
 * paid late before its judgment (pre-judgment claims belong to the declaration).
 */
export function penaltyExclusionsOf(input: PenaltyExclusionInput): PenaltyExclusions {
  const { asOf, file, status, policy, noticeDays } = input;
  const invoices = new Map<string, string>();
  const clients = new Map<string, { why: string; paidBefore: CalendarDate | null }>();
  const notes: string[] = [];

  if (policy !== 'dues') {
    for (const { record: plan, status: st } of status.plans) {
      if (st === 'annule' || st === 'remplace') continue;
      const since = `l'échéancier du ${formatDateFr(plan.createdOn)}`;
      let why: string | null;
      if (policy === 'abandonnees') why = `pénalités abandonnées par ${since} (echeancier.penalties: abandonnees)`;
      else {
        const notice = formalNoticeAfter(plan.refs, plan.createdOn, input.sentSteps);
        const lapseOn = notice === null ? null : addDays(notice, noticeDays);
        if (st === 'en_cours') why = `pénalités suspendues tant que ${since} est respecté (echeancier.penalties: suspendues)`;
        else if (st === 'solde') {
          const settled = plan.refs.map((r) => file.settled.get(r) ?? null);
          const lastSettled = settled.every((d) => d !== null) ? (settled as CalendarDate[]).reduce((a, b) => (a > b ? a : b), '0000-01-01') : null;
          why = lapseOn !== null && lastSettled !== null && lastSettled > lapseOn
            ? null
            : `pénalités abandonnées : ${since} a été soldé (echeancier.penalties: suspendues)`;
        } else {
          // rompu: an instalment is missed; the letter makes the plan lapse only after an unanswered formal notice.
          why = lapseOn !== null && lapseOn < asOf
            ? null
            : `échéance manquée de ${since}, mais il n'est pas caduc tant qu'une mise en demeure n'est pas restée ${noticeDays} jours sans effet : pénalités encore suspendues`;
        }
        if (why === null) notes.push(`${plan.clientCode} : ${since} est caduc (mise en demeure du ${formatDateFr(notice!)} restée ${noticeDays} jours sans effet) : les pénalités suspendues de ${plan.refs.join(', ')} redeviennent dues`);
      }
      if (why !== null) for (const ref of plan.refs) invoices.set(invoiceKey(plan.clientCode, ref), why);
    }
  }
  for (const d of file.disputes) {
    if (d.openedOn <= asOf && (d.closedOn === null || d.closedOn > asOf)) invoices.set(invoiceKey(d.clientCode, d.ref), `facture contestée depuis le ${formatDateFr(d.openedOn)} (${d.reason})`);
  }
  for (const w of file.writeoffs) {
    if (w.writtenOn <= asOf) invoices.set(invoiceKey(w.clientCode, w.ref), `facture passée en perte le ${formatDateFr(w.writtenOn)}`);
  }
  for (const p of [...input.procedures].sort((a, b) => (a.judgmentOn < b.judgmentOn ? -1 : 1))) {
    if (p.judgmentOn > asOf) continue;
    const judged = `${PROCEDURE_LABELS[p.type]} (jugement du ${formatDateFr(p.judgmentOn)})`;
    const active = p.closedOn === null || p.closedOn > asOf;
    if (active) {
      clients.set(p.clientCode, { why: `${judged} : aucun relevé pendant la procédure (L622-21, L622-7) ; les pénalités des factures réglées avant le jugement sont à déclarer au mandataire (relance procedure)`, paidBefore: null });
    } else if (clients.get(p.clientCode)?.paidBefore !== null) {
      clients.set(p.clientCode, { why: `${judged} : pénalités antérieures au jugement, à déclarer au mandataire, jamais à réclamer par relevé (L622-7, L622-24)`, paidBefore: p.judgmentOn });
    }
  }
  return { invoices, clients, notes };
}

/** The first formal notice (or later step) sent on one of these invoices after `after`, or null. */
function formalNoticeAfter(refs: readonly string[], after: CalendarDate, sent: ReadonlyMap<string, readonly SentStep[]>): CalendarDate | null {
  let first: CalendarDate | null = null;
  for (const r of refs) {
    for (const s of sent.get(r) ?? []) {
      if ((s.step === 'mise_en_demeure' || s.step === 'contentieux') && s.date > after && (first === null || s.date < first)) first = s.date;
    }
  }
  return first;
}
