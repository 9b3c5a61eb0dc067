import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CalendarDate } from '../core/dates.js';
import { mergeFiscalYears, openItemsAt, paymentsAt, type FecLine } from '../core/ledger.js';
import { formatEuros } from '../core/money.js';
import type { CanonicalRecord, Client, OpenItem, Payment } from '../core/records.js';
import { addPayment, emptyHistory, type PaymentHistory } from '../core/segment.js';
import { dueDateFromTerms, type PaymentTerms } from '../core/terms.js';
import type { Config } from '../config.js';
import { finding, rejectFile, type Finding } from '../errors.js';
import type { Encoding } from './decode.js';
import { looksLikeFec, readFecFile } from './fec.js';
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
  // Folding payments into per-client histories keeps memory per client, not per payment
  // (a plan on two million payments); their invoices' missing due dates are derived first.
  const takePayment = (p: Payment): void => {
    deriveSettledDueDates(p, terms, config.defaultTerms);
    if (p.refs.length === 0) {
      const u = out.unapplied.get(p.clientCode) ?? { count: 0, cents: 0 };
      out.unapplied.set(p.clientCode, { count: u.count + 1, cents: u.cents + p.amountCents });
    }
    if (!fold) {
      out.payments.push(p);
      return;
    }
    let h = out.histories.get(p.clientCode);
    if (!h) out.histories.set(p.clientCode, (h = emptyHistory()));
    addPayment(h, p, fold.graceDays);
  };
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
  const sink = (r: CanonicalRecord): void => {
    if (r.kind === 'open_item') out.openItems.push(r);
    else if (r.kind === 'payment') pending.push(r);
    else {
      out.clients.push(r);
      if (r.terms) terms.set(r.clientCode, r.terms);
    }
  };
  // Payments of a file are only taken once the file proved readable (never half a file).
  let pending: Payment[] = [];
  const options = { cwd, encoding: flags.encoding, profile: flags.profile, columns: config.columns, sink, onProgress };

  for (const [file, kind] of tabular) {
    const result = await readTabular(file, kind, fold ? { ...options, sink: foldingSink(sink, takePayment) } : options);
    accept(out, file, result.findings, strict);
    out.reports.push(result.report);
    for (const p of pending) takePayment(p);
    pending = [];
  }

  if (fecs.length > 0) {
    const ledger = await readLedger(fecs, flags.encoding, config, strict, cwd, out, onProgress);
    for (const item of openItemsAt(ledger.lines, flags.asOf)) out.openItems.push(item);
    for (const p of paymentsAt(ledger.lines, flags.asOf)) takePayment(p);
    out.ledger = ledger;
  }

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

/**
 * When folding, payments go to the history as they are read. A file with a bad value
 * is rejected whole anyway, and the plan is never built from what was folded.
 */
function foldingSink(sink: (r: CanonicalRecord) => void, take: (p: Payment) => void): (r: CanonicalRecord) => void {
  return (r) => (r.kind === 'payment' ? take(r) : sink(r));
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
