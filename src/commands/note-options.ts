/** The options of `relance note`, declared once (commander flags, help, types, README table). */
import { UsageError } from '../errors.js';
import { CASE_OPTIONS, CLIENT_ARGUMENT } from './case-options.js';
import { flagValue, wholeNumberValue, type CommandSpec, type OptionDefs } from './options.js';

/** `--minutes N`: a whole number of minutes, 1 or more. */
const minutesValue = wholeNumberValue(1, Infinity, (raw) =>
  new UsageError(`durée invalide pour --minutes : « ${raw} ».`, `donnez un nombre entier de minutes, par exemple --minutes 5.`),
);

export const NOTE_OPTIONS = {
  ...CASE_OPTIONS,
  call: { flag: '--call', help: 'c\'est un appel (compte comme une action)', schema: flagValue },
  minutes: { flag: '--minutes <n>', help: 'durée de l\'appel', schema: minutesValue, example: '5' },
} satisfies OptionDefs;

export const NOTE_COMMAND: CommandSpec<typeof NOTE_OPTIONS> = {
  name: 'note',
  description: 'ajoute une note ou un appel (--call) : un appel fait la tâche d\'appel du plan',
  args: [CLIENT_ARGUMENT, { syntax: '<texte>', help: 'la note' }],
  options: NOTE_OPTIONS,
  check: (o, [client, text]) => {
    if (!text || text.trim() === '') throw new UsageError(`le texte de la note est vide.`, `relance note ${client} "appel : paiement promis vendredi"`);
    if (o.minutes !== undefined && !o.call) throw new UsageError(`--minutes ne s'emploie qu'avec --call.`, `relance note ${client} "…" --call --minutes ${o.minutes}`);
  },
};
