import { formatDateFr } from '../core/dates.js';
import { monthsOf, type AgedBalance, type KpiReport, type Period, type TrendPoint } from '../core/kpi.js';
import type { KpiWorkings } from '../core/kpi-compute.js';
import { formatEuros, type Cents } from '../core/money.js';

/**
 * A report as the renderers take it: core's report and, when core computed it, the
 * numbers behind its figures (without them, a figure shows its formula, not its inputs).
 */
export type KpiView = KpiReport & { workings?: KpiWorkings };

/** The key of a figure: the `data-kpi` attribute of the HTML page and the CSV `key`. */
export type KpiKey =
  | 'dso-simple'
  | 'dso-countback'
  | 'bpdso'
  | 'add'
  | 'cei'
  | 'recovery-rate'
  | 'activation-coverage'
  | 'activation-payers'
  | 'cost-per-euro'
  | 'dispute-rate'
  | 'bad-debt-rate'
  | 'weighted-days-late';

/** How a figure's value reads: days, a rate, or euros per euro. */
export type KpiUnit = 'days' | 'rate' | 'euro';

/** One figure of the report, ready to print: value, definition, formula, inputs, or why it is missing. */
export interface KpiFigure {
  key: KpiKey;
  /** Its path in the JSON report, and its key in `report.missing`. */
  path: string;
  label: string;
  value: number | null;
  unit: KpiUnit;
  /** The value in French (`40,0 j`, `75,0 %`, `0,05 €`), or `non calculable`. */
  text: string;
  definition: string;
  formula: string;
  /** The formula with the report's numbers in it, when they are all known. */
  inputs: string | null;
  /** Why the figure is null, from `report.missing`. */
  reason: string | null;
}

/** What a null figure shows instead of a value. */
export const NOT_COMPUTABLE = 'non calculable';

const oneDecimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const signedOneDecimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const twoDecimals = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const noDecimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const NBSP = '\u00a0';

/** Days, one decimal: `40,0 j`. */
export function formatDays(days: number): string {
  return `${oneDecimal.format(days)}${NBSP}j`;
}

/** A fraction as a percentage, one decimal: 0.75 → `75,0 %`. */
export function formatRate(fraction: number): string {
  return `${oneDecimal.format(fraction * 100)}${NBSP}%`;
}

/** Euros per euro recovered, two decimals: `0,05 €`. */
export function formatEuroRatio(euros: number): string {
  return `${twoDecimals.format(euros)}${NBSP}€`;
}

/** A figure's value in French, by its unit. */
export function formatValue(value: number, unit: KpiUnit): string {
  return unit === 'days' ? formatDays(value) : unit === 'rate' ? formatRate(value) : formatEuroRatio(value);
}

/** An axis tick: no decimals (`50 j`, `100 %`). */
export function formatTick(value: number, unit: KpiUnit): string {
  return unit === 'days' ? `${noDecimal.format(value)}${NBSP}j` : unit === 'rate' ? `${noDecimal.format(value * 100)}${NBSP}%` : `${twoDecimals.format(value)}${NBSP}€`;
}

/** A change from one month to the next: `+1,3 j` for days, `−5,0 pts` (percentage points) for rates. */
export function formatChange(delta: number, unit: KpiUnit): string {
  const text = unit === 'rate' ? `${signedOneDecimal.format(delta * 100)}${NBSP}pts` : `${signedOneDecimal.format(delta)}${NBSP}j`;
  return text.replace('-', '−');
}

const MONTHS_SHORT = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];
const MONTHS_LONG = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** A month AAAA-MM as a short French label: `nov. 2026`. */
export function monthLabel(month: string): string {
  return `${MONTHS_SHORT[+month.slice(5, 7) - 1] ?? month.slice(5, 7)} ${month.slice(0, 4)}`;
}

function daysInMonth(month: string): number {
  return new Date(Date.UTC(+month.slice(0, 4), +month.slice(5, 7), 0)).getUTCDate();
}

/** The period in words: `novembre 2026`, `4e trimestre 2026`, or `du 05/11/2026 au 20/11/2026`. */
export function periodLabel(p: Period): string {
  const months = monthsOf(p);
  const first = months[0] ?? p.from.slice(0, 7);
  const last = months[months.length - 1] ?? first;
  const whole = p.from.endsWith('-01') && +p.to.slice(8, 10) === daysInMonth(last);
  const m = +first.slice(5, 7);
  if (whole && months.length === 1) return `${MONTHS_LONG[m - 1]} ${first.slice(0, 4)}`;
  if (whole && months.length === 3 && m % 3 === 1 && first.slice(0, 4) === last.slice(0, 4)) {
    const q = (m + 2) / 3;
    return `${q === 1 ? '1er' : `${q}e`} trimestre ${first.slice(0, 4)}`;
  }
  return `du ${formatDateFr(p.from)} au ${formatDateFr(p.to)}`;
}

