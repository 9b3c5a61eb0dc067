import type { CalendarDate } from '../core/dates.js';
import { mergeFiscalYears, openItemsAt, paymentsAt, type FecLine } from '../core/ledger.js';
import { formatEuros } from '../core/money.js';
import type { CanonicalRecord, Client, OpenItem, Payment } from '../core/records.js';
import { addPayment, emptyHistory, mergeHistory, type PaymentHistory } from '../core/segment.js';
import { crossFileCheck, PaymentNotes } from '../core/crossfile.js';
import { dueDateFromTerms, type PaymentTerms } from '../core/terms.js';
import type { Config } from '../config.js';
import { DataError, finding, rejectFile, type Finding } from '../errors.js';
import type { Encoding } from './decode.js';
import { detectFormat, FORMAT_LABELS, headOf, LEDGER_FORMATS, type FileFormat } from './formats.js';
import { inputArguments, refuseRepeatedFiles } from './identity.js';
import type { ImportedReminder } from './ledger-lines.js';
import { readLedgerFile } from './ledgers.js';
import type { ProfileId, TabularKind } from './profiles.js';
import { readTabular } from './tabular.js';
import { startParallelFolds, type ParallelFolds } from './parallel.js';
import type { FileReport, ReadProgress } from './types.js';

/** The input flags shared by every command that reads data. */
export interface InputFlags {
  balance: string[];
  payments: string[];
  clients: string[];
  fec: string[];
  /** Ledger exports (FEC, Sage 100 #MECG, Quadra, EBP, Cegid TRA): `--ledger`, read like `--fec`. */
  ledger: string[];
  /** Files given without saying what they are (`inspect FILE…`): detected. */
  files: string[];
  /** The worksheet of Excel workbooks to read (`--sheet`); null for the first one. */
  sheet: string | null;
  asOf: CalendarDate;
  profile: ProfileId | null;
  encoding: Encoding | null;
}

/** Everything read from the inputs, as canonical records. */
export interface Inputs {
  openItems: OpenItem[];
  /** The payments, unless they were folded into `histories`. */
  payments: Payment[];
  /** Payment history per client, when asked for (payments then are not kept). */
  histories: Map<string, PaymentHistory>;
  /** Payments that name no invoice, per client (count and sum), kept even when folded: plan and send warn of them. */
  unapplied: Map<string, { count: number; cents: number }>;
  clients: Client[];
  reports: FileReport[];
  findings: Finding[];
  /** The FECs' customer lines, when FECs were read (for the KPIs at any date). */
  ledger?: Ledger;
  /** Payment terms per client, from the clients file. */
  terms?: Map<string, PaymentTerms>;
  /** Payments dated after the balance's export date, kept even when folded (few): see `withLatePayments`. */
  latePayments?: Payment[];
  /** Reminders the ledger exports record as already sent (Sage 100): they seed the case history. */
  reminders: ImportedReminder[];
}

/**
 * Reads every input file into canonical records. With `strict`, a file with any
 * error-level finding is rejected whole (a DataError), so nothing downstream ever works
 * from half a file; `check` reads without it to list every finding. `onProgress` is told
 * how far each file is read (about once per MiB).
 */
