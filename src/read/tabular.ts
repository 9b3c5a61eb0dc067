import { Readable } from 'node:stream';
import { parse, CsvError, type Options, type Parser } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { DataError, quoted } from '../errors.js';
import { checkedUtf8, CP850_LOOK, decodeSource, latin1FixUp, NotUtf8, openBytes, sampleText, type ByteSource, type Encoding } from './decode.js';
import { describeDelimiter, sniffDelimiter } from './dialect.js';
import { detectFormat, headOf } from './formats.js';
import type { TabularKind } from './profiles.js';
import type { ReadOptions, ReadResult } from './types.js';
import type { Fix } from './values.js';
import { peek } from './stream.js';
import { readSheet, refuseWorkbook } from './xlsx.js';
import { excerpt, hasData, HEADER_SEARCH_ROWS, isBlank, parisDate, rowConsumer, tableHeader, totalKind } from './table.js';

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
  // Lines as csv-parse counts them (it reads ahead of the rows handled): no per-row cost.
  let parser: Parser | null = null;
  const progress = options.onProgress;
  const onBytes = progress && ((read: number, total: number) => progress(file, read, total, parser?.info.lines ?? 0));
  const bytes = await openBytes(file, options.encoding, options.cwd, undefined, onBytes);
  const { info } = bytes;
  // The fast path lets csv-parse read the bytes itself, as UTF-8 or as Latin-1 fixed up
  // to Windows-1252 / ISO-8859-15 field by field (DESIGN §7). The decoder serves the
  // rest: CP850, UTF-16, CR CR LF line ends, and a file that turns out not to be UTF-8.
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
  const csvOptions = {
    delimiter,
    record_delimiter: '\n',
    quote: '"',
    escape: '"',
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
  };

  // Find the header in the first lines before streaming the rest: csv-parse then starts
  // at the header, so that the title lines above it do not set the expected field count
  // (every row differing from it costs csv-parse an error object).
  const sampleEnd = offsetOfLine(first, HEADER_SEARCH_ROWS);
  let sampleRows: string[][];
  try {
    sampleRows = parseSync(first.slice(0, sampleEnd), csvOptions) as string[][];
  } catch (err) {
    if (err instanceof CsvError) throw csvProblem(file, err);
    throw err;
  }
  const { mapping, index: headerIndex } = tableHeader(file, kind, options, sampleRows, info.warnings);
  const headerLine = headerIndex + 1;

  const rows = streamRows(bytes, direct ? null : { first, rest }, csvOptions, headerIndex);
  parser = rows.parser;
  const fix: Fix = direct ? latin1FixUp(info.encoding) : null;
  const table = rowConsumer(file, mapping, headerIndex, options, fix, false, delimiter);
  const { mapper: m, values } = table;
  let line = headerLine;
  let last = { line: 0, length: 0 };
  let seenHeader = false;

  // A short row waits for the next one: two short rows that make one of the header's width
  // are a row cut by an unquoted line break (only short rows pay for this check). Short
  // means without the last named column: some exports end the header, not the rows, with `;`.
  let width = mapping.headers.length;
  while (width > 1 && mapping.headers[width - 1]!.trim() === '') width--;
  const fullWidth = mapping.headers.length;
  let held: { row: string[]; line: number } | null = null;

  try {
    for await (const row of rows.parser as AsyncIterable<string[]>) {
      const rowLine = line;
      line += 1 + newlinesIn(row);
      last = { line: rowLine, length: row.length };
      if (!seenHeader) {
        seenHeader = true; // the header row itself, already mapped
        continue;
      }
      if (held !== null) {
        const cut = held;
        held = null;
        const glued = cut.row.length + row.length - 1;
        if (row.length < width && glued >= width && glued <= fullWidth && isCutRow(cut.row, row)) {
          table.saw(row, rowLine);
          values.error(
            'ligne-coupee', null, null, null,
            `lignes ${cut.line} et ${rowLine} : une ligne coupée en deux par un retour à la ligne non protégé (${quoted(excerpt(cut.row, delimiter, fix))} puis ${quoted(excerpt(row, delimiter, fix))} : ${cut.row.length} et ${row.length} colonnes, qui recollées font une ligne complète de ${glued} colonnes)`,
            `une cellule contient un saut de ligne sans guillemets : ré-exportez le fichier depuis le logiciel ; s'il a été modifié à la main, recollez les deux lignes ou mettez la cellule entre guillemets (").`,
          );
          continue;
        }
        table.handle(cut.row, cut.line, null);
      }
      if (isBlank(row)) {
        table.skip('vides');
        continue;
      }
      if (row.length < width) {
        held = { row, line: rowLine };
        continue;
      }
      table.handle(row, rowLine, null);
    }
    if (held !== null) table.handle(held.row, held.line, null);
  } catch (err) {
    if (err instanceof NotUtf8) {
      // Read again from the start: what was handed on from this pass is withdrawn first.
      options.discard?.();
      return readTabular(file, kind, options, true);
    }
    if (err instanceof CsvError) throw csvProblem(file, err);
    throw err;
  }

  if (!rows.endsWithNewline() && last.length < mapping.headers.length && last.line > headerLine) {
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

type CsvOptions = Options;

/**
 * Starts csv-parse at the header line: on the file's bytes (fast path) or on the
 * decoder's text. Also tells whether the file ended with a line break (else its last
 * line may be cut).
 */
function streamRows(
  bytes: ByteSource,
  decoded: { first: string; rest: AsyncIterable<string> } | null,
  csvOptions: CsvOptions,
  headerIndex: number,
): { parser: Parser; endsWithNewline: () => boolean } {
  let endsWithNewline = false;
  let input: AsyncIterable<string | Buffer>;
  let parser: Parser;
  if (decoded === null) {
    const { info } = bytes;
    const raw = (async function* () {
      yield bytes.first;
      yield* bytes.rest;
    })();
    const checked = info.encoding === 'utf-8' ? checkedUtf8(raw) : raw;
    input = (async function* () {
      for await (const chunk of checked) {
        endsWithNewline = chunk[chunk.length - 1] === 0x0a || chunk[chunk.length - 1] === 0x0d;
        yield chunk;
      }
    })();
    parser = parse({
      ...csvOptions,
      record_delimiter: info.lineEnding === 'CRLF' ? '\r\n' : info.lineEnding === 'CR' ? '\r' : '\n',
      encoding: info.encoding === 'utf-8' ? 'utf8' : 'latin1',
      from_line: headerIndex + 1,
    });
  } else {
    const { first, rest } = decoded;
    input = (async function* () {
      const start = first.slice(offsetOfLine(first, headerIndex));
      endsWithNewline = start.endsWith('\n');
      yield start;
      for await (const chunk of rest) {
        endsWithNewline = chunk.endsWith('\n');
        yield chunk;
      }
    })();
    parser = parse(csvOptions);
  }
  const source = Readable.from(input);
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  return { parser, endsWithNewline: () => endsWithNewline };
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

function newlinesIn(row: string[]): number {
  let n = 0;
  for (const c of row) {
    if (c.length > 0 && c.includes('\n')) n += c.split('\n').length - 1;
  }
  return n;
}

function csvProblem(file: string, err: CsvError): DataError {
  const where = (err as CsvError & { lines?: number }).lines;
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new DataError(
      `${file}${where ? `, ligne ${where}` : ''} : un guillemet ouvert n'est jamais refermé ; le fichier semble tronqué ou mal exporté.`,
      `ré-exportez le fichier complet ; s'il a été modifié à la main, vérifiez les guillemets (") de la ligne indiquée.`,
    );
  }
  return new DataError(
    `${file}${where ? `, ligne ${where}` : ''} : fichier CSV illisible (${err.code}).`,
    `ré-exportez le fichier depuis le logiciel comptable sans le modifier.`,
  );
}

