import { addDays, type CalendarDate } from './dates.js';
import type { Cents } from './money.js';
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
  /**
   * Lettering group key, '' when unlettered: the account (the auxiliary account when
   * there is one) and the letter, not the file, so that a group lettered across fiscal
   * years (a December invoice, its January payment) is one group.
   */
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
 * too they are dropped (the previous year's detail replaces them). A lettered opening
 * line first gives its letter to the previous years' lines it restates (see
 * `lendOpeningLetters`), so that a payment lettered with it still settles them.
 */
export function mergeFiscalYears(years: FiscalYear[]): { lines: FecLine[]; notes: MergeNote[] } {
  // In calendar order. A year exported in its first days may hold only its opening
  // entries (no firstDate): it starts at their date, after the year they restate.
  const sorted = [...years].sort((a, b) => startOf(a).localeCompare(startOf(b)));
  let kept: FecLine[] = [];
  const notes: MergeNote[] = [];
  sorted.forEach((year, i) => {
    if (i === 0) {
      for (const l of year.lines) kept.push(l);
      return;
    }
    const closing = new Map<string, number>();
    for (const l of kept) closing.set(l.client, (closing.get(l.client) ?? 0) + l.cents);
    const openingLines = year.lines.filter((l) => l.opening);
    kept = lendOpeningLetters(kept, openingLines);
    const opening = new Map<string, number>();
    for (const l of year.lines) {
      if (l.opening) opening.set(l.client, (opening.get(l.client) ?? 0) + l.cents);
      else kept.push(l);
    }
    const mismatches: MergeNote['mismatches'] = [];
    for (const client of new Set([...opening.keys(), ...closing.keys()])) {
      const o = opening.get(client) ?? 0;
      const c = closing.get(client) ?? 0;
      if (o !== c) mismatches.push({ client, openingCents: o, closingCents: c });
    }
    notes.push({ file: year.file, droppedOpeningLines: openingLines.length, mismatches });
  });
  return { lines: kept, notes };
}

/** Where a fiscal year starts: its first entry outside opening entries, else its opening entries' date. */
function startOf(year: FiscalYear): CalendarDate | '' {
  if (year.firstDate !== null) return year.firstDate;
  let first: CalendarDate | '' = '';
  for (const l of year.lines) if (first === '' || l.date < first) first = l.date;
  return first;
}

/** A line the previous years leave open, and how much of it. */
interface Restated {
  line: FecLine;
  cents: Cents;
  taken: boolean;
}

/**
 * Gives the letters of a year's opening lines to the previous years' lines they restate,
 * before the opening lines are dropped. What an opening entry restates is what the
 * previous years leave open, line by line once lettering is netted. In this order:
 * - a detailed opening line restates the open line of the same client, piece and amount;
 * - a client's remaining opening lines, when all lettered with one letter and their sum
 *   is what the client still has open, restate all of it (an aggregated opening line);
 * - a remaining lettered opening line restates the client's oldest open line of the same
 *   amount.
 * A line already in a lettering group brings its group along (the groups are joined).
 * A letter that maps to nothing is left behind: its other lines (a January payment
 * lettered with an opening balance the previous year does not explain) stay open, as
 * unapplied credits that DESIGN §2.4 allocates to the oldest invoices.
 */
function lendOpeningLetters(kept: FecLine[], openings: FecLine[]): FecLine[] {
  if (!openings.some((o) => o.group !== '')) return kept;
  const byPiece = new Map<string, Restated[]>();
  const byClient = new Map<string, Restated[]>();
  for (const group of groupLettering(kept)) {
    netLines(group, group.length, (line, cents) => {
      const r: Restated = { line, cents, taken: false };
      push(byPiece, `${line.client}\u0001${line.ref}\u0001${cents}`, r);
      push(byClient, line.client, r);
    });
  }
  for (const list of byClient.values()) list.sort((a, b) => byDate(a.line, b.line));
  for (const list of byPiece.values()) list.sort((a, b) => byDate(a.line, b.line));

  const assigned = new Map<FecLine, string>();
  const renamed = new Map<string, string>();
  const resolve = (key: string): string => {
    let k = key;
    for (let next = renamed.get(k); next !== undefined; next = renamed.get(k)) k = next;
    return k;
  };
  const lend = (r: Restated, key: string): void => {
    r.taken = true;
    if (key === '') return;
    if (r.line.group === '') assigned.set(r.line, key);
    else {
      const from = resolve(r.line.group);
      const to = resolve(key);
      if (from !== to) renamed.set(from, to);
    }
  };

  const left: FecLine[] = [];
  for (const o of openings) {
    const twin = byPiece.get(`${o.client}\u0001${o.ref}\u0001${o.cents}`)?.find((r) => !r.taken);
    if (twin) lend(twin, o.group);
    else left.push(o);
  }
  const leftByClient = new Map<string, FecLine[]>();
  for (const o of left) push(leftByClient, o.client, o);
  const unmatched: FecLine[] = [];
  for (const [client, lines] of leftByClient) {
    const key = lines[0]!.group;
    const open = (byClient.get(client) ?? []).filter((r) => !r.taken);
    const sum = (xs: { cents: Cents }[]) => xs.reduce((s, x) => s + x.cents, 0);
    if (key !== '' && open.length > 0 && lines.every((o) => o.group === key) && sum(lines) === sum(open)) {
      for (const r of open) lend(r, key);
    } else for (const o of lines) if (o.group !== '') unmatched.push(o);
  }
  for (const o of unmatched) {
    const same = byClient.get(o.client)?.find((r) => !r.taken && r.cents === o.cents);
    if (same) lend(same, o.group);
  }

  if (assigned.size === 0 && renamed.size === 0) return kept;
  return kept.map((l) => {
    const key = assigned.get(l) ?? l.group;
    if (key === '') return l;
    const to = resolve(key);
    return to === l.group ? l : { ...l, group: to };
  });
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** By entry date, then file and line: the order in which a group's credits settle its debits. */
function byDate(a: FecLine, b: FecLine): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line;
}

