import type { FecLine } from '../core/ledger.js';
import { DataError, quoted } from '../errors.js';
import { decodeSource, openWithFormatEncoding, type Encoding } from './decode.js';
import { FORMAT_LABELS } from './formats.js';
import { LedgerCollector, type LedgerFile, type LedgerSettings } from './ledger-lines.js';
import { detach, eachLine } from './stream.js';
import type { FileReport, ReadProgress } from './types.js';
import { ddmmyyyy, ValueReader } from './values.js';

/** The fields read from a TRA line: 0-based offset, width, and how a message names them (1-based positions). */
const FIELDS = {
  journal: { at: 0, width: 3, name: 'journal' },
  date: { at: 3, width: 8, name: 'date' },
  nature: { at: 11, width: 2, name: 'nature' },
  general: { at: 13, width: 17, name: 'compte général' },
  type: { at: 30, width: 1, name: 'type de ligne' },
  aux: { at: 31, width: 17, name: 'compte auxiliaire' },
  ref: { at: 48, width: 35, name: 'référence interne' },
  label: { at: 83, width: 35, name: 'libellé' },
  mode: { at: 118, width: 3, name: 'mode de paiement' },
  due: { at: 121, width: 8, name: 'échéance' },
  sens: { at: 129, width: 1, name: 'sens' },
  amount: { at: 130, width: 20, name: 'montant' },
  kind: { at: 150, width: 1, name: "type d'écriture" },
  piece: { at: 151, width: 8, name: 'n° de pièce' },
} as const;
type Field = keyof typeof FIELDS;

const HEADER = '***S5EXPJRLSTD';
/** The shortest line read: right-trimmed up to the type d'écriture (offset 150). */
const MIN_LENGTH = 151;

const where = (field: Field): string => {
  const { at, width, name } = FIELDS[field];
  return width === 1 ? `position ${at + 1} (${name})` : `position ${at + 1}-${at + width} (${name})`;
};
const cut = (line: string, field: Field): string => line.slice(FIELDS[field].at, FIELDS[field].at + FIELDS[field].width);

/**
 * Reads one Cegid TRA export (« ***S5EXPJRLSTD », fixed width 222, Windows-1252, CRLF):
 * one line per entry line, its general account at 13, type 'X' and the auxiliary account
 * at 30/31 on lines of a third party, RefInterne at 48, the payment mode at 118, the due
 * date at 121, sens and amount at 129/130, the piece number at 151. Analytic lines (type
 * 'A' or 'G') are skipped. The TRA writes no lettering: customer lines are lettered by
 * their reference (see `LedgerCollector.letterByReference`).
 */
