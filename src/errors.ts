import { formatDateFr, impossibleDate } from './core/dates.js';

/**
 * Typed errors. Readers, core and renderers throw them; only cli.ts prints them and
 * sets the exit code. Messages are whole French sentences for the user.
 */
export class RelanceError extends Error {
  /** What to do about it, printed on a `conseil :` line. */
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(message: string, hint?: string, exitCode = 1) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
    this.exitCode = exitCode;
  }
}

/** A bad command line: unknown option value, conflicting flags, missing argument. */
export class UsageError extends RelanceError {}

/** A file that cannot be trusted: unreadable, truncated, bad values, wrong totals. */
export class DataError extends RelanceError {}

/** A configuration file that does not validate. */
export class ConfigError extends RelanceError {}

/**
 * The error for a date option written AAAA-MM-JJ that names no day (`--as-of
 * 2026-02-30`): called impossible, with why, rather than badly formatted. Null when the
 * value is not of that shape or is a real date (the caller's own message applies).
 */
export function impossibleDateOption(flag: string, value: string): UsageError | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const why = impossibleDate(value);
  if (why === null) return null;
  return new UsageError(
    `date impossible pour ${flag} : « ${value} » (${why.reason}).`,
    why.lastDay !== null
      ? `le dernier jour du mois est le ${formatDateFr(why.lastDay)} : ${flag} ${why.lastDay}.`
      : `écrivez une date qui existe, au format AAAA-MM-JJ (mois de 01 à 12, jour à partir de 01).`,
  );
}

/** How serious a finding is: errors reject the file, warnings are listed by `check`. */
export type Severity = 'erreur' | 'avertissement' | 'info';

/** One thing found wrong (or worth knowing) in the input, with where and how to fix it. */
export interface Finding {
  severity: Severity;
  /** Stable identifier, documented in the README (e.g. `valeur-illisible`). */
  code: string;
  file: string;
  line: number | null;
  column: string | null;
  value: string | null;
  message: string;
  hint: string | null;
}

/** Builds a finding; fields not given are null. */
export function finding(
  severity: Severity,
  code: string,
  at: { file: string; line?: number | null; column?: string | null; value?: string | null },
  message: string,
  hint?: string | null,
): Finding {
  return {
    severity,
    code,
    file: at.file,
    line: at.line ?? null,
    column: at.column ?? null,
    value: at.value ?? null,
    message,
    hint: hint ?? null,
  };
}

// Controls (C0, DEL, C1) and invisible format characters (zero-width, bidi, BOM, soft hyphen).
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/**
 * A value from a file as a message quotes it, `« 45 000,00 € »`: invisible and control
 * characters are shown escaped (`\u0080`), so that the user sees what is in the file.
 */
export function quoted(value: string): string {
  const shown = value.replace(INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `« ${shown} »`;
}

/** `fichier.csv, ligne 12, colonne « Échéance »`: where a finding is. */
export function describeWhere(f: Pick<Finding, 'file' | 'line' | 'column'>): string {
  let where = f.file;
  if (f.line !== null) where += `, ligne ${f.line}`;
  if (f.column !== null) where += `, colonne ${quoted(f.column)}`;
  return where;
}

const MAX_LISTED = 20;

/**
 * The error that rejects a whole file because of the error-level findings it produced.
 * Lists them (the first twenty) so one run shows everything to fix.
 */
export function rejectFile(file: string, errors: Finding[]): DataError {
  const first = errors[0]!;
  if (errors.length === 1) {
    return new DataError(
      `${describeWhere(first)} : ${first.message}. Le fichier est rejeté en entier.`,
      first.hint ?? undefined,
    );
  }
  const lines = errors.slice(0, MAX_LISTED).map((f) => {
    const where = [f.line !== null ? `ligne ${f.line}` : null, f.column !== null ? `colonne ${quoted(f.column)}` : null]
      .filter(Boolean)
      .join(', ');
    return `  - ${where ? `${where} : ` : ''}${f.message}`;
  });
  if (errors.length > MAX_LISTED) lines.push(`  - … et ${errors.length - MAX_LISTED} autres`);
  const hints = [...new Set(errors.map((f) => f.hint).filter((h): h is string => h !== null))];
  return new DataError(
    `${file} : ${errors.length} erreurs, le fichier est rejeté en entier :\n${lines.join('\n')}`,
    hints.length > 0 ? hints.join('\nconseil : ') : undefined,
  );
}
