/**
 * A generated company for the sending simulation (issue 11): about thirty clients, each
 * with a payment behaviour, invoices issued month after month, payments made (or not)
 * as the behaviour says, and the exports of any day in the Sage 100 shapes the readers
 * accept (aged balance with client subtotals and a grand total, payments list, clients
 * list, each titled « Date de tirage : JJ/MM/AAAA »).
 *
 * Deterministic: the same seed gives the same company. The only input from outside is
 * what the clients received: a client who pays after the second reminder waits for it
 * (`react`). The truth of any day (`positionOn`) is computed here, independently of
 * relance: open invoices, unapplied credits allocated oldest due date first, overdue.
 */

/** An ISO calendar date, AAAA-MM-JJ. */
export type Day = string;

/** How a client pays. */
export type Behaviour = 'ponctuel' | 'retard' | 'partiel' | 'jamais' | 'apres_relance2';

/** What each behaviour means, for failure messages. */
export const BEHAVIOUR_LABELS: Record<Behaviour, string> = {
  ponctuel: "pays on time",
  retard: 'pays late',
  partiel: 'pays part, unapplied',
  jamais: 'stopped paying',
  apres_relance2: 'pays in full after the 2nd reminder',
};

export interface SimClient {
  code: string;
  name: string;
  behaviour: Behaviour;
  emails: string[];
  terms: '30 jours' | '45 jours fin de mois' | '60 jours' | 'À réception';
  type: 'B2B' | 'B2C';
  rep: { name: string; email: string };
  street: string;
  postcode: string;
  city: string;
  phone: string;
  mode: string;
}

export interface SimInvoice {
  ref: string;
  clientCode: string;
  docDate: Day;
  dueDate: Day;
  amountCents: number;
  label: string;
}

/** A payment: lettered to the invoices it settles in full, or unapplied (`settles` empty). */
export interface SimPayment {
  ref: string;
  clientCode: string;
  date: Day;
  amountCents: number;
  settles: string[];
}

/** An open invoice of a client on a day, after allocation of the unapplied credits. */
export interface OpenInvoice {
  ref: string;
  dueDate: Day;
  /** What the books show open. */
  statementCents: number;
  /** What is still owed once unapplied credits are allocated, oldest due date first. */
  openCents: number;
  /** Days past the due date (≤ 0: not yet due). */
  daysLate: number;
}

/** A client's position on a day. */
export interface Position {
  balanceCents: number;
  unappliedCents: number;
  invoices: OpenInvoice[];
  /** Invoices still owed after allocation whose due date has passed. */
  overdue: OpenInvoice[];
}

/** What the company needs to know of a message sent to one of its clients. */
export interface Received {
  id: number;
  clientCode: string;
  step: string;
  actionDate: Day;
}

const COMPANY = 'Lumen Éclairage SAS';
const HISTORY_START: Day = '2026-01-05';

// ---------------------------------------------------------------------------
// Calendar

