import { Readable } from 'node:stream';
import { parse, CsvError, type Options, type Parser } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { parseDate, BAD_DATE, type CalendarDate } from '../core/dates.js';
import { formatEuros, parseCents } from '../core/money.js';
import type { CanonicalRecord } from '../core/records.js';
import { DataError } from '../errors.js';
import { checkedUtf8, decodeSource, latin1FixUp, NotUtf8, openBytes, sampleText, type ByteSource, type Encoding } from './decode.js';
import { describeDelimiter, normaliseHeader, sniffDelimiter } from './dialect.js';
import { detectHeader, type HeaderMapping } from './header.js';
import { KIND_EXAMPLES, KIND_LABELS, type TabularKind } from './profiles.js';
import { RowMapper, type CurrentClient } from './rows.js';
import type { FileReport, ReadOptions, ReadResult, TotalCheck } from './types.js';
import { ValueReader } from './values.js';
import { peek } from './stream.js';

const HEADER_SEARCH_ROWS = 50;
const DIRECT_ENCODINGS = new Set<Encoding>(['utf-8', 'windows-1252', 'iso-8859-15']);
const AMOUNT_FIELDS = new Set(['originalAmount', 'openAmount', 'debit', 'credit', 'amount']);
const GRAND_TOTALS = new Set([
  'total', 'totaux', 'total general', 'total clients', 'total balance', 'total echeancier', 'total des clients',
  'total reglements', 'total des reglements', 'total general clients', 'total tiers', 'total fichier',
]);

/**
 * Reads a tabular export (aged balance, payments list or clients list) exported from a
 * software's screens: finds the header below any title lines, maps columns by synonyms,
 * skips blank, subtotal and total lines, and checks totals against the lines.
 * Streams the file; only the records are kept.
 */
