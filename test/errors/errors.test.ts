import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { expectGolden } from '../golden.js';
import { runCli } from '../helpers.js';

// The error catalogue: each folder under cases/ holds the input, the `args` of the run,
// and `expected.txt`, the whole expected output on stderr followed by the exit code.
const CASES = new URL('./cases/', import.meta.url);

describe('error catalogue', () => {
  const names = readdirSync(CASES).sort();
  it.each(names)('%s', async (name) => {
    const dir = new URL(`${name}/`, CASES);
    const args = readFileSync(new URL('args', dir), 'utf8').trim().split(/\s+/);
    const { code, stdout, stderr } = await runCli(args, { cwd: dir.pathname });
    const shown = `${stderr}${stdout ? `--- stdout ---\n${stdout}` : ''}--- code de sortie : ${code}\n`;
    expectGolden(shown, new URL('expected.txt', dir).pathname);
  });
});
