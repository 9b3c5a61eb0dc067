/**
 * relance check : contrôle les données avant de s'y fier. Liste chaque constat avec sa
 * gravité, un code stable, le fichier et la ligne ; code de sortie 1 s'il y a une erreur.
 */
import { stringify } from 'csv-stringify/sync';
import { auditRecords, sortFindings } from '../core/audit.js';
import { formatDateFr, type CalendarDate } from '../core/dates.js';
import { loadConfig } from '../config.js';
import type { Finding } from '../errors.js';
import { inputFlags, outputFormat, requireInputs, type Context, type RawInputFlags } from '../context.js';
import { loadInputs } from '../read/inputs.js';
import { painter, table } from '../render/table.js';

/** What check found, returned for tests; `exitCode` is 1 when there is an error. */
export interface CheckResult {
  asOf: CalendarDate;
  findings: Finding[];
  summary: { erreurs: number; avertissements: number; infos: number };
  exitCode: number;
}

/** Reads every file without stopping at the first bad one, audits, and reports. */
export async function runCheck(opts: RawInputFlags, ctx: Context): Promise<CheckResult> {
  const format = outputFormat(opts.format);
  const flags = inputFlags(opts, [], ctx);
  requireInputs(flags);
  const config = loadConfig(opts.config ?? null, ctx.cwd);
  const inputs = await loadInputs(flags, config, false, ctx.cwd);
  const findings = sortFindings([
    ...inputs.findings,
    ...auditRecords({
      asOf: flags.asOf,
      openItems: inputs.openItems,
      payments: inputs.payments,
      clients: inputs.clients,
      hasClientsFile: flags.clients.length > 0,
      exports: inputs.reports.map((r) => ({ file: r.file, exportDate: r.exportDate, fec: r.format === 'fec' })),
      maxExportAgeDays: config.maxExportAgeDays,
    }),
  ]);
  const summary = {
    erreurs: findings.filter((f) => f.severity === 'erreur').length,
    avertissements: findings.filter((f) => f.severity === 'avertissement').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  };
  const result: CheckResult = { asOf: flags.asOf, findings, summary, exitCode: summary.erreurs > 0 ? 1 : 0 };

  if (format === 'json') {
    ctx.stdout.write(`${JSON.stringify({ asOf: result.asOf, summary, findings }, null, 2)}\n`);
  } else if (format === 'csv') {
    const cols = ['severity', 'code', 'file', 'line', 'column', 'value', 'message', 'hint'] as const;
    ctx.stdout.write(stringify([[...cols], ...findings.map((f) => cols.map((k) => f[k] ?? ''))]));
  } else {
    ctx.stdout.write(checkAsText(result, ctx.color));
  }
  return result;
}

/** The terminal rendering: a summary line, then one row per finding with its fix. */
export function checkAsText(result: CheckResult, color: boolean): string {
  const c = painter(color);
  const { erreurs, avertissements, infos } = result.summary;
  const plural = (n: number, word: string): string => `${n} ${word}${n > 1 ? 's' : ''}`;
  const head = `Contrôle des données au ${formatDateFr(result.asOf)} : ${plural(erreurs, 'erreur')}, ${plural(avertissements, 'avertissement')}, ${plural(infos, 'information')}.`;
  if (result.findings.length === 0) return `${head}\nAucun constat : les données peuvent être utilisées.\n`;
  const paint = (f: Finding): string => (f.severity === 'erreur' ? c.red(f.severity) : f.severity === 'avertissement' ? c.yellow(f.severity) : f.severity);
  const rows = result.findings.map((f) => [
    paint(f),
    f.code,
    `${f.file.split('/').at(-1)}${f.line !== null ? `:${f.line}` : ''}${f.column !== null ? ` (${f.column})` : ''}`,
    f.hint ? `${f.message}\n→ ${f.hint}` : f.message,
  ]);
  const verdict = erreurs > 0
    ? c.red('Des erreurs empêchent d\'utiliser ces fichiers : corrigez-les puis relancez le contrôle.')
    : 'Pas d\'erreur bloquante : les avertissements ne bloquent pas le plan.';
  return `${head}\n${table(['Gravité', 'Code', 'Où', 'Constat'], rows)}\n${verdict}\n`;
}
