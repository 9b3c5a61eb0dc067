import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addOptions, centsValue, choiceValue, dateValue, flagValue, optionTable, parseOptions, textValue } from '../../src/commands/options.js';
import { UsageError } from '../../src/errors.js';

const defs = {
  from: { flag: '--from <AAAA-MM-JJ>', help: 'début de la période', schema: dateValue.optional(), example: '2026-01-01' },
  type: { flag: '--type <type>', help: 'type de procédure', schema: choiceValue(['sauvegarde', 'redressement', 'liquidation'] as const), example: 'redressement' },
  min: { flag: '--min <montant>', help: 'montant minimum', schema: centsValue.optional(), example: '500' },
  reason: { flag: '--reason <texte>', help: 'motif', schema: textValue.optional() },
  close: { flag: '--close', help: 'clôt la procédure', schema: flagValue },
};

function errorOf(raw: Record<string, unknown>): UsageError {
  try {
    parseOptions(defs, raw);
  } catch (err) {
    return err as UsageError;
  }
  throw new Error('expected a usage error');
}

describe('one declaration of a command\'s options', () => {
  it('converts what commander collected: dates, choices, euros as cents, bare flags', () => {
    const cmd = addOptions(new Command('x').exitOverride(), defs);
    cmd.parse(['--from', '2026-02-28', '--type', 'liquidation', '--min', '1 500,50', '--close'], { from: 'user' });
    expect(parseOptions(defs, cmd.opts())).toEqual({ from: '2026-02-28', type: 'liquidation', min: 150050, reason: undefined, close: true });
  });

  it('names the flag, the value and an example when a value is refused', () => {
    const e = errorOf({ from: '2026-13-01', type: 'liquidation' });
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toContain('--from');
    expect(e.message).toContain('2026-13-01');
    const wrong = errorOf({ type: 'faillite' });
    expect(wrong.message).toBe('valeur invalide pour --type : « faillite » (valeurs possibles : sauvegarde, redressement, liquidation).');
    expect(wrong.hint).toContain('--type redressement');
  });

  it('says a required option is missing, and the impossible day of a date', () => {
    expect(errorOf({}).message).toBe('--type est obligatoire.');
    expect(errorOf({ from: '2026-02-30', type: 'sauvegarde' }).message).toContain('date impossible pour --from');
  });

  it('gives the README\'s option table from the same declaration', () => {
    expect(optionTable(defs).split('\n')).toContain('| `--close` | clôt la procédure |');
  });
});