/** The period with its dates: `1er trimestre 2026 (du 01/01/2026 au 31/03/2026, 90 jours)`. */
export function periodLine(report: KpiReport): string {
  const label = periodLabel(report.period);
  const dates = `du ${formatDateFr(report.period.from)} au ${formatDateFr(report.period.to)}`;
  const days = `${report.days} jour${report.days > 1 ? 's' : ''}`;
  return label === dates ? `${dates} (${days})` : `${label} (${dates}, ${days})`;
}

/** The sources of the report's inputs, labelled, in print order. */
export const SOURCE_LABELS: [keyof KpiReport['sources'], string][] = [
  ['receivables', 'Créances'],
  ['sales', 'Ventes'],
  ['actions', 'Actions'],
  ['disputes', 'Litiges'],
];

/** The aged-balance buckets, in print order, with their labels. */
export const AGED_BUCKETS: [keyof AgedBalance, string][] = [
  ['non_echu', 'non échu'],
  ['1-30', '1–30 j'],
  ['31-60', '31–60 j'],
  ['61-90', '61–90 j'],
  ['91+', '> 90 j'],
];

/** The aged balance in print order: each bucket's amount and share of the total (null when the total is not positive), and the total. */
export function agedBalanceRows(aged: AgedBalance): { rows: { key: keyof AgedBalance; label: string; cents: Cents; share: number | null }[]; totalCents: Cents } {
  const totalCents = AGED_BUCKETS.reduce((s, [k]) => s + aged[k], 0);
  return { rows: AGED_BUCKETS.map(([key, label]) => ({ key, label, cents: aged[key], share: totalCents > 0 ? aged[key] / totalCents : null })), totalCents };
}

interface FigureSpec {
  key: KpiKey;
  path: string;
  label: string;
  unit: KpiUnit;
  definition: string;
  formula: string;
  /** Keys of `report.missing` that can explain a null, most specific first. */
  reasons: string[];
  value: (r: KpiView) => number | null;
  inputs: (r: KpiView) => string | null;
}

const E = formatEuros;

