import type { CalendarDate } from './dates.js';
import { ConfigError } from '../errors.js';

/** A rate in force from `from` (the first day of a half-year) until the next entry. */
export interface RateEntry {
  from: CalendarDate;
  ratePercent: number;
}

/** The rate tables penalties are computed from, one entry per half-year, oldest first. */
export interface PenaltyTables {
  /** French late-payment default rate between professionals: ECB main refinancing rate + 10 points. */
  latePayment: RateEntry[];
  /** Taux de l'intérêt légal « pour tous les autres cas » (the creditor is a professional). */
  legalInterest: RateEntry[];
}

/**
 * Default late-payment rate (Code de commerce L441-10): the ECB main refinancing
 * operations rate in force on 1 January (first half-year) or 1 July (second half-year),
 * plus 10 points.
 *
 * ECB main refinancing rate changes (effective dates), from the ECB's published
 * decisions as tabulated at https://retout.fr/?p=12408 ("Taux de refinancement"):
 * 0,05 % from 10/09/2014, 0,00 % from 10/03/2016, 0,50 % from 27/07/2022,
 * 1,25 % from 14/09/2022, 2,00 % from 02/11/2022, 2,50 % from 21/12/2022,
 * 3,00 % from 08/02/2023, 3,50 % from 22/03/2023, 3,75 % from 10/05/2023,
 * 4,00 % from 21/06/2023, 4,25 % from 02/08/2023, 4,50 % from 20/09/2023,
 * 4,25 % from 12/06/2024, 3,65 % from 18/09/2024, 3,40 % from 23/10/2024,
 * 3,15 % from 18/12/2024, 2,90 % from 05/02/2025, 2,65 % from 12/03/2025,
 * 2,40 % from 23/04/2025, and 2,15 % from 11/06/2025 (ECB decision of 5 June 2025,
 * reported at https://www.seldon-finance.com/la-bce-annonce-une-nouvelle-baisse-de-ses-taux-directeurs).
 * On 1 January 2026 the rate was still 2,15 %: the ECB left it unchanged in July,
 * September, October and on 18 December 2025 (https://www.boursorama.com/bourse/actualites/la-bce-maintient-ses-taux-directeurs-210ab868b0d450e04ed0c0103a861247).
 * The 2nd half-year of 2026 is left out: no source at the time of writing. A date past
 * the table is a missing rate, never silent (`rateOn` flags it, `check` reports it, `send`
 * refuses a letter that states penalties computed with it unless the config sets
 * `penalties.whenRateMissing: lastKnown`). Users add half-years with `penalties.rates`.
 */
export const LATE_PAYMENT_RATES: readonly RateEntry[] = [
  { from: '2015-01-01', ratePercent: 10.05 },
  { from: '2015-07-01', ratePercent: 10.05 },
  { from: '2016-01-01', ratePercent: 10.05 },
  { from: '2016-07-01', ratePercent: 10 },
  { from: '2017-01-01', ratePercent: 10 },
  { from: '2017-07-01', ratePercent: 10 },
  { from: '2018-01-01', ratePercent: 10 },
  { from: '2018-07-01', ratePercent: 10 },
  { from: '2019-01-01', ratePercent: 10 },
  { from: '2019-07-01', ratePercent: 10 },
  { from: '2020-01-01', ratePercent: 10 },
  { from: '2020-07-01', ratePercent: 10 },
  { from: '2021-01-01', ratePercent: 10 },
  { from: '2021-07-01', ratePercent: 10 },
  { from: '2022-01-01', ratePercent: 10 },
  { from: '2022-07-01', ratePercent: 10 },
  { from: '2023-01-01', ratePercent: 12.5 },
  { from: '2023-07-01', ratePercent: 14 },
  { from: '2024-01-01', ratePercent: 14.5 },
  { from: '2024-07-01', ratePercent: 14.25 },
  { from: '2025-01-01', ratePercent: 13.15 },
  { from: '2025-07-01', ratePercent: 12.15 },
  { from: '2026-01-01', ratePercent: 12.15 },
];

