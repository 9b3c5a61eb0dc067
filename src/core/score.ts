import type { Cents } from './money.js';
import type { Segment } from './records.js';
import type { CalendarDate } from './dates.js';

/**
 * Weights of the priority score (config `score`). The score is the expected loss in
 * euros: open amount × probability of not being paid, a probability that grows with
 * the days overdue and is scaled by the payer's risk.
 */
export interface ScoreWeights {
  /** Probability of loss of an invoice not yet overdue, for an average payer. */
  baseProbability: number;
  /** Probability the curve tends to with age, for an average payer. */
  maxProbability: number;
  /** Days overdue at which the probability has covered 63 % of the way to its maximum. */
  ageScaleDays: number;
  /** Multiplier of the probability per segment. */
  risk: Record<Segment, number>;
}

export const DEFAULT_WEIGHTS: ScoreWeights = {
  baseProbability: 0.02,
  maxProbability: 0.5,
  ageScaleDays: 90,
  risk: { bon: 0.5, nouveau: 1, occasionnel: 1.5, chronique: 2.5 },
};

/** How a score was made, for `plan --explain` and the JSON `scoreParts`. */
export interface ScoreParts {
  amountCents: Cents;
  daysOverdue: number;
  risk: number;
  /** Probability of loss (0–1) after age and risk. */
  probability: number;
  /** The score: expected loss, in cents. */
  atRiskCents: Cents;
  /** Set when the invoice is near its bar date (see withBarUrgency); on a case, its nearest invoice's. */
  prescription?: BarUrgency;
}

/** An invoice's score parts: the case's, plus the age term of the formula (plan --explain shows it). */
export interface InvoiceScoreParts extends ScoreParts {
  /** `p(days)`, the probability of loss from age alone, before the segment's risk multiplies it. */
  ageProbability: number;
}

/** How a bar date within the warning window raised a score (plan --explain, JSON `scoreParts.prescription`). */
export interface BarUrgency {
  /** The day the claim is barred, and the article of its period (« L110-4 », « L218-2 »). */
  barOn: CalendarDate;
  article: string;
  /** Days left before barOn, and the length of the warning window (6 months). */
  daysLeft: number;
  windowDays: number;
  /** The probability of loss before the bar date was accounted for. */
  probabilityBefore: number;
}

/**
 * Scores one invoice: `amount × min(1, risk × p(days))` with
 * `p(d) = base + (max − base) × (1 − e^(−d / scale))` for d ≥ 0 (base before the due
 * date). Increasing in amount, days overdue and risk; deterministic (rounded to the cent).
 */
export function scoreInvoice(amountCents: Cents, daysOverdue: number, segment: Segment, w: ScoreWeights): InvoiceScoreParts {
  const age = ageProbabilityOf(daysOverdue, w);
  const risk = w.risk[segment];
  const probability = Math.min(1, risk * age);
  return { amountCents, daysOverdue, risk, probability, atRiskCents: atRiskOf(amountCents, probability), ageProbability: age };
}

/** scoreInvoice's `atRiskCents` alone, without its parts (the same formula). */
export function invoiceAtRisk(amountCents: Cents, daysOverdue: number, segment: Segment, w: ScoreWeights): Cents {
  return atRiskOf(amountCents, Math.min(1, w.risk[segment] * ageProbabilityOf(daysOverdue, w)));
}

/** `p(days)` of scoreInvoice: the probability of loss from age alone (base before the due date). */
export function ageProbabilityOf(daysOverdue: number, w: ScoreWeights): number {
  const d = Math.max(0, daysOverdue);
  return w.baseProbability + (w.maxProbability - w.baseProbability) * (1 - Math.exp(-d / w.ageScaleDays));
}

/** The score of an amount at a probability of loss, rounded to the cent (scoreInvoice, withBarUrgency). */
export function atRiskOf(amountCents: Cents, probability: number): Cents {
  return Math.round(Math.max(0, amountCents) * probability);
}

/**
 * Raises an invoice's probability of loss as its bar date nears (Code de commerce
 * L110-4, Code de la consommation L218-2): unless someone acts, the whole claim is lost
 * on that day. Within the window, `p' = p + (1 − p) × (1 − daysLeft / windowDays)`:
 * unchanged 6 months before, the whole amount on the last day. Increasing as the bar
 * date nears, so a claim about to be barred ranks higher; explainable by its parts.
 */
export function withBarUrgency<P extends ScoreParts>(parts: P, bar: { barOn: CalendarDate; article: string }, daysLeft: number, windowDays: number): P {
  const left = Math.min(Math.max(daysLeft, 0), windowDays);
  const probability = Math.min(1, parts.probability + (1 - parts.probability) * (1 - left / windowDays));
  return {
    ...parts,
    probability,
    atRiskCents: atRiskOf(parts.amountCents, probability),
    prescription: { barOn: bar.barOn, article: bar.article, daysLeft, windowDays, probabilityBefore: parts.probability },
  };
}

/** A case's score: the sum of its invoices' scores, with the case's totals as parts. */
export function scoreCase(invoices: ScoreParts[]): ScoreParts {
  const sum = new CaseScoreSum();
  for (const i of invoices) sum.add(i);
  return sum.parts();
}

/**
 * scoreCase one invoice at a time, so that a case of many invoices needs no array of
 * their parts: the risk is the first invoice's, the prescription the nearest bar date
 * (the first of equal ones).
 */
export class CaseScoreSum {
  private amount = 0;
  private atRisk = 0;
  private days = 0;
  private risk: number | null = null;
  private nearest: BarUrgency | undefined = undefined;

  /** Adds one invoice's score (its ScoreParts, or the same fields). */
  add(i: { amountCents: Cents; atRiskCents: Cents; daysOverdue: number; risk: number; prescription?: BarUrgency | undefined }): void {
    this.amount += i.amountCents;
    this.atRisk += i.atRiskCents;
    this.days = Math.max(this.days, i.daysOverdue);
    if (this.risk === null) this.risk = i.risk;
    if (i.prescription && (!this.nearest || i.prescription.barOn < this.nearest.barOn)) this.nearest = i.prescription;
  }

  /** The case's parts so far. */
  parts(): ScoreParts {
    const nearest = this.nearest;
    return {
      amountCents: this.amount,
      daysOverdue: this.days,
      risk: this.risk ?? 1,
      probability: this.amount > 0 ? this.atRisk / this.amount : 0,
      atRiskCents: this.atRisk,
      ...(nearest ? { prescription: nearest } : {}),
    };
  }
}