const FIGURES: FigureSpec[] = [
  {
    key: 'dso-simple', path: 'dso.simple', label: 'DSO (méthode simple)', unit: 'days',
    definition: 'Délai moyen de paiement des clients : combien de jours de ventes les créances représentent.',
    formula: 'créances TTC en fin de période / ventes TTC de la période × jours de la période',
    reasons: ['dso.simple', 'dso', 'sales', 'receivables'],
    value: (r) => r.dso.simple,
    inputs: (r) => (r.receivablesCents !== null && r.salesCents !== null ? `créances ${E(r.receivablesCents)} / ventes ${E(r.salesCents)} ×${NBSP}${r.days}${NBSP}j` : null),
  },
  {
    key: 'dso-countback', path: 'dso.countback', label: 'DSO (méthode par épuisement)', unit: 'days',
    definition: 'Le même délai, en consommant les ventes mois par mois à rebours : moins sensible aux variations saisonnières.',
    formula: 'jours des mois de ventes entièrement consommés par les créances, en remontant depuis la fin de période, + prorata du dernier mois',
    reasons: ['dso.countback', 'dso', 'sales', 'receivables'],
    value: (r) => r.dso.countback,
    inputs: countbackInputs,
  },
  {
    key: 'bpdso', path: 'bpdso', label: 'BPDSO (meilleur DSO possible)', unit: 'days',
    definition: 'Le DSO si tous les clients payaient à l’échéance : la part due aux seules conditions de paiement.',
    formula: 'créances non échues en fin de période / ventes TTC de la période × jours de la période',
    reasons: ['bpdso', 'sales', 'dso.simple', 'receivables'],
    value: (r) => r.bpdso,
    inputs: (r) => (r.currentCents !== null && r.salesCents !== null ? `non échu ${E(r.currentCents)} / ventes ${E(r.salesCents)} ×${NBSP}${r.days}${NBSP}j` : null),
  },
  {
    key: 'add', path: 'add', label: 'ADD (retard moyen)', unit: 'days',
    definition: 'Les jours de DSO dus aux retards de paiement, au-delà des conditions accordées.',
    formula: 'DSO (méthode simple) − BPDSO',
    reasons: ['add', 'dso.simple', 'bpdso', 'sales', 'receivables'],
    value: (r) => r.add,
    inputs: (r) => (r.dso.simple !== null && r.bpdso !== null ? `DSO ${formatDays(r.dso.simple)} − BPDSO ${formatDays(r.bpdso)}` : null),
  },
  {
    key: 'cei', path: 'cei', label: 'CEI (efficacité du recouvrement)', unit: 'rate',
    definition: 'La part de ce qui était recouvrable sur la période qui a été encaissée ; 100 % : tout ce qui était exigible l’a été.',
    formula: '(créances début + ventes / N − créances fin) / (créances début + ventes / N − créances non échues fin), N = nombre de mois de la période',
    reasons: ['cei', 'sales', 'receivables'],
    value: (r) => r.cei,
    inputs: ceiInputs,
  },
  {
    key: 'recovery-rate', path: 'recoveryRate', label: 'Taux de recouvrement', unit: 'rate',
    definition: 'La part des factures échues au début de la période encaissée pendant la période, hors litiges et avoirs.',
    formula: 'encaissé sur la période sur les factures échues à son début / (montant ouvert de ces factures à son début − factures en litige)',
    reasons: ['recoveryRate', 'recovery'],
    value: (r) => r.recoveryRate,
    inputs: (r) => {
      const x = r.recovery;
      return x ? `encaissé ${E(x.collectedCents)} / (échu au début ${E(x.overdueAtStartCents)} − en litige ${E(x.disputedCents)})` : null;
    },
  },
  {
    key: 'activation-coverage', path: 'activationRate.coverage', label: 'Taux d’activation : couverture', unit: 'rate',
    definition: 'La part des dossiers échus qui ont reçu au moins une relance (e-mail, courrier, appel) sur la période.',
    formula: 'dossiers échus ayant reçu au moins une action sur la période / dossiers échus',
    reasons: ['activationRate.coverage', 'activationRate', 'activation'],
    value: (r) => r.activationRate.coverage,
    inputs: (r) => (r.activation ? `${r.activation.casesWithAction} dossiers relancés / ${r.activation.overdueCases} dossiers échus` : null),
  },
  {
    key: 'activation-payers', path: 'activationRate.payers', label: 'Taux d’activation : payeurs', unit: 'rate',
    definition: 'La part des dossiers en recouvrement qui ont payé, même partiellement, sur la période.',
    formula: 'dossiers en recouvrement ayant fait un paiement (même partiel) sur la période / dossiers en recouvrement',
    reasons: ['activationRate.payers', 'activationRate', 'activation'],
    value: (r) => r.activationRate.payers,
    inputs: (r) => (r.activation ? `${r.activation.casesThatPaid} dossiers ayant payé / ${r.activation.casesInCollection} dossiers en recouvrement` : null),
  },
  {
    key: 'cost-per-euro', path: 'costPerEuroRecovered', label: 'Coût par euro recouvré', unit: 'euro',
    definition: 'Ce que coûte le recouvrement d’un euro : actions au coût unitaire de leur canal et coûts fixes.',
    formula: 'coûts de recouvrement de la période (actions × coût unitaire du canal + coûts fixes mensuels) / montant recouvré',
    reasons: ['costPerEuroRecovered', 'costs'],
    value: (r) => r.costPerEuroRecovered,
    inputs: (r) => {
      const c = r.costs;
      return c ? `coûts ${E(c.totalCents)} (actions ${E(c.actionsCents)} + fixes ${E(c.fixedCents)}) / recouvré ${E(c.recoveredCents)}` : null;
    },
  },
  {
    key: 'dispute-rate', path: 'disputeRate', label: 'Taux de litige', unit: 'rate',
    definition: 'La part des créances bloquée par un litige ouvert en fin de période.',
    formula: 'factures en litige ouvert en fin de période / créances en fin de période',
    reasons: ['disputeRate', 'receivables'],
    value: (r) => r.disputeRate,
    inputs: (r) => {
      const disputed = r.workings?.disputedCents ?? null;
      return disputed !== null && r.receivablesCents !== null ? `en litige ${E(disputed)} / créances ${E(r.receivablesCents)}` : null;
    },
  },
  {
    key: 'bad-debt-rate', path: 'badDebtRate', label: 'Taux de pertes sur créances', unit: 'rate',
    definition: 'La part des ventes de la période passée en perte.',
    formula: 'créances passées en perte sur la période / ventes TTC de la période',
    reasons: ['badDebtRate', 'sales'],
    value: (r) => r.badDebtRate,
    inputs: (r) => {
      const writtenOff = r.workings?.writtenOffCents ?? null;
      return writtenOff !== null && r.salesCents !== null ? `passé en perte ${E(writtenOff)} / ventes ${E(r.salesCents)}` : null;
    },
  },
  {
    key: 'weighted-days-late', path: 'weightedDaysLate', label: 'Retard moyen pondéré', unit: 'days',
    definition: 'Le retard moyen des factures réglées sur la période, chaque facture pesant son montant réglé.',
    formula: 'Σ (montant réglé × jours entre échéance et règlement) / Σ montants réglés, sur les règlements de la période',
    reasons: ['weightedDaysLate'],
    value: (r) => r.weightedDaysLate,
    inputs: () => null,
  },
];

