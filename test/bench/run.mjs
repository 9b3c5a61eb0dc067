// Benchmark of relance's readers and of `relance plan` against csv-parse alone (DESIGN §7).
//
//   npm run bench [-- --runs N] [--quick] [--only LIST] [--json] [--keep] [--profile | --no-profile]
//
// Generates large realistic files in a temporary directory (removed at the end unless
// --keep), then times every measurement in a fresh child process (worker.mjs) so that the
// peak memory reported (maxRSS) is that measurement's own, and prints the medians of N
// runs as a French table, one row per measurement:
//   balance   relance's reader on the 1,000,000-line Sage 100 aged balance
//   fec       relance's FEC reader (and open items, payments) on a 2,000,000-line FEC
//   payments  relance's reader on the 2,000,000-line Sage 100 payments list, each payment
//             folded into its payer's history as plan reads it
//   plan      `relance plan` (without printing) on the balance and the payments list,
//             against csv-parse alone reading both files in sequence in one process
//   kpi       `relance kpi` figures and trend on the 2,000,000-line FEC
//   startup   relance --help and relance init against node -e 0 (startup.mjs)
//   sage-pnm, quadra, ebp, cegid-tra
//             the native ledger readers (Sage 100 #MECG, Quadra ASCII, EBP ASCII, Cegid
//             TRA) on one 500,000-line FEC converted to the format by the fixture writers'
//             formatters (generate.mjs, generateLedger), against relance's own FEC reader
//             on that FEC (target 1.2x); both then compute open items and payments, and
//             must find the same customer lines, open items and payments
// With --json the table goes to stderr and stdout holds only the results as JSON. When
// relance misses its time target on a row (or with --profile), one more relance run is
// made under `node --cpu-prof` and its top self-time functions are printed. Exit code 1
// when a measurement fails or gives a wrong count; a missed target is reported, not an
// exit failure.
//
// Options:
//   --runs N      runs per measurement (default 3, 1 with --quick); the median is reported
//   --quick       files 10 times smaller (smoke test)
//   --payments    kept for old scripts: the payments row is measured by default
//   --only LIST   comma-separated subset of: balance, fec, kpi, payments, plan, sage-pnm,
//                 quadra, ebp, cegid-tra, startup (default: all)
//   --json        results as JSON on stdout
//   --keep        keep the generated files (their directory is printed)

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateBalance, generateFec, generateLedger, generatePayments } from './generate.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..');
const WORKER = join(HERE, 'worker.mjs');

