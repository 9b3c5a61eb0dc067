// The kinds of collective proceeding, apart from procedure.ts so that the declarations
// relance loads at every start stay light (issue 17).

/** The three judgments that open a collective proceeding. */
export const PROCEDURE_TYPES = ['sauvegarde', 'redressement', 'liquidation'] as const;
export type ProcedureType = (typeof PROCEDURE_TYPES)[number];