/**
 * Customer lines grouped by lettering, each group in date order; an unlettered line is
 * a group of its own. Group once, then ask for open items at many dates.
 */
export function groupLettering(lines: FecLine[]): FecLine[][] {
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
  for (const g of groups.values()) if (g.length > 1) g.sort(byDate);
  // A list grown by push keeps room for more (17 slots for 2 lines): the copies fit.
  for (let i = 0; i < out.length; i++) if (out[i]!.length > 1) out[i] = out[i]!.slice();
  return out;
}

/**
 * Nets the first `n` lines of a group (in date order): its credits settle its oldest
 * debits first, and credit left over stays open on its latest credit lines. Gives each
 * line left open with what is left of it; the sum given is the sum of the lines.
 */
function netLines(lines: FecLine[], n: number, open: (line: FecLine, cents: Cents) => void): void {
  if (n === 1) {
    const l = lines[0]!;
    if (l.cents !== 0) open(l, l.cents);
    return;
  }
  let credit = 0;
  for (let k = 0; k < n; k++) {
    const c = lines[k]!.cents;
    if (c < 0) credit -= c;
  }
  for (let k = 0; k < n; k++) {
    const l = lines[k]!;
    if (l.cents <= 0) continue;
    const applied = credit < l.cents ? credit : l.cents;
    credit -= applied;
    if (l.cents > applied) open(l, l.cents - applied);
  }
  for (let k = n - 1; k >= 0 && credit > 0; k--) {
    const l = lines[k]!;
    if (l.cents >= 0) continue;
    const part = credit < -l.cents ? credit : -l.cents;
    credit -= part;
    open(l, -part);
  }
}

/** How many lines of a group (in date order) are dated on or before a date. */
function countUpTo(group: FecLine[], date: CalendarDate): number {
  let n = 0;
  while (n < group.length && group[n]!.date <= date) n++;
  return n;
}

/**
 * The open items of customer accounts at `asOf`: lines not lettered, or in a lettering
 * group that does not balance at `asOf` (partial lettering, a group whose other lines
 * come later or are in a year not read). A group balanced by `asOf` leaves nothing open,
 * whenever it was lettered (its lines then net to zero). Within a group credits settle
 * the oldest debits first, so each invoice shows what is left of it; a letter that two
 * years reuse for different groups is one group, netted the same way. The sum of a
 * client's open items is always its account balance at `asOf`.
 */
export function openItemsAt(lines: FecLine[], asOf: CalendarDate): OpenItem[] {
  return openItemsOfGroups(groupLettering(lines), asOf).sort((a, b) =>
    a.clientCode < b.clientCode ? -1 : a.clientCode > b.clientCode ? 1 : a.source.file === b.source.file ? a.source.line - b.source.line : a.source.file < b.source.file ? -1 : 1,
  );
}

/**
 * `openItemsAt` on lines already grouped by `groupLettering`, in the groups' order (the
 * KPIs ask for many dates and need no sorting).
 */
export function openItemsOfGroups(groups: FecLine[][], asOf: CalendarDate): OpenItem[] {
  const items: OpenItem[] = [];
  const open = (l: FecLine, cents: Cents): void => {
    items.push(toOpenItem(l, cents));
  };
  for (const group of groups) {
    const n = countUpTo(group, asOf);
    if (n > 0) netLines(group, n, open);
  }
  return items;
}

