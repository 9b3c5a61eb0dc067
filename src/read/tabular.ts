import { Readable } from 'node:stream';
import { parse, CsvError, type Options, type Parser } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { formatDateFr, parseDate, type CalendarDate } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import type { CanonicalRecord } from '../core/records.js';
import { DataError, finding, quoted, type Finding } from '../errors.js';
import { checkedUtf8, CP850_LOOK, decodeSource, latin1FixUp, NotUtf8, openBytes, sampleText, type ByteSource, type Encoding } from './decode.js';
import { describeDelimiter, normaliseHeader, sniffDelimiter } from './dialect.js';
import { AMOUNT_SOURCES, detectHeader, headerWords, kindEvidence, mapHeader, type ColumnOverrides, type HeaderMapping } from './header.js';
import { KIND_EXAMPLES, KIND_FLAGS, KIND_LABELS, KIND_NOUNS, type TabularKind } from './profiles.js';
import { RowMapper, type CurrentClient } from './rows.js';
import type { FileReport, ReadOptions, ReadResult, TotalCheck } from './types.js';
import { amountCents, ValueReader, type Fix } from './values.js';
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
  const found = findHeader(sampleRows, kind, options);
  if (!found) {
    // Before saying that no header was found, say what was found instead: the header of
    // another kind (a file given with the wrong flag) or a header without an amount.
    const other = kind ? findHeader(sampleRows, null, options) : null;
    if (other) throwIfOtherKind(file, kind!, other.mapping.headers, options.columns);
    const noAmount = findHeader(sampleRows, kind, options, true);
    if (noAmount) throw noAmountColumn(file, noAmount.mapping, noAmount.index + 1);
    throw noHeader(file, kind, sampleRows.filter((r) => !isBlank(r)), info.warnings);
  }
  const { mapping, index: headerIndex } = found;
  if (kind) throwIfOtherKind(file, kind, mapping.headers, options.columns);
  if (!hasAmountSource(mapping)) throw noAmountColumn(file, mapping, headerIndex + 1);
  const preHeader = sampleRows.slice(0, headerIndex).filter((r) => !isBlank(r));
  const map: HeaderMapping = mapping;
  const headerLine = headerIndex + 1;

  const rows = streamRows(bytes, direct ? null : { first, rest }, csvOptions, headerIndex);
  parser = rows.parser;
  const fix: Fix = direct ? latin1FixUp(info.encoding) : null;

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
  // For a cut export: where its last total lines and data lines were, and its last line.
  let totalLines = 0;
  let grandLine = 0;
  let dataLine = 0;
  let dataSinceTotal = false;
  let lastRow: string[] = [];
  let lastRowLine = 0;

  // A short row waits for the next one: two short rows that make one of the header's width
  // are a row cut by an unquoted line break (only short rows pay for this check). Short
  // means without the last named column: some exports end the header, not the rows, with `;`.
  let width = mapping.headers.length;
  while (width > 1 && mapping.headers[width - 1]!.trim() === '') width--;
  const fullWidth = mapping.headers.length;
  let held: { row: string[]; line: number } | null = null;

  /** Reads one data row (not the header, not blank). */
  const handle = (row: string[], rowLine: number): void => {
    lastRow = row;
    lastRowLine = rowLine;
    const total = totalKind(row, m);
    if (total === 'report') {
      skip('reports');
      return;
    }
    if (total !== null) {
      const cell = row.find((c) => c.trim() !== '')!.trim();
      const label = fix ? fix(cell) : cell;
      // A total of totals right after a subtotal, whatever its label, is the grand total.
      const isGrand = total === 'grand' || (totalLines > 0 && !dataSinceTotal && declaresSums(row, grand));
      checkTotals(row, rowLine, label, isGrand ? grand : section);
      if (isGrand) {
        skip('total');
        grandLine = rowLine;
      } else skip('sous-totaux');
      totalLines++;
      dataSinceTotal = false;
      section = amountColumns.map(() => 0);
      return;
    }
    if ((row[0] ?? '').trim() === headerFirst && row.map(normaliseHeader).join('\u0001') === headerKey) {
      skip('en-têtes répétés');
      return;
    }
    if (mapping.kind !== 'clients' && !hasData(row, m, mapping)) {
      const code = m.cell(row, 'clientCode').trim();
      if (code || m.cell(row, 'clientName').trim()) {
        current = { code: code || m.cell(row, 'clientName').trim(), name: m.cell(row, 'clientName').trim() };
        skip('en-têtes de client');
      } else {
        skip('sans données');
      }
      return;
    }
    dataLine = rowLine;
    dataSinceTotal = true;
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
      const c = amountCents(row[amountColumns[k]!] ?? '', fix);
      if (c !== null && !Number.isNaN(c)) {
        grand[k]! += c;
        section[k]! += c;
      }
    }
  };

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
          lastRow = row;
          lastRowLine = rowLine;
          values.error(
            'ligne-coupee', null, null, null,
            `lignes ${cut.line} et ${rowLine} : une ligne coupée en deux par un retour à la ligne non protégé (${quoted(excerpt(cut.row, delimiter, fix))} puis ${quoted(excerpt(row, delimiter, fix))} : ${cut.row.length} et ${row.length} colonnes, qui recollées font une ligne complète de ${glued} colonnes)`,
            `une cellule contient un saut de ligne sans guillemets : ré-exportez le fichier depuis le logiciel ; s'il a été modifié à la main, recollez les deux lignes ou mettez la cellule entre guillemets (").`,
          );
          continue;
        }
        handle(cut.row, cut.line);
      }
      if (isBlank(row)) {
        skip('vides');
        continue;
      }
      if (row.length < width) {
        held = { row, line: rowLine };
        continue;
      }
      handle(row, rowLine);
    }
    if (held !== null) handle(held.row, held.line);
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

  // An export that prints subtotals ends with its grand total: without it, it was cut.
  if ((skipped['sous-totaux'] ?? 0) > 0 && grandLine < dataLine) {
    values.error(
      'fichier-tronque', lastRowLine, null, null,
      `dernière ligne lue ${quoted(excerpt(lastRow, delimiter, fix))} : l'état imprime des sous-totaux (${skipped['sous-totaux']} ligne${skipped['sous-totaux']! > 1 ? 's' : ''} « Total … ») mais pas la ligne de total général (« Total général ») qui doit le terminer ; le fichier semble tronqué`,
      `ré-exportez l'état complet depuis le logiciel (une copie ou un téléchargement a pu être interrompu) : relance ne lit jamais un état à moitié.`,
    );
  }

  /** Whether two short rows glued at the break read as one row with something in it. */
  function isCutRow(a: string[], b: string[]): boolean {
    if (isBlank(b)) return false;
    const glued = [...a.slice(0, -1), `${a[a.length - 1] ?? ''}\n${b[0] ?? ''}`, ...b.slice(1)];
    if (totalKind(glued, m) !== null) return false;
    return mapping.kind === 'clients' ? m.cell(glued, 'clientCode').trim() !== '' : hasData(glued, m, mapping);
  }

  /** Whether a total row declares the given sums in every amount column it fills (at least one). */
  function declaresSums(row: string[], sums: number[]): boolean {
    let declared = 0;
    for (let k = 0; k < amountColumns.length; k++) {
      const c = amountCents(row[amountColumns[k]!] ?? '', fix);
      if (c === null || Number.isNaN(c)) continue;
      if (c !== sums[k]) return false;
      declared++;
    }
    return declared > 0;
  }

  function checkTotals(row: string[], rowLine: number, label: string, sums: number[]): void {
    amountColumns.forEach((col, k) => {
      const declared = amountCents(row[col] ?? '', fix);
      if (declared === null || Number.isNaN(declared)) return;
      const header = map.headers[col] ?? '';
      const check = { line: rowLine, label, column: header, declaredCents: declared, computedCents: sums[k]! };
      totals.push(check);
      if (declared !== sums[k]) {
        values.error(
          'total-incorrect', rowLine, header, (fix ? fix(row[col]!) : row[col]!).trim(),
          `la ligne ${quoted(label)} annonce ${formatEuros(declared)} mais les lignes qu'elle totalise font ${formatEuros(sums[k]!)} (écart ${formatEuros(declared - sums[k]!)})`,
          `l'export est incomplet ou a été modifié à la main : ré-exportez l'état complet depuis le logiciel`,
        );
      }
    });
  }

  const exported = exportDateOf(preHeader, parisDate(bytes.modified));
  if (exported.finding) values.findings.push({ ...exported.finding, file });
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
    exportDate: exported.date,
    title: preHeader.map((r) => r.map((c) => c.trim()).filter(Boolean)),
    records: count,
    lines: line - 1,
    skipped,
    totals,
  };
  for (const w of info.warnings) {
    // Names and labels mis-decoded would go into letters: a CP850 look stops the file.
    if (w === CP850_LOOK) {
      values.error('encodage-douteux', null, null, null,
        'des octets 0x80–0x9F au milieu des mots ressemblent à des accents CP850 (DOS, certains exports EBP), qui seraient lus faux en Windows-1252 : relancez avec --encoding cp850',
        "si le fichier est bien en Windows-1252 (accents justes dans « relance inspect »), dites-le avec --encoding windows-1252");
    } else values.warn('encodage', null, null, null, w);
  }
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

