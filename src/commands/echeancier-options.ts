/** The options of `relance echeancier`, declared once (commander flags, help, types, README table). */
import { UsageError } from '../errors.js';
import { caseAmountValue, caseDateValue, CASE_OPTIONS, CLIENT_ARGUMENT, reasonValue, refsValue } from './case-options.js';
import { flagValue, wholeNumberValue, z, type CommandSpec, type OptionDefs } from './options.js';

/** At most five years of monthly instalments: a longer plan is a loan, not a schedule. */
export const MAX_INSTALMENTS = 60;

/** `--installments N`: 1 to 60; undefined when absent (required unless --cancel or --signe alone). */
const installmentsValue = wholeNumberValue(1, MAX_INSTALMENTS, installmentsRefused);

/** The refusal of a missing or wrong `--installments`. */
export function installmentsRefused(raw: string | undefined): UsageError {
  return new UsageError(`nombre d'échéances invalide pour --installments : « ${raw ?? ''} ».`, `donnez un entier de 1 à ${MAX_INSTALMENTS}, par exemple --installments 3.`);
}

export const ECHEANCIER_OPTIONS = {
  ...CASE_OPTIONS,
  invoices: { flag: '--invoices <refs>', help: 'factures de l\'échéancier, séparées par des virgules (obligatoire)', schema: refsValue, example: 'FA2026-0030,FA2026-0033' },
  installments: { flag: '--installments <n>', help: 'nombre d\'échéances (obligatoire)', schema: installmentsValue, example: '3' },
  first: { flag: '--first <AAAA-MM-JJ>', help: 'date de la première échéance (obligatoire)', schema: caseDateValue('--first'), example: '2026-11-20' },
  every: { flag: '--every <période>', help: 'périodicité : 1m, 2w, 15j', defaultLabel: '"1m"', schema: z.string().optional(), example: '1m' },
  downPayment: { flag: '--down-payment <montant>', help: 'acompte en euros', schema: caseAmountValue('--down-payment'), example: '500' },
  mode: { flag: '--mode <mode>', help: 'mode de règlement', defaultLabel: '"virement"', schema: z.string().default('virement'), example: 'prélèvement' },
  out: { flag: '--out <fichier>', help: 'lettre de confirmation', defaultLabel: 'echeancier-CLIENT-DATE.html', schema: z.string().optional(), example: 'echeancier.html' },
  replace: { flag: '--replace', help: 'remplace l\'échéancier en cours du client (l\'ancien reste au journal)', schema: flagValue },
  cancel: { flag: '--cancel', help: 'annule l\'échéancier en cours : ses factures reviennent dans les relances (avec --reason)', schema: flagValue },
  reason: { flag: '--reason <texte>', help: 'motif de l\'annulation ou du remplacement', schema: reasonValue, example: '"nouvel accord"' },
  signe: {
    flag: '--signe <AAAA-MM-JJ>', help: 'date de signature par le client (seule : signe l\'échéancier en cours) ; la prescription repart de cette date (art. 2240 du Code civil)',
    schema: caseDateValue('--signe'), example: '2026-11-18',
  },
} satisfies OptionDefs;

export const ECHEANCIER_COMMAND: CommandSpec<typeof ECHEANCIER_OPTIONS> = {
  name: 'echeancier',
  description: 'enregistre un échéancier de paiement et écrit la lettre de confirmation',
  args: [CLIENT_ARGUMENT],
  options: ECHEANCIER_OPTIONS,
};
