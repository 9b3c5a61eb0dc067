// Generators of large, realistic input files for the benchmark (see run.mjs).
//
// Every file is deterministic (seeded PRNG) and streamed to disk through a write
// stream with back-pressure: nothing is built in memory but the small tables
// (clients, suppliers) and, for the FEC, the payments scheduled for later days; the
// native ledger files are the FEC converted line by line (keeping the tiers accounts,
// one entry's lines and, for EBP and Cegid, the lettered invoices not yet paid).
//
// Can also be run alone to look at a file:
//   node test/bench/generate.mjs balance|fec|payments|sage-pnm|quadra|ebp|cegid-tra <file> [lines]

import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { encode } from '../../fixtures/lib/encodings.mjs';
import { CEGID_TRA_ENCODING, CEGID_TRA_EOL, cegidTraHead, cegidTraLine, cegidTraNature } from '../../fixtures/lib/ledgers/cegid-tra.mjs';
import { EBP_ENCODING, EBP_EOL, ebpLine, isCustomerLine } from '../../fixtures/lib/ledgers/ebp.mjs';
import { QUADRA_ENCODING, QUADRA_EOL, quadraAccount, quadraEntry } from '../../fixtures/lib/ledgers/quadra.mjs';
import { SAGE_PNM_ENCODING, SAGE_PNM_EOL, SAGE_PNM_HEAD, SAGE_PNM_TAIL, sagePnmEntry, sagePnmTiers } from '../../fixtures/lib/ledgers/sage-pnm.mjs';

/** The date the aged balance and the payments list are drawn at ("Date de tirage"). */
export const AS_OF = '2026-11-16';

// ---------------------------------------------------------------------------
// Small helpers: PRNG, dates, amounts, output

/** mulberry32: a fast 32-bit seeded PRNG returning floats in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rand, list) => list[Math.floor(rand() * list.length)];

const DAY_MS = 86_400_000;
/** Day number (days since 1970-01-01, UTC) of an ISO date. */
const dayOf = (iso) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

// Date texts are precomputed for every day the generators use (2024–2027).
const FIRST_DAY = dayOf('2024-01-01');
const LAST_DAY = dayOf('2027-12-31');
const FR_DATES = []; // JJ/MM/AAAA
const FEC_DATES = []; // AAAAMMJJ
const YEARS = [];
for (let d = FIRST_DAY; d <= LAST_DAY; d++) {
  const iso = new Date(d * DAY_MS).toISOString();
  const [y, m, dd] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  FR_DATES.push(`${dd}/${m}/${y}`);
  FEC_DATES.push(`${y}${m}${dd}`);
  YEARS.push(+y);
}
const frDate = (day) => FR_DATES[day - FIRST_DAY];
const fecDate = (day) => FEC_DATES[day - FIRST_DAY];
const yearOf = (day) => YEARS[day - FIRST_DAY];

/** Cents as Sage prints them: `-1 234,56` with a no-break space between thousands. */
function euros(cents, thousands = '\u00a0') {
  const neg = cents < 0;
  const abs = neg ? -cents : cents;
  let units = String(Math.floor(abs / 100));
  if (thousands && units.length > 3) {
    let grouped = units.slice(-3);
    for (let i = units.length - 3; i > 0; i -= 3) grouped = `${units.slice(Math.max(0, i - 3), i)}${thousands}${grouped}`;
    units = grouped;
  }
  const c = abs % 100;
  return `${neg ? '-' : ''}${units},${c < 10 ? '0' : ''}${c}`;
}
/** Cents as a FEC writes them: decimal comma, no thousands separator. */
const fecAmount = (cents) => euros(cents, '');

/** A random amount in cents, log-uniform between two amounts in euros. */
function amount(rand, min, max) {
  return Math.round(Math.exp(Math.log(min * 100) + rand() * (Math.log(max * 100) - Math.log(min * 100))));
}

const pad = (n, width) => String(n).padStart(width, '0');

// Windows-1252 characters outside Latin-1, as the bytes Sage writes for them.
const CP1252 = { '€': '\x80', '‚': '\x82', '…': '\x85', '’': '\x92', '“': '\x93', '”': '\x94', '–': '\x96', '—': '\x97', 'œ': '\x9c', 'Œ': '\x8c', 'Ÿ': '\x9f' };
const NOT_LATIN1 = /[^\x00-\xff]/g;
const encodeCp1252 = (text) => Buffer.from(text.replace(NOT_LATIN1, (ch) => CP1252[ch] ?? '?'), 'latin1');
const encodeUtf8 = (text) => Buffer.from(text, 'utf8');

