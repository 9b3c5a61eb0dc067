import type { CalendarDate } from './core/dates.js';
import { UsageError } from './errors.js';
import type { InputFlags } from './read/inputs.js';
import { TABLE_FORMATS } from './commands/input-options.js';

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
export const FORMATS = TABLE_FORMATS;
export type Format = (typeof FORMATS)[number];

/** Today in Europe/Paris, as a calendar date. */
export function todayInParis(now: Date): CalendarDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
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
