import { CsvError } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { DataError, quoted } from '../errors.js';
import { checkedUtf8Text, CP850_LOOK, piecesOf, decodeSource, latin1FixUp, NotUtf8, openBytes, sampleText, type ByteSource, type Encoding } from './decode.js';
import { describeDelimiter, sniffDelimiter } from './dialect.js';
import { detectFormat, headOf } from './formats.js';
import type { TabularKind } from './profiles.js';
import type { ReadOptions, ReadResult } from './types.js';
import { peek } from './stream.js';
import { CsvRecordError, CsvRowSplitter, csvOptions } from './csv-rows.js';
import { readSheet, refuseWorkbook } from './xlsx.js';
import { excerpt, exportDateOf, hasData, HEADER_SEARCH_ROWS, isBlank, parisDate, rowConsumer, tableHeader, totalKind } from './table.js';
import type { HeaderMapping } from './header.js';
import type { CalendarDate } from '../core/dates.js';

const DIRECT_ENCODINGS = new Set<Encoding>(['utf-8', 'windows-1252', 'iso-8859-15']);

/**
 * Reads a tabular export (aged balance, payments list or clients list) exported from a
 * software's screens: finds the header below any title lines, maps columns by synonyms,
 * skips blank, subtotal and total lines, and checks totals against the lines.
 * A delimited file is streamed (only the records are kept); an Excel workbook (.xlsx)
 * is read from its cells, through the same row reading (see readWorkbookTable).
 */
export async function readTabular(
  file: string,
  kind: TabularKind | null,
  options: ReadOptions,
  viaDecoder = false,
): Promise<ReadResult> {
  if (!viaDecoder) {
    const format = detectFormat(headOf(file, options.cwd));
    if (format === 'xlsx') return readWorkbookTable(file, kind, options);
    if (format === 'xls' || format === 'ods') refuseWorkbook(file, format);
  }
  // Lines as the splitter counts them (it reads ahead of the rows handled): no per-row cost.
  let linesRead = 0;
  const progress = options.onProgress;
  const onBytes = progress && ((read: number, total: number) => progress(file, read, total, linesRead));
  const { bytes, direct, first, rest, delimiter, sampleRows, mapping, headerIndex } = await openTable(file, kind, options, viaDecoder, onBytes);
  const { info } = bytes;
  const headerLine = headerIndex + 1;

  // The text is decoded whole (textOf fixes Latin-1 up piece by piece): cells need no fix-up.
  const table = rowConsumer(file, mapping, headerIndex, options, null, false, delimiter);
  const { mapper: m, values } = table;
  let line = headerLine;
  let last = { line: 0, length: 0 };
  // Records above the header (title lines) and the header itself, already read from the sample.
  let toSkip = headerIndex + 1;

  // A short row waits for the next one: two short rows that make one of the header's width
  // are a row cut by an unquoted line break (only short rows pay for this check). Short
  // means without the last named column: some exports end the header, not the rows, with `;`.
  let width = mapping.headers.length;
  while (width > 1 && mapping.headers[width - 1]!.trim() === '') width--;
  const fullWidth = mapping.headers.length;
  let held: { row: string[]; line: number } | null = null;

  const onRow = (row: string[], newlines: number): void => {
    linesRead++;
    if (toSkip > 0) {
      // The header row itself counts its lines (a multi-line cell), as every row below.
      if (--toSkip === 0) line += 1 + newlines;
      return;
    }
    const rowLine = line;
    line += 1 + newlines;
    last = { line: rowLine, length: row.length };
    if (held !== null) {
      const cut = held;
      held = null;
      const glued = cut.row.length + row.length - 1;
      if (row.length < width && glued >= width && glued <= fullWidth && isCutRow(cut.row, row)) {
        table.saw(row, rowLine);
        values.error(
          'ligne-coupee', null, null, null,
          `lignes ${cut.line} et ${rowLine} : une ligne coupée en deux par un retour à la ligne non protégé (${quoted(excerpt(cut.row, delimiter, null))} puis ${quoted(excerpt(row, delimiter, null))} : ${cut.row.length} et ${row.length} colonnes, qui recollées font une ligne complète de ${glued} colonnes)`,
          `une cellule contient un saut de ligne sans guillemets : ré-exportez le fichier depuis le logiciel ; s'il a été modifié à la main, recollez les deux lignes ou mettez la cellule entre guillemets (").`,
        );
        return;
      }
      table.handle(cut.row, cut.line, null);
    }
    if (isBlank(row)) {
      table.skip('vides');
      return;
    }
    if (row.length < width) {
      held = { row, line: rowLine };
      return;
    }
    table.handle(row, rowLine, null);
  };

  let endsWithNewline: boolean;
  try {
    const text = direct ? textOf(bytes) : (async function* () {
      yield first;
      yield* rest;
    })();
    const recordDelimiter = !direct ? '\n' : info.lineEnding === 'CRLF' ? '\r\n' : info.lineEnding === 'CR' ? '\r' : '\n';
    const splitter = new CsvRowSplitter(delimiter, recordDelimiter, onRow);
    for await (const chunk of text) splitter.push(chunk);
    ({ endsWithNewline } = splitter.end());
    const cut = held as { row: string[]; line: number } | null;
    if (cut !== null) table.handle(cut.row, cut.line, null);
  } catch (err) {
    if (err instanceof NotUtf8) {
      // Read again from the start: what was handed on from this pass is withdrawn first.
      options.discard?.();
      return readTabular(file, kind, options, true);
    }
    if (err instanceof CsvRecordError) throw csvProblem(file, err.code, err.line);
    throw err;
  }

  if (!endsWithNewline && last.length < mapping.headers.length && last.line > headerLine) {
    throw new DataError(
      `${file}, ligne ${last.line} : la dernière ligne n'a que ${last.length} colonne${last.length > 1 ? 's' : ''} sur ${mapping.headers.length} et le fichier ne se termine pas par un saut de ligne : il semble tronqué.`,
      `ré-exportez le fichier complet (une copie ou un téléchargement a pu être interrompu).`,
    );
  }

  /** Whether two short rows glued at the break read as one row with something in it. */
  function isCutRow(a: string[], b: string[]): boolean {
    if (isBlank(b)) return false;
    const glued = [...a.slice(0, -1), `${a[a.length - 1] ?? ''}\n${b[0] ?? ''}`, ...b.slice(1)];
    if (totalKind(glued, m) !== null) return false;
    return mapping.kind === 'clients' ? m.cell(glued, 'clientCode').trim() !== '' : hasData(glued, m, mapping);
  }

  const result = table.finish(sampleRows.slice(0, headerIndex), parisDate(bytes.modified), {
    format: 'tabulaire',
    encoding: info.encoding,
    encodingReason: info.encodingReason,
    delimiter: describeDelimiter(delimiter),
    lineEnding: info.lineEnding,
    lines: line - 1,
  });
  for (const w of info.warnings) {
    // Names and labels mis-decoded would go into letters: a CP850 look stops the file.
    if (w === CP850_LOOK) {
      values.error('encodage-douteux', null, null, null,
        'des octets 0x80–0x9F au milieu des mots ressemblent à des accents CP850 (DOS, certains exports EBP), qui seraient lus faux en Windows-1252 : relancez avec --encoding cp850',
        "si le fichier est bien en Windows-1252 (accents justes dans « relance inspect »), dites-le avec --encoding windows-1252");
    } else values.warn('encodage', null, null, null, w);
  }
  return result;
}