/** The first row of the sample that reads as a header (of `kind`, or of any kind). */
function findHeader(
  rows: string[][],
  kind: TabularKind | null,
  options: ReadOptions,
  withoutAmount = false,
): { mapping: HeaderMapping; index: number } | null {
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    if (isBlank(row)) continue;
    const mapping = detectHeader(row, kind, options.profile, options.columns, withoutAmount);
    if (mapping) return { mapping, index };
  }
  return null;
}

/**
 * A file given with the wrong flag (`--balance reglements.csv`): its header has columns
 * only another kind has (« Pièces réglées »), none that only the given kind has (« Solde »),
 * and reads as a header of that other kind. One error then, not one per row.
 */
function throwIfOtherKind(file: string, kind: TabularKind, headers: string[], overrides: ColumnOverrides): void {
  const evidence = kindEvidence(headers, overrides);
  if (evidence[kind].length > 0) return;
  let other: TabularKind | null = null;
  for (const k of ['balance', 'payments', 'clients'] as const) {
    if (k === kind || evidence[k].length === 0) continue;
    if (mapHeader(headers, k, null, overrides[k]) === null) continue;
    if (other === null || evidence[k].length > evidence[other].length) other = k;
  }
  if (other === null) return;
  const shown = evidence[other].slice(0, 4).map(quoted).join(', ');
  throw new DataError(
    `${file} : ce fichier est ${KIND_NOUNS[other]} : utilisez ${KIND_FLAGS[other]} (il a été donné avec ${KIND_FLAGS[kind]}).`,
    `${evidence[other].length > 1 ? `ses colonnes ${shown} sont celles` : `sa colonne ${shown} est celle`} d'${KIND_NOUNS[other]}, aucune n'est propre à ${KIND_NOUNS[kind]} ; si c'est bien ${KIND_NOUNS[kind]}, associez ses colonnes dans la configuration (columns.${kind}).`,
  );
}

