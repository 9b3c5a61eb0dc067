/**
 * The options of `relance kpi`, declared once (commander flags, help, types, README
 * table), and the period they give: `--month`, `--quarter` or `--from`/`--to`.
 */
import { endOfMonth, isIsoDate, type CalendarDate } from '../core/dates.js';
import type { Period } from '../core/kpi.js';
import { monthPeriod, previousMonth } from '../core/months.js';
import { impossibleDateOption, UsageError } from '../errors.js';
import { formatValue, INPUT_OPTIONS, journalOption, pathValue, WIDE_OPTION } from './input-options.js';
import { refuse, z, type CommandSpec, type OptionDefs, type OptionsOf } from './options.js';

const KPI_FORMATS = ['table', 'json', 'csv', 'html'] as const;

/** `--month AAAA-MM`. */
const monthValue = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined || /^\d{4}-(0[1-9]|1[0-2])$/.test(raw)) return raw;
    return refuse(ctx, new UsageError(`mois invalide pour --month : « ${raw} ».`, `écrivez-le AAAA-MM, par exemple --month 2026-10.`));
  });

/** `--quarter AAAA-Tn` (or `AAAA-Qn`), as its first and last days. */
const quarterValue = z
  .string()
  .optional()
  .transform((raw, ctx): Period | undefined => {
    if (raw === undefined) return undefined;
    const m = /^(\d{4})-[QT]([1-4])$/i.exec(raw);
    if (!m) return refuse(ctx, new UsageError(`trimestre invalide pour --quarter : « ${raw} ».`, `écrivez-le AAAA-Tn, par exemple --quarter 2026-T3 (ou 2026-Q3).`));
    const first = (Number(m[2]) - 1) * 3 + 1;
    return { from: `${m[1]}-${String(first).padStart(2, '0')}-01`, to: endOfMonth(`${m[1]}-${String(first + 2).padStart(2, '0')}-01`) };
  });

/** `--from`/`--to` of a free period; both are required together (checked with the other options). */
function boundValue(flag: '--from' | '--to') {
  return z
    .string()
    .optional()
    .transform((raw, ctx): CalendarDate | undefined => {
      if (raw === undefined || isIsoDate(raw)) return raw;
      return refuse(ctx, impossibleDateOption(flag, raw) ?? boundRefused(flag, raw));
    });
}

function boundRefused(flag: string, raw: string): UsageError {
  return new UsageError(`date invalide ou absente pour ${flag} : « ${raw} ».`, `donnez --from et --to au format AAAA-MM-JJ.`);
}

export const KPI_OPTIONS = {
  ...INPUT_OPTIONS,
  format: { flag: '--format <format>', help: 'sortie : table, json, csv ou html (avec --out)', defaultLabel: '"table"', schema: formatValue(KPI_FORMATS), example: 'json' },
  sales: { flag: '--sales <fichier>', help: 'ventes TTC par mois ou par facture, quand il n\'y a pas de FEC', schema: pathValue, example: 'ventes.csv' },
  month: { flag: '--month <AAAA-MM>', help: 'mois', defaultLabel: 'le dernier mois complet', schema: monthValue, example: '2026-10' },
  quarter: { flag: '--quarter <AAAA-Tn>', help: 'trimestre, par exemple 2026-T3', schema: quarterValue, example: '2026-T3' },
  from: { flag: '--from <AAAA-MM-JJ>', help: 'début d\'une période libre (avec --to)', schema: boundValue('--from'), example: '2026-10-15' },
  to: { flag: '--to <AAAA-MM-JJ>', help: 'fin d\'une période libre', schema: boundValue('--to'), example: '2026-11-14' },
  out: { flag: '--out <fichier>', help: 'avec --format html : la page à écrire', schema: pathValue, example: 'rapport-novembre.html' },
  journal: journalOption('journal SQLite des actions, litiges et pertes'),
  wide: WIDE_OPTION,
} satisfies OptionDefs;

export type KpiOptions = OptionsOf<typeof KPI_OPTIONS>;

export const KPI_COMMAND: CommandSpec<typeof KPI_OPTIONS> = {
  name: 'kpi',
  description: 'le rapport mensuel du DAF : DSO, recouvrement, activation, coût par euro recouvré, balance âgée, tendance',
  options: KPI_OPTIONS,
  check: (o) => {
    if (o.format === 'html' && !o.out) throw new UsageError(`--format html écrit une page : indiquez le fichier avec --out.`, `par exemple --format html --out rapport-novembre.html`);
    const given = [o.month, o.quarter, o.from ?? o.to].filter((x) => x !== undefined).length;
    if (given > 1) throw new UsageError(`--month, --quarter et --from/--to s'excluent.`, `choisissez une seule façon de donner la période.`);
    if (o.from === undefined && o.to !== undefined) throw boundRefused('--from', '');
    if (o.to === undefined && o.from !== undefined) throw boundRefused('--to', '');
    if (o.from !== undefined && o.to !== undefined && o.to < o.from) throw new UsageError(`--to (${o.to}) précède --from (${o.from}).`, `inversez les deux dates.`);
  },
};

/** The period of the report: the month, the quarter, the free period, else the last complete month before `asOf`. */
export function periodOf(o: Pick<KpiOptions, 'month' | 'quarter' | 'from' | 'to'>, asOf: CalendarDate): Period {
  if (o.month !== undefined) return monthPeriod(o.month);
  if (o.quarter !== undefined) return o.quarter;
  if (o.from !== undefined && o.to !== undefined) return { from: o.from, to: o.to };
  return monthPeriod(previousMonth(asOf.slice(0, 7)));
}
