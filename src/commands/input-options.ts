/**
 * The options every command that reads data shares (`--balance` … `--quiet`), declared
 * once: data commands spread INPUT_OPTIONS into theirs. Also the options several
 * commands take with the same meaning (`--format`, `--limit`, `--wide`, `--journal`).
 * Their refusals keep the words the error catalogue pins.
 */
import { isIsoDate, type CalendarDate } from '../core/dates.js';
import { impossibleDateOption, UsageError } from '../errors.js';
import { normaliseEncoding, type Encoding } from '../read/encodings.js';
import type { InputFlags } from '../read/inputs.js';
import { PROFILE_IDS, type ProfileId } from '../read/profile-ids.js';
import { flagValue, refuse, z, type OptionDef, type OptionsOf } from './options.js';

/** A file path or a name passed on as given (resolved against the working directory later). */
export const pathValue = z.string().optional();

/** A repeatable file option: every occurrence, in order; none when absent. */
const filesValue = z.array(z.string()).optional().transform((files) => files ?? []);

/** `--format`: one of the command's formats, `table` unless said otherwise. */
export function formatValue<const T extends readonly [string, ...string[]]>(formats: T, fallback: T[number] = formats[0]) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T[number] => {
      const f = raw ?? fallback;
      if ((formats as readonly string[]).includes(f)) return f;
      return refuse(ctx, new UsageError(`format inconnu pour --format : « ${f} ».`, `valeurs possibles : ${formats.join(', ')}.`));
    });
}

/** The output formats of the reporting commands. */
export const TABLE_FORMATS = ['table', 'json', 'csv'] as const;

/** `--format` of a command whose output is a table, JSON or CSV. */
export const FORMAT_OPTION = {
  flag: '--format <format>', help: 'sortie : table, json ou csv', defaultLabel: '"table"', schema: formatValue(TABLE_FORMATS), example: 'json',
} satisfies OptionDef;

/** `--limit N`: a whole number of 1 or more; null when absent. */
export const limitValue = z
  .string()
  .optional()
  .transform((raw, ctx): number | null => {
    if (raw === undefined) return null;
    const n = Number(raw);
    if (/^\d+$/.test(raw.trim()) && Number.isSafeInteger(n) && n >= 1) return n;
    return refuse(ctx, new UsageError(`nombre invalide pour --limit : « ${raw} ».`, `donnez un nombre entier de 1 ou plus, par exemple --limit 20.`));
  });

/** `--limit N` of a table: which rows it keeps, JSON and CSV staying whole. */
export function limitOption(rows: string) {
  return { flag: '--limit <n>', help: `tableau : seulement les N ${rows} ; JSON et CSV restent complets`, schema: limitValue, example: '20' } satisfies OptionDef;
}

/** `--wide`: tables fit the terminal (COLUMNS, else 80 when piped) unless asked. */
export const WIDE_OPTION = { flag: '--wide', help: 'tableaux en entier, sans les ajuster à la largeur du terminal', schema: flagValue } satisfies OptionDef;

/** `--journal FICHIER`, with what the command keeps there. */
export function journalOption(help = 'journal SQLite') {
  return { flag: '--journal <fichier>', help, defaultLabel: 'RELANCE_JOURNAL, sinon la clé journal', schema: pathValue, example: 'relance.sqlite' } satisfies OptionDef;
}

/** `--config FICHIER`. */
export function configOption(help = 'fichier de configuration', defaultLabel?: string) {
  return { flag: '--config <fichier>', help, schema: pathValue, example: 'relance.yaml', ...(defaultLabel ? { defaultLabel } : {}) } satisfies OptionDef;
}

/** `--as-of`: the as-of date; undefined means today in Paris (the command asks its clock). */
const asOfValue = z
  .string()
  .optional()
  .transform((raw, ctx): CalendarDate | undefined => {
    if (raw === undefined || isIsoDate(raw)) return raw;
    return refuse(
      ctx,
      impossibleDateOption('--as-of', raw) ?? new UsageError(`date d'arrêté invalide pour --as-of : « ${raw} ».`, `écrivez-la AAAA-MM-JJ, par exemple --as-of 2026-11-16.`),
    );
  });