/** Whether the header gives each row its amount: an open amount (or Débit/Crédit, buckets) for a balance. */
function hasAmountSource(mapping: HeaderMapping): boolean {
  if (mapping.kind === 'balance') {
    const i = mapping.index;
    return i.openAmount !== undefined || i.debit !== undefined || i.credit !== undefined || mapping.buckets.length > 0;
  }
  const sources = AMOUNT_SOURCES[mapping.kind];
  return sources === undefined || sources.some((f) => mapping.index[f] !== undefined);
}

// Words that make an unrecognised column the likely amount, for the config example.
const AMOUNT_WORDS = new Set(['montant', 'solde', 'reste', 'restant', 'du', 'regler', 'regle', 'impaye', 'ttc', 'somme', 'encours']);

/**
 * One error for a header without the amount the kind needs (not one per row): lists the
 * columns seen and the config lines that map one of them.
 */
function noAmountColumn(file: string, mapping: HeaderMapping, headerLine: number): DataError {
  const balance = mapping.kind === 'balance';
  const field = balance ? 'openAmount' : 'amount';
  const seen = mapping.headers.filter((h) => h !== '');
  const unmapped = mapping.headers.filter((h, i) => h !== '' && mapping.fields[i] === null);
  const guess =
    unmapped.find((h) => [...headerWords(h), ...normaliseHeader(h).split(' ')].some((w) => AMOUNT_WORDS.has(w))) ?? unmapped[0] ?? 'Votre colonne';
  const original = balance && mapping.index.originalAmount !== undefined ? mapping.headers[mapping.index.originalAmount]! : null;
  const what = balance
    ? `aucune colonne de reste dû reconnue dans l'en-tête (Solde, Reste dû, Montant restant…, ou Débit et Crédit)${original ? ` ; ${quoted(original)} est le montant d'origine des pièces, pas ce qui en reste dû` : ''}`
    : `aucune colonne de montant réglé reconnue dans l'en-tête (Montant, Montant réglé, Encaissement…, ou Débit et Crédit)`;
  return new DataError(
    `${file}, ligne ${headerLine} : ${what}. Colonnes vues : ${seen.map(quoted).join(', ')}.`,
    `associez dans la configuration la colonne qui porte ${balance ? 'le reste dû de chaque pièce' : 'le montant de chaque règlement'}, par exemple :\n  columns:\n    ${mapping.kind}:\n      ${field}: ${JSON.stringify(guess)}`,
  );
}

