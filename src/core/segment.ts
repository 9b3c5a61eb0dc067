import { daysBetween } from './dates.js';
import type { Payment, Segment } from './records.js';

/** A client's payment history, folded payment by payment (memory per client, not per payment). */
export interface PaymentHistory {
  /** Payments whose settled invoice's due date is known. */
  count: number;
  /** Sum of those payments, in cents. */
  amountCents: number;
  /** Σ amount × days late (negative when early), in cent-days. */
  centDaysLate: number;
  /** Amount paid more than `graceDays` after the due date, in cents. */
  lateCents: number;
  /** Latest payment date seen. */
  lastPayment: string | null;
}

/** Thresholds that turn a history into a segment (config `segments`). */
export interface SegmentThresholds {
  /** Fewer paid invoices than this: `nouveau`. */
  minHistory: number;
  /** Days after the due date still counted as on time. */
  graceDays: number;
  /** `bon`: weighted days late at most this, and late share at most `bonMaxLateShare`. */
  bonMaxDaysLate: number;
  bonMaxLateShare: number;
  /** `chronique`: weighted days late at least this, or late share at least `chroniqueMinLateShare`. */
  chroniqueMinDaysLate: number;
  chroniqueMinLateShare: number;
}

export const DEFAULT_THRESHOLDS: SegmentThresholds = {
  minHistory: 3,
  graceDays: 5,
  bonMaxDaysLate: 5,
  bonMaxLateShare: 0.2,
  chroniqueMinDaysLate: 30,
  chroniqueMinLateShare: 0.6,
};

/** An empty history. */
export function emptyHistory(): PaymentHistory {
  return { count: 0, amountCents: 0, centDaysLate: 0, lateCents: 0, lastPayment: null };
}

/**
 * Adds one payment to a history: for each settled invoice whose due date is known, days
 * late = payment date − due date, weighted by the part of the payment (split evenly
 * across the invoices it settles, the export not saying more).
 */
export function addPayment(h: PaymentHistory, p: Payment, graceDays: number): void {
  const dated = p.settles.filter((s) => s.dueDate !== null);
  if (dated.length === 0 || p.amountCents <= 0) return;
  // In proportion to the invoices' amounts when all are known, else evenly.
  const weights = dated.every((s) => s.cents !== undefined && s.cents > 0) ? dated.reduce((sum, s) => sum + s.cents!, 0) : 0;
  for (const s of dated) {
    const share = weights > 0 ? (p.amountCents * s.cents!) / weights : p.amountCents / dated.length;
    const late = daysBetween(s.dueDate!, p.date);
    h.count++;
    h.amountCents += share;
    h.centDaysLate += share * late;
    if (late > graceDays) h.lateCents += share;
  }
  if (h.lastPayment === null || p.date > h.lastPayment) h.lastPayment = p.date;
}

/** Adds history `from` (another file's payments of the same client) into `into`. */
export function mergeHistory(into: PaymentHistory, from: PaymentHistory): void {
  into.count += from.count;
  into.amountCents += from.amountCents;
  into.centDaysLate += from.centDaysLate;
  into.lateCents += from.lateCents;
  if (from.lastPayment !== null && (into.lastPayment === null || from.lastPayment > into.lastPayment)) into.lastPayment = from.lastPayment;
}

/** The segment of a client and the reason, in French, for `plan --explain` and the timeline. */
export interface SegmentVerdict {
  segment: Segment;
  forced: boolean;
  /** Amount-weighted average days late, or null without history. */
  daysLate: number | null;
  /** Share of the amount paid after the grace days, or null without history. */
  lateShare: number | null;
  why: string;
}

/**
 * Decides a payer's segment: `nouveau` with too short a history, else `bon`,
 * `chronique` or `occasionnel` by amount-weighted days late and share paid late. A
 * segment forced by the clients file or the config wins.
 */
export function segmentOf(h: PaymentHistory, t: SegmentThresholds, forced: Segment | null): SegmentVerdict {
  const daysLate = h.amountCents > 0 ? h.centDaysLate / h.amountCents : null;
  const lateShare = h.amountCents > 0 ? h.lateCents / h.amountCents : null;
  const facts =
    h.count === 0
      ? 'aucun règlement rapproché d\'une facture'
      : `${h.count} facture${h.count > 1 ? 's' : ''} payée${h.count > 1 ? 's' : ''}, retard moyen pondéré ${formatDays(daysLate!)}, ${Math.round(lateShare! * 100)} % du montant payé en retard`;
  if (forced) return { segment: forced, forced: true, daysLate, lateShare, why: `segment imposé (${facts})` };
  if (h.count < t.minHistory) {
    return { segment: 'nouveau', forced: false, daysLate, lateShare, why: `historique trop court : ${facts}` };
  }
  let segment: Segment;
  if (daysLate! >= t.chroniqueMinDaysLate || lateShare! >= t.chroniqueMinLateShare) segment = 'chronique';
  else if (daysLate! <= t.bonMaxDaysLate && lateShare! <= t.bonMaxLateShare) segment = 'bon';
  else segment = 'occasionnel';
  return { segment, forced: false, daysLate, lateShare, why: facts };
}

/**
 * Broken promises raise the risk whatever the payments say: one makes the payer at
 * least `occasionnel`, two make it `chronique` (a forced segment stays as forced).
 */
export function withBrokenPromises(v: SegmentVerdict, broken: number): SegmentVerdict {
  if (broken === 0 || v.forced) return v;
  const why = `${v.why} ; ${broken} promesse${broken > 1 ? 's' : ''} de paiement non tenue${broken > 1 ? 's' : ''}`;
  if (broken >= 2) return { ...v, segment: 'chronique', why };
  if (v.segment === 'bon' || v.segment === 'nouveau') return { ...v, segment: 'occasionnel', why };
  return { ...v, why };
}

function formatDays(d: number): string {
  return `${d.toFixed(1).replace('.', ',')} j`;
}
