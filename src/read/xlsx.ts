import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Cell, CellValue as ExcelValue, Workbook } from 'exceljs';
import { BAD_DATE, formatDateFr, fromDayNumber, dayNumber, type CalendarDate } from '../core/dates.js';
import { DataError, quoted } from '../errors.js';
import { FORMAT_LABELS, type FileFormat } from './formats.js';

/**
 * A cell that cannot be read as Excel stored it: a formula without its cached result,
 * or an error value (#DIV/0!, #N/A…). Reported by the table reader when the cell is in
 * a column it reads.
 */
export interface CellProblem {
  code: 'formule-sans-valeur' | 'erreur-excel';
  /** The cell's address, `H12`. */
  address: string;
  /** What the cell holds, as a message quotes it: `=SUM(H7:H11)`, `#DIV/0!`. */
  shown: string;
  message: string;
  hint: string;
}

/**
 * What a workbook cell holds for the row readers, beside its text: a number cell's
 * number (amounts are never read again from text), a date cell's calendar date, a
 * problem, or null for a text cell (read from its text, like a CSV field) or a blank one.
 */
export type CellValue = number | CalendarDate | CellProblem | null;

/** One row of a worksheet: its Excel row number, each cell's text, and each cell's value. */
export interface SheetRow {
  line: number;
  cells: string[];
  typed: CellValue[];
}

/** A worksheet read whole (Excel caps a sheet at 1,048,576 rows: no streaming needed). */
export interface Sheet {
  name: string;
  /** The workbook counts its serial dates from 1904 (old Mac workbooks) rather than 1900. */
  date1904: boolean;
  /** The non-empty rows, in order. */
  rows: SheetRow[];
  /** The last row number of the sheet. */
  lastLine: number;
  modified: Date;
}

const DAY_MS = 86_400_000;
// Excel's serial day 25569 is 01/01/1970 in the 1900 system; the 1904 system counts 1462 days fewer.
const UNIX_EPOCH_SERIAL = 25_569;
const SYSTEM_1904_SHIFT = 1_462;
// 31/12/9999, the last day Excel shows.
const LAST_SERIAL = 2_958_465;

/**
 * The calendar date of an Excel serial number (its time of day dropped). In the 1900
 * system Excel counts the 29/02/1900 that never was (Lotus 1-2-3's bug): serials before
 * it (1 = 01/01/1900) are one day later than the count from 30/12/1899 says, and 60 is
 * no date. Null for 0 (Excel's « 00/01/1900 », the blank date), BAD_DATE out of range.
 */
export function excelSerialDate(serial: number, date1904: boolean): CalendarDate | null | typeof BAD_DATE {
  if (!Number.isFinite(serial) || serial < 0 || serial >= LAST_SERIAL + 1) return BAD_DATE;
  const day = Math.floor(serial);
  if (day === 0) return null;
  if (date1904) return fromDayNumber(dayNumber('1904-01-01') + day);
  if (day === 60) return BAD_DATE;
  return fromDayNumber(dayNumber('1899-12-30') + (day < 60 ? day + 1 : day));
}

/**
 * An amount cell's number in cents, rounded half away from zero. Excel itself keeps 15
 * significant digits (it shows 1.005 as 1,01 though the double is 1.00499…): the
 * product is taken at that precision first, so the cents are the ones Excel shows.
 */
export function numberCents(n: number): number {
  const x = Math.abs(Number((n * 100).toPrecision(15)));
  const c = Math.round(x); // half up on the magnitude: half away from zero
  return n < 0 ? -c : c;
}

/** Whether a cell value is a problem (rather than a number, a date or nothing). */
export function isCellProblem(v: CellValue | undefined): v is CellProblem {
  return typeof v === 'object' && v !== null;
}

/**
 * Refuses a workbook format that no well-kept library reads (.xls, .ods), saying how to
 * get one that relance reads.
 */
export function refuseWorkbook(file: string, format: FileFormat): never {
  throw new DataError(
    `${file} est un ${FORMAT_LABELS[format]} : relance ne lit pas ce format de classeur.`,
    `ouvrez-le dans Excel (ou LibreOffice) et enregistrez-le au format .xlsx (Excel 2007 et suivants) ou exportez en CSV (séparateur : point-virgule).`,
  );
}

/**
 * Reads one worksheet of an .xlsx workbook with exceljs (loaded only now: the commands
 * that read no workbook never load it): the first sheet, or the one named `sheetName`.
 * Each cell as Excel stored it: a merged range's value once, on its first cell; a
 * formula's cached result; rich text and hyperlinks as their text.
 */
