/**
 * Checks that need several input files at once: the same invoice in two aged balances
 * (two exports read together would count it twice), a payments file that comes from
 * another company, and payments received after the balance was exported.
 */
import { byAllocationOrder } from './allocation.js';
import { formatDateFr, type CalendarDate } from './dates.js';
import { formatEuros } from './money.js';
import type { Client, OpenItem, Payment } from './records.js';
import { DataError, finding, type Finding } from '../errors.js';

/** What the cross-file checks need to know of each file read. */
export interface InputFile {
  file: string;
  format: string;
  kind: string;
  exportDate: CalendarDate | null;
  /** The file's modification time (ms), when it could be read. */
  modifiedMs?: number | null;
  /** The non-blank rows above the header, their non-empty cells. */
  title?: string[][];
}

/**
 * What the checks keep of the payments while they are read (plan folds the payments into
 * histories and keeps none): each payments file's client names, and the payments dated
 * after the earliest balance export, which that balance cannot reflect yet (few).
 */
export class PaymentNotes {
  /** Per file, per client code, the first name the file gives. */
  readonly names = new Map<string, Map<string, string>>();
  readonly late: Payment[] = [];
  private seenReports = -1;
  private after: CalendarDate | null = null;
  private fec = new Set<string>();
  private readonly lateSeen = new Set<string>();
  private lastFile: string | null = null;
  private lastNames: Map<string, string> | undefined = undefined;

  /** `files` is the list of files read so far: it grows as the reading goes. */
  constructor(private readonly files: readonly InputFile[]) {}

  /**
   * Takes the notes of a payments file read elsewhere (a worker thread, which noted its
   * payments as `note` does): its client names, and its late payments, after those noted so far.
   */
  adopt(file: string, names: Map<string, string> | null, late: readonly Payment[]): void {
    if (names !== null) this.names.set(file, names);
    this.lastFile = null;
    for (const p of late) {
      const key = `${p.source.file}\u0000${p.source.line}`;
      if (!this.lateSeen.has(key)) {
        this.lateSeen.add(key);
        this.late.push(p);
      }
    }
  }

  /** Takes note of one payment. */
  note(p: Payment): void {
    // Payments come file by file: the last file's names are the likeliest.
    let names = p.source.file === this.lastFile ? this.lastNames : this.names.get(p.source.file);
    if (!names) this.names.set(p.source.file, (names = new Map()));
    this.lastFile = p.source.file;
    this.lastNames = names;
    if (p.clientName && !names.has(p.clientCode)) names.set(p.clientCode, p.clientName);
    if (this.seenReports !== this.files.length) {
      this.seenReports = this.files.length;
      this.after = balanceDates(this.files).reduce<CalendarDate | null>((d, x) => (d === null || x < d ? x : d), null);
      this.fec = new Set(this.files.filter((f) => f.format === 'fec').map((f) => f.file));
    }
    // A file read again from its start (an encoding found late) brings its payments again.
    if (this.after !== null && p.date > this.after && !this.fec.has(p.source.file)) {
      const key = `${p.source.file}\u0000${p.source.line}`;
      if (!this.lateSeen.has(key)) {
        this.lateSeen.add(key);
        this.late.push(p);
      }
    }
  }
}

/** What `crossFileCheck` looks at. */
export interface CrossFileInput {
  files: InputFile[];
  openItems: OpenItem[];
  clients: Client[];
  notes: PaymentNotes;
}

/**
 * The cross-file findings, and the error that stops `plan` and `send` (null when none):
 * - `ref-en-double`, an error: the same document of the same client in two aged balances;
 *   a warning when the other file is of another kind or the client differs;
 * - `reglements-autre-societe`, a warning (`send` refuses it): a payments file whose
 *   title names another company, or whose clients mostly carry other names than in
 *   the balance or the clients file.
 */
