/**
 * relance kpi : le rapport mensuel du DAF — DSO (simple et par épuisement), BPDSO,
 * ADD, CEI, taux de recouvrement, taux d'activation, coût par euro recouvré, balance
 * âgée, litiges, irrécouvrables, retard moyen pondéré, principaux débiteurs, tendance
 * sur 12 mois ; chaque chiffre avec sa définition et ses sources.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { computeKpisFromBalance, computeKpisFromFec, computeKpisFromSnapshots, type KpiJournal, type KpiResult } from '../core/kpi-compute.js';
import { readMonthlySales } from '../read/sales.js';
import type { KpiReport } from '../core/kpi.js';
import { loadConfig } from '../config.js';
import { requireInputs, todayInParis, type Context } from '../context.js';
import { loadCaseFile } from '../journal/cases.js';
import { journalPathOf, openJournalToRead, type Journal } from '../journal/journal.js';
import { loadInputs, withDueDates } from '../read/inputs.js';
import { withInputProgress } from '../progress.js';
import { kpiAsHtml } from '../render/kpi-html.js';
import { kpiAsCsv, kpiAsJson, kpiAsText } from '../render/kpi-text.js';
import { fitOf } from '../render/table.js';
import { inputFlagsOf } from './input-options.js';
import { periodOf, type KpiOptions } from './kpi-options.js';

/** Computes the report for the period and prints (or writes) it. */
export async function runKpi(opts: KpiOptions, ctx: Context): Promise<KpiReport> {
  const { format } = opts;
  const flags = inputFlagsOf(opts, () => todayInParis(ctx.now()));
  requireInputs(flags);
  const period = periodOf(opts, flags.asOf);
  const config = loadConfig(opts.config ?? null, ctx.cwd);
  // Receivables at any date come from the FEC, read as of the period end.
  const inputs = await withInputProgress(ctx, flags, opts.quiet, (onProgress) =>
    loadInputs({ ...flags, asOf: flags.fec.length > 0 ? period.to : flags.asOf }, config, true, ctx.cwd, { graceDays: config.segments.graceDays }, onProgress),
  );
  const journal = openJournalToRead(journalPathOf(opts.journal, ctx.env, config, ctx.cwd));
  let report: KpiResult;
  try {
    const kpiJournal = journal ? journalData(journal) : null;
    const sources = {
      receivables: inputs.ledger ? `FEC : ${inputs.reports.filter((r) => r.format === 'fec').map((r) => r.file).join(', ')}` : `balance âgée : ${flags.balance.join(', ')} (à sa date seulement)`,
      sales: inputs.ledger ? 'FEC (factures moins avoirs, TTC, sur les comptes clients)' : 'aucune (donnez le FEC)',
      actions: journal ? `journal : ${journal.path}` : 'aucun journal',
      disputes: journal ? `journal : ${journal.path}` : 'aucun journal',
    };
    const sales = new Map(Object.entries(config.sales));
    if (opts.sales) for (const [m, c] of await readMonthlySales(opts.sales, flags.encoding, ctx.cwd)) sales.set(m, c);
    const snapshots = journal?.snapshotDetails() ?? [];
    if (inputs.ledger) {
      report = computeKpisFromFec({
        period, lines: inputs.ledger.lines, firstDate: inputs.ledger.firstDate, lastDate: inputs.ledger.lastDate,
        withDueDates: (items) => withDueDates(items, inputs.terms ?? new Map(), config.defaultTerms),
        journal: kpiJournal, fixedMonthlyCents: config.costs.fixesMensuels, sources,
      });
    } else if (snapshots.length > 0 || sales.size > 0) {
      // Without a FEC: the journal's aged-balance snapshots and monthly sales.
      sources.receivables = `instantanés de balance âgée du journal (${snapshots.length})`;
      sources.sales = opts.sales ? `fichier des ventes : ${opts.sales}` : sales.size > 0 ? 'configuration (sales)' : 'aucune';
      const names = new Map([...inputs.clients.map((c) => [c.clientCode, c.clientName] as const), ...inputs.openItems.map((i) => [i.clientCode, i.clientName] as const)]);
      report = computeKpisFromSnapshots(period, snapshots, sales, sources, names);
    } else {
      report = computeKpisFromBalance({ from: period.from, to: flags.asOf }, inputs.openItems, sources);
    }
  } finally {
    journal?.close();
  }
  if (format === 'json') ctx.stdout.write(kpiAsJson(report));
  else if (format === 'csv') ctx.stdout.write(kpiAsCsv(report));
  else if (format === 'html') {
    writeFileSync(resolve(ctx.cwd, opts.out!), kpiAsHtml(report, { name: config.company.name }));
    ctx.stdout.write(`Rapport écrit : ${opts.out}\n`);
  } else ctx.stdout.write(kpiAsText(report, ctx.color, fitOf(ctx.columns, opts.wide)));
  return report;
}

function journalData(j: Journal): KpiJournal {
  const file = loadCaseFile(j);
  return {
    actions: j.actions({}).map((a) => ({ clientCode: a.clientCode, actionDate: a.actionDate, costCents: a.costCents, status: a.status })),
    calls: j.calls(),
    disputes: file.disputes.map((d) => ({ ref: d.ref, openedOn: d.openedOn, closedOn: d.closedOn })),
    writeoffs: file.writeoffs.map((w) => ({ ref: w.ref, amountCents: w.amountCents, writtenOn: w.writtenOn })),
  };
}

