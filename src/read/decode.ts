import { isUtf8 } from 'node:buffer';
import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { TextDecoder } from 'node:util';
import { DataError } from '../errors.js';
import type { Encoding } from './encodings.js';

export { ENCODINGS, normaliseEncoding, type Encoding } from './encodings.js'; // light, for the declarations

/** What the decoder found out about a file, filled in as it is read. */
export interface DecodeInfo {
  encoding: Encoding;
  /** Why this encoding: shown by `inspect`, never a silent guess. */
  encodingReason: string;
  bom: boolean;
  /** Line ends seen first: `CRLF`, `LF`, `CR` or `CR CR LF`. */
  lineEnding: string;
  /** Problems met while decoding (mixed encodings, a CP850 look), as French sentences. */
  warnings: string[];
}

const CHUNK = 1 << 20;

// Windows-1252 puts printable characters where Latin-1 has C1 controls (0x80–0x9F).
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const C1_RANGE = /[\x80-\x9f]/g;
const fixCp1252 = (ch: string): string => CP1252_HIGH[ch.charCodeAt(0) - 0x80]!;

// ISO-8859-15 differs from Latin-1 in eight places (the euro sign among them).
const ISO15: Record<string, string> = {
  '\xa4': '€', '\xa6': 'Š', '\xa8': 'š', '\xb4': 'Ž', '\xb8': 'ž', '\xbc': 'Œ', '\xbd': 'œ', '\xbe': 'Ÿ',
};
const ISO15_RANGE = /[\xa4\xa6\xa8\xb4\xb8\xbc\xbd\xbe]/g;

const CP850_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀' +
  'ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0';

const HIGH_RANGE = /[\x80-\xff]/g;
const fixCp850 = (ch: string): string => CP850_HIGH[ch.charCodeAt(0) - 0x80]!;

function decodeSingleByte(bytes: Buffer, encoding: Encoding): string {
  // Latin-1 maps each byte to the same code point; only the high half differs in CP850.
  // (Built char by char, the string was a rope of a million pieces per chunk: GC-bound.)
  if (encoding === 'cp850') return bytes.toString('latin1').replace(HIGH_RANGE, fixCp850);
  const text = bytes.toString('latin1');
  if (encoding === 'windows-1252') return text.replace(C1_RANGE, fixCp1252);
  return text.replace(ISO15_RANGE, (ch: string) => ISO15[ch]!);
}

/** Rejects files that are not text exports, with a message that says what they are. */
function rejectNonText(file: string, head: Buffer): void {
  const ascii = head.subarray(0, 8).toString('latin1');
  if (ascii.startsWith('%PDF')) {
    throw new DataError(
      `${file} est un document PDF, pas un export de données.`,
      `exportez l'état au format CSV ou texte depuis le logiciel comptable (menu Exporter / Fichier texte), pas en PDF.`,
    );
  }
  if (ascii.startsWith('PK\x03\x04') || ascii.startsWith('\xd0\xcf\x11\xe0')) {
    throw new DataError(
      `${file} est un classeur Excel (ou une archive), pas un fichier texte.`,
      `ouvrez-le dans Excel ou LibreOffice et enregistrez-le au format « CSV (séparateur : point-virgule) ».`,
    );
  }
  const isUtf16 = head[0] === 0xff && head[1] === 0xfe;
  if (!isUtf16 && head.subarray(0, 4096).includes(0)) {
    throw new DataError(
      `${file} contient des octets nuls : c'est un fichier binaire, pas un export texte.`,
      `vérifiez que vous avez choisi le bon fichier, ou exportez l'état au format CSV ou texte.`,
    );
  }
}

/** Told the bytes read so far and the file's size, once per chunk read (1 MiB). */
export type ByteProgress = (bytesRead: number, totalBytes: number) => void;

/** A file opened for reading: its first chunk (BOM removed) and the chunks after it. */
export interface ByteSource {
  info: DecodeInfo;
  first: Buffer;
  rest: AsyncIterable<Buffer>;
  /** The file's modification time: an export cannot have been printed after it. */
  modified: Date;
  /** Closes the file when the rest will not be read. */
  close: () => void;
}

