// One measurement, in a fresh process so that its peak memory is its own:
//   node test/bench/worker.mjs <reader> <file>
// reader: csv-balance | csv-payments | csv-fec        (csv-parse alone)
//         csv-balance-from | csv-payments-from <file> <line>
//                                    (csv-parse alone, starting at the header line)
//         relance-balance | relance-fec
//         relance-payments <file>    (the payments list as plan reads it: folded into
//                                    per-client histories as it streams)
//         relance-sage-pnm | relance-quadra | relance-ebp | relance-cegid-tra
//                                    (the native ledger readers, as relance-fec reads:
//                                    the customer lines, then open items and payments)
//         csv-plan <balance> <line> <payments> <line>
//                                    (csv-parse alone on both files in sequence, each
//                                    from its header line: the plan's baseline)
//         floor <files...>           (the bytes read and decoded into text, nothing else)
//         relance-plan <balance> <payments>
//                                    (`relance plan` without printing: loadInputs with the
//                                    payments folded into histories, then buildPlan; the
//                                    JSON rendering is timed after maxRSS is read)
// Prints one JSON line on stdout: { ms, maxRssMiB, records, ... }. Module loading is
// done before the clock starts; the results stay referenced until maxRSS is read.

import { createReadStream, statSync } from 'node:fs';
import { dirname } from 'node:path';

const [reader, file, fromLine, ...rest] = process.argv.slice(2);
if (!reader || !file) {
  console.error('usage: node test/bench/worker.mjs <reader> <file>');
  process.exit(2);
}

/** The native ledger readers: worker reader name -> format (src/read/formats.ts). */
// The FEC reader and the native ledger readers, measured the same way (read, then open items and payments).
const LEDGER_READERS = { 'relance-fec': 'fec', 'relance-sage-pnm': 'sage-pnm', 'relance-quadra': 'quadra', 'relance-ebp': 'ebp', 'relance-cegid-tra': 'cegid-tra' };

/** Kept alive until the end of the process: what the reader returned. */
let kept = null;
let out;

/** Date of the plan, as in the generated files ("Date de tirage"). */
const AS_OF = '2026-11-16';
/** Run after maxRSS is read (so that it does not count in the peak), adds to `out`. */
let after = null;