/**
 * `openItemsOfGroups` at each of `dates` in one pass over the groups: a group nets once
 * for each count of its lines the dates reach, and a group left the same from one date
 * to the next gives the same item objects again (an unlettered line: one item for every
 * date after it). A group all of whose lines are dated by a date and that sums to zero
 * leaves nothing open then, nor later. By date, in the order the dates are given.
 */
export function openItemsAtDates(groups: FecLine[][], dates: readonly CalendarDate[]): OpenItem[][] {
  const order = dates.map((_, k) => k).sort((a, b) => (dates[a]! < dates[b]! ? -1 : dates[a]! > dates[b]! ? 1 : 0));
  const sorted = order.map((k) => dates[k]!);
  const byDate: OpenItem[][] = sorted.map(() => []);
  let fresh: OpenItem[] = [];
  const open = (l: FecLine, cents: Cents): void => {
    fresh.push(toOpenItem(l, cents));
  };
  for (const group of groups) {
    const last = group[group.length - 1]!.date;
    let balanced = group.length > 1;
    if (balanced) {
      let sum = 0;
      for (const l of group) sum += l.cents;
      balanced = sum === 0;
    }
    let n = 0;
    let shown = 0;
    let items: OpenItem[] = [];
    for (let k = 0; k < sorted.length; k++) {
      const date = sorted[k]!;
      if (balanced && last <= date) break;
      while (n < group.length && group[n]!.date <= date) n++;
      if (n === 0) continue;
      if (n !== shown) {
        fresh = [];
        netLines(group, n, open);
        items = fresh;
        shown = n;
      }
      const into = byDate[k]!;
      for (const item of items) into.push(item);
    }
  }
  const out: OpenItem[][] = new Array(dates.length);
  order.forEach((k, i) => (out[k] = byDate[i]!));
  return out;
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

/** The key of a record's origin (file and line): how an open item finds its line again. */
export function sourceKey(file: string, line: number): string {
  return `${file}\u0001${line}`;
}

/** What a period's credits did to the debits open at its start, and the cash it left unapplied. */
export interface PeriodSettlement {
  /**
   * By `sourceKey` of a debit open at the start: how much of it the period's credits
   * lettered with it settled, by payments (cash) and by other credits (credit notes,
   * write-offs, other entries).
   */
  settled: Map<string, { paidCents: Cents; creditedCents: Cents }>;
  /** By client: cash received in the period and still unapplied at its end. */
  unappliedCash: Map<string, Cents>;
}

/** What a period's credits did to the debits open at its start (as `PeriodSettlement`), by the debit's file, then line. */
export interface LineSettlement {
  settled: Map<string, Map<number, { paidCents: Cents; creditedCents: Cents }>>;
  unappliedCash: Map<string, Cents>;
}

/**
 * How the credits of a period settled, within their lettering groups, the debits open at
 * its start (oldest debit first, credits in date order, as `openItemsAt` nets them), and
 * which payments of the period are still unapplied credits at its end.
 */
export function settlementIn(groups: FecLine[][], from: CalendarDate, to: CalendarDate): PeriodSettlement {
  const [s] = settlementsIn(groups, [{ from, to }]);
  const settled: PeriodSettlement['settled'] = new Map();
  for (const [file, byLine] of s!.settled) for (const [line, v] of byLine) settled.set(sourceKey(file, line), v);
  return { settled, unappliedCash: s!.unappliedCash };
}

/** `settlementIn` for several periods in one pass over the groups, keyed by line; in the order of the periods. */
export function settlementsIn(groups: FecLine[][], periods: readonly { from: CalendarDate; to: CalendarDate }[]): LineSettlement[] {
  const out: LineSettlement[] = periods.map(() => ({ settled: new Map(), unappliedCash: new Map() }));
  const starts = periods.map((p) => addDays(p.from, -1));
  for (const group of groups) {
    const first = group[0]!.date;
    const last = group[group.length - 1]!.date;
    for (let p = 0; p < periods.length; p++) {
      const { from, to } = periods[p]!;
      if (first > to || last < from) continue;
      settleGroup(group, from, to, starts[p]!, out[p]!);
    }
  }
  return out;
}

/** One group's part of a period's settlement (the group has a line in the period or before it and after). */
function settleGroup(group: FecLine[], from: CalendarDate, to: CalendarDate, dayBefore: CalendarDate, into: LineSettlement): void {
  const { settled, unappliedCash } = into;
  const addCash = (l: FecLine, cents: Cents): void => {
    if (l.payment && l.date >= from && l.date <= to && cents < 0) unappliedCash.set(l.client, (unappliedCash.get(l.client) ?? 0) - cents);
  };
  const end = countUpTo(group, to);
  if (end === 0 || group[end - 1]!.date < from) return; // nothing in the period
  if (group.length === 1) {
    addCash(group[0]!, group[0]!.cents);
    return;
  }
  const start = countUpTo(group, dayBefore);
  const debits: { line: FecLine; cents: Cents }[] = [];
  if (start > 0) netLines(group, start, (line, cents) => {
    if (cents > 0) debits.push({ line, cents });
  });
  for (let k = start, d = 0; k < end && d < debits.length; k++) {
    const c = group[k]!;
    let credit = c.cents < 0 ? -c.cents : 0;
    while (credit > 0 && d < debits.length) {
      const debit = debits[d]!;
      const take = credit < debit.cents ? credit : debit.cents;
      let inFile = settled.get(debit.line.file);
      if (!inFile) settled.set(debit.line.file, (inFile = new Map()));
      let s = inFile.get(debit.line.line);
      if (!s) inFile.set(debit.line.line, (s = { paidCents: 0, creditedCents: 0 }));
      if (c.payment) s.paidCents += take;
      else s.creditedCents += take;
      credit -= take;
      debit.cents -= take;
      if (debit.cents === 0) d++;
    }
  }
  netLines(group, end, addCash);
}

/**
 * Payments received up to `asOf`: credits on customer accounts whose entry moves a bank
 * or cash account, with the invoices lettered with them (the payer's history). Within a
 * lettering group a payment settles the debits its amount reaches, oldest first after
 * the group's earlier credits: two payments lettered with two invoices settle one each,
 * and a letter reused by another year does not tie this year's payment to an old invoice.
 * With `from`, only the payments from that date on (the same ones, matched the same way).
 */
export function paymentsAt(lines: FecLine[], asOf: CalendarDate, from: CalendarDate = ''): Payment[] {
  // From a date on, only the groups of the payments asked for are matched.
  let only: Set<string> | null = null;
  if (from !== '') {
    only = new Set();
    for (const l of lines) if (l.payment && l.group !== '' && l.date <= asOf && l.date >= from) only.add(l.group);
  }
  const settlesOf = settledByPayments(lines, only);
  const out: Payment[] = [];
  for (const l of lines) {
    if (!l.payment || l.date > asOf || l.date < from) continue;
    const invoices = settlesOf(l);
    const settled: SettledInvoice[] = invoices.map((d) => ({ ref: d.ref, docDate: d.docDate, dueDate: d.dueDate, cents: d.cents }));
    out.push({
      kind: 'payment',
      clientCode: l.client,
      clientName: l.clientName,
      date: l.date,
      amountCents: -l.cents,
      refs: settled.map((s) => s.ref),
      settles: settled,
      mode: l.mode,
      source: { file: l.file, line: l.line },
    });
  }
  return out;
}

/**
 * The debits of its group that a lettered payment settles. The usual group has one
 * credit, the payment of its invoices: all of them. A group with several credits is
 * matched in date order (a credit before its debit, an advance, waits for it).
 */
function settledByPayments(lines: FecLine[], only: Set<string> | null): (payment: FecLine) => FecLine[] {
  const debits = new Map<string, FecLine[]>();
  const credits = new Map<string, number>();
  for (const l of lines) {
    if (l.group === '' || (only !== null && !only.has(l.group))) continue;
    if (l.cents > 0) push(debits, l.group, l);
    else if (l.cents < 0) credits.set(l.group, (credits.get(l.group) ?? 0) + 1);
  }
  const shared = new Map<string, FecLine[]>();
  for (const [group, n] of credits) if (n > 1) shared.set(group, []);
  if (shared.size > 0) for (const l of lines) if (l.group !== '') shared.get(l.group)?.push(l);
  const matched = new Map<FecLine, FecLine[]>();
  for (const group of shared.values()) {
    group.sort(byDate);
    const open: { line: FecLine; left: Cents }[] = [];
    const waiting: { line: FecLine; left: Cents }[] = [];
    let d = 0;
    let c = 0;
    for (const l of group) {
      if (l.cents > 0) open.push({ line: l, left: l.cents });
      else if (l.cents < 0) waiting.push({ line: l, left: -l.cents });
      while (d < open.length && c < waiting.length) {
        const debit = open[d]!;
        const credit = waiting[c]!;
        const take = Math.min(debit.left, credit.left);
        const list = matched.get(credit.line);
        if (!list) matched.set(credit.line, [debit.line]);
        else if (list[list.length - 1] !== debit.line) list.push(debit.line);
        debit.left -= take;
        credit.left -= take;
        if (debit.left === 0) d++;
        if (credit.left === 0) c++;
      }
    }
  }
  return (payment) => (payment.group === '' ? [] : shared.has(payment.group) ? matched.get(payment) ?? [] : debits.get(payment.group) ?? []);
}