/**
 * Opens a file and reads its first chunk: rejects what is not a text export (missing,
 * empty, PDF, Excel, binary), removes a BOM, and detects the encoding and line ends.
 * `onBytes` hears of each chunk as it is read (progress), never of each line.
 */
export async function openBytes(
  file: string,
  forced: Encoding | null,
  cwd: string,
  info?: DecodeInfo,
  onBytes?: ByteProgress,
): Promise<ByteSource> {
  const { path, size, modified } = checkFile(file, cwd);
  const out: DecodeInfo = info ?? newInfo(forced);
  const stream = createReadStream(path, { highWaterMark: CHUNK });
  const it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const head = await it.next();
  let bytes: Buffer = head.done ? Buffer.alloc(0) : head.value;
  let read = bytes.length;
  onBytes?.(read, size);
  rejectNonText(file, bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    out.encoding = 'utf-16le';
    out.encodingReason = 'BOM UTF-16';
    out.bom = true;
    bytes = bytes.subarray(2);
  } else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    out.bom = true;
    bytes = bytes.subarray(3);
    if (!forced) {
      out.encoding = 'utf-8';
      out.encodingReason = 'BOM UTF-8';
    }
  } else if (!forced) {
    detectFromSample(bytes, out);
  }
  out.lineEnding = lineEndingOf(bytes, out.encoding === 'utf-16le');
  async function* rest(): AsyncGenerator<Buffer> {
    for (let next = await it.next(); !next.done; next = await it.next()) {
      if (onBytes) onBytes((read += next.value.length), size);
      yield next.value;
    }
  }
  return { info: out, first: bytes, rest: rest(), modified, close: () => stream.destroy() };
}

function checkFile(file: string, cwd: string): { path: string; size: number; modified: Date } {
  const path = resolve(cwd, file);
  let size: number;
  let modified: Date;
  try {
    ({ size, mtime: modified } = statSync(path));
  } catch {
    throw new DataError(`fichier introuvable : ${file}.`, `vérifiez le chemin (il est lu depuis le dossier courant).`);
  }
  if (size === 0) {
    throw new DataError(`${file} est vide (0 octet).`, `ré-exportez l'état depuis le logiciel comptable : l'export a sans doute été interrompu.`);
  }
  return { path, size, modified };
}

function newInfo(forced: Encoding | null): DecodeInfo {
  return {
    encoding: forced ?? 'utf-8',
    encodingReason: forced ? 'imposé par --encoding' : '',
    bom: false,
    lineEnding: '',
    warnings: [],
  };
}

/**
 * Reads a file as text, streaming, and yields chunks whose line ends are all `\n`.
 *
 * The encoding is detected from the bytes, never guessed in silence: a BOM, else UTF-8
 * when the bytes are valid UTF-8, else Windows-1252 (or ISO-8859-15 when the euro sign
 * sits at 0xA4 and nothing uses 0x80–0x9F). A file that starts in plain ASCII and meets
 * a non-UTF-8 byte later switches to Windows-1252 there, which decodes the same prefix
 * identically, and says so. `info` is complete once the iteration has finished.
 */
export function decodeFile(
  file: string,
  forced: Encoding | null,
  cwd: string,
  onBytes?: ByteProgress,
): { info: DecodeInfo; chunks: AsyncGenerator<string> } {
  checkFile(file, cwd);
  const info = newInfo(forced);
  return { info, chunks: decodeSource(openBytes(file, forced, cwd, info, onBytes), forced) };
}

/**
 * Opens a ledger export whose format documents a single-byte encoding (Sage 100 and EBP:
 * CP850; Quadra and Cegid TRA: Windows-1252). The sniffing of `openBytes` is kept only
 * where it proves something: `--encoding`, a BOM, or UTF-8 with multibyte sequences. An
 * ASCII start proves nothing (the accents may come later), and a Windows-1252 guess's
 * doubts do not apply once the format's own encoding is taken. Decode with `decodeSource`.
 */