/** A delimited file opened, its header found in its first lines: what its rows are read with. */
interface OpenedTable {
  bytes: ByteSource;
  /** Read from its bytes (UTF-8 or Latin-1), not through the decoder. */
  direct: boolean;
  /** The first chunk of text, and the rest when decoded (direct: the rest is read from `bytes`). */
  first: string;
  rest: AsyncIterable<string>;
  delimiter: string;
  /** The first rows (HEADER_SEARCH_ROWS lines), the header among them. */
  sampleRows: string[][];
  mapping: HeaderMapping;
  headerIndex: number;
}

async function openTable(
  file: string,
  kind: TabularKind | null,
  options: ReadOptions,
  viaDecoder: boolean,
  onBytes?: (read: number, total: number) => void,
): Promise<OpenedTable> {
  const bytes = await openBytes(file, options.encoding, options.cwd, undefined, onBytes);
  const { info } = bytes;
  // The fast path splits the bytes as UTF-8 or as Latin-1 fixed up to Windows-1252 /
  // ISO-8859-15 field by field (DESIGN §7). The decoder serves the rest: CP850, UTF-16,
  // CR CR LF line ends, and a file that turns out not to be UTF-8.
  const direct = !viaDecoder && DIRECT_ENCODINGS.has(info.encoding) && info.lineEnding !== 'CR CR LF';
  let first: string;
  let rest: AsyncIterable<string> = (async function* () {})();
  if (direct) first = sampleText(bytes);
  else ({ first, rest } = await peek(decodeSource(bytes, options.encoding)));
  const delimiter = sniffDelimiter(first.slice(0, 65_536));
  if (delimiter === null) {
    throw new DataError(
      `${file} : aucun séparateur de colonnes reconnu (point-virgule, tabulation, barre verticale ou virgule).`,
      `exportez l'état au format CSV ou texte délimité ; un état mis en page (largeur fixe) ne peut pas être lu.`,
    );
  }

  // Find the header in the first lines before streaming the rest.
  const sampleEnd = offsetOfLine(first, HEADER_SEARCH_ROWS);
  let sampleRows: string[][];
  try {
    sampleRows = parseSync(first.slice(0, sampleEnd), csvOptions(delimiter, '\n')) as string[][];
  } catch (err) {
    if (err instanceof CsvError) throw csvProblem(file, err.code, (err as CsvError & { lines?: number }).lines);
    throw err;
  }
  const { mapping, index: headerIndex } = tableHeader(file, kind, options, sampleRows, info.warnings);
  return { bytes, direct, first, rest, delimiter, sampleRows, mapping, headerIndex };

}