/** Buffers lines and writes them in ~1 MB chunks, waiting for 'drain' when asked to. */
class Output {
  constructor(file, encode, eol) {
    this.stream = createWriteStream(file);
    this.encode = encode;
    this.eol = eol;
    this.parts = [];
    this.size = 0;
    this.lines = 0;
    this.bytes = 0;
  }

  /** Adds a line; true when the buffer is full and flush() should be awaited. */
  line(text) {
    this.parts.push(text, this.eol);
    this.size += text.length;
    this.lines++;
    return this.size >= 1 << 20;
  }

  async flush() {
    if (this.parts.length === 0) return;
    const buf = this.encode(this.parts.join(''));
    this.parts = [];
    this.size = 0;
    this.bytes += buf.length;
    if (!this.stream.write(buf)) await once(this.stream, 'drain');
  }

  async close() {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
    return { lines: this.lines, bytes: this.bytes };
  }
}

/** A CSV field for a `;` file: quoted (quotes doubled) only when it holds `"` or `;`. */
const csvField = (text) => (text.includes('"') || text.includes(';') ? `"${text.replaceAll('"', '""')}"` : text);

// ---------------------------------------------------------------------------
// Clients and suppliers

const TRADES = [
  'SARL', 'SAS', 'Société', 'Hôtel', 'Boulangerie', 'Menuiserie', 'Garage', 'Cabinet', 'Pharmacie', 'Restaurant',
  'Établissements', 'Brasserie', 'Imprimerie', 'Librairie', 'Électricité', 'Pâtisserie', 'Crèche', 'Clinique',
  'Théâtre', 'Maison', 'Atelier', 'Fromagerie', 'Boucherie', 'Agence', 'Épicerie', 'Château', 'Domaine', 'Café',
  'Coopérative', 'Optique', 'Mairie de', 'Lycée', 'Auberge', 'Scierie', 'Verrerie', 'Régie',
];
const NAMES = [
  'Lefèvre', 'Bellecour', 'Girard', 'Morel', 'Vasseur', 'Marchetti', 'Béranger', 'Chênelet', 'Dupré', 'Gaillard',
  'Lemaître', 'Ménard', 'Noël', 'Perrière', 'Rivière', 'Séverin', 'Thévenet', 'Lefrançois', 'Bréval', 'Dauphiné',
  'Éluard', 'Fabrègue', 'Gérôme', 'Hébert', 'Joly', 'Kléber', 'Laurençon', 'Mérieux', 'Nérac', 'Pélissier',
  'Rémy', 'Saint-Exupéry', 'Tréguier', 'Vénissieux', 'Zéphyr', 'des Canuts', 'Ampère', 'du Vieux Port', 'Côté Jardin',
  'de la Croix-Rousse', 'Bœuf Couronné', 'Sœurs Martin', 'L’Étoile', 'Müller', 'Guérin', 'Garçon', 'Fourvière',
  'Montgolfier', 'Lumière', 'Brotteaux', 'Part-Dieu', 'Perrache', 'Bérard', 'Besançon', 'Orléans', 'Valence',
  'Annecy', 'Grenoble', 'Chambéry', 'Mâcon',
];
const ENDINGS = ['', '', '', '', ' & Fils', ' et Associés', ' SAS', ' SARL', ' Frères', ' du Rhône', ' Lyon', ' Sud'];
const SPECIAL_NAMES = [
  'Société Générale d\'Éclairage', 'Hôtel Bellecour SAS', 'Électricité Générale Morel', 'Boulangerie des Canuts',
  'Menuiserie Giraud & Fils', 'SARL Nuit Blanche Événements', 'Maison Vasseur Décoration', 'Architectes Roux, Vidal & Associés',
  'L’Œil du Lynx', 'Crêperie Sœur Anne', 'Optique Ampère',
];
const QUOTED_NAMES = ['Restaurant "Le Réverbère"', 'Bistrot "Chez Léon"', 'Librairie "La Plume d\'Or"', 'Théâtre "Les Célestins"'];

/**
 * About 20,000 clients (codes C000001…, with gaps), sorted by code as exports are,
 * each with a weight (how many lines it gets: a few big clients, many small ones),
 * payment terms and a payer habit (mean days late).
 */
export function makeClients(count, seed = 7) {
  const rand = rng(seed);
  const clients = [];
  let code = 0;
  for (let i = 0; i < count; i++) {
    code += 1 + (rand() < 0.15 ? Math.floor(rand() * 4) : 0);
    let name;
    if (i < SPECIAL_NAMES.length) name = SPECIAL_NAMES[i];
    else if (rand() < 0.004) name = pick(rand, QUOTED_NAMES);
    else name = `${pick(rand, TRADES)} ${pick(rand, NAMES)}${pick(rand, ENDINGS)}`;
    clients.push({
      code: `C${pad(code, 6)}`,
      name,
      weight: 1 / Math.pow(1 - rand() * 0.999, 0.7), // heavy tail
      terms: pick(rand, [0, 30, 30, 30, 45, 45, 60]),
      late: Math.floor(rand() * rand() * 90), // habitual days late
    });
  }
  return clients;
}