export async function openWithFormatEncoding(
  file: string,
  forced: Encoding | null,
  cwd: string,
  own: Encoding,
  software: string,
  onBytes?: ByteProgress,
): Promise<ByteSource> {
  const source = await openBytes(file, forced, cwd, undefined, onBytes);
  const info = source.info;
  if (!forced && !info.bom && info.encodingReason !== 'UTF-8 valide sans BOM') {
    const name = own === 'cp850' ? 'CP850' : own === 'windows-1252' ? 'Windows-1252' : own;
    info.encodingReason = info.encodingReason.startsWith('ASCII')
      ? `ASCII seulement au début du fichier ; lu en ${name}, l'encodage des exports ${software}`
      : `${info.encodingReason.split(' ; ')[0]} ; lu en ${name}, l'encodage des exports ${software}`;
    info.encoding = own;
    info.warnings.length = 0;
  }
  return source;
}

/** The size of the pieces of bytes decoded at once (see decodeSource, and the table reader's textOf). */
export const TEXT_PIECE = 1 << 16;

/** A chunk of bytes in pieces of TEXT_PIECE bytes (a string per piece stays short-lived). */
export function* piecesOf(bytes: Buffer): Generator<Buffer> {
  if (bytes.length <= TEXT_PIECE) {
    yield bytes;
    return;
  }
  for (let at = 0; at < bytes.length; at += TEXT_PIECE) yield bytes.subarray(at, at + TEXT_PIECE);
}

/** Decodes an opened file into text chunks (see decodeFile); fills in its `info`. */
export async function* decodeSource(opening: ByteSource | Promise<ByteSource>, forced: Encoding | null): AsyncGenerator<string> {
  const source = await opening;
  const info = source.info;
  let carry = ''; // a trailing CR held back: it may be the start of CRLF in the next chunk
  let heldCrs = 0; // the same in the bytes of a single-byte encoding, whose line ends are made LF before decoding
  let utf8: TextDecoder | null = null;
  if (info.encoding === 'utf-8') utf8 = new TextDecoder('utf-8', { fatal: true });
  else if (info.encoding === 'utf-16le') utf8 = new TextDecoder('utf-16le');
  let asciiSoFar = true;
  let lines = 0; // lines decoded before the current chunk, to locate an encoding switch
  // Decoded in pieces: the text of a whole 1 MiB chunk would be allocated with the
  // long-lived objects and stay there as garbage until a full collection.
  async function* all(): AsyncGenerator<Buffer> {
    yield* piecesOf(source.first);
    for await (const chunk of source.rest) yield* piecesOf(chunk);
  }
  for await (const bytes of all()) {
    let text: string;
    if (utf8) {
      try {
        text = utf8.decode(bytes, { stream: true });
      } catch {
        const bad = firstInvalidUtf8(bytes);
        const where = `ligne ${lines + countNewlines(bytes.subarray(0, Math.max(0, bad))) + 1}`;
        const byte = `0x${(bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0')}`;
        if (asciiSoFar && !info.bom && !forced) {
          info.encoding = 'windows-1252';
          info.encodingReason = `début en ASCII, puis l'octet ${byte} (${where}) qui n'est pas de l'UTF-8`;
          utf8 = null;
          text = decodeSingleByte(bytes, 'windows-1252');
        } else {
          info.warnings.push(
            `octet ${byte} invalide en UTF-8 (${where}) dans un fichier UTF-8 : caractères remplacés par « \ufffd »`,
          );
          utf8 = new TextDecoder('utf-8');
          text = utf8.decode(bytes, { stream: true });
        }
      }
      if (asciiSoFar && text.length !== bytes.length) asciiSoFar = false;
    } else {
      const b = heldCrs > 0 ? Buffer.concat([Buffer.alloc(heldCrs, 0x0d), bytes]) : bytes;
      let end = b.length;
      while (end > 0 && b[end - 1] === 0x0d) end--;
      heldCrs = b.length - end;
      text = decodeSingleByte(lfLineEnds(b.subarray(0, end)), info.encoding);
    }
    // Only a UTF-8 decoding can still switch or warn, and say at which line.
    if (utf8) lines += countNewlines(bytes);

    if (carry) text = carry + text;
    carry = '';
    if (text.includes('\r')) {
      let end = text.length;
      while (end > 0 && text.charCodeAt(end - 1) === 0x0d) end--;
      if (end < text.length) {
        carry = text.slice(end);
        text = text.slice(0, end);
      }
      // The same as the regex alone where no CR follows a CR, and much faster on CRLF files
      // (replacing a million CRLF with a regex builds a million parts: GC-bound).
      text = text.includes('\r\r') ? text.replace(/\r\r?\n|\r/g, '\n') : text.split('\r\n').join('\n').replaceAll('\r', '\n');
    }
    if (text) yield text;
  }
  if (utf8) {
    const rest = utf8.decode();
    if (rest) yield rest;
  }
  if (carry) yield carry.replace(/\r/g, '\n');
  if (heldCrs > 0) yield '\n'.repeat(heldCrs);
}

