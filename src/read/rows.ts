import { BAD_DATE, type CalendarDate } from '../core/dates.js';
import type { Client, OpenItem, Payment, Segment, SettledInvoice } from '../core/records.js';
import { readSiren } from '../core/debtor.js';
import { parseTerms } from '../core/terms.js';
import { quoted } from '../errors.js';
import type { HeaderMapping } from './header.js';
import { AMOUNT_HINT, DATE_HINT, recentStrings, type Fix, type ValueReader } from './values.js';
import { excelSerialDate, numberCents, type CellValue } from './xlsx.js';
import { detach } from './stream.js';

/** The client a group header row announced, for detail rows that leave it blank. */
export interface CurrentClient {
  code: string;
  name: string;
}

/**
 * Reads one data row into a canonical record; the header mapping says which cell is what.
 * A workbook's row also brings its cells' values (`typed`, see CellValue): a number
 * cell's amount is taken as the number it is, a date cell's date as the date it is, a
 * number in a date column as Excel's serial day; the other cells are read from their
 * text, as a delimited file's fields are. A delimited file's row passes null.
 */
export class RowMapper {
  private readonly i: Record<string, number>;
  /** Each shared column's last strings (see ValueReader.shared). */
  private readonly recent = { clientCode: recentStrings(), mode: recentStrings(), currency: recentStrings(), salesRep: recentStrings() };
  /** Per column, the last date text read and its date: rows sorted by date repeat it. */
  private readonly lastDateText: (string | undefined)[] = [];
  private readonly lastDate: (CalendarDate | undefined)[] = [];

  constructor(
    private readonly file: string,
    private readonly map: HeaderMapping,
    private readonly values: ValueReader,
    /** Turns cells read as Latin-1 into the file's real single-byte encoding. */
    private readonly fix: Fix = null,
    /** The workbook counts serial dates from 1904 (see excelSerialDate). */
    private readonly date1904 = false,
  ) {
    this.i = map.index;
  }

  /** The cell of a field, '' when the column is absent or the row is short. */
  cell(row: string[], field: string): string {
    const idx = this.i[field];
    if (idx === undefined) return '';
    const value = row[idx] ?? '';
    return this.fix ? this.fix(value) : value;
  }

  private header(field: string): string {
    return this.map.headers[this.i[field]!] ?? field;
  }

  private date(row: string[], field: string, line: number, typed: CellValue[] | null) {
    const idx = this.i[field];
    if (idx === undefined) return null;
    const t = typed === null ? null : typed[idx];
    if (t !== null && t !== undefined) return this.typedDate(t, row[idx] ?? '', line, this.header(field));
    const text = row[idx] ?? '';
    if (this.lastDateText[idx] === text) return this.lastDate[idx]!;
    const date = this.values.date(text, line, this.header(field), this.fix);
    if (date !== null) {
      // Copied: the text may be a slice of a whole chunk of the file.
      this.lastDateText[idx] = detach(text);
      this.lastDate[idx] = date;
    }
    return date;
  }

  private cents(row: string[], field: string, line: number, typed: CellValue[] | null) {
    const idx = this.i[field];
    if (idx === undefined) return null;
    const t = typed === null ? null : typed[idx];
    if (t !== null && t !== undefined) return this.typedCents(t, row[idx] ?? '', line, this.header(field));
    return this.values.cents(row[idx] ?? '', line, this.header(field), this.fix);
  }

  /** A date cell's date, or a number in a date column as Excel's serial day; `01/01/1900` is no date. */
  private typedDate(t: Exclude<CellValue, null>, text: string, line: number, column: string): CalendarDate | null {
    if (typeof t === 'object') return null; // a problem cell: reported with its row
    const date = typeof t === 'number' ? excelSerialDate(t, this.date1904) : t;
    if (date === BAD_DATE) {
      // Past Excel's last day, a number may be a date written AAAAMMJJ (20261009): read as text.
      if (/^\d{8}$/.test(text)) return this.values.date(text, line, column);
      this.values.error('valeur-illisible', line, column, text,
        `date illisible ${quoted(text)} : ce nombre n'est pas une date d'Excel (numéro de série de 1 à 2958465)`, DATE_HINT);
      return null;
    }
    return date === '1900-01-01' ? null : date;
  }

