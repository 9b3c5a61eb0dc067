/** The options of `relance promise`, declared once (commander flags, help, types, README table). */
import { caseAmountValue, caseDateValue, CASE_OPTIONS, CLIENT_ARGUMENT, reasonValue, refsValue } from './case-options.js';
import { flagValue, type CommandSpec, type OptionDefs } from './options.js';

export const PROMISE_OPTIONS = {
  ...CASE_OPTIONS,
  date: { flag: '--date <AAAA-MM-JJ>', help: 'date promise (obligatoire)', schema: caseDateValue('--date'), example: '2026-11-30' },
  invoices: { flag: '--invoices <refs>', help: 'factures concernées, séparées par des virgules', defaultLabel: 'toutes', schema: refsValue, example: 'FA2026-0030,FA2026-0033' },
  amount: { flag: '--amount <montant>', help: 'montant promis en euros', schema: caseAmountValue('--amount'), example: '1500' },
  replace: { flag: '--replace', help: 'remplace la promesse en cours du client (l\'ancienne reste au journal)', schema: flagValue },
  cancel: { flag: '--cancel', help: 'annule la promesse en cours : les relances reprennent (avec --reason)', schema: flagValue },
  reason: { flag: '--reason <texte>', help: 'motif de l\'annulation ou du remplacement', schema: reasonValue, example: '"virement décalé"' },
} satisfies OptionDefs;

export const PROMISE_COMMAND: CommandSpec<typeof PROMISE_OPTIONS> = {
  name: 'promise',
  description: 'note une promesse de paiement : relances suspendues jusqu\'à la date (plus le délai de grâce)',
  args: [CLIENT_ARGUMENT],
  options: PROMISE_OPTIONS,
};
