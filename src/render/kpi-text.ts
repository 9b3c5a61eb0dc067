import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { csvAsText, csvSchema, type CsvCell } from './csv.js';
import { formatDateFr } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import {
  AGED_BUCKETS,
  agedBalanceRows,
  formatChange,
  formatDays,
  formatRate,
  kpiFigures,
  missingEntries,
  monthLabel,
  NOT_COMPUTABLE,
  periodLine,
  SOURCE_LABELS,
  trendRows,
  type KpiUnit,
  type KpiView,
} from './kpi-format.js';
import { fitTable, fitText, painter, WIDE, type Fit } from './table.js';

/** Months of the trend shown in the terminal; the HTML page and JSON carry all of them. */
const TERMINAL_TREND_MONTHS = 6;

/** The CFO's report on one screen: period and sources, the figures, aged balance, top debtors, trend, what is missing. */
export function kpiAsText(report: KpiView, color: boolean, fit: Fit = WIDE): string {
  const c = painter(color);
  const out: string[] = [];
  out.push(c.bold(fitText(`Indicateurs de recouvrement : ${periodLine(report)}`, fit, '  ')));
  // One line per distinct source: the FEC usually gives both receivables and sales.
  const sources = new Map<string, string[]>();
  for (const [k, label] of SOURCE_LABELS) sources.set(report.sources[k], [...(sources.get(report.sources[k]) ?? []), label.toLowerCase()]);
  [...sources].forEach(([source, labels], i) =>
    out.push(i === 0 ? fitText(`Sources : ${labels.join(' et ')} : ${source}`, fit, ' '.repeat(12)) : fitText(`${' '.repeat(10)}${labels.join(' et ')} : ${source}`, fit, '  ')),
  );
  out.push('', figuresTable(report, c, fit));

  out.push('', c.bold(`Balance âgée au ${formatDateFr(report.period.to)}`));
  const aged = report.agedBalance;
  if (!aged) out.push(fitText(`${NOT_COMPUTABLE} : ${report.missing.agedBalance ?? 'créances à la fin de la période indisponibles'}`, fit, '  '));
  else {
    const { rows: buckets, totalCents } = agedBalanceRows(aged);
    const rows = buckets.map((b) => [b.label, formatEuros(b.cents), b.share === null ? '—' : formatRate(b.share)]);
    rows.push(['Total', formatEuros(totalCents), totalCents > 0 ? formatRate(1) : '—']);
    out.push(fitTable([{ head: 'Retard' }, { head: 'Montant', align: 'right' }, { head: 'Part', align: 'right' }], rows, fit));
  }

  out.push('', c.bold(`Plus gros débiteurs au ${formatDateFr(report.period.to)}`));
  if (report.topDebtors.length === 0) out.push('Aucun client ne doit rien.');
  else {
    out.push(
      fitTable(
        [
          { head: 'Rang', align: 'right' },
          { head: 'Client', shorten: 'cut', min: 16 },
          { head: 'Solde', align: 'right' },
          { head: 'Échu', align: 'right' },
          { head: 'Retard max', align: 'right', priority: 10 },
        ],
        report.topDebtors.slice(0, 10).map((d, i) => [i + 1, `${d.clientCode} ${d.clientName}`, formatEuros(d.balanceCents), formatEuros(d.overdueCents), d.oldestDaysLate > 0 ? `${d.oldestDaysLate} j` : '—']),
        fit,
      ),
    );
  }

  const rows = trendRows(report.trend).slice(-TERMINAL_TREND_MONTHS);
  out.push('', c.bold(`Tendance (${rows.length} dernier${rows.length > 1 ? 's' : ''} mois)`));
  if (rows.length === 0) out.push(fitText(`Pas de tendance : ${report.missing.trend ?? 'aucun mois antérieur dans les données'}.`, fit, '  '));
  else {
    const change = (delta: number | null, unit: KpiUnit, upIsGood: boolean) => {
      if (delta === null) return '—';
      const text = formatChange(delta, unit);
      if (Math.abs(delta) < 1e-9) return text;
      return (delta > 0) === upIsGood ? c.green(text) : c.red(text);
    };
    out.push(
      fitTable(
        [
          { head: 'Mois' },
          { head: 'DSO', align: 'right' },
          { head: 'Évolution', align: 'right', priority: 20 },
          { head: 'Recouvrement', align: 'right' },
          { head: 'Évolution', align: 'right', priority: 10 },
        ],
        rows.map((t) => [
          monthLabel(t.month),
          t.dsoSimple === null ? 'n.d.' : formatDays(t.dsoSimple),
          change(t.dsoChange, 'days', false),
          t.recoveryRate === null ? 'n.d.' : formatRate(t.recoveryRate),
          change(t.recoveryChange, 'rate', true),
        ]),
        fit,
      ),
    );
  }

  const missing = missingEntries(report);
  if (missing.length > 0) {
    out.push('', c.bold('Non calculable'));
    for (const m of missing) out.push(fitText(`- ${m.label} : ${m.reason}.`.replace(/\.\.$/, '.'), fit, '  '));
  }
  return `${out.join('\n')}\n`;
}