/**
 * The export date of a delimited table, from its title lines (see exportDateOf), read
 * without its rows: what the payments read in parallel must know of the balance.
 */
export async function tableExportDate(file: string, kind: TabularKind, options: ReadOptions): Promise<CalendarDate | null> {
  const table = await openTable(file, kind, options, false);
  table.bytes.close();
  const above = table.sampleRows.slice(0, table.headerIndex).filter((r) => !isBlank(r));
  return exportDateOf(above, parisDate(table.bytes.modified)).date;
}

/**
 * Reads an aged balance, payments list or clients list saved as an Excel workbook: one
 * worksheet (the first, or `--sheet`), its rows numbered as Excel numbers them, each
 * cell with its value as Excel stored it (number, date) beside its text, then the same
 * header detection, row reading and totals check as a delimited file.
 */
async function readWorkbookTable(file: string, kind: TabularKind | null, options: ReadOptions): Promise<ReadResult> {
  const sheet = await readSheet(file, options.cwd, options.sheet);
  // The header search sees the sheet's first rows as a CSV's first lines, blank ones included.
  const sampleRows: string[][] = [];
  for (const r of sheet.rows) {
    if (r.line > HEADER_SEARCH_ROWS) break;
    while (sampleRows.length < r.line - 1) sampleRows.push([]);
    sampleRows.push(r.cells);
  }
  const { mapping, index: headerIndex } = tableHeader(file, kind, options, sampleRows, []);
  const headerLine = headerIndex + 1;
  const table = rowConsumer(file, mapping, headerIndex, options, null, sheet.date1904, ' ; ');
  let previous = headerLine;
  for (const r of sheet.rows) {
    if (r.line <= headerLine) continue;
    if (r.line > previous + 1) table.skip('vides', r.line - previous - 1);
    previous = r.line;
    if (isBlank(r.cells)) table.skip('vides');
    else table.handle(r.cells, r.line, r.typed);
  }
  const result = table.finish(sampleRows.slice(0, headerIndex), parisDate(sheet.modified), {
    format: 'tabulaire',
    sheet: sheet.name,
    encoding: 'utf-8',
    encodingReason: 'classeur Excel : texte Unicode',
    delimiter: 'aucun, une valeur par cellule',
    lineEnding: 'aucune, une ligne du classeur par ligne',
    lines: Math.max(sheet.lastLine, headerLine),
  });
  return result;
}

/**
 * A delimited file's bytes as text, read directly: UTF-8, checked as it goes, or a
 * single-byte encoding read as Latin-1 and fixed up to Windows-1252 or ISO-8859-15 chunk
 * by chunk (one test per chunk: most chunks need nothing). In pieces of TEXT_PIECE bytes:
 * a string of a whole 1 MiB chunk would be allocated with the long-lived objects and stay
 * there as garbage until a full collection, and the peak memory grow by the file's size.
 */
async function* textOf(bytes: ByteSource): AsyncGenerator<string> {
  const raw = (async function* () {
    yield bytes.first;
    yield* bytes.rest;
  })();
  if (bytes.info.encoding === 'utf-8') {
    yield* checkedUtf8Text(raw);
    return;
  }
  const fix = latin1FixUp(bytes.info.encoding);
  for await (const chunk of raw) {
    for (const piece of piecesOf(chunk)) yield fix === null ? piece.toString('latin1') : fix(piece.toString('latin1'));
  }
}

/** Offset just after the `n`-th line break (or of the last complete line before it). */
function offsetOfLine(text: string, n: number): number {
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const nl = text.indexOf('\n', offset);
    if (nl === -1) return text.length;
    offset = nl + 1;
  }
  return offset;
}

function csvProblem(file: string, code: string, where: number | undefined): DataError {
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return new DataError(
      `${file}${where ? `, ligne ${where}` : ''} : un guillemet ouvert n'est jamais refermé ; le fichier semble tronqué ou mal exporté.`,
      `ré-exportez le fichier complet ; s'il a été modifié à la main, vérifiez les guillemets (") de la ligne indiquée.`,
    );
  }
  return new DataError(
    `${file}${where ? `, ligne ${where}` : ''} : fichier CSV illisible (${code}).`,
    `ré-exportez le fichier depuis le logiciel comptable sans le modifier.`,
  );
}

