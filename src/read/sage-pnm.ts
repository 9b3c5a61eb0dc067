import { BAD_DATE, impossibleDate, parseDate, type CalendarDate } from '../core/dates.js';
import { readSiren } from '../core/debtor.js';
import type { FecLine } from '../core/ledger.js';
import type { Client } from '../core/records.js';
import { DataError, quoted } from '../errors.js';
import { decodeSource, openWithFormatEncoding, type Encoding } from './decode.js';
import { FORMAT_LABELS } from './formats.js';
import { LedgerCollector, type ImportedReminder, type LedgerFile, type LedgerSettings } from './ledger-lines.js';
import { detach, eachLine } from './stream.js';
import type { FileReport, ReadProgress } from './types.js';
import { AMOUNT_HINT, ValueReader } from './values.js';

// The fields read from each block (1-based, as the vendor's field lists count them).
const MECG_FIELDS: Record<number, [label: string, field: string]> = {
  1: ['journal', 'journal'],
  2: ['date pièce', 'date'],
  4: ['pièce', 'entry'],
  5: ['n° facture', 'ref'],
  7: ['compte général', 'compte'],
  9: ['compte tiers', 'clientCode'],
  11: ['intitulé', 'label'],
  13: ['échéance', 'dueDate'],
  17: ['sens', 'sens'],
  18: ['montant', 'amount'],
  19: ['n° lettrage', 'lettering'],
  22: ['nombre de rappels', 'reminderCount'],
  23: ['type à-nouveau', 'opening'],
  31: ['date relance', 'reminderDate'],
};
const MPCT_FIELDS: Record<number, string> = {
  1: 'numéro', 2: 'intitulé', 3: 'type', 8: 'adresse', 9: 'complément', 10: 'code postal', 11: 'ville', 13: 'pays',
  18: 'SIRET', 53: 'hors rappel/relevé', 56: 'téléphone', 58: 'e-mail', 63: 'forme juridique',
};
const MCTT_FIELDS: Record<number, string> = { 1: 'nom', 2: 'prénom', 4: 'fonction', 5: 'téléphone', 6: 'portable', 8: 'e-mail' };

/** A #MECG block: 38 fields and a blank separator line. */
const MECG_WIDTH = 38;
/** Fields up to the lettering number (19) are needed; the ones after it may be left off. */
const MECG_NEEDED = 19;
/** Tags of the blocks that belong to the #MPCT before them. */
const TIERS_CHILDREN = new Set(['#MCDL', '#MRLT', '#MBQT', '#MCTT', '#MIVA']);
/** A contact whose function says it handles invoices and payments: collection letters go to them. */
const ACCOUNTING_CONTACT = /compta|factur|recouvr|financ|tr[eé]so|paiement|r[eè]glement/i;
/** The pseudo-block of lines found outside any block (reported once). */
const STRAY = '';
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const REEXPORT = 'corrigez la fiche ou l\'écriture dans Sage 100 et ré-exportez le fichier';
const BROKEN_HINT = 'le fichier semble tronqué ou modifié à la main : ré-exportez les écritures depuis Sage 100 (un champ par ligne, sans retouche)';
const DATE_JJMMAA_HINT = "les dates d'un export Sage 100 s'écrivent JJMMAA (160226 pour le 16/02/2026) ; corrigez l'écriture dans Sage 100 et ré-exportez";

/** A #MPCT block read, waiting for its #MCTT contacts. */
interface Tiers {
  line: number;
  code: string;
  name: string;
  email: string | null;
  phone: string | null;
  address: string[];
  siren: string | null;
  legalForm: string | null;
  excluded: boolean;
  contacts: { email: string; phone: string | null; accounting: boolean }[];
}

/**
 * Reads one Sage 100 export in the « PNM » text format (one field per line, blocks
 * opened by a tag line such as `#MECG`, ended by `#FIN`): the #MECG entries of customer
 * accounts as ledger lines (payments told by their bank line, as in a FEC), the reminders
 * Sage counts on them, and the clients its #MPCT blocks describe, with their #MCTT
 * contacts. CP850 unless the bytes are UTF-8 or `--encoding` says otherwise.
 */
