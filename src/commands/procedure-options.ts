/** The options of `relance procedure`, apart so that cli.ts registers them without loading the command. */
import { formatDateFr } from '../core/dates.js';
import { PROCEDURE_TYPES } from '../core/procedure-types.js';
import { UsageError } from '../errors.js';
import { CASE_OPTIONS, CLIENT_ARGUMENT } from './case-options.js';
import { choiceValue, dateValue, flagName, flagValue, textValue, type CommandSpec, type OptionDefs } from './options.js';

/** The options of `relance procedure`, declared once (help, README table, parsing). */
export const PROCEDURE_OPTIONS = {
  ...CASE_OPTIONS,
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

export const PROCEDURE_COMMAND: CommandSpec<typeof PROCEDURE_OPTIONS> = {
  name: 'procedure',
  description: 'client en procédure collective : arrête ses relances, donne le délai de déclaration de créance (R622-24) et écrit la déclaration au mandataire ; --close y met fin',
  args: [CLIENT_ARGUMENT],
  options: PROCEDURE_OPTIONS,
  check: (o, [client]) => {
    const cmd = `relance procedure ${client}`;
    if (o.format === 'csv') throw new UsageError(`relance procedure n'a pas de sortie csv.`, `--format table (par défaut) ou --format json.`);
    if (o.close) {
      const extra = (['type', 'jugement', 'bodacc', 'mandataire', 'out'] as const).filter((k) => o[k] !== undefined).map((k) => flagName(PROCEDURE_OPTIONS[k]));
      if (extra.length > 0) throw new UsageError(`--close ne se combine pas avec ${extra.join(', ')}.`, `${cmd} --close --reason "…" met fin à la procédure en cours à la date --as-of.`);
      if (o.reason === undefined) throw new UsageError(`--reason est obligatoire avec --close.`, `dites pourquoi la procédure prend fin, par exemple --reason "plan de sauvegarde arrêté".`);
    } else {
      if (o.reason !== undefined) throw new UsageError(`--reason ne s'emploie qu'avec --close.`, `${cmd} --close --reason "…" met fin à la procédure en cours.`);
      if (o.type === undefined) throw new UsageError(`--type est obligatoire.`, `donnez la procédure ouverte : --type sauvegarde, redressement ou liquidation.`);
      if (o.jugement === undefined) throw new UsageError(`--jugement est obligatoire.`, `donnez la date du jugement d'ouverture, par exemple --jugement 2026-11-02.`);
      if (o.bodacc !== undefined && o.bodacc < o.jugement) {
        throw new UsageError(`la publication au BODACC (${formatDateFr(o.bodacc)}) précède le jugement (${formatDateFr(o.jugement)}).`, `vérifiez les deux dates : le BODACC publie le jugement après qu'il a été rendu.`);
      }
    }
  },
};