/** A row as the file wrote it, shortened, for a message. */
function excerpt(row: string[], delimiter: string, fix: Fix): string {
  let end = row.length;
  while (end > 0 && row[end - 1]!.trim() === '') end--;
  const text = row.slice(0, end).join(delimiter);
  const shown = fix ? fix(text) : text;
  return shown.length > 60 ? `${shown.slice(0, 59)}…` : shown;
}

const DATE_TOKEN = /\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b/g;
// Just before a date, the words that say it is the printing date.
const PRINTED =
  /(?<!\p{L})(tirage|tir[ée]e?|[ée]dit[ée]e?|[ée]dition|imprim[ée]e?|impression|export[ée]e?|extrait|extraction|g[ée]n[ée]r[ée]e?|cr[ée]{2}e?)(?!\p{L})\P{N}{0,25}$/iu;
const AS_AT = /\bau\s*:?\s*$/i;
const PERIOD_FROM = /\b(du|depuis)\s*:?\s*$/i;
const PERIOD_TO = /^\s*(au|à|a|-|–|—)\s*$/i;
const PERIOD_LINE = /p[ée]riode|exercice/i;

/**
 * The date an export was printed, from its title lines: a date after « Date de tirage »,
 * « édité le », « imprimé le »…; else an « au JJ/MM/AAAA » (« Échéancier clients au
 * 16/11/2026 »); else a date written alone. A period (« Période du 01/01/2026 au
 * 31/12/2026 », « du … au … ») is never it, nor a date after the file was last modified.
 * When the strongest kind of date found gives several dates, or one after the file's
 * modification, the date is ambiguous: a warning, and the modification date is used.
 */
export function exportDateOf(rows: string[][], modified: CalendarDate): { date: CalendarDate | null; finding: Omit<Finding, 'file'> | null } {
  const printed: CalendarDate[] = [];
  const asAt: CalendarDate[] = [];
  const bare: CalendarDate[] = [];
  for (const row of rows) {
    const text = row.join(' ');
    const periodLine = PERIOD_LINE.test(text);
    const found = [...text.matchAll(DATE_TOKEN)].map((m) => ({ at: m.index, end: m.index + m[0].length, date: parseDate(m[0]) }));
    let periodEnd = -1;
    found.forEach((d, k) => {
      const date = d.date;
      if (typeof date !== 'string') return; // null or BAD_DATE
      const before = text.slice(Math.max(0, d.at - 40), d.at);
      const next = found[k + 1];
      if (PRINTED.test(before)) printed.push(date);
      else if (periodLine || k === periodEnd) return;
      else if (PERIOD_FROM.test(before) && next && PERIOD_TO.test(text.slice(d.end, next.at))) periodEnd = k + 1;
      else if (AS_AT.test(before)) asAt.push(date);
      else bare.push(date);
    });
  }
  const tiers: [CalendarDate[], string][] = [[printed, 'de tirage'], [asAt, 'de situation (« au … »)'], [bare, '']];
  for (const [dates, what] of tiers) {
    if (dates.length === 0) continue;
    const distinct = [...new Set(dates)].sort();
    const late = distinct.filter((d) => d > modified);
    if (distinct.length === 1 && late.length === 0) return { date: distinct[0]!, finding: null };
    const shown = distinct.map(formatDateFr).join(', ');
    const why =
      late.length > 0
        ? `la date ${what ? `${what} ` : 'du titre '}${late.map(formatDateFr).join(', ')} est postérieure à la dernière modification du fichier (${formatDateFr(modified)})`
        : `les lignes de titre donnent plusieurs dates ${what ? `${what} ` : ''}(${shown})`;
    return {
      date: modified,
      finding: finding('avertissement', 'date-export-ambigue', { file: '', value: shown },
        `date de l'export ambiguë : ${why} ; la date de modification du fichier (${formatDateFr(modified)}) est retenue`,
        `cette date fixe l'âge de l'export (relance send refuse un export trop ancien, maxExportAgeDays) ; si elle est fausse, ré-exportez l'état le jour de l'envoi`),
    };
  }
  return { date: null, finding: null };
}

/** A moment as the calendar date it was in Europe/Paris. */
function parisDate(moment: Date): CalendarDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(moment);
}

function noHeader(file: string, kind: TabularKind | null, seen: string[][], decodeWarnings: string[]): DataError {
  const kinds: TabularKind[] = kind ? [kind] : ['balance', 'payments', 'clients'];
  const widest = seen.reduce<string[]>((a, r) => (r.length > a.length ? r : a), []);
  const found = widest.length > 1 ? ` Colonnes vues : ${widest.slice(0, 8).map((c) => quoted(c.trim())).join(', ')}.` : '';
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