export async function readSagePnm(
  file: string,
  encoding: Encoding | null,
  settings: LedgerSettings,
  cwd: string,
  onProgress?: ReadProgress,
): Promise<LedgerFile> {
  let lineNo = 0;
  const onBytes = onProgress && ((read: number, total: number) => onProgress(file, read, total, lineNo));
  const source = await openWithFormatEncoding(file, encoding, cwd, 'cp850', 'Sage 100', onBytes);
  const { info } = source;
  const values = new ValueReader(file);
  const ledger = new LedgerCollector(settings);
  const reminders: ImportedReminder[] = [];
  const tiers: Tiers[] = [];
  const skipped: Record<string, number> = { 'hors comptes clients': 0, 'à-nouveaux (toutes lignes)': 0 };
  const skip = (key: string): void => {
    skipped[key] = (skipped[key] ?? 0) + 1;
  };

  let tag: string | null = null; // the block being read
  let tagLine = 0;
  let fields: string[] = [];
  let current: Tiers | null = null; // the #MPCT whose child blocks follow
  let ended = false;
  let afterEnd = false;

  const flush = (): void => {
    const f = fields;
    fields = [];
    if (tag === null || tag === STRAY) return;
    if (tag === '#MECG') readEntry(f, tagLine);
    else if (tag === '#MPCT') current = readTiers(f, tagLine);
    else if (tag === '#MCTT') readContact(f, tagLine);
    else skip(tag);
  };

  const readEntry = (f: string[], at: number): void => {
    ledger.total++;
    const where = (n: number): [number, string] => [at + n, column(n)];
    // Blank lines past the separator are harmless; a 39th line with text in it means a field too many.
    let n = f.length;
    while (n > MECG_WIDTH + 1 && f[n - 1]!.trim() === '') n--;
    if (n < MECG_NEEDED) {
      values.error('bloc-incomplet', at + n + 1, column(n + 1), null,
        `le bloc #MECG de la ligne ${at} n'a que ${n} champ${n > 1 ? 's' : ''} sur ${MECG_WIDTH} (il en faut au moins ${MECG_NEEDED}, jusqu'au n° de lettrage)`, BROKEN_HINT);
      return;
    }
    if (n > MECG_WIDTH + 1) {
      values.error('bloc-trop-long', at + MECG_WIDTH + 2, `champ ${MECG_WIDTH + 2}`, f[MECG_WIDTH + 1]!.trim(),
        `le bloc #MECG de la ligne ${at} a ${n} lignes au lieu de ${MECG_WIDTH + 1} (${MECG_WIDTH} champs et une ligne vide) : ${quoted(f[MECG_WIDTH + 1]!.trim())} est de trop`, BROKEN_HINT);
      return;
    }
    if (n === MECG_WIDTH + 1 && f[MECG_WIDTH]!.trim() !== '') {
      values.error('bloc-trop-long', at + MECG_WIDTH + 1, `champ ${MECG_WIDTH + 1} (séparateur)`, f[MECG_WIDTH]!.trim(),
        `la ligne ${MECG_WIDTH + 1} du bloc #MECG de la ligne ${at} doit être vide, elle contient ${quoted(f[MECG_WIDTH]!.trim())} : un champ est de trop plus haut dans le bloc`, BROKEN_HINT);
      return;
    }
    const field = (k: number): string => (f[k - 1] ?? '').trim();
    const journal = field(1);
    const account = field(7);
    const dateText = field(2);
    const date = sageDate(dateText, ...where(2), true);
    if (!account) values.error('valeur-manquante', ...where(7), '', 'compte général manquant', REEXPORT);
    const typeText = field(23);
    if (!/^[0-4]?$/.test(typeText)) {
      values.error('valeur-illisible', ...where(23), typeText,
        `type à-nouveau illisible ${quoted(typeText)} : 0 (normal), 1 (détail), 2 (solde), 3 (manuel) ou 4 (résultat)`, REEXPORT);
      return;
    }
    if (date === null || !account) return;
    // Detached: the ledger keeps the keys of bank entries, which must not pin the chunk a 13-character piece was cut from.
    const entry = detach(`${journal}\u0001${field(4)}\u0001${dateText}`);
    const opening = (typeText !== '' && typeText !== '0') || ledger.isOpeningJournal(journal, () => '');
    ledger.entryLine(entry, account, date, opening);
    if (!ledger.isCustomer(account)) {
      skipped['hors comptes clients']!++;
      return;
    }
    const dueDate = sageDate(field(13), ...where(13), false);
    const sens = field(17);
    if (sens !== '0' && sens !== '1') {
      values.error('valeur-illisible', ...where(17), sens, `sens illisible ${quoted(sens)} : 0 pour un débit, 1 pour un crédit`, REEXPORT);
      return;
    }
    const amountText = field(18);
    if (amountText === '') {
      values.error('valeur-manquante', ...where(18), '', 'montant manquant', AMOUNT_HINT);
      return;
    }
    const amount = values.cents(amountText, ...where(18));
    if (amount === null) return;
    const cents = sens === '0' ? amount : -amount;
    const client = values.shared(field(9) || account);
    const ref = field(5) || field(4);
    const letter = field(19);
    const kept: FecLine = {
      client,
      clientName: '', // named after reading, from the #MPCT blocks
      journal: values.shared(journal),
      ref: detach(ref),
      docDate: date,
      date,
      cents,
      group: letter ? detach(`${client}\u0001${letter}`) : '',
      letDate: null, // the format has no lettering date
      dueDate,
      opening,
      payment: false,
      mode: null,
      file,
      line: at,
    };
    ledger.customerLine(kept, entry);
    if (cents > 0) readReminder(field(22), field(31), at, client, kept.ref);
  };

  const readReminder = (countText: string, dateText: string, at: number, client: string, ref: string): void => {
    const count = /^\d+$/.test(countText) ? Number(countText) : countText === '' ? 0 : NaN;
    const date = sageDateOrWarning(dateText, at + 31, column(31));
    if (Number.isNaN(count)) {
      values.warn('rappels-illisibles', at + 22, column(22), countText,
        `nombre de rappels illisible ${quoted(countText)} : les relances déjà faites dans Sage 100 pour la pièce ${ref} sont ignorées`, REEXPORT);
      return;
    }
    if (date === BAD_DATE) return;
    if (count > 0 && date !== null) {
      reminders.push({ clientCode: client, ref, count, lastDate: date, file, line: at });
    } else if (count > 0) {
      values.warn('relance-sans-date', at + 31, column(31), '',
        `${count} rappel${count > 1 ? 's' : ''} noté${count > 1 ? 's' : ''} pour la pièce ${ref} mais pas de date relance : ils sont ignorés, faute de savoir quand la dernière relance est partie`,
        'renseignez la date de relance dans Sage 100 (ou notez la relance avec relance note) pour que le scénario reprenne où il en est');
    } else if (date !== null) {
      values.warn('relance-sans-nombre', at + 22, column(22), countText,
        `date relance ${formatShort(date)} pour la pièce ${ref} mais aucun rappel compté : elle est ignorée, faute de savoir combien de relances sont parties`,
        'vérifiez le nombre de rappels dans Sage 100 (ou notez la relance avec relance note) pour que le scénario reprenne où il en est');
    }
  };

  /** A JJMMAA date; null when blank (or `000000`), and an error for anything else unreadable. */
  const sageDate = (text: string, line: number, col: string, required: boolean): CalendarDate | null => {
    const d = readJjmmaa(text);
    if (d === null && required) values.error('valeur-manquante', line, col, '', `${col.replace(/^champ \d+ \((.*)\)$/, '$1')} manquante`, DATE_JJMMAA_HINT);
    if (d !== BAD_DATE) return d;
    const why = /^\d{6}$/.test(text) ? impossibleDate(text) : null;
    values.error('valeur-illisible', line, col, text,
      why ? `date impossible ${quoted(text)} (${why.reason})` : `${quoted(text)} n'est pas une date JJMMAA`, DATE_JJMMAA_HINT);
    return null;
  };

  const sageDateOrWarning = (text: string, line: number, col: string): CalendarDate | null | typeof BAD_DATE => {
    const d = readJjmmaa(text);
    if (d === BAD_DATE) {
      values.warn('valeur-illisible', line, col, text,
        `${quoted(text)} n'est pas une date JJMMAA : la relance notée dans Sage 100 est ignorée`, DATE_JJMMAA_HINT);
    }
    return d;
  };

  const readTiers = (f: string[], at: number): Tiers | null => {
    const field = (k: number): string => (f[k - 1] ?? '').trim();
    const where = (k: number): [number, string] => [at + k, `champ ${k} (${MPCT_FIELDS[k]})`];
    const type = field(3);
    if (!/^[0-3]$/.test(type)) {
      values.error('valeur-illisible', ...where(3), type,
        `type de tiers illisible ${quoted(type)} : 0 (client), 1 (fournisseur), 2 (salarié) ou 3 (autre)`, BROKEN_HINT);
      return null;
    }
    if (type !== '0') {
      skip('tiers non clients (#MPCT)');
      return null;
    }
    const code = field(1);
    if (!code) {
      values.error('valeur-manquante', ...where(1), '', 'numéro de tiers manquant', BROKEN_HINT);
      return null;
    }
    const excludedText = field(53);
    if (!/^[01]?$/.test(excludedText)) {
      values.warn('valeur-illisible', ...where(53), excludedText,
        `« hors rappel/relevé » vaut 0 ou 1, pas ${quoted(excludedText)} : le client ${code} reste relancé`, REEXPORT);
    }
    const email = readEmail(field(58), ...where(58), code);
    let siren: string | null = null;
    const siret = field(18);
    if (siret) {
      const read = readSiren(siret);
      if (read.ok) siren = read.siren;
      else values.warn('siren-invalide', ...where(18), siret, `SIRET invalide ${quoted(siret)} pour le client ${code} : il est ignoré`,
        "corrigez la fiche client avec le SIRET de l'avis de situation SIRENE (14 chiffres)");
    }
    const t: Tiers = {
      line: at,
      code: detach(code),
      name: detach(field(2)),
      email,
      phone: field(56) || null,
      address: [field(8), field(9), `${field(10)} ${field(11)}`.trim(), field(13)].filter(Boolean).map(detach),
      siren,
      legalForm: field(63) || null,
      excluded: excludedText === '1',
      contacts: [],
    };
    tiers.push(t);
    return t;
  };

  const readContact = (f: string[], at: number): void => {
    if (current === null) {
      skip('#MCTT');
      return;
    }
    const field = (k: number): string => (f[k - 1] ?? '').trim();
    const email = readEmail(field(8), at + 8, `champ 8 (${MCTT_FIELDS[8]})`, current.code);
    if (email === null) return;
    current.contacts.push({ email, phone: field(5) || field(6) || null, accounting: ACCOUNTING_CONTACT.test(field(4)) });
  };

  const readEmail = (text: string, line: number, col: string, code: string): string | null => {
    if (!text) return null;
    if (EMAIL.test(text)) return detach(text);
    values.warn('email-invalide', line, col, text, `adresse e-mail invalide ${quoted(text)} pour le client ${code} : elle est ignorée`,
      'corrigez la fiche client dans Sage 100 et ré-exportez');
    return null;
  };

  const handle = (raw: string): void => {
    lineNo++;
    const text = raw.trimEnd();
    if (ended) {
      if (text !== '' && !afterEnd) {
        afterEnd = true;
        values.error('apres-fin', lineNo, null, text.trim(), `${quoted(text.trim())} après la ligne #FIN, qui termine l'export`,
          "ne gardez qu'un export par fichier, tel que Sage 100 l'a écrit");
      }
      return;
    }
    const tagged = text.charCodeAt(0) === 0x23; // '#': the cheap test first, on the 38 field lines of every block
    if (tagged && tag === null && /^#(FLG|VER|DEV)\b/.test(text)) {
      const devise = /^#DEV\s+(\S+)/.exec(text)?.[1];
      if (devise && devise.toUpperCase() !== 'EUR') {
        throw new DataError(`${file}, ligne ${lineNo} : la comptabilité est tenue en ${devise}, pas en euros (#DEV ${devise}).`,
          'relance ne lit que des comptabilités tenues en euros (#DEV EUR).');
      }
      return;
    }
    if (tagged && text === '#FIN') {
      flush();
      tag = null;
      ended = true;
      return;
    }
    if (tagged && /^#M[A-Z]{3}$/.test(text)) {
      flush();
      if (!TIERS_CHILDREN.has(text) && text !== '#MPCT') current = null;
      tag = text;
      tagLine = lineNo;
      return;
    }
    if (tag === null) {
      if (text === '') return;
      values.error('hors-bloc', lineNo, null, text.trim(), `${quoted(text.trim())} n'est dans aucun bloc : un export Sage 100 ne contient que des blocs ouverts par une ligne comme #MECG`,
        BROKEN_HINT);
      tag = STRAY; // one error for the lines that follow, not one each
      return;
    }
    fields.push(raw);
  };

  await eachLine(decodeSource(source, encoding), handle);
  if (!ended) {
    throw new DataError(
      `${file} se termine à la ligne ${lineNo} sans la ligne #FIN qui clôt un export Sage 100 : il semble tronqué.`,
      'ré-exportez le fichier complet depuis Sage 100 (une copie ou un téléchargement a pu être interrompu).',
    );
  }
  ledger.finish();
  for (const w of info.warnings) values.warn('encodage', null, null, null, w);

  const clients = tiers.map((t) => clientOf(t, file));
  const names = new Map(tiers.map((t) => [t.code, t.name]));
  for (const l of ledger.lines) l.clientName = names.get(l.client) ?? '';
  const { lines, firstDate, lastDate } = ledger;
  const report: FileReport = {
    file,
    format: 'fec',
    kind: 'fec',
    formatLabel: FORMAT_LABELS['sage-pnm'],
    profile: null,
    profileDetected: true,
    encoding: info.encoding,
    encodingReason: info.encodingReason,
    delimiter: 'un champ par ligne',
    lineEnding: info.lineEnding,
    headerLine: 0,
    columns: Object.entries(MECG_FIELDS).map(([k, [label, field]]) => ({ index: Number(k) - 1, header: `champ ${k} (${label})`, field })),
    exportDate: lastDate,
    records: lines.length,
    lines: lineNo,
    skipped: { ...skipped, 'à-nouveaux (toutes lignes)': ledger.openingCount },
    totals: [],
  };
  return { report, lines, findings: values.findings, firstDate, lastDate, clients, reminders };
}

