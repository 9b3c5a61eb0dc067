/**
 * relance plan : les actions de relance de la semaine, les plus importantes d'abord,
 * avec pour chaque client son segment, l'étape, le canal, les factures et le score
 * (euros à risque) ; puis les cas à traiter à la main et les cas écartés, avec le motif.
 */
import { buildPlan, type Plan } from '../core/plan.js';
import { loadConfig, planSettings } from '../config.js';
import { inputFlags, outputFormat, requireInputs, type Context, type RawInputFlags } from '../context.js';
import { UsageError } from '../errors.js';
import { Journal, journalPathOf } from '../journal/journal.js';
import { loadInputs } from '../read/inputs.js';
import { planAsCsv, planAsTable, writePlanJson } from '../render/plan.js';

export interface PlanOptions extends RawInputFlags {
  journal?: string;
  detail?: boolean;
  explain?: boolean;
  days?: string;
}

/** Reads the exports (whole files or nothing), builds the plan, prints it, returns it. */
export async function runPlan(opts: PlanOptions, ctx: Context): Promise<Plan> {
  const format = outputFormat(opts.format);
  const flags = inputFlags(opts, [], ctx);
  requireInputs(flags);
  const config = loadConfig(opts.config ?? null, ctx.cwd);
  let horizon = config.planDays;
  if (opts.days !== undefined) {
    horizon = Number(opts.days);
    if (!Number.isInteger(horizon) || horizon < 1 || horizon > 31) {
      throw new UsageError(`nombre de jours invalide pour --days : « ${opts.days} ».`, `donnez un entier de 1 à 31 (1 : aujourd'hui seulement, 7 : la semaine).`);
    }
  }
  const settings = planSettings(config);
  const inputs = await loadInputs(flags, config, true, ctx.cwd, { graceDays: settings.thresholds.graceDays });
  // The steps already taken come from the journal, when there is one.
  const journal = Journal.openIfExists(journalPathOf(opts.journal, ctx.env, config.journal, ctx.cwd));
  let sent;
  try {
    sent = journal?.sentSteps() ?? new Map();
  } finally {
    journal?.close();
  }
  const plan = buildPlan({
    asOf: flags.asOf,
    horizonDays: horizon,
    openItems: inputs.openItems,
    clients: inputs.clients,
    histories: inputs.histories,
    sent,
    settings,
  });
  if (format === 'json') writePlanJson(plan, (t) => ctx.stdout.write(t));
  else if (format === 'csv') ctx.stdout.write(planAsCsv(plan));
  else ctx.stdout.write(planAsTable(plan, { detail: opts.detail ?? false, explain: opts.explain ?? false, weights: settings.weights, color: ctx.color }));
  return plan;
}
