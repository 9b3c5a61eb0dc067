/** The options of `relance contentieux`, declared once (commander flags, help, types, README table). */
import { LITIGATION_OUTCOMES, type LitigationOutcome } from '../core/litigation-outcomes.js';
import { UsageError } from '../errors.js';
import { CASE_OPTIONS, CLIENT_ARGUMENT, reasonValue, requireText } from './case-options.js';
import { flagValue, refuse, z, type CommandSpec, type OptionDefs } from './options.js';

const OUTCOME_HINT = 'écrivez --outcome paye (la dette est réglée), abandon (le recouvrement est abandonné) ou perte (ses factures ouvertes passent en perte).';

const outcomeValue = z
  .string()
  .optional()
  .transform((raw, ctx): LitigationOutcome | undefined => {
    if (raw === undefined || raw in LITIGATION_OUTCOMES) return raw as LitigationOutcome | undefined;
    return refuse(ctx, new UsageError(`issue invalide pour --outcome : « ${raw} ».`, OUTCOME_HINT));
  });

export const CONTENTIEUX_OPTIONS = {
  ...CASE_OPTIONS,
  close: { flag: '--close', help: 'clôt la dernière remise au contentieux, à la date --as-of', schema: flagValue },
  outcome: { flag: '--outcome <issue>', help: 'issue : paye, abandon ou perte (perte : ses factures ouvertes passent en perte)', schema: outcomeValue, example: 'paye' },
  reason: { flag: '--reason <texte>', help: 'motif (obligatoire)', schema: reasonValue, example: '"réglé par le client"' },
} satisfies OptionDefs;

export const CONTENTIEUX_COMMAND: CommandSpec<typeof CONTENTIEUX_OPTIONS> = {
  name: 'contentieux',
  description: 'clôt la remise au contentieux d\'un client (--close) : payé, abandonné ou passé en perte',
  args: [CLIENT_ARGUMENT],
  options: CONTENTIEUX_OPTIONS,
  check: (o, [client]) => {
    if (!o.close) {
      throw new UsageError(`--close est obligatoire : relance contentieux clôt la remise au contentieux d'un client.`, `relance contentieux ${client} --close --outcome paye --reason "…" ; relance client ${client} montre le contentieux.`);
    }
    if (o.outcome === undefined) throw new UsageError(`--outcome est obligatoire.`, OUTCOME_HINT);
    requireText(o.reason, '--reason');
  },
};