/**
 * The figures with their formula or inputs. Wide (and in the golden files): fixed widths,
 * wrapped by hand at ordinary spaces only, so that the table stays within 100 columns
 * and an amount (grouped with no-break spaces) is never cut in two. Otherwise the label
 * and the formula wrap to fit the terminal; the value is never narrowed.
 */
function figuresTable(report: KpiView, c: ChalkInstance, fit: Fit): string {
  const cells = kpiFigures(report).map((f) => [
    f.label,
    f.value === null ? c.yellow(NOT_COMPUTABLE) : f.text,
    f.value === null ? 'voir « Non calculable »' : f.inputs ?? f.formula,
  ]);
  if (!fit.wide) {
    return fitTable(
      [{ head: 'Indicateur', shorten: 'wrap', min: 16 }, { head: 'Valeur', align: 'right' }, { head: 'Calcul', shorten: 'wrap', min: 20 }],
      cells,
      fit,
    );
  }
  const widths = [32, 16, 48];
  const figures = new Table({
    head: ['Indicateur', 'Valeur', 'Calcul'],
    style: { head: [], border: [], compact: true },
    colWidths: widths,
    colAligns: ['left', 'right', 'left'],
  });
  for (const [label, value, calc] of cells) figures.push([wrap(label!, widths[0]! - 2), value!, wrap(calc!, widths[2]! - 2)]);
  return figures.toString();
}

/** Wraps text at ordinary spaces to lines of at most `width` characters (longer words stay whole). */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}

/** The report as JSON: the report's own fields; the workings behind them are for the renderers. */
export function kpiAsJson(report: KpiView): string {
  const { workings: _workings, ...fields } = report;
  return `${JSON.stringify(fields, null, 2)}\n`;
}

/** Columns of the KPI CSV: one row per figure, then one per aged-balance bucket. */
export const KPI_CSV_COLUMNS = ['key', 'label', 'value', 'unit', 'reason'] as const;

const KPI_CSV = csvSchema(KPI_CSV_COLUMNS, ['value']);

const CSV_UNITS: Record<KpiUnit, string> = { days: 'jours', rate: 'fraction', euro: 'euro par euro' };

/** The figures as CSV for a spreadsheet: values as plain numbers (rates as fractions, amounts in cents). */
export function kpiAsCsv(report: KpiView): string {
  const rows: CsvCell[][] = [];
  for (const f of kpiFigures(report)) {
    const digits = f.unit === 'days' ? 2 : 4;
    rows.push([f.key, f.label, f.value === null ? '' : +f.value.toFixed(digits), CSV_UNITS[f.unit], f.reason ?? '']);
  }
  for (const [k, label] of AGED_BUCKETS) {
    const cents = report.agedBalance?.[k] ?? null;
    rows.push([`aged-balance-${k}`, `Balance âgée : ${label}`, cents ?? '', 'centimes', cents === null ? report.missing.agedBalance ?? NOT_COMPUTABLE : '']);
  }
  return csvAsText(KPI_CSV, rows);
}
