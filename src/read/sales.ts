import { parse as parseSync } from 'csv-parse/sync';
import { BAD_DATE, parseDate } from '../core/dates.js';
import { parseCents, type Cents } from '../core/money.js';
import { DataError } from '../errors.js';
import { decodeFile, type Encoding } from './decode.js';
import { normaliseHeader, sniffDelimiter } from './dialect.js';

const MONTH_HEADERS = ['mois', 'periode', 'date', 'date facture', 'date de facture', 'date piece'];
const AMOUNT_HEADERS = ['ventes ttc', 'ca ttc', 'chiffre d affaires ttc', 'montant ttc', 'total ttc', 'ventes', 'montant', 'ca'];

/**
 * Reads a sales export (`--sales`): one line per month (`2026-10;61 926,00`) or per
 * invoice (its date and amount incl. VAT), summed by month. A small file: read whole.
 */
export async function readMonthlySales(file: string, encoding: Encoding | null, cwd: string): Promise<Map<string, Cents>> {
  const { chunks } = decodeFile(file, encoding, cwd);
  let text = '';
  for await (const c of chunks) text += c;
  const delimiter = sniffDelimiter(text.slice(0, 65_536)) ?? ';';
  const rows = parseSync(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
  const headerIndex = rows.findIndex((r) => r.some((c) => MONTH_HEADERS.includes(normaliseHeader(c))) && r.some((c) => AMOUNT_HEADERS.includes(normaliseHeader(c))));
  if (headerIndex < 0) {
    throw new DataError(`${file} : colonnes du mois (ou de la date) et des ventes TTC introuvables.`, `le fichier des ventes a une colonne « Mois » (AAAA-MM) ou « Date », et une colonne « Ventes TTC » (ou « Montant TTC »).`);
  }
  const header = rows[headerIndex]!.map(normaliseHeader);
  const monthCol = header.findIndex((h) => MONTH_HEADERS.includes(h));
  const amountCol = AMOUNT_HEADERS.map((a) => header.indexOf(a)).find((i) => i >= 0)!;
  const out = new Map<string, Cents>();
  rows.slice(headerIndex + 1).forEach((row, k) => {
    const line = headerIndex + k + 2;
    const when = (row[monthCol] ?? '').trim();
    if (when === '' || /^total/i.test(when)) return;
    const month = monthOf(when);
    const cents = parseCents(row[amountCol] ?? '');
    if (month === null) throw new DataError(`${file}, ligne ${line}, colonne « ${rows[headerIndex]![monthCol]} » : mois illisible « ${when} ».`, `écrivez le mois AAAA-MM (2026-10) ou MM/AAAA, ou une date JJ/MM/AAAA.`);
    if (cents === null || Number.isNaN(cents)) throw new DataError(`${file}, ligne ${line}, colonne « ${rows[headerIndex]![amountCol]} » : montant illisible « ${row[amountCol] ?? ''} ».`, `écrivez le montant TTC en euros, par exemple 61 926,00.`);
    out.set(month, (out.get(month) ?? 0) + cents);
  });
  return out;
}

function monthOf(text: string): string | null {
  let m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m && +m[2]! >= 1 && +m[2]! <= 12) return `${m[1]}-${m[2]}`;
  m = /^(\d{1,2})\/(\d{4})$/.exec(text);
  if (m && +m[1]! >= 1 && +m[1]! <= 12) return `${m[2]}-${m[1]!.padStart(2, '0')}`;
  const d = parseDate(text);
  return d === null || d === BAD_DATE ? null : d.slice(0, 7);
}
