/**
 * The progress line drawn on stderr while the inputs are read: file, percentage, lines
 * per second. Only on a terminal and without --quiet (cron logs stay clean), and only for
 * a long read: more than 20 Mo of input, or once 2 s have gone by. The readers only call
 * a ReadProgress; this module is the one that knows about terminals (cli-progress, loaded
 * only when a line may be drawn).
 */
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { SingleBar } from 'cli-progress';
import type { Context, Out } from './context.js';
import type { InputFlags } from './read/inputs.js';
import type { ReadProgress } from './read/types.js';

/** Input size from which the line shows from the first chunk on (20 Mo). */
export const PROGRESS_MIN_BYTES = 20_000_000;
/** Below that size, the line shows once reading has taken this long. */
export const PROGRESS_MIN_MS = 2_000;
/** The line is recomputed at most this often (the readers call back once per MiB). */
const REFRESH_MS = 100;
const BAR_WIDTH = 20;

/** What the progress line shows. */
export interface ProgressState {
  file: string;
  /** 0 to 100, over all the input files. */
  percent: number;
  lines: number;
  linesPerSecond: number | null;
}

/** A progress display for one command's reading of its inputs. */
export interface InputProgress {
  /** For loadInputs; undefined when nothing can ever be drawn (not a terminal, --quiet). */
  onProgress: ReadProgress | undefined;
  /** Clears the line: call it before the command writes anything, and on errors. Idempotent. */
  stop(): void;
}

/** Test seams: the clock and the thresholds. */
export interface ProgressOptions {
  clock?: () => number;
  minBytes?: number;
  minMs?: number;
}

const NONE: InputProgress = { onProgress: undefined, stop: () => {} };
const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });

/**
 * Reads the inputs through `read`, with a progress line on stderr when it is a terminal
 * and `quiet` is not set; the line is cleared before this returns or throws.
 */
export async function withInputProgress<T>(
  ctx: Context,
  flags: InputFlags,
  quiet: boolean | undefined,
  read: (onProgress: ReadProgress | undefined) => Promise<T>,
): Promise<T> {
  const progress = await startInputProgress(ctx, flags, quiet);
  try {
    return await read(progress.onProgress);
  } finally {
    progress.stop();
  }
}

/** Prepares the progress line for reading `flags`' files; nothing is drawn until the read is long. */
export async function startInputProgress(
  ctx: Context,
  flags: InputFlags,
  quiet: boolean | undefined,
  options: ProgressOptions = {},
): Promise<InputProgress> {
  if (!ctx.stderrIsTTY || quiet) return NONE;
  const { SingleBar } = await import('cli-progress');
  const clock = options.clock ?? (() => performance.now());
  const minBytes = options.minBytes ?? PROGRESS_MIN_BYTES;
  const minMs = options.minMs ?? PROGRESS_MIN_MS;
  const files = [...flags.clients, ...flags.balance, ...flags.payments, ...flags.fec, ...flags.files];
  const totalBytes = files.reduce((sum, f) => sum + sizeOf(resolve(ctx.cwd, f)), 0);
  const stream = terminalOf(ctx);
  const started = clock();

  let bar: SingleBar | null = null;
  let lastRefresh = -Infinity;
  // Files are read one after the other: what the finished ones add up to, and the current one.
  let doneBytes = 0;
  let doneLines = 0;
  let current = { file: '', bytes: 0, size: 0, lines: 0 };
  let state: ProgressState = { file: '', percent: 0, lines: 0, linesPerSecond: null };

  const onProgress: ReadProgress = (file, bytesRead, fileBytes, lines) => {
    if (file !== current.file) {
      doneBytes += current.size;
      doneLines += current.lines;
      current = { file, bytes: 0, size: fileBytes, lines: 0 };
    }
    // A file read again (through the decoder) starts over from 0: so does its share.
    current.bytes = bytesRead;
    current.size = fileBytes;
    current.lines = lines;
    const now = clock();
    if (now - lastRefresh < REFRESH_MS) return;
    if (bar === null && totalBytes <= minBytes && now - started < minMs) return;
    lastRefresh = now;
    const seconds = (now - started) / 1000;
    const allLines = doneLines + lines;
    const total = Math.max(totalBytes, doneBytes + fileBytes);
    state = {
      file,
      percent: total > 0 ? Math.min(100, Math.floor(((doneBytes + bytesRead) / total) * 100)) : 0,
      lines: allLines,
      linesPerSecond: seconds > 0.05 ? allLines / seconds : null,
    };
    if (bar === null) {
      bar = new SingleBar({
        stream: stream as unknown as NodeJS.WritableStream,
        format: () => progressLine(state, stream.columns),
        clearOnComplete: true,
        // Leave the terminal's modes alone (an interrupted run must not leave the
        // cursor hidden or line wrapping off): progressLine fits the width itself.
        hideCursor: false,
        linewrap: true,
        fps: 1000 / REFRESH_MS,
      });
      bar.start(100, state.percent);
    } else {
      bar.update(state.percent);
    }
  };

  return {
    onProgress,
    stop: () => {
      bar?.stop();
      bar = null;
    },
  };
}

/** The progress line, fitted to `columns`: it drops its first words, then the file's folders, then the bar. */
export function progressLine(s: ProgressState, columns: number): string {
  const rate = s.linesPerSecond === null ? '…' : integer.format(s.linesPerSecond);
  const tail = `${String(s.percent).padStart(3)}\u00a0% · ${integer.format(s.lines)} lignes · ${rate} lignes/s`;
  const filled = Math.round((s.percent / 100) * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const width = Math.max(10, columns - 1); // the last column would make some terminals wrap
  for (const line of [`lecture de ${s.file} ${bar} ${tail}`, `${basename(s.file)} ${bar} ${tail}`, `${basename(s.file)} ${tail}`]) {
    if (line.length <= width) return line;
  }
  return `${basename(s.file)} ${tail}`.slice(0, width);
}

/** What cli-progress needs of a stream: a terminal's width, and ctx.stderr's write. */
function terminalOf(ctx: Context): { isTTY: true; readonly columns: number; write(text: string): boolean } {
  const stderr = ctx.stderr as Out & { columns?: number };
  return {
    isTTY: true,
    get columns() {
      return stderr.columns !== undefined && stderr.columns > 0 ? stderr.columns : ctx.columns;
    },
    write: (text: string) => {
      stderr.write(text);
      return true;
    },
  };
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // the reader says what is wrong with it
  }
}
