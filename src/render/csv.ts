import { stringify } from 'csv-stringify/sync';

/** A cell handed to the CSV writer: blank when null, undefined or ''. */
export type CsvCell = string | number | null | undefined;

/** The columns of a CSV output, and which of them hold numbers (amounts in cents, ranks, lines). */
export interface CsvSchema<C extends string = string> {
  columns: readonly C[];
  numeric: ReadonlySet<C>;
}

/** A CSV schema: its columns in order, and the names of its numeric ones. */
export function csvSchema<C extends string>(columns: readonly C[], numeric: readonly C[]): CsvSchema<C> {
  return { columns, numeric: new Set(numeric) };
}

// OWASP's list (= + - @ tab CR), and the full-width forms some spreadsheets fold into them.
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * A text cell that a spreadsheet would not run as a formula: a leading `=`, `+`, `-`,
 * `@`, tab or CR gets a single quote before it (OWASP, CSV injection).
 */
export function neutraliseCell(text: string): string {
  return text.length > 0 && FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Rows as CSV under a schema, header first unless `header` is false (for later batches).
 * The column decides, not the content: a number in a numeric column is written as it is
 * (-120000 stays -120000); anything else is text and neutralised (a client named
 * `=HYPERLINK(…)`, or a quoted value `-12,00` from a file, starts with a quote).
 */
export function csvAsText<C extends string>(schema: CsvSchema<C>, rows: readonly (readonly CsvCell[])[], header = true): string {
  const numeric = schema.columns.map((c) => schema.numeric.has(c));
  const out: string[][] = header ? [schema.columns.map((c) => neutraliseCell(c))] : [];
  for (const row of rows) {
    const cells: string[] = new Array<string>(row.length);
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (v === null || v === undefined || v === '') cells[i] = '';
      else if (typeof v === 'number' && numeric[i]) cells[i] = String(v);
      else cells[i] = neutraliseCell(String(v));
    }
    out.push(cells);
  }
  return stringify(out);
}