export async function loadInputs(
  flags: InputFlags,
  config: Config,
  strict: boolean,
  cwd: string,
  fold: { graceDays: number } | null = null,
  onProgress?: ReadProgress,
): Promise<Inputs> {
  const out: Inputs = { openItems: [], payments: [], histories: new Map(), unapplied: new Map(), clients: [], reports: [], findings: [], reminders: [] };
  const terms = new Map<string, PaymentTerms>();
  // A file given twice (same path or same bytes) would count every line twice.
  const modified = refuseRepeatedFiles(inputArguments(flags), cwd);
  const notes = new PaymentNotes(out.reports);
  // Each file goes to the reader of its content: a ledger export given as --balance is
  // still read as entries (it holds the open items and the payments), a workbook given
  // as --balance as a table.
  const tabular: [string, TabularKind | null][] = [];
  const fecs: [string, FileFormat][] = [];
  const given: [string, TabularKind | null][] = [
    ...flags.clients.map((f): [string, TabularKind] => [f, 'clients']),
    ...flags.balance.map((f): [string, TabularKind] => [f, 'balance']),
    ...flags.payments.map((f): [string, TabularKind] => [f, 'payments']),
    ...flags.files.map((f): [string, null] => [f, null]),
  ];
  const formats = new Map<string, FileFormat>();
  for (const [f, kind] of given) {
    const format = detectFormat(headOf(f, cwd));
    formats.set(f, format);
    if (LEDGER_FORMATS.has(format)) fecs.push([f, format]);
    else tabular.push([f, kind]);
  }
  for (const f of [...flags.fec, ...flags.ledger]) {
    const format = detectFormat(headOf(f, cwd));
    if (format === 'xlsx' || format === 'xls' || format === 'ods') {
      throw new DataError(
        `${f} est un ${FORMAT_LABELS[format]}, pas un fichier d'écritures.`,
        `donnez un classeur avec --balance, --payments ou --clients ; pour les écritures, exportez le FEC ou le grand livre du logiciel (Sage 100 #MECG, Quadra ASCII, EBP, Cegid TRA).`,
      );
    }
    // A file of no known ledger format is left to the FEC reader, which says what its header lacks.
    fecs.push([f, LEDGER_FORMATS.has(format) ? format : 'fec']);
  }
  // A file's records are held in its own batch and committed only once the file has been
  // read whole and accepted: the reader may start a file over (an encoding that shows
  // itself late), and a rejected file must leave nothing behind (never half a file).
  let batch = newBatch();
  const sink = (r: CanonicalRecord): void => {
    if (r.kind === 'open_item') batch.openItems.push(r);
    else if (r.kind === 'payment') foldPayment(batch, notes, r, terms, config.defaultTerms, fold);
    else batch.clients.push(r);
  };
  const discard = (): void => {
    batch = newBatch();
  };
  const options = { cwd, encoding: flags.encoding, profile: flags.profile, columns: config.columns, sink, discard, onProgress, sheet: flags.sheet };

  // Large payments lists are read in worker threads while the balance is read here, once
  // the clients files (their payment terms) are read; each file's batch is still committed
  // in the order of the files, as if read one after the other.
  let parallel: ParallelFolds | null = null;
  try {
    for (const [file, kind] of tabular) {
      if (parallel === null && kind !== 'clients' && fold) {
        parallel = await startParallelFolds(tabular, formats, { ...options, sink: undefined, discard: undefined, onProgress: undefined }, terms, config.defaultTerms, fold, onProgress);
      }
      batch = newBatch();
      const folded = parallel?.folds.get(file);
      let result: { report: FileReport; findings: Finding[] };
      if (folded) {
        const done = await folded;
        result = done;
        batch.histories = done.histories;
        batch.unapplied = done.unapplied;
        notes.adopt(file, done.names, done.late);
      } else result = await readTabular(file, kind, options);
      accept(out, file, result.findings, strict);
      out.reports.push(result.report);
      commit(out, batch, terms);
    }
  } finally {
    parallel?.stop();
  }

  const ledgerClients: Client[] = [];
  if (fecs.length > 0) {
    const ledger = await readLedger(fecs, flags.encoding, config, strict, cwd, out, ledgerClients, onProgress);
    const fromLedger = newBatch();
    fromLedger.openItems = openItemsAt(ledger.lines, flags.asOf);
    for (const p of paymentsAt(ledger.lines, flags.asOf)) takePayment(fromLedger, p, terms, config.defaultTerms, fold);
    commit(out, fromLedger, terms);
    out.ledger = ledger;
  }

  // A client described by a clients file is taken from it; the ledger's own description
  // (Sage 100 #MPCT) only fills in the clients no clients file names.
  if (ledgerClients.length > 0) {
    const named = new Set(out.clients.map((c) => c.clientCode));
    for (const c of ledgerClients) if (!named.has(c.clientCode)) out.clients.push(c);
  }

  // Across files: an invoice in two balances, payments from another company.
  const cross = crossFileCheck({ files: out.reports.map((r) => ({ ...r, modifiedMs: modified.get(r.file) ?? null })), openItems: out.openItems, clients: out.clients, notes });
  if (strict && cross.error) throw cross.error;
  for (const f of cross.findings) out.findings.push(f);
  out.latePayments = notes.late;

  deriveDueDates(out.openItems, terms, config.defaultTerms);
  out.terms = terms;
  return out;
}

/** The customer lines of one or several FECs, merged across fiscal years. */
export interface Ledger {
  lines: FecLine[];
  /** First entry date outside opening entries: the data starts there. */
  firstDate: CalendarDate;
  lastDate: CalendarDate;
}

async function readLedger(
  fecs: [string, FileFormat][],
  encoding: Encoding | null,
  config: Config,
  strict: boolean,
  cwd: string,
  out: Inputs,
  clients: Client[],
  onProgress: ReadProgress | undefined,
): Promise<Ledger> {
  const years = [];
  for (const [file, format] of fecs) {
    const year = await readLedgerFile(file, format, encoding, config.fec, cwd, onProgress);
    accept(out, file, year.findings, strict);
    out.reports.push(year.report);
    for (const c of year.clients ?? []) clients.push(c);
    for (const r of year.reminders ?? []) out.reminders.push(r);
    years.push({ file, lines: year.lines, firstDate: year.firstDate, lastDate: year.lastDate });
  }
  const { lines, notes } = mergeFiscalYears(years);
  for (const note of notes) {
    for (const m of note.mismatches) {
      out.findings.push(
        finding('avertissement', 'a-nouveau-ecart', { file: note.file }, `les à-nouveaux du client ${m.client} (${formatEuros(m.openingCents)}) ne reprennent pas son solde de clôture de l'exercice précédent (${formatEuros(m.closingCents)})`,
          'vérifiez que les FEC fournis sont bien des exercices consécutifs et complets'),
      );
    }
  }
  const firsts = years.map((y) => y.firstDate).filter((d): d is string => d !== null).sort();
  const lasts = years.map((y) => y.lastDate).filter((d): d is string => d !== null).sort();
  return { lines, firstDate: firsts[0] ?? '9999-12-31', lastDate: lasts.at(-1) ?? '0000-01-01' };
}