const profileValue = z
  .string()
  .optional()
  .transform((raw, ctx): ProfileId | null => {
    if (raw === undefined) return null;
    if ((PROFILE_IDS as readonly string[]).includes(raw)) return raw as ProfileId;
    return refuse(ctx, new UsageError(`profil inconnu pour --profile : « ${raw} ».`, `valeurs possibles : ${PROFILE_IDS.join(', ')}.`));
  });

const encodingValue = z
  .string()
  .optional()
  .transform((raw, ctx): Encoding | null => {
    if (raw === undefined) return null;
    try {
      return normaliseEncoding(raw);
    } catch (err) {
      if (err instanceof UsageError) return refuse(ctx, err);
      throw err;
    }
  });

/** The input options of every data command, in the order the help lists them. */
export const INPUT_OPTIONS = {
  balance: { flag: '--balance <fichier>', help: 'balance âgée / échéancier clients (créances ouvertes) ; répétable', repeatable: true, schema: filesValue, example: 'balance.csv' },
  payments: { flag: '--payments <fichier>', help: 'liste des règlements clients ; répétable', repeatable: true, schema: filesValue, example: 'reglements.csv' },
  clients: { flag: '--clients <fichier>', help: 'fichier clients (e-mails, conditions de règlement…) ; répétable', repeatable: true, schema: filesValue, example: 'clients.csv' },
  fec: { flag: '--fec <fichier>', help: 'FEC ; répétable pour des exercices consécutifs', repeatable: true, schema: filesValue, example: 'FEC.txt' },
  ledger: {
    flag: '--ledger <fichier>', help: 'écritures exportées par le logiciel (FEC, Sage 100 #MECG, Quadra ASCII, EBP, Cegid TRA) ; répétable', repeatable: true, schema: filesValue, example: 'ecritures.txt',
  },
  sheet: { flag: '--sheet <nom>', help: 'feuille à lire dans les classeurs Excel', defaultLabel: 'la première', schema: pathValue, example: 'Balance' },
  asOf: { flag: '--as-of <AAAA-MM-JJ>', help: "date d'arrêté", defaultLabel: "aujourd'hui, heure de Paris", schema: asOfValue, example: '2026-11-16' },
  profile: { flag: '--profile <logiciel>', help: 'impose le logiciel au lieu de le détecter : sage100, sage50, cegid, ebp, generic', schema: profileValue, example: 'sage100' },
  encoding: { flag: '--encoding <encodage>', help: "impose l'encodage : utf-8, windows-1252, iso-8859-15, cp850, utf-16le", schema: encodingValue, example: 'cp850' },
  config: configOption('fichier de configuration', "./relance.yaml s'il existe"),
  format: FORMAT_OPTION,
  quiet: { flag: '--quiet', help: "n'affiche pas la progression de la lecture (affichée sur un terminal seulement, pour plus de 20 Mo ou 2 s)", schema: flagValue },
} satisfies Record<string, OptionDef>;

/** The parsed input options. */
export type InputOptions = OptionsOf<typeof INPUT_OPTIONS>;

/** What the readers take from the parsed input options; the as-of date defaults to `today`. */
export function inputFlagsOf(opts: Omit<InputOptions, 'format' | 'config' | 'quiet'>, today: () => CalendarDate, files: string[] = []): InputFlags {
  return {
    balance: opts.balance,
    payments: opts.payments,
    clients: opts.clients,
    fec: opts.fec,
    ledger: opts.ledger,
    files,
    sheet: opts.sheet ?? null,
    asOf: opts.asOf ?? today(),
    profile: opts.profile,
    encoding: opts.encoding,
  };
}
