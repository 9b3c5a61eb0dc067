/** The options of `relance check`, declared once (the command still takes commander's raw values). */
import { INPUT_OPTIONS, limitOption, WIDE_OPTION } from './input-options.js';
import type { CommandSpec, OptionDefs } from './options.js';

export const CHECK_OPTIONS = {
  ...INPUT_OPTIONS,
  limit: limitOption('premiers constats (erreurs, puis avertissements, puis informations)'),
  wide: WIDE_OPTION,
} satisfies OptionDefs;

export const CHECK_COMMAND: CommandSpec<typeof CHECK_OPTIONS> = {
  name: 'check',
  description: 'contrôle les données (doublons, dates, montants, e-mails, totaux) ; sort en 1 s\'il y a une erreur',
  options: CHECK_OPTIONS,
};
