/**
 * relance plan : les actions de relance de la semaine, les plus importantes d'abord,
 * une par client : l'étape de son dossier, le canal, toutes ses factures échues (et
 * celles à échoir), le score en euros à risque ; puis les clients en attente de leur
 * prochaine étape (et pourquoi pas avant), ceux en contentieux, les cas à traiter à la
 * main et les cas écartés, avec le motif.
 */
import { warningsBeforeActing } from '../core/audit.js';
import { buildPlan, type Plan } from '../core/plan.js';
import { withLatePayments } from '../core/crossfile.js';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { DEFAULT_CONFIG_FILES, loadConfig, planSettings } from '../config.js';
import { requireInputs, todayInParis, type Context } from '../context.js';
import { uncertainAsText } from '../render/uncertain.js';
import { journalPathOf, openJournalToRead, type JournalAction } from '../journal/journal.js';
import { planJournalContext, type PlanJournalContext } from '../journal/case-context.js';
import { loadInputs } from '../read/inputs.js';
import { withInputProgress } from '../progress.js';
import { planAsCsv, planAsTable, writePlanJson } from '../render/plan.js';
import { fitOf } from '../render/table.js';
import { penaltyTablesFrom } from '../core/rates.js';
import type { Client } from '../core/records.js';
import { composeAction, historyOf, missingRateRefusal, safeName, statesMissingRate } from '../mail/compose.js';
import { letterData, type HistoryEntry } from '../render/letters.js';
import { missingRateLines, type MissingRate } from '../core/penalties.js';
import type { Config } from '../config.js';
import { loadTasks, postedActions } from '../journal/tasks.js';
import { overdueTasksAsText, type ListedTask } from '../render/taches.js';
import { listTasks } from './taches.js';
import { letterHtmlOf, pdfOptionsOf, renderLetters, writeBundle, writeLetterFiles } from './letter-files.js';
import { taskKindsOf } from '../core/tasks.js';
import { inputFlagsOf } from './input-options.js';
import type { OptionsOf } from './options.js';
import type { PLAN_OPTIONS } from './plan-options.js';

/** Reads the exports (whole files or nothing), builds the plan, prints it, returns it. */
export async function runPlan(opts: OptionsOf<typeof PLAN_OPTIONS>, ctx: Context): Promise<Plan> {
  const { format, limit } = opts; // the limit is the table's only: JSON and CSV are always whole
  const flags = inputFlagsOf(opts, () => todayInParis(ctx.now()));
  requireInputs(flags);
  const config = loadConfig(opts.config ?? null, ctx.cwd);
  const horizon = opts.days ?? config.planDays;
  const settings = planSettings(config);
  const inputs = await withInputProgress(ctx, flags, opts.quiet, (onProgress) =>
    loadInputs(flags, config, true, ctx.cwd, { graceDays: settings.thresholds.graceDays }, onProgress),
  );
  // Money received since the balance was exported is not asked for again.
  const { openItems } = withLatePayments({ asOf: flags.asOf, openItems: inputs.openItems, files: inputs.reports, late: inputs.latePayments ?? [] });
  // On stderr: the JSON or CSV on stdout stays clean for scripts.
  for (const w of warningsBeforeActing({ ...inputs, openItems, asOf: flags.asOf, maxExportAgeDays: config.maxExportAgeDays })) ctx.stderr.write(`${w}\n`);
  // The cases (messages already taken, settlements) come from the journal, when there is one.
  // Rates the penalties of this plan need and the tables lack are said (below) only with a
  // configuration file, as in check (where rates are added; send always has one).
  const configured = opts.config !== undefined || DEFAULT_CONFIG_FILES.some((f) => existsSync(resolve(ctx.cwd, f)));
  const warnRates = configured && config.penalties.whenRateMissing === 'refuse';
  // Read-only: the plan never writes, not even the reconciliation (computed in memory).
  const journal = openJournalToRead(journalPathOf(opts.journal, ctx.env, config, ctx.cwd));
  let context: PlanJournalContext | undefined;
  // For the litigation file of --letters: the steps each client was taken through.
  let past: JournalAction[] | null = null;
  // Messages perhaps delivered that a person must settle: said first, whatever the format.
  let uncertain: JournalAction[] = [];
  // Tasks a person left undone past taskOverdueDays: flagged with the uncertain messages.
  let overdue: ListedTask[] = [];
  try {
    // Also for the rates the penalties need: a consumer's interest runs from its formal notice.
    // A registered letter counts from its posting; one not posted yet is no notice (journal/tasks.ts).
    if (journal && (opts.letters !== undefined || warnRates)) past = postedActions(journal, journal.actions({}));
    if (journal) overdue = listTasks(loadTasks(journal, { open: true }), flags.asOf, config.taskOverdueDays).filter((l) => l.overdue);
    uncertain = journal?.uncertain() ?? [];
    context = planJournalContext(journal, inputs, openItems, flags.asOf, config.promiseGraceDays);
  } finally {
    journal?.close();
  }
  const plan = buildPlan({
    asOf: flags.asOf,
    horizonDays: horizon,
    openItems,
    clients: inputs.clients,
    histories: inputs.histories,
    ...context,
    settings,
  });
  // The journal's actions of each client, grouped once (not filtered again per action).
  const pastByClient = new Map<string, JournalAction[]>();
  for (const a of past ?? []) {
    const list = pastByClient.get(a.clientCode);
    if (list) list.push(a);
    else pastByClient.set(a.clientCode, [a]);
  }
  const historyFor = (code: string) => (past ? historyOf(pastByClient.get(code) ?? []) : undefined);
  // Said on stderr with the fix, since send will not send a letter that states penalties
  // computed without them; with `whenRateMissing: lastKnown` the user chose, and check and
  // send say which rate.
  if (warnRates) {
    for (const l of missingRateLines(planMissingRates(plan, inputs.clients, config, ctx.cwd, historyFor), 'refuse')) ctx.stderr.write(`${l}\n`);
  }
  if (opts.letters !== undefined) {
    const history = historyFor;
    const written = await writeLetters(plan, inputs.clients, config, resolve(ctx.cwd, opts.letters), ctx, history);
    ctx.stderr.write(`${written} documents écrits dans ${opts.letters}.\n`);
  }
  // On stderr for JSON and CSV, so that scripts still read clean data.
  if (uncertain.length > 0) (format === 'json' || format === 'csv' ? ctx.stderr : ctx.stdout).write(uncertainAsText(uncertain));
  if (overdue.length > 0) (format === 'json' || format === 'csv' ? ctx.stderr : ctx.stdout).write(overdueTasksAsText(overdue, config.taskOverdueDays));
  if (format === 'json') writePlanJson(plan, (t) => ctx.stdout.write(t));
  else if (format === 'csv') ctx.stdout.write(planAsCsv(plan));
  else {
    ctx.stdout.write(
      planAsTable(plan, { detail: opts.detail, explain: opts.explain, weights: settings.weights, color: ctx.color, fit: fitOf(ctx.columns, opts.wide), limit }),
    );
  }
  return plan;
}