const MIB = 1 << 20;
const TIME_TARGET = 2.0; // relance time / csv-parse time, for the balance and FEC readers
const MEMORY_TARGET = 1e9; // bytes (1 Go) of peak RSS for the 1,000,000 open items
const PAYMENTS_TIME_TARGET = 1.0; // the payments list read and folded / csv-parse reading it (issue 17)
const PAYMENTS_MEMORY_TARGET = 400 * MIB;
const PLAN_TIME_TARGET = 1.0; // relance plan time / csv-parse time on both files (issue 17)
const PLAN_MEMORY_TARGET = 450 * MIB; // peak RSS for the plan
const PLAN_FLOOR_TARGET = 10; // stretch: relance plan time / reading and decoding the bytes of both files
const KPI_TIME_TARGET = 0.8; // kpi (month + trend) / csv-parse reading the FEC (issue 17)
const KPI_MEMORY_TARGET = 800 * MIB;
const LEDGER_TIME_TARGET = 1.2; // native ledger reader time / relance's FEC reader time, same lines

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    payments: { type: 'boolean', default: false },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    profile: { type: 'boolean' },
    'no-profile': { type: 'boolean', default: false },
  },
});
// --quick is a smoke test: one run unless told otherwise.
const runs = Number(args.runs ?? (args.quick ? 1 : 3));
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs attend un entier positif, pas « ${args.runs} ».`);
  process.exit(2);
}
const scale = args.quick ? 0.1 : 1;

/** The files of the benchmark: how to generate them. */
const FILES = {
  balance: { label: 'Balance âgée Sage 100', name: 'balance.csv', lines: 1_000_000 * scale, generate: generateBalance },
  fec: { label: 'FEC', name: 'FEC.txt', lines: 2_000_000 * scale, generate: generateFec },
  payments: { label: 'Règlements Sage 100', name: 'reglements.csv', lines: 2_000_000 * scale, generate: generatePayments },
  // The native ledger files: one FEC, then its content in each format (converted from it).
  'ledger-fec': { label: 'FEC des lecteurs natifs', name: 'FEC-natifs.txt', lines: 500_000 * scale, generate: generateFec },
};
/** The native ledger formats: row id (= format) and label. */
const LEDGERS = [
  ['sage-pnm', 'Sage 100 (#MECG)', 'ecritures-sage.txt'],
  ['quadra', 'Quadra ASCII', 'ecritures-quadra.txt'],
  ['ebp', 'EBP ASCII', 'ecritures-ebp.txt'],
  ['cegid-tra', 'Cegid TRA', 'ecritures.tra'],
];
for (const [id, label, name] of LEDGERS) {
  FILES[id] = { label, name, lines: FILES['ledger-fec'].lines, generate: (file, lines) => generateLedger(id, file, lines, FILES['ledger-fec'].path) };
}

/** The measurements (rows of the table): which files, which readers, which targets. */
const ROWS = [
  {
    id: 'balance',
    label: 'Balance âgée Sage 100',
    files: ['balance'],
    // csv-parse starts at the header line, as relance does: started on the title lines,
    // relax_column_count makes it build an error object for every data row (9x slower).
    baseline: 'csv-balance-from',
    relance: 'relance-balance',
    timeTarget: TIME_TARGET,
    memoryTarget: MEMORY_TARGET,
  },
  {
    id: 'fec',
    label: 'FEC',
    files: ['fec'],
    baseline: 'csv-fec',
    relance: 'relance-fec',
    timeTarget: TIME_TARGET,
    memoryTarget: null,
  },
  {
    id: 'kpi',
    label: 'KPI (FEC, mois + tendance)',
    files: ['fec'],
    baseline: 'csv-fec',
    relance: 'relance-kpi',
    timeTarget: KPI_TIME_TARGET,
    memoryTarget: KPI_MEMORY_TARGET,
  },
  {
    id: 'payments',
    label: 'Règlements Sage 100',
    files: ['payments'],
    baseline: 'csv-payments-from',
    relance: 'relance-payments',
    timeTarget: PAYMENTS_TIME_TARGET,
    memoryTarget: PAYMENTS_MEMORY_TARGET,
  },
  {
    id: 'plan',
    label: 'Plan (balance + règlements)',
    files: ['balance', 'payments'],
    // One process reading both files in sequence, each from its header line: the same
    // work as csv-balance-from + csv-payments-from, with one peak memory.
    baseline: 'csv-plan',
    relance: 'relance-plan',
    timeTarget: PLAN_TIME_TARGET,
    memoryTarget: PLAN_MEMORY_TARGET,
  },
  // The native ledger readers against relance's FEC reader on a FEC of as many lines.
  ...LEDGERS.map(([id, label]) => ({
    id,
    label,
    files: ['ledger-fec', id],
    ledger: true,
    baseline: 'relance-fec',
    relance: `relance-${id}`,
    timeTarget: LEDGER_TIME_TARGET,
    memoryTarget: null,
  })),
];

// `startup`: relance --help and relance init against node -e 0 (test/bench/startup.mjs).
const DEFAULT_ROWS = ['balance', 'fec', 'payments', 'plan', 'kpi', ...LEDGERS.map(([id]) => id), 'startup'];
const wanted = args.only ? args.only.split(',').map((x) => x.trim()).filter(Boolean) : DEFAULT_ROWS;
const unknown = wanted.filter((id) => id !== 'startup' && !ROWS.some((r) => r.id === id));
if (unknown.length > 0 || wanted.length === 0) {
  console.error(`--only attend une liste parmi ${[...ROWS.map((r) => r.id), 'startup'].join(', ')}${unknown.length ? `, pas « ${unknown.join(', ')} »` : ''}.`);
  process.exit(2);
}
const rowsToRun = ROWS.filter((r) => wanted.includes(r.id));
/** The files to generate: those of the rows measured, once each. */
const filesToMake = Object.keys(FILES).filter((id) => rowsToRun.some((r) => r.files.includes(id)));

// Progress and the table go to stderr when stdout is kept for JSON.
const say = (text = '') => (args.json ? process.stderr : process.stdout).write(`${text}\n`);
const note = (text) => say(wrap(text));
/** Wraps a long note at spaces, continuation lines indented. */
function wrap(text, width = 110) {
  if (text.length <= width || text.startsWith(' ')) return text;
  const out = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = `  ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...out, line].join('\n');
}
const progress = (text) => process.stderr.write(`${text}\n`);