  /** A number cell's amount, never read again from text; a date in an amount column is an error. */
  private typedCents(t: Exclude<CellValue, null>, text: string, line: number, column: string): number | null {
    if (typeof t === 'number') return numberCents(t);
    if (typeof t === 'object') return null; // a problem cell: reported with its row
    this.values.error('valeur-illisible', line, column, text, `montant illisible ${quoted(text)} : la cellule est une date`, AMOUNT_HINT);
    return null;
  }

  /**
   * The Débit/Crédit pair: `net` is debit − credit; `gross` is the document's own amount
   * (the debit of an invoice partly paid on the same line, or minus the credit of a
   * credit note). Null when both cells are blank or absent.
   */
  private debitCredit(row: string[], line: number, typed: CellValue[] | null): { net: number; gross: number } | null {
    const debit = this.cents(row, 'debit', line, typed);
    const credit = this.cents(row, 'credit', line, typed);
    if (debit === null && credit === null) return null;
    return { net: (debit ?? 0) - (credit ?? 0), gross: debit ? debit : -(credit ?? 0) };
  }

  private bucketSum(row: string[], line: number, typed: CellValue[] | null): number | null {
    let sum: number | null = null;
    for (const b of this.map.buckets) {
      const t = typed === null ? null : typed[b];
      const c = t !== null && t !== undefined
        ? this.typedCents(t, row[b] ?? '', line, this.map.headers[b] ?? '')
        : this.values.cents(row[b] ?? '', line, this.map.headers[b] ?? '', this.fix);
      if (c !== null) sum = (sum ?? 0) + c;
    }
    return sum;
  }

  /** The client of the row, or of the group header above it. */
  private client(row: string[], line: number, current: CurrentClient | null): CurrentClient | null {
    const code = this.values.shared(this.cell(row, 'clientCode'), this.recent.clientCode);
    const name = code ? this.values.sharedWith(code, this.cell(row, 'clientName')) : this.values.shared(this.cell(row, 'clientName'));
    if (code) return { code, name: name || (current?.code === code ? current.name : '') };
    if (current) return { code: current.code, name: name || current.name };
    if (name && this.i.clientCode === undefined) return { code: name, name };
    this.values.error(
      'valeur-manquante', line, this.i.clientCode !== undefined ? this.header('clientCode') : null, '',
      'code client manquant', 'chaque ligne doit porter le code (compte) du client, ou suivre une ligne qui le donne',
    );
    return null;
  }

  /** An aged-balance row as an open item. */
  openItem(row: string[], line: number, current: CurrentClient | null, typed: CellValue[] | null = null): OpenItem | null {
    const client = this.client(row, line, current);
    // Unique per row: not worth sharing, but copied so as not to pin the text it was cut from.
    const ref = detach(this.cell(row, 'ref').trim());
    if (!ref) {
      this.values.error('valeur-manquante', line, this.header('ref'), '', 'numéro de pièce manquant',
        'chaque créance doit avoir son numéro de facture ou d\'avoir');
    }
    const docDate = this.date(row, 'docDate', line, typed);
    const dueDate = this.date(row, 'dueDate', line, typed);
    const before = this.values.findings.length;
    const pair = this.debitCredit(row, line, typed);
    let open = this.cents(row, 'openAmount', line, typed) ?? pair?.net ?? this.bucketSum(row, line, typed);
    let original = this.cents(row, 'originalAmount', line, typed) ?? pair?.gross ?? open;
    if (this.values.findings.length > before) return null; // an unreadable amount, already reported
    if (open === null || original === null) {
      this.values.error('valeur-manquante', line, null, null, 'aucun montant sur la ligne (solde, montant, débit/crédit)',
        'la ligne doit porter le reste dû, le montant, ou un débit/crédit');
      return null;
    }
    if (isCreditDocument(this.cell(row, 'docType'))) {
      // Some exports print credit notes and payments as positive amounts with a type.
      if (open > 0) open = -open;
      if (original > 0) original = -original;
    }
    if (!client || !ref) return null;
    return {
      kind: 'open_item',
      clientCode: client.code,
      clientName: client.name,
      ref,
      docDate,
      dueDate,
      dueDateDerived: false,
      originalCents: original,
      openCents: open,
      currency: this.values.shared(this.cell(row, 'currency'), this.recent.currency) || 'EUR',
      salesRep: this.values.shared(this.cell(row, 'salesRep'), this.recent.salesRep) || null,
      source: { file: this.file, line },
    };
  }