/**
 * Taux de l'intérêt légal « pour tous les autres cas » (Code monétaire et financier
 * L313-2; the creditor is a professional), fixed each half-year by arrêté.
 * 2015 H1 to 2025 H2: the table "Taux d'intérêt légal simple" reproduced from
 * service-public.fr at https://www.laclef.eu/index.php/actualites/banque/taux-de-l-interet-legal-au-1er-semestre-2026
 * (cross-checked: 2023 arrêté ECOT2317028A, 2025 H2 arrêté ECOT2516925A).
 * 2026 H1: arrêté du 15 décembre 2025, JORF n°0302 du 26 décembre 2025 (2,62 %),
 * https://juriblio.fr/arretes/arrete-du-15-decembre-2025/187383136.
 * Users add half-years with `penalties.legalInterestRates` in the config.
 */
export const LEGAL_INTEREST_RATES: readonly RateEntry[] = [
  { from: '2015-01-01', ratePercent: 0.93 },
  { from: '2015-07-01', ratePercent: 0.99 },
  { from: '2016-01-01', ratePercent: 1.01 },
  { from: '2016-07-01', ratePercent: 0.93 },
  { from: '2017-01-01', ratePercent: 0.9 },
  { from: '2017-07-01', ratePercent: 0.9 },
  { from: '2018-01-01', ratePercent: 0.89 },
  { from: '2018-07-01', ratePercent: 0.88 },
  { from: '2019-01-01', ratePercent: 0.86 },
  { from: '2019-07-01', ratePercent: 0.87 },
  { from: '2020-01-01', ratePercent: 0.87 },
  { from: '2020-07-01', ratePercent: 0.84 },
  { from: '2021-01-01', ratePercent: 0.79 },
  { from: '2021-07-01', ratePercent: 0.76 },
  { from: '2022-01-01', ratePercent: 0.76 },
  { from: '2022-07-01', ratePercent: 0.77 },
  { from: '2023-01-01', ratePercent: 2.06 },
  { from: '2023-07-01', ratePercent: 4.22 },
  { from: '2024-01-01', ratePercent: 5.07 },
  { from: '2024-07-01', ratePercent: 4.92 },
  { from: '2025-01-01', ratePercent: 3.71 },
  { from: '2025-07-01', ratePercent: 2.76 },
  { from: '2026-01-01', ratePercent: 2.62 },
];

/** The half-year rates a user adds in the config (`penalties.rates`, `penalties.legalInterestRates`). */
export interface RateExtensions {
  rates?: RateEntry[];
  legalInterestRates?: RateEntry[];
}

/**
 * The shipped tables with the config's half-years on top (a config entry replaces the
 * shipped one of the same half-year). Each entry must start a half-year: a rate that
 * changed mid-semester is not how the law sets them.
 */
export function penaltyTablesFrom(extra: RateExtensions = {}): PenaltyTables {
  return {
    latePayment: mergeRates(LATE_PAYMENT_RATES, extra.rates ?? [], 'penalties.rates'),
    legalInterest: mergeRates(LEGAL_INTEREST_RATES, extra.legalInterestRates ?? [], 'penalties.legalInterestRates'),
  };
}

function mergeRates(shipped: readonly RateEntry[], added: RateEntry[], key: string): RateEntry[] {
  const byFrom = new Map(shipped.map((r) => [r.from, r.ratePercent]));
  added.forEach((r, i) => {
    if (!/^\d{4}-(01|07)-01$/.test(r.from)) {
      throw new ConfigError(
        `${key}.${i}.from : « ${r.from} » n'est pas le début d'un semestre.`,
        `les taux sont fixés par semestre : écrivez AAAA-01-01 (1er semestre) ou AAAA-07-01 (2e semestre).`,
      );
    }
    byFrom.set(r.from, r.ratePercent);
  });
  return [...byFrom].map(([from, ratePercent]) => ({ from, ratePercent })).sort((a, b) => (a.from < b.from ? -1 : 1));
}

/** A half-year: 1 (January–June) or 2 (July–December). */
export interface HalfYear {
  year: number;
  half: 1 | 2;
}

/** The half-year a date falls in. */
export function halfYearOf(date: CalendarDate): HalfYear {
  return { year: +date.slice(0, 4), half: +date.slice(5, 7) <= 6 ? 1 : 2 };
}

/** The first day of a half-year. */
export function halfYearStart(h: HalfYear): CalendarDate {
  return `${String(h.year).padStart(4, '0')}-${h.half === 1 ? '01' : '07'}-01`;
}