// ---------------------------------------------------------------------------
// French number formatting

const fr = (n, digits) => n.toLocaleString('fr-FR', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const seconds = (ms) => `${fr(ms / 1000, 2)} s`;
const mib = (m) => `${fr(m, 0)} Mio`;
const mb = (bytes) => fr(bytes / 1e6, 1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---------------------------------------------------------------------------
// Running one measurement

/** The worker's arguments after the reader: files, and the header lines for `-from`. */
function readerArgs(row, reader) {
  const files = row.files.map((id) => FILES[id]);
  // A ledger row: the FEC for relance's FEC reader, the converted file for the format's.
  if (row.ledger) return [files[reader === row.baseline ? 0 : 1].path];
  if (reader === 'csv-plan') return files.flatMap((f) => [f.path, f.gen.headerLine]);
  if (reader === 'floor') return files.map((f) => f.path);
  if (reader.endsWith('-from')) return [files[0].path, files[0].gen.headerLine];
  return files.map((f) => f.path);
}

function measure(row, reader, nodeFlags = []) {
  const argv = readerArgs(row, reader).map(String);
  const r = spawnSync(process.execPath, [...nodeFlags, WORKER, reader, ...argv], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const lastLine = r.stdout?.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !lastLine.startsWith('{')) {
    throw new Error(
      `${reader} sur ${argv.filter((a) => !/^\d+$/.test(a)).join(' et ')} a échoué (code ${r.status}${r.signal ? `, signal ${r.signal}` : ''}) :\n${(r.stderr || r.stdout || '').trim()}`,
    );
  }
  return JSON.parse(lastLine);
}

/** Checks a run's counts and findings; returns French problems, empty when all is right. */
function check(row, reader, result, baseline) {
  const problems = [];
  const gens = row.files.map((id) => FILES[id].gen);
  const gen = gens[0];
  const errorsOf = () =>
    `${reader} : ${result.errorCount} erreur(s) signalée(s), par exemple :\n` +
    result.errors.map((f) => `    ligne ${f.line ?? '?'}, ${f.column ?? ''} : ${f.message}`).join('\n');
  if (row.ledger) {
    // Both readers: every entry line read, no error; the format's reader finds what the FEC reader found.
    const g = reader === row.baseline ? gen : gens[1];
    const expected = reader === row.baseline ? gen.dataLines : g.entryLines;
    if (result.records !== expected) problems.push(`${reader} : ${result.records} lignes d'écritures lues au lieu de ${expected}`);
    if (result.errorCount > 0) problems.push(errorsOf());
    if (result.customerLines !== gens[1].dataLines) problems.push(`${reader} : ${result.customerLines} lignes clients au lieu de ${gens[1].dataLines}`);
    if (reader === row.relance && baseline) {
      for (const [key, what] of [['openItems', 'créances ouvertes'], ['payments', 'règlements']]) {
        if (result[key] !== baseline[key]) problems.push(`${reader} : ${result[key]} ${what} au lieu de ${baseline[key]} (lecteur FEC)`);
      }
    }
    return problems;
  }
  if (row.id === 'plan') {
    if (reader === row.relance) {
      // Every line of the balance is an open item (invoices, credits, unapplied payments).
      if (result.openItems !== gen.dataLines) problems.push(`${reader} : ${result.openItems} créances ouvertes au lieu de ${gen.dataLines}`);
      if (!(result.histories > 0)) problems.push(`${reader} : aucun historique de paiement replié`);
      if (!(result.actions > 0)) problems.push(`${reader} : aucune action au plan`);
      if (result.errorCount > 0) problems.push(errorsOf());
      if (result.filesTotalled !== row.files.length) {
        problems.push(`${reader} : ${result.filesTotalled} ligne(s) « Total général » contrôlée(s) sur ${row.files.length} fichiers`);
      }
    } else {
      const expected = gens.reduce((s, g) => s + g.lines - (g.headerLine - 1), 0);
      if (result.records !== expected) problems.push(`${reader} : ${result.records} enregistrements au lieu de ${expected}`);
    }
    return problems;
  }
  if (reader === row.relance) {
    if (result.records !== gen.dataLines) {
      problems.push(`${reader} : ${result.records} enregistrements lus au lieu de ${gen.dataLines}`);
    }
    if (result.errorCount > 0) problems.push(errorsOf());
    if (!row.files.includes('fec') && !(result.totals > 0)) problems.push(`${reader} : la ligne « Total général » n'a pas été contrôlée`);
  } else {
    const expected = reader.endsWith('-from') ? gen.lines - (gen.headerLine - 1) : gen.lines;
    if (result.records !== expected) problems.push(`${reader} : ${result.records} enregistrements au lieu de ${expected}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------
// CPU profile: top self-time functions of one run

function topSelfTime(dir, count = 5) {
  const name = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const profile = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  // Each sample's time is the delta to the next sample (as Chrome DevTools counts it).
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(profile.samples[i]);
    const cf = node.callFrame;
    const where = cf.url ? `${shortUrl(cf.url)}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName || '(anonyme)'}${where ? ` ${where}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  }
  return {
    totalMs: total / 1000,
    top: [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([fn, us]) => ({ fn, ms: us / 1000, share: us / total })),
  };
}

function shortUrl(url) {
  if (url.startsWith('file://')) {
    const p = relative(ROOT, fileURLToPath(url));
    return p.replace(/^node_modules\//, '');
  }
  return url;
}

// ---------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'relance-bench-'));
const cleanUp = () => {
  if (!args.keep) rmSync(dir, { recursive: true, force: true });
};
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    cleanUp();
    process.exit(code);
  });
}

let failed = false;
let startup = null;
const results = [];
const generation = {};
try {
  // 1. Generate the files.
  const genStart = performance.now();
  for (const id of filesToMake) {
    const f = FILES[id];
    f.path = join(dir, f.name);
    const t0 = performance.now();
    progress(`Génération : ${f.label} (${fr(f.lines, 0)} lignes)…`);
    f.gen = await f.generate(f.path, f.lines);
    generation[id] = { seconds: (performance.now() - t0) / 1000, bytes: f.gen.bytes, lines: f.gen.lines };
    progress(`  ${mb(f.gen.bytes)} Mo en ${fr(generation[id].seconds, 1)} s`);
  }
  const genSeconds = (performance.now() - genStart) / 1000;

  // 2. Time the measurements, alternating baseline and relance run by run.
  for (const row of rowsToRun) {
    const readers = [row.baseline, row.relance];
    const measured = Object.fromEntries(readers.map((r) => [r, []]));
    for (let run = 1; run <= runs; run++) {
      for (const reader of readers) {
        const result = measure(row, reader);
        const problems = check(row, reader, result, measured[row.baseline][run - 1]);
        if (problems.length > 0) {
          failed = true;
          for (const p of problems) progress(`ERREUR ${p}`);
        }
        measured[reader].push(result);
      }
      progress(
        `${row.label}, exécution ${run}/${runs} : ` +
          readers.map((r) => `${r} ${seconds(measured[r][run - 1].ms)}, ${mib(measured[r][run - 1].maxRssMiB)}`).join(' ; '),
      );
    }
    // The plan's floor: reading and decoding the bytes of both files, nothing else.
    const floorMs = row.id === 'plan' ? median(Array.from({ length: runs }, () => measure(row, 'floor').ms)) : undefined;
    const summary = (r) => ({
      reader: r,
      ms: median(measured[r].map((x) => x.ms)),
      maxRssMiB: median(measured[r].map((x) => x.maxRssMiB)),
      runs: measured[r].map(({ errors, ...x }) => x),
    });
    const base = summary(row.baseline);
    const rel = summary(row.relance);
    const relRuns = measured[row.relance];
    const last = relRuns.at(-1);
    const relMedian = (key) => median(relRuns.map((x) => x[key]));
    const gens = row.files.map((id) => FILES[id].gen);
    const ratio = rel.ms / base.ms;
    results.push({
      id: row.id,
      label: row.label,
      files: row.files,
      // A ledger row: the converted file's size, and its entry lines.
      bytes: row.ledger ? gens[1].bytes : gens.reduce((s, g) => s + g.bytes, 0),
      lines: row.ledger ? gens[1].lines : gens.reduce((s, g) => s + g.lines, 0),
      dataLines: row.ledger ? gens[1].entryLines : gens.reduce((s, g) => s + g.dataLines, 0),
      baseline: row.baseline,
      csvParse: base,
      relance: rel,
      ratio,
      timeTarget: row.timeTarget,
      memoryTarget: row.memoryTarget,
      timeOk: ratio <= row.timeTarget,
      memoryOk: row.memoryTarget === null ? null : rel.maxRssMiB * 1024 * 1024 < row.memoryTarget,
      ...(row.ledger
        ? { customerLines: last.customerLines, openItems: last.openItems, payments: last.payments, readMs: relMedian('readMs'), fecBytes: gens[0].bytes }
        : {}),
      ...(row.id === 'fec'
        ? { customerLines: last.customerLines, openItems: last.openItems, payments: last.payments, readMs: relMedian('readMs') }
        : {}),
      ...(row.id === 'plan'
        ? {
            openItems: last.openItems,
            histories: last.histories,
            paidInvoices: last.paidInvoices,
            actions: last.actions,
            manual: last.manual,
            skipped: last.skipped,
            overdueCents: last.overdueCents,
            scoreCents: last.scoreCents,
            readMs: relMedian('readMs'),
            planMs: relMedian('planMs'),
            floorMs,
            floorRatio: rel.ms / floorMs,
            threads: last.threads,
            json: { ms: relMedian('jsonMs'), bytes: last.jsonBytes, maxRssMiB: relMedian('maxRssJsonMiB') },
          }
        : {}),
    });
  }

  // 3. Where relance's time goes, where it misses the target (or when asked).
  const profiles = {};
  for (const [i, row] of rowsToRun.entries()) {
    const r = results[i];
    const missed = !r.timeOk;
    const wantProfile = args['no-profile'] ? false : args.profile || missed;
    if (!wantProfile) continue;
    progress(`Profil CPU de ${row.relance} (une exécution de plus)…`);
    const profDir = join(dir, `profile-${row.id}`);
    mkdirSync(profDir);
    measure(row, row.relance, ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
    profiles[row.id] = topSelfTime(profDir);
  }

  // 4. The table.
  const go = (bytes) => (bytes % MIB === 0 ? `${fr(bytes / MIB, 0)} Mio` : `${fr(bytes / 1e9, bytes % 1e9 === 0 ? 0 : 1)} Go`);
  // The reference: csv-parse alone, relance's FEC reader for the native ledger rows.
  const ledgerRows = results.filter((r) => rowsToRun.find((row) => row.id === r.id).ledger);
  const [base1, base2] =
    ledgerRows.length === 0 ? ['csv-parse seul', 'csv-parse'] : ledgerRows.length === results.length ? ['lecteur FEC', 'lecteur FEC'] : ['référence', 'référence'];
  const header = [
    ['Mesure', 'Taille', 'Lignes', base1, base1, 'relance', 'relance', 'relance /', 'Cible', 'Cible'],
    ['', '(Mo)', '', 'temps', 'RSS max', 'temps', 'RSS max', base2, 'temps', 'mémoire'],
  ];
  const verdict = (ok, target) => (ok === null ? '—' : `${ok ? 'OK' : 'ÉCHEC'} (${target})`);
  const rows = [];
  for (const r of results) {
    rows.push([
      r.label, mb(r.bytes), fr(r.dataLines, 0), seconds(r.csvParse.ms), mib(r.csvParse.maxRssMiB),
      seconds(r.relance.ms), mib(r.relance.maxRssMiB), fr(r.ratio, 2),
      verdict(r.timeOk, `≤ ${fr(r.timeTarget, 1)}`), verdict(r.memoryOk, r.memoryTarget === null ? '' : `< ${go(r.memoryTarget)}`),
    ]);
  }
  const all = [...header, ...rows];
  const widths = header[0].map((_, c) => Math.max(...all.map((row) => row[c].length)));
  const fmt = (row) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  const rule = '-'.repeat(widths.reduce((a, w) => a + w, 0) + 2 * (widths.length - 1));

  say();
  say(
    `Banc d'essai relance : médianes de ${runs} exécution${runs > 1 ? 's' : ''}${args.quick ? ' (--quick : fichiers 10 fois plus petits)' : ''}, ` +
      `Node ${process.version}, ${availableParallelism()} cœurs (${cpus()[0]?.model.trim() ?? '?'})`,
  );
  say(`Fichiers générés en ${fr(genSeconds, 1)} s (${filesToMake.map((id) => `${FILES[id].label} ${fr(generation[id].seconds, 1)} s`).join(', ')})`);
  say();
  say(fmt(header[0]));
  say(fmt(header[1]));
  say(rule);
  for (const row of rows) say(fmt(row));
  say(rule);
  const plan = results.find((r) => r.id === 'plan');
  note(
    `Temps : lecture seule${plan ? ' (plan : lecture, historiques et plan, sans affichage)' : ''}, chargement des modules exclu ; ` +
      'RSS max : pic mémoire du processus (resourceUsage().maxRSS).',
  );
  const readerRows = results.filter((r) => (r.id === 'balance' || r.id === 'fec'));
  const kpi = results.find((r) => r.id === 'kpi');
  const payments = results.find((r) => r.id === 'payments');
  note(
    'Cibles : ' +
      [
        ...(readerRows.length > 0 ? [`lecteurs de la balance et du FEC ≤ ${fr(TIME_TARGET, 1)} × csv-parse seul, pic mémoire < ${go(MEMORY_TARGET)} pour le million de créances`] : []),
        ...(payments ? [`règlements lus et repliés ≤ ${fr(PAYMENTS_TIME_TARGET, 1)} × csv-parse seul, pic mémoire < ${go(PAYMENTS_MEMORY_TARGET)}`] : []),
        ...(plan ? [`plan ≤ ${fr(PLAN_TIME_TARGET, 1)} × csv-parse seul sur les deux fichiers, pic mémoire < ${go(PLAN_MEMORY_TARGET)}`] : []),
        ...(kpi ? [`kpi ≤ ${fr(KPI_TIME_TARGET, 1)} × csv-parse seul sur le FEC, pic mémoire < ${go(KPI_MEMORY_TARGET)}`] : []),
        ...(ledgerRows.length > 0 ? [`lecteurs natifs ≤ ${fr(LEDGER_TIME_TARGET, 1)} × le lecteur FEC de relance sur un FEC du même nombre de lignes`] : []),
      ].join(' ; ') +
      ' (1 Go = 10⁹ octets, 1 Mio = 2²⁰ octets).',
  );
  const fec = results.find((r) => r.id === 'fec');
  if (fec) {
    note(
      `FEC : relance = lecture (${seconds(fec.readMs)}) + créances ouvertes et règlements au 16/11/2026 ; ` +
        `${fr(fec.customerLines, 0)} lignes clients gardées, ${fr(fec.openItems, 0)} créances ouvertes, ${fr(fec.payments, 0)} règlements.`,
    );
  }
  if (ledgerRows.length > 0) {
    const l = ledgerRows[0];
    note(
      `Lecteurs natifs (${ledgerRows.map((r) => r.label).join(', ')}) : un FEC de ${fr(l.dataLines, 0)} lignes (${mb(l.fecBytes)} Mo), ` +
        `converti dans chaque format par les rédacteurs des fixtures ; ${base1 === 'référence' ? 'référence' : 'lecteur FEC'} = le lecteur FEC de relance sur ce FEC ; ` +
        `relance = le lecteur du format, puis, des deux côtés, créances ouvertes et règlements au 16/11/2026. ` +
        `${fr(l.customerLines, 0)} lignes clients, ${fr(l.openItems, 0)} créances ouvertes, ${fr(l.payments, 0)} règlements, les mêmes que par le FEC.`,
    );
  }
  if (plan) {
    note(
      `Plan : relance = lecture des deux fichiers, règlements repliés en historiques par client (${seconds(plan.readMs)}), ` +
        `puis plan au 16/11/2026 sur 7 jours (${seconds(plan.planMs)}) ; csv-parse seul = les deux fichiers lus l'un après ` +
        `l'autre dans le même processus. ${fr(plan.openItems, 0)} créances ouvertes, ${fr(plan.histories, 0)} clients avec ` +
        `historique (${fr(plan.paidInvoices, 0)} factures réglées datées) ; ${fr(plan.actions, 0)} actions, ` +
        `${fr(plan.manual, 0)} à traiter à la main, ${fr(plan.skipped, 0)} cas écartés.`,
    );
    note(
      `Plancher (lire les octets des deux fichiers et les décoder en texte, rien d'autre) : ${seconds(plan.floorMs)} ; ` +
        `le plan en prend ${fr(plan.relance.ms / plan.floorMs, 1)} fois autant (objectif ≤ ${fr(PLAN_FLOOR_TARGET, 0)} : ` +
        `${plan.relance.ms / plan.floorMs <= PLAN_FLOOR_TARGET ? 'atteint' : 'non atteint'}). ` +
        `Règlements lus dans un second fil d'exécution pendant la balance (${plan.threads ? 'oui' : 'non'}).`,
    );
    note(
      `Plan, rendu JSON (hors rapport, mesuré après le pic) : ${seconds(plan.json.ms)} pour ${mb(plan.json.bytes)} Mo ; ` +
        `pic mémoire porté à ${mib(plan.json.maxRssMiB)}.`,
    );
  }
  if (ledgerRows.length < results.length) {
    note(
      'csv-parse seul : flux d\'octets, enregistrements en tableaux, sans cast ni info ni columns ; pour les exports Sage, lancé ' +
        'sur la ligne d\'en-tête (from_line) : lancé sur les lignes de titre, relax_column_count lui fait construire une CsvError ' +
        'par ligne de données (environ 9 fois plus lent), ce qui flatterait relance.',
    );
  }
  for (const [id, p] of Object.entries(profiles)) {
    const r = results.find((x) => x.id === id);
    say();
    say(`Où va le temps de relance (${r.label}, node --cpu-prof, ${seconds(p.totalMs)} échantillonnées) — 5 premières fonctions en temps propre :`);
    for (const t of p.top) say(`  ${fr(t.share * 100, 1).padStart(5)} %  ${seconds(t.ms).padStart(9)}  ${t.fn}`);
  }
  if (wanted.includes('startup')) {
    // relance --help and relance init against node -e 0: whole processes, medians of 10.
    progress('Démarrage : node -e 0, relance --help, relance init (10 exécutions chacun)…');
    const r = spawnSync(process.execPath, [join(HERE, 'startup.mjs'), '--runs', '10'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0 && r.status !== 1) {
      failed = true;
      progress(`ERREUR mesure du démarrage : ${(r.stderr || r.stdout).trim()}`);
    }
    startup = r.stdout.trim();
    say();
    say(startup);
  }
  if (failed) say('\nDes mesures ont échoué ou donné un mauvais compte : voir les ERREUR ci-dessus.');
  if (args.keep) say(`\nFichiers gardés dans ${dir}`);

  if (args.json) {
    process.stdout.write(
      `${JSON.stringify({ node: process.version, cpus: availableParallelism(), runs, quick: args.quick, generation, generationSeconds: genSeconds, targets: { timeRatio: TIME_TARGET, memoryBytes: MEMORY_TARGET, plan: { timeRatio: PLAN_TIME_TARGET, memoryBytes: PLAN_MEMORY_TARGET }, ledgers: { timeRatio: LEDGER_TIME_TARGET }, payments: { timeRatio: PAYMENTS_TIME_TARGET, memoryBytes: PAYMENTS_MEMORY_TARGET }, kpi: { timeRatio: KPI_TIME_TARGET, memoryBytes: KPI_MEMORY_TARGET }, planFloor: PLAN_FLOOR_TARGET }, files: results, profiles, startup }, null, 2)}\n`,
    );
  }
} catch (err) {
  failed = true;
  progress(err instanceof Error ? (err.stack ?? err.message) : String(err));
} finally {
  cleanUp();
}
process.exitCode = failed ? 1 : 0;
