import { BAD_DATE, impossibleDate, parseDate, type CalendarDate } from '../core/dates.js';
import type { FecLine } from '../core/ledger.js';
import type { Client } from '../core/records.js';
import { DataError, quoted } from '../errors.js';
import { decodeSource, openWithFormatEncoding, type Encoding } from './decode.js';
import { FORMAT_LABELS } from './formats.js';
import { LedgerCollector, type LedgerFile, type LedgerSettings } from './ledger-lines.js';
import { detach, eachLine } from './stream.js';
import type { FileReport, ReadProgress } from './types.js';
import { IMPOSSIBLE_DATE_HINT, ValueReader } from './values.js';

// QuadraCOMPTA ASCII, fixed width, one record per line, its type in column 1. Positions
// below are 1-based as the layout gives them (LAYOUTS.md, from CAERP's and Dolibarr's
// writers); a field is `text.slice(start - 1, end)`.
// M (écriture): 2-9 account (the tiers account on a tiers line), 10-11 journal, 15-20
// date JJMMAA, 42 sens D/C, 43 sign and 44-55 cents, 64-69 due date, 70-71 lettering,
// 75-79 / 100-107 / 149-158 piece, 111-113 journal on 3 characters.
// C (compte): 2-9 account, 10-39 label, 99-106 collectif, 218 type C/F/G (Dolibarr's
// exportQuadratus: label 30, alpha key 7, 52 blank, collectif 8, 110 blank, update flag, type).
const F = {
  account: 'positions 2-9 (compte)',
  date: "positions 15-20 (date d'écriture)",
  sens: 'position 42 (sens)',
  amount: 'positions 43-55 (montant)',
  due: 'positions 64-69 (échéance)',
  length: 'longueur de ligne',
};
const MIN_LENGTH = 55; // up to the amount: a shorter M line has lost what matters
const C_TYPE = 218;
const REEXPORT = "ré-exportez les écritures depuis Quadra (Outils > Export ASCII) : le fichier semble tronqué ou modifié à la main";

/** What a C line says of a tiers account: its label, and whether it is a customer's (null: it does not say). */
interface Tiers {
  name: string;
  customer: boolean | null;
  line: number;
}

/** A line on a tiers account no C line has described yet: kept until the end of the file decides. */
interface Pending {
  line: FecLine;
  entry: string;
}

/**
 * Reads one QuadraCOMPTA ASCII export (M lines of entries, C lines of accounts), streaming.
 * A line is a customer's when its account starts with a customer prefix (config
 * `fec.customerAccounts`) or is a tiers account whose C line says client (type C, or a
 * customer collectif). A letter-first tiers account no C line describes is not guessed:
 * one warning per account, its lines left out. The entry (for payments: a customer
 * credit whose entry moves a bank account) is journal + date + piece, Quadra having no
 * entry number.
 */