/** Splits `total` lines between clients in proportion to their weights, at least one each. */
function linesPerClient(clients, total, rand) {
  const W = clients.reduce((s, c) => s + c.weight, 0);
  const spare = total - clients.length;
  const n = clients.map((c) => 1 + Math.floor((c.weight / W) * spare));
  let left = total - n.reduce((s, x) => s + x, 0);
  while (left-- > 0) n[Math.floor(rand() * n.length)]++;
  return n;
}

/** About 20,000 clients at full size (a tenth with --quick). */
const clientCount = (lines, perClient) => Math.max(50, Math.round(lines / perClient));

// ---------------------------------------------------------------------------
// 1. Aged balance, Sage 100 style

const BALANCE_HEADER =
  'N° compte tiers;Intitulé;N° pièce;Date pièce;Échéance;Libellé;Montant;Solde;Non échu;0 à 30 j;31 à 60 j;61 à 90 j;+ de 90 j';
const INVOICE_LABELS = [
  'Éclairage bureaux', 'Luminaires salle réunion', 'Projecteurs LED chantier', 'Maintenance annuelle', 'Dalles LED',
  'Vitrine et enseigne', 'Appliques couloir', 'Suspensions hall', 'Éclairage façade', 'Réglettes atelier', 'Spots cuisine',
  'Bornes parking', 'Câblage et pose', 'Dépannage', 'Contrat d’entretien', 'Lustre salon', 'Rampe scène',
];
const CREDIT_LABELS = ['Avoir : retour marchandise', 'Avoir : remise', 'Avoir sur facture'];

/**
 * Writes an aged balance of `lines` open items: 4 title lines, the header, one line per
 * open item grouped by client (no subtotals), and a `Total général` line whose amounts
 * are the exact sums. Windows-1252, `;`, CRLF.
 */
export async function generateBalance(file, lines, seed = 1) {
  const rand = rng(seed);
  const clients = makeClients(clientCount(lines, 50));
  const counts = linesPerClient(clients, lines, rand);
  const asOf = dayOf(AS_OF);
  const start = dayOf('2025-01-01');
  const span = asOf - start;
  const out = new Output(file, encodeCp1252, '\r\n');
  for (const t of ['Lumen Éclairage SAS', 'Échéancier clients', 'Date de tirage : 16/11/2026', '', BALANCE_HEADER]) out.line(t);

  const sums = [0, 0, 0, 0, 0, 0, 0]; // Montant, Solde, 5 buckets
  const seq = new Map(); // per document prefix and year
  const next = (prefix, year) => {
    const key = `${prefix}${year}`;
    const n = (seq.get(key) ?? 0) + 1;
    seq.set(key, n);
    return `${key}-${pad(n, 7)}`;
  };
  const buckets = ['', '', '', '', ''];

  for (let c = 0; c < clients.length; c++) {
    const client = clients[c];
    const head = `${client.code};${csvField(client.name)};`;
    const days = [];
    // Open items are mostly recent: squash the draw towards the date of the balance.
    for (let k = 0; k < counts[c]; k++) days.push(asOf - Math.floor(span * Math.pow(rand(), 2.2)));
    days.sort((a, b) => a - b);
    for (const day of days) {
      const r = rand();
      let ref;
      let label;
      let due = day;
      let original;
      let open;
      if (r < 0.05) {
        ref = next('AV', yearOf(day));
        label = pick(rand, CREDIT_LABELS);
        original = open = -amount(rand, 20, 3000);
      } else if (r < 0.07) {
        ref = next('RG', yearOf(day));
        label = 'Règlement non affecté';
        original = open = -amount(rand, 50, 5000);
      } else {
        ref = next('FA', yearOf(day));
        label = pick(rand, INVOICE_LABELS);
        due = day + client.terms;
        original = amount(rand, 40, 40000);
        // One invoice in eight is partly paid.
        open = rand() < 0.125 ? Math.max(1, Math.round(original * (0.1 + 0.8 * rand()))) : original;
      }
      const late = asOf - due;
      const b = late <= 0 ? 0 : late <= 30 ? 1 : late <= 60 ? 2 : late <= 90 ? 3 : 4;
      const openText = euros(open);
      buckets[b] = openText;
      sums[0] += original;
      sums[1] += open;
      sums[2 + b] += open;
      const full = out.line(
        `${head}${ref};${frDate(day)};${frDate(due)};${label};${euros(original)};${openText};${buckets.join(';')}`,
      );
      buckets[b] = '';
      if (full) await out.flush();
    }
  }
  out.line(`Total général;;;;;;${sums.map((s) => euros(s)).join(';')}`);
  const done = await out.close();
  return { ...done, dataLines: lines, headerLine: 5, totalCents: sums[1] };
}