/** Labels of `report.missing` keys that are inputs rather than figures. */
const INPUT_LABELS: Record<string, string> = {
  sales: 'Ventes de la période',
  receivables: 'Créances',
  dso: 'DSO',
  recovery: 'Recouvrement',
  activation: 'Activation',
  activationRate: 'Taux d’activation',
  costs: 'Coûts de recouvrement',
  agedBalance: 'Balance âgée',
  trend: 'Tendance',
  topDebtors: 'Plus gros débiteurs',
};

/** Every figure of the report, in print order. */
export function kpiFigures(report: KpiView): KpiFigure[] {
  return FIGURES.map((f) => {
    const value = f.value(report);
    const finite = value !== null && Number.isFinite(value) ? value : null;
    return {
      key: f.key,
      path: f.path,
      label: f.label,
      value: finite,
      unit: f.unit,
      text: finite === null ? NOT_COMPUTABLE : formatValue(finite, f.unit),
      definition: f.definition,
      formula: f.formula,
      inputs: finite === null ? null : f.inputs(report),
      reason: finite === null ? reasonOf(report, f.reasons) : null,
    };
  });
}

function reasonOf(report: KpiReport, keys: string[]): string {
  for (const k of keys) {
    const reason = report.missing[k];
    if (reason) return reason;
  }
  return 'données insuffisantes pour ce calcul';
}

/** The `missing` entries with a French label for their key, in figure order then the others. */
export function missingEntries(report: KpiReport): { key: string; label: string; reason: string }[] {
  const order = new Map<string, number>(FIGURES.map((f, i) => [f.path, i]));
  const labelOf = (k: string) => FIGURES.find((f) => f.path === k)?.label ?? INPUT_LABELS[k] ?? k;
  return Object.entries(report.missing)
    .map(([key, reason]) => ({ key, label: labelOf(key), reason }))
    .sort((a, b) => (order.get(a.key) ?? -1) - (order.get(b.key) ?? -1) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A month of the trend with its changes from the month before (null when either is missing). */
export interface TrendRow extends TrendPoint {
  dsoChange: number | null;
  recoveryChange: number | null;
}

/** The trend, oldest first, with month-on-month changes. */
export function trendRows(trend: TrendPoint[]): TrendRow[] {
  const sorted = [...trend].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  return sorted.map((t, i) => {
    const prev = i > 0 ? sorted[i - 1] : undefined;
    const change = (now: number | null, before: number | null | undefined) => (now !== null && before !== null && before !== undefined ? now - before : null);
    return { ...t, dsoChange: change(t.dsoSimple, prev?.dsoSimple), recoveryChange: change(t.recoveryRate, prev?.recoveryRate) };
  });
}

/** The countback spelled out from core's months, newest first: the months used up, then the prorated one. */
function countbackInputs(r: KpiView): string | null {
  const months = r.workings?.countback;
  if (r.receivablesCents === null || !months) return null;
  const parts = months.map((m) => {
    if (m.salesCents <= 0) return `${monthLabel(m.month)} sans ventes (${m.days}${NBSP}j)`;
    if (m.usedCents === m.salesCents) return `${monthLabel(m.month)} ${E(m.salesCents)} (${m.days}${NBSP}j)`;
    return `${E(m.usedCents)} sur ${monthLabel(m.month)} ${E(m.salesCents)} (${oneDecimal.format(m.countedDays)}${NBSP}j sur ${m.days})`;
  });
  return `créances ${E(r.receivablesCents)} = ${parts.join(' + ')}`;
}

/** The CEI with core's terms. */
function ceiInputs(r: KpiView): string | null {
  const t = r.workings?.cei;
  if (!t) return null;
  const sales = `ventes ${E(t.salesCents)} / ${t.months}`;
  return `(début ${E(t.beginningCents)} + ${sales} − fin ${E(t.endingCents)}) / (début ${E(t.beginningCents)} + ${sales} − non échu fin ${E(t.endingCurrentCents)})`;
}
