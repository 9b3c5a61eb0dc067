import { csvAsText, csvSchema, type CsvCell } from './csv.js';
import type { CanonicalRecord } from '../core/records.js';

/** Records as JSON-ready objects: the documented, stable schema (amounts in cents). */
export function recordAsJson(r: CanonicalRecord): Record<string, unknown> {
  switch (r.kind) {
    case 'open_item':
      return {
        kind: r.kind, clientCode: r.clientCode, clientName: r.clientName, ref: r.ref, docDate: r.docDate,
        dueDate: r.dueDate, dueDateDerived: r.dueDateDerived, originalCents: r.originalCents, openCents: r.openCents,
        currency: r.currency, salesRep: r.salesRep, source: r.source,
      };
    case 'payment':
      return {
        kind: r.kind, clientCode: r.clientCode, clientName: r.clientName, date: r.date, amountCents: r.amountCents,
        refs: r.refs, settles: r.settles, mode: r.mode, source: r.source,
      };
    case 'client':
      return {
        kind: r.kind, clientCode: r.clientCode, clientName: r.clientName, emails: r.emails, cc: r.cc,
        salesRep: r.salesRep, salesRepEmail: r.salesRepEmail, phone: r.phone, address: r.address,
        language: r.language, consumer: r.consumer, terms: r.terms, segment: r.segment, excluded: r.excluded,
        excludedReason: r.excludedReason, source: r.source,
      };
  }
}

/** Columns of the canonical records CSV, one row per record of any kind. */
export const RECORD_CSV_COLUMNS = [
  'kind', 'clientCode', 'clientName', 'ref', 'docDate', 'dueDate', 'dueDateDerived', 'originalCents', 'openCents',
  'date', 'amountCents', 'refs', 'emails', 'terms', 'excluded', 'file', 'line',
] as const;

const RECORD_CSV = csvSchema(RECORD_CSV_COLUMNS, ['originalCents', 'openCents', 'amountCents', 'line']);

/** One record as a row of the canonical CSV. */
function recordAsCsvRow(r: CanonicalRecord): CsvCell[] {
  const row: Record<string, string | number> = { kind: r.kind, clientCode: r.clientCode, clientName: r.clientName, file: r.source.file, line: r.source.line };
  if (r.kind === 'open_item') {
    Object.assign(row, {
      ref: r.ref, docDate: r.docDate ?? '', dueDate: r.dueDate ?? '', dueDateDerived: r.dueDateDerived ? 'oui' : 'non',
      originalCents: r.originalCents, openCents: r.openCents,
    });
  } else if (r.kind === 'payment') {
    Object.assign(row, { date: r.date, amountCents: r.amountCents, refs: r.refs.join(' ; ') });
  } else {
    Object.assign(row, {
      emails: r.emails.join(' ; '),
      terms: r.terms ? `${r.terms.days}${r.terms.endOfMonth ? ' fin de mois' : ''}` : '',
      excluded: r.excluded ? 'oui' : 'non',
    });
  }
  return RECORD_CSV_COLUMNS.map((c) => row[c] ?? '');
}

/** Writes records as CSV (header first), in batches so that large files stream out. */
export function writeRecordsCsv(records: CanonicalRecord[], write: (text: string) => unknown): void {
  write(csvAsText(RECORD_CSV, []));
  for (let i = 0; i < records.length; i += 10_000) {
    write(csvAsText(RECORD_CSV, records.slice(i, i + 10_000).map(recordAsCsvRow), false));
  }
}
