// How a litigation hand-over ends, apart from cases.ts so that the declarations relance
// loads at every start stay light (issue 17).

/** How a litigation hand-over ended: paid, abandoned, written off as a loss. */
export type LitigationOutcome = 'paye' | 'abandon' | 'perte';

/** The outcomes of `relance contentieux --close`, with their French labels. */
export const LITIGATION_OUTCOMES: Record<LitigationOutcome, string> = { paye: 'payé', abandon: 'abandonné', perte: 'passé en perte' };
