import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';

/** A chalk that colours only when asked (never in tests or pipes). */
export function painter(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

/** How much room terminal output has: `columns` wide, unless `wide` (everything, untruncated). */
export interface Fit {
  columns: number;
  wide: boolean;
}

/** No limit: tables at their natural width, text never wrapped (`--wide`). */
export const WIDE: Fit = { columns: Number.POSITIVE_INFINITY, wide: true };

/** The fit of a command's terminal output, from the terminal width and `--wide`. */
export function fitOf(columns: number, wide: boolean | undefined): Fit {
  return wide ? WIDE : { columns, wide: false };
}

/** A column of a fitted table. */
export interface Column {
  head: string;
  align?: 'left' | 'right';
  /**
   * Importance when the table does not fit: the lowest is dropped first (ties: the
   * rightmost). Absent: the column is never dropped.
   */
  priority?: number;
  /** How the column may be narrowed: its lines cut with `…`, or wrapped at spaces. Absent: never narrowed. */
  shorten?: 'cut' | 'wrap';
  /** The narrowest a narrowed column gets (default: its heading's width). */
  min?: number;
}

/** A terminal table with French headings; right-aligns the columns listed in `right`. Never fitted to a width. */
export function table(head: string[], rows: (string | number)[][], right: number[] = []): string {
  return fitTable(head.map((h, i) => ({ head: h, align: right.includes(i) ? 'right' : 'left' })), rows, WIDE);
}

// Each column costs its content plus one space either side and one border; plus the last border.
const tableWidth = (widths: number[]): number => widths.reduce((s, w) => s + w + 3, 1);

/**
 * A terminal table that fits `fit.columns`: at its natural width if it fits; otherwise
 * empty columns go, then the columns that may be narrowed are, widest first, down to
 * their minimum; if that is not enough, the least important column is dropped and the
 * narrowing starts again. The dropped columns are named on one line under the table.
 * When `fit.wide`, the table is printed whole, exactly as wide as its content.
 */
export function fitTable(columns: Column[], rows: (string | number)[][], fit: Fit): string {
  const cells = rows.map((r) => r.map(String));
  const natural = columns.map((c, i) => Math.max(displayWidth(c.head), ...cells.map((r) => displayWidth(r[i] ?? ''))));
  if (fit.wide || tableWidth(natural) <= fit.columns) return render(columns, cells, null);

  // Columns with nothing in them go first, and silently: hiding them hides nothing.
  let kept = columns.map((_, i) => i).filter((i) => cells.some((r) => (r[i] ?? '') !== ''));
  if (kept.length === 0) kept = columns.map((_, i) => i);
  const blank = columns.map((_, i) => i).filter((i) => !kept.includes(i));
  let widths = narrowed(kept, columns, cells, natural, fit.columns, false);
  while (widths === null) {
    const droppable = kept.filter((i) => columns[i]!.priority !== undefined);
    if (droppable.length === 0 || kept.length === 1) break;
    const drop = droppable.reduce((a, b) => (columns[b]!.priority! <= columns[a]!.priority! ? b : a));
    kept = kept.filter((i) => i !== drop);
    widths = narrowed(kept, columns, cells, natural, fit.columns, false);
  }
  // Nothing left to drop: every column may be cut, down to one character.
  widths ??= narrowed(kept, columns, cells, natural, fit.columns, true) ?? kept.map(() => 1);

  const shown = kept.map((i) => columns[i]!);
  const text = render(
    shown,
    cells.map((r) => kept.map((i, k) => shorten(r[i] ?? '', widths![k]!, shown[k]!.shorten ?? 'cut'))),
    widths,
  );
  const hidden = columns.filter((_, i) => !kept.includes(i) && !blank.includes(i)).map((c) => c.head);
  if (hidden.length === 0) return text;
  return `${text}\n${fitText(`colonnes masquées : ${hidden.join(', ')} ; --wide les affiche`, fit)}`;
}

/**
 * The widths of the kept columns once narrowed to fit `columns`, or null when they
 * cannot. Wrapped columns are first kept as wide as their longest word, so that words
 * are broken only when there is no other way.
 */
function narrowed(kept: number[], columns: Column[], cells: string[][], natural: number[], width: number, force: boolean): number[] | null {
  const floor = (soft: boolean) =>
    kept.map((i) => {
      const c = columns[i]!;
      if (force) return 1;
      if (c.shorten === undefined) return natural[i]!;
      const hard = Math.max(c.min ?? 0, displayWidth(c.head));
      const word = soft && c.shorten === 'wrap' ? Math.max(...cells.map((r) => longestWord(r[i] ?? ''))) : 0;
      return Math.min(natural[i]!, Math.max(hard, word));
    });
  return waterFill(kept.map((i) => natural[i]!), floor(true), width) ?? waterFill(kept.map((i) => natural[i]!), floor(false), width);
}

const longestWord = (text: string): number => Math.max(0, ...text.split(/[ \n]/).map(displayWidth));

/** Narrows the widest column by one until the table fits; null when the floors are reached first. */
function waterFill(widths: number[], floor: number[], width: number): number[] | null {
  let excess = tableWidth(widths) - width;
  while (excess > 0) {
    let widest = -1;
    for (let k = 0; k < widths.length; k++) if (widths[k]! > floor[k]! && (widest < 0 || widths[k]! > widths[widest]!)) widest = k;
    if (widest < 0) return null;
    widths[widest]!--;
    excess--;
  }
  return widths;
}

function render(columns: Column[], cells: string[][], widths: number[] | null): string {
  const t = new Table({
    head: columns.map((c, k) => (widths ? cut(c.head, widths[k]!) : c.head)),
    style: { head: [], border: [], compact: true },
    colAligns: columns.map((c) => c.align ?? 'left'),
    ...(widths ? { colWidths: widths.map((w) => w + 2), wordWrap: false } : { wordWrap: true }),
  });
  for (const r of cells) t.push(r);
  return t.toString();
}

/** A cell's text narrowed to `width`: each of its lines cut with `…`, or wrapped at spaces. */
function shorten(text: string, width: number, how: 'cut' | 'wrap'): string {
  return text
    .split('\n')
    .flatMap((line) => (how === 'wrap' ? wrapLine(line, width, '') : [cut(line, width)]))
    .join('\n');
}

// An ANSI colour sequence, or one code point.
const TOKEN = /\u001b\[[0-9;]*m|[\s\S]/gu;

/** Display width in terminal columns: colour codes, combining marks and controls count 0, wide East Asian characters 2. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const line of text.split('\n')) {
    let w = 0;
    for (const [t] of line.matchAll(TOKEN)) w += charWidth(t);
    width = Math.max(width, w);
  }
  return width;
}

function charWidth(token: string): number {
  if (token.length > 2) return 0; // a colour sequence
  const code = token.codePointAt(0)!;
  if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return 0;
  if ((code >= 0x300 && code <= 0x36f) || (code >= 0x200b && code <= 0x200f) || code === 0xfeff) return 0;
  const wide =
    (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0x303e) || (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x4e00 && code <= 0x9fff) || (code >= 0xa000 && code <= 0xa4c6) ||
    (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) || (code >= 0x20000 && code <= 0x3fffd);
  return wide ? 2 : 1;
}

/** One line cut to `width` columns, ending with `…` when something was left out. */
export function cut(line: string, width: number): string {
  if (displayWidth(line) <= width) return line;
  let out = '';
  let w = 0;
  let coloured = false;
  for (const [t] of line.matchAll(TOKEN)) {
    const cw = charWidth(t);
    if (t.length > 2) coloured = true;
    else if (w + cw > width - 1) break;
    out += t;
    w += cw;
  }
  return `${out.trimEnd()}…${coloured ? '\u001b[0m' : ''}`;
}

/**
 * Prose wrapped to the fit's width at ordinary spaces (never inside an amount, whose
 * digits are grouped with no-break spaces); continuation lines take the indentation of
 * the first, plus `hang`. A word longer than the line is broken, not cut. Untouched when wide.
 */
export function fitText(text: string, fit: Fit, hang = ''): string {
  if (fit.wide) return text;
  return text
    .split('\n')
    .flatMap((line) => {
      const indent = /^ */.exec(line)![0];
      return wrapLine(line.slice(indent.length), fit.columns - indent.length, hang).map((l) => `${indent}${l}`);
    })
    .join('\n');
}

/** Greedy wrap of one line at ordinary spaces; continuation lines start with `hang`. */
function wrapLine(line: string, width: number, hang: string): string[] {
  if (displayWidth(line) <= width) return [line];
  const lines: string[] = [];
  let current = '';
  const room = () => (lines.length === 0 ? width : width - hang.length);
  const flush = () => {
    lines.push(lines.length === 0 ? current : `${hang}${current}`);
    current = '';
  };
  for (let word of frenchWords(line)) {
    if (current !== '' && displayWidth(current) + 1 + displayWidth(word) <= room()) {
      current = `${current} ${word}`;
      continue;
    }
    if (current !== '') flush();
    // A word longer than a whole line is broken where the line ends.
    while (displayWidth(word) > room() && room() > 0) {
      const [head, rest] = splitAt(word, room());
      current = head;
      flush();
      word = rest;
    }
    current = word;
  }
  if (current !== '' || lines.length === 0) flush();
  return lines;
}

// French puts a space before « : ; ! ? » and after «: a line never starts or ends with them alone.
function frenchWords(line: string): string[] {
  const words: string[] = [];
  let glue = false;
  for (const w of line.split(' ')) {
    if (glue || (words.length > 0 && /^[:;!?»]$/.test(w))) words[words.length - 1] += ` ${w}`;
    else words.push(w);
    glue = w === '«';
  }
  return words;
}

function splitAt(word: string, width: number): [string, string] {
  let head = '';
  let w = 0;
  let i = 0;
  for (const [t] of word.matchAll(TOKEN)) {
    const cw = charWidth(t);
    if (w + cw > width) break;
    head += t;
    w += cw;
    i += t.length;
  }
  return [head, word.slice(i)];
}

/** The line under a table that was shortened by `--limit`: `… et 17 autres actions (--limit)`. */
export function leftOutLine(count: number, one: string, many: string): string {
  return `… et ${count} ${count > 1 ? many : one} (--limit)`;
}