export function crossFileCheck(input: CrossFileInput): { findings: Finding[]; error: DataError | null } {
  const files = new Map(input.files.map((f) => [f.file, f]));
  const findings: Finding[] = [];
  const doubles = duplicatesAcrossFiles(input.openItems);
  const balances: Duplicate[] = [];
  for (const d of doubles) {
    const kinds = new Set(d.items.map((i) => kindOf(files.get(i.source.file))));
    const clients = new Set(d.items.map((i) => i.clientCode));
    const first = d.items[0]!;
    const places = d.items.map((i) => `${i.source.file} ligne ${i.source.line}`);
    if (kinds.size === 1 && kinds.has('balance') && clients.size === 1) {
      balances.push(d);
      const { older, why } = olderOf(d.items.map((i) => files.get(i.source.file)!));
      findings.push(finding('erreur', 'ref-en-double', { file: first.source.file, line: first.source.line, value: d.ref },
        `la pièce « ${d.ref} » du client ${first.clientCode} figure dans ${count(d.items.length)} balances : ${joined(places)}`,
        older
          ? `lues ensemble, les balances la comptent plusieurs fois : ne gardez que l'export le plus récent, retirez ${older.file} (${why})`
          : `lues ensemble, les balances la comptent plusieurs fois : ne gardez qu'un des exports, le plus récent`));
    } else {
      const others = d.items.slice(1).map((i) => `${i.source.file} ligne ${i.source.line}${i.clientCode !== first.clientCode ? ` (client ${i.clientCode})` : ''}`);
      findings.push(finding('avertissement', 'ref-en-double', { file: first.source.file, line: first.source.line, value: d.ref },
        `la pièce « ${d.ref} » du client ${first.clientCode} figure aussi dans ${joined(others)}`,
        clients.size > 1
          ? 'un numéro de pièce ne doit servir qu\'une fois : vérifiez la numérotation des factures'
          : 'une facture ne doit figurer que dans un des fichiers : lus ensemble, ils la comptent plusieurs fois'));
    }
  }
  for (const f of foreignPayments(input)) findings.push(f);
  return { findings, error: balances.length > 0 ? duplicateBalancesError(balances, files) : null };
}

interface Duplicate {
  ref: string;
  /** One item per file, in reading order. */
  items: OpenItem[];
}

/**
 * Refs present in more than one file (a ref repeated within one file is the audit's),
 * in reading order. Only the smaller files are indexed: the largest one is probed.
 */
function duplicatesAcrossFiles(items: OpenItem[]): Duplicate[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.source.file, (counts.get(item.source.file) ?? 0) + 1);
  if (counts.size < 2) return [];
  const order = new Map([...counts.keys()].map((file, i) => [file, i]));
  const largest = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const byRef = new Map<string, OpenItem[]>();
  for (const item of items) {
    if (item.source.file === largest) continue;
    const list = byRef.get(item.ref);
    if (!list) byRef.set(item.ref, [item]);
    else if (!list.some((i) => i.source.file === item.source.file)) list.push(item);
  }
  for (const item of items) {
    if (item.source.file !== largest) continue;
    const list = byRef.get(item.ref);
    if (list && !list.some((i) => i.source.file === item.source.file)) list.push(item);
  }
  const out: Duplicate[] = [];
  for (const [ref, list] of byRef) {
    if (list.length > 1) out.push({ ref, items: list.sort((a, b) => order.get(a.source.file)! - order.get(b.source.file)!) });
  }
  const first = (d: Duplicate) => d.items[0]!.source;
  return out.sort((a, b) => order.get(first(a).file)! - order.get(first(b).file)! || first(a).line - first(b).line);
}

const LISTED = 3;

