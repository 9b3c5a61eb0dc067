import type { CalendarDate } from '../core/dates.js';
import type { FecLine } from '../core/ledger.js';
import type { ImportedReminder } from '../core/imported.js';
import type { Client } from '../core/records.js';
import type { Finding } from '../errors.js';
import { detach } from './stream.js';
import type { FileReport } from './types.js';

/** Settings of the ledger readers (config `fec:`, which every ledger format shares). */
export interface LedgerSettings {
  /** Account prefixes of customer receivables. */
  customerAccounts: string[];
  /** Journal codes of opening entries, on top of those detected (AN, ANO, RAN, "nouveau"). */
  openingJournals: string[];
}

export type { ImportedReminder };

/**
 * One ledger file once read, whatever its format (FEC, Sage 100 #MECG, Quadra, EBP,
 * Cegid TRA): its customer lines, and what the format adds (clients, reminders).
 */
export interface LedgerFile {
  report: FileReport;
  lines: FecLine[];
  findings: Finding[];
  /** First and last entry dates outside opening entries (the fiscal period seen). */
  firstDate: CalendarDate | null;
  lastDate: CalendarDate | null;
  /** Clients the file describes (Sage 100 #MPCT blocks, Quadra C lines). */
  clients?: Client[];
  /** Reminders the software records as sent. */
  reminders?: ImportedReminder[];
}

const OPENING_CODES = new Set(['AN', 'ANO', 'AN0', 'RAN', 'ANX', 'RANO', 'ANOUV']);
const TREASURY_ACCOUNTS = /^(51[0-9]|53)/;

/**
 * The ledger logic every ledger reader shares: which accounts are customers', which
 * journals hold opening entries, which customer credits are payments (their entry moves
 * a bank or cash account), and the period the entries cover. A reader hands it every
 * line's entry, account and date, and the customer lines it built.
 */
export class LedgerCollector {
  readonly lines: FecLine[] = [];
  firstDate: CalendarDate | null = null;
  lastDate: CalendarDate | null = null;
  /** Lines read, of any account (the reader counts them: not the blank ones). */
  total = 0;
  /** Lines of opening entries, of any account. */
  openingCount = 0;
  // Entries whose lines touch a bank or cash account, and the customer credits waiting to
  // learn whether their entry is one: entries are not always written on consecutive lines.
  private readonly treasuryEntries = new Set<string>();
  private readonly credits: { line: FecLine; entry: string }[] = [];
  private readonly openingJournals: Set<string>;
  private readonly openingByLabel = new Map<string, boolean>();
  private readonly prefixes: string[];

  constructor(settings: LedgerSettings) {
    this.openingJournals = new Set([...OPENING_CODES, ...settings.openingJournals.map((j) => j.toUpperCase())]);
    this.prefixes = settings.customerAccounts;
  }

  /** Whether a journal holds opening entries: by its code, else by its label (« À nouveaux »), asked once per journal. */
  isOpeningJournal(journal: string, label: () => string): boolean {
    // Lines of one journal follow each other: the last journal asked is the likeliest.
    if (journal === this.lastJournal) return this.lastOpening;
    let opening = this.openingJournals.has(journal.toUpperCase());
    if (!opening) {
      let byLabel = this.openingByLabel.get(journal);
      if (byLabel === undefined) {
        byLabel = /nouveau/i.test(label().normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
        this.openingByLabel.set(journal, byLabel);
      }
      opening = byLabel;
    }
    this.lastJournal = journal;
    this.lastOpening = opening;
    return opening;
  }

  private lastJournal: string | null = null;
  private lastOpening = false;

  isCustomer(account: string): boolean {
    for (const p of this.prefixes) if (account.startsWith(p)) return true;
    return false;
  }

  /** Any line of an entry (customer or not): its entry may be a bank one, and its date counts in the period. */
  entryLine(entry: string, account: string, date: CalendarDate, opening: boolean): void {
    if (TREASURY_ACCOUNTS.test(account)) this.treasuryEntries.add(entry);
    if (opening) {
      this.openingCount++;
      return;
    }
    if (this.firstDate === null || date < this.firstDate) this.firstDate = date;
    if (this.lastDate === null || date > this.lastDate) this.lastDate = date;
  }

  /** A customer line, built by the reader (its `payment` is settled by `finish`). */
  customerLine(line: FecLine, entry: string): void {
    this.lines.push(line);
    if (line.cents < 0 && !line.opening) this.credits.push({ line, entry });
  }

  /**
   * Letters by reference, for formats that carry no lettering (EBP ASCII, Cegid TRA): the
   * unlettered customer lines of one client that share a non-empty ref form one group
   * (key `${client}\u0001=${ref}`, a prefix no real letter takes), so an invoice nets with
   * the payments and credit notes that carry its number (partly paid: the rest stays open)
   * and a payment naming no invoice stays alone, an unapplied credit. Known limit: two
   * documents of one client sharing a number are netted together. Call before `finish`.
   */
  letterByReference(): void {
    const count = new Map<string, number>();
    const keyOf = (l: FecLine): string => `${l.client}\u0001=${l.ref}`;
    for (const l of this.lines) {
      if (l.group !== '' || l.ref === '') continue;
      const k = keyOf(l);
      count.set(k, (count.get(k) ?? 0) + 1);
    }
    for (const l of this.lines) {
      if (l.group !== '' || l.ref === '') continue;
      const k = keyOf(l);
      if ((count.get(k) ?? 0) > 1) l.group = detach(k);
    }
  }

  /** Marks the customer credits whose entry moves a bank or cash account as payments. */
  finish(): void {
    for (const c of this.credits) c.line.payment = this.treasuryEntries.has(c.entry);
    this.credits.length = 0;
  }
}