  /** A payments-list row as a payment. */
  payment(row: string[], line: number, current: CurrentClient | null, typed: CellValue[] | null = null): Payment | null {
    const client = this.client(row, line, current);
    const date = this.date(row, 'date', line, typed);
    if (date === null && this.cell(row, 'date').trim() === '') {
      this.values.error('valeur-manquante', line, this.header('date'), '', 'date de règlement manquante',
        'chaque règlement doit être daté');
    }
    const before = this.values.findings.length;
    const pair = this.debitCredit(row, line, typed);
    const amount = this.cents(row, 'amount', line, typed) ?? (pair ? -pair.net : null);
    if (amount === null && this.values.findings.length === before) {
      this.values.error('valeur-manquante', line, null, null, 'montant du règlement manquant',
        'la ligne doit porter le montant réglé');
    }
    if (!client || date === null || amount === null) return null;
    const refs = splitRefs(this.cell(row, 'invoiceRefs')); // near-unique: not worth sharing
    const invoiceDate = this.date(row, 'invoiceDate', line, typed);
    const invoiceDue = this.date(row, 'invoiceDueDate', line, typed);
    const settles: SettledInvoice[] =
      refs.length === 1 && (invoiceDate !== null || invoiceDue !== null)
        ? [{ ref: refs[0]!, docDate: invoiceDate, dueDate: invoiceDue }]
        : [];
    return {
      kind: 'payment',
      clientCode: client.code,
      clientName: client.name,
      date,
      amountCents: amount,
      refs,
      settles,
      mode: this.values.shared(this.cell(row, 'mode'), this.recent.mode) || null,
      source: { file: this.file, line },
    };
  }

  /** A clients-file row as a client. */
  clientRecord(row: string[], line: number): Client | null {
    const code = this.cell(row, 'clientCode').trim();
    if (!code) {
      this.values.error('valeur-manquante', line, this.header('clientCode'), '', 'code client manquant',
        'chaque client doit avoir son code (compte tiers)');
      return null;
    }
    const emails = this.emails(row, 'email', line);
    const termsText = this.cell(row, 'terms').trim();
    const terms = parseTerms(termsText);
    if (termsText && !terms) {
      this.values.warn('conditions-illisibles', line, this.header('terms'), termsText,
        `conditions de règlement non comprises ${quoted(termsText)} : le délai par défaut de la configuration s'applique`,
        'écrivez par exemple « 30 jours », « 45 jours fin de mois » ou « à réception »');
    }
    const segmentText = this.cell(row, 'segment').trim();
    const postcodeCity = `${this.cell(row, 'postcode').trim()} ${this.cell(row, 'city').trim()}`.trim();
    const excludedReason = this.cell(row, 'excludedReason').trim() || null;
    return {
      kind: 'client',
      clientCode: code,
      clientName: this.cell(row, 'clientName').trim(),
      emails,
      cc: this.emails(row, 'cc', line),
      salesRep: this.cell(row, 'salesRep').trim() || null,
      salesRepEmail: this.emails(row, 'salesRepEmail', line)[0] ?? null,
      phone: this.cell(row, 'phone').trim() || null,
      address: [this.cell(row, 'address1'), this.cell(row, 'address2'), postcodeCity, this.cell(row, 'country')]
        .map((s) => s.trim())
        .filter(Boolean),
      language: this.cell(row, 'language').trim().toLowerCase() || 'fr',
      consumer: /particulier|b2c|consommateur|non professionnel/i.test(this.cell(row, 'customerType')),
      siren: this.siren(row, line),
      legalForm: this.cell(row, 'legalForm').trim() || null,
      terms,
      segment: segmentText ? parseSegment(segmentText, line, this) : null,
      excluded: isYes(this.cell(row, 'excluded')),
      excludedReason,
      source: { file: this.file, line },
    };
  }