/** Adds n days to an ISO date. */
export function addDays(day: Day, n: number): Day {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** b − a in days. */
export function daysBetween(a: Day, b: Day): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Monday to Friday. */
export function isWorkingDay(day: Day): boolean {
  const w = new Date(`${day}T00:00:00Z`).getUTCDay();
  return w !== 0 && w !== 6;
}

function nextWorkingDay(day: Day): Day {
  let d = day;
  while (!isWorkingDay(d)) d = addDays(d, 1);
  return d;
}

function endOfMonth(day: Day): Day {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

function dueDateOf(docDate: Day, terms: SimClient['terms']): Day {
  switch (terms) {
    case '30 jours': return addDays(docDate, 30);
    case '60 jours': return addDays(docDate, 60);
    case '45 jours fin de mois': return endOfMonth(addDays(docDate, 45));
    case 'À réception': return docDate;
  }
}

/** JJ/MM/AAAA. */
export function frenchDate(day: Day): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

// ---------------------------------------------------------------------------
// Seeded randomness (mulberry32)

class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
}

// ---------------------------------------------------------------------------
// The clients

const TRADES = [
  'Boulangerie', 'Garage', 'Cabinet', 'Hôtel', 'Restaurant', 'Menuiserie', 'Pharmacie', 'Librairie', 'Atelier', 'Transports',
  'Brasserie', 'Imprimerie', 'Fromagerie', 'Clinique vétérinaire', 'Agence', 'Opticien', 'Salon', 'Domaine',
];
const SURNAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent',
  'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Mercier',
  'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller',
];
const FORMS = ['SARL', 'SAS', 'EURL', '& Fils', 'et Associés', 'SA'];
const STREETS = ['rue Victor Hugo', 'avenue Jean Jaurès', 'place Bellecour', 'rue de la République', 'quai Saint-Antoine', 'cours Lafayette', 'rue Mercière'];
const LABELS = ['Fourniture luminaires', 'Pose éclairage', 'Projecteurs LED', 'Maintenance annuelle', 'Dalles LED', 'Enseigne lumineuse', 'Suspensions', 'Éclairage extérieur'];
const REPS = [
  { name: 'Claire Mercier', email: 'claire.mercier@lumen-eclairage.example' },
  { name: 'Thomas Lambert', email: 'thomas.lambert@lumen-eclairage.example' },
  { name: 'Inès Moreau', email: 'ines.moreau@lumen-eclairage.example' },
];
const MODES = ['Virement', 'Chèque', 'LCR', 'Prélèvement'];

/** Behaviours in the order clients are generated (34 clients). */
const MIX: Behaviour[] = [
  ...Array<Behaviour>(9).fill('ponctuel'),
  ...Array<Behaviour>(7).fill('retard'),
  ...Array<Behaviour>(6).fill('partiel'),
  ...Array<Behaviour>(6).fill('jamais'),
  ...Array<Behaviour>(6).fill('apres_relance2'),
];

const CODE_PREFIX: Record<Behaviour, string> = { ponctuel: 'CPON', retard: 'CRET', partiel: 'CPAR', jamais: 'CJAM', apres_relance2: 'CAR2' };

