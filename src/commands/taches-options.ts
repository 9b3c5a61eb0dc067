/** The options of `relance taches` and `relance fait`, apart so that cli.ts registers them without loading the commands. */
import { choiceValue, dateValue, textValue, type CommandSpec, type OptionDefs } from './options.js';

/** What both commands read: the journal, the configuration, the date. */
const COMMON = {
  journal: { flag: '--journal <fichier>', help: 'journal SQLite', defaultLabel: 'RELANCE_JOURNAL, sinon la clé journal', schema: textValue.optional(), example: 'relance.sqlite' },
  config: { flag: '--config <fichier>', help: 'fichier de configuration (taskOverdueDays, journal)', defaultLabel: './relance.yaml s\'il existe', schema: textValue.optional(), example: 'relance.yaml' },
} satisfies OptionDefs;

/** The options of `relance taches`, declared once (help, README table, parsing). */
export const TACHES_OPTIONS = {
  format: { flag: '--format <format>', help: 'sortie : table, json ou csv', defaultLabel: 'table', schema: choiceValue(['table', 'json', 'csv'] as const).default('table'), example: 'csv' },
  asOf: { flag: '--as-of <AAAA-MM-JJ>', help: 'date du jour, pour les tâches en retard', defaultLabel: 'aujourd\'hui, heure de Paris', schema: dateValue.optional(), example: '2026-11-20' },
  client: { flag: '--client <code>', help: 'les tâches d\'un seul client', schema: textValue.optional(), example: 'CBELLEC' },
  ...COMMON,
} satisfies OptionDefs;

/** The options of `relance fait`, declared once. */
export const FAIT_OPTIONS = {
  lrar: { flag: '--lrar <numéro>', help: 'numéro de la lettre recommandée (obligatoire pour une LRAR) : gardé comme preuve ; le délai de la mise en demeure court de --date', schema: textValue.optional(), example: '1A12345678901' },
  note: { flag: '--note <texte>', help: 'ce qui a été fait ou dit (un appel : sa teneur)', schema: textValue.optional(), example: '"règlement promis pour vendredi"' },
  date: { flag: '--date <AAAA-MM-JJ>', help: 'jour où la tâche a été faite (la lettre postée)', defaultLabel: 'aujourd\'hui, heure de Paris', schema: dateValue.optional(), example: '2026-11-17' },
  ...COMMON,
} satisfies OptionDefs;

export const TACHES_COMMAND: CommandSpec<typeof TACHES_OPTIONS> = {
  name: 'taches',
  description: 'les tâches à faire par une personne (lettre à poster, LRAR, appel, contentieux, déclaration), les plus anciennes d\'abord',
  options: TACHES_OPTIONS,
};

export const FAIT_COMMAND: CommandSpec<typeof FAIT_OPTIONS> = {
  name: 'fait',
  description: 'clôt une tâche : --lrar NUMÉRO pour une lettre recommandée (le délai d\'une mise en demeure court de son envoi)',
  args: [{ syntax: '<id>', help: 'n° de la tâche (relance taches)' }],
  options: FAIT_OPTIONS,
};
