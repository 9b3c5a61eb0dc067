import type { FecLine } from '../core/ledger.js';
import { DataError, quoted } from '../errors.js';
import { decodeSource, openWithFormatEncoding, type Encoding } from './decode.js';
import { FORMAT_LABELS } from './formats.js';
import { LedgerCollector, type LedgerFile, type LedgerSettings } from './ledger-lines.js';
import { detach, eachLine } from './stream.js';
import type { FileReport, ReadProgress } from './types.js';
import { ddmmyyyy, ValueReader } from './values.js';

/** The client code of a customer account: what follows the customer prefix when it starts with a letter (`411CTRABOU`), else the account. */
export function clientOfAccount(account: string, prefixes: string[]): string {
  let best = '';
  for (const p of prefixes) if (account.startsWith(p) && p.length > best.length) best = p;
  const rest = account.slice(best.length);
  return best !== '' && /^[A-Za-z]/.test(rest) ? rest : account;
}

/** The fields of one comma-separated line, and which were quoted (a quoted field may hold commas). */
function splitLine(text: string): { fields: string[]; quotedAt: boolean[] } {
  const fields: string[] = [];
  const quotedAt: boolean[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          value += text.slice(i);
          i = text.length;
          break;
        }
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const comma = text.indexOf(',', i);
      fields.push(value);
      quotedAt.push(true);
      if (comma === -1) break;
      i = comma + 1;
    } else {
      const comma = text.indexOf(',', i);
      fields.push(comma === -1 ? text.slice(i) : text.slice(i, comma));
      quotedAt.push(false);
      if (comma === -1) break;
      i = comma + 1;
    }
  }
  return { fields, quotedAt };
}

const FIELD_NAMES = ['n° de mouvement', 'date', 'journal', 'compte', '', 'libellé', 'pièce', 'montant', 'sens', 'échéance'];
const fieldName = (index: number, skip: number): string => {
  const k = index >= 4 && skip === 0 ? index + 1 : index;
  return `champ ${index + 1} (${FIELD_NAMES[k] ?? '?'})`;
};

/**
 * Reads one EBP ASCII export (comma separated, CP850, CRLF): per line the movement number,
 * the date JJMMAAAA, the journal, the account (customer accounts are `411` + the client
 * code), an empty field (absent in some exports), the quoted label and piece, the amount,
 * D or C and a last date, the due date of invoices (unless it is the entry date on every
 * customer debit: then the file carries no due dates). EBP writes no lettering: customer
 * lines are lettered by their piece (see `LedgerCollector.letterByReference`).
 */