export async function readQuadra(
  file: string,
  encoding: Encoding | null,
  settings: LedgerSettings,
  cwd: string,
  onProgress?: ReadProgress,
): Promise<LedgerFile> {
  let lineNo = 0;
  const onBytes = onProgress && ((read: number, total: number) => onProgress(file, read, total, lineNo));
  const source = await openWithFormatEncoding(file, encoding, cwd, 'windows-1252', 'Quadra', onBytes);
  const { info } = source;
  const chunks = decodeSource(source, encoding);
  const values = new ValueReader(file);
  const ledger = new LedgerCollector(settings);
  const tiers = new Map<string, Tiers>();
  const pending = new Map<string, Pending[]>();
  const counts = { c: 0, i: 0, other: 0 };

  const handle = (text: string): void => {
    lineNo++;
    if (text.trim() === '') return;
    const type = text[0]!.toUpperCase();
    if (type === 'C') {
      counts.c++;
      readAccount(text);
      return;
    }
    if (type !== 'M') {
      if (type === 'I') counts.i++;
      else counts.other++;
      return;
    }
    ledger.total++;
    if (text.length < MIN_LENGTH) {
      values.error('ligne-courte', lineNo, F.length, null,
        `la ligne M n'a que ${text.length} caractères : il en faut au moins ${MIN_LENGTH} pour aller jusqu'au montant (positions 43-55)`, REEXPORT);
      return;
    }
    const account = text.slice(1, 9).trim();
    if (account === '') {
      values.error('valeur-manquante', lineNo, F.account, '', "le numéro de compte est vide", REEXPORT);
      return;
    }
    const dateText = text.slice(14, 20);
    const date = quadraDate(dateText, F.date);
    if (date === undefined) return;
    if (date === null) {
      values.error('valeur-manquante', lineNo, F.date, dateText, "la date d'écriture est vide", REEXPORT);
      return;
    }
    const cents = amountOf(text);
    const dueDate = quadraDate(text.slice(63, 69), F.due);
    if (cents === null || dueDate === undefined) return;

    const journal = text.slice(110, 113).trim() || text.slice(9, 11).trim();
    const ref = text.slice(148, 158).trim() || text.slice(99, 107).trim() || text.slice(74, 79).trim();
    const entry = `${journal}\u0001${dateText}\u0001${ref}`;
    const opening = ledger.isOpeningJournal(journal, () => '');
    ledger.entryLine(entry, account, date, opening);

    const known = tiers.get(account);
    const verdict = ledger.isCustomer(account) ? true : known && known.customer !== null ? known.customer : /^\d/.test(account) ? false : null;
    if (verdict === false) return;
    const client = values.shared(account);
    const letter = text.slice(69, 71).trim();
    const kept: FecLine = {
      client,
      clientName: known ? known.name : '',
      journal: values.shared(journal),
      ref: detach(ref),
      docDate: date,
      date,
      cents,
      group: letter ? detach(`${client}\u0001${letter}`) : '',
      letDate: null, // Quadra's M line has no lettering date
      dueDate,
      opening,
      payment: false,
      mode: null,
      file,
      line: lineNo,
    };
    if (verdict) ledger.customerLine(kept, entry);
    else {
      const list = pending.get(account);
      if (list) list.push({ line: kept, entry });
      else pending.set(account, [{ line: kept, entry }]);
    }
  };

  /** A C line: the account's label, and whether it is a customer's (type, else collectif). */
  const readAccount = (text: string): void => {
    const account = text.slice(1, 9).trim();
    if (account === '' || tiers.has(account)) return;
    const kind = (text[C_TYPE - 1] ?? '').toUpperCase();
    const collectif = text.slice(98, 106).trim();
    const customer = kind === 'C' ? true : kind === 'F' || kind === 'G' ? false : collectif !== '' ? ledger.isCustomer(collectif) : null;
    tiers.set(account, { name: values.shared(text.slice(9, 39).trim()), customer, line: lineNo });
  };

  /** A JJMMAA date: null when blank or zero, undefined (and an error) when it is none. */
  const quadraDate = (text: string, column: string): CalendarDate | null | undefined => {
    const t = text.trim();
    if (t === '' || /^0+$/.test(t)) return null;
    const d = /^\d{6}$/.test(t) ? parseDate(t) : BAD_DATE;
    if (d !== BAD_DATE && d !== null) return d;
    const why = impossibleDate(t);
    if (why) values.error('valeur-illisible', lineNo, column, t, `date impossible ${quoted(t)} (${why.reason})`, IMPOSSIBLE_DATE_HINT);
    else {
      values.error('valeur-illisible', lineNo, column, t, `${quoted(t)} n'est pas une date JJMMAA`,
        "Quadra écrit les dates sur 6 chiffres, jour, mois, année (160126 pour le 16/01/2026) : corrigez l'écriture dans Quadra et ré-exportez");
    }
    return undefined;
  };

  /** Debit − credit in cents: the sign at 43 and twelve digits, on the side position 42 says. */
  const amountOf = (text: string): number | null => {
    const sensText = text[41]!;
    const sens = sensText.toUpperCase();
    const amountText = text.slice(42, 55);
    let bad = false;
    if (sens !== 'D' && sens !== 'C') {
      values.error('valeur-illisible', lineNo, F.sens, sensText, `sens illisible ${quoted(sensText)} : D (débit) ou C (crédit) attendu`, REEXPORT);
      bad = true;
    }
    const m = /^([+\- 0])( *\d+)$/.exec(amountText);
    if (!m) {
      values.error('valeur-illisible', lineNo, F.amount, amountText, `montant illisible ${quoted(amountText)} : Quadra l'écrit en centimes, un signe (+, - ou espace) puis 12 chiffres`, REEXPORT);
      return null;
    }
    if (bad) return null;
    const amount = Number(m[2]!.trim()) * (m[1] === '-' ? -1 : 1);
    return sens === 'D' ? amount : -amount;
  };

  await eachLine(chunks, handle);
  if (ledger.total === 0 && !values.failed) {
    throw new DataError(`${file} ne contient aucune ligne d'écriture (type M).`, `exportez les écritures depuis Quadra (Outils > Export ASCII), pas seulement les comptes.`);
  }

  // Tiers lines whose C line came after them, or never came.
  let late = false;
  for (const [account, list] of pending) {
    const known = tiers.get(account);
    if (known?.customer === true) {
      for (const p of list) ledger.customerLine(p.line, p.entry);
      late = true;
    } else if (!known || known.customer === null) {
      const n = list.length;
      values.warn('compte-tiers-inconnu', list[0]!.line.line, F.account, account,
        known
          ? `la ligne C du compte ${quoted(account)} (ligne ${known.line}) ne dit pas s'il est client (ni type en position ${C_TYPE}, ni collectif en positions 99-106) : ${n === 1 ? 'sa ligne n\'est pas lue' : `ses ${n} lignes ne sont pas lues`} comme ${n === 1 ? 'ligne client' : 'lignes clients'}`
          : `aucune ligne C ne décrit le compte de tiers ${quoted(account)} : ${n === 1 ? 'sa ligne n\'est pas lue' : `ses ${n} lignes ne sont pas lues`} comme ${n === 1 ? 'ligne client' : 'lignes clients'}`,
        "exportez les comptes (lignes C) avec les écritures depuis Quadra ; si c'est un compte client, ajoutez son préfixe à fec.customerAccounts dans relance.yaml");
    }
  }
  ledger.finish();
  const { lines, firstDate, lastDate } = ledger;
  if (late) lines.sort((a, b) => a.line - b.line);
  for (const l of lines) if (l.clientName === '') l.clientName = tiers.get(l.client)?.name ?? '';
  for (const w of info.warnings) values.warn('encodage', null, null, null, w);

  const clients: Client[] = [];
  for (const [code, t] of tiers) {
    if (!t.customer) continue;
    clients.push({
      kind: 'client', clientCode: code, clientName: t.name || code, emails: [], cc: [], salesRep: null, salesRepEmail: null,
      phone: null, address: [], language: 'fr', consumer: false, siren: null, legalForm: null, terms: null, segment: null,
      excluded: false, excludedReason: null, source: { file, line: t.line },
    });
  }

  const report: FileReport = {
    file,
    format: 'fec',
    kind: 'fec',
    formatLabel: FORMAT_LABELS.quadra,
    profile: null,
    profileDetected: true,
    encoding: info.encoding,
    encodingReason: info.encodingReason,
    delimiter: 'largeur fixe',
    lineEnding: info.lineEnding,
    headerLine: 0,
    columns: COLUMNS,
    exportDate: lastDate,
    records: lines.length,
    lines: lineNo,
    skipped: {
      'hors comptes clients': ledger.total - lines.length,
      'à-nouveaux (toutes lignes)': ledger.openingCount,
      'lignes C (comptes)': counts.c,
      'lignes I (analytique)': counts.i,
      "lignes d'autres types": counts.other,
    },
    totals: [],
  };
  return { report, lines, findings: values.findings, firstDate, lastDate, clients };
}

// Index 0-based (position − 1), as inspect shows index + 1.
const COLUMNS: FileReport['columns'] = [
  { index: 1, header: 'M, positions 2-9', field: 'clientCode' },
  { index: 9, header: 'M, positions 10-11', field: 'journal' },
  { index: 14, header: 'M, positions 15-20', field: 'date' },
  { index: 41, header: 'M, position 42', field: 'sens' },
  { index: 42, header: 'M, positions 43-55', field: 'amount' },
  { index: 63, header: 'M, positions 64-69', field: 'dueDate' },
  { index: 69, header: 'M, positions 70-71', field: 'lettering' },
  { index: 74, header: 'M, positions 75-79', field: 'ref' },
  { index: 99, header: 'M, positions 100-107', field: 'ref' },
  { index: 110, header: 'M, positions 111-113', field: 'journal' },
  { index: 148, header: 'M, positions 149-158', field: 'ref' },
  { index: 9, header: 'C, positions 10-39', field: 'clientName' },
  { index: 98, header: 'C, positions 99-106', field: 'collectif' },
  { index: 217, header: 'C, position 218', field: 'accountType' },
];
