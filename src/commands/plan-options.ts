/** The options of `relance plan`, declared once (commander flags, help, types, README table). */
import { UsageError } from '../errors.js';
import { INPUT_OPTIONS, journalOption, limitOption, WIDE_OPTION } from './input-options.js';
import { flagValue, textValue, wholeNumberValue, type CommandSpec, type OptionDefs } from './options.js';

/** The plan's horizon: up to a month ahead, one day being today only. */
const MAX_PLAN_DAYS = 31;

/** `--days N`: 1 to 31; undefined leaves planDays of the configuration. */
const daysValue = wholeNumberValue(1, MAX_PLAN_DAYS, (raw) =>
  new UsageError(`nombre de jours invalide pour --days : « ${raw} ».`, `donnez un entier de 1 à ${MAX_PLAN_DAYS} (1 : aujourd'hui seulement, 7 : la semaine).`),
);

export const PLAN_OPTIONS = {
  ...INPUT_OPTIONS,
  days: { flag: '--days <n>', help: 'horizon en jours', defaultLabel: 'planDays de la configuration, 7', schema: daysValue, example: '7' },
  journal: journalOption('journal SQLite des actions déjà faites'),
  detail: { flag: '--detail', help: 'liste les factures de chaque action', schema: flagValue },
  explain: { flag: '--explain', help: 'détaille le calcul du score de chaque action', schema: flagValue },
  letters: { flag: '--letters <dossier>', help: 'écrit les documents de chaque action : e-mails (.eml) et lettres imprimables (.html)', schema: textValue.optional(), example: 'lettres' },
  limit: limitOption('premières actions par rang (les totaux les comptent toutes)'),
  wide: WIDE_OPTION,
} satisfies OptionDefs;

export const PLAN_COMMAND: CommandSpec<typeof PLAN_OPTIONS> = {
  name: 'plan',
  description: 'les relances de la semaine, les plus importantes d\'abord : segment, étape, canal, factures, euros à risque',
  options: PLAN_OPTIONS,
};