  /**
   * The SIREN of a SIREN or SIRET cell. A bad one is a warning, not an error: the
   * client's reminders do not depend on it, and only the litigation file (which then
   * says « à compléter ») and the formal notice's identity line would have used it.
   */
  private siren(row: string[], line: number): string | null {
    const text = this.cell(row, 'siren').trim();
    if (!text) return null;
    const read = readSiren(text);
    if (read.ok) return read.siren;
    const why = read.problem === 'longueur'
      ? `${read.digits.length} ${/^\d*$/.test(read.digits) ? 'chiffres' : 'caractères'} au lieu de 9 (SIREN) ou 14 (SIRET)`
      : 'la clé de contrôle (Luhn) ne correspond pas : un chiffre est faux ou deux sont inversés';
    this.values.warn('siren-invalide', line, this.header('siren'), text, `SIREN/SIRET invalide ${quoted(text)} : ${why} ; il est ignoré`,
      "corrigez la fiche client avec le SIREN de l'avis de situation SIRENE (9 chiffres) ou le SIRET (14 chiffres)");
    return null;
  }

  private emails(row: string[], field: string, line: number): string[] {
    const text = this.cell(row, field).trim();
    if (!text) return [];
    const out: string[] = [];
    for (const address of text.split(/[;,\s]+/).filter(Boolean)) {
      if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) out.push(address);
      else {
        this.values.warn('email-invalide', line, this.header(field), address, `adresse e-mail invalide ${quoted(address)}`,
          'corrigez la fiche client dans le logiciel ; les adresses multiples se séparent par « ; »');
      }
    }
    return out;
  }

  /** Records an invalid segment value (used by parseSegment). */
  badSegment(text: string, line: number): void {
    this.values.warn('segment-inconnu', line, this.header('segment'), text, `segment inconnu ${quoted(text)} : il sera calculé`,
      'valeurs possibles : bon, occasionnel, chronique, nouveau');
  }
}

function parseSegment(text: string, line: number, mapper: RowMapper): Segment | null {
  const t = text.toLowerCase();
  if (/\bbon\b/.test(t)) return 'bon';
  if (/occasionnel/.test(t)) return 'occasionnel';
  if (/chronique|mauvais/.test(t)) return 'chronique';
  if (/nouveau/.test(t)) return 'nouveau';
  mapper.badSegment(text, line);
  return null;
}

function isYes(text: string): boolean {
  return /^(oui|o|x|1|vrai|yes|y|true)$/i.test(text.trim());
}

function isCreditDocument(type: string): boolean {
  return /^(avoir|av\b|reglement|règlement|acompte|rg\b)/i.test(type.trim());
}

/** Invoice refs of a payment: `FA1, FA2`, `FA1;FA2`, `FA1 + FA2`. Spaces inside a ref stay. */
export function splitRefs(text: string): string[] {
  return text
    .split(/[,;+]/)
    .map((s) => s.trim())
    .filter(Boolean);
}
