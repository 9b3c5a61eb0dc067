import type { CalendarDate } from '../core/dates.js';
import type { Cents } from '../core/money.js';
import type { CanonicalRecord } from '../core/records.js';
import type { Finding } from '../errors.js';
import type { Encoding } from './decode.js';
import type { ColumnOverrides } from './header.js';
import type { ProfileId, TabularKind } from './profiles.js';

/** What a reader understood of a file: shown by `inspect`, checked by tests. */
export interface FileReport {
  file: string;
  /** 'fec' for every file of entries (FEC, Sage 100 #MECG, Quadra, EBP, Cegid TRA): see `formatLabel`. */
  format: 'tabulaire' | 'fec';
  kind: TabularKind | 'fec';
  /** The format as `inspect` names it (« export Sage 100 (#MECG) »), for entries other than a FEC. */
  formatLabel?: string;
  /** The worksheet read, for an Excel workbook. */
  sheet?: string;
  profile: ProfileId | null;
  profileDetected: boolean;
  encoding: Encoding;
  encodingReason: string;
  delimiter: string;
  lineEnding: string;
  headerLine: number;
  columns: { index: number; header: string; field: string | null }[];
  /**
   * The date the export was printed (« Date de tirage », « édité le », « au JJ/MM/AAAA »
   * in the title lines; never a period's end, never after the file's modification time),
   * the modification time when the title's dates are ambiguous, or the FEC's last entry
   * date; null when the file does not say.
   */
  exportDate: CalendarDate | null;
  /** The non-blank rows above the header (tabular files), their non-empty cells: the company's name is there. */
  title?: string[][];
  records: number;
  lines: number;
  skipped: Record<string, number>;
  totals: TotalCheck[];
}

/** A total line of the file checked against the sum of the lines it covers. */
export interface TotalCheck {
  line: number;
  label: string;
  column: string;
  declaredCents: Cents;
  computedCents: Cents;
}

/** A reader's output: the records, what it understood, and what it found wrong. */
export interface ReadResult<R extends CanonicalRecord = CanonicalRecord> {
  report: FileReport;
  records: R[];
  findings: Finding[];
}

/**
 * Told how far a reader is in a file: bytes read, the file's size, lines read so far.
 * Called once per chunk read (1 MiB), never per line, so that it costs nothing to pass;
 * the readers know nothing of terminals (src/progress.ts draws it).
 */
export type ReadProgress = (file: string, bytesRead: number, totalBytes: number, lines: number) => void;

/** Options every reader takes. */
export interface ReadOptions {
  /** Relative file names are read from here (and shown as the user typed them). */
  cwd: string;
  encoding: Encoding | null;
  profile: ProfileId | null;
  columns: ColumnOverrides;
  /**
   * Receives each record instead of the result keeping it (to fold large files). What it
   * received is the file's only once the read has returned: see `discard`.
   */
  sink?: (record: CanonicalRecord) => void;
  /**
   * Called before the reader starts the file over from its first line (an encoding that
   * showed itself late): every record given to `sink` so far must be dropped. Required
   * with `sink`.
   */
  discard?: () => void;
  /** Told how far the reading is, about once per MiB. */
  onProgress?: ReadProgress;
  /** The worksheet of a workbook to read (`--sheet`); the first one when absent. */
  sheet?: string | null;
}
