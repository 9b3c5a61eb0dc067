/**
 * relance penalites : les factures payées en retard sur une période, et, par client,
 * les pénalités de retard (art. L441-10 du Code de commerce) et les indemnités
 * forfaitaires de 40 € (art. D441-5) qui restent dues alors que la facture est réglée.
 * `--letters DOSSIER` écrit un relevé courtois par client (pas une mise en demeure).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, planSettings, type Config } from '../config.js';
import { requireInputs, todayInParis, type Context } from '../context.js';
import { addDays, type CalendarDate } from '../core/dates.js';
import {
  invoiceKey,
  latePenaltiesOf,
  paidLateFromLedger,
  paidLateFromPayments,
  type LatePenaltiesReport,
  type PaidLateInvoice,
  type UnknownSplit,
  type WhenRateMissing,
} from '../core/late-payments.js';
import { positionOf } from '../core/allocation.js';
import { evaluateCases } from '../core/cases.js';
import { penaltyExclusionsOf } from '../core/penalty-exclusions.js';
import { penaltyTablesFrom } from '../core/rates.js';
import type { Segment } from '../core/records.js';
import { addPayment, emptyHistory, segmentOf, type PaymentHistory } from '../core/segment.js';
import { dueDateFromTerms } from '../core/terms.js';
import { UsageError } from '../errors.js';
import { loadCaseFile } from '../journal/cases.js';
import { journalPathOf, openJournalToRead } from '../journal/journal.js';
import { loadProcedures } from '../journal/procedures.js';
import { withInputProgress } from '../progress.js';
import { loadInputs, type Inputs } from '../read/inputs.js';
import { renderLateStatement } from '../render/letters.js';
import { lateStatementData, penalitesAsCsv, penalitesAsTable } from '../render/penalites.js';
import { fitOf } from '../render/table.js';
import { inputFlagsOf } from './input-options.js';
import type { OptionsOf } from './options.js';
import type { PENALITES_OPTIONS } from './penalites-options.js';

/** What the command did: the report, and the files it wrote. */
export interface PenalitesResult {
  report: LatePenaltiesReport;
  letters: string[];
}

