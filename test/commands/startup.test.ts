import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { buildProgram, COMMANDS, plainRun } from '../../src/cli.js';
import { programHelp } from '../../src/commands/help.js';
import { addOptions, dateValue, flagValue, parseOptions } from '../../src/commands/options.js';
import type { Context } from '../../src/context.js';
import { ROOT, runCli } from '../helpers.js';

// `relance --help` and `relance init` start fast (issue 17): they load no package, not
// even commander, and no command's module but init's. Checked on what the built
// bin/relance.js loads as a real process (npm test builds before vitest), not on its
// time, which depends on the machine (test/bench/startup.mjs measures it).

const BIN = join(ROOT, 'bin/relance.js');
const scratch = mkdtempSync(join(tmpdir(), 'relance-startup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Every module the process loads, one URL a line: ESM through a resolve hook (it runs in
// the loader thread, hence a file), CommonJS from require's cache at exit (Node 20's
// hooks do not see require()).
const HOOKS = join(scratch, 'hooks.mjs');
writeFileSync(HOOKS, `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(log, resolved.url + '\\n');
  return resolved;
}
`);
const RECORD = join(scratch, 'record.mjs');
writeFileSync(RECORD, `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
const log = process.env.RELANCE_MODULE_LOG;
register(${JSON.stringify(pathToFileURL(HOOKS).href)}, import.meta.url, { data: { log } });
process.on('exit', () => {
  for (const file of Object.keys(createRequire(import.meta.url).cache)) appendFileSync(log, pathToFileURL(file).href + '\\n');
});
`);

/** The modules `relance <args>` loads, run in `cwd`: packages by name, relance's own files by path. */
function loadedBy(args: string[], cwd: string): { code: number | null; urls: string[]; packages: string[]; own: string[] } {
  const log = join(scratch, 'modules.txt');
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(RECORD).href, BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, RELANCE_MODULE_LOG: log } });
  const urls = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
  const root = pathToFileURL(ROOT).href.replace(/\/?$/, '/');
  const packages = new Set<string>();
  const own: string[] = [];
  for (const url of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m) packages.add(m[1]!);
    else if (url.startsWith(root)) own.push(url.slice(root.length));
  }
  return { code: r.status, urls, packages: [...packages].sort(), own };
}

describe('relance starts without loading what it does not run', () => {
  it('--help loads the declarations, and neither commander, nor zod, nor any command', () => {
    const r = loadedBy(['--help'], ROOT);
    expect(r.code).toBe(0);
    expect(r.packages).toEqual([]);
    expect(r.own).toContain('dist/commands/plan-options.js'); // the recorder works: the declarations are loaded…
    expect(r.own.filter((f) => /^dist\/commands\/[a-z]+\.js$/.test(f) && f !== 'dist/commands/options.js' && f !== 'dist/commands/help.js')).toEqual([]); // …no command
  });

  it('init loads only its own module: no commander, no zod, no yaml, no SQLite, no templates', () => {
    const dir = mkdtempSync(join(scratch, 'init-'));
    const r = loadedBy(['init'], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'relance.yaml'), 'utf8')).toContain('company:');
    expect(r.packages).toEqual([]);
    expect(r.own.filter((f) => /^dist\/commands\/[a-z]+\.js$/.test(f) && f !== 'dist/commands/options.js' && f !== 'dist/commands/help.js')).toEqual(['dist/commands/init.js']);
    expect(r.own.filter((f) => /^dist\/(journal|render|mail|read\/(tabular|table|xlsx))/.test(f))).toEqual([]);
  });

  it('a command that reads data does load zod, once: options and configuration share it', () => {
    const r = loadedBy(['plan', '--balance', 'fixtures/sage100/balance.csv', '--as-of', '2026-11-16', '--format', 'json'], ROOT);
    expect(r.code).toBe(0);
    const zod = r.urls.filter((u) => u.includes('/node_modules/zod/'));
    expect(zod.length).toBeGreaterThan(0);
    expect(zod.filter((u) => u.endsWith('.cjs'))).toEqual([]); // not a second, CommonJS copy for the options
  });
});

