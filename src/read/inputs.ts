import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CalendarDate } from '../core/dates.js';
import { mergeFiscalYears, openItemsAt, paymentsAt, type FecLine } from '../core/ledger.js';
import { formatEuros } from '../core/money.js';
import type { CanonicalRecord, Client, OpenItem, Payment } from '../core/records.js';
import { addPayment, emptyHistory, mergeHistory, type PaymentHistory } from '../core/segment.js';
import { crossFileCheck, PaymentNotes } from '../core/crossfile.js';
import { dueDateFromTerms, type PaymentTerms } from '../core/terms.js';
import type { Config } from '../config.js';
import { finding, rejectFile, type Finding } from '../errors.js';
import type { Encoding } from './decode.js';
import { looksLikeFec, readFecFile } from './fec.js';
import { inputArguments, refuseRepeatedFiles } from './identity.js';
import type { ProfileId, TabularKind } from './profiles.js';
import { readTabular } from './tabular.js';
import type { FileReport, ReadProgress } from './types.js';

/** The input flags shared by every command that reads data. */
export interface InputFlags {
  balance: string[];
  payments: string[];
  clients: string[];
  fec: string[];
  /** Files given without saying what they are (`inspect FILE…`): detected. */
  files: string[];
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
  const out: Inputs = { openItems: [], payments: [], histories: new Map(), unapplied: new Map(), clients: [], reports: [], findings: [] };
  const terms = new Map<string, PaymentTerms>();
  // A file given twice (same path or same bytes) would count every line twice.
  const modified = refuseRepeatedFiles(inputArguments(flags), cwd);
  const notes = new PaymentNotes(out.reports);
  const tabular: [string, TabularKind | null][] = [
    ...flags.clients.map((f): [string, TabularKind] => [f, 'clients']),
    ...flags.balance.map((f): [string, TabularKind] => [f, 'balance']),
    ...flags.payments.map((f): [string, TabularKind] => [f, 'payments']),
  ];
  const fecs = [...flags.fec];
  for (const f of flags.files) {
    if (looksLikeFec(firstLine(resolve(cwd, f)))) fecs.push(f);
    else tabular.push([f, null]);
  }
  // A file's records are held in its own batch and committed only once the file has been
  // read whole and accepted: the reader may start a file over (an encoding that shows
  // itself late), and a rejected file must leave nothing behind (never half a file).
  let batch = newBatch();
  const sink = (r: CanonicalRecord): void => {
    if (r.kind === 'open_item') batch.openItems.push(r);
    else if (r.kind === 'payment') {
      notes.note(r);
      takePayment(batch, r, terms, config.defaultTerms, fold);
    }
    else batch.clients.push(r);
  };
  const discard = (): void => {
    batch = newBatch();
  };
  const options = { cwd, encoding: flags.encoding, profile: flags.profile, columns: config.columns, sink, discard, onProgress };

  for (const [file, kind] of tabular) {
    batch = newBatch();
    const result = await readTabular(file, kind, options);
    accept(out, file, result.findings, strict);
    out.reports.push(result.report);
    commit(out, batch, terms);
  }

  if (fecs.length > 0) {
    const ledger = await readLedger(fecs, flags.encoding, config, strict, cwd, out, onProgress);
    const fromLedger = newBatch();
    fromLedger.openItems = openItemsAt(ledger.lines, flags.asOf);
    for (const p of paymentsAt(ledger.lines, flags.asOf)) takePayment(fromLedger, p, terms, config.defaultTerms, fold);
    commit(out, fromLedger, terms);
    out.ledger = ledger;
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
  fecs: string[],
  encoding: Encoding | null,
  config: Config,
  strict: boolean,
  cwd: string,
  out: Inputs,
  onProgress: ReadProgress | undefined,
): Promise<Ledger> {
  const years = [];
  for (const file of fecs) {
    const year = await readFecFile(file, encoding, config.fec, cwd, onProgress);
    accept(out, file, year.findings, strict);
    out.reports.push(year.report);
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
interface Batch {
  openItems: OpenItem[];
  payments: Payment[];
  histories: Map<string, PaymentHistory>;
  unapplied: Map<string, { count: number; cents: number }>;
  clients: Client[];
}

function newBatch(): Batch {
  return { openItems: [], payments: [], histories: new Map(), unapplied: new Map(), clients: [] };
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

function firstLine(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('latin1').split(/\r?\n|\r/)[0] ?? '';
  } finally {
    closeSync(fd);
  }
}
