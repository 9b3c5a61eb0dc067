import { formatDateFr } from '../core/dates.js';
import type { Finding } from '../errors.js';
import type { CheckResult } from '../commands/check.js';
import { csvAsText, csvSchema } from './csv.js';
import { fitTable, fitText, leftOutLine, painter, WIDE, type Fit } from './table.js';

/** Columns of the check CSV: one row per finding. */
const CHECK_CSV = csvSchema(['severity', 'code', 'file', 'line', 'column', 'value', 'message', 'hint'] as const, ['line']);

/** The findings as JSON: the as-of date, the summary, every finding. */
export function checkAsJson(result: CheckResult): string {
  return `${JSON.stringify({ asOf: result.asOf, summary: result.summary, findings: result.findings }, null, 2)}\n`;
}

/** The findings as CSV, one row per finding (every one: --limit is for the table). */
export function checkAsCsv(result: CheckResult): string {
  const cols = CHECK_CSV.columns;
  return csvAsText(CHECK_CSV, result.findings.map((f) => cols.map((k) => f[k])));
}

/**
 * The terminal rendering: a summary line, then one row per finding with its fix. With a
 * limit, the first findings only: they are sorted errors first, then warnings, then infos.
 */
export function checkAsText(result: CheckResult, color: boolean, fit: Fit = WIDE, limit: number | null = null): string {
  const c = painter(color);
  const { erreurs, avertissements, infos } = result.summary;
  const plural = (n: number, word: string): string => `${n} ${word}${n > 1 ? 's' : ''}`;
  const head = fitText(`Contrôle des données au ${formatDateFr(result.asOf)} : ${plural(erreurs, 'erreur')}, ${plural(avertissements, 'avertissement')}, ${plural(infos, 'information')}.`, fit);
  if (result.findings.length === 0) return `${head}\nAucun constat : les données peuvent être utilisées.\n`;
  const paint = (f: Finding): string => (f.severity === 'erreur' ? c.red(f.severity) : f.severity === 'avertissement' ? c.yellow(f.severity) : f.severity);
  const shown = limit === null ? result.findings : result.findings.slice(0, limit);
  const rows = shown.map((f) => [
    paint(f),
    f.code,
    `${f.file.split('/').at(-1)}${f.line !== null ? `:${f.line}` : ''}${f.column !== null ? ` (${f.column})` : ''}`,
    f.hint ? `${f.message}\n→ ${f.hint}` : f.message,
  ]);
  // The finding and its fix are what matter: the stable code goes first when narrow.
  const findings = fitTable(
    [
      { head: 'Gravité' },
      { head: 'Code', priority: 10 },
      { head: 'Où', shorten: 'wrap', min: 12 },
      { head: 'Constat', shorten: 'wrap', min: 36 },
    ],
    rows,
    fit,
  );
  const more = shown.length < result.findings.length ? `${leftOutLine(result.findings.length - shown.length, 'autre constat', 'autres constats')}\n` : '';
  const verdict = erreurs > 0
    ? c.red(fitText('Des erreurs empêchent d\'utiliser ces fichiers : corrigez-les puis relancez le contrôle.', fit))
    : fitText('Pas d\'erreur bloquante : les avertissements ne bloquent pas le plan.', fit);
  return `${head}\n${findings}\n${more}${verdict}\n`;
}
