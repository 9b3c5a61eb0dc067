import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { InputFlags } from './inputs.js';

/** One input file as the command line gave it: its flag (null for `inspect FILE…`) and path. */
export interface InputArgument {
  flag: string | null;
  file: string;
}

/** The input files of the flags, in command-line order of kinds. */
export function inputArguments(flags: InputFlags): InputArgument[] {
  return [
    ...flags.clients.map((file) => ({ flag: '--clients', file })),
    ...flags.balance.map((file) => ({ flag: '--balance', file })),
    ...flags.payments.map((file) => ({ flag: '--payments', file })),
    ...flags.fec.map((file) => ({ flag: '--fec', file })),
    ...flags.ledger.map((file) => ({ flag: '--ledger', file })),
    ...flags.files.map((file) => ({ flag: null, file })),
  ];
}

/**
 * Refuses a file given twice: the same file under two names (a symlink, `./x` and `x`)
 * or a copy of it (the same bytes), which would count every line twice. Returns each
 * file's modification time in milliseconds, for the hints that say which of two exports
 * is the older. Files that cannot be opened are left to the readers' own errors.
 */
export function refuseRepeatedFiles(args: InputArgument[], cwd: string): Map<string, number> {
  const modified = new Map<string, number>();
  const seen: { arg: InputArgument; real: string; size: number }[] = [];
  for (const arg of args) {
    let real: string;
    let size: number;
    try {
      real = realpathSync(resolve(cwd, arg.file));
      const st = statSync(real);
      if (!st.isFile()) continue;
      size = st.size;
      modified.set(arg.file, st.mtimeMs);
    } catch {
      continue;
    }
    const same = seen.find((s) => s.real === real);
    if (same) {
      throw new UsageError(
        `${quoted(same.arg)} et ${quoted(arg)} désignent le même fichier : lu deux fois, chacune de ses lignes compterait double.`,
        `donnez ce fichier une seule fois : retirez ${label(arg)}.`,
      );
    }
    seen.push({ arg, real, size });
  }
  // Only files of equal sizes can be copies: the others are never hashed.
  const bySize = new Map<number, { arg: InputArgument; real: string; size: number }[]>();
  for (const s of seen) if (s.size > 0) bySize.set(s.size, [...(bySize.get(s.size) ?? []), s]);
  for (const group of bySize.values()) {
    if (group.length < 2) continue;
    // The first 64 KiB tell most different files apart without reading them whole.
    const byHead = new Map<string, typeof group>();
    for (const s of group) {
      const head = digestOf(s.real, HEAD_BYTES);
      byHead.set(head, [...(byHead.get(head) ?? []), s]);
    }
    for (const [head, same] of byHead) {
      if (same.length < 2) continue;
      const byWhole = new Map<string, InputArgument>();
      for (const s of same) {
        const digest = s.size <= HEAD_BYTES ? head : digestOf(s.real, Infinity);
        const copy = byWhole.get(digest);
        if (copy) {
          throw new UsageError(
            `${quoted(copy)} et ${quoted(s.arg)} ont exactement le même contenu (l'un est une copie de l'autre) : lus tous les deux, chacune de leurs lignes compterait double.`,
            `donnez ce fichier une seule fois : retirez ${label(s.arg)}.`,
          );
        }
        byWhole.set(digest, s.arg);
      }
    }
  }
  return modified;
}

const HEAD_BYTES = 65_536;

function label(arg: InputArgument): string {
  return arg.flag ? `${arg.flag} ${arg.file}` : arg.file;
}

function quoted(arg: InputArgument): string {
  return `« ${label(arg)} »`;
}

/** SHA-256 of the file's first `limit` bytes (all of them with Infinity), read in 1 MiB chunks. */
function digestOf(path: string, limit: number): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(1 << 20, Number.isFinite(limit) ? limit : 1 << 20));
    let total = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, limit - total), null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      total += n;
      if (total >= limit) break;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}