// ---------------------------------------------------------------------------
// 3. Payments list, Sage 100 style (for the `plan` bench)

const MODES = ['Virement', 'Virement', 'Virement', 'Chèque', 'Chèque', 'LCR', 'Prélèvement', 'Carte bancaire', 'Espèces'];

/**
 * Writes a payments list of `lines` payments, by date as Sage prints it: title lines,
 * header, one line per payment with the invoice(s) it settles, and a `Total général`.
 */
/** Draws clients at random, each in proportion to its `weight`. */
function weightedPicker(clients, rand) {
  const total = clients.reduce((s, c) => s + c.weight, 0);
  const cumulative = [];
  let acc = 0;
  for (const c of clients) cumulative.push((acc += c.weight / total));
  return () => {
    const x = rand();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return clients[lo];
  };
}

export async function generatePayments(file, lines, seed = 3) {
  const rand = rng(seed);
  const clients = makeClients(clientCount(lines, 100));
  const drawClient = weightedPicker(clients, rand);
  const start = dayOf('2025-01-01');
  const end = dayOf(AS_OF);
  const perDay = lines / (end - start + 1);
  const out = new Output(file, encodeCp1252, '\r\n');
  for (const t of ['Lumen Éclairage SAS', 'Règlements clients', 'Date de tirage : 16/11/2026', 'Période du 01/01/2025 au 16/11/2026', '']) out.line(t);
  out.line('N° compte tiers;Intitulé;Date;N° pièce;Mode de règlement;Montant;Pièces réglées;Date facture;Échéance facture');
  let written = 0;
  let total = 0;
  let invoiceNo = 0;
  const seq = new Map();
  for (let day = start; day <= end; day++) {
    const target = day === end ? lines : Math.round((day - start + 1) * perDay);
    const year = yearOf(day);
    while (written < target) {
      const client = drawClient();
      const n = (seq.get(year) ?? 0) + 1;
      seq.set(year, n);
      const cents = amount(rand, 30, 30000);
      const r = rand();
      let settles = ';;';
      const invDay = day - client.late - client.terms - Math.floor(rand() * 20);
      const invRef = () => `FA${yearOf(invDay)}-${pad((invoiceNo = (invoiceNo + 1 + Math.floor(rand() * 3)) % 10_000_000), 7)}`;
      if (r < 0.8) settles = `${invRef()};${frDate(invDay)};${frDate(invDay + client.terms)}`;
      else if (r < 0.9) settles = `${invRef()}, ${invRef()};;`;
      total += cents;
      written++;
      const full = out.line(
        `${client.code};${csvField(client.name)};${frDate(day)};RG${year}-${pad(n, 7)};${pick(rand, MODES)};${euros(cents)};${settles}`,
      );
      if (full) await out.flush();
    }
  }
  out.line(`Total général;;;;;${euros(total)};;;`);
  const done = await out.close();
  return { ...done, dataLines: lines, headerLine: 6, totalCents: total };
}

// ---------------------------------------------------------------------------
// 2. FEC

const FEC_HEADER = [
  'JournalCode', 'JournalLib', 'EcritureNum', 'EcritureDate', 'CompteNum', 'CompteLib', 'CompAuxNum', 'CompAuxLib',
  'PieceRef', 'PieceDate', 'EcritureLib', 'Debit', 'Credit', 'EcritureLet', 'DateLet', 'ValidDate', 'Montantdevise',
  'Idevise',
].join('\t');
const SALES_LABELS = [
  'Éclairage bureaux', 'Luminaires salle de réunion', 'Projecteurs LED chantier', 'Maintenance annuelle éclairage',
  'Dalles LED 60x60', 'Écran LED 27" vitrine', 'Enseigne lumineuse façade', 'Appliques couloir et escalier',
  'Spots encastrés 3" cuisine', 'Contrat d’entretien trimestriel', 'Rampe de scène, 12 projecteurs', 'Bornes parking',
];
const PURCHASE_LABELS = ['Achat luminaires', 'Achat câbles et gaines', 'Achat LED 5" et drivers', 'Achat outillage', 'Achat transformateurs'];
const SUPPLIER_NAMES = [
  'Philips Lighting France', 'Legrand Distribution', 'Rexel Lyon', 'Sonepar Sud-Est', 'Schneider Électrique', 'Osram Éclairage',
  'Câbles & Gaines du Rhône', 'Yesss Électrique', 'Würth France', 'Trilux Lumière', 'Fabricant "LED Pro"', 'Cédéo Vénissieux',
];