describe('relance --help without the options of the commands it lists', () => {
  it('lists every command as commander would with its options registered: `name [options] args`', async () => {
    const { stdout } = await runCli(['--help']);
    for (const { spec } of COMMANDS) {
      const term = [spec.name, '[options]', ...(spec.args ?? []).map((a) => a.syntax)].join(' ');
      expect(stdout, spec.name).toMatch(new RegExp(`^ {2}${term.replace(/[[\].]/g, '\\$&')} `, 'm'));
    }
  });

  it('still registers the options of the command that runs, also after help', async () => {
    for (const args of [['plan', '--dayz', '3'], ['help', 'plan'], ['plan', '--help']]) {
      const r = await runCli(args);
      expect(r.stdout + r.stderr, args.join(' ')).toMatch(/--days/);
    }
  });
});

describe('relance --help and plain runs without commander', () => {
  const silent: Context = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: ROOT, now: () => new Date(), env: {}, color: false, columns: 80, stderrIsTTY: false };

  it("prints commander's own help, byte for byte, at every width", async () => {
    const lib = await import('commander');
    const specs = COMMANDS.map((c) => c.spec);
    for (let width = 1; width <= 200; width++) {
      const program = buildProgram(lib, silent, () => {}, ['--help']);
      program.configureHelp({ ...program.configureHelp(), helpWidth: width });
      expect(programHelp(specs, width), `${width} colonnes`).toBe(program.helpInformation());
    }
  });

  it('--help, -h, help and no argument print it; anything else goes to commander', async () => {
    const { stdout } = await runCli(['--help']);
    expect(stdout).toBe(programHelp(COMMANDS.map((c) => c.spec), 80));
    for (const args of [['-h'], ['help']]) expect((await runCli(args)).stdout, args.join(' ')).toBe(stdout);
    expect(await runCli([])).toEqual({ code: 0, stdout: '', stderr: stdout });
    expect((await runCli(['help', 'nope'])).stderr).toBe(stdout); // commander's, the same text
  });

  it("runs a command given only its own bare flags with the options commander would collect", () => {
    for (const { spec } of COMMANDS) {
      const bare = Object.values(spec.options).filter((d) => d.schema === flagValue && /^--[a-z-]+$/.test(d.flag) && !d.flag.startsWith('--no-'));
      const argv = [spec.name, ...bare.map((d) => d.flag)];
      const plain = plainRun(argv);
      if ((spec.args ?? []).length > 0) {
        expect(plain, spec.name).toBeNull();
        continue;
      }
      const cmd = addOptions(new Command(spec.name), spec.options).exitOverride();
      cmd.parse(argv.slice(1), { from: 'user' });
      expect(plain?.raw, spec.name).toEqual(cmd.opts());
      expect(plainRun([spec.name])?.raw, spec.name).toEqual({});
    }
    for (const argv of [['init', '--forc'], ['init', '-f'], ['init', '--force=1'], ['init', 'x'], ['init', '--'], ['init', '--help'], ['plan', '--days', '3'], ['nope'], ['help', 'init']]) {
      expect(plainRun(argv), argv.join(' ')).toBeNull();
    }
  });
});

describe('the recorded z the declarations are written with', () => {
  it('is inert until parsed: no promise, no matcher, nothing but the builders', () => {
    const probed = dateValue as unknown as Record<string, unknown>;
    expect([probed.then, probed.asymmetricMatch, probed.toJSON, probed.safeParse]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('parses as zod would, bare flags without zod', () => {
    const defs = { from: { flag: '--from <AAAA-MM-JJ>', help: 'début', schema: dateValue.optional() }, close: { flag: '--close', help: 'clôt', schema: flagValue } };
    expect(parseOptions(defs, { from: '2026-02-28' })).toEqual({ from: '2026-02-28', close: false });
    expect(() => parseOptions(defs, { from: '2026-02-30' })).toThrow('date impossible pour --from');
  });
});