export async function readCegidTra(
  file: string,
  encoding: Encoding | null,
  settings: LedgerSettings,
  cwd: string,
  onProgress?: ReadProgress,
): Promise<LedgerFile> {
  let lineNo = 0;
  const onBytes = onProgress && ((read: number, total: number) => onProgress(file, read, total, lineNo));
  const source = await openWithFormatEncoding(file, encoding, cwd, 'windows-1252', 'Cegid TRA', onBytes);
  const chunks = decodeSource(source, encoding);
  const values = new ValueReader(file);
  const ledger = new LedgerCollector(settings);
  let headerLine = 0;
  let analytic = 0;

  const handle = (raw: string): void => {
    lineNo++;
    const line = raw.replace(/^\ufeff/, '').trimEnd();
    if (line.trim() === '') return;
    if (headerLine === 0) {
      if (!line.startsWith(HEADER)) {
        throw new DataError(
          `${file}, ligne ${lineNo} : l'en-tête ${quoted(line.slice(0, 14))} n'est pas celui d'un export Cegid TRA standard (${HEADER}).`,
          'exportez les écritures depuis Cegid au format TRA standard (Export › Journal, format « STD »), ou exportez le FEC.',
        );
      }
      headerLine = lineNo;
      return;
    }
    const type = cut(line, 'type');
    if (type === 'A' || type === 'G') {
      analytic++;
      return;
    }
    ledger.total++;
    if (line.length < MIN_LENGTH) {
      values.error('ligne-courte', lineNo, null, null,
        `la ligne n'a que ${line.length} caractères, il en faut au moins ${MIN_LENGTH} (jusqu'au type d'écriture, position ${MIN_LENGTH})`,
        "le fichier semble tronqué ou n'est pas un export Cegid TRA : ré-exportez les écritures depuis Cegid");
      return;
    }
    const journal = cut(line, 'journal').trim();
    const dateText = cut(line, 'date');
    const date = ddmmyyyy(dateText, values, lineNo, where('date'));
    if (date === null) {
      if (dateText.trim() === '') values.error('valeur-manquante', lineNo, where('date'), '', "la date d'écriture est vide", 'corrigez la ligne dans Cegid et ré-exportez');
      return;
    }
    const general = cut(line, 'general').trim();
    const piece = cut(line, 'piece').trim();
    const entry = `${journal}\u0001${dateText}\u0001${piece}`;
    const opening = ledger.isOpeningJournal(journal, () => '');
    ledger.entryLine(entry, general, date, opening);
    if (!ledger.isCustomer(general)) return;

    const amountText = cut(line, 'amount').trim();
    const amount = values.cents(amountText, lineNo, where('amount'));
    if (amount === null) {
      if (amountText.trim() === '') values.error('valeur-manquante', lineNo, where('amount'), '', 'le montant est vide', 'corrigez la ligne dans Cegid et ré-exportez');
      return;
    }
    const sens = cut(line, 'sens').toUpperCase();
    if (sens !== 'D' && sens !== 'C') {
      values.error('valeur-illisible', lineNo, where('sens'), cut(line, 'sens'), `sens illisible ${quoted(cut(line, 'sens'))} : D (débit) ou C (crédit) attendu`,
        'corrigez la ligne dans Cegid et ré-exportez (le sens est en position 130)');
      return;
    }
    const cents = sens === 'D' ? amount : -amount;
    const due = ddmmyyyy(cut(line, 'due'), values, lineNo, where('due'));
    const aux = type === 'X' ? cut(line, 'aux').trim() : '';
    const ref = cut(line, 'ref').trim();
    const mode = cut(line, 'mode').trim();
    const kept: FecLine = {
      client: values.shared(aux || general),
      clientName: '',
      journal: values.shared(journal),
      ref: detach(ref || piece),
      docDate: date,
      date,
      cents,
      group: '',
      letDate: null,
      dueDate: due,
      opening,
      payment: false,
      mode: mode ? values.shared(mode) : null,
      file,
      line: lineNo,
    };
    ledger.customerLine(kept, entry);
  };

  await eachLine(chunks, handle);
  if (headerLine === 0) throw new DataError(`${file} est vide.`, 'ré-exportez les écritures depuis Cegid au format TRA.');
  ledger.letterByReference();
  ledger.finish();
  const { lines, firstDate, lastDate } = ledger;
  const info = source.info;
  for (const w of info.warnings) values.warn('encodage', null, null, null, w);

  const read: [Field, string][] = [
    ['journal', 'journal'], ['date', 'date'], ['general', 'compte'], ['type', 'lineType'], ['aux', 'clientCode'], ['ref', 'ref'],
    ['label', 'label'], ['mode', 'mode'], ['due', 'dueDate'], ['sens', 'sens'], ['amount', 'amount'], ['piece', 'entry'],
  ];
  const report: FileReport = {
    file,
    format: 'fec',
    kind: 'fec',
    formatLabel: FORMAT_LABELS['cegid-tra'],
    profile: null,
    profileDetected: true,
    encoding: info.encoding,
    encodingReason: info.encodingReason,
    delimiter: 'largeur fixe',
    lineEnding: info.lineEnding,
    headerLine,
    columns: read.map(([f, field]) => ({ index: FIELDS[f].at, header: where(f), field })),
    exportDate: lastDate,
    records: lines.length,
    lines: lineNo,
    skipped: {
      'hors comptes clients': ledger.total - lines.length,
      'à-nouveaux (toutes lignes)': ledger.openingCount,
      ...(analytic > 0 ? { 'lignes analytiques': analytic } : {}),
    },
    totals: [],
  };
  return { report, lines, findings: values.findings, firstDate, lastDate };
}