/** Two-letter lettering codes, AA, AB… ZZ, then three letters. */
function letterCode(n) {
  const A = 65;
  if (n < 676) return String.fromCharCode(A + Math.floor(n / 26), A + (n % 26));
  n -= 676;
  return String.fromCharCode(A + Math.floor(n / 676) % 26, A + Math.floor(n / 26) % 26, A + (n % 26));
}

/**
 * Writes a FEC of exactly `lines` entry lines (plus the header) for the fiscal year
 * 01/10/2025–30/09/2026: an opening entry (journal AN, one line per client with an
 * opening balance), then day by day sales (VT, 3 lines), purchases (AC, 3 or 4 lines)
 * and bank receipts (BQ, 2 lines) paying earlier invoices. About 80 % of the
 * invoice/payment pairs are lettered (AA, AB… per client) with DateLet filled.
 * UTF-8, tab, LF; labels hold bare `"` as real FECs do.
 */
export async function generateFec(file, lines, seed = 2) {
  const rand = rng(seed);
  const clients = makeClients(clientCount(lines, 100));
  const suppliers = SUPPLIER_NAMES.concat(
    Array.from({ length: Math.max(20, Math.round(lines / 4000)) }, (_, i) => `${pick(rand, TRADES)} ${pick(rand, NAMES)} Fournitures ${i + 1}`),
  ).map((name, i) => ({ code: `F${pad(i + 1, 5)}`, name }));
  for (const c of clients) c.letters = 0;
  const drawClient = weightedPicker(clients, rand);

  const first = dayOf('2025-10-01');
  const last = dayOf('2026-09-30');
  const out = new Output(file, encodeUtf8, '\n');
  out.line(FEC_HEADER);
  let written = 0;
  const num = { AN: 0, VT: 0, AC: 0, BQ: 0 };
  const refSeq = { FA: 0, AV: 0, RG: 0 };
  /** Payments due on each day of the year: [client, cents, ref, letter, invoiceDay]. */
  const scheduled = Array.from({ length: last - first + 1 }, () => []);
  let pendingLines = 0;
  const emit = (t) => {
    written++;
    return out.line(t);
  };
  const line = (j, jl, n, day, acct, acctLib, aux, auxLib, ref, pieceDay, lib, debit, credit, letter, letDay) =>
    emit(
      `${j}\t${jl}\t${n}\t${fecDate(day)}\t${acct}\t${acctLib}\t${aux}\t${auxLib}\t${ref}\t${fecDate(pieceDay)}\t${lib}\t` +
        `${fecAmount(debit)}\t${fecAmount(credit)}\t${letter}\t${letDay ? fecDate(letDay) : ''}\t${fecDate(Math.min(day + 3, last))}\t\t`,
    );

  /** Decides now whether and when an invoice (or opening balance) is paid, and its letter. */
  const settle = (client, cents, ref, day) => {
    const late = Math.max(0, client.late + Math.round((rand() - 0.5) * 30));
    // Paid the next day at the earliest (so that the last day's count is known).
    let payDay = day + Math.max(1, client.terms + late);
    // An opening balance still open at the start of the year is paid during it.
    if (payDay <= first) payDay = first + 1 + Math.floor(rand() * 45);
    if (payDay > last || rand() < 0.04) return { letter: '', letDay: 0 };
    const lettered = rand() < 0.8;
    const letter = lettered ? letterCode(client.letters++) : '';
    scheduled[payDay - first].push([client, cents, ref, letter]);
    pendingLines += 2;
    return { letter, letDay: lettered ? payDay : 0 };
  };

  // Opening entry: one line per client with a balance, then balancing accounts.
  num.AN++;
  let openTotal = 0;
  for (const client of clients) {
    if (rand() < 0.3) continue;
    const cents = amount(rand, 50, 15000);
    const ref = `FA2025-${pad(++refSeq.FA, 7)}`;
    const invDay = first - 1 - Math.floor(rand() * 60);
    const { letter, letDay } = settle(client, cents, ref, invDay);
    openTotal += cents;
    if (line('AN', 'A nouveaux', num.AN, first, '41100000', 'Clients', client.code, client.name, ref, invDay,
      `Report ${ref} ${client.name}`, cents, 0, letter, letDay)) await out.flush();
  }
  let supplierTotal = 0;
  for (const s of suppliers) {
    const cents = amount(rand, 200, 40000);
    supplierTotal += cents;
    line('AN', 'A nouveaux', num.AN, first, '40100000', 'Fournisseurs', s.code, s.name, 'AN2025', first, `Report ${s.name}`, 0, cents, '', 0);
  }
  const bank = amount(rand, 50000, 500000);
  line('AN', 'A nouveaux', num.AN, first, '51200000', 'Banque Populaire', '', '', 'AN2025', first, 'Report banque', bank, 0, '', 0);
  line('AN', 'A nouveaux', num.AN, first, '10100000', 'Capital', '', '', 'AN2025', first, 'Report capital', 0, 5_000_000, '', 0);
  const rest = openTotal + bank - supplierTotal - 5_000_000;
  line('AN', 'A nouveaux', num.AN, first, '11000000', 'Report à nouveau', '', '', 'AN2025', first, 'Report à nouveau',
    rest < 0 ? -rest : 0, rest > 0 ? rest : 0, '', 0);

  const sale = (day) => {
    const client = drawClient();
    const credit = rand() < 0.02;
    const ht = amount(rand, 40, 30000);
    const tva = Math.round(ht * 0.2);
    const ttc = ht + tva;
    const ref = credit ? `AV${yearOf(day)}-${pad(++refSeq.AV, 7)}` : `FA${yearOf(day)}-${pad(++refSeq.FA, 7)}`;
    const lib = `${credit ? 'Avoir' : 'Facture'} ${ref} ${client.name} - ${pick(rand, SALES_LABELS)}`;
    const n = ++num.VT;
    const { letter, letDay } = credit ? { letter: '', letDay: 0 } : settle(client, ttc, ref, day);
    line('VT', 'Ventes', n, day, '41100000', 'Clients', client.code, client.name, ref, day, lib, credit ? 0 : ttc, credit ? ttc : 0, letter, letDay);
    line('VT', 'Ventes', n, day, '70600000', 'Prestations de services', '', '', ref, day, lib, credit ? ht : 0, credit ? 0 : ht, '', 0);
    line('VT', 'Ventes', n, day, '44571000', 'TVA collectée 20 %', '', '', ref, day, lib, credit ? tva : 0, credit ? 0 : tva, '', 0);
  };
  const purchase = (day, split) => {
    const s = pick(rand, suppliers);
    const ht = amount(rand, 30, 20000);
    const tva = Math.round(ht * 0.2);
    const ref = `${s.code}-${pad(Math.floor(rand() * 1e6), 6)}`;
    const lib = `${pick(rand, PURCHASE_LABELS)} ${s.name} fact. ${ref}`;
    const n = ++num.AC;
    line('AC', 'Achats', n, day, '40100000', 'Fournisseurs', s.code, s.name, ref, day, lib, 0, ht + tva, '', 0);
    if (split) {
      const part = Math.round(ht * 0.7);
      line('AC', 'Achats', n, day, '60700000', 'Achats de marchandises', '', '', ref, day, lib, part, 0, '', 0);
      line('AC', 'Achats', n, day, '60630000', 'Fournitures d’entretien et petit équipement', '', '', ref, day, lib, ht - part, 0, '', 0);
    } else {
      line('AC', 'Achats', n, day, '60700000', 'Achats de marchandises', '', '', ref, day, lib, ht, 0, '', 0);
    }
    line('AC', 'Achats', n, day, '44566000', 'TVA déductible sur ABS', '', '', ref, day, lib, tva, 0, '', 0);
  };
  const receipt = (day, client, cents, invoiceRef, letter) => {
    const ref = `RG${yearOf(day)}-${pad(++refSeq.RG, 7)}`;
    const mode = pick(rand, ['Vir. SEPA', 'Vir. SEPA', 'Chèque', 'LCR', 'Prélèvement']);
    const lib = `${mode} ${client.name}${invoiceRef ? ` règlt ${invoiceRef}` : ' acompte'}`;
    const n = ++num.BQ;
    line('BQ', 'Banque', n, day, '51200000', 'Banque Populaire', '', '', ref, day, lib, cents, 0, '', 0);
    line('BQ', 'Banque', n, day, '41100000', 'Clients', client.code, client.name, ref, day, lib, 0, cents, letter, letter ? day : 0);
  };

  for (let day = first; day <= last; day++) {
    const due = scheduled[day - first];
    pendingLines -= 2 * due.length;
    if (day < last) {
      // Spread what is left of the budget evenly over the days left; payments already
      // scheduled count against it.
      const quota = (lines - written - pendingLines - 2 * due.length) / (last - day + 1);
      const target = written + quota;
      while (written < target) {
        const r = rand();
        if (r < 0.62) sale(day);
        else purchase(day, r > 0.96);
      }
    } else {
      // Last day: fill exactly, with 3-line sales and 2-line payments on account.
      let left = lines - written - 2 * due.length;
      if (left === 1 || left < 0) throw new Error(`FEC generator: cannot end on exactly ${lines} lines (${left} left)`);
      while (left > 0) {
        if (left === 2 || left === 4) {
          receipt(day, drawClient(), amount(rand, 100, 5000), '', '');
          left -= 2;
        } else {
          sale(day);
          left -= 3;
        }
      }
    }
    for (const [client, cents, ref, letter] of due) receipt(day, client, cents, ref, letter);
    scheduled[day - first] = null;
    await out.flush();
  }
  const done = await out.close();
  if (written !== lines) throw new Error(`FEC generator wrote ${written} lines instead of ${lines}`);
  return { ...done, dataLines: lines, headerLine: 1 };
}