function ascii(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** How one client pays, drawn once at generation so that nothing depends on call order later. */
interface Habit {
  /** Days after (or before, negative) the due date a lettered payment comes. */
  lateDays: number;
  /** `jamais`: invoices due from this day on are never paid. */
  stopsFrom: Day;
  /** `apres_relance2`: working days between the second reminder and the payment. */
  reactionDays: number;
}

/** The generated company. */
export class SimCompany {
  readonly name = COMPANY;
  readonly clients: SimClient[] = [];
  readonly invoices: SimInvoice[] = [];
  readonly payments: SimPayment[] = [];
  private readonly habits = new Map<string, Habit>();
  private readonly reacted = new Set<number>();
  private reactiveNumber = 9000;

  /** Generates the clients, their invoices up to `until`, and every payment that does not wait for a reminder. */
  constructor(seed: number, readonly until: Day) {
    const rnd = new Random(seed);
    const counters = new Map<Behaviour, number>();
    const usedNames = new Set<string>();
    for (const [i, behaviour] of MIX.entries()) {
      const n = (counters.get(behaviour) ?? 0) + 1;
      counters.set(behaviour, n);
      let name = '';
      do name = `${rnd.pick(TRADES)} ${rnd.pick(SURNAMES)} ${rnd.pick(FORMS)}`; while (usedNames.has(name));
      usedNames.add(name);
      const code = `${CODE_PREFIX[behaviour]}${String(n).padStart(2, '0')}`;
      // Two clients have no e-mail (their reminders are letters), one is a consumer.
      const emails = i === 5 || i === 25 ? [] : i % 7 === 3 ? [`compta@${ascii(name)}.example`, `direction@${ascii(name)}.example`] : [`compta@${ascii(name)}.example`];
      const type = i === 12 ? 'B2C' : 'B2B';
      const terms: SimClient['terms'] = type === 'B2C' ? 'À réception' : rnd.pick(['30 jours', '30 jours', '30 jours', '45 jours fin de mois', '60 jours'] as const);
      this.clients.push({
        code, name: type === 'B2C' ? `M. Julien ${rnd.pick(SURNAMES)}` : name, behaviour, emails, terms, type, rep: rnd.pick(REPS),
        street: `${rnd.int(1, 180)} ${rnd.pick(STREETS)}`, postcode: `690${String(rnd.int(1, 9)).padStart(2, '0')}`, city: 'Lyon',
        phone: `04 65 71 ${String(rnd.int(10, 99))} ${String(rnd.int(10, 99))}`, mode: rnd.pick(MODES),
      });
      this.habits.set(code, {
        lateDays: behaviour === 'ponctuel' ? -rnd.int(0, 3) : behaviour === 'retard' ? rnd.int(12, 32) : rnd.int(15, 25),
        stopsFrom: addDays('2026-05-15', rnd.int(0, 60)),
        reactionDays: rnd.int(2, 5),
      });
    }
    this.clients.sort((a, b) => (a.code < b.code ? -1 : 1));

    // Invoices: every three to six weeks per client, from January to the end of the run.
    const drafts: Omit<SimInvoice, 'ref'>[] = [];
    for (const c of this.clients) {
      let doc = nextWorkingDay(addDays(HISTORY_START, rnd.int(0, 20)));
      while (doc <= until) {
        const ht = Math.round(Math.exp(Math.log(250) + rnd.next() * (Math.log(12_000) - Math.log(250)))) * 100;
        drafts.push({ clientCode: c.code, docDate: doc, dueDate: dueDateOf(doc, c.terms), amountCents: Math.round(ht * 1.2), label: rnd.pick(LABELS) });
        doc = nextWorkingDay(addDays(doc, rnd.int(18, 42)));
      }
    }
    drafts.sort((a, b) => (a.docDate < b.docDate ? -1 : a.docDate > b.docDate ? 1 : a.clientCode < b.clientCode ? -1 : 1));
    drafts.forEach((d, i) => this.invoices.push({ ...d, ref: `FA2026-${String(i + 1).padStart(4, '0')}` }));

    // Payments that do not wait for a reminder.
    const planned: Omit<SimPayment, 'ref'>[] = [];
    for (const inv of this.invoices) {
      const c = this.client(inv.clientCode);
      const h = this.habits.get(c.code)!;
      const lettered = (late: number) => {
        let date = nextWorkingDay(addDays(inv.dueDate, late));
        if (date < inv.docDate) date = nextWorkingDay(inv.docDate);
        planned.push({ clientCode: c.code, date, amountCents: inv.amountCents, settles: [inv.ref] });
      };
      switch (c.behaviour) {
        case 'ponctuel':
        case 'retard':
          lettered(h.lateDays + rnd.int(-2, 2));
          break;
        case 'jamais':
          if (inv.dueDate < h.stopsFrom) lettered(h.lateDays + rnd.int(-3, 3));
          break;
        case 'apres_relance2':
          if (inv.dueDate < '2026-07-15') lettered(h.lateDays + rnd.int(-3, 3));
          break;
        case 'partiel':
          if (inv.dueDate < '2026-07-01') lettered(rnd.int(5, 12));
          else {
            // Round sums on account, never lettered: negative lines in the balance.
            const share = rnd.int(30, 60) / 100;
            planned.push({ clientCode: c.code, date: nextWorkingDay(addDays(inv.dueDate, rnd.int(8, 18))), amountCents: Math.round((inv.amountCents * share) / 1000) * 1000, settles: [] });
            if (rnd.next() < 0.5) {
              planned.push({ clientCode: c.code, date: nextWorkingDay(addDays(inv.dueDate, rnd.int(30, 45))), amountCents: Math.round((inv.amountCents * 0.2) / 1000) * 1000, settles: [] });
            }
          }
          break;
      }
    }
    planned.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.clientCode < b.clientCode ? -1 : a.amountCents - b.amountCents));
    planned.forEach((p, i) => this.payments.push({ ...p, ref: `RG2026-${String(i + 1).padStart(4, '0')}` }));
  }

  client(code: string): SimClient {
    const c = this.clients.find((x) => x.code === code);
    if (!c) throw new Error(`unknown client ${code}`);
    return c;
  }

  /**
   * Tells the company what its clients received. A client who pays after the second
   * reminder pays, a few working days after any reminder from relance2 on, every invoice
   * due by then; once per such message, and not while a payment is already on its way.
   */
  react(received: Received[]): void {
    for (const r of received) {
      if (this.reacted.has(r.id)) continue;
      this.reacted.add(r.id);
      const c = this.clients.find((x) => x.code === r.clientCode);
      if (!c || c.behaviour !== 'apres_relance2' || !['relance2', 'escalade', 'mise_en_demeure', 'contentieux'].includes(r.step)) continue;
      if (this.payments.some((p) => p.clientCode === c.code && p.date > r.actionDate)) continue;
      let date = r.actionDate;
      for (let k = 0; k < this.habits.get(c.code)!.reactionDays; k++) date = nextWorkingDay(addDays(date, 1));
      const due = this.positionOn(c.code, date).invoices.filter((i) => i.dueDate <= date && i.statementCents > 0);
      if (due.length === 0) continue;
      this.payments.push({
        ref: `RG2026-${++this.reactiveNumber}`, clientCode: c.code, date,
        amountCents: due.reduce((s, i) => s + i.statementCents, 0), settles: due.map((i) => i.ref),
      });
    }
  }

  /** A client's position at the end of a day: what the books show, and after allocation. */
  positionOn(code: string, day: Day): Position {
    const settled = new Set<string>();
    let unapplied = 0;
    for (const p of this.payments) {
      if (p.clientCode !== code || p.date > day) continue;
      if (p.settles.length === 0) unapplied += p.amountCents;
      for (const ref of p.settles) settled.add(ref);
    }
    const open = this.invoices
      .filter((i) => i.clientCode === code && i.docDate <= day && !settled.has(i.ref))
      .sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.docDate < b.docDate ? -1 : a.docDate > b.docDate ? 1 : a.ref < b.ref ? -1 : 1));
    let credit = unapplied;
    const invoices = open.map((i) => {
      const applied = Math.min(credit, i.amountCents);
      credit -= applied;
      return { ref: i.ref, dueDate: i.dueDate, statementCents: i.amountCents, openCents: i.amountCents - applied, daysLate: daysBetween(i.dueDate, day) };
    });
    const balance = open.reduce((s, i) => s + i.amountCents, 0) - unapplied;
    return { balanceCents: balance, unappliedCents: unapplied, invoices, overdue: invoices.filter((i) => i.openCents > 0 && i.daysLate > 0) };
  }

  /** The three exports of a day, as Sage 100 prints them: Windows-1252 (here Latin-1 only), ';', CRLF. */
  exportsOn(day: Day): Record<'balance.csv' | 'reglements.csv' | 'clients.csv', Buffer> {
    const drawn = `Date de tirage : ${frenchDate(day)}`;
    const buckets = ['Non échu', '0 à 30 j', '31 à 60 j', '61 à 90 j', '+ de 90 j'];
    const bucketOf = (due: Day) => {
      const late = daysBetween(due, day);
      return late <= 0 ? 0 : late <= 30 ? 1 : late <= 60 ? 2 : late <= 90 ? 3 : 4;
    };

    // Aged balance: open invoices and unapplied payments, a subtotal per client, a grand total.
    type Line = { due: Day; amount: number; open: number };
    const cells = (lines: Line[]) => {
      const b = [0, 0, 0, 0, 0];
      for (const l of lines) b[bucketOf(l.due)]! += l.open;
      return [amount(lines.reduce((s, l) => s + l.amount, 0)), amount(lines.reduce((s, l) => s + l.open, 0)), ...b.map((x, k) => (lines.some((l) => bucketOf(l.due) === k) ? amount(x) : ''))];
    };
    const balance: string[][] = [[COMPANY], ['Échéancier clients'], [drawn], [`Période du 01/01/2025 au ${frenchDate(day)}`], []];
    balance.push(['N° compte tiers', 'Intitulé', 'N° pièce', 'Date pièce', 'Échéance', 'Libellé', 'Montant', 'Solde', ...buckets]);
    const all: Line[] = [];
    for (const c of this.clients) {
      const settled = new Set(this.payments.filter((p) => p.clientCode === c.code && p.date <= day).flatMap((p) => p.settles));
      const rows: { cells: string[]; line: Line }[] = [];
      for (const i of this.invoices) {
        if (i.clientCode !== c.code || i.docDate > day || settled.has(i.ref)) continue;
        const line = { due: i.dueDate, amount: i.amountCents, open: i.amountCents };
        rows.push({ line, cells: [c.code, c.name, i.ref, frenchDate(i.docDate), frenchDate(i.dueDate), i.label, ...cells([line])] });
      }
      for (const p of this.payments) {
        if (p.clientCode !== c.code || p.date > day || p.settles.length > 0) continue;
        const line = { due: p.date, amount: -p.amountCents, open: -p.amountCents };
        rows.push({ line, cells: [c.code, c.name, p.ref, frenchDate(p.date), frenchDate(p.date), 'Règlement non affecté', ...cells([line])] });
      }
      if (rows.length === 0) continue;
      for (const r of rows) balance.push(r.cells);
      balance.push([`Total ${c.code}`, '', '', '', '', '', ...cells(rows.map((r) => r.line))]);
      all.push(...rows.map((r) => r.line));
    }
    balance.push(['Total général', '', '', '', '', '', ...cells(all)]);

    // Payments of the year: one line per (payment, invoice), the unapplied ones without a ref.
    const invoice = new Map(this.invoices.map((i) => [i.ref, i]));
    const reglements: string[][] = [[COMPANY], ['Règlements clients'], [drawn], [`Période du 01/01/2026 au ${frenchDate(day)}`], []];
    reglements.push(['N° compte tiers', 'Intitulé', 'Date', 'N° pièce', 'Mode de règlement', 'Montant', 'Pièces réglées', 'Date facture', 'Échéance facture']);
    let paid = 0;
    for (const p of [...this.payments].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.ref < b.ref ? -1 : 1))) {
      if (p.date > day) continue;
      const c = this.client(p.clientCode);
      if (p.settles.length === 0) reglements.push([c.code, c.name, frenchDate(p.date), p.ref, c.mode, amount(p.amountCents), '', '', '']);
      for (const ref of p.settles) {
        const i = invoice.get(ref)!;
        reglements.push([c.code, c.name, frenchDate(p.date), p.ref, c.mode, amount(i.amountCents), i.ref, frenchDate(i.docDate), frenchDate(i.dueDate)]);
      }
      paid += p.amountCents;
    }
    reglements.push(['Total général', '', '', '', '', amount(paid), '', '', '']);

    const clients: string[][] = [[COMPANY], ['Liste des clients'], [drawn], []];
    clients.push(['N° compte tiers', 'Intitulé', 'Adresse', 'Complément', 'Code postal', 'Ville', 'E-mail', 'Téléphone', 'Représentant', 'E-mail représentant', 'Conditions de règlement', 'Type', 'Exclu des relances', "Motif d'exclusion"]);
    for (const c of this.clients) {
      clients.push([c.code, c.name, c.street, '', c.postcode, c.city, c.emails.join(';'), c.phone, c.rep.name, c.rep.email, c.terms, c.type === 'B2C' ? 'Particulier' : 'Professionnel', 'Non', '']);
    }
    return { 'balance.csv': sageFile(balance), 'reglements.csv': sageFile(reglements), 'clients.csv': sageFile(clients) };
  }
}

/** 1 234,56 with a no-break space, as Sage 100 prints it; negative with a leading minus. */
function amount(cents: number): string {
  const abs = Math.abs(cents);
  const units = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${cents < 0 ? '-' : ''}${units},${String(abs % 100).padStart(2, '0')}`;
}

/** ';'-separated, quoted only when needed, CRLF, in Latin-1 (a subset of Windows-1252: no € or œ is written). */
function sageFile(rows: string[][]): Buffer {
  const text = rows.map((r) => r.map((f) => (/[;"\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(';')).join('\r\n') + '\r\n';
  if (/[^\u0000-\u00ff]/.test(text)) throw new Error(`a character outside Latin-1 in an export: ${text.match(/[^\u0000-\u00ff]/)![0]}`);
  return Buffer.from(text, 'latin1');
}
