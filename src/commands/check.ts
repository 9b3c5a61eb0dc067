/**
 * relance check : contrôle les données avant de s'y fier. Liste chaque constat avec sa
 * gravité, un code stable, le fichier et la ligne ; code de sortie 1 s'il y a une erreur.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { auditRecords, identityFindings, identityGaps, sortFindings } from '../core/audit.js';
import { latePaymentFindings, withLatePayments } from '../core/crossfile.js';
import type { CalendarDate } from '../core/dates.js';
import { DEFAULT_CONFIG_FILES, loadConfig } from '../config.js';
import type { Finding } from '../errors.js';
import { requireInputs, todayInParis, type Context } from '../context.js';
import { CHECK_OPTIONS } from './check-options.js';
import { inputFlagsOf } from './input-options.js';
import type { OptionsOf } from './options.js';
import { loadInputs } from '../read/inputs.js';
import { withInputProgress } from '../progress.js';
import { checkAsCsv, checkAsJson, checkAsText } from '../render/check.js';
import { missingRateFindings } from '../core/penalties.js';
import { penaltyTablesFrom } from '../core/rates.js';
import { acknowledgementsOf, prescriptionFindings } from '../core/prescription.js';
import { Journal, journalPathOf } from '../journal/journal.js';
import { loadCaseFile } from '../journal/cases.js';
import { fitOf } from '../render/table.js';

export type CheckOptions = OptionsOf<typeof CHECK_OPTIONS>;

/** What check found, returned for tests; `exitCode` is 1 when there is an error. */
export interface CheckResult {
  asOf: CalendarDate;
  findings: Finding[];
  summary: { erreurs: number; avertissements: number; infos: number };
  exitCode: number;
}

/** Reads every file without stopping at the first bad one, audits, and reports. */
export async function runCheck(opts: CheckOptions, ctx: Context): Promise<CheckResult> {
  const { format, limit } = opts; // the limit is the table's only: JSON and CSV list every finding
  const flags = inputFlagsOf(opts, () => todayInParis(ctx.now()));
  requireInputs(flags);
  const config = loadConfig(opts.config ?? null, ctx.cwd);
  const inputs = await withInputProgress(ctx, flags, opts.quiet, (onProgress) => loadInputs(flags, config, false, ctx.cwd, null, onProgress));
  // Payments received since the balance was exported: plan deducts them, check says so.
  const late = withLatePayments({ asOf: flags.asOf, openItems: inputs.openItems, files: inputs.reports, late: inputs.latePayments ?? [] }).applied;
  const deducted = new Set(late.map((l) => l.payment));
  const findings = sortFindings([
    ...inputs.findings,
    ...latePaymentFindings(late),
    ...auditRecords({
      asOf: flags.asOf,
      openItems: inputs.openItems,
      payments: deducted.size > 0 ? inputs.payments.filter((p) => !deducted.has(p)) : inputs.payments,
      clients: inputs.clients,
      hasClientsFile: flags.clients.length > 0,
      exports: inputs.reports.map((r) => ({ file: r.file, exportDate: r.exportDate, fec: r.format === 'fec' })),
      maxExportAgeDays: config.maxExportAgeDays,
    }),
    // Only with a configuration file (given, or relance.yaml here): without one, check audits data only.
    // Whether a step due needs the SIREN and address is the plan's to say: check asks for them all.
    ...(opts.config !== undefined || DEFAULT_CONFIG_FILES.some((f) => existsSync(resolve(ctx.cwd, f))) ? identityFindings(identityGaps({ company: config.company, from: config.mail.from, needsLegal: true }), opts.config ?? 'relance.yaml') : []),
    // Rates the penalties need and the tables lack (with a configuration file too: that is where they are added).
    ...(opts.config !== undefined || DEFAULT_CONFIG_FILES.some((f) => existsSync(resolve(ctx.cwd, f)))
      ? missingRateFindings(inputs.openItems, new Set(inputs.clients.filter((c) => c.consumer).map((c) => c.clientCode)), flags.asOf, penaltyTablesFrom(config.penalties), config.penalties.contractualRatePercent ?? null, config.penalties.whenRateMissing, opts.config ?? 'relance.yaml')
      : []),
    // Prescription (L110-4, L218-2): warned 6 months ahead; signed plans in the journal restart it (Code civil 2240).
    ...prescriptionFindings({ asOf: flags.asOf, openItems: inputs.openItems, clients: inputs.clients, acknowledgements: signaturesOf(config, ctx, flags.asOf) }),
  ]);
  const summary = {
    erreurs: findings.filter((f) => f.severity === 'erreur').length,
    avertissements: findings.filter((f) => f.severity === 'avertissement').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  };
  const result: CheckResult = { asOf: flags.asOf, findings, summary, exitCode: summary.erreurs > 0 ? 1 : 0 };

  if (format === 'json') ctx.stdout.write(checkAsJson(result));
  else if (format === 'csv') ctx.stdout.write(checkAsCsv(result));
  else ctx.stdout.write(checkAsText(result, ctx.color, fitOf(ctx.columns, opts.wide), limit));
  return result;
}

// The signed payment plans of the journal, when there is one (read-only; check never requires it).
function signaturesOf(config: Parameters<typeof journalPathOf>[2], ctx: Context, asOf: CalendarDate): Map<string, CalendarDate[]> {
  const loc = journalPathOf(undefined, ctx.env, config, ctx.cwd);
  if (!existsSync(loc.path)) return new Map();
  const journal = Journal.openReadOnly(loc.path);
  try {
    return acknowledgementsOf(loadCaseFile(journal).plans, asOf);
  } finally {
    journal.close();
  }
}