// ---------------------------------------------------------------------------
// 4. The FEC's content in the native ledger formats (Sage 100 PNM, Quadra, EBP, Cegid TRA)

/**
 * Each format: its encoding and line end, its head (given the tiers of the file), the
 * lines of one entry (its flat lines, see flatLine in fixtures/lib/ledgers/ebp.mjs), and
 * whether it letters by reference (no lettering field: a payment carries the number of
 * the invoice it settles, as the fixture writers do with byReference).
 * The formatting is the fixture writers' own; only the data is mapped here.
 */
const LEDGER_FORMATS = {
  'sage-pnm': {
    encoding: SAGE_PNM_ENCODING,
    eol: SAGE_PNM_EOL,
    head: (tiers) => [
      ...SAGE_PNM_HEAD,
      ...[...tiers].filter(([, t]) => t.customer).flatMap(([code, t]) =>
        sagePnmTiers({ code, name: t.name, address: { street: '', complement: '', postcode: '', city: '' }, phone: '', emails: [], excluded: false })),
    ],
    entry: (lines) => lines.flatMap(sagePnmEntry),
    tail: SAGE_PNM_TAIL,
  },
  quadra: {
    encoding: QUADRA_ENCODING,
    eol: QUADRA_EOL,
    head: (tiers) => [...tiers].map(([code, t]) => quadraAccount(code, t.name, t.customer ? '41100000' : '40100000', t.customer ? 'C' : 'F')),
    // Quadra's piece holds 10 characters: the FEC's references are shortened to fit.
    entry: (lines) => lines.map((l) => quadraEntry({ ...l, pieceRef: quadraPiece(l.pieceRef) })),
    tail: [],
  },
  ebp: { encoding: EBP_ENCODING, eol: EBP_EOL, byReference: true, head: () => [], entry: (lines) => lines.map(ebpLine), tail: [] },
  'cegid-tra': {
    encoding: CEGID_TRA_ENCODING,
    byReference: true,
    eol: CEGID_TRA_EOL,
    head: () => [cegidTraHead()],
    entry: (lines) => {
      const nature = cegidTraNature(lines[0].journal, lines);
      return lines.map((l) => cegidTraLine({ ...l, nature, mode: isCustomerLine(l) && l.credit > 0 ? modeOf(l.label) : '' }));
    },
    tail: [],
  },
};
export const LEDGER_FORMAT_IDS = Object.keys(LEDGER_FORMATS);

