import { fileURLToPath } from 'node:url';
import { main } from '../src/cli.js';
import { loadConfig, planSettings, type Config } from '../src/config.js';
import { buildPlan, type PlanAction, type PlanSettings } from '../src/core/plan.js';
import { penaltyTablesFrom, type PenaltyTables } from '../src/core/rates.js';
import type { Client } from '../src/core/records.js';
import { loadInputs, type Inputs } from '../src/read/inputs.js';
import type { Context } from '../src/context.js';

/** The repository root, so tests run from any working directory. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The real FEC files carried in the repository (see fixtures/real/fec/README.md). */
export const REAL_FEC = fileURLToPath(new URL('../fixtures/real/fec/', import.meta.url));

/** A fixture path relative to the repository root. */
export function fixture(path: string): string {
  return `${ROOT}fixtures/${path}`;
}

/** Runs the CLI in-process with captured output, a fixed clock and the root as cwd. */
export async function runCli(
  args: string[],
  opts: { cwd?: string; now?: Date; env?: Record<string, string>; columns?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const ctx: Context = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: opts.cwd ?? ROOT,
    now: () => opts.now ?? new Date('2026-11-16T09:00:00+01:00'),
    env: opts.env ?? {},
    color: false,
    columns: opts.columns ?? 80,
    stderrIsTTY: false,
  };
  const code = await main(args, ctx);
  return { code, stdout, stderr };
}

/** The fixture company's config and its Sage 100 exports read at `asOf`, as `plan` reads them. */
export async function fixtureCompany(asOf: string): Promise<{ config: Config; settings: PlanSettings; inputs: Inputs }> {
  const config = loadConfig('fixtures/relance.yaml', ROOT);
  const settings = planSettings(config);
  const inputs = await loadInputs(
    { balance: ['fixtures/sage100/balance.csv'], payments: ['fixtures/sage100/reglements.csv'], clients: ['fixtures/sage100/clients.csv'], fec: [], ledger: [], files: [], sheet: null, asOf, profile: null, encoding: null },
    config, true, ROOT, { graceDays: settings.thresholds.graceDays },
  );
  return { config, settings, inputs };
}

/** The fixture company's week plan at `asOf`, ready for the letter suites: config, clients, actions, rate tables. */
export async function fixtureLetters(asOf: string): Promise<{ config: Config; clients: Client[]; actions: PlanAction[]; tables: PenaltyTables }> {
  const { config, settings, inputs } = await fixtureCompany(asOf);
  const plan = buildPlan({ asOf, horizonDays: 7, openItems: inputs.openItems, clients: inputs.clients, histories: inputs.histories, settings });
  return { config, clients: inputs.clients, actions: plan.actions, tables: penaltyTablesFrom(config.penalties) };
}
