import { formatDateFr, parseDate, type CalendarDate } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import type { CanonicalRecord } from '../core/records.js';
import { DataError, finding, quoted, type Finding } from '../errors.js';
import { normaliseHeader } from './dialect.js';
import { AMOUNT_SOURCES, detectHeader, headerWords, kindEvidence, mapHeader, type ColumnOverrides, type HeaderMapping } from './header.js';
import { KIND_EXAMPLES, KIND_FLAGS, KIND_LABELS, KIND_NOUNS, type TabularKind } from './profiles.js';
import { RowMapper, type CurrentClient } from './rows.js';
import type { FileReport, ReadOptions, ReadResult, TotalCheck } from './types.js';
import { amountCents, ValueReader, type Fix } from './values.js';
import { isCellProblem, numberCents, type CellValue } from './xlsx.js';

// The reading of a table once its rows are at hand, whatever gave them (a delimited
// file's stream, a workbook's sheet: see tabular.ts): the header among the first rows,
// then each row classified (blank, repeated header, client header, subtotal, total,
// data), data rows turned into records, total rows checked against the rows they cover.

/** How far down a table its header is looked for. */
export const HEADER_SEARCH_ROWS = 50;
const AMOUNT_FIELDS = new Set(['originalAmount', 'openAmount', 'debit', 'credit', 'amount']);
const GRAND_TOTALS = new Set([
  'total', 'totaux', 'total general', 'total clients', 'total balance', 'total echeancier', 'total des clients',
  'total reglements', 'total des reglements', 'total general clients', 'total tiers', 'total fichier',
]);


/**
 * The header of a table among its first rows, or the error that says why there is none:
 * the header of another kind (a file given with the wrong flag), a header without an
 * amount column, or nothing that reads as a header.
 */
export function tableHeader(
  file: string,
  kind: TabularKind | null,
  options: ReadOptions,
  sampleRows: string[][],
  warnings: string[],
): { mapping: HeaderMapping; index: number } {
  const found = findHeader(sampleRows, kind, options);
  if (!found) {
    // Before saying that no header was found, say what was found instead: the header of
    // another kind (a file given with the wrong flag) or a header without an amount.
    const other = kind ? findHeader(sampleRows, null, options) : null;
    if (other) throwIfOtherKind(file, kind!, other.mapping.headers, options.columns);
    const noAmount = findHeader(sampleRows, kind, options, true);
    if (noAmount) throw noAmountColumn(file, noAmount.mapping, noAmount.index + 1);
    throw noHeader(file, kind, sampleRows.filter((r) => !isBlank(r)), warnings);
  }
  if (kind) throwIfOtherKind(file, kind, found.mapping.headers, options.columns);
  if (!hasAmountSource(found.mapping)) throw noAmountColumn(file, found.mapping, found.index + 1);
  return found;
}

/** What the report says of where the rows came from: a delimited file's dialect, or a workbook's sheet. */
type RowSourceReport = Pick<FileReport, 'format' | 'sheet' | 'encoding' | 'encodingReason' | 'delimiter' | 'lineEnding' | 'lines'>;

/**
 * The one reading of a table's rows below its header, whatever gave them (a CSV stream,
 * a worksheet): each row is classified (repeated header, client header, subtotal,
 * total, data), data rows become records, total rows are checked against the rows they
 * cover. `typed` carries a workbook row's cell values (numbers, dates), null for a
 * delimited file's row: its text is then all there is, at no extra cost per cell.
 */
