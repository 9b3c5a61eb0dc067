import type { CalendarDate } from './dates.js';
import type { OpenItem, Payment, SettledInvoice } from './records.js';

/** A line of a customer account, kept compactly: the only lines a FEC read holds. */
export interface FecLine {
  client: string;
  clientName: string;
  journal: string;
  ref: string;
  docDate: CalendarDate;
  date: CalendarDate;
  /** Debit − credit, in cents. */
  cents: number;
  /** Lettering group key (file, client, letter), '' when unlettered. */
  group: string;
  letDate: CalendarDate | null;
  dueDate: CalendarDate | null;
  opening: boolean;
  /** A credit whose own entry moves a bank or cash account: a payment received. */
  payment: boolean;
  mode: string | null;
  file: string;
  line: number;
}


/** A fiscal year's customer lines, as the FEC reader gives them. */
export interface FiscalYear {
  file: string;
  lines: FecLine[];
  firstDate: CalendarDate | null;
  lastDate: CalendarDate | null;
}

/** What merging fiscal years did, for the report and for `check`. */
export interface MergeNote {
  file: string;
  droppedOpeningLines: number;
  /** Clients whose opening balance differs from the previous year's closing balance. */
  mismatches: { client: string; openingCents: number; closingCents: number }[];
}

/**
 * Joins consecutive fiscal years into one ledger. A year's opening entries ("à
 * nouveaux") restate the previous year's closing balances, so when that year is read
 * too they are dropped (the previous year's detail replaces them); a lettered opening
 * line lends its letter to the previous year's line it restates (same client, piece and
 * amount), so that lettering across years still closes.
 */
export function mergeFiscalYears(years: FiscalYear[]): { lines: FecLine[]; notes: MergeNote[] } {
  const sorted = [...years].sort((a, b) => (a.firstDate ?? '').localeCompare(b.firstDate ?? ''));
  const kept: FecLine[] = [];
  const notes: MergeNote[] = [];
  sorted.forEach((year, i) => {
    if (i === 0) {
      for (const l of year.lines) kept.push(l);
      return;
    }
    const unlettered = new Map<string, FecLine[]>();
    const closing = new Map<string, number>();
    for (const l of kept) {
      closing.set(l.client, (closing.get(l.client) ?? 0) + l.cents);
      if (l.group === '') {
        const key = `${l.client}\u0001${l.ref}\u0001${l.cents}`;
        const list = unlettered.get(key);
        if (list) list.push(l);
        else unlettered.set(key, [l]);
      }
    }
    const opening = new Map<string, number>();
    let dropped = 0;
    for (const l of year.lines) {
      if (!l.opening) {
        kept.push(l);
        continue;
      }
      dropped++;
      opening.set(l.client, (opening.get(l.client) ?? 0) + l.cents);
      if (l.group !== '') {
        const twin = unlettered.get(`${l.client}\u0001${l.ref}\u0001${l.cents}`)?.shift();
        if (twin) twin.group = l.group;
      }
    }
    const mismatches: MergeNote['mismatches'] = [];
    for (const client of new Set([...opening.keys(), ...closing.keys()])) {
      const o = opening.get(client) ?? 0;
      const c = closing.get(client) ?? 0;
      if (o !== c) mismatches.push({ client, openingCents: o, closingCents: c });
    }
    notes.push({ file: year.file, droppedOpeningLines: dropped, mismatches });
  });
  return { lines: kept, notes };
}

/** Lines grouped by lettering; an unlettered line is a group of its own. */
function groupLines(lines: FecLine[]): FecLine[][] {
  const groups = new Map<string, FecLine[]>();
  const out: FecLine[][] = [];
  for (const l of lines) {
    if (l.group === '') {
      out.push([l]);
      continue;
    }
    const g = groups.get(l.group);
    if (g) g.push(l);
    else {
      const fresh = [l];
      groups.set(l.group, fresh);
      out.push(fresh);
    }
  }
  return out;
}

