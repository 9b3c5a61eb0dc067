/**
 * Invoices paid late, and the penalties still owed on them once paid. Between
 * professionals, late-payment interest runs from the day after the due date without any
 * reminder (Code de commerce L441-10) and the 40 € recovery indemnity is due per invoice
 * paid late (L441-10 and D441-5), even when the invoice was finally paid. Pure: the
 * command reads the payments and the FEC, this module finds what each invoice received
 * after its due date and prices it, never claiming an amount it cannot know.
 */
import { daysBetween, formatDateFr, type CalendarDate } from './dates.js';
import { groupLettering, type FecLine } from './ledger.js';
import { formatEuros, type Cents } from './money.js';
import { penaltiesForInvoice, RECOVERY_INDEMNITY_CENTS, type PenaltyBasis, type PenaltyPart } from './penalties.js';
import type { PenaltyTables } from './rates.js';
import type { Payment, Segment } from './records.js';

/** A sum an invoice received after its due date; `cents` is null when the export does not say how much. */
export interface LateReceipt {
  date: CalendarDate;
  cents: Cents | null;
  /** Why the amount is unknown (a payment shared by several invoices), or null. */
  unknownWhy: string | null;
}

/** An invoice that received money after its due date, with every such receipt. */
export interface PaidLateInvoice {
  clientCode: string;
  clientName: string;
  ref: string;
  dueDate: CalendarDate;
  /** True when the due date was computed from the payment terms, not read from the export. */
  dueDateDerived: boolean;
  receipts: LateReceipt[];
  /** Where the facts come from: `reglements` (payments file) or `fec` (lettering). */
  origin: 'reglements' | 'fec';
}

/** Lettering groups whose split between several invoices and several credits is not known. */
export interface UnknownSplit {
  clientCode: string;
  clientName: string;
  refs: string[];
  why: string;
}

const keyOf = (client: string, ref: string): string => `${client}\u0001${ref}`;

/**
 * The invoices that payments (from a payments file) settled after their due date. A
 * payment that settles one invoice gave it its whole amount; a payment shared by several
 * invoices does not say how much each got (segment.ts splits it evenly for statistics,
 * which is no basis for a claim): the receipt's amount is then unknown.
 */
export function paidLateFromPayments(payments: readonly Payment[]): PaidLateInvoice[] {
  const by = new Map<string, PaidLateInvoice>();
  for (const p of payments) {
    if (p.amountCents <= 0) continue;
    const shared = p.settles.length > 1;
    for (const s of p.settles) {
      if (s.dueDate === null || daysBetween(s.dueDate, p.date) <= 0) continue;
      const key = keyOf(p.clientCode, s.ref);
      let inv = by.get(key);
      if (!inv) by.set(key, (inv = { clientCode: p.clientCode, clientName: p.clientName, ref: s.ref, dueDate: s.dueDate, dueDateDerived: false, receipts: [], origin: 'reglements' }));
      inv.receipts.push(
        shared
          ? { date: p.date, cents: null, unknownWhy: `règlement du ${formatDateFr(p.date)} de ${formatEuros(p.amountCents)} commun à ${p.settles.length} factures, sans répartition` }
          : { date: p.date, cents: p.amountCents, unknownWhy: null },
      );
    }
  }
  return [...by.values()];
}

/**
 * The invoices that lettered payments settled after their due date, from the FEC's
 * customer lines. Exact cases only: a group with one invoice (each payment gave it its
 * amount, up to what was left of it after earlier credits), or one payment that covers
 * all the group's invoices in full. Any other group (several invoices and several
 * credits) is returned apart: the books do not say which payment settled which invoice.
 * `dueDateOf` gives a due date to a line without one (the client's terms).
 */
