// A payments list read and folded into its payers' histories in a worker thread, while
// the main thread reads the aged balance (see parallelFolds in inputs.ts). Reads exactly
// as the main thread would (readTabular, the same sink), and posts what the main thread
// keeps of the file: its report and findings, the histories, the unapplied payments and
// what the cross-file checks note.
import { parentPort, workerData } from 'node:worker_threads';
import { PaymentNotes, type InputFile } from '../core/crossfile.js';
import type { PaymentTerms } from '../core/terms.js';
import { RelanceError } from '../errors.js';
import { foldPayment, newBatch } from './inputs.js';
import { readTabular } from './tabular.js';
import type { ReadOptions } from './types.js';

/** What the main thread sends. */
export interface FoldJob {
  file: string;
  options: Pick<ReadOptions, 'cwd' | 'encoding' | 'profile' | 'columns' | 'sheet'>;
  terms: [string, PaymentTerms][];
  defaultTerms: PaymentTerms;
  fold: { graceDays: number };
  /** The files read before this one, as the cross-file checks see them (the balances' export dates). */
  before: InputFile[];
}

const job = workerData as FoldJob;
const port = parentPort!;
const terms = new Map(job.terms);
const notes = new PaymentNotes(job.before);
let batch = newBatch();
try {
  const result = await readTabular(job.file, 'payments', {
    ...job.options,
    sink: (r) => {
      if (r.kind === 'payment') foldPayment(batch, notes, r, terms, job.defaultTerms, job.fold);
    },
    discard: () => {
      batch = newBatch();
    },
    onProgress: (_, read, total, lines) => port.postMessage({ progress: [read, total, lines] }),
  });
  port.postMessage({
    done: {
      report: result.report,
      findings: result.findings,
      histories: batch.histories,
      unapplied: batch.unapplied,
      names: notes.names.get(job.file) ?? null,
      late: notes.late,
    },
  });
} catch (err) {
  const known = err instanceof RelanceError;
  port.postMessage({
    failed: {
      name: known ? err.name : 'Error',
      message: err instanceof Error ? err.message : String(err),
      hint: known ? err.hint : undefined,
      exitCode: known ? err.exitCode : 1,
      stack: err instanceof Error ? err.stack : undefined,
    },
  });
}
