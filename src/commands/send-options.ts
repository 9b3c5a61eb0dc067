/** The options of `relance send`, declared once (the command still takes commander's raw values). */
import { INPUT_OPTIONS, journalOption } from './input-options.js';
import { flagValue, z, type CommandSpec, type OptionDefs } from './options.js';

export const SEND_OPTIONS = {
  ...INPUT_OPTIONS,
  dryRun: { flag: '--dry-run', help: "n'envoie rien et dit ce qui partirait", schema: flagValue },
  max: { flag: '--max <n>', help: "plafond d'e-mails pour cet envoi", defaultLabel: 'mail.maxPerRun, 200', schema: z.string().optional(), example: '300' },
  journal: journalOption(),
} satisfies OptionDefs;

export const SEND_COMMAND: CommandSpec<typeof SEND_OPTIONS> = {
  name: 'send',
  description: "la tâche cron : envoie les relances dues aujourd'hui, les enregistre, jamais deux fois ; sort en 2 si des envois ont échoué, en 4 tant que des messages incertains attendent relance resolve",
  options: SEND_OPTIONS,
};