export function paidLateFromLedger(
  lines: readonly FecLine[],
  dueDateOf: (line: FecLine) => CalendarDate | null,
): { invoices: PaidLateInvoice[]; unknown: UnknownSplit[] } {
  const invoices: PaidLateInvoice[] = [];
  const unknown: UnknownSplit[] = [];
  for (const group of groupLettering([...lines])) {
    if (group.length < 2) continue;
    const debits = group.filter((l) => l.cents > 0);
    const credits = group.filter((l) => l.cents < 0);
    const payments = credits.filter((l) => l.payment);
    if (debits.length === 0 || payments.length === 0) continue;
    if (debits.some((d) => d.opening)) {
      // An opening entry restates a balance, not an invoice: its piece and due date are not the invoice's.
      unknown.push({
        clientCode: debits[0]!.client,
        clientName: debits[0]!.clientName,
        refs: debits.map((d) => d.ref),
        why: 'règlement lettré avec un report à nouveau : la facture d\'origine est dans l\'exercice précédent ; donnez aussi son FEC',
      });
      continue;
    }
    const due = (l: FecLine) => ({ date: l.dueDate ?? dueDateOf(l), derived: l.dueDate === null });
    const lateOf = (d: FecLine, receipts: LateReceipt[]): void => {
      const { date, derived } = due(d);
      if (date === null) return;
      const late = receipts.filter((r) => daysBetween(date, r.date) > 0);
      if (late.length === 0) return;
      invoices.push({ clientCode: d.client, clientName: d.clientName, ref: d.ref, dueDate: date, dueDateDerived: derived, receipts: late, origin: 'fec' });
    };
    if (debits.length === 1) {
      // One invoice: credits in date order settle it until nothing is left of it.
      const d = debits[0]!;
      let left = d.cents;
      const receipts: LateReceipt[] = [];
      for (const c of credits) {
        if (left <= 0) break;
        const take = Math.min(-c.cents, left);
        left -= take;
        if (c.payment) receipts.push({ date: c.date, cents: take, unknownWhy: null });
      }
      lateOf(d, receipts);
      continue;
    }
    const debitSum = debits.reduce((s, l) => s + l.cents, 0);
    if (credits.length === 1 && -payments[0]!.cents >= debitSum) {
      // One payment for all the invoices: each received its whole amount that day.
      const p = payments[0]!;
      for (const d of debits) lateOf(d, [{ date: p.date, cents: d.cents, unknownWhy: null }]);
      continue;
    }
    const anyLate = debits.some((d) => {
      const date = due(d).date;
      return date !== null && payments.some((p) => daysBetween(date, p.date) > 0);
    });
    if (anyLate) {
      unknown.push({
        clientCode: debits[0]!.client,
        clientName: debits[0]!.clientName,
        refs: debits.map((d) => d.ref),
        why: `${debits.length} factures et ${credits.length} règlements ou avoirs lettrés ensemble : les écritures ne disent pas quel règlement a payé quelle facture`,
      });
    }
  }
  return { invoices, unknown };
}

/** What to do when a half-year has no published rate (config `penalties.whenRateMissing`). */
export type WhenRateMissing = 'refuse' | 'lastKnown';

/** Who is not sent a statement (config `penalties.lateStatement`). */
export interface LateStatementWaivers {
  /** No statement to anyone: penalties are listed, never claimed. */
  waiveAll: boolean;
  /** No statement to clients of these segments (e.g. good payers). */
  waiveSegments: Segment[];
  /** No statement to these client codes. */
  waiveClients: string[];
  /** No statement when a client's total (interest and indemnities) is below this. */
  minimumCents: Cents;
}

export const NO_WAIVERS: LateStatementWaivers = { waiveAll: false, waiveSegments: [], waiveClients: [], minimumCents: 0 };

/** One receipt priced: the interest on what the invoice received late, or why it is not stated. */
export interface PricedReceipt {
  date: CalendarDate;
  cents: Cents | null;
  daysLate: number;
  /** Interest on `cents` from the day after the due date to `date` inclusive (L441-10); null when not computed. */
  interestCents: Cents | null;
  parts: PenaltyPart[];
  /** Why no interest is stated (amount unknown, rate missing), or null. */
  unstated: string | null;
}

/** An invoice paid late within the period, with what it still owes in penalties. */
export interface LateInvoicePenalties {
  ref: string;
  dueDate: CalendarDate;
  dueDateDerived: boolean;
  origin: 'reglements' | 'fec';
  receipts: PricedReceipt[];
  /** Sum of the known amounts received late in the period. */
  paidLateCents: Cents;
  daysLateMax: number;
  /** Sum of the interest stated (the receipts whose interest is null are left out). */
  interestCents: Cents;
  /** 40 € (D441-5), once per invoice: in the period of its first late receipt, and not while the invoice is still open. */
  indemnityCents: Cents;
  /** Why no indemnity is claimed here, or null. */
  indemnityWhy: string | null;
  totalCents: Cents;
  /** True when some interest of this invoice is not stated. */
  incomplete: boolean;
}

