import { BAD_DATE, parseDate } from '../core/dates.js';
import { DataError } from '../errors.js';
import { decodeFile, type Encoding } from './decode.js';
import { describeDelimiter } from './dialect.js';
import { detach, eachLine } from './stream.js';
import type { FileReport, ReadProgress } from './types.js';
import { DATE_HINT, ValueReader } from './values.js';
import type { FecLine } from '../core/ledger.js';
import { LedgerCollector, type LedgerFile, type LedgerSettings } from './ledger-lines.js';

/** Settings of the FEC reader (config `fec:`). */
export type FecSettings = LedgerSettings;

/** One FEC file once read: its customer lines and what the reader understood. */
export type FecFile = LedgerFile;

const STANDARD = [
  'JournalCode', 'JournalLib', 'EcritureNum', 'EcritureDate', 'CompteNum', 'CompteLib', 'CompAuxNum', 'CompAuxLib',
  'PieceRef', 'PieceDate', 'EcritureLib', 'Debit', 'Credit', 'EcritureLet', 'DateLet', 'ValidDate', 'Montantdevise',
  'Idevise',
];
const DUE_DATE_COLUMNS = ['datelimitreglmt', 'dateecheance', 'dateech', 'datelimitereglement', 'echeance', 'datelimite'];

/** True when a header line is a FEC's (JournalCode, CompteNum... as its first columns). */
export function looksLikeFec(firstLine: string): boolean {
  const cells = firstLine.replace(/^\ufeff/, '').split(/[\t|]/).map((c) => c.trim().toLowerCase());
  return cells[0] === 'journalcode' && cells.includes('comptenum');
}

/**
 * Reads one FEC (arrêté du 29 juillet 2013): tab or pipe, 18 standard columns and any
 * extra ones, Debit/Credit or Montant/Sens, zero-padded or sign-last amounts. Only the
 * lines of customer accounts are kept (streaming, never the raw rows). A customer credit
 * is a payment when its entry (journal, number, date) moves a bank or cash account.
 */
