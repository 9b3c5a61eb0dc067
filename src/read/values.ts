import { BAD_DATE, impossibleDate, parseDate, type CalendarDate } from '../core/dates.js';
import { parseCents, type Cents } from '../core/money.js';
import { finding, quoted, type Finding } from '../errors.js';
import { detach } from './stream.js';

export const DATE_HINT =
  'les dates sont lues aux formats JJ/MM/AAAA, JJ/MM/AA, JJMMAA, AAAAMMJJ ou AAAA-MM-JJ ; corrigez la valeur dans le logiciel et ré-exportez';
export const IMPOSSIBLE_DATE_HINT = "cette date n'existe pas au calendrier : corrigez-la dans le logiciel et ré-exportez";
export const AMOUNT_HINT =
  'les montants sont lus comme 1 234,56 / 1234.56 / -1 234,56 / 1 234,56- / (1 234,56), avec ou sans « € » ou « EUR » ; corrigez la valeur dans le logiciel et ré-exportez';

/** Turns a cell read as Latin-1 into the file's single-byte encoding (see latin1FixUp), if any. */
export type Fix = ((s: string) => string) | null;

/**
 * An amount in cents (see parseCents), null when blank, NaN when unreadable. A cell read
 * as Latin-1 holds a Windows-1252 `€` (0x80) as U+0080, an ISO-8859-15 one (0xA4) as
 * `¤`: only a cell that does not read as it is gets fixed up and read again, so the
 * millions of plain amounts pay nothing for it.
 */
export function amountCents(text: string, fix: Fix): Cents | null {
  const c = parseCents(text);
  if (fix === null || c === null || !Number.isNaN(c)) return c;
  const fixed = fix(text);
  return fixed === text ? c : parseCents(fixed);
}

/**
 * Reads the values of one file's rows and collects, rather than throws, what is
 * unreadable: a file's bad values are all reported at once, then the file is rejected.
 */
export class ValueReader {
  readonly findings: Finding[] = [];
  private readonly strings = new Map<string, string>();

  constructor(private readonly file: string) {}

  /**
   * A date, null when blank or `01/01/1900`; records an error for garbage. `fix` turns a
   * cell read as Latin-1 into the file's encoding (only needed to quote a bad value).
   */
  date(text: string, line: number, column: string, fix: Fix = null): CalendarDate | null {
    const d = parseDate(text);
    if (d === BAD_DATE) {
      const shown = fix ? fix(text) : text;
      // A date that is well written but not in the calendar is a typo in the software, not a format problem.
      const why = impossibleDate(text);
      if (why) this.error('valeur-illisible', line, column, shown, `date impossible ${quoted(shown.trim())} (${why.reason})`, IMPOSSIBLE_DATE_HINT);
      else this.error('valeur-illisible', line, column, shown, `date illisible ${quoted(shown.trim())}`, DATE_HINT);
      return null;
    }
    return d;
  }

  /** An amount in cents, null when blank; records an error for garbage (see amountCents for `fix`). */
  cents(text: string, line: number, column: string, fix: Fix = null): Cents | null {
    const c = amountCents(text, fix);
    if (c !== null && Number.isNaN(c)) {
      const shown = fix ? fix(text) : text;
      this.error('valeur-illisible', line, column, shown, `montant illisible ${quoted(shown.trim())}`, AMOUNT_HINT);
      return null;
    }
    return c;
  }

  /**
   * The trimmed text, shared with identical strings already seen (client codes, names).
   * `recent` is a column's own memory of its last few strings (see recentStrings).
   */
  shared(text: string, recent: string[] = this.recent): string {
    // Rows of one client follow each other, a column holds few distinct modes: the last
    // few strings asked are the likeliest hits, and cheaper to compare than a map lookup
    // (which reads the string, the table and the key: several cache misses).
    for (let k = 0; k < recent.length; k += 2) if (recent[k] === text) return recent[k + 1]!;
    const own = this.intern(text);
    recent.splice(0, 2);
    // The raw text is kept copied: it may be a slice of a whole chunk of the file.
    recent.push(text === own ? own : detach(text), own);
    return own;
  }

  /**
   * The shared text of a value that goes with a key already shared, e.g. a client's name
   * with its code: one string comparison when the key came with the same text last time.
   */
  sharedWith(key: string, text: string): string {
    const last = this.byKey.get(key);
    if (last !== undefined && last[0] === text) return last[1];
    const own = this.intern(text);
    if (this.byKey.size < 200_000) this.byKey.set(key, [text === own ? own : detach(text), own]);
    return own;
  }

  private readonly recent: string[] = recentStrings();
  private readonly byKey = new Map<string, [string, string]>();

  private intern(text: string): string {
    const t = text.trim();
    const hit = this.strings.get(t);
    if (hit !== undefined) return hit;
    const own = detach(t);
    if (this.strings.size < 200_000) this.strings.set(own, own);
    return own;
  }

  /** Records an error-level finding for this file. */
  error(code: string, line: number | null, column: string | null, value: string | null, message: string, hint?: string): void {
    this.findings.push(finding('erreur', code, { file: this.file, line, column, value }, message, hint));
  }

  /** Records a warning for this file. */
  warn(code: string, line: number | null, column: string | null, value: string | null, message: string, hint?: string): void {
    this.findings.push(finding('avertissement', code, { file: this.file, line, column, value }, message, hint));
  }

  /** True once an error has been recorded. */
  get failed(): boolean {
    return this.findings.some((f) => f.severity === 'erreur');
  }
}

/** A column's memory of its last four shared strings (ValueReader.shared). */
export function recentStrings(): string[] {
  return ['', '', '\u0000', '', '\u0000', '', '\u0000', ''];
}

/**
 * A date written JJMMAAAA, as the EBP and Cegid TRA exports write it (blank or all zeros:
 * none); records an error naming the field otherwise.
 */
export function ddmmyyyy(text: string, values: ValueReader, line: number, column: string): CalendarDate | null {
  const t = text.trim();
  if (t === '' || /^0+$/.test(t)) return null;
  if (!/^\d{8}$/.test(t)) {
    values.error('valeur-illisible', line, column, t, `date illisible ${quoted(t)} : une date JJMMAAAA (8 chiffres) est attendue`,
      'corrigez la date dans le logiciel comptable et ré-exportez');
    return null;
  }
  return values.date(`${t.slice(0, 2)}/${t.slice(2, 4)}/${t.slice(4)}`, line, column, () => t);
}