/** One client's statement. */
export interface ClientLatePenalties {
  clientCode: string;
  clientName: string;
  segment: Segment | null;
  basis: PenaltyBasis;
  invoices: LateInvoicePenalties[];
  interestCents: Cents;
  indemnityCents: Cents;
  totalCents: Cents;
  incomplete: boolean;
  /** Why no statement is sent (a waiver), or null. */
  waived: string | null;
  /** Notes the client may read: the rate used for a half-year the table lacks (`whenRateMissing: lastKnown`). */
  footnotes: string[];
}

/** The report of `relance penalites`. */
export interface LatePenaltiesReport {
  period: { from: CalendarDate; to: CalendarDate };
  asOf: CalendarDate;
  basis: PenaltyBasis;
  contractualRatePercent: number | null;
  whenRateMissing: WhenRateMissing;
  clients: ClientLatePenalties[];
  /** Consumers with invoices paid late: neither L441-10 penalties nor the 40 € apply to them. */
  consumers: { clientCode: string; clientName: string; invoices: number }[];
  /** Lettering groups whose split is unknown: no figure stated. */
  unknown: UnknownSplit[];
  /** Invoices left out (payment plan, dispute, write-off, collective proceeding): never priced nor claimed. */
  excluded: LateExclusion[];
  /** French notes for the user: rates missing, contractual rate below the floor, due dates computed. */
  notes: string[];
  totals: { clients: number; invoices: number; interestCents: Cents; indemnityCents: Cents; totalCents: Cents; claimedCents: Cents };
}

/** Everything the report is computed from. */
export interface LatePenaltiesInput {
  period: { from: CalendarDate; to: CalendarDate };
  asOf: CalendarDate;
  invoices: readonly PaidLateInvoice[];
  unknown?: readonly UnknownSplit[];
  /** Per client code: consumer or not, and its segment (forced or computed). */
  clients: ReadonlyMap<string, { consumer: boolean; segment: Segment | null; name?: string }>;
  /** `client␁ref` of invoices still open at the as-of date: their indemnity belongs to their reminders. */
  openRefs: ReadonlySet<string>;
  tables: PenaltyTables;
  contractualRatePercent: number | null;
  whenRateMissing: WhenRateMissing;
  waivers: LateStatementWaivers;
  /** Only this client, when given. */
  clientCode?: string | null;
  /** `client␁ref` of invoices whose penalties must not be claimed (payment plan, dispute, write-off), with why. */
  excludedInvoices?: ReadonlyMap<string, string>;
  /** Clients whose penalties must not be claimed (collective proceeding): all of them, or those of invoices first paid late before `paidBefore`. */
  excludedClients?: ReadonlyMap<string, { why: string; paidBefore: CalendarDate | null }>;
  /**
   * Per client: the credit left once its unapplied credits have paid its open invoices
   * (allocation.ts `positionOf`, `leftoverCreditCents`; > 0 only when the balance is in credit).
   */
  credits?: ReadonlyMap<string, Cents>;
}

/** Invoices paid late whose penalties are left out of the statements, grouped by client and reason. */
export interface LateExclusion {
  clientCode: string;
  clientName: string;
  refs: string[];
  why: string;
}

/** The key of an invoice in `openRefs`. */
export function invoiceKey(clientCode: string, ref: string): string {
  return keyOf(clientCode, ref);
}

/**
 * Prices the invoices paid late within the period, per client: interest on each sum
 * received late at the ECB rate + 10 points per half-year, or at the contractual rate
 * (L441-10), and the 40 € indemnity per invoice (D441-5). Consumers are set apart.
 * A figure that cannot be known (an unknown split, a half-year without a published
 * rate under `refuse`) is left out and said, never guessed.
 */