/** `champ 13 (échéance)`: how a finding names a #MECG field. */
function column(n: number): string {
  const known = MECG_FIELDS[n];
  return known ? `champ ${n} (${known[0]})` : `champ ${n}`;
}

/** A JJMMAA date: null when blank or `000000`, BAD_DATE when not six digits or not in the calendar. */
function readJjmmaa(text: string): CalendarDate | null | typeof BAD_DATE {
  if (text === '' || /^0+$/.test(text)) return null;
  if (!/^\d{6}$/.test(text)) return BAD_DATE;
  const d = parseDate(text);
  return d === null ? BAD_DATE : d;
}

function formatShort(date: CalendarDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/**
 * A client from its #MPCT block and #MCTT contacts. Collection letters go to the
 * accounting contacts (function « comptabilité », « facturation », « recouvrement »…),
 * the tiers' own e-mail in copy; without such a contact, to the tiers' e-mail. Other
 * contacts (a manager, a buyer) are not written to.
 */
function clientOf(t: Tiers, file: string): Client {
  const accounting = [...new Set(t.contacts.filter((c) => c.accounting).map((c) => c.email))];
  const emails = accounting.length > 0 ? accounting : t.email ? [t.email] : [];
  const cc = accounting.length > 0 && t.email && !accounting.includes(t.email) ? [t.email] : [];
  return {
    kind: 'client',
    clientCode: t.code,
    clientName: t.name,
    emails,
    cc,
    salesRep: null,
    salesRepEmail: null,
    phone: t.phone ?? t.contacts.find((c) => c.accounting && c.phone)?.phone ?? null,
    address: t.address,
    language: 'fr',
    consumer: false,
    siren: t.siren,
    legalForm: t.legalForm,
    terms: null,
    segment: null,
    excluded: t.excluded,
    excludedReason: t.excluded ? 'hors rappel/relevé dans Sage 100' : null,
    source: { file, line: t.line },
  };
}
