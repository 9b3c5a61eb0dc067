import type { Cents } from './money.js';
import type { Segment } from './records.js';

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
}

/**
 * Scores one invoice: `amount × min(1, risk × p(days))` with
 * `p(d) = base + (max − base) × (1 − e^(−d / scale))` for d ≥ 0 (base before the due
 * date). Increasing in amount, days overdue and risk; deterministic (rounded to the cent).
 */
export function scoreInvoice(amountCents: Cents, daysOverdue: number, segment: Segment, w: ScoreWeights): ScoreParts {
  const d = Math.max(0, daysOverdue);
  const age = w.baseProbability + (w.maxProbability - w.baseProbability) * (1 - Math.exp(-d / w.ageScaleDays));
  const risk = w.risk[segment];
  const probability = Math.min(1, risk * age);
  return { amountCents, daysOverdue, risk, probability, atRiskCents: Math.round(Math.max(0, amountCents) * probability) };
}

/** A case's score: the sum of its invoices' scores, with the case's totals as parts. */
export function scoreCase(invoices: ScoreParts[]): ScoreParts {
  let amount = 0;
  let atRisk = 0;
  let days = 0;
  for (const i of invoices) {
    amount += i.amountCents;
    atRisk += i.atRiskCents;
    days = Math.max(days, i.daysOverdue);
  }
  return {
    amountCents: amount,
    daysOverdue: days,
    risk: invoices[0]?.risk ?? 1,
    probability: amount > 0 ? atRisk / amount : 0,
    atRiskCents: atRisk,
  };
}
