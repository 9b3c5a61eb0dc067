import { BAD_DATE, impossibleDate, parseDate, type CalendarDate } from '../core/dates.js';
import { parseCents, type Cents } from '../core/money.js';
import { finding, type Finding } from '../errors.js';
import { detach } from './stream.js';

export const DATE_HINT =
  'les dates sont lues aux formats JJ/MM/AAAA, JJ/MM/AA, JJMMAA, AAAAMMJJ ou AAAA-MM-JJ ; corrigez la valeur dans le logiciel et ré-exportez';
export const IMPOSSIBLE_DATE_HINT = "cette date n'existe pas au calendrier : corrigez-la dans le logiciel et ré-exportez";
export const AMOUNT_HINT =
  'les montants sont lus comme 1 234,56 / 1234.56 / -1 234,56 / 1 234,56- / (1 234,56) ; corrigez la valeur dans le logiciel et ré-exportez';

/**
 * Reads the values of one file's rows and collects, rather than throws, what is
 * unreadable: a file's bad values are all reported at once, then the file is rejected.
 */
export class ValueReader {
  readonly findings: Finding[] = [];
  private readonly strings = new Map<string, string>();

  constructor(private readonly file: string) {}

  /** A date, null when blank or `01/01/1900`; records an error for garbage. */
  date(text: string, line: number, column: string): CalendarDate | null {
    const d = parseDate(text);
    if (d === BAD_DATE) {
      // A date that is well written but not in the calendar is a typo in the software, not a format problem.
      const why = impossibleDate(text);
      if (why) this.error('valeur-illisible', line, column, text, `date impossible « ${text.trim()} » (${why.reason})`, IMPOSSIBLE_DATE_HINT);
      else this.error('valeur-illisible', line, column, text, `date illisible « ${text.trim()} »`, DATE_HINT);
      return null;
    }
    return d;
  }

  /** An amount in cents, null when blank; records an error for garbage. */
  cents(text: string, line: number, column: string): Cents | null {
    const c = parseCents(text);
    if (c !== null && Number.isNaN(c)) {
      this.error('valeur-illisible', line, column, text, `montant illisible « ${text.trim()} »`, AMOUNT_HINT);
      return null;
    }
    return c;
  }

  /** The trimmed text, shared with identical strings already seen (client codes, names). */
  shared(text: string): string {
    // Rows of one client follow each other: the last few strings asked (code, name…)
    // are the likeliest hits, and cheaper to compare than a map lookup.
    const recent = this.recent;
    for (let k = 0; k < recent.length; k += 2) if (recent[k] === text) return recent[k + 1]!;
    const own = this.intern(text);
    recent.splice(0, 2);
    recent.push(text, own);
    return own;
  }

  private readonly recent: string[] = ['', '', '\u0000', '', '\u0000', '', '\u0000', ''];

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