export async function readFecFile(
  file: string,
  encoding: Encoding | null,
  settings: FecSettings,
  cwd: string,
  onProgress?: ReadProgress,
): Promise<FecFile> {
  let lineNo = 0;
  const onBytes = onProgress && ((read: number, total: number) => onProgress(file, read, total, lineNo));
  const { info, chunks } = decodeFile(file, encoding, cwd, onBytes);
  const values = new ValueReader(file);
  const ledger = new LedgerCollector(settings);
  let header: string[] | null = null;
  let delimiter = '\t';
  let col: Record<string, number> = {};
  let width = 0;
  let lastCount = 0;
  const f = new Fields();
  let prevDateText: string | null = null;
  let prevDate: ReturnType<typeof parseDate> = null;

  const handle = (text: string): void => {
    lineNo++;
    if (header === null) {
      const raw = text.replace(/^\ufeff/, '');
      delimiter = raw.includes('\t') ? '\t' : '|';
      header = raw.split(delimiter).map((c) => c.trim());
      while (header.length > 0 && header[header.length - 1] === '') header.pop();
      col = indexColumns(file, header);
      width = header.length;
      return;
    }
    if (text.trim() === '') return;
    // Only the fields a line needs are cut out of it: most lines are not customers'.
    f.split(text, delimiter);
    lastCount = f.count;
    ledger.total++;
    if (f.count < 13) {
      values.error('colonnes-manquantes', lineNo, null, null,
        `la ligne n'a que ${f.count} colonnes sur ${width}`, 'le fichier semble tronqué ou mal exporté : ré-exportez le FEC');
      return;
    }
    const journal = f.get(col.journalcode).trim();
    const entryNum = f.get(col.ecriturenum).trim();
    const dateText = f.get(col.ecrituredate);
    // EcritureNum identifies an entry within its journal; where software leaves it at 0, the
    // journal and date still group a bank statement's lines together.
    const entry = `${journal}\u0001${entryNum}\u0001${dateText}`;
    const account = f.get(col.comptenum).trim();
    // Lines come by date: the last date read is the likeliest.
    const date = dateText === prevDateText ? prevDate : parseDate(dateText);
    prevDateText = dateText;
    prevDate = date;
    if (date === BAD_DATE || date === null) {
      values.error('valeur-illisible', lineNo, 'EcritureDate', dateText.trim(), `date d'écriture illisible « ${dateText.trim()} »`, DATE_HINT);
      return;
    }
    const opening = ledger.isOpeningJournal(journal, () => f.get(col.journallib));
    ledger.entryLine(entry, account, date, opening);
    if (!ledger.isCustomer(account)) return;

    const pieceRef = f.get(col.pieceref).trim();
    const cents = amountOf(f, col, lineNo, values);
    if (cents === null) return;
    const aux = f.get(col.compauxnum).trim();
    const client = values.shared(aux || account);
    const name = values.shared(f.get(aux ? col.compauxlib : col.comptelib).trim());
    const letter = f.get(col.ecriturelet).trim();
    const pieceDate = col.piecedate !== undefined ? values.date(f.get(col.piecedate), lineNo, 'PieceDate') : null;
    const letDate = letter && col.datelet !== undefined ? values.date(f.get(col.datelet), lineNo, 'DateLet') : null;
    const dueDate = col.due !== undefined ? values.date(f.get(col.due), lineNo, header![col.due]!) : null;
    const mode = col.mode !== undefined ? f.get(col.mode).trim() || null : null;
    const kept: FecLine = {
      client,
      clientName: name,
      journal: values.shared(journal),
      ref: detach(pieceRef || entryNum),
      docDate: pieceDate ?? date,
      date,
      cents,
      group: letter ? detach(`${client}\u0001${letter}`) : '', // joined across files (DESIGN §2.4)
      letDate,
      dueDate,
      opening,
      payment: false,
      mode: mode ? values.shared(mode) : null,
      file,
      line: lineNo,
    };
    ledger.customerLine(kept, entry);
  };

  const { endsWithNewline } = await eachLine(chunks, handle);
  ledger.finish();
  const { lines, firstDate, lastDate } = ledger;
  if (header === null) throw new DataError(`${file} est vide.`, `ré-exportez le FEC depuis le logiciel comptable.`);
  if (!endsWithNewline && lastCount < width && lastCount > 0 && ledger.total > 0) {
    throw new DataError(
      `${file}, ligne ${lineNo} : la dernière ligne n'a que ${lastCount} colonnes sur ${width} et le fichier ne se termine pas par un saut de ligne : il semble tronqué.`,
      `ré-exportez le FEC complet (une copie ou un téléchargement a pu être interrompu).`,
    );
  }
  for (const w of info.warnings) values.warn('encodage', null, null, null, w);

  const h: string[] = header;
  const fieldOf = new Map<number, string>();
  for (const [name, i] of Object.entries(col)) fieldOf.set(i, name);
  const report: FileReport = {
    file,
    format: 'fec',
    kind: 'fec',
    profile: null,
    profileDetected: true,
    encoding: info.encoding,
    encodingReason: info.encodingReason,
    delimiter: describeDelimiter(delimiter),
    lineEnding: info.lineEnding,
    headerLine: 1,
    columns: h.map((name, index) => ({ index, header: name, field: FEC_FIELD_LABELS[fieldOf.get(index) ?? ''] ?? null })),
    exportDate: lastDate,
    records: lines.length,
    lines: lineNo,
    skipped: { 'hors comptes clients': ledger.total - lines.length, 'à-nouveaux (toutes lignes)': ledger.openingCount },
    totals: [],
  };
  return { report, lines, findings: values.findings, firstDate, lastDate };
}

