import { parse as parseSync } from 'csv-parse/sync';
import { CsvError } from 'csv-parse';

// Delimited text split into records exactly as csv-parse splits it with CSV_OPTIONS, at a
// fraction of its cost (issue 17, DESIGN §7): a line with no quote character is split at
// its delimiters directly, and so is a line whose quoted fields are plain (`"a;b"`,
// `"a ""b"""`); any other line (a quoted field running onto the next line, a quote inside
// a field, text after a closing quote) is handed to csv-parse itself, with the lines that
// follow until its record ends. csv-parse's state is the same at the start of every
// record, so reading a record alone gives what reading the whole file gives.

/** The options relance reads delimited files with (csv-parse's, for the lines handed to it). */
export function csvOptions(delimiter: string, recordDelimiter: string) {
  return {
    delimiter,
    record_delimiter: recordDelimiter,
    quote: '"',
    escape: '"',
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
  };
}

/** A csv-parse error on a record, with the line of the file the record started at. */
export class CsvRecordError extends Error {
  constructor(
    readonly code: string,
    /** Line of the text (1-based) where csv-parse stopped. */
    readonly line: number,
  ) {
    super(code);
  }
}

const QUOTE = 34; // "
/** A record whose quoted field runs on past this many lines, or characters, is a quote left open. */
export const MAX_RECORD_LINES = 1000;
const MAX_RECORD_LENGTH = 1 << 18;

/**
 * Splits text chunks into records: `push` each chunk, then `end`. `handle` receives each
 * record (its fields) as soon as its last line is complete, with the number of line
 * feeds its fields hold (a quoted field over several lines; a bare LF in a CR LF file):
 * the lines it takes beyond one.
 */
export class CsvRowSplitter {
  private rest = '';
  /** Lines of a record csv-parse reads, while its quoted field runs on (null: none). */
  private pending: string | null = null;
  private pendingLines = 0;
  /** Lines consumed so far (record delimiters passed). */
  private lines = 0;
  private lastChar = '';
  private readonly options: ReturnType<typeof csvOptions>;
  private readonly step: number;

  constructor(
    private readonly delimiter: string,
    private readonly recordDelimiter: string,
    private readonly handle: (row: string[], newlines: number) => void,
  ) {
    this.options = csvOptions(delimiter, recordDelimiter);
    this.step = recordDelimiter.length;
  }

  push(chunk: string): void {
    if (chunk.length === 0) return;
    this.lastChar = chunk[chunk.length - 1]!;
    const text = this.rest + chunk;
    const rd = this.recordDelimiter;
    let start = 0;
    // The rest held no record delimiter (a CR LF may straddle the chunks).
    let end = text.indexOf(rd, Math.max(0, this.rest.length - this.step + 1));
    // Most chunks hold no quote at all: their lines are split without looking for one each.
    if (this.pending === null && rd === '\n' && text.indexOf('"') === -1) {
      const d = this.delimiter;
      for (; end !== -1; end = text.indexOf(rd, start)) {
        this.lines++;
        this.handle(text.slice(start, end).split(d), 0);
        start = end + 1;
      }
    }
    for (; end !== -1; end = text.indexOf(rd, start)) {
      this.line(text.slice(start, end));
      start = end + this.step;
    }
    this.rest = text.slice(start);
  }

  /** Ends the text: its last line (without a line break) is a record too. Says whether the text ended with a line break. */
  end(): { endsWithNewline: boolean } {
    const rest = this.rest;
    this.rest = '';
    if (this.pending !== null) {
      // The quoted field never closes: csv-parse says so, on the whole remainder.
      this.viaParser(rest === '' ? this.pending : `${this.pending}${this.recordDelimiter}${rest}`, true);
    } else if (rest !== '') this.line(rest, true);
    return { endsWithNewline: this.lastChar === '\n' || this.lastChar === '\r' };
  }

  /** One line (without its record delimiter); `last`: the text ends after it. */
  private line(text: string, last = false): void {
    this.lines++;
    if (this.pending !== null) {
      this.pending = `${this.pending}${this.recordDelimiter}${text}`;
      this.pendingLines++;
      // Inside a quoted field, only a quote can end it: a line without one leaves it open.
      if (last || text.indexOf('"') !== -1) this.viaParser(this.pending, last);
      else if (this.pendingLines > MAX_RECORD_LINES || this.pending.length > MAX_RECORD_LENGTH) this.runaway();
      return;
    }
    // A line feed inside a line is only possible where lines end otherwise (CR LF, CR).
    const newlines = this.step === 1 && this.recordDelimiter === '\n' ? 0 : lineFeedsIn(text);
    if (text.indexOf('"') === -1) {
      this.handle(text.split(this.delimiter), newlines);
      return;
    }
    const row = splitQuoted(text, this.delimiter);
    if (row !== null) this.handle(row, newlines);
    else {
      this.pending = text;
      this.pendingLines = 1;
      this.viaParser(text, last);
    }
  }

  /** Hands a record's lines to csv-parse; when its quoted field is still open, waits for the next line (unless `last`). */
  private viaParser(text: string, last: boolean): void {
    let rows: string[][];
    try {
      rows = parseSync(last ? text : `${text}${this.recordDelimiter}`, this.options) as string[][];
    } catch (err) {
      if (err instanceof CsvError && err.code === 'CSV_QUOTE_NOT_CLOSED' && !last) {
        if (this.pendingLines > MAX_RECORD_LINES || this.pending!.length > MAX_RECORD_LENGTH) this.runaway();
        return;
      }
      if (err instanceof CsvError) {
        const at = (err as CsvError & { lines?: number }).lines ?? this.pendingLines;
        throw new CsvRecordError(err.code, this.lines - this.pendingLines + at);
      }
      throw err;
    }
    this.pending = null;
    this.pendingLines = 0;
    for (const row of rows) this.handle(row, row.reduce((n, field) => n + lineFeedsIn(field), 0));
  }

  /**
   * A quoted field still open after MAX_RECORD_LINES lines: no export writes such a cell,
   * a quote was left open. Said at the line it opened (csv-parse would read on to the end
   * of the file, and say it at the last line).
   */
  private runaway(): never {
    throw new CsvRecordError('CSV_QUOTE_NOT_CLOSED', this.lines - this.pendingLines + 1);
  }
}

/**
 * The fields of a line whose quoted fields are plain: each opens with the field, closes
 * right before a delimiter or the end of the line, and doubles the quotes it holds;
 * the other fields hold no quote. Null for any other line (csv-parse then reads it).
 */
export function splitQuoted(text: string, delimiter: string): string[] | null {
  const out: string[] = [];
  const n = text.length;
  const d = delimiter.charCodeAt(0);
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === QUOTE) {
      // A quoted field: up to the quote that is not doubled.
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q === -1) return null; // runs onto the next line
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      out.push(value);
      if (i === n) return out;
      if (text.charCodeAt(i) !== d) return null; // text after the closing quote
      i++;
      continue;
    }
    const next = text.indexOf(delimiter, i);
    const field = next === -1 ? text.slice(i) : text.slice(i, next);
    if (field.indexOf('"') !== -1) return null; // a quote inside a field
    out.push(field);
    if (next === -1) return out;
    i = next + 1;
  }
}

/** How many line feeds a text holds. */
function lineFeedsIn(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return n;
}
