/** The options of `relance writeoff`, declared once (commander flags, help, types, README table). */
import { CASE_OPTIONS, INVOICE_ARGUMENT, reasonValue, requireText } from './case-options.js';
import type { CommandSpec, OptionDefs } from './options.js';

export const WRITEOFF_OPTIONS = {
  ...CASE_OPTIONS,
  reason: { flag: '--reason <texte>', help: 'motif (obligatoire)', schema: reasonValue, example: '"liquidation judiciaire"' },
} satisfies OptionDefs;

export const WRITEOFF_COMMAND: CommandSpec<typeof WRITEOFF_OPTIONS> = {
  name: 'writeoff',
  description: 'passe une créance en perte : elle sort des relances',
  args: [INVOICE_ARGUMENT],
  options: WRITEOFF_OPTIONS,
  check: (o) => void requireText(o.reason, '--reason'),
};