/** Computes the penalties on invoices paid late in the period, prints them, and writes the statements when asked. */
export async function runPenalites(opts: OptionsOf<typeof PENALITES_OPTIONS>, ctx: Context): Promise<PenalitesResult> {
  const { format } = opts;
  const flags = inputFlagsOf(opts, () => todayInParis(ctx.now()));
  requireInputs(flags);
  const period = periodOf(opts.from, opts.to, flags.asOf);
  const config = loadConfig(opts.config ?? null, ctx.cwd);
  const inputs = await withInputProgress(ctx, flags, opts.quiet, (onProgress) => loadInputs(flags, config, true, ctx.cwd, null, onProgress));
  const ledger = paidLateOf(inputs, config);
  const invoices = ledger.invoices;

  const settings = planSettings(config);
  // The journal, read-only: what a payment plan promised, disputes, write-offs and proceedings. None: nothing to leave out.
  const journal = openJournalToRead(journalPathOf(opts.journal, ctx.env, config, ctx.cwd));
  let exclusions: ReturnType<typeof penaltyExclusionsOf> | null = null;
  try {
    if (journal) {
      const file = loadCaseFile(journal);
      exclusions = penaltyExclusionsOf({
        asOf: flags.asOf, file, status: evaluateCases(file, inputs.openItems, flags.asOf, settings.thresholds.graceDays), procedures: loadProcedures(journal),
        sentSteps: journal.sentSteps(), policy: config.echeancier.penalties, noticeDays: config.echeancier.noticeDays,
      });
    }
  } finally {
    journal?.close();
  }
  // What each client's account says: a client we owe money to is sent no statement (set-off, Code civil art. 1347).
  const itemsByClient = new Map<string, typeof inputs.openItems>();
  for (const i of inputs.openItems) itemsByClient.set(i.clientCode, [...(itemsByClient.get(i.clientCode) ?? []), i]);
  const credits = new Map([...itemsByClient].map(([code, items]) => [code, positionOf(code, items).leftoverCreditCents]));
  const histories = new Map<string, PaymentHistory>();
  for (const p of inputs.payments) {
    let h = histories.get(p.clientCode);
    if (!h) histories.set(p.clientCode, (h = emptyHistory()));
    addPayment(h, p, settings.thresholds.graceDays);
  }
  const records = new Map(inputs.clients.map((c) => [c.clientCode, c]));
  const codes = new Set([...records.keys(), ...invoices.map((i) => i.clientCode), ...ledger.unknown.map((u) => u.clientCode)]);
  if (opts.client !== undefined && !codes.has(opts.client)) {
    throw new UsageError(`client inconnu pour --client : « ${opts.client} » (ni dans le fichier clients, ni dans les règlements).`, `vérifiez le code client, tel qu'il figure dans vos exports.`);
  }
  const clients = new Map<string, { consumer: boolean; segment: Segment | null; name?: string }>();
  for (const code of codes) {
    const c = records.get(code) ?? null;
    const forced = c?.segment ?? settings.segmentOverrides[code] ?? null;
    clients.set(code, { consumer: c?.consumer ?? false, segment: segmentOf(histories.get(code) ?? emptyHistory(), settings.thresholds, forced).segment, name: c?.clientName });
  }
  const openRefs = new Set(inputs.openItems.filter((i) => i.openCents > 0).map((i) => invoiceKey(i.clientCode, i.ref)));
  // Read defensively: `penalties.whenRateMissing` may not be declared in every config version.
  const whenRateMissing: WhenRateMissing = (config.penalties as { whenRateMissing?: string }).whenRateMissing === 'lastKnown' ? 'lastKnown' : 'refuse';
  const waive = config.penalties.lateStatement;
  const report = latePenaltiesOf({
    period,
    asOf: flags.asOf,
    invoices,
    unknown: ledger.unknown,
    clients,
    openRefs,
    tables: penaltyTablesFrom(config.penalties),
    contractualRatePercent: config.penalties.contractualRatePercent ?? null,
    whenRateMissing,
    waivers: { waiveAll: waive.waiveAll, waiveSegments: waive.waiveSegments, waiveClients: waive.waiveClients, minimumCents: waive.minimum },
    clientCode: opts.client ?? null,
    excludedInvoices: exclusions?.invoices,
    excludedClients: exclusions?.clients,
    credits,
  });
  if (exclusions) report.notes.push(...exclusions.notes.filter((n) => !opts.client || n.startsWith(`${opts.client} :`)));

  if (format === 'json') ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === 'csv') ctx.stdout.write(penalitesAsCsv(report));
  else ctx.stdout.write(penalitesAsTable(report, ctx.color, fitOf(ctx.columns, opts.wide)));

  // Effects last: one statement per client with something to claim and no waiver.
  const written: string[] = [];
  if (opts.letters !== undefined) {
    const dir = resolve(ctx.cwd, opts.letters);
    const due = report.clients.filter((c) => c.waived === null && c.totalCents > 0);
    const rendered = due.map((c) => {
      const message = renderLateStatement(
        { asOf: flags.asOf, company: config.company, client: records.get(c.clientCode) ?? null, clientCode: c.clientCode, clientName: c.clientName, templatesDir: config.templatesDir ?? null, cwd: ctx.cwd },
        lateStatementData(c, report),
      );
      return { code: c.clientCode, message };
    });
    mkdirSync(dir, { recursive: true });
    for (const { code, message } of rendered) {
      const base = `releve-penalites-${safeName(code)}-${flags.asOf}`;
      writeFileSync(join(dir, `${base}.html`), message.letterHtml ?? message.html);
      writeFileSync(join(dir, `${base}.txt`), `Objet : ${message.subject}\n\n${message.text}`);
      written.push(join(opts.letters, `${base}.html`), join(opts.letters, `${base}.txt`));
    }
    const msg = format === 'table' ? ctx.stdout : ctx.stderr;
    msg.write(`Relevés écrits dans ${opts.letters} : ${rendered.length} client${rendered.length > 1 ? 's' : ''}${rendered.length > 0 ? ` (${rendered.map((r) => r.code).join(', ')})` : ''}.\n`);
  }
  return { report, letters: written };
}

/**
 * The invoices paid late that the exports show: from a payments file, and from the FEC's
 * lettering (which says how much each invoice got, so its payments are not read twice).
 */
export function paidLateOf(inputs: Inputs, config: Config): { invoices: PaidLateInvoice[]; unknown: UnknownSplit[] } {
  const fecFiles = new Set(inputs.reports.filter((r) => r.format === 'fec').map((r) => r.file));
  const filePayments = inputs.payments.filter((p) => !fecFiles.has(p.source.file));
  const terms = inputs.terms ?? new Map();
  const ledger = inputs.ledger
    ? paidLateFromLedger(inputs.ledger.lines, (l) => dueDateFromTerms(l.docDate, terms.get(l.client) ?? config.defaultTerms))
    : { invoices: [], unknown: [] };
  return { invoices: [...paidLateFromPayments(filePayments), ...ledger.invoices], unknown: ledger.unknown };
}

/** The period of payments: `--from`/`--to`, by default the 12 months up to the as-of date. */
function periodOf(from: CalendarDate | undefined, to: CalendarDate | undefined, asOf: CalendarDate): { from: CalendarDate; to: CalendarDate } {
  const end = to ?? asOf;
  if (end > asOf) throw new UsageError(`--to (${end}) est après la date d'arrêté (${asOf}) : les règlements après cette date ne sont pas connus.`, `donnez --to au plus tard le ${asOf}, ou une date d'arrêté plus récente avec --as-of.`);
  const start = from ?? addDays(`${Number(end.slice(0, 4)) - 1}${end.slice(4, 10) === '-02-29' ? '-02-28' : end.slice(4)}`, 1);
  if (end < start) throw new UsageError(`--to (${end}) précède --from (${start}).`, `inversez les deux dates.`);
  return { from: start, to: end };
}

/** A client code as a file name: letters, digits, dash and underscore. */
function safeName(code: string): string {
  return code.replace(/[^A-Za-z0-9_-]/g, '_');
}
