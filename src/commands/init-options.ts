/** The options of `relance init`, declared once. */
import { flagValue, type CommandSpec, type OptionDefs } from './options.js';

export const INIT_OPTIONS = {
  force: { flag: '--force', help: 'remplace un relance.yaml existant', schema: flagValue },
} satisfies OptionDefs;

export const INIT_COMMAND: CommandSpec<typeof INIT_OPTIONS> = {
  name: 'init',
  description: 'écrit relance.yaml, une configuration commentée avec les valeurs par défaut',
  options: INIT_OPTIONS,
};
