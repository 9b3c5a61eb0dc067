/** The options of `relance dispute`, declared once (commander flags, help, types, README table). */
import { UsageError } from '../errors.js';
import { CASE_OPTIONS, INVOICE_ARGUMENT, reasonValue } from './case-options.js';
import { flagValue, type CommandSpec, type OptionDefs } from './options.js';

export const DISPUTE_OPTIONS = {
  ...CASE_OPTIONS,
  reason: { flag: '--reason <texte>', help: 'motif du litige', schema: reasonValue, example: '"livraison incomplète"' },
  close: { flag: '--close', help: 'clôt le litige : la facture revient dans les relances', schema: flagValue },
  creditNote: { flag: '--credit-note', help: 'avec --close : le litige est réglé par un avoir', schema: flagValue },
  replace: { flag: '--replace', help: 'avec --reason : change le motif du litige ouvert (l\'ancien reste au journal)', schema: flagValue },
} satisfies OptionDefs;

export const DISPUTE_COMMAND: CommandSpec<typeof DISPUTE_OPTIONS> = {
  name: 'dispute',
  description: 'ouvre (--reason) ou clôt (--close) un litige sur une facture : elle sort des relances',
  args: [INVOICE_ARGUMENT],
  options: DISPUTE_OPTIONS,
  check: (o, [ref]) => {
    if (o.close && o.reason !== undefined) throw new UsageError(`--close et --reason ne vont pas ensemble.`, `ouvrez un litige avec --reason, fermez-le avec --close.`);
    if (o.close && o.replace) throw new UsageError(`--close et --replace ne vont pas ensemble.`, `--replace --reason "…" change le motif d'un litige ouvert ; --close le clôt.`);
    if (!o.close && o.creditNote) throw new UsageError(`--credit-note ne s'emploie qu'avec --close.`, `relance dispute ${ref} --close --credit-note`);
  },
};