if (reader === 'csv-plan') {
  const { parse } = await import('csv-parse');
  const [paymentsFile, paymentsFrom] = rest;
  const options = { delimiter: ';', relax_column_count: true, encoding: 'latin1' };
  const t0 = performance.now();
  let records = 0;
  for (const [f, from] of [[file, fromLine], [paymentsFile, paymentsFrom]]) {
    for await (const record of createReadStream(f).pipe(parse({ ...options, from_line: Number(from) }))) {
      if (record.length > 0) records++;
    }
  }
  out = { ms: performance.now() - t0, records };
} else if (reader === 'floor') {
  // The floor of any reader: the bytes of the files read and decoded into text, in pieces
  // as relance decodes them, nothing else.
  const t0 = performance.now();
  let chars = 0;
  for (const f of [file, ...(fromLine ? [fromLine] : []), ...rest]) {
    for await (const chunk of createReadStream(f, { highWaterMark: 1 << 20 })) {
      for (let at = 0; at < chunk.length; at += 1 << 16) chars += chunk.toString('latin1', at, Math.min(chunk.length, at + (1 << 16))).length;
    }
  }
  out = { ms: performance.now() - t0, records: chars };
} else if (reader === 'relance-plan') {
  // As src/commands/plan.ts does it, without printing.
  const paymentsFile = fromLine;
  const { loadConfig, planSettings } = await import('../../dist/config.js');
  const { loadInputs } = await import('../../dist/read/inputs.js');
  const { buildPlan } = await import('../../dist/core/plan.js');
  const { writePlanJson } = await import('../../dist/render/plan.js');
  const { PARALLEL_MIN_BYTES } = await import('../../dist/read/parallel.js');
  // The files' directory (the bench's temporary one) holds no relance.yaml: defaults.
  const config = loadConfig(null, dirname(file));
  const settings = planSettings(config);
  const flags = { balance: [file], payments: [paymentsFile], clients: [], fec: [], ledger: [], files: [], sheet: null, asOf: AS_OF, profile: null, encoding: null };
  const t0 = performance.now();
  const inputs = await loadInputs(flags, config, true, process.cwd(), { graceDays: settings.thresholds.graceDays });
  const tRead = performance.now();
  const plan = buildPlan({
    asOf: AS_OF,
    horizonDays: 7,
    openItems: inputs.openItems,
    clients: inputs.clients,
    histories: inputs.histories,
    sent: new Map(),
    settings,
  });
  const ms = performance.now() - t0;
  kept = { inputs, plan };
  out = {
    ms,
    readMs: tRead - t0,
    planMs: ms - (tRead - t0),
    records: inputs.openItems.length,
    openItems: inputs.openItems.length,
    histories: inputs.histories.size,
    paidInvoices: [...inputs.histories.values()].reduce((s, h) => s + h.count, 0),
    actions: plan.actions.length,
    manual: plan.manual.length,
    skipped: plan.skipped.length,
    overdueCents: plan.totals.overdueCents,
    scoreCents: plan.totals.scoreCents,
    // Files whose `Total général` line was checked (both, expected).
    filesTotalled: inputs.reports.filter((r) => r.totals.length > 0).length,
    // Whether the payments list was read in a worker thread (see src/read/parallel.ts).
    threads: process.env.RELANCE_THREADS !== '0' && statSync(paymentsFile).size >= PARALLEL_MIN_BYTES,
    errors: inputs.findings.filter((f) => f.severity === 'erreur'),
    warnings: inputs.findings.filter((f) => f.severity !== 'erreur').length,
  };
  after = () => {
    const t = performance.now();
    let bytes = 0;
    writePlanJson(plan, (text) => (bytes += Buffer.byteLength(text)));
    out.jsonMs = performance.now() - t;
    out.jsonBytes = bytes;
    out.maxRssJsonMiB = process.resourceUsage().maxRSS / 1024;
  };
} else if (reader.startsWith('csv-')) {
  const { parse } = await import('csv-parse');
  const options =
    reader === 'csv-fec'
      ? { delimiter: '\t', relax_column_count: true, quote: false } // FEC labels hold bare quotes
      : { delimiter: ';', relax_column_count: true, encoding: 'latin1' };
  // With relax_column_count, csv-parse takes the first record's length as the expected
  // one; when that is a one-field title line it builds a CsvError (stack trace and a
  // JSON copy of the record) for every data line. Starting at the header avoids it.
  if (reader.endsWith('-from')) options.from_line = Number(fromLine);
  const t0 = performance.now();
  let records = 0;
  for await (const record of createReadStream(file).pipe(parse(options))) {
    if (record.length > 0) records++;
  }
  out = { ms: performance.now() - t0, records };
} else if (reader === 'relance-balance') {
  const { readTabular } = await import('../../dist/read/tabular.js');
  const t0 = performance.now();
  const result = await readTabular(file, 'balance', { cwd: process.cwd(), encoding: null, profile: null, columns: {} });
  const ms = performance.now() - t0;
  kept = result;
  out = {
    ms,
    records: result.records.length,
    encoding: result.report.encoding,
    profile: result.report.profile,
    totals: result.report.totals.length,
    errors: result.findings.filter((f) => f.severity === 'erreur'),
    warnings: result.findings.filter((f) => f.severity !== 'erreur').length,
  };
} else if (reader === 'relance-payments') {
  // As `relance plan` reads a payments list: each payment folded into its payer's history
  // as it streams (loadInputs with fold), never two million payment objects at once.
  const { loadConfig, planSettings } = await import('../../dist/config.js');
  const { loadInputs } = await import('../../dist/read/inputs.js');
  const config = loadConfig(null, dirname(file));
  const settings = planSettings(config);
  const flags = { balance: [], payments: [file], clients: [], fec: [], ledger: [], files: [], sheet: null, asOf: AS_OF, profile: null, encoding: null };
  const t0 = performance.now();
  const inputs = await loadInputs(flags, config, true, process.cwd(), { graceDays: settings.thresholds.graceDays });
  const ms = performance.now() - t0;
  kept = inputs;
  const report = inputs.reports[0];
  out = {
    ms,
    records: report.records,
    histories: inputs.histories.size,
    paidInvoices: [...inputs.histories.values()].reduce((s, h) => s + h.count, 0),
    encoding: report.encoding,
    profile: report.profile,
    totals: report.totals.length,
    errors: inputs.findings.filter((f) => f.severity === 'erreur'),
    warnings: inputs.findings.filter((f) => f.severity !== 'erreur').length,
  };
} else if (LEDGER_READERS[reader]) {
  // Read through the format's dispatch, then open items and payments.
  const { readLedgerFile } = await import('../../dist/read/ledgers.js');
  const { openItemsAt, paymentsAt } = await import('../../dist/core/ledger.js');
  const t0 = performance.now();
  const ledger = await readLedgerFile(file, LEDGER_READERS[reader], null, { customerAccounts: ['411', '416'], openingJournals: [] }, process.cwd());
  const tRead = performance.now();
  const openItems = openItemsAt(ledger.lines, '2026-11-16');
  const payments = paymentsAt(ledger.lines, '2026-11-16');
  const ms = performance.now() - t0;
  kept = { ledger, openItems, payments };
  out = {
    ms,
    readMs: tRead - t0,
    // Entry lines read, of any account: the customer lines and the others.
    records: ledger.report.records + (ledger.report.skipped['hors comptes clients'] ?? 0),
    customerLines: ledger.lines.length,
    openItems: openItems.length,
    payments: payments.length,
    clients: ledger.clients?.length ?? 0,
    errors: ledger.findings.filter((f) => f.severity === 'erreur'),
    warnings: ledger.findings.filter((f) => f.severity !== 'erreur').length,
  };
} else if (reader === 'relance-kpi') {
  // relance kpi for the FEC's last month: read, then every figure and the 12-month trend.
  const { readFecFile } = await import('../../dist/read/fec.js');
  const { computeKpisFromFec } = await import('../../dist/core/kpi-compute.js');
  const { withDueDates } = await import('../../dist/read/inputs.js');
  const t0 = performance.now();
  const fec = await readFecFile(file, null, { customerAccounts: ['411', '416'], openingJournals: [] }, process.cwd());
  const tRead = performance.now();
  const report = computeKpisFromFec({
    period: { from: '2026-09-01', to: '2026-09-30' },
    lines: fec.lines,
    firstDate: fec.firstDate,
    withDueDates: (items) => withDueDates(items, new Map(), { days: 30, endOfMonth: false }),
    journal: null,
    fixedMonthlyCents: 0,
    sources: { receivables: 'FEC', sales: 'FEC', actions: 'aucun', disputes: 'aucun' },
  });
  const ms = performance.now() - t0;
  kept = { fec, report };
  out = {
    ms,
    readMs: tRead - t0,
    records: fec.report.lines - 1,
    trendMonths: report.trend.length,
    dso: report.dso.simple,
    errors: fec.findings.filter((f) => f.severity === 'erreur'),
    warnings: fec.findings.filter((f) => f.severity !== 'erreur').length,
  };
} else {
  console.error(`unknown reader: ${reader}`);
  process.exit(2);
}

out.maxRssMiB = process.resourceUsage().maxRSS / 1024;
out.kept = kept !== null;
after?.();
if (out.errors) {
  // Enough to say what went wrong; the count tells how much.
  out.errorCount = out.errors.length;
  out.errors = out.errors.slice(0, 10);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
