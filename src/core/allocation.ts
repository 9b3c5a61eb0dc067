import type { Cents } from './money.js';
import type { OpenItem } from './records.js';

/**
 * What a client owes, invoice by invoice, once its unapplied credits are allocated
 * (DESIGN §2.4). Unapplied credits are the client's negative open items: payments and
 * credit notes that are not lettered, or that name no invoice still open. Lettering
 * and named payments have already reduced the invoices they settle (that is what the
 * open amount of an item is), so only what is left is allocated here: to the open
 * invoices, oldest due date first, so that no letter asks for money already paid.
 */
export interface ClientPosition {
  clientCode: string;
  /** The account balance: the sum of all its open items. */
  balanceCents: Cents;
  /** The total of its unapplied credits, as a positive number. */
  unappliedCents: Cents;
  /** Its invoices (positive open items), oldest due date first, with what is left after allocation. */
  invoices: AllocatedInvoice[];
  /** Credit left after every invoice is covered (the balance is then ≤ 0). */
  leftoverCreditCents: Cents;
  /** The client's latest credit item, which carries the leftover credit. */
  lastCredit: OpenItem | null;
}

/** An invoice of a client's position. */
export interface AllocatedInvoice {
  item: OpenItem;
  /** What the books show open on it (before unapplied credits). */
  statementCents: Cents;
  /** What is still owed on it after unapplied credits: what a letter may ask for. */
  openCents: Cents;
}

/** Oldest due date first; unknown due dates after every known one; then by document date and ref. */
export function byAllocationOrder(a: OpenItem, b: OpenItem): number {
  const da = a.dueDate ?? '9999-12-31';
  const db = b.dueDate ?? '9999-12-31';
  if (da !== db) return da < db ? -1 : 1;
  const pa = a.docDate ?? '';
  const pb = b.docDate ?? '';
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

/** One client's position from its open items (all of the same client). */
export function positionOf(clientCode: string, items: OpenItem[]): ClientPosition {
  let balance = 0;
  let credit = 0;
  const invoices: OpenItem[] = [];
  let lastCredit: OpenItem | null = null;
  for (const item of items) {
    balance += item.openCents;
    if (item.openCents < 0) {
      credit -= item.openCents;
      lastCredit = item;
    } else if (item.openCents > 0) invoices.push(item);
  }
  const unapplied = credit;
  const allocated = [...invoices].sort(byAllocationOrder).map((item) => {
    const applied = Math.min(credit, item.openCents);
    credit -= applied;
    return { item, statementCents: item.openCents, openCents: item.openCents - applied };
  });
  return { clientCode, balanceCents: balance, unappliedCents: unapplied, invoices: allocated, leftoverCreditCents: credit, lastCredit };
}

/** Every client's position, by client code. */
export function positionsOf(items: OpenItem[]): Map<string, ClientPosition> {
  const byClient = new Map<string, OpenItem[]>();
  for (const item of items) {
    const list = byClient.get(item.clientCode);
    if (list) list.push(item);
    else byClient.set(item.clientCode, [item]);
  }
  const out = new Map<string, ClientPosition>();
  for (const [code, list] of byClient) out.set(code, positionOf(code, list));
  return out;
}

/**
 * The open items as a client is asked for them: each invoice reduced by its share of
 * the unapplied credits, the credits consumed, and only the credit left over kept (on
 * the client's latest credit item). The sum per client is unchanged: its balance.
 */
export function allocatedItems(items: OpenItem[]): OpenItem[] {
  return allocatedItemsOf(positionsOf(items).values());
}

/** `allocatedItems` from positions already computed. */
export function allocatedItemsOf(positions: Iterable<ClientPosition>): OpenItem[] {
  const out: OpenItem[] = [];
  for (const position of positions) {
    for (const inv of position.invoices) if (inv.openCents > 0) out.push(inv.openCents === inv.item.openCents ? inv.item : { ...inv.item, openCents: inv.openCents });
    if (position.leftoverCreditCents > 0) out.push({ ...position.lastCredit!, openCents: -position.leftoverCreditCents });
  }
  return out;
}