/** The last day of a half-year. */
export function halfYearEnd(h: HalfYear): CalendarDate {
  return `${String(h.year).padStart(4, '0')}-${h.half === 1 ? '06-30' : '12-31'}`;
}

/** The half-year after `h`. */
export function nextHalfYear(h: HalfYear): HalfYear {
  return h.half === 1 ? { year: h.year, half: 2 } : { year: h.year + 1, half: 1 };
}

/** « 1er semestre 2026 », « 2e semestre 2026 ». */
export function halfYearLabel(h: HalfYear): string {
  return `${h.half === 1 ? '1er' : '2e'} semestre ${h.year}`;
}

/** The rate of a table for one date, and whether the table really covers it. */
export interface RateLookup {
  ratePercent: number;
  /** The half-year whose rate was used. */
  source: HalfYear;
  /** True when the date lies outside the table: a neighbouring half-year's rate was used. */
  extrapolated: boolean;
}

/**
 * The rate in force on a date: the last entry starting on or before it. A date in a
 * half-year after the last entry gets the last known rate, and one before the first
 * entry the first rate; both are flagged, never silent.
 */
export function rateOn(table: readonly RateEntry[], date: CalendarDate): RateLookup {
  const first = table[0];
  if (!first) throw new Error('empty rate table');
  let entry = first;
  for (const r of table) {
    if (r.from <= date) entry = r;
    else break;
  }
  const wanted = halfYearStart(halfYearOf(date));
  const used = halfYearOf(entry.from);
  const extrapolated = date < entry.from || (entry === table[table.length - 1] && halfYearStart(used) < wanted);
  return { ratePercent: entry.ratePercent, source: used, extrapolated };
}

/**
 * The footnote a letter gives when a half-year's rate is missing from the table and the
 * user chose to use the last known one (`penalties.whenRateMissing: lastKnown`): it says
 * the rate used, nothing about publication (the letter does not know whether the rate
 * was published, only that relance's table lacks it), e.g. « taux de 12,15 % retenu pour
 * le 2e semestre 2026 ». `used` is the half-year the rate comes from (kept for callers
 * that say it to the sender).
 */
export function extrapolationNote(_used: HalfYear, missing: HalfYear[], ratePercent: number): string {
  return `taux de ${ratePercentFr(ratePercent)} retenu pour ${joinHalfYears(missing)}`;
}

/** Which table a missing rate belongs to, with the config key that adds it. */
export type RateTableName = 'latePayment' | 'legalInterest';

export const RATE_TABLES: Record<RateTableName, { label: string; key: string }> = {
  latePayment: { label: 'taux des pénalités de retard (taux BCE + 10 points, article L441-10 du Code de commerce)', key: 'penalties.rates' },
  legalInterest: { label: "taux de l'intérêt légal (article L313-2 du Code monétaire et financier)", key: 'penalties.legalInterestRates' },
};

/**
 * For the sender (never in a letter): which half-years a table lacks and how to fix it.
 * « la table des taux des pénalités de retard (…) n'a pas de taux pour le 2e semestre
 * 2026 » and the hint to add it, or to take the last known rate explicitly.
 */
export function missingRateMessage(table: RateTableName, missing: HalfYear[], used: HalfYear, ratePercent: number): { message: string; hint: string } {
  const t = RATE_TABLES[table];
  const first = missing[0]!;
  return {
    message: `la table des ${t.label} n'a pas de taux pour ${joinHalfYears(missing)}`,
    hint:
      `ajoutez le taux en vigueur dans la configuration, ${t.key}: [{ from: "${halfYearStart(first)}", ratePercent: … }] ; ` +
      `ou, pour calculer avec le taux du ${halfYearLabel(used)} (${ratePercentFr(ratePercent)}) en le disant dans la lettre, penalties.whenRateMissing: lastKnown`,
  };
}

function joinHalfYears(list: HalfYear[]): string {
  const l = list.map((h) => `le ${halfYearLabel(h)}`);
  return l.length <= 1 ? (l[0] ?? '') : `${l.slice(0, -1).join(', ')} et ${l[l.length - 1]}`;
}

/** `12,15 %` (same as percentFr in penalties.ts, kept here to avoid an import cycle). */
function ratePercentFr(ratePercent: number): string {
  return `${ratePercent.toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}\u00a0%`;
}
