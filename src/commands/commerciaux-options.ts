/** The options of `relance commerciaux`, apart so that cli.ts registers them without loading the command. */
import { UsageError } from '../errors.js';
import { INPUT_OPTIONS } from './input-options.js';
import { flagValue, refuse, textValue, z, type CommandSpec, type OptionDefs } from './options.js';

/** `--format`: the digest is text (`table`, the other commands' word, is taken for it) or JSON. */
const digestFormatValue = z
  .string()
  .optional()
  .transform((raw, ctx): 'text' | 'json' => {
    const f = raw ?? 'text';
    if (f === 'text' || f === 'table') return 'text';
    if (f === 'json') return 'json';
    return refuse(ctx, new UsageError(`format inconnu pour --format : « ${f} ».`, `valeurs possibles : text, json.`));
  });

/** The options of `relance commerciaux`, declared once (help, README table, parsing). */
export const COMMERCIAUX_OPTIONS = {
  ...INPUT_OPTIONS,
  format: { flag: '--format <format>', help: 'sortie : text ou json', defaultLabel: '"text"', schema: digestFormatValue, example: 'json' },
  send: {
    flag: '--send',
    help: 'envoie à chaque commercial son récapitulatif par e-mail (RELANCE_SMTP_URL, mail.from), enregistré au journal : jamais deux fois le même jour ; rien avec salesAlerts.enabled: false',
    schema: flagValue,
  },
  journal: { flag: '--journal <fichier>', help: 'journal SQLite', defaultLabel: 'RELANCE_JOURNAL, sinon la clé journal', schema: textValue.optional(), example: 'relance.sqlite' },
} satisfies OptionDefs;

export const COMMERCIAUX_COMMAND: CommandSpec<typeof COMMERCIAUX_OPTIONS> = {
  name: 'commerciaux',
  description: 'par commercial, ses clients en recouvrement : montants, prochaine étape et sa date ; --send leur envoie leur récapitulatif par e-mail',
  options: COMMERCIAUX_OPTIONS,
};
