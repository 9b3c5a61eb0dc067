import { bestPossibleDso, cei, costPerEuro, dsoSimple, recoveryRate, type TrendPoint } from '../../src/core/kpi.js';
import { countbackDays, countbackMonths, type CeiTerms, type KpiResult } from '../../src/core/kpi-compute.js';

const euros = (e: number) => Math.round(e * 100);

/** Months of the trend: receivables at month end, sales incl. VAT, recovery rate (null: no data). */
const MONTHS: [string, number, number, number | null][] = [
  ['2025-04', 21_500, 17_000, 0.68],
  ['2025-05', 23_000, 16_500, 0.7],
  ['2025-06', 24_800, 15_000, null],
  ['2025-07', 26_000, 14_000, 0.62],
  ['2025-08', 27_500, 0, 0.58],
  ['2025-09', 25_200, 16_000, 0.64],
  ['2025-10', 24_100, 17_500, 0.66],
  ['2025-11', 23_600, 16_800, null],
  ['2025-12', 22_768, 15_900, 0.71],
  ['2026-01', 21_900, 18_000, 0.73],
  ['2026-02', 21_000, 12_000, 0.72],
  ['2026-03', 20_000, 15_000, 0.78],
];

const daysIn = (month: string) => new Date(Date.UTC(+month.slice(0, 4), +month.slice(5, 7), 0)).getUTCDate();

/**
 * A first-quarter 2026 report built by hand on the published cases, through the
 * core formulas so that every figure agrees with the inputs the report shows:
 * DSO 20 000 / 45 000 × 90 = 40.0; BPDSO 6 000 / 45 000 × 90 = 12.0, so ADD 28.0;
 * CEI (22 768 + 45 000 / 3 − 20 000) / (22 768 + 45 000 / 3 − 6 000) = 55.93 %;
 * recovery 75 000 / (110 000 − 10 000) = 75 %; cost 3 750 / 75 000 = 0.05 €.
 * The monthly sales of the quarter (18 000, 12 000, 15 000) give the countback (42.67).
 * The workings carry the numbers behind the figures, as core's report does.
 */
export function sampleReport(): KpiResult {
  const receivables = euros(20_000);
  const current = euros(6_000);
  const sales = euros(45_000);
  const trend: TrendPoint[] = MONTHS.map(([month, r, s, rate]) => ({
    month,
    dsoSimple: dsoSimple(euros(r), euros(s), daysIn(month)),
    recoveryRate: rate,
    receivablesCents: euros(r),
    salesCents: euros(s),
  }));
  const simple = dsoSimple(receivables, sales, 90);
  const bpdso = bestPossibleDso(current, sales, 90);
  const countback = countbackMonths(receivables, [...MONTHS].slice(-3).reverse().map(([month, , s]) => ({ month, salesCents: euros(s), days: daysIn(month) })));
  const ceiTerms: CeiTerms = { beginningCents: euros(22_768), salesCents: sales, months: 3, endingCents: receivables, endingCurrentCents: current };
  const recovery = { overdueAtStartCents: euros(110_000), disputedCents: euros(10_000), collectedCents: euros(75_000) };
  const costs = { actionsCents: euros(2_250), fixedCents: euros(1_500), totalCents: euros(3_750), recoveredCents: euros(75_000) };
  return {
    period: { from: '2026-01-01', to: '2026-03-31' },
    days: 90,
    sources: {
      receivables: 'FEC 123456789FEC20260331.txt (écritures des comptes 411)',
      sales: 'FEC 123456789FEC20260331.txt (factures et avoirs)',
      actions: 'journal relance.db (e-mails, courriers, appels)',
      disputes: 'journal relance.db',
    },
    receivablesCents: receivables,
    currentCents: current,
    salesCents: sales,
    dso: { simple, countback: countback ? countbackDays(countback) : null },
    bpdso,
    add: simple !== null && bpdso !== null ? simple - bpdso : null,
    cei: cei(ceiTerms.beginningCents, ceiTerms.salesCents, ceiTerms.months, ceiTerms.endingCents, ceiTerms.endingCurrentCents),
    recoveryRate: recoveryRate(recovery.overdueAtStartCents, recovery.disputedCents, recovery.collectedCents),
    recovery,
    activationRate: { coverage: 34 / 40, payers: 22 / 40 },
    activation: { overdueCases: 40, casesWithAction: 34, casesInCollection: 40, casesThatPaid: 22 },
    costPerEuroRecovered: costPerEuro(costs.totalCents, costs.recoveredCents),
    costs,
    disputeRate: euros(2_000) / receivables,
    badDebtRate: euros(450) / sales,
    weightedDaysLate: null,
    agedBalance: { non_echu: current, '1-30': euros(5_200), '31-60': euros(4_300), '61-90': euros(2_500), '91+': euros(2_000) },
    topDebtors: [
      ['C0012', 'Dupont & Fils <SARL>', 4_200, 3_100, 97],
      ['C0007', 'Boulangerie « Le Fournil »', 3_100, 2_000, 64],
      ['C0031', "L'Atelier \"Bois & Co\"", 2_650, 1_400, 45],
      ['C0003', 'Garage Martin', 2_000, 0, 0],
      ['C0019', 'Transports Lefèvre et Associés Logistique Régionale', 1_800, 1_800, 122],
      ['C0024', 'Pharmacie du Marché', 1_500, 700, 12],
      ['C0002', 'Cabinet Rousseau', 1_240.5, 1_240.5, 38],
      ['C0045', 'Hôtel des Voyageurs', 980, 0, 0],
      ['C0050', 'Fleurs & Jardins', 760, 760, 71],
      ['C0061', 'SCI Les Tilleuls', 512.34, 212.34, 8],
    ].map(([clientCode, clientName, balance, overdue, days]) => ({
      clientCode: clientCode as string,
      clientName: clientName as string,
      balanceCents: euros(balance as number),
      overdueCents: euros(overdue as number),
      oldestDaysLate: days as number,
    })),
    trend,
    missing: { weightedDaysLate: 'aucun règlement de la période rapproché d\'une facture datée' },
    workings: { countback, cei: ceiTerms, disputedCents: euros(2_000), writtenOffCents: euros(450) },
  };
}

/** The company the sample report is for (its name needs escaping). */
export const SAMPLE_COMPANY = { name: 'Menuiserie Martin & Fils <SAS>' };
