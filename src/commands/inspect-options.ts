/** The options of `relance inspect`, declared once (the command still takes commander's raw values). */
import { INPUT_OPTIONS, limitValue, WIDE_OPTION } from './input-options.js';
import type { CommandSpec, OptionDefs } from './options.js';

export const INSPECT_OPTIONS = {
  ...INPUT_OPTIONS,
  limit: {
    flag: '--limit <n>', help: "nombre d'enregistrements montrés, en table comme en json/csv", defaultLabel: '10 en table, tous en json/csv', schema: limitValue, example: '20',
  },
  wide: WIDE_OPTION,
} satisfies OptionDefs;

export const INSPECT_COMMAND: CommandSpec<typeof INSPECT_OPTIONS> = {
  name: 'inspect',
  description: 'montre ce que relance comprend de chaque fichier : format, encodage, colonnes, premiers enregistrements',
  args: [{ syntax: '[fichiers...]', help: 'fichiers à examiner (nature détectée)' }],
  options: INSPECT_OPTIONS,
};
