import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { Context } from '../../src/context.js';

/** Runs a command whose clock breaks: an error relance did not expect. */
async function runBroken(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const ctx: Context = {
    stdout: { write: () => true },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: process.cwd(),
    now: () => {
      throw new TypeError("Cannot read properties of undefined (reading 'getTime')");
    },
    env,
    color: false,
    columns: 80,
    stderrIsTTY: false,
  };
  const code = await main(['inspect', '--balance', 'fixtures/sage100/balance.csv'], ctx);
  return { code, stderr };
}

describe('the last-resort error printer', () => {
  it('prints one French line with the error message, never a stack trace, and exits 3', async () => {
    const r = await runBroken({});
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      "relance: erreur inattendue : Cannot read properties of undefined (reading 'getTime') (TypeError)\n" +
        "conseil : c'est un défaut de relance ; signalez-le avec la commande lancée et ce message (RELANCE_DEBUG=1 affiche la pile d'appels).\n",
    );
  });

  it('adds the stack trace only with RELANCE_DEBUG=1', async () => {
    const r = await runBroken({ RELANCE_DEBUG: '1' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^relance: erreur inattendue : .*\(TypeError\)\nTypeError: Cannot read .*\n\s+at /);
    expect(r.stderr).toMatch(/conseil : c'est un défaut de relance ; signalez-le avec la commande lancée et ce message\.\n$/);
  });
});
