/**
 * The options of `relance penalites`, declared once (help, README table, types). Apart
 * from penalites.ts so that the CLI registers them without loading the command
 * (commands are loaded only when they run).
 */
import { INPUT_OPTIONS } from './input-options.js';
import { dateValue, flagValue, textValue, type CommandSpec, type OptionDefs } from './options.js';

export const PENALITES_OPTIONS = {
  ...INPUT_OPTIONS,
  from: { flag: '--from <AAAA-MM-JJ>', help: 'début de la période des règlements', schema: dateValue.optional(), example: '2026-01-01', defaultLabel: '12 mois avant --to' },
  to: { flag: '--to <AAAA-MM-JJ>', help: 'fin de la période des règlements', schema: dateValue.optional(), example: '2026-10-31', defaultLabel: 'la date d\'arrêté' },
  client: { flag: '--client <code>', help: 'un seul client', schema: textValue.optional(), example: 'CDUPONT' },
  letters: { flag: '--letters <dossier>', help: 'écrit un relevé des pénalités de retard par client (lettre HTML imprimable et e-mail en texte)', schema: textValue.optional(), example: 'releves' },
  journal: { flag: '--journal <fichier>', help: 'journal SQLite, lu sans écrire : échéanciers, litiges, pertes et procédures collectives écartent leurs factures', schema: textValue.optional(), example: 'relance.sqlite', defaultLabel: 'RELANCE_JOURNAL, sinon la clé journal' },
  wide: { flag: '--wide', help: 'tableau en entier, sans l\'ajuster à la largeur du terminal', schema: flagValue },
} satisfies OptionDefs;

export const PENALITES_COMMAND: CommandSpec<typeof PENALITES_OPTIONS> = {
  name: 'penalites',
  description: 'factures payées en retard : pénalités L441-10 et indemnités de 40 € (D441-5) encore dues, par client ; relevés avec --letters',
  options: PENALITES_OPTIONS,
};