export function rowConsumer(
  file: string,
  mapping: HeaderMapping,
  headerIndex: number,
  options: ReadOptions,
  fix: Fix,
  date1904: boolean,
  joiner: string,
) {
  const values = new ValueReader(file);
  const records: CanonicalRecord[] = [];
  const sink = options.sink;
  let count = 0;
  const skipped: Record<string, number> = {};
  const skip = (why: string, n = 1): void => {
    skipped[why] = (skipped[why] ?? 0) + n;
  };
  if (headerIndex > 0) skipped.titre = headerIndex;
  const totals: TotalCheck[] = [];
  const m = new RowMapper(file, mapping, values, fix, date1904);
  const headerFirst = mapping.headers[0] ?? '';
  const headerKey = mapping.headers.map(normaliseHeader).join('\u0001');
  const amountColumns = mapping.fields.flatMap((f, i) => (f !== null && AMOUNT_FIELDS.has(f) ? [i] : []));
  const grand = amountColumns.map(() => 0);
  let section = amountColumns.map(() => 0);
  let current: CurrentClient | null = null;
  // For a cut export: where its last total lines and data lines were, and its last line.
  let totalLines = 0;
  let grandLine = 0;
  let dataLine = 0;
  let dataSinceTotal = false;
  let lastRow: string[] = [];
  let lastRowLine = 0;

  /** The amount of a cell in cents: a number cell's number, else its text read; NaN when unreadable. */
  const centsAt = (row: string[], typed: CellValue[] | null, col: number): number | null => {
    const t = typed === null ? null : typed[col];
    if (t === null || t === undefined) return amountCents(row[col] ?? '', fix);
    return typeof t === 'number' ? numberCents(t) : NaN;
  };

  /** Reports the problem cells (formula without result, error value) of the columns read; their count. */
  const problemsIn = (typed: CellValue[], rowLine: number): number => {
    let n = 0;
    for (let c = 0; c < typed.length; c++) {
      const t = typed[c];
      if (!isCellProblem(t) || (mapping.fields[c] ?? null) === null) continue;
      values.error(t.code, rowLine, mapping.headers[c] ?? null, t.shown, t.message, t.hint);
      n++;
    }
    return n;
  };

  /** Reads one row below the header (not blank). */
  const handle = (row: string[], rowLine: number, typed: CellValue[] | null): void => {
    lastRow = row;
    lastRowLine = rowLine;
    const kind = classifyRow(row, m, mapping, headerFirst, headerKey);
    if (kind === 'report') {
      skip('reports');
      return;
    }
    if (kind === 'grand' || kind === 'sub') {
      if (typed !== null) problemsIn(typed, rowLine);
      const cell = row.find((c) => c.trim() !== '')!.trim();
      const label = fix ? fix(cell) : cell;
      // A total of totals right after a subtotal, whatever its label, is the grand total.
      const isGrand = kind === 'grand' || (totalLines > 0 && !dataSinceTotal && declaresSums(row, typed, grand));
      checkTotals(row, typed, rowLine, label, isGrand ? grand : section);
      if (isGrand) {
        skip('total');
        grandLine = rowLine;
      } else skip('sous-totaux');
      totalLines++;
      dataSinceTotal = false;
      section = amountColumns.map(() => 0);
      return;
    }
    if (kind === 'repeated-header') {
      skip('en-têtes répétés');
      return;
    }
    if (kind === 'client-header') {
      const name = m.cell(row, 'clientName').trim();
      current = { code: m.cell(row, 'clientCode').trim() || name, name };
      skip('en-têtes de client');
      return;
    }
    if (kind === 'no-data') {
      skip('sans données');
      return;
    }
    dataLine = rowLine;
    dataSinceTotal = true;
    // A row with a cell that cannot be read is reported for it, and gives no record.
    const readable = typed === null || problemsIn(typed, rowLine) === 0;
    const record = !readable
      ? null
      : mapping.kind === 'balance'
        ? m.openItem(row, rowLine, current, typed)
        : mapping.kind === 'payments'
          ? m.payment(row, rowLine, current, typed)
          : m.clientRecord(row, rowLine);
    if (record) {
      count++;
      if (sink) sink(record);
      else records.push(record);
    }
    for (let k = 0; k < amountColumns.length; k++) {
      const col = amountColumns[k]!;
      const c = centsAt(row, typed, col);
      if (c !== null && !Number.isNaN(c)) {
        grand[k]! += c;
        section[k]! += c;
      } else if (typed !== null && isCellProblem(typed[col])) {
        // The sum is unknown: the totals over it cannot be checked.
        grand[k] = NaN;
        section[k] = NaN;
      }
    }
  };

  /** Whether a total row declares the given sums in every amount column it fills (at least one). */
  function declaresSums(row: string[], typed: CellValue[] | null, sums: number[]): boolean {
    let declared = 0;
    for (let k = 0; k < amountColumns.length; k++) {
      const c = centsAt(row, typed, amountColumns[k]!);
      if (c === null || Number.isNaN(c)) continue;
      if (c !== sums[k]) return false;
      declared++;
    }
    return declared > 0;
  }

  function checkTotals(row: string[], typed: CellValue[] | null, rowLine: number, label: string, sums: number[]): void {
    amountColumns.forEach((col, k) => {
      const declared = centsAt(row, typed, col);
      if (declared === null || Number.isNaN(declared) || Number.isNaN(sums[k]!)) return;
      const header = mapping.headers[col] ?? '';
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

  /**
   * Ends the reading: the check that an export printing subtotals ends with its grand
   * total, the export date from the title rows (`above`: the rows above the header),
   * and the file's report.
   */
  const finish = (above: string[][], modified: CalendarDate, source: RowSourceReport): ReadResult => {
    // An export that prints subtotals ends with its grand total: without it, it was cut.
    if ((skipped['sous-totaux'] ?? 0) > 0 && grandLine < dataLine) {
      values.error(
        'fichier-tronque', lastRowLine, null, null,
        `dernière ligne lue ${quoted(excerpt(lastRow, joiner, fix))} : l'état imprime des sous-totaux (${skipped['sous-totaux']} ligne${skipped['sous-totaux']! > 1 ? 's' : ''} « Total … ») mais pas la ligne de total général (« Total général ») qui doit le terminer ; le fichier semble tronqué`,
        `ré-exportez l'état complet depuis le logiciel (une copie ou un téléchargement a pu être interrompu) : relance ne lit jamais un état à moitié.`,
      );
    }
    const preHeader = above.filter((r) => !isBlank(r));
    const exported = exportDateOf(preHeader, modified);
    if (exported.finding) values.findings.push({ ...exported.finding, file });
    const report: FileReport = {
      file,
      format: source.format,
      kind: mapping.kind,
      ...(source.sheet !== undefined ? { sheet: source.sheet } : {}),
      profile: mapping.profile?.id ?? 'generic',
      profileDetected: options.profile === null,
      encoding: source.encoding,
      encodingReason: source.encodingReason,
      delimiter: source.delimiter,
      lineEnding: source.lineEnding,
      headerLine: headerIndex + 1,
      columns: mapping.headers.map((header, index) => ({ index, header, field: mapping.fields[index] ?? null })),
      exportDate: exported.date,
      title: preHeader.map((r) => r.map((c) => c.trim()).filter(Boolean)),
      records: count,
      lines: source.lines,
      skipped,
      totals,
    };
    return { report, records, findings: values.findings };
  };

  /** Notes a row read but not handled (a cut row's second half), for the truncation message. */
  const saw = (row: string[], rowLine: number): void => {
    lastRow = row;
    lastRowLine = rowLine;
  };

  return { mapper: m, values, handle, skip, saw, finish };
}

export function isBlank(row: string[]): boolean {
  for (const c of row) if (c.trim() !== '') return false;
  return true;
}

/** What a row below a table's header is. */
export type RowKind = 'report' | 'grand' | 'sub' | 'repeated-header' | 'client-header' | 'no-data' | 'data';

/**
 * Classifies a row below the header, from its text: a page carry line, a grand total or a
 * subtotal, the header printed again (on each page), a client's group header (a code or a
 * name and nothing to read: the detail rows below may leave the client blank), a row with
 * nothing to read, or data. A clients file has no group headers: every row is a client.
 */
export function classifyRow(row: string[], m: RowMapper, mapping: HeaderMapping, headerFirst: string, headerKey: string): RowKind {
  const total = totalKind(row, m);
  if (total !== null) return total;
  if ((row[0] ?? '').trim() === headerFirst && row.map(normaliseHeader).join('\u0001') === headerKey) return 'repeated-header';
  if (mapping.kind !== 'clients' && !hasData(row, m, mapping)) {
    return m.cell(row, 'clientCode').trim() || m.cell(row, 'clientName').trim() ? 'client-header' : 'no-data';
  }
  return 'data';
}

/** A row with something to read: a reference, a date or an amount. */
export function hasData(row: string[], m: RowMapper, map: HeaderMapping): boolean {
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
export function totalKind(row: string[], m: RowMapper): 'grand' | 'sub' | 'report' | null {
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
export function excerpt(row: string[], delimiter: string, fix: Fix): string {
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
export function parisDate(moment: Date): CalendarDate {
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