/** FA2026-0001234 -> FA261234 (century and leading zeros dropped), else the last 10 characters without dashes. */
function quadraPiece(ref) {
  const short = ref.replace(/^([A-Z]+)20(\d\d)-0*(?=\d)/, '$1$2');
  return short.length <= 10 ? short : short.replace(/-/g, '').slice(-10);
}

/** The payment mode of a receipt, from the FEC's label (« Vir. SEPA … »). */
const MODE_OF_LABEL = [['Vir.', 'Virement'], ['Chèque', 'Chèque'], ['LCR', 'LCR'], ['Prélèvement', 'Prélèvement']];
const modeOf = (label) => MODE_OF_LABEL.find(([start]) => label.startsWith(start))?.[1] ?? '';

// CP850 has no œ nor typographic quotes: the names that hold them are written as a DOS export would.
const NOT_CP850 = { 'œ': 'oe', 'Œ': 'OE', '’': "'", '“': '"', '”': '"', '–': '-', '—': '-', '…': '...' };
const NOT_CP850_RANGE = /[œŒ’“”–—…]/g;
const fitFor = (encoding) => (encoding === 'cp850' ? (text) => text.replace(NOT_CP850_RANGE, (ch) => NOT_CP850[ch]) : (text) => text);

/** AAAAMMJJ -> AAAA-MM-JJ. */
const isoOf = (fecDay) => `${fecDay.slice(0, 4)}-${fecDay.slice(4, 6)}-${fecDay.slice(6, 8)}`;
/** Cents of a FEC amount (`1234,56`, as generateFec writes it). */
const centsOf = (text) => Number(text.replace(',', ''));
/** Days between an invoice and its due date in the converted files (the FEC has no due dates). */
const DUE_DAYS = 30;

