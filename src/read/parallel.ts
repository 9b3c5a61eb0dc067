// Reading a large payments list in a worker thread while the main thread reads the aged
// balance (issue 17): two cores for the two files of `relance plan`. The worker reads and
// folds exactly as the main thread would (fold-worker.ts); loadInputs commits each file's
// batch in the order of the files, so the inputs are the same as read one after the other.
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { InputFile } from '../core/crossfile.js';
import type { Payment } from '../core/records.js';
import type { PaymentHistory } from '../core/segment.js';
import type { PaymentTerms } from '../core/terms.js';
import { ConfigError, DataError, RelanceError, UsageError, type Finding } from '../errors.js';
import type { FoldJob } from './fold-worker.js';
import type { FileFormat } from './formats.js';
import type { TabularKind } from './profiles.js';
import { tableExportDate } from './tabular.js';
import type { FileReport, ReadOptions, ReadProgress } from './types.js';

/** A payments list smaller than this is read in the main thread: a worker costs its start-up. */
export const PARALLEL_MIN_BYTES = 16 << 20;

/** What a worker gives back of a payments file. */
export interface FoldedFile {
  report: FileReport;
  findings: Finding[];
  histories: Map<string, PaymentHistory>;
  unapplied: Map<string, { count: number; cents: number }>;
  names: Map<string, string> | null;
  late: Payment[];
}

export interface ParallelFolds {
  /** The payments files being read in workers, by file name as given. */
  folds: Map<string, Promise<FoldedFile>>;
  /** Stops the workers still running (the reading stopped on an error). */
  stop: () => void;
}

const WORKER = new URL('./fold-worker.js', import.meta.url);

/**
 * Starts a worker for each large payments list among the tables, once the clients files
 * are read (`terms`). Whether to: `RELANCE_THREADS=0` never, `=1` for every payments list
 * (the tests), else for lists of PARALLEL_MIN_BYTES or more on a machine of two cores or
 * more. Only delimited files, and only when every balance is one: the worker must know
 * each balance's export date (the late payments), read here from its title lines.
 * Null when nothing is read in parallel.
 */
export async function startParallelFolds(
  tables: readonly [string, TabularKind | null][],
  formats: ReadonlyMap<string, FileFormat>,
  options: ReadOptions,
  terms: ReadonlyMap<string, PaymentTerms>,
  defaultTerms: PaymentTerms,
  fold: { graceDays: number },
  onProgress: ReadProgress | undefined,
): Promise<ParallelFolds | null> {
  const wanted = process.env.RELANCE_THREADS;
  if (wanted === '0' || !existsSync(fileURLToPath(WORKER))) return null;
  const delimited = (f: string) => formats.get(f) === 'tabular';
  const large = (f: string) => wanted === '1' || (availableParallelism() >= 2 && statSync(resolve(options.cwd, f)).size >= PARALLEL_MIN_BYTES);
  const payments = tables.filter(([f, kind]) => kind === 'payments' && delimited(f) && large(f)).map(([f]) => f);
  const balances = tables.filter(([, kind]) => kind === 'balance').map(([f]) => f);
  if (payments.length === 0 || !balances.every(delimited)) return null;
  // The balances as the cross-file checks see them when a payments list is read after them.
  const before: InputFile[] = [];
  try {
    for (const file of balances) {
      before.push({ file, format: 'tabulaire', kind: 'balance', exportDate: await tableExportDate(file, 'balance', options) });
    }
  } catch {
    return null; // a balance that cannot be read: read in order, its error comes first
  }
  const workers: Worker[] = [];
  const folds = new Map<string, Promise<FoldedFile>>();
  for (const file of payments) {
    const job: FoldJob = {
      file,
      options: { cwd: options.cwd, encoding: options.encoding, profile: options.profile, columns: options.columns, sheet: options.sheet ?? null },
      terms: [...terms],
      defaultTerms,
      fold,
      before,
    };
    const worker = new Worker(WORKER, { workerData: job });
    workers.push(worker);
    const done = new Promise<FoldedFile>((resolveDone, reject) => {
      worker.on('message', (m: { progress?: [number, number, number]; done?: FoldedFile; failed?: FailedRead }) => {
        if (m.progress) onProgress?.(file, ...m.progress);
        else if (m.done) resolveDone(m.done);
        else if (m.failed) reject(errorOf(m.failed));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`lecture parallèle de ${file} interrompue (code ${code})`)));
    });
    // Awaited in the order of the files; an unhandled rejection before then is not one.
    done.catch(() => {});
    folds.set(file, done);
  }
  return { folds, stop: () => workers.forEach((w) => void w.terminate()) };
}

/** An error of the worker, as posted. */
interface FailedRead {
  name: string;
  message: string;
  hint: string | undefined;
  exitCode: number;
  stack?: string;
}

/** The worker's error as the main thread would have thrown it. */
function errorOf(f: FailedRead): Error {
  const kinds: Record<string, new (message: string, hint?: string, exitCode?: number) => RelanceError> = {
    DataError, UsageError, ConfigError, RelanceError,
  };
  const Kind = kinds[f.name];
  if (Kind) return new Kind(f.message, f.hint, f.exitCode);
  const err = new Error(f.message);
  if (f.stack) err.stack = f.stack;
  return err;
}
