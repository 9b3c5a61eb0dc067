import { isIsoDate, type CalendarDate } from './core/dates.js';
import { impossibleDateOption, UsageError } from './errors.js';
import { normaliseEncoding } from './read/decode.js';
import type { InputFlags } from './read/inputs.js';
import { PROFILE_IDS, type ProfileId } from './read/profiles.js';

/** A text sink: process.stdout in real runs, a string buffer in tests. */
export interface Out {
  write(text: string): unknown;
}

/** What a command gets from the outside world, so that tests can pass their own. */
export interface Context {
  stdout: Out;
  stderr: Out;
  cwd: string;
  /** The clock: only used to default the as-of date. */
  now: () => Date;
  env: Record<string, string | undefined>;
  /** Whether to colour terminal output. */
  color: boolean;
  /** The width tables must fit: the terminal's columns, else COLUMNS, else 80. */
  columns: number;
  /** Whether stderr is a terminal (progress is only drawn there). */
  stderrIsTTY: boolean;
}

/** The width tables must fit: the terminal's, else `COLUMNS`, else 80 (pipes, cron). */
export function terminalColumns(ttyColumns: number | undefined, env: Record<string, string | undefined>): number {
  if (ttyColumns !== undefined && ttyColumns > 0) return ttyColumns;
  const fromEnv = Number.parseInt(env.COLUMNS ?? '', 10);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 80;
}

/** Output formats of reporting commands. */
export const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** The raw input flags as commander gives them. */
export interface RawInputFlags {
  balance?: string[];
  payments?: string[];
  clients?: string[];
  fec?: string[];
  ledger?: string[];
  sheet?: string;
  asOf?: string;
  profile?: string;
  encoding?: string;
  config?: string;
  format?: string;
  /** No progress line on stderr. */
  quiet?: boolean;
}

/** Today in Europe/Paris, as a calendar date. */
export function todayInParis(now: Date): CalendarDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Validates the shared input flags; rejects bad values with the fix. */
export function inputFlags(raw: RawInputFlags, files: string[], ctx: Context): InputFlags {
  let asOf: CalendarDate;
  if (raw.asOf === undefined) asOf = todayInParis(ctx.now());
  else if (isIsoDate(raw.asOf)) asOf = raw.asOf;
  else {
    throw impossibleDateOption('--as-of', raw.asOf) ?? new UsageError(`date d'arrêté invalide pour --as-of : « ${raw.asOf} ».`, `écrivez-la AAAA-MM-JJ, par exemple --as-of 2026-11-16.`);
  }
  let profile: ProfileId | null = null;
  if (raw.profile !== undefined) {
    if (!(PROFILE_IDS as readonly string[]).includes(raw.profile)) {
      throw new UsageError(`profil inconnu pour --profile : « ${raw.profile} ».`, `valeurs possibles : ${PROFILE_IDS.join(', ')}.`);
    }
    profile = raw.profile as ProfileId;
  }
  return {
    balance: raw.balance ?? [],
    payments: raw.payments ?? [],
    clients: raw.clients ?? [],
    fec: raw.fec ?? [],
    ledger: raw.ledger ?? [],
    files,
    sheet: raw.sheet ?? null,
    asOf,
    profile,
    encoding: raw.encoding === undefined ? null : normaliseEncoding(raw.encoding),
  };
}

/** Validates `--format`. */
export function outputFormat(raw: string | undefined): Format {
  const f = raw ?? 'table';
  if (!(FORMATS as readonly string[]).includes(f)) {
    throw new UsageError(`format inconnu pour --format : « ${f} ».`, `valeurs possibles : ${FORMATS.join(', ')}.`);
  }
  return f as Format;
}

/** Rejects a run with no input file at all. */
export function requireInputs(flags: InputFlags): void {
  const n = flags.balance.length + flags.payments.length + flags.clients.length + flags.fec.length + flags.ledger.length + flags.files.length;
  if (n === 0) {
    throw new UsageError(
      `aucun fichier à lire.`,
      `indiquez au moins un fichier : --balance, --payments, --clients, --fec ou --ledger (par exemple --balance balance.csv).`,
    );
  }
}

/** Validates `--limit`: a positive integer, or null when the flag is absent. */
export function limitOption(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`nombre invalide pour --limit : « ${raw} ».`, `donnez un nombre entier de 1 ou plus, par exemple --limit 20.`);
  }
  return n;
}
