import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli.js';
import { INPUT_OPTIONS } from '../../src/commands/input-options.js';
import { flagName, optionTable } from '../../src/commands/options.js';
import { ROOT, runCli } from '../helpers.js';

// The README's command reference shows each command's options as the table its
// declaration gives: `<!-- options: plan -->` then the table. The input options, shared
// by the data commands, have one table (`<!-- options: entrée -->`); a command's table
// lists the others. RELANCE_PRINT_OPTION_TABLES=1 prints every table, to paste.

const README = readFileSync(`${ROOT}README.md`, 'utf8');
const INPUT = 'entrée';

/** The table after `<!-- options: NAME -->` in the README, or null when there is none. */
function readmeTable(name: string): string | null {
  const lines = README.split('\n');
  const at = lines.indexOf(`<!-- options: ${name} -->`);
  if (at < 0) return null;
  const table: string[] = [];
  for (let i = at + 1; i < lines.length && lines[i]!.startsWith('|'); i++) table.push(lines[i]!);
  return table.join('\n');
}

/** The table a command's declaration gives. */
function declaredTable(name: string): string {
  if (name === INPUT) return optionTable(INPUT_OPTIONS);
  const entry = COMMANDS.find((c) => c.spec.name === name)!;
  return optionTable(entry.spec.options, INPUT_OPTIONS);
}

const NAMES = [INPUT, ...COMMANDS.map((c) => c.spec.name)];

if (process.env.RELANCE_PRINT_OPTION_TABLES === '1') {
  for (const name of NAMES) process.stdout.write(`<!-- options: ${name} -->\n${declaredTable(name)}\n\n`);
}

describe('the README shows every command\'s options as declared', () => {
  it.each(NAMES)('options: %s', (name) => {
    expect(readmeTable(name), `README.md : ajoutez « <!-- options: ${name} --> » suivi de la table`).toBe(declaredTable(name));
  });

  it('finds a table the declaration does not give, and a flag missing from it', () => {
    const plan = declaredTable('plan');
    expect(plan).toContain('| `--days <n>` |');
    expect(readmeTable('plan')).toContain('| `--days <n>` |');
    expect(plan.split('\n').filter((l) => !l.includes('--days')).join('\n')).not.toBe(readmeTable('plan'));
    expect(readmeTable('pas-une-commande')).toBeNull();
  });
});

describe('relance <commande> --help lists exactly the declared flags', () => {
  it.each(COMMANDS.map((c) => c.spec.name))('%s --help', async (name) => {
    const { code, stdout } = await runCli([name, '--help']);
    expect(code).toBe(0);
    const listed = [...stdout.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]!);
    const declared = Object.values(COMMANDS.find((c) => c.spec.name === name)!.spec.options).map(flagName);
    expect(listed).toEqual([...declared, '--help']);
  });
});
