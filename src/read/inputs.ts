import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CalendarDate } from '../core/dates.js';
import { mergeFiscalYears, openItemsAt, paymentsAt } from '../core/ledger.js';
import { formatEuros } from '../core/money.js';
import type { Client, OpenItem, Payment } from '../core/records.js';
import { dueDateFromTerms, type PaymentTerms } from '../core/terms.js';
import type { Config } from '../config.js';
import { finding, rejectFile, type Finding } from '../errors.js';
import type { Encoding } from './decode.js';
import { looksLikeFec, readFecFile } from './fec.js';
import type { ProfileId, TabularKind } from './profiles.js';
import { readTabular } from './tabular.js';
import type { FileReport } from './types.js';

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
  payments: Payment[];
  clients: Client[];
  reports: FileReport[];
  findings: Finding[];
}

/**
 * Reads every input file into canonical records. With `strict`, a file with any
 * error-level finding is rejected whole (a DataError), so nothing downstream ever works
 * from half a file; `check` reads without it to list every finding.
 */
export async function loadInputs(flags: InputFlags, config: Config, strict: boolean, cwd: string): Promise<Inputs> {
  const out: Inputs = { openItems: [], payments: [], clients: [], reports: [], findings: [] };
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
  const options = { cwd, encoding: flags.encoding, profile: flags.profile, columns: config.columns };

  for (const [file, kind] of tabular) {
    const result = await readTabular(file, kind, options);
    accept(out, file, result.findings, strict);
    out.reports.push(result.report);
    for (const r of result.records) {
      if (r.kind === 'open_item') out.openItems.push(r);
      else if (r.kind === 'payment') out.payments.push(r);
      else out.clients.push(r);
    }
  }

  if (fecs.length > 0) {
    const years = [];
    for (const file of fecs) {
      const year = await readFecFile(file, flags.encoding, config.fec, cwd);
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
    for (const item of openItemsAt(lines, flags.asOf)) out.openItems.push(item);
    for (const p of paymentsAt(lines, flags.asOf)) out.payments.push(p);
  }

  deriveDueDates(out, config.defaultTerms);
  return out;
}

function accept(out: Inputs, file: string, findings: Finding[], strict: boolean): void {
  const errors = findings.filter((f) => f.severity === 'erreur');
  if (strict && errors.length > 0) throw rejectFile(file, errors);
  for (const f of findings) out.findings.push(f);
}

/**
 * Gives a due date to every open item and settled invoice that has none, from its
 * client's payment terms or the default ones, and marks it as derived.
 */
function deriveDueDates(inputs: Inputs, defaultTerms: PaymentTerms): void {
  const terms = new Map<string, PaymentTerms>();
  for (const c of inputs.clients) if (c.terms) terms.set(c.clientCode, c.terms);
  for (const item of inputs.openItems) {
    if (item.dueDate === null && item.docDate !== null) {
      item.dueDate = dueDateFromTerms(item.docDate, terms.get(item.clientCode) ?? defaultTerms);
      item.dueDateDerived = true;
    }
  }
  for (const p of inputs.payments) {
    for (const s of p.settles) {
      if (s.dueDate === null && s.docDate !== null) {
        s.dueDate = dueDateFromTerms(s.docDate, terms.get(p.clientCode) ?? defaultTerms);
      }
    }
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
