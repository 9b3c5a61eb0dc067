/** The options of `relance client`, declared once (the command still takes commander's raw values). */
import { INPUT_OPTIONS, journalOption, WIDE_OPTION } from './input-options.js';
import type { CommandSpec, OptionDefs } from './options.js';

export const CLIENT_OPTIONS = {
  ...INPUT_OPTIONS,
  journal: journalOption(),
  wide: WIDE_OPTION,
} satisfies OptionDefs;

export const CLIENT_COMMAND: CommandSpec<typeof CLIENT_OPTIONS> = {
  name: 'client',
  description: 'l\'histoire d\'un client sur un écran : factures, actions, promesses, litiges, échéanciers, notes, prochaine étape',
  args: [{ syntax: '<client>', help: 'code client' }],
  options: CLIENT_OPTIONS,
};
