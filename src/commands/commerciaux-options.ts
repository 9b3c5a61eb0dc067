/** The options of `relance commerciaux` besides the input flags, apart so that cli.ts registers them without loading the command. */
import { flagValue, textValue, type OptionDefs } from './options.js';

/** The options of `relance commerciaux`, declared once (help, README table, parsing). */
export const COMMERCIAUX_OPTIONS = {
  send: {
    flag: '--send',
    help: 'envoie à chaque commercial son récapitulatif par e-mail (RELANCE_SMTP_URL, mail.from), enregistré au journal : jamais deux fois le même jour ; rien avec salesAlerts.enabled: false',
    schema: flagValue,
  },
  journal: { flag: '--journal <fichier>', help: 'journal SQLite', defaultLabel: 'RELANCE_JOURNAL, sinon la clé journal', schema: textValue.optional(), example: 'relance.sqlite' },
} satisfies OptionDefs;
