/** The options of `relance journal`, declared once (the command still takes commander's raw values). */
import { configOption, FORMAT_OPTION, journalOption, limitOption, WIDE_OPTION } from './input-options.js';
import { z, type CommandSpec, type OptionDefs } from './options.js';

export const JOURNAL_OPTIONS = {
  client: { flag: '--client <code>', help: 'un seul client', schema: z.string().optional(), example: 'CBELLEC' },
  step: { flag: '--step <étape>', help: 'une seule étape (preventive, relance1…)', schema: z.string().optional(), example: 'relance1' },
  from: { flag: '--from <AAAA-MM-JJ>', help: 'à partir de cette date', schema: z.string().optional(), example: '2026-11-01' },
  to: { flag: '--to <AAAA-MM-JJ>', help: "jusqu'à cette date", schema: z.string().optional(), example: '2026-11-30' },
  journal: journalOption(),
  config: configOption(),
  format: FORMAT_OPTION,
  limit: limitOption('actions les plus récentes (toujours par date)'),
  wide: WIDE_OPTION,
} satisfies OptionDefs;

export const JOURNAL_COMMAND: CommandSpec<typeof JOURNAL_OPTIONS> = {
  name: 'journal',
  description: 'liste les actions enregistrées : envois, échecs, tâches à faire',
  options: JOURNAL_OPTIONS,
};
