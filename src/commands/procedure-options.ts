/** The options of `relance procedure`, apart so that cli.ts registers them without loading the command. */
import { PROCEDURE_TYPES } from '../core/procedure.js';
import { choiceValue, dateValue, flagValue, textValue, type OptionDefs } from './options.js';

/** The options of `relance procedure`, declared once (help, README table, parsing). */
export const PROCEDURE_OPTIONS = {
  type: { flag: '--type <type>', help: 'sauvegarde, redressement ou liquidation (obligatoire, sauf avec --close)', schema: choiceValue(PROCEDURE_TYPES).optional(), example: 'redressement' },
  jugement: { flag: '--jugement <AAAA-MM-JJ>', help: "date du jugement d'ouverture (obligatoire, sauf avec --close)", schema: dateValue.optional(), example: '2026-11-02' },
  bodacc: {
    flag: '--bodacc <AAAA-MM-JJ>', help: 'date de publication du jugement au BODACC : la déclaration est à faire dans les deux mois (R622-24)', schema: dateValue.optional(), example: '2026-11-12',
  },
  mandataire: {
    flag: '--mandataire <texte>', help: "« nom, adresse » du mandataire judiciaire (du liquidateur en liquidation), destinataire de la déclaration ; sans lui, l'adresse est à compléter sur la lettre",
    schema: textValue.optional(), example: '"Maître Anne Martin, 12 rue de la Bourse, 69002 Lyon"',
  },
  out: { flag: '--out <fichier>', help: 'déclaration de créance à écrire', defaultLabel: 'declaration-creance-CLIENT-JUGEMENT.html', schema: textValue.optional(), example: 'declaration.html' },
  close: { flag: '--close', help: 'met fin à la procédure en cours à la date --as-of : les relances reprennent (avec --reason)', schema: flagValue },
  reason: { flag: '--reason <texte>', help: 'motif de la fin de la procédure (obligatoire avec --close)', schema: textValue.optional(), example: '"plan de sauvegarde arrêté"' },
} satisfies OptionDefs;