export async function readSheet(file: string, cwd: string, sheetName: string | null | undefined): Promise<Sheet> {
  const path = resolve(cwd, file);
  const { default: ExcelJS } = await import('exceljs');
  const workbook: Workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch {
    // exceljs says what broke in English zip terms: the user needs what to do.
    throw new DataError(
      `${file} : classeur Excel illisible : le fichier est tronqué, abîmé, ou n'est pas un vrai classeur .xlsx.`,
      `ré-exportez-le depuis le logiciel, ou ouvrez-le dans Excel et enregistrez-le au format .xlsx (Excel 2007 et suivants).`,
    );
  }
  const sheets = workbook.worksheets;
  const names = sheets.map((s) => s.name);
  const sheet = sheetName == null ? sheets[0] : (sheets.find((s) => s.name === sheetName) ?? sheets.find((s) => s.name.trim().toLowerCase() === sheetName.trim().toLowerCase()));
  if (sheet === undefined) {
    if (sheetName == null) throw new DataError(`${file} : le classeur ne contient aucune feuille.`, `ré-exportez l'état depuis le logiciel.`);
    throw new DataError(
      `${file} : aucune feuille ${quoted(sheetName)} dans ce classeur. Feuilles : ${names.map(quoted).join(', ')}.`,
      `donnez le nom d'une de ces feuilles, par exemple --sheet ${JSON.stringify(names[0] ?? '')}.`,
    );
  }
  const date1904 = Boolean(workbook.properties?.date1904);
  const rows: SheetRow[] = [];
  let lastLine = 0;
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    const typed: CellValue[] = [];
    let filled = false;
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      // A merged range holds its value on its first cell; exceljs repeats it on the others.
      if (cell.isMerged && cell.master !== cell) return;
      const read = readCell(cell, cell.value, date1904);
      if (read.text === '' && read.typed === null) return;
      while (cells.length < col - 1) {
        cells.push('');
        typed.push(null);
      }
      cells[col - 1] = read.text;
      typed[col - 1] = read.typed;
      filled = true;
    });
    if (filled) rows.push({ line, cells, typed });
    lastLine = line;
  });
  const modified = (await stat(path)).mtime;
  return { name: sheet.name, date1904, rows, lastLine, modified };
}

/** A cell's text and value (see CellValue). */
function readCell(cell: Cell, value: ExcelValue, date1904: boolean): { text: string; typed: CellValue } {
  if (value === null || value === undefined) return { text: '', typed: null };
  if (typeof value === 'number') return { text: String(value), typed: value };
  if (typeof value === 'string') return { text: value, typed: null };
  if (typeof value === 'boolean') return { text: value ? 'VRAI' : 'FAUX', typed: null };
  if (value instanceof Date) {
    // exceljs turns the serial into a moment at UTC midnight: back to the serial, so that
    // Excel's own calendar (its 29/02/1900, the 1904 system) applies.
    const serial = value.getTime() / DAY_MS + UNIX_EPOCH_SERIAL - (date1904 ? SYSTEM_1904_SHIFT : 0);
    const date = excelSerialDate(Math.round(serial * 1e6) / 1e6, date1904);
    if (date === BAD_DATE || date === null) return { text: String(Math.floor(serial)), typed: Math.floor(serial) };
    return { text: formatDateFr(date), typed: date };
  }
  if ('error' in value) return problem(cell, 'erreur-excel', value.error, null);
  if ('richText' in value) return { text: value.richText.map((r) => r.text).join(''), typed: null };
  if ('hyperlink' in value) {
    const text = value.text as unknown;
    if (typeof text === 'string') return { text, typed: null };
    return readCell(cell, text as ExcelValue, date1904);
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const formula = `=${cell.formula ?? ('formula' in value ? value.formula : value.sharedFormula)}`;
    const result = value.result;
    if (result === undefined || result === null) return problem(cell, 'formule-sans-valeur', formula, null);
    if (typeof result === 'object' && !(result instanceof Date) && 'error' in result) return problem(cell, 'erreur-excel', result.error, formula);
    return readCell(cell, result as ExcelValue, date1904);
  }
  return { text: cell.text ?? '', typed: null };
}

function problem(cell: Cell, code: CellProblem['code'], shown: string, formula: string | null): { text: string; typed: CellProblem } {
  const address = cell.address;
  const p: CellProblem =
    code === 'formule-sans-valeur'
      ? {
          code,
          address,
          shown,
          message: `cellule ${address} : formule sans valeur calculée (${shown}) : le classeur a été enregistré sans le résultat de ses formules`,
          hint: `ouvrez le classeur dans Excel, enregistrez-le, puis relancez ; si la formule donne une cellule vide, remplacez-la par sa valeur (copier, puis collage spécial « valeurs »)`,
        }
      : {
          code,
          address,
          shown,
          message: `cellule ${address} : valeur d'erreur Excel ${quoted(shown)}${formula ? ` (formule ${formula})` : ''}`,
          hint: `corrigez la cellule dans le classeur (ou ré-exportez l'état depuis le logiciel), enregistrez-le, puis relancez`,
        };
  return { text: shown, typed: p };
}
