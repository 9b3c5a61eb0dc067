import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { looksLikeFec } from './fec.js';

/**
 * What a file is, told from its first bytes (never its name): a FEC, a native ledger
 * export (Sage 100 #MECG, Quadra ASCII, EBP ASCII, Cegid TRA), an Excel workbook, or a
 * delimited table (aged balance, payments, clients) for the tabular reader.
 */
export type FileFormat = 'fec' | 'sage-pnm' | 'quadra' | 'ebp' | 'cegid-tra' | 'xlsx' | 'xls' | 'ods' | 'tabular';

/** The ledger formats: read as entries, like the FEC. */
export const LEDGER_FORMATS = new Set<FileFormat>(['fec', 'sage-pnm', 'quadra', 'ebp', 'cegid-tra']);

/** How `inspect` names each format. */
export const FORMAT_LABELS: Record<FileFormat, string> = {
  fec: 'FEC (fichier des écritures comptables)',
  'sage-pnm': 'export Sage 100 (#MECG)',
  quadra: 'Quadra ASCII',
  ebp: 'export EBP (ASCII)',
  'cegid-tra': 'Cegid TRA',
  xlsx: 'classeur Excel',
  xls: 'classeur Excel 97-2003 (.xls)',
  ods: 'classeur OpenDocument (.ods)',
  tabular: 'export tabulaire',
};

const HEAD_BYTES = 8192;

/** The first bytes of a file ('' when it cannot be opened: the readers say why). */
export function headOf(file: string, cwd: string): Buffer {
  let fd: number;
  try {
    fd = openSync(resolve(cwd, file), 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** The format of a file, from its first bytes. */
export function detectFormat(head: Buffer): FileFormat {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return head.includes('application/vnd.oasis.opendocument') ? 'ods' : 'xlsx';
  }
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'xls';
  const text = head.toString('latin1').replace(/^\u00ef\u00bb\u00bf/, '');
  const lines = text.split(/\r?\n|\r/);
  if (head.length === HEAD_BYTES) lines.pop(); // the last one may be cut
  const first = lines.find((l) => l.trim() !== '') ?? '';
  if (looksLikeFec(first)) return 'fec';
  if (/^#(FLG|VER|DEV|MECG|MPCT|MPLG|MCJR|MDOS)\b/.test(first)) return 'sage-pnm';
  if (first.startsWith('***S5')) return 'cegid-tra';
  const sample = lines.filter((l) => l.trim() !== '').slice(0, 20);
  if (sample.length > 0 && sample.every(isQuadraLine) && quadraSample(head, lines.length).some(isQuadraEntry)) return 'quadra';
  // Every line shaped like EBP's (so that a broken line is reported by the EBP reader), one at least whole.
  if (sample.length > 0 && sample.every((l) => EBP_SHAPE.test(l)) && sample.some(isEbpLine)) return 'ebp';
  return 'tabular';
}

/** A Quadra ASCII line: a record type letter (M entry, C account, I analytic, R settlement), no delimiter. */
function isQuadraLine(line: string): boolean {
  if (line.includes(';') || line.includes('\t')) return false;
  const type = line[0];
  return type === 'M' || type === 'C' || type === 'I' || type === 'R';
}

/**
 * The first lines as characters for Quadra's positions: decoded as UTF-8, an accent of a
 * UTF-8 file is one character, and each byte of a Windows-1252 one (not UTF-8) becomes one
 * replacement character, so that positions hold in both.
 */
function quadraSample(head: Buffer, count: number): string[] {
  return head.toString('utf8').replace(/^\ufeff/, '').split(/\r?\n|\r/).slice(0, count).filter((l) => l.trim() !== '').slice(0, 20);
}

/**
 * A well-formed Quadra `M` line: the date, the sense and the amount where the layout puts
 * them. One is enough to tell the format: the others may be broken, and the reader says how.
 */
function isQuadraEntry(line: string): boolean {
  return line[0] === 'M' && line.length >= 55 && /^[DC]$/.test(line[41] ?? '') && /^[+\- 0]\d{12}$/.test(line.slice(42, 55)) && /^\d{6}$/.test(line.slice(14, 20));
}

/** The start of an EBP ASCII line, up to its quoted label: a line of the format, whole or broken. */
const EBP_SHAPE = /^\s*\d+,[^,"]*,[^,"]*,[^,"]*,,?"/;

/**
 * An EBP ASCII line: number, date JJMMAAAA, journal, account, an empty field (OpenFlyers'
 * layout; Dolibarr's has none), "label", "piece" (quoted, commas allowed), amount (point or
 * comma decimal), D/C, date, an optional empty trailing field.
 */
function isEbpLine(line: string): boolean {
  return /^\s*\d+,\d{6,8},[^,"]*,[^,"]*,(,)?"(?:[^"]|"")*","(?:[^"]|"")*",-?\d+([.,]\d+)?,[DCdc],\d{0,8},?\s*$/.test(line);
}