/** The half-years the plan's penalties need (its actions' invoices, as their letters compute them) and the tables lack. */
function planMissingRates(plan: Plan, clients: Client[], config: Config, cwd: string, history: (clientCode: string) => HistoryEntry[] | undefined): MissingRate[] {
  const byCode = new Map(clients.map((c) => [c.clientCode, c]));
  const tables = penaltyTablesFrom(config.penalties);
  return [...plan.actions, ...plan.manual.filter((m) => !m.barred)].flatMap((a) =>
    letterData({
      asOf: plan.asOf, company: config.company, client: byCode.get(a.clientCode) ?? null, action: a, penaltyTables: tables,
      contractualRatePercent: config.penalties.contractualRatePercent ?? null, templatesDir: null, cwd, history: history(a.clientCode),
    }).invoices.flatMap((r) => r.missingRates),
  );
}

/**
 * Writes each action's documents into `dir`, named so that a person finds them:
 * `01-CBELLEC-relance1.eml` (the e-mail, to open or send from a mail client) and, for
 * letters (formal notice, litigation file, or a client without e-mail),
 * `01-CBELLEC-mise_en_demeure.html`, a printable page. Manual cases are written too,
 * prefixed `manuel-`. Returns the number of files written.
 */
async function writeLetters(
  plan: Plan,
  clients: Client[],
  config: Config,
  dir: string,
  ctx: Context,
  history: (clientCode: string) => HistoryEntry[] | undefined,
): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const byCode = new Map(clients.map((c) => [c.clientCode, c]));
  const tables = penaltyTablesFrom(config.penalties);
  const width = String(Math.max(plan.actions.length, 1)).length;
  let written = 0;
  // The same PDFs as send writes: one per letter, a-imprimer.pdf and lrar.csv.
  const letters: { composed: Awaited<ReturnType<typeof composeAction>>; kind: ReturnType<typeof taskKindsOf>[number]; name: string }[] = [];
  const all = [...plan.actions.map((a) => ({ a, prefix: String(a.rank).padStart(Math.max(2, width), '0') })), ...plan.manual.filter((a) => !a.procedure && !a.barred).map((a) => ({ a, prefix: `manuel-${String(a.rank).padStart(2, '0')}` }))]; // no reminder to a client under a collective proceeding (L622-21), no barred claim in a letter (L110-4, L218-2)
  for (const { a, prefix } of all) {
    const composed = await composeAction(a, byCode.get(a.clientCode) ?? null, config, tables, plan.asOf, ctx.now(), ctx.cwd, history(a.clientCode));
    const base = join(dir, `${prefix}-${safeName(a.clientCode)}-${a.step}`);
    // A letter printed from here is posted by hand: it is held back, as send holds back
    // its e-mail, while it states penalties computed without the half-year's rate.
    if (config.penalties.whenRateMissing === 'refuse' && statesMissingRate(composed.message)) {
      ctx.stderr.write(`non écrit : ${relative(ctx.cwd, base) || base} (${a.clientCode}) : ${missingRateRefusal(composed.message)}.\n`);
      continue;
    }
    if (composed.to.length > 0) {
      writeFileSync(`${base}.eml`, composed.raw);
      written++;
    }
    const letter = composed.message.letterHtml ?? (composed.to.length === 0 ? composed.message.html : null);
    if (letter !== null) {
      writeFileSync(`${base}.html`, letter);
      written++;
    }
    // As send: a PDF for the letters a person posts or hands over (the channel's tasks), not for e-mails.
    const kind = taskKindsOf(a.channel).find((k) => k !== 'appel');
    if (kind && letterHtmlOf(composed) !== null) letters.push({ composed, kind, name: `${basename(base)}.pdf` });
  }
  if (letters.length > 0) {
    const pdfOptions = pdfOptionsOf(config, plan.asOf);
    const docs = await renderLetters(letters, pdfOptions);
    written += writeLetterFiles(dir, docs).length;
    const bundle = await writeBundle(dir, docs, pdfOptions, false);
    written += (bundle.print ? 1 : 0) + (bundle.csv ? 1 : 0);
    for (const code of bundle.skipped) ctx.stderr.write(`${code} : adresse sans code postal français, absente de lrar.csv ; à saisir à la main.\n`);
  }
  return written;
}
