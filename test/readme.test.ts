import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Journal } from '../src/journal/journal.js';
import { ROOT } from './helpers.js';

// Every command in the README's ```console blocks is run as written, in order, by the
// built binary, and must print exactly what the README shows. The README cannot drift.
//
// Conventions of those blocks:
// - `$ relance …` starts a command; a line ending with `\` continues on the next one;
// - the lines up to the next `$` are its whole output (stdout, then stderr), at 80 columns;
// - a line that is only `…` stands for any number of lines left out of the README.
// The commands run in one scratch folder per block, where `fixtures/` is the repository's,
// so that the journal and the letters they write stay out of the repository.

interface Step {
  line: number;
  command: string;
  expected: string[];
}

const README = readFileSync(`${ROOT}README.md`, 'utf8');
const BIN = `${ROOT}bin/relance.js`;
// The case commands record in an existing journal (only send creates one): the README's
// tour runs them in a folder whose journal the first `relance send` would have created.
const CASE_COMMANDS = new Set(['promise', 'dispute', 'echeancier', 'note', 'pause', 'resume', 'writeoff', 'contentieux', 'procedure']);
const WITHOUT_AS_OF = new Set(['journal', 'init', 'help', '--help', '--version']);

function consoleBlocks(text: string): { line: number; steps: Step[] }[] {
  const lines = text.split('\n');
  const blocks: { line: number; steps: Step[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```console') continue;
    const block = { line: i + 1, steps: [] as Step[] };
    let j = i + 1;
    for (; j < lines.length && lines[j] !== '```'; j++) {
      const l = lines[j]!;
      if (l.startsWith('$ ')) {
        let command = l.slice(2);
        const start = j + 1;
        while (command.endsWith('\\')) command = `${command.slice(0, -1).trimEnd()} ${lines[++j]!.trim()}`;
        block.steps.push({ line: start, command, expected: [] });
      } else {
        const step = block.steps.at(-1);
        if (!step) throw new Error(`README.md:${j + 1}: sortie sans commande avant elle`);
        step.expected.push(l);
      }
    }
    blocks.push(block);
    i = j;
  }
  return blocks;
}

/** Splits a shell command line into words, honouring double and single quotes. */
function words(command: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(command); m; m = re.exec(command)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** Whether `actual` lines match `expected`, where a lone `…` matches any run of lines. */
function matches(expected: string[], actual: string[]): boolean {
  const go = (e: number, a: number): boolean => {
    if (e === expected.length) return a === actual.length;
    if (expected[e] === '…') {
      for (let k = a; k <= actual.length; k++) if (go(e + 1, k)) return true;
      return false;
    }
    return a < actual.length && expected[e] === actual[a] && go(e + 1, a + 1);
  };
  return go(0, 0);
}

const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

const blocks = consoleBlocks(README);

describe('the README runs as written', () => {
  it('has console blocks to run', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  describe.each(blocks.map((b) => [`bloc de la ligne ${b.line}`, b] as const))('%s', (_, block) => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-readme-'));
    scratch.push(dir);
    symlinkSync(`${ROOT}fixtures`, join(dir, 'fixtures'));

    it.each(block.steps.map((s) => [`README.md:${s.line} $ ${s.command}`, s] as const))('%s', (_, step) => {
      const argv = words(step.command);
      expect(argv[0], 'chaque commande du README commence par « relance »').toBe('relance');
      const args = argv.slice(1);
      if (!WITHOUT_AS_OF.has(args[0] ?? '') && !args.includes('--help')) {
        expect(args, 'chaque exemple fixe sa date avec --as-of, pour que sa sortie ne change pas').toContain('--as-of');
      }
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, LANG: 'C.UTF-8' };
      if (CASE_COMMANDS.has(args[0] ?? '') && !existsSync(join(dir, 'relance.sqlite'))) Journal.open(join(dir, 'relance.sqlite')).close();
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env, encoding: 'utf8' });
      const actual = `${r.stdout}${r.stderr}`.replace(/\n$/, '').split('\n');
      const expected = step.expected.at(-1) === '' ? step.expected.slice(0, -1) : step.expected;
      if (!matches(expected, actual)) expect(actual.join('\n')).toBe(expected.join('\n'));
    });
  });
});