export async function readTabular(
  file: string,
  kind: TabularKind | null,
  options: ReadOptions,
  viaDecoder = false,
): Promise<ReadResult> {
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
  let mapping: HeaderMapping | null = null;
  let headerIndex = 0;
  for (; headerIndex < sampleRows.length; headerIndex++) {
    const row = sampleRows[headerIndex]!;
    if (isBlank(row)) continue;
    mapping = detectHeader(row, kind, options.profile, options.columns);
    if (mapping) break;
  }
  const preHeader = sampleRows.slice(0, mapping ? headerIndex : sampleRows.length).filter((r) => !isBlank(r));
  if (!mapping) throw noHeader(file, kind, preHeader, info.warnings);
  const map: HeaderMapping = mapping;
  const headerLine = headerIndex + 1;

  const rows = streamRows(bytes, direct ? null : { first, rest }, csvOptions, headerIndex);
  parser = rows.parser;
  const fix = direct ? latin1FixUp(info.encoding) : null;

  const values = new ValueReader(file);
  const records: CanonicalRecord[] = [];
  const sink = options.sink;
  let count = 0;
  const skipped: Record<string, number> = {};
  const skip = (why: string): void => {
    skipped[why] = (skipped[why] ?? 0) + 1;
  };
  if (headerIndex > 0) skipped.titre = headerIndex;
  const totals: TotalCheck[] = [];
  const m = new RowMapper(file, mapping, values, fix);
  const headerFirst = mapping.headers[0] ?? '';
  const headerKey = mapping.headers.map(normaliseHeader).join('\u0001');
  const amountColumns = mapping.fields.flatMap((f, i) => (f !== null && AMOUNT_FIELDS.has(f) ? [i] : []));
  const grand = amountColumns.map(() => 0);
  let section = amountColumns.map(() => 0);
  let line = headerLine;
  let current: CurrentClient | null = null;
  let last = { line: 0, length: 0 };
  let seenHeader = false;

  try {
    for await (const row of rows.parser as AsyncIterable<string[]>) {
      const rowLine = line;
      line += 1 + newlinesIn(row);
      last = { line: rowLine, length: row.length };
      if (!seenHeader) {
        seenHeader = true; // the header row itself, already mapped
        continue;
      }
      if (isBlank(row)) {
        skip('vides');
        continue;
      }
      const total = totalKind(row, m);
      if (total === 'report') {
        skip('reports');
        continue;
      }
      if (total !== null) {
        const cell = row.find((c) => c.trim() !== '')!.trim();
        const label = fix ? fix(cell) : cell;
        checkTotals(row, rowLine, label, total === 'grand' ? grand : section);
        if (total === 'grand') skip('total');
        else skip('sous-totaux');
        section = amountColumns.map(() => 0);
        continue;
      }
      if ((row[0] ?? '').trim() === headerFirst && row.map(normaliseHeader).join('\u0001') === headerKey) {
        skip('en-têtes répétés');
        continue;
      }
      if (mapping.kind !== 'clients' && !hasData(row, m, mapping)) {
        const code = m.cell(row, 'clientCode').trim();
        if (code || m.cell(row, 'clientName').trim()) {
          current = { code: code || m.cell(row, 'clientName').trim(), name: m.cell(row, 'clientName').trim() };
          skip('en-têtes de client');
        } else {
          skip('sans données');
        }
        continue;
      }
      const record =
        mapping.kind === 'balance'
          ? m.openItem(row, rowLine, current)
          : mapping.kind === 'payments'
            ? m.payment(row, rowLine, current)
            : m.clientRecord(row, rowLine);
      if (record) {
        count++;
        if (sink) sink(record);
        else records.push(record);
      }
      for (let k = 0; k < amountColumns.length; k++) {
        const c = parseCents(row[amountColumns[k]!] ?? '');
        if (c !== null && !Number.isNaN(c)) {
          grand[k]! += c;
          section[k]! += c;
        }
      }
    }
  } catch (err) {
    if (err instanceof NotUtf8) return readTabular(file, kind, options, true);
    if (err instanceof CsvError) throw csvProblem(file, err);
    throw err;
  }

  if (!rows.endsWithNewline() && last.length < mapping.headers.length && last.line > headerLine) {
    throw new DataError(
      `${file}, ligne ${last.line} : la dernière ligne n'a que ${last.length} colonne${last.length > 1 ? 's' : ''} sur ${mapping.headers.length} et le fichier ne se termine pas par un saut de ligne : il semble tronqué.`,
      `ré-exportez le fichier complet (une copie ou un téléchargement a pu être interrompu).`,
    );
  }

  function checkTotals(row: string[], rowLine: number, label: string, sums: number[]): void {
    amountColumns.forEach((col, k) => {
      const declared = parseCents(row[col] ?? '');
      if (declared === null || Number.isNaN(declared)) return;
      const header = map.headers[col] ?? '';
      const check = { line: rowLine, label, column: header, declaredCents: declared, computedCents: sums[k]! };
      totals.push(check);
      if (declared !== sums[k]) {
        values.error(
          'total-incorrect', rowLine, header, row[col]!.trim(),
          `la ligne « ${label} » annonce ${formatEuros(declared)} mais les lignes qu'elle totalise font ${formatEuros(sums[k]!)} (écart ${formatEuros(declared - sums[k]!)})`,
          `l'export est incomplet ou a été modifié à la main : ré-exportez l'état complet depuis le logiciel`,
        );
      }
    });
  }

  const report: FileReport = {
    file,
    format: 'tabulaire',
    kind: mapping.kind,
    profile: mapping.profile?.id ?? 'generic',
    profileDetected: options.profile === null,
    encoding: info.encoding,
    encodingReason: info.encodingReason,
    delimiter: describeDelimiter(delimiter),
    lineEnding: info.lineEnding,
    headerLine,
    columns: mapping.headers.map((header, index) => ({ index, header, field: mapping.fields[index] ?? null })),
    exportDate: titleDate(preHeader),
    records: count,
    lines: line - 1,
    skipped,
    totals,
  };
  for (const w of info.warnings) values.warn('encodage', null, null, null, w);
  return { report, records, findings: values.findings };
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

function isBlank(row: string[]): boolean {
  for (const c of row) if (c.trim() !== '') return false;
  return true;
}

function newlinesIn(row: string[]): number {
  let n = 0;
  for (const c of row) {
    if (c.length > 0 && c.includes('\n')) n += c.split('\n').length - 1;
  }
  return n;
}

/** A row with something to read: a reference, a date or an amount. */
function hasData(row: string[], m: RowMapper, map: HeaderMapping): boolean {
  if (m.cell(row, 'ref').trim() || m.cell(row, 'date').trim()) return true;
  for (const f of AMOUNT_FIELDS) if (m.cell(row, f).trim()) return true;
  for (const b of map.buckets) if ((row[b] ?? '').trim()) return true;
  return false;
}

const MAYBE_TOTAL = /^\s*(sous|s\W|total|report|[aà] report)/i;

/**
 * Whether a row is a grand total, a subtotal, a page carry line, or data (null). A row
 * with a document reference is data, even for a client named "Total…".
 */
function totalKind(row: string[], m: RowMapper): 'grand' | 'sub' | 'report' | null {
  const ref = m.cell(row, 'ref').trim();
  if (ref && !/^(sous.?total|total|report)/i.test(ref)) return null;
  let seen = 0;
  for (const cell of row) {
    if (cell.trim() === '') continue;
    if (!MAYBE_TOTAL.test(cell)) {
      if (++seen >= 3) break;
      continue;
    }
    const key = normaliseHeader(cell);
    if (GRAND_TOTALS.has(key) || key.startsWith('total general')) return 'grand';
    if (/^(sous total|s total|total)\b/.test(key)) return 'sub';
    if (/^(report|a reporter|reporte)\b/.test(key)) return 'report';
    if (++seen >= 3) break;
  }
  return null;
}

/** The latest date written in the title lines ("Date de tirage : 16/11/2026"), if any. */
function titleDate(rows: string[][]): CalendarDate | null {
  let latest: CalendarDate | null = null;
  for (const row of rows) {
    for (const m of row.join(' ').matchAll(/\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b/g)) {
      const d = parseDate(m[0]);
      if (d !== null && d !== BAD_DATE && (latest === null || d > latest)) latest = d;
    }
  }
  return latest;
}

function noHeader(file: string, kind: TabularKind | null, seen: string[][], decodeWarnings: string[]): DataError {
  const kinds: TabularKind[] = kind ? [kind] : ['balance', 'payments', 'clients'];
  const widest = seen.reduce<string[]>((a, r) => (r.length > a.length ? r : a), []);
  const found = widest.length > 1 ? ` Colonnes vues : ${widest.slice(0, 8).map((c) => `« ${c.trim()} »`).join(', ')}.` : '';
  const expected = kinds.map((k) => `${KIND_LABELS[k]} : ${KIND_EXAMPLES[k]}`).join(' ; ');
  const key = kind ?? 'balance';
  return new DataError(
    `${file} : aucune ligne d'en-tête reconnue dans les ${HEADER_SEARCH_ROWS} premières lignes.${found}${decodeWarnings.map((w) => ` Attention : ${w}.`).join('')}`,
    `colonnes attendues (${expected}). Si votre logiciel les nomme autrement, associez-les dans la configuration, par exemple :\n  columns:\n    ${key}:\n      ref: "Votre colonne pièce"`,
  );
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
