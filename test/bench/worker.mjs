// One measurement, in a fresh process so that its peak memory is its own:
//   node test/bench/worker.mjs <reader> <file>
// reader: csv-balance | csv-payments | csv-fec        (csv-parse alone)
//         csv-balance-from | csv-payments-from <file> <line>
//                                    (csv-parse alone, starting at the header line)
//         relance-balance | relance-payments | relance-fec
// Prints one JSON line on stdout: { ms, maxRssMiB, records, ... }. Module loading is
// done before the clock starts; the results stay referenced until maxRSS is read.

import { createReadStream } from 'node:fs';

const [reader, file, fromLine] = process.argv.slice(2);
if (!reader || !file) {
  console.error('usage: node test/bench/worker.mjs <reader> <file>');
  process.exit(2);
}

/** Kept alive until the end of the process: what the reader returned. */
let kept = null;
let out;

if (reader.startsWith('csv-')) {
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
} else if (reader === 'relance-balance' || reader === 'relance-payments') {
  const { readTabular } = await import('../../dist/read/tabular.js');
  const kind = reader === 'relance-balance' ? 'balance' : 'payments';
  const t0 = performance.now();
  const result = await readTabular(file, kind, { cwd: process.cwd(), encoding: null, profile: null, columns: {} });
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
} else if (reader === 'relance-fec') {
  const { readFecFile } = await import('../../dist/read/fec.js');
  const { openItemsAt, paymentsAt } = await import('../../dist/core/ledger.js');
  const t0 = performance.now();
  const fec = await readFecFile(file, null, { customerAccounts: ['411', '416'], openingJournals: [] }, process.cwd());
  const tRead = performance.now();
  const openItems = openItemsAt(fec.lines, '2026-11-16');
  const payments = paymentsAt(fec.lines, '2026-11-16');
  const ms = performance.now() - t0;
  kept = { fec, openItems, payments };
  out = {
    ms,
    readMs: tRead - t0,
    records: fec.report.lines - 1, // entry lines, header excluded
    customerLines: fec.lines.length,
    openItems: openItems.length,
    payments: payments.length,
    errors: fec.findings.filter((f) => f.severity === 'erreur'),
    warnings: fec.findings.filter((f) => f.severity !== 'erreur').length,
  };
} else {
  console.error(`unknown reader: ${reader}`);
  process.exit(2);
}

out.maxRssMiB = process.resourceUsage().maxRSS / 1024;
out.kept = kept !== null;
if (out.errors) {
  // Enough to say what went wrong; the count tells how much.
  out.errorCount = out.errors.length;
  out.errors = out.errors.slice(0, 10);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