export function latePenaltiesOf(input: LatePenaltiesInput): LatePenaltiesReport {
  const { period, tables, contractualRatePercent, whenRateMissing, waivers } = input;
  const terms = { consumer: false, contractualRatePercent };
  const basis: PenaltyBasis = contractualRatePercent != null ? 'taux-contractuel' : 'taux-bce';
  const inPeriod = (d: CalendarDate) => d >= period.from && d <= period.to;
  const notes = new Set<string>();
  const byClient = new Map<string, ClientLatePenalties>();
  const consumers = new Map<string, { clientCode: string; clientName: string; invoices: number }>();
  const excluded = new Map<string, LateExclusion>();
  // One invoice may appear in both a payments file and the FEC: the FEC's lettering wins.
  const seen = new Map<string, PaidLateInvoice>();
  for (const inv of input.invoices) {
    const key = keyOf(inv.clientCode, inv.ref);
    const prior = seen.get(key);
    if (!prior) seen.set(key, inv);
    else if (prior.origin === 'reglements' && inv.origin === 'fec') seen.set(key, inv);
    else if (prior.origin === inv.origin) seen.set(key, { ...prior, receipts: [...prior.receipts, ...inv.receipts] });
  }
  const sorted = [...seen.values()].sort((a, b) =>
    a.clientCode !== b.clientCode ? (a.clientCode < b.clientCode ? -1 : 1) : a.dueDate !== b.dueDate ? (a.dueDate < b.dueDate ? -1 : 1) : a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0,
  );

  for (const inv of sorted) {
    if (input.clientCode && inv.clientCode !== input.clientCode) continue;
    const receipts = [...inv.receipts].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const within = receipts.filter((r) => inPeriod(r.date));
    if (within.length === 0) continue;
    const facts = input.clients.get(inv.clientCode);
    if (facts?.consumer) {
      const c = consumers.get(inv.clientCode) ?? { clientCode: inv.clientCode, clientName: inv.clientName, invoices: 0 };
      c.invoices++;
      consumers.set(inv.clientCode, c);
      continue;
    }
    const why = exclusionOf(input, inv, receipts[0]!.date);
    if (why !== null) {
      const k = keyOf(inv.clientCode, why);
      const e = excluded.get(k) ?? { clientCode: inv.clientCode, clientName: facts?.name || inv.clientName, refs: [], why };
      e.refs.push(inv.ref);
      excluded.set(k, e);
      continue;
    }
    const footnotes = new Set<string>();
    const priced: PricedReceipt[] = within.map((r) => {
      const daysLate = daysBetween(inv.dueDate, r.date);
      if (r.cents === null) return { date: r.date, cents: null, daysLate, interestCents: null, parts: [], unstated: `montant reçu par cette facture inconnu (${r.unknownWhy ?? 'répartition inconnue'})` };
      const p = penaltiesForInvoice({ ref: inv.ref, dueDate: inv.dueDate, openCents: r.cents }, terms, r.date, tables);
      // For the sender: a rate missing from the table, a contractual rate below the floor.
      for (const n of p.notes) notes.add(n);
      if (p.interest.extrapolated) {
        if (whenRateMissing === 'refuse') {
          notes.add('intérêts non calculés pour ces semestres (penalties.whenRateMissing: refuse) : ajoutez le taux dans penalties.rates, ou calculez avec le dernier taux connu, en le disant dans le relevé, avec penalties.whenRateMissing: lastKnown');
          // The days before the first missing half-year keep their own rates: those are owed for certain.
          const known = p.interest.parts.findIndex((part) => part.extrapolated);
          if (known > 0) {
            const until = p.interest.parts[known - 1]!.to;
            const partial = penaltiesForInvoice({ ref: inv.ref, dueDate: inv.dueDate, openCents: r.cents }, terms, until, tables);
            return { date: r.date, cents: r.cents, daysLate, interestCents: partial.interestCents, parts: partial.interest.parts, unstated: `intérêts comptés jusqu'au ${formatDateFr(until)} seulement : taux du semestre suivant absent de la table` };
          }
          return { date: r.date, cents: r.cents, daysLate, interestCents: null, parts: p.interest.parts, unstated: 'taux d\'un semestre absent de la table : intérêts non calculés' };
        }
        if (p.interest.note) {
          footnotes.add(p.interest.note);
          notes.add(`${p.interest.note}, dit dans le relevé (penalties.whenRateMissing: lastKnown)`);
        }
      }
      return { date: r.date, cents: r.cents, daysLate, interestCents: p.interestCents, parts: p.interest.parts, unstated: null };
    });
    const first = receipts[0]!;
    const stillOpen = input.openRefs.has(keyOf(inv.clientCode, inv.ref));
    let indemnityCents = 0;
    let indemnityWhy: string | null = null;
    if (stillOpen) indemnityWhy = 'facture encore ouverte : l\'indemnité figure dans ses relances';
    else if (!inPeriod(first.date)) indemnityWhy = `indemnité rattachée au premier règlement en retard, le ${formatDateFr(first.date)}, hors période`;
    else indemnityCents = RECOVERY_INDEMNITY_CENTS;
    const interestCents = priced.reduce((s, r) => s + (r.interestCents ?? 0), 0);
    if (inv.dueDateDerived) notes.add('certaines échéances absentes du FEC sont calculées d\'après les conditions de règlement (marquées « calculée »)');
    const row: LateInvoicePenalties = {
      ref: inv.ref,
      dueDate: inv.dueDate,
      dueDateDerived: inv.dueDateDerived,
      origin: inv.origin,
      receipts: priced,
      paidLateCents: priced.reduce((s, r) => s + (r.cents ?? 0), 0),
      daysLateMax: Math.max(...priced.map((r) => r.daysLate)),
      interestCents,
      indemnityCents,
      indemnityWhy,
      totalCents: interestCents + indemnityCents,
      incomplete: priced.some((r) => r.unstated !== null),
    };
    let c = byClient.get(inv.clientCode);
    if (!c) {
      c = { clientCode: inv.clientCode, clientName: facts?.name || inv.clientName, segment: facts?.segment ?? null, basis, invoices: [], interestCents: 0, indemnityCents: 0, totalCents: 0, incomplete: false, waived: null, footnotes: [] };
      byClient.set(inv.clientCode, c);
    }
    c.invoices.push(row);
    c.interestCents += row.interestCents;
    c.indemnityCents += row.indemnityCents;
    c.totalCents += row.totalCents;
    c.incomplete ||= row.incomplete;
    for (const f of footnotes) if (!c.footnotes.includes(f)) c.footnotes.push(f);
  }

  const clients = [...byClient.values()];
  for (const c of clients) c.waived = waiverOf(c, waivers, input.credits?.get(c.clientCode) ?? 0);
  const unknown = (input.unknown ?? []).filter((u) => (!input.clientCode || u.clientCode === input.clientCode) && !input.clients.get(u.clientCode)?.consumer);
  const sum = (f: (c: ClientLatePenalties) => number, list = clients) => list.reduce((s, c) => s + f(c), 0);
  return {
    period,
    asOf: input.asOf,
    basis,
    contractualRatePercent,
    whenRateMissing,
    clients,
    consumers: [...consumers.values()],
    unknown,
    excluded: [...excluded.values()],
    notes: [...notes],
    totals: {
      clients: clients.length,
      invoices: sum((c) => c.invoices.length),
      interestCents: sum((c) => c.interestCents),
      indemnityCents: sum((c) => c.indemnityCents),
      totalCents: sum((c) => c.totalCents),
      claimedCents: sum((c) => c.totalCents, clients.filter((c) => c.waived === null)),
    },
  };
}