export async function readEbp(
  file: string,
  encoding: Encoding | null,
  settings: LedgerSettings,
  cwd: string,
  onProgress?: ReadProgress,
): Promise<LedgerFile> {
  let lineNo = 0;
  const onBytes = onProgress && ((read: number, total: number) => onProgress(file, read, total, lineNo));
  const source = await openWithFormatEncoding(file, encoding, cwd, 'cp850', 'EBP', onBytes);
  const chunks = decodeSource(source, encoding);
  const values = new ValueReader(file);
  const ledger = new LedgerCollector(settings);
  // Customer debit lines whose last date is their entry date, and those with another date there.
  let debitsAtEntryDate = 0;
  let debitsWithDueDate = 0;
  let skip = 1;

  const handle = (raw: string): void => {
    lineNo++;
    const text = raw.replace(/^\ufeff/, '');
    if (text.trim() === '') return;
    ledger.total++;
    const { fields: f, quotedAt } = splitLine(text.trimEnd());
    // OpenFlyers' layout has an empty field between the account and the label, Dolibarr's not.
    skip = f.length > 4 && !quotedAt[4] && f[4]!.trim() === '' ? 1 : 0;
    const L = 4 + skip; // label
    // A comma decimal splits the amount in two unquoted fields: 0000000099,00 → « 0000000099 », « 00 ».
    if (!quotedAt[L + 2] && /^-?\d+$/.test((f[L + 2] ?? '').trim()) && /^\d{1,2}$/.test((f[L + 3] ?? '').trim()) && /^[DC]$/i.test((f[L + 4] ?? '').trim())) {
      f.splice(L + 2, 2, `${f[L + 2]!.trim()},${f[L + 3]!.trim()}`);
      quotedAt.splice(L + 2, 2, false);
    }
    const needed = L + 4; // up to the sens
    if (f.length < needed) {
      values.error('colonnes-manquantes', lineNo, null, null,
        `la ligne n'a que ${f.length} champs, il en faut au moins ${needed} (n° de mouvement, date, journal, compte${skip ? ', champ vide' : ''}, libellé, pièce, montant, sens D/C)`,
        "le fichier semble tronqué ou n'est pas un export EBP (ASCII) : ré-exportez les écritures depuis EBP");
      return;
    }
    const flow = f[0]!.trim();
    const journal = f[2]!.trim();
    const account = f[3]!.trim();
    const dateText = f[1]!.trim();
    const date = ddmmyyyy(dateText, values, lineNo, fieldName(1, skip));
    if (date === null) {
      if (dateText === '') values.error('valeur-manquante', lineNo, fieldName(1, skip), '', "la date d'écriture est vide", 'corrigez la ligne dans EBP et ré-exportez');
      return;
    }
    const entry = `${flow}\u0001${journal}\u0001${dateText}`;
    const opening = ledger.isOpeningJournal(journal, () => '');
    ledger.entryLine(entry, account, date, opening);
    if (!ledger.isCustomer(account)) return;

    const amount = values.cents(f[L + 2]!, lineNo, fieldName(L + 2, skip));
    if (amount === null) {
      if (f[L + 2]!.trim() === '') values.error('valeur-manquante', lineNo, fieldName(L + 2, skip), '', 'le montant est vide', 'corrigez la ligne dans EBP et ré-exportez');
      return;
    }
    const sens = f[L + 3]!.trim().toUpperCase();
    if (sens !== 'D' && sens !== 'C') {
      values.error('valeur-illisible', lineNo, fieldName(L + 3, skip), f[L + 3]!.trim(), `sens illisible ${quoted(f[L + 3]!.trim())} : D (débit) ou C (crédit) attendu`,
        'corrigez la ligne dans EBP et ré-exportez');
      return;
    }
    const cents = sens === 'D' ? amount : -amount;
    const lastText = (f[L + 4] ?? '').trim();
    const last = ddmmyyyy(lastText, values, lineNo, fieldName(L + 4, skip));
    if (cents > 0 && last !== null) {
      if (last === date) debitsAtEntryDate++;
      else debitsWithDueDate++;
    }
    const client = values.shared(clientOfAccount(account, settings.customerAccounts));
    const piece = f[L + 1]!.trim();
    const kept: FecLine = {
      client,
      clientName: '',
      journal: values.shared(journal),
      ref: detach(piece || flow),
      docDate: date,
      date,
      cents,
      group: '',
      letDate: null,
      dueDate: last, // a credit's last date is its own date: available at once
      opening,
      payment: false,
      mode: null,
      file,
      line: lineNo,
    };
    ledger.customerLine(kept, entry);
  };

  await eachLine(chunks, handle);
  if (ledger.total === 0) throw new DataError(`${file} ne contient aucune écriture.`, 'ré-exportez les écritures depuis EBP (Outils › Exportation › Écritures, format ASCII).');
  const info = source.info;
  const noDueDates = debitsWithDueDate === 0 && debitsAtEntryDate > 0;
  if (noDueDates) {
    for (const l of ledger.lines) l.dueDate = null;
    values.warn('sans-echeances', null, fieldName(4 + skip + 4, skip), null,
      `la dernière date de chaque ligne de facture est sa date d'écriture : ce fichier ne porte pas les échéances, elles sont calculées d'après les conditions de paiement des clients`,
      "exportez les écritures avec la date d'échéance en dernier champ, ou donnez les conditions de paiement de chaque client (--clients)");
  }
  ledger.letterByReference();
  ledger.finish();
  const { lines, firstDate, lastDate } = ledger;
  for (const w of info.warnings) values.warn('encodage', null, null, null, w);

  const L = 4 + skip;
  const columns: FileReport['columns'] = [
    { index: 0, header: fieldName(0, skip), field: 'entry' },
    { index: 1, header: fieldName(1, skip), field: 'date' },
    { index: 2, header: fieldName(2, skip), field: 'journal' },
    { index: 3, header: fieldName(3, skip), field: 'clientCode' },
    { index: L, header: fieldName(L, skip), field: 'label' },
    { index: L + 1, header: fieldName(L + 1, skip), field: 'ref' },
    { index: L + 2, header: fieldName(L + 2, skip), field: 'amount' },
    { index: L + 3, header: fieldName(L + 3, skip), field: 'sens' },
    { index: L + 4, header: fieldName(L + 4, skip), field: noDueDates ? null : 'dueDate' },
  ];
  const report: FileReport = {
    file,
    format: 'fec',
    kind: 'fec',
    formatLabel: FORMAT_LABELS.ebp,
    profile: null,
    profileDetected: true,
    encoding: info.encoding,
    encodingReason: info.encodingReason,
    delimiter: 'virgule',
    lineEnding: info.lineEnding,
    headerLine: 0,
    columns,
    exportDate: lastDate,
    records: lines.length,
    lines: lineNo,
    skipped: { 'hors comptes clients': ledger.total - lines.length, 'à-nouveaux (toutes lignes)': ledger.openingCount },
    totals: [],
  };
  return { report, lines, findings: values.findings, firstDate, lastDate };
}