const FEC_FIELD_LABELS: Record<string, string> = {
  journalcode: 'journal', ecrituredate: 'date', comptenum: 'compte', compauxnum: 'clientCode', compauxlib: 'clientName',
  pieceref: 'ref', piecedate: 'docDate', debit: 'debit', credit: 'credit', montant: 'amount', sens: 'sens',
  ecriturelet: 'lettering', datelet: 'letteringDate', due: 'dueDate', mode: 'mode', journallib: 'journalLabel',
  ecriturenum: 'entry', comptelib: 'accountLabel',
};

function indexColumns(file: string, header: string[]): Record<string, number> {
  const col: Record<string, number> = {};
  header.forEach((name, i) => {
    const key = name.toLowerCase().replace(/[^a-z]/g, '');
    if (col[key] === undefined) col[key] = i;
  });
  const due = header.findIndex((n) => DUE_DATE_COLUMNS.includes(n.toLowerCase().replace(/[^a-z]/g, '')));
  if (due >= 0) col.due = due;
  const mode = header.findIndex((n) => /^moderegl/i.test(n));
  if (mode >= 0) col.mode = mode;
  const needed = ['journalcode', 'ecriturenum', 'ecrituredate', 'comptenum', 'pieceref', 'ecriturelet'];
  const hasAmounts = (col.debit !== undefined && col.credit !== undefined) || (col.montant !== undefined && col.sens !== undefined);
  const missing = needed.filter((n) => col[n] === undefined);
  if (missing.length > 0 || !hasAmounts) {
    const names = missing.map((m) => STANDARD.find((s) => s.toLowerCase() === m) ?? m);
    if (!hasAmounts) names.push('Debit/Credit (ou Montant/Sens)');
    throw new DataError(
      `${file} : en-tête FEC incomplet, colonnes manquantes : ${names.join(', ')}.`,
      `un FEC commence par les 18 colonnes de l'article A47 A-1 du LPF (JournalCode, JournalLib, EcritureNum, EcritureDate, CompteNum…) ; ré-exportez-le depuis le logiciel.`,
    );
  }
  return col;
}

/**
 * The fields of a line, cut out when asked: where `text.split` would make every field
 * of every line, a line of another account needs five of them.
 */
class Fields {
  /** How many fields the line has (`split(...).length`). */
  count = 0;
  private text = '';
  /** Where each field starts; the field after the last starts one past the end. */
  private readonly starts: number[] = [0];

  split(text: string, delimiter: string): void {
    this.text = text;
    const starts = this.starts;
    let n = 0;
    for (let at = text.indexOf(delimiter); at !== -1; at = text.indexOf(delimiter, at + 1)) starts[++n] = at + 1;
    starts[n + 1] = text.length + 1;
    this.count = n + 1;
  }

  /** The field at an index ('' past the last field, or for a column the file lacks). */
  get(index: number | undefined): string {
    if (index === undefined || index >= this.count) return '';
    return this.text.slice(this.starts[index], this.starts[index + 1]! - 1);
  }
}

/** Debit − credit of a line in cents, from Debit/Credit or Montant/Sens. */
function amountOf(f: Fields, col: Record<string, number>, line: number, values: ValueReader): number | null {
  if (col.debit !== undefined && col.credit !== undefined) {
    const debit = f.get(col.debit);
    const credit = f.get(col.credit);
    const d = values.cents(debit, line, 'Debit');
    const c = values.cents(credit, line, 'Credit');
    if ((d === null && debit.trim() !== '') || (c === null && credit.trim() !== '')) return null;
    return (d ?? 0) - (c ?? 0);
  }
  const amountText = f.get(col.montant);
  const amount = values.cents(amountText, line, 'Montant');
  if (amount === null) return null;
  const sens = f.get(col.sens).trim().toUpperCase();
  if (sens === 'D' || sens === '+1' || sens === '1' || sens === '+') return amount;
  if (sens === 'C' || sens === '-1' || sens === '-') return -amount;
  values.error('valeur-illisible', line, 'Sens', sens, `sens illisible « ${sens} »`, 'le sens vaut D ou C (ou +1 / -1)');
  return null;
}