/**
 * CRLF, CR CR LF and a lone CR as LF, in the bytes of a single-byte encoding (CR is 0x0D
 * in each): what replacing `/\r\r?\n|\r/g` with `\n` does to the decoded text, without
 * building a string part per line.
 */
function lfLineEnds(bytes: Buffer): Buffer {
  let i = bytes.indexOf(0x0d);
  if (i === -1) return bytes;
  const out = Buffer.allocUnsafe(bytes.length);
  bytes.copy(out, 0, 0, i);
  let n = i;
  for (; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b !== 0x0d) out[n++] = b;
    else {
      if (bytes[i + 1] === 0x0a) i++;
      else if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) i += 2;
      out[n++] = 0x0a;
    }
  }
  return out.subarray(0, n);
}

function detectFromSample(bytes: Buffer, info: DecodeInfo): void {
  let nonAscii = false;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0x80) {
      nonAscii = true;
      break;
    }
  }
  if (!nonAscii) {
    info.encoding = 'utf-8';
    info.encodingReason = 'ASCII seulement au début du fichier (lu comme UTF-8)';
    return;
  }
  // Cut a possibly split multi-byte character at the end of the sample.
  const sample = bytes.length === CHUNK ? bytes.subarray(0, bytes.length - 4) : bytes;
  if (firstInvalidUtf8(sample) < 0) {
    info.encoding = 'utf-8';
    info.encodingReason = 'UTF-8 valide sans BOM';
    return;
  }
  let c1 = 0;
  let dosAccents = 0;
  let a4 = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x80 && b <= 0x9f) {
      c1++;
      if (CP850_ACCENTS.has(b) && isLetter(bytes[i - 1]) && isLetter(bytes[i + 1])) dosAccents++;
    } else if (b === 0xa4) a4++;
  }
  if (c1 === 0 && a4 > 0) {
    info.encoding = 'iso-8859-15';
    info.encodingReason = "pas de l'UTF-8 ; octet 0xA4 (€ en ISO-8859-15) et aucun octet 0x80–0x9F : lu en ISO-8859-15";
    return;
  }
  const bad = firstInvalidUtf8(sample);
  const byte = `0x${bytes[bad]!.toString(16).toUpperCase()}`;
  info.encoding = 'windows-1252';
  info.encodingReason = `pas de l'UTF-8 (octet ${byte} ligne ${countNewlines(bytes.subarray(0, bad)) + 1}) ; lu en Windows-1252`;
  if (dosAccents > 0) info.warnings.push(CP850_LOOK);
}

/** The warning for a file that looks like CP850 read as Windows-1252 (the tabular reader makes it an error). */
export const CP850_LOOK =
  'des octets 0x80–0x9F au milieu des mots ressemblent à des accents CP850 (DOS, certains exports EBP) : si les accents sont faux, relancez avec --encoding cp850';

