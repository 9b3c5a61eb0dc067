#!/usr/bin/env node
// Startup time of the CLI, as a user feels it: the median wall clock of whole-process
// runs of `node -e 0`, `relance --help` and `relance init` (in an empty temp dir), and
// how much relance adds to node's own start (target: at most 60 ms, issue 17).
// Usage: node test/bench/startup.mjs [--runs 10] [--cpu]   (after npm run build)
// --cpu: the median CPU time (user + system) of each process instead, read at its exit
// through --import (node -e 0 too): steadier than the wall clock on a loaded machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'relance.js');
const TARGET_MS = 60;
const at = process.argv.indexOf('--runs');
const RUNS = at > 0 ? Number(process.argv[at + 1]) : 10;
const CPU = process.argv.includes('--cpu');
const CPU_HOOK = `data:text/javascript,${encodeURIComponent("process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`\\n@cpu ${(u.user + u.system) / 1000}\\n`); });")}`;

/** Milliseconds of one whole process: wall clock from spawn to exit, or its CPU time (--cpu). */
function timeRun(args, cwd) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, CPU ? ['--import', CPU_HOOK, ...args] : args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} a échoué (code ${r.status}) : ${r.stderr}`);
  if (!CPU) return ms;
  const cpu = /\n@cpu (\S+)\n$/.exec(r.stderr);
  if (!cpu) throw new Error(`node ${args.join(' ')} n'a pas donné son temps CPU : ${r.stderr}`);
  return Number(cpu[1]);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The median of RUNS runs, after one untimed run that warms the disk cache. */
function medianOf(makeRun) {
  makeRun();
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(makeRun());
  return median(times);
}

/** `relance init` in a fresh empty directory each time (it refuses to overwrite). */
function timeInit() {
  const dir = mkdtempSync(join(tmpdir(), 'relance-startup-'));
  try {
    return timeRun([BIN, 'init'], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (ms) => `${Math.round(ms)} ms`;
const node = medianOf(() => timeRun(['-e', '0']));
const help = medianOf(() => timeRun([BIN, '--help']));
const init = medianOf(timeInit);

console.log(`Démarrage, médiane de ${RUNS} exécutions (processus entier, ${CPU ? 'temps CPU' : 'horloge murale'}) :`);
console.log(`node -e 0 : ${fmt(node)}`);
let ok = true;
for (const [label, ms] of [['relance --help', help], ['relance init', init]]) {
  const extra = ms - node;
  ok &&= extra <= TARGET_MS;
  console.log(`${label} : ${fmt(ms)}, soit node -e 0 + ${fmt(extra)} (cible ≤ ${TARGET_MS} ms)${extra <= TARGET_MS ? '' : ' : cible dépassée'}`);
}
process.exitCode = ok ? 0 : 1;