/** The error for documents found in two balances: the first pair of files, a few refs, which to drop. */
function duplicateBalancesError(doubles: Duplicate[], files: Map<string, InputFile>): DataError {
  const a = doubles[0]!.items[0]!.source.file;
  const b = doubles[0]!.items[1]!.source.file;
  const pair = doubles.filter((d) => d.items.some((i) => i.source.file === a) && d.items.some((i) => i.source.file === b));
  const line = (d: Duplicate, file: string) => d.items.find((i) => i.source.file === file)!.source.line;
  const shown = pair.slice(0, LISTED).map((d) => `« ${d.ref} » du client ${d.items[0]!.clientCode} (${a} ligne ${line(d, a)}, ${b} ligne ${line(d, b)})`);
  const more = pair.length > LISTED ? ` et ${pair.length - LISTED} autre${pair.length - LISTED > 1 ? 's' : ''}` : '';
  const { older, why } = olderOf([files.get(a)!, files.get(b)!]);
  const n = pair.length;
  return new DataError(
    `les balances ${a} et ${b} contiennent ${n > 1 ? `${n} mêmes pièces` : 'une même pièce'} des mêmes clients : ${shown.join(', ')}${more} ; lues ensemble, elles compteraient ${n > 1 ? 'ces pièces' : 'cette pièce'} deux fois. Rien n'a été fait.`,
    older
      ? `ne gardez que l'export le plus récent : retirez ${older.file} (${why}).`
      : `ne gardez qu'une des deux balances, la plus récente ; si elles couvrent des clients différents, exportez-les en un seul état.`,
  );
}

/** The older of the files (by export date, else modification time) and why, or null when nothing tells them apart. */
function olderOf(list: InputFile[]): { older: InputFile | null; why: string } {
  const dates = list.map((f) => f.exportDate);
  if (dates.every((d): d is string => d !== null) && new Set(dates).size === list.length) {
    const sorted = [...list].sort((x, y) => (x.exportDate! < y.exportDate! ? -1 : 1));
    const [older, newer] = [sorted[0]!, sorted.at(-1)!];
    return { older, why: `export du ${formatDateFr(older.exportDate!)}, ${newer.file} est du ${formatDateFr(newer.exportDate!)}` };
  }
  const times = list.map((f) => f.modifiedMs ?? null);
  if (times.every((t): t is number => t !== null) && new Set(times).size === list.length) {
    const sorted = [...list].sort((x, y) => x.modifiedMs! - y.modifiedMs!);
    const [older, newer] = [sorted[0]!, sorted.at(-1)!];
    return { older, why: `modifié le ${parisTime(older.modifiedMs!)}, ${newer.file} le ${parisTime(newer.modifiedMs!)}` };
  }
  return { older: null, why: '' };
}

/** `16/11/2026 à 09:42`, in Europe/Paris. */
function parisTime(ms: number): string {
  const parts = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('day')}/${get('month')}/${get('year')} à ${get('hour')}:${get('minute')}`;
}

/** At least this many clients in common before their names say anything. */
const MIN_SHARED = 3;

/** `reglements-autre-societe`: at most one finding per payments file. */
function foreignPayments(input: CrossFileInput): Finding[] {
  const out: Finding[] = [];
  const references = [...input.files.filter((f) => f.kind === 'balance'), ...input.files.filter((f) => f.kind === 'clients')];
  const companies = new Map<string, string>();
  for (const f of references) for (const c of companiesIn(f.title)) if (!companies.has(normalName(c))) companies.set(normalName(c), `${c}|${f.file}`);

  // Reference names of the payments files' clients: the clients file first, then the balances.
  const wanted = new Set<string>();
  for (const f of input.files) if (f.kind === 'payments') for (const code of input.notes.names.get(f.file)?.keys() ?? []) wanted.add(code);
  const known = new Map<string, { shown: string; names: Set<string> }>();
  const add = (code: string, name: string) => {
    if (!wanted.has(code) || !name.trim()) return;
    const k = known.get(code);
    if (k) k.names.add(name);
    else known.set(code, { shown: name, names: new Set([name]) });
  };
  for (const c of input.clients) add(c.clientCode, c.clientName);
  for (const i of input.openItems) add(i.clientCode, i.clientName);
  const hasClients = input.files.some((f) => f.kind === 'clients');
  const hasBalance = input.files.some((f) => f.kind === 'balance' || f.kind === 'fec');
  const against = hasClients && hasBalance ? 'la balance et le fichier clients' : hasClients ? 'le fichier clients' : 'la balance';
  const hint = 'vérifiez que les règlements viennent du même dossier comptable que la balance et ré-exportez-les depuis la bonne société (`relance send` refuse d\'envoyer avec ce fichier)';

  for (const f of input.files.filter((x) => x.kind === 'payments')) {
    const own = companiesIn(f.title);
    if (own.length > 0 && companies.size > 0 && !own.some((c) => companies.has(normalName(c)))) {
      const [name, file] = [...companies.values()][0]!.split('|') as [string, string];
      out.push(finding('avertissement', 'reglements-autre-societe', { file: f.file, value: own[0]! },
        `${f.file} semble venir d'une autre société : son titre nomme « ${own[0]} », ${file} « ${name} »`, hint));
      continue;
    }
    const names = input.notes.names.get(f.file);
    if (!names) continue;
    let shared = 0;
    const differing: string[] = [];
    for (const [code, name] of [...names].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
      const k = known.get(code);
      if (!k) continue;
      shared++;
      const n = normalName(name);
      if (![...k.names].some((m) => sameName(normalName(m), n))) differing.push(code);
    }
    if (shared >= MIN_SHARED && differing.length * 2 > shared) {
      const code = differing[0]!;
      out.push(finding('avertissement', 'reglements-autre-societe', { file: f.file, value: code },
        `${f.file} semble venir d'une autre société : pour ${differing.length} des ${shared} clients qu'il a en commun avec ${against}, il donne un autre nom (par exemple ${code} « ${names.get(code)} » au lieu de « ${known.get(code)!.shown} »)`, hint));
    }
  }
  return out;
}