/** When a lettering group was closed: its DateLet, or else the date of its last line. */
function letteringDate(group: FecLine[]): CalendarDate {
  let latest: CalendarDate = '';
  let hasLetDate = false;
  for (const l of group) {
    if (l.letDate !== null) {
      if (!hasLetDate || l.letDate > latest) latest = l.letDate;
      hasLetDate = true;
    }
  }
  if (hasLetDate) return latest;
  for (const l of group) if (l.date > latest) latest = l.date;
  return latest;
}

/**
 * The open items of customer accounts at `asOf`: lines not lettered, or lettered after
 * `asOf`, or in a lettering group that does not balance (partial lettering, a group
 * whose other half is in a year not read). Within such a group credits settle the
 * oldest debits first, so each invoice shows what is left of it. The sum of a client's
 * open items is always its account balance at `asOf`.
 */
export function openItemsAt(lines: FecLine[], asOf: CalendarDate): OpenItem[] {
  const items: OpenItem[] = [];
  for (const group of groupLines(lines)) {
    const upTo = group.filter((l) => l.date <= asOf);
    if (upTo.length === 0) continue;
    if (group.length > 1 && upTo.length === group.length && letteringDate(group) <= asOf) {
      let sum = 0;
      for (const l of group) sum += l.cents;
      if (sum === 0) continue; // settled by asOf
    }
    netGroup(upTo, items);
  }
  items.sort((a, b) =>
    a.clientCode < b.clientCode ? -1 : a.clientCode > b.clientCode ? 1 : a.source.file === b.source.file ? a.source.line - b.source.line : a.source.file < b.source.file ? -1 : 1,
  );
  return items;
}

function netGroup(lines: FecLine[], out: OpenItem[]): void {
  if (lines.length === 1) {
    const l = lines[0]!;
    if (l.cents !== 0) out.push(toOpenItem(l, l.cents));
    return;
  }
  const byDate = [...lines].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.line - b.line));
  let credit = 0;
  for (const l of byDate) if (l.cents < 0) credit -= l.cents;
  for (const l of byDate) {
    if (l.cents <= 0) continue;
    const applied = Math.min(credit, l.cents);
    credit -= applied;
    if (l.cents - applied > 0) out.push(toOpenItem(l, l.cents - applied));
  }
  // Credit left over stays open on the latest credit lines.
  for (let k = byDate.length - 1; k >= 0 && credit > 0; k--) {
    const l = byDate[k]!;
    if (l.cents >= 0) continue;
    const part = Math.min(credit, -l.cents);
    credit -= part;
    out.push(toOpenItem(l, -part));
  }
}

function toOpenItem(l: FecLine, openCents: number): OpenItem {
  return {
    kind: 'open_item',
    clientCode: l.client,
    clientName: l.clientName,
    ref: l.ref,
    docDate: l.docDate,
    dueDate: l.dueDate,
    dueDateDerived: false,
    originalCents: l.cents,
    openCents,
    currency: 'EUR',
    salesRep: null,
    source: { file: l.file, line: l.line },
  };
}

/**
 * Payments received up to `asOf`: credits on customer accounts whose entry moves a bank
 * or cash account, with the invoices lettered with them (the payer's history).
 */
export function paymentsAt(lines: FecLine[], asOf: CalendarDate): Payment[] {
  const debitsByGroup = new Map<string, FecLine[]>();
  for (const l of lines) {
    if (l.group === '' || l.cents <= 0) continue;
    const g = debitsByGroup.get(l.group);
    if (g) g.push(l);
    else debitsByGroup.set(l.group, [l]);
  }
  const out: Payment[] = [];
  for (const l of lines) {
    if (!l.payment || l.date > asOf) continue;
    const invoices = l.group === '' ? [] : (debitsByGroup.get(l.group) ?? []);
    const settles: SettledInvoice[] = invoices.map((d) => ({ ref: d.ref, docDate: d.docDate, dueDate: d.dueDate }));
    out.push({
      kind: 'payment',
      clientCode: l.client,
      clientName: l.clientName,
      date: l.date,
      amountCents: -l.cents,
      refs: settles.map((s) => s.ref),
      settles,
      mode: l.mode,
      source: { file: l.file, line: l.line },
    });
  }
  return out;
}