// Bytes that are French lowercase accents in CP850 (é à ç ê è ô ù…) but punctuation in
// Windows-1252: between two letters they betray a DOS export read with the wrong table.
const CP850_ACCENTS = new Set([0x82, 0x83, 0x85, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x93, 0x96, 0x97]);

function isLetter(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
}

/** Index of the first byte that breaks UTF-8, or -1 when the bytes are valid. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let n: number;
    if (b < 0x80) n = 0;
    else if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) n = 2;
    else if (b >= 0xf0 && b <= 0xf4) n = 3;
    else return i;
    if (i + n >= bytes.length) return -1; // a sequence cut by the end of the buffer proves nothing
    for (let k = 1; k <= n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

function countNewlines(bytes: Uint8Array): number {
  let n = 0;
  let i = -1;
  while ((i = bytes.indexOf(10, i + 1)) !== -1) n++;
  return n;
}

/** The line ends used first in the bytes: `CRLF`, `LF`, `CR` or `CR CR LF`. */
function lineEndingOf(bytes: Buffer, utf16: boolean): string {
  const step = utf16 ? 2 : 1;
  const cr = bytes.indexOf(utf16 ? '\r\0' : '\r', 0, utf16 ? 'latin1' : undefined);
  const lf = bytes.indexOf(utf16 ? '\n\0' : '\n', 0, utf16 ? 'latin1' : undefined);
  if (cr === -1) return 'LF';
  if (lf !== -1 && lf < cr) return 'LF';
  if (bytes[cr + step] === 0x0a) return 'CRLF';
  if (bytes[cr + step] === 0x0d && bytes[cr + 2 * step] === 0x0a) return 'CR CR LF';
  return 'CR';
}

/** Decodes the first chunk alone, for sniffing: line ends as `\n`, bad bytes replaced. */
export function sampleText(source: ByteSource): string {
  const { first, info } = source;
  let text: string;
  if (info.encoding === 'utf-8' || info.encoding === 'utf-16le') text = new TextDecoder(info.encoding).decode(first);
  else text = decodeSingleByte(first, info.encoding);
  return text.replace(/\r\r?\n|\r/g, '\n');
}

/** For text read as Latin-1 bytes: the fix-up to Windows-1252 or ISO-8859-15, if any. */
export function latin1FixUp(encoding: Encoding): ((s: string) => string) | null {
  if (encoding === 'windows-1252') return (s) => (C1_TEST.test(s) ? s.replace(C1_RANGE, fixCp1252) : s);
  if (encoding === 'iso-8859-15') return (s) => (ISO15_TEST.test(s) ? s.replace(ISO15_RANGE, (ch: string) => ISO15[ch]!) : s);
  return null;
}
const C1_TEST = /[\x80-\x9f]/;
const ISO15_TEST = /[\xa4\xa6\xa8\xb4\xb8\xbc\xbd\xbe]/;

/**
 * The text of UTF-8 chunks, each checked as it comes (NotUtf8 when they are not UTF-8);
 * a character cut between two chunks is decoded whole with the next one. The text comes
 * in pieces of about TEXT_PIECE bytes.
 */
export async function* checkedUtf8Text(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let tail: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const bytes = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
    const whole = completeUtf8Length(bytes);
    if (!isUtf8(bytes.subarray(0, whole))) throw new NotUtf8();
    tail = Buffer.from(bytes.subarray(whole));
    // In pieces of about TEXT_PIECE bytes, each ending on a whole character.
    for (let at = 0; at < whole; ) {
      const end = at + TEXT_PIECE >= whole ? whole : at + completeUtf8Length(bytes.subarray(at, at + TEXT_PIECE));
      yield bytes.toString('utf8', at, end);
      at = end;
    }
  }
  if (tail.length > 0) throw new NotUtf8();
}

/** Thrown by checkedUtf8Text when the bytes are not UTF-8 after all. */
export class NotUtf8 extends Error {}

/** Length of the prefix that does not end inside a multi-byte sequence. */
function completeUtf8Length(bytes: Buffer): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}