/** The FEC's entry lines, each split into its fields (the header skipped), streaming. */
async function* fecRows(fecFile) {
  const lines = createInterface({ input: createReadStream(fecFile, { encoding: 'utf8' }), crlfDelay: Infinity });
  let header = true;
  for await (const text of lines) {
    if (header) {
      header = false;
      continue;
    }
    if (text !== '') yield text.split('\t');
  }
}

/**
 * Writes the content of a FEC from generateFec (the same seed: `fecFile` when given,
 * else one generated beside `file` and removed) in a native ledger format, streaming:
 * a first pass collects the tiers accounts (the Sage and Quadra heads describe them),
 * the second converts the FEC entry by entry through the fixture writers' formatters
 * (fixtures/lib/ledgers/). Customer debits get a due date 30 days after their piece;
 * in EBP and Cegid TRA a lettered payment carries its invoice's number.
 * Returns { lines, bytes, dataLines (customer lines), entryLines, headerLine }.
 */
export async function generateLedger(format, file, lines, fecFile = null) {
  const spec = LEDGER_FORMATS[format];
  if (!spec) throw new Error(`unknown ledger format ${format}`);
  const source = fecFile ?? `${file}.fec`;
  if (fecFile === null) await generateFec(source, lines);
  try {
    const fit = fitFor(spec.encoding);
    const tiers = new Map(); // code -> { name, customer }
    for await (const f of fecRows(source)) {
      if (f[6] !== '' && !tiers.has(f[6])) tiers.set(f[6], { name: fit(f[7]), customer: f[4].startsWith('411') });
    }
    const out = new Output(file, (text) => encode(text, spec.encoding), spec.eol);
    for (const t of spec.head(tiers)) out.line(t);
    let entry = [];
    let entryKey = '';
    let entryLines = 0;
    let customerLines = 0;
    // byReference: the lettered invoices not yet paid, client + letter -> invoice number.
    const invoiceOf = new Map();
    const flush = async () => {
      if (entry.length === 0) return;
      let full = false;
      for (const t of spec.entry(entry)) full = out.line(t) || full;
      entry = [];
      if (full) await out.flush();
    };
    for await (const f of fecRows(source)) {
      const [journal, , entryNum, date, account, , aux, auxName, pieceRef, pieceDate, label, debitText, creditText, letter] = f;
      const key = `${journal}\u0001${entryNum}\u0001${date}`;
      if (key !== entryKey) {
        await flush();
        entryKey = key;
      }
      const debit = centsOf(debitText);
      const line = {
        journal, date: isoOf(date), entryNum: Number(entryNum), pieceRef, pieceDate: isoOf(pieceDate), account, aux, auxName: fit(auxName),
        label: fit(label), debit, credit: centsOf(creditText), dueDate: null, letter, opening: journal === 'AN',
      };
      if (isCustomerLine(line)) {
        customerLines++;
        if (debit > 0) line.dueDate = isoOf(fecDate(dayOf(line.pieceDate) + DUE_DAYS));
        if (spec.byReference && letter !== '') {
          const key = `${aux}\u0001${letter}`;
          if (debit > 0) invoiceOf.set(key, pieceRef);
          else if (invoiceOf.has(key)) {
            line.pieceRef = invoiceOf.get(key);
            invoiceOf.delete(key);
          }
        }
      }
      entry.push(line);
      entryLines++;
    }
    await flush();
    for (const t of spec.tail) out.line(t);
    const done = await out.close();
    if (entryLines !== lines) throw new Error(`${format} generator: ${entryLines} entry lines converted instead of ${lines}`);
    return { ...done, dataLines: customerLines, entryLines, headerLine: 0 };
  } finally {
    if (fecFile === null) rmSync(source, { force: true });
  }
}

// ---------------------------------------------------------------------------

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [kind, file, n] = process.argv.slice(2);
  const ledger = LEDGER_FORMAT_IDS.includes(kind) ? (f, l) => generateLedger(kind, f, l) : null;
  const gen = ledger ?? { balance: generateBalance, fec: generateFec, payments: generatePayments }[kind];
  if (!gen || !file) {
    console.error(`usage: node test/bench/generate.mjs balance|fec|payments|${LEDGER_FORMAT_IDS.join('|')} <file> [lines]`);
    process.exit(2);
  }
  const lines = Number(n ?? (ledger ? 500_000 : { balance: 1_000_000, fec: 2_000_000, payments: 2_000_000 }[kind]));
  const t0 = performance.now();
  const r = await gen(file, lines);
  console.log(JSON.stringify({ ...r, seconds: +((performance.now() - t0) / 1000).toFixed(2) }));
}