/**
 * The parts of the title lines that may be the company's name: cells and ` - `
 * separated parts, without dates, figures or the words of a report's title.
 */
export function companiesIn(title: string[][] | undefined): string[] {
  const out: string[] = [];
  for (const row of title ?? []) {
    for (const cell of row) {
      for (const part of cell.split(/\s+[-–—|]\s+/)) {
        const p = part.trim();
        if (!p || /\d/.test(p) || REPORT_WORDS.test(normalName(p)) || normalName(p) === '') continue;
        out.push(p);
      }
    }
  }
  return out;
}

const REPORT_WORDS =
  /\b(balance|echeancier|reglements?|encaissements?|clients?|liste|comptes?|periode|montants?|page|grand livre|etat|tirage|edite|edition|exercice|devise|tiers|auxiliaires?|journal|arrete|situation)\b/;

const LEGAL_FORMS = /\b(sas|sasu|sarl|eurl|sa|sci|snc|selarl|scop|ste|societe)\b/g;

/** A name compared loosely: no accents, case, punctuation or legal form. */
function normalName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(LEGAL_FORMS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Equal, or one cut short of the other (software that truncates names). */
function sameName(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length >= 8 && long.startsWith(short);
}

function kindOf(f: InputFile | undefined): string {
  return f ? (f.format === 'fec' ? 'fec' : f.kind) : 'inconnu';
}

function balanceDates(files: readonly InputFile[]): CalendarDate[] {
  return files.filter((f) => f.kind === 'balance' && f.format !== 'fec' && f.exportDate !== null).map((f) => f.exportDate!);
}

function count(n: number): string {
  return n === 2 ? 'deux' : n === 3 ? 'trois' : String(n);
}

function joined(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} et ${parts.at(-1)}`;
}

/** What `withLatePayments` looks at. */
export interface LatePaymentsInput {
  asOf: CalendarDate;
  openItems: OpenItem[];
  files: InputFile[];
  late: Payment[];
}

/** A payment taken off what a client is asked for, and how. */
export interface LatePayment {
  payment: Payment;
  /** The export date of the balance it is not in yet. */
  balanceDate: CalendarDate;
  /** The open invoices it named, reduced by it. */
  applied: { ref: string; cents: number }[];
  /** What it left as an unapplied credit (allocated oldest due date first). */
  creditCents: number;
}

/**
 * The open items once the payments received after the balance was exported are taken
 * into account (DESIGN §2.4): a payment naming an open invoice reduces that invoice, as
 * lettering would; what it names nothing of becomes an unapplied credit of the client,
 * which the allocation takes off the oldest invoices. A payment already in the balance
 * (a credit line of the same amount and date), dated after the as-of date, of a client
 * the balance does not hold, or naming only invoices the balance does not know (billed
 * after the export) is left alone. The items given are not changed.
 */
export function withLatePayments(input: LatePaymentsInput): { openItems: OpenItem[]; applied: LatePayment[] } {
  if (input.late.length === 0) return { openItems: input.openItems, applied: [] };
  const dates = new Map(input.files.filter((f) => f.kind === 'balance' && f.format !== 'fec').map((f) => [f.file, f.exportDate]));
  const byClient = new Map<string, OpenItem[]>();
  for (const item of input.openItems) {
    if (!dates.has(item.source.file)) continue;
    const list = byClient.get(item.clientCode);
    if (list) list.push(item);
    else byClient.set(item.clientCode, [item]);
  }
  const changed = new Map<OpenItem, OpenItem>();
  const credits: OpenItem[] = [];
  const applied: LatePayment[] = [];
  for (const p of [...input.late].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
    const items = byClient.get(p.clientCode);
    if (!items || p.amountCents <= 0 || p.date > input.asOf) continue;
    const balanceDate = items.map((i) => dates.get(i.source.file)).reduce<CalendarDate | null>((d, x) => (x && (d === null || x > d) ? x : d), null);
    if (balanceDate === null || p.date <= balanceDate) continue;
    if (items.some((i) => i.openCents < 0 && (i.originalCents === -p.amountCents || i.openCents === -p.amountCents) && i.docDate === p.date)) continue;
    const named = items.filter((i) => i.openCents > 0 && p.refs.includes(i.ref)).sort(byAllocationOrder);
    if (p.refs.length > 0 && named.length === 0) continue;
    let left = p.amountCents;
    const used: { ref: string; cents: number }[] = [];
    for (const inv of named) {
      const current = changed.get(inv) ?? inv;
      const take = Math.min(left, current.openCents);
      if (take <= 0) continue;
      changed.set(inv, { ...current, openCents: current.openCents - take });
      used.push({ ref: inv.ref, cents: take });
      left -= take;
    }
    if (left > 0) {
      credits.push({
        kind: 'open_item', clientCode: p.clientCode, clientName: items[0]!.clientName, ref: `Règlement du ${formatDateFr(p.date)}`,
        docDate: p.date, dueDate: p.date, dueDateDerived: false, originalCents: -left, openCents: -left,
        currency: items[0]!.currency, salesRep: null, source: p.source,
      });
    }
    applied.push({ payment: p, balanceDate, applied: used, creditCents: left });
  }
  // An invoice paid in full since the export is no longer open.
  const openItems: OpenItem[] = [];
  for (const i of input.openItems) {
    const c = changed.get(i);
    if (c === undefined) openItems.push(i);
    else if (c.openCents !== 0) openItems.push(c);
  }
  for (const c of credits) openItems.push(c);
  return { openItems, applied };
}

/** The `reglement-apres-export` notes of `check`: each payment taken off since the balance's export. */
export function latePaymentFindings(applied: LatePayment[]): Finding[] {
  return applied.map((a) => {
    const p = a.payment;
    const how = [
      ...a.applied.map((x) => `${formatEuros(x.cents)} sur « ${x.ref} »`),
      ...(a.creditCents > 0 ? [`${formatEuros(a.creditCents)} en règlement non imputé, sur les factures les plus anciennes`] : []),
    ];
    return finding('info', 'reglement-apres-export', { file: p.source.file, line: p.source.line, value: formatEuros(p.amountCents) },
      `le règlement de ${formatEuros(p.amountCents)} du ${formatDateFr(p.date)} (client ${p.clientCode}) est postérieur à la balance du ${formatDateFr(a.balanceDate)} : il est déduit de ce qui est réclamé (${joined(how)})`,
      'rien à faire s\'il figure dans le prochain export de la balance');
  });
}
