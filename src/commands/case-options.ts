/**
 * What the case commands (promise, dispute, echeancier, note, pause, resume, writeoff,
 * contentieux, procedure) declare alike: the input options and the journal, and the
 * values their options are made of, refused in the words users already know.
 */
import { isIsoDate, type CalendarDate } from '../core/dates.js';
import { parseCents, type Cents } from '../core/money.js';
import { impossibleDateOption, UsageError } from '../errors.js';
import { INPUT_OPTIONS, journalOption } from './input-options.js';
import { refuse, z, type ArgumentDef, type OptionDefs, type OptionsOf } from './options.js';

/** The options every case command takes: the exports to check refs against, and the journal. */
export const CASE_OPTIONS = { ...INPUT_OPTIONS, journal: journalOption() } satisfies OptionDefs;

/** The parsed options every case command takes. */
export type CaseInputOptions = OptionsOf<typeof CASE_OPTIONS>;

/** `<client>`: the argument of the commands about one client. */
export const CLIENT_ARGUMENT: ArgumentDef = { syntax: '<client>', help: 'code client' };

/** `<facture>`: the argument of the commands about one invoice. */
export const INVOICE_ARGUMENT: ArgumentDef = { syntax: '<facture>', help: 'numéro de facture' };

/** A date option AAAA-MM-JJ; whether it is required depends on the other options (requireDate). */
export function caseDateValue(flag: string) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): CalendarDate | undefined => {
      if (raw === undefined || isIsoDate(raw)) return raw;
      return refuse(ctx, impossibleDateOption(flag, raw) ?? new UsageError(`date invalide pour ${flag} : « ${raw} ».`, `écrivez-la AAAA-MM-JJ, par exemple ${flag} 2026-11-30.`));
    });
}

/** An amount option in euros (`1234,56`, `1 234.56`), as cents; null when absent. */
export function caseAmountValue(flag: string) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): Cents | null => {
      if (raw === undefined) return null;
      const cents = parseCents(raw);
      if (cents !== null && !Number.isNaN(cents) && cents >= 0) return cents;
      return refuse(ctx, new UsageError(`montant invalide pour ${flag} : « ${raw} ».`, `écrivez un montant en euros, par exemple ${flag} 1500 ou ${flag} "1 500,00".`));
    });
}

/** A text option kept as typed (a reason); requireText says when it must be there. */
export const reasonValue = z.string().optional();

/** A list of refs as typed (`FA1,FA2`): given or not matters to the other options; refsOf splits it. */
export const refsValue = z.string().optional();

/** The refs of a `--invoices FA1,FA2`; none when absent. */
export function refsOf(raw: string | undefined): string[] {
  return raw === undefined ? [] : raw.split(',').map((r) => r.trim()).filter(Boolean);
}

/** A date that the other options make required. */
export function requireDate(value: CalendarDate | undefined, flag: string): CalendarDate {
  if (value === undefined) throw new UsageError(`${flag} est obligatoire.`, `écrivez la date AAAA-MM-JJ, par exemple ${flag} 2026-11-30.`);
  return value;
}

/** A non-empty text that the other options make required (a reason), trimmed. */
export function requireText(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} est obligatoire.`, `expliquez en quelques mots, par exemple ${flag} "livraison incomplète".`);
  return value.trim();
}