/** Why an invoice's penalties are not to be claimed (by the client, then by the invoice), or null. */
function exclusionOf(input: LatePenaltiesInput, inv: PaidLateInvoice, firstLate: CalendarDate): string | null {
  const client = input.excludedClients?.get(inv.clientCode);
  if (client && (client.paidBefore === null || firstLate < client.paidBefore)) return client.why;
  return input.excludedInvoices?.get(keyOf(inv.clientCode, inv.ref)) ?? null;
}

/**
 * Why a client gets no statement, in French, or null. A client we owe money to (a credit
 * left once its unapplied credits have paid its open invoices, as the letters allocate
 * them) is sent none: the debts offset each other (Code civil art. 1347), which the sender
 * records; a letter asking it to pay would be wrong. Credits that open invoices absorb
 * are not available to offset the penalties, so they do not count.
 */
function waiverOf(c: ClientLatePenalties, w: LateStatementWaivers, creditCents: Cents): string | null {
  if (w.waiveAll) return 'renonciation générale (penalties.lateStatement.waiveAll)';
  if (w.waiveClients.includes(c.clientCode)) return 'client dispensé (penalties.lateStatement.waiveClients)';
  if (c.segment !== null && w.waiveSegments.includes(c.segment)) return `segment « ${c.segment} » dispensé (penalties.lateStatement.waiveSegments)`;
  if (c.totalCents === 0) return 'rien à réclamer';
  if (creditCents > 0) {
    return creditCents >= c.totalCents
      ? `solde créditeur de ${formatEuros(creditCents)} : à compenser (article 1347 du Code civil)`
      : `solde créditeur de ${formatEuros(creditCents)} : à compenser (article 1347 du Code civil) ; le reste, ${formatEuros(c.totalCents - creditCents)}, est à réclamer à la main après la compensation`;
  }
  if (c.totalCents < w.minimumCents) return `total sous le minimum de penalties.lateStatement.minimum`;
  return null;
}