/** Gives due dates to open items without one, from the clients' terms or the default (for the KPIs). */
export function withDueDates(items: OpenItem[], terms: Map<string, PaymentTerms>, defaultTerms: PaymentTerms): OpenItem[] {
  deriveDueDates(items, terms, defaultTerms);
  return items;
}

/** One file's records, held until the file has been read whole and accepted. */
export interface Batch {
  openItems: OpenItem[];
  payments: Payment[];
  histories: Map<string, PaymentHistory>;
  unapplied: Map<string, { count: number; cents: number }>;
  clients: Client[];
}

export function newBatch(): Batch {
  return { openItems: [], payments: [], histories: new Map(), unapplied: new Map(), clients: [] };
}

/** Takes a payment into a batch, noted for the cross-file checks first. */
export function foldPayment(
  batch: Batch,
  notes: PaymentNotes,
  p: Payment,
  terms: Map<string, PaymentTerms>,
  defaultTerms: PaymentTerms,
  fold: { graceDays: number } | null,
): void {
  notes.note(p);
  takePayment(batch, p, terms, defaultTerms, fold);
}

/**
 * Takes a payment into a batch. Folding payments into per-client histories keeps memory
 * per client, not per payment (a plan on two million payments); their invoices' missing
 * due dates are derived first.
 */
function takePayment(
  batch: Batch,
  p: Payment,
  terms: Map<string, PaymentTerms>,
  defaultTerms: PaymentTerms,
  fold: { graceDays: number } | null,
): void {
  deriveSettledDueDates(p, terms, defaultTerms);
  if (p.refs.length === 0) {
    const u = batch.unapplied.get(p.clientCode);
    if (u) {
      u.count++;
      u.cents += p.amountCents;
    } else batch.unapplied.set(p.clientCode, { count: 1, cents: p.amountCents });
  }
  if (!fold) {
    batch.payments.push(p);
    return;
  }
  let h = batch.histories.get(p.clientCode);
  if (!h) batch.histories.set(p.clientCode, (h = emptyHistory()));
  addPayment(h, p, fold.graceDays);
}

/** Adds a file's batch to the inputs (and its clients' payment terms). */
function commit(out: Inputs, batch: Batch, terms: Map<string, PaymentTerms>): void {
  for (const c of batch.clients) {
    out.clients.push(c);
    if (c.terms) terms.set(c.clientCode, c.terms);
  }
  if (out.openItems.length === 0) out.openItems = batch.openItems;
  else for (const item of batch.openItems) out.openItems.push(item);
  if (out.payments.length === 0) out.payments = batch.payments;
  else for (const p of batch.payments) out.payments.push(p);
  for (const [code, h] of batch.histories) {
    const into = out.histories.get(code);
    if (into) mergeHistory(into, h);
    else out.histories.set(code, h);
  }
  for (const [code, u] of batch.unapplied) {
    const into = out.unapplied.get(code);
    if (into) {
      into.count += u.count;
      into.cents += u.cents;
    } else out.unapplied.set(code, u);
  }
}

function accept(out: Inputs, file: string, findings: Finding[], strict: boolean): void {
  const errors = findings.filter((f) => f.severity === 'erreur');
  if (strict && errors.length > 0) throw rejectFile(file, errors);
  for (const f of findings) out.findings.push(f);
}

/**
 * Gives a due date to every open item that has none, from its client's payment terms
 * or the default ones, and marks it as derived.
 */
function deriveDueDates(items: OpenItem[], terms: Map<string, PaymentTerms>, defaultTerms: PaymentTerms): void {
  for (const item of items) {
    if (item.dueDate === null && item.docDate !== null) {
      item.dueDate = dueDateFromTerms(item.docDate, terms.get(item.clientCode) ?? defaultTerms);
      item.dueDateDerived = true;
    }
  }
}

/** The same for the invoices a payment settles (the payer's history). */
function deriveSettledDueDates(p: Payment, terms: Map<string, PaymentTerms>, defaultTerms: PaymentTerms): void {
  for (const s of p.settles) {
    if (s.dueDate === null && s.docDate !== null) s.dueDate = dueDateFromTerms(s.docDate, terms.get(p.clientCode) ?? defaultTerms);
  }
}
