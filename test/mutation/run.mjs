// A small mutation checker for src/core/*.ts (issue 16).
//
//   npm run mutation [-- --file cases,audit] [--max N] [--seed S] [--jobs J] [--timeout SECONDS] [--all-core] [--keep] [--list] [--only cases:157,ledger:42]
//
// Finds, with the TypeScript parser (so never inside a string, a comment or a type), the
// operators of each core file and flips them one at a time: `<` ↔ `<=`, `>` ↔ `>=`,
// `===` ↔ `!==`, `==` ↔ `!=`, `&&` ↔ `||`, `+ 1` ↔ `- 1`. Every mutant is applied in a
// copy of the repository in a temporary directory (never in the working tree: other runs
// may be testing there), then the core tests run on it (`vitest run`, stopping at the first
// failure). A mutant is killed when a test fails (or the run exceeds --timeout, default
// 60 s: a flipped loop bound can loop forever), survives
// when every test passes. Prints the score per file and each surviving mutant
// (file:line:column, before → after).
//
// Only the test files of test/core that import the mutated file (directly or through
// other src/ modules) run, since no other core test can see the mutation; --all-core runs
// all of test/core for every mutant. --max samples that many mutants (seeded shuffle,
// --seed, default 16) when the full run is too long; --jobs runs that many copies side by
// side (default 2); --list only counts the mutants of each file and names its tests;
// --only keeps the mutants of the lines given (file:line), e.g. to retry survivors.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function parseArgs(argv) {
  const o = { files: null, max: Infinity, seed: 16, jobs: 2, timeout: 60, allCore: false, keep: false, list: false, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} attend une valeur`);
      return v;
    };
    if (a === '--file') o.files = (o.files ?? []).concat(value().split(',').map((f) => f.replace(/^src\/core\//, '').replace(/\.ts$/, '')));
    else if (a === '--max') o.max = Number(value());
    else if (a === '--seed') o.seed = Number(value());
    else if (a === '--jobs') o.jobs = Number(value());
    else if (a === '--timeout') o.timeout = Number(value());
    else if (a === '--all-core') o.allCore = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--list') o.list = true;
    else if (a === '--only') o.only = new Set(value().split(',').map((s) => s.replace(/^src\/core\//, '').replace(/\.ts:/, ':')));
    else throw new Error(`option inconnue : ${a}`);
  }
  return o;
}

const FLIP = new Map([
  [ts.SyntaxKind.LessThanToken, '<='],
  [ts.SyntaxKind.LessThanEqualsToken, '<'],
  [ts.SyntaxKind.GreaterThanToken, '>='],
  [ts.SyntaxKind.GreaterThanEqualsToken, '>'],
  [ts.SyntaxKind.EqualsEqualsEqualsToken, '!=='],
  [ts.SyntaxKind.ExclamationEqualsEqualsToken, '==='],
  [ts.SyntaxKind.EqualsEqualsToken, '!='],
  [ts.SyntaxKind.ExclamationEqualsToken, '=='],
  [ts.SyntaxKind.AmpersandAmpersandToken, '||'],
  [ts.SyntaxKind.BarBarToken, '&&'],
]);

/** The mutants of one file: where the operator is, what it is, what it becomes. */
function mutantsOf(file) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out = [];
  const add = (token, after) => {
    const start = token.getStart(source);
    const before = text.slice(start, token.end);
    const { line, character } = source.getLineAndCharacterOfPosition(start);
    out.push({ file, start, end: token.end, before, after, line: line + 1, column: character + 1, context: text.split('\n')[line].trim() });
  };
  const visit = (node) => {
    if (ts.isBinaryExpression(node)) {
      const kind = node.operatorToken.kind;
      if (FLIP.has(kind)) add(node.operatorToken, FLIP.get(kind));
      else if ((kind === ts.SyntaxKind.PlusToken || kind === ts.SyntaxKind.MinusToken) && ts.isNumericLiteral(node.right) && node.right.text === '1') {
        add(node.operatorToken, kind === ts.SyntaxKind.PlusToken ? '-' : '+');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Relative imports of a file, resolved to repository paths (`.js` → `.ts`). */
function importsOf(file) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    const target = relative(ROOT, resolve(ROOT, dirname(file), m[1])).replace(/\.js$/, '.ts');
    if (existsSync(join(ROOT, target))) out.push(target);
  }
  return out;
}

/** For each src file, the test/core files that reach it through their imports. */
function testsReaching() {
  const tests = readdirSync(join(ROOT, 'test/core')).filter((f) => f.endsWith('.test.ts')).map((f) => `test/core/${f}`);
  const reach = new Map();
  for (const t of tests) {
    const seen = new Set();
    const stack = [t];
    while (stack.length > 0) {
      const f = stack.pop();
      if (seen.has(f)) continue;
      seen.add(f);
      for (const i of importsOf(f)) stack.push(i);
    }
    for (const f of seen) if (f.startsWith('src/')) reach.set(f, [...(reach.get(f) ?? []), t]);
  }
  return reach;
}

/** A seeded shuffle (mulberry32): the same seed samples the same mutants. */
function shuffled(list, seed) {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * A copy of the repository (sources, tests, fixtures, templates) to mutate. node_modules
 * is linked, not copied (it is never mutated, and copying it takes minutes); vite's cache,
 * which would live in it, goes to the copy through a config of the copy's own.
 */
function copyRepository() {
  const dir = mkdtempSync(join(tmpdir(), 'relance-mutation-'));
  for (const entry of readdirSync(ROOT)) {
    if (entry === '.git' || entry === 'dist' || entry === 'node_modules') continue;
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true, verbatimSymlinks: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, MUTATION_CONFIG), `import { mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';
export default mergeConfig(base, { cacheDir: '.mutation-cache' });
`);
  return dir;
}

const MUTATION_CONFIG = 'vitest.mutation.config.ts';

/** Runs vitest on `tests` in `dir`: 'passed', 'failed' or 'timeout'. `report`: a JSON report file, and no stop at the first failure. */
function runTests(dir, tests, timeoutSeconds, running, report = null) {
  return new Promise((done) => {
    const how = report === null ? ['--bail=1', '--reporter=dot'] : ['--reporter=json', `--outputFile=${report}`];
    const child = spawn(process.execPath, [join(dir, 'node_modules/vitest/vitest.mjs'), 'run', `--config=${MUTATION_CONFIG}`, ...how, '--maxWorkers=1', '--minWorkers=1', ...tests], {
      cwd: dir, stdio: 'ignore', detached: true, env: { ...process.env, CI: 'true', FORCE_COLOR: '0' },
    });
    running.add(child.pid);
    const timer = setTimeout(() => {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      done('timeout');
    }, timeoutSeconds * 1000);
    child.on('exit', (code) => {
      running.delete(child.pid);
      clearTimeout(timer);
      done(code === 0 ? 'passed' : 'failed');
    });
  });
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const files = readdirSync(join(ROOT, 'src/core'))
    .filter((f) => f.endsWith('.ts') && (o.files === null || o.files.includes(f.replace(/\.ts$/, ''))))
    .map((f) => `src/core/${f}`)
    .sort();
  if (files.length === 0) throw new Error(`aucun fichier de src/core ne correspond à --file ${o.files?.join(',')}`);
  const reach = testsReaching();
  const all = files.flatMap(mutantsOf).filter((m) => o.only === null || o.only.has(`${m.file.slice('src/core/'.length, -'.ts'.length)}:${m.line}`));
  const chosen = Number.isFinite(o.max) ? shuffled(all, o.seed).slice(0, o.max) : all;
  const testsFor = (file) => (o.allCore ? ['test/core'] : reach.get(file) ?? []);
  if (o.list) {
    for (const f of files) console.log(`${f.padEnd(34)}${String(all.filter((m) => m.file === f).length).padStart(5)} mutants  ${(reach.get(f) ?? []).join(' ') || '(no core test imports it)'}`);
    return;
  }
  console.log(`${all.length} mutants in ${files.length} file(s); running ${chosen.length}${Number.isFinite(o.max) ? ` (sample, seed ${o.seed})` : ''} with ${o.jobs} copies`);

  const copies = Array.from({ length: o.jobs }, copyRepository);
  const running = new Set();
  // Interrupted: stop the test runs and remove the copies all the same.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      for (const pid of running) try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
      if (!o.keep) for (const dir of copies) rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  }
  try {
    // A test file that fails on the unmutated copy would kill every mutant: it is left out (said).
    const baseTests = o.allCore ? ['test/core'] : [...new Set(chosen.flatMap((m) => reach.get(m.file) ?? []))];
    const broken = new Set();
    if (baseTests.length > 0) {
      const report = join(copies[0], 'mutation-baseline.json');
      const base = await runTests(copies[0], baseTests, o.timeout * 3, running, report);
      if (base === 'timeout' || !existsSync(report)) throw new Error(`the core tests did not finish on the unmutated copy (${base})`);
      for (const r of JSON.parse(readFileSync(report, 'utf8')).testResults) if (r.status !== 'passed') broken.add(relative(copies[0], r.name));
      if (broken.size > 0) console.log(`left out, failing without any mutation: ${[...broken].join(', ')}`);
      if (o.allCore && broken.size > 0) throw new Error('--all-core needs every core test passing on the unmutated copy');
    }
    const testsOf = (file) => testsFor(file).filter((t) => !broken.has(t));
    const results = [];
    let next = 0;
    const worker = async (dir) => {
      while (next < chosen.length) {
        const m = chosen[next++];
        const path = join(dir, m.file);
        const original = readFileSync(path, 'utf8');
        writeFileSync(path, original.slice(0, m.start) + m.after + original.slice(m.end));
        const tests = testsOf(m.file);
        const outcome = tests.length === 0 ? 'passed' : await runTests(dir, tests, o.timeout, running);
        writeFileSync(path, original);
        results.push({ ...m, outcome, untested: tests.length === 0 });
        process.stdout.write(outcome === 'passed' ? 'S' : outcome === 'timeout' ? 'T' : '.');
      }
    };
    await Promise.all(copies.map(worker));
    process.stdout.write('\n\n');

    const byFile = new Map();
    for (const r of results) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
    const pct = (k, n) => (n === 0 ? '—' : `${((100 * k) / n).toFixed(1)} %`);
    console.log('file                              mutants  killed  survived  score');
    let killed = 0;
    for (const [file, rs] of [...byFile].sort()) {
      const k = rs.filter((r) => r.outcome !== 'passed').length;
      killed += k;
      console.log(`${file.padEnd(34)}${String(rs.length).padStart(7)}${String(k).padStart(8)}${String(rs.length - k).padStart(10)}  ${pct(k, rs.length)}${rs.some((r) => r.untested) ? '  (no core test imports it)' : ''}`);
    }
    console.log(`${'total'.padEnd(34)}${String(results.length).padStart(7)}${String(killed).padStart(8)}${String(results.length - killed).padStart(10)}  ${pct(killed, results.length)}`);
    const timeouts = results.filter((r) => r.outcome === 'timeout').length;
    if (timeouts > 0) console.log(`(${timeouts} killed by the ${o.timeout} s timeout)`);
    const survivors = results.filter((r) => r.outcome === 'passed').sort((a, b) => a.file.localeCompare(b.file) || a.start - b.start);
    if (survivors.length > 0) {
      console.log('\nsurviving mutants:');
      for (const s of survivors) console.log(`  ${s.file}:${s.line}:${s.column}  ${s.before} → ${s.after}    ${s.context}`);
    }
    console.log(`\n${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    if (!o.keep) for (const dir of copies) rmSync(dir, { recursive: true, force: true });
    else console.log(`copies kept: ${copies.join(', ')}`);
  }
}

main().catch((e) => {
  console.error(`mutation : ${e.message}`);
  process.exit(2);
});
