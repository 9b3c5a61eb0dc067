/** The options of `relance pause` and `relance resume`, declared once (commander flags, help, types, README table). */
import { caseDateValue, CASE_OPTIONS, CLIENT_ARGUMENT, reasonValue } from './case-options.js';
import { flagValue, type CommandSpec, type OptionDefs } from './options.js';

export const PAUSE_OPTIONS = {
  ...CASE_OPTIONS,
  until: { flag: '--until <AAAA-MM-JJ>', help: 'fin de la pause (obligatoire)', schema: caseDateValue('--until'), example: '2026-12-15' },
  reason: { flag: '--reason <texte>', help: 'motif de la pause, ou de son annulation (obligatoire)', schema: reasonValue, example: '"procédure de conciliation"' },
  replace: { flag: '--replace', help: 'remplace la pause en cours du client (l\'ancienne reste au journal)', schema: flagValue },
  cancel: { flag: '--cancel', help: 'annule la pause en cours : les relances reprennent (avec --reason)', schema: flagValue },
} satisfies OptionDefs;

export const PAUSE_COMMAND: CommandSpec<typeof PAUSE_OPTIONS> = {
  name: 'pause',
  description: 'suspend les relances d\'un client jusqu\'à une date',
  args: [CLIENT_ARGUMENT],
  options: PAUSE_OPTIONS,
};

/** `relance resume` reads what the other case commands read, and nothing more. */
export const RESUME_OPTIONS = CASE_OPTIONS;

export const RESUME_COMMAND: CommandSpec<typeof RESUME_OPTIONS> = {
  name: 'resume',
  description: 'reprend les relances d\'un client en pause',
  args: [CLIENT_ARGUMENT],
  options: RESUME_OPTIONS,
};
