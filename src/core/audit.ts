import { addDays, daysBetween, endOfMonth, formatDateFr, type CalendarDate } from './dates.js';
import { formatEuros } from './money.js';
import type { Client, OpenItem, Payment } from './records.js';
import { finding, type Finding, type Severity } from '../errors.js';

/** What the audit looks at: the records and, per file, the date its export was made. */
export interface AuditInput {
  asOf: CalendarDate;
  openItems: OpenItem[];
  payments: Payment[];
  clients: Client[];
  /** Clients files were given: a client missing from them is worth a warning. */
  hasClientsFile: boolean;
  exports: { file: string; exportDate: CalendarDate | null; fec: boolean }[];
  maxExportAgeDays: number;
}

/**
 * Audits the data the way a careful accountant would before trusting it: duplicates,
 * impossible dates and amounts, credits left unapplied, clients who cannot be reached,
 * due dates beyond the legal maximum, payments that settle nothing known, stale exports.
 */
export function auditRecords(input: AuditInput): Finding[] {
  const out: Finding[] = [];
  const at = (s: { file: string; line: number }) => ({ file: s.file, line: s.line });

  // Within one file; the same ref in two files is crossFileCheck's (src/core/crossfile.ts).
  const byRef = new Map<string, OpenItem[]>();
  for (const item of input.openItems) {
    const key = `${item.source.file}\u0000${item.ref}`;
    const list = byRef.get(key);
    if (list) list.push(item);
    else byRef.set(key, [item]);
  }
  for (const items of byRef.values()) {
    if (items.length < 2 || items.every((i) => i.source.line === items[0]!.source.line)) continue;
    const first = items[0]!;
    const ref = first.ref;
    const others = items.slice(1).map((i) => `ligne ${i.source.line}`);
    out.push(finding('avertissement', 'ref-en-double', { ...at(first.source), column: null, value: ref },
      `la pièce « ${ref} » apparaît ${items.length} fois (aussi ${others.join(', ')})`,
      'une facture ne doit figurer qu\'une fois : vérifiez l\'export (doublon, ou numérotation réutilisée)'));
  }

  const clients = new Map(input.clients.map((c) => [c.clientCode, c]));
  for (const item of input.openItems) {
    if (item.docDate && item.dueDate && !item.dueDateDerived && item.dueDate < item.docDate) {
      out.push(finding('avertissement', 'echeance-avant-piece', { ...at(item.source), value: item.ref },
        `la pièce « ${item.ref} » échoit le ${formatDateFr(item.dueDate)}, avant sa date du ${formatDateFr(item.docDate)}`,
        'corrigez la date d\'échéance dans le logiciel'));
    }
    if (Math.sign(item.openCents) === Math.sign(item.originalCents) && Math.abs(item.openCents) > Math.abs(item.originalCents)) {
      out.push(finding('avertissement', 'solde-superieur-montant', { ...at(item.source), value: item.ref },
        `le reste dû de « ${item.ref} » (${formatEuros(item.openCents)}) dépasse son montant (${formatEuros(item.originalCents)})`,
        'vérifiez les colonnes Montant et Solde de l\'export'));
    }
    const consumer = clients.get(item.clientCode)?.consumer ?? false;
    if (item.docDate && item.dueDate && !item.dueDateDerived && !consumer && item.openCents > 0) {
      const limit = [addDays(item.docDate, 60), endOfMonth(addDays(item.docDate, 45)), addDays(endOfMonth(item.docDate), 45)].sort().at(-1)!;
      if (item.dueDate > limit) {
        out.push(finding('avertissement', 'echeance-hors-delai-legal', { ...at(item.source), value: item.ref },
          `la pièce « ${item.ref} » du ${formatDateFr(item.docDate)} échoit le ${formatDateFr(item.dueDate)}, au-delà du délai légal (60 jours date de facture ou 45 jours fin de mois, art. L441-10 du Code de commerce)`,
          'un délai plus long expose à une amende administrative : vérifiez les conditions de règlement du client'));
      }
    }
    if (input.hasClientsFile && !clients.has(item.clientCode)) {
      out.push(finding('avertissement', 'client-inconnu', { ...at(item.source), value: item.clientCode },
        `le client « ${item.clientCode} » de la pièce « ${item.ref} » n'est pas dans le fichier clients`,
        'ré-exportez le fichier clients complet, ou ajoutez ce client'));
    }
  }

  const balance = new Map<string, { debit: number; credit: number; firstCredit: OpenItem | null }>();
  for (const item of input.openItems) {
    const b = balance.get(item.clientCode) ?? { debit: 0, credit: 0, firstCredit: null };
    if (item.openCents > 0) b.debit += item.openCents;
    else if (item.openCents < 0) {
      // A line left at 0,00 € (a balance export may print one) is no credit to point at.
      b.credit -= item.openCents;
      b.firstCredit ??= item;
    }
    balance.set(item.clientCode, b);
  }
  for (const [code, b] of balance) {
    if (b.credit > 0 && b.debit > 0 && b.firstCredit) {
      out.push(finding('avertissement', 'avoir-non-impute', { ...at(b.firstCredit.source), value: code },
        `le client ${code} a ${formatEuros(b.credit)} d'avoirs ou de règlements non imputés alors qu'il doit ${formatEuros(b.debit)}`,
        'lettrez l\'avoir ou le règlement avec les factures qu\'il solde avant de relancer'));
    }
  }

  const owing = new Set(input.openItems.filter((i) => i.openCents > 0).map((i) => i.clientCode));
  for (const c of input.clients) {
    if (c.emails.length === 0) {
      out.push(finding(owing.has(c.clientCode) ? 'avertissement' : 'info', 'client-sans-email', { ...at(c.source), value: c.clientCode },
        `le client ${c.clientCode} (${c.clientName}) n'a pas d'adresse e-mail : ses relances iront par courrier ou téléphone`,
        'renseignez l\'e-mail de facturation dans la fiche client'));
    }
  }

  const openRefs = new Map(input.openItems.map((i) => [i.ref, i]));
  for (const p of input.payments) {
    if (p.refs.length === 0) {
      out.push(finding('avertissement', 'reglement-sans-facture', { ...at(p.source), value: formatEuros(p.amountCents) },
        `le règlement de ${formatEuros(p.amountCents)} du ${formatDateFr(p.date)} (client ${p.clientCode}) ne désigne aucune facture`,
        'lettrez le règlement avec les factures qu\'il solde'));
      continue;
    }
    for (const ref of p.refs) {
      const open = openRefs.get(ref);
      if (open && open.openCents === open.originalCents && open.openCents > 0 && p.date >= (open.docDate ?? '')) {
        out.push(finding('avertissement', 'reglement-facture-ouverte', { ...at(p.source), value: ref },
          `le règlement du ${formatDateFr(p.date)} désigne la facture « ${ref} », encore entièrement due dans la balance (ligne ${open.source.line})`,
          'lettrez le règlement : sans cela le client serait relancé pour une facture payée'));
      }
    }
  }

  const derived = new Map<string, number>();
  for (const item of input.openItems) if (item.dueDateDerived) derived.set(item.source.file, (derived.get(item.source.file) ?? 0) + 1);
  for (const [file, n] of derived) {
    out.push(finding('info', 'echeance-calculee', { file }, `${n} échéance${n > 1 ? 's' : ''} absente${n > 1 ? 's' : ''} du fichier, calculée${n > 1 ? 's' : ''} à partir des conditions de règlement`,
      'pour des échéances exactes, exportez la colonne de date d\'échéance (DateLimitReglmt dans le FEC)'));
  }
  for (const item of input.openItems) {
    if (item.dueDate === null) {
      out.push(finding('avertissement', 'echeance-inconnue', { ...at(item.source), value: item.ref },
        `la pièce « ${item.ref} » n'a ni échéance ni date de pièce : son retard ne peut pas être calculé`,
        'exportez la date de pièce ou la date d\'échéance'));
    }
  }

  for (const e of input.exports) {
    if (e.exportDate === null) continue;
    const age = daysBetween(e.exportDate, input.asOf);
    if (age > input.maxExportAgeDays) {
      out.push(finding('avertissement', 'export-ancien', { file: e.file, value: formatDateFr(e.exportDate) },
        `${e.fec ? 'la dernière écriture date' : 'l\'export date'} du ${formatDateFr(e.exportDate)}, ${age} jours avant la date d'arrêté du ${formatDateFr(input.asOf)}`,
        `ré-exportez les données du jour (au-delà de ${input.maxExportAgeDays} jours, \`relance send\` refusera d'envoyer ; réglable par maxExportAgeDays)`));
    } else if (age < 0) {
      out.push(finding('info', 'export-posterieur', { file: e.file, value: formatDateFr(e.exportDate) },
        `l'export date du ${formatDateFr(e.exportDate)}, après la date d'arrêté du ${formatDateFr(input.asOf)}`, null));
    }
  }
  return sortFindings(out);
}

/** What `warningsBeforeActing` looks at: the records read, each file's export date, the unapplied payments per client. */
export interface ActingInput {
  asOf: CalendarDate;
  openItems: OpenItem[];
  clients: Client[];
  reports: { file: string; exportDate: CalendarDate | null; format: string }[];
  unapplied: Map<string, { count: number; cents: number }>;
  maxExportAgeDays: number;
  /** The readers' and cross-file findings: a payments file from another company is said first. */
  findings?: Finding[];
}

const LISTED = 3;

/**
 * The warnings `plan` and `send` print before acting, in two lines at most: a payments
 * file from another company, stale exports, clients who owe without an e-mail, payments
 * and credits not applied (a client chased for money already paid). Counts, and at most
 * three clients each; `check` has the detail. Empty when there is nothing to say.
 */
export function warningsBeforeActing(input: ActingInput): string[] {
  // Of consecutive fiscal years, only the latest FEC says how fresh the data is.
  const lastFec = input.reports.filter((r) => r.format === 'fec').reduce<string | null>((d, r) => (r.exportDate !== null && (d === null || r.exportDate > d) ? r.exportDate : d), null);
  const exports = input.reports
    .filter((r) => r.format !== 'fec' || r.exportDate === lastFec)
    .map((r) => ({ file: r.file, exportDate: r.exportDate, fec: r.format === 'fec' }));
  const findings = auditRecords({ ...input, exports, payments: [], hasClientsFile: false });
  const parts: string[] = [];

  for (const f of input.findings ?? []) if (f.code === 'reglements-autre-societe') parts.push(`${f.file} semble venir d'une autre société`);

  const stale = exports
    .filter((e) => findings.some((f) => f.code === 'export-ancien' && f.file === e.file))
    .sort((a, b) => (a.exportDate! < b.exportDate! ? -1 : 1));
  if (stale.length > 0) {
    const oldest = stale[0]!;
    const date = formatDateFr(oldest.exportDate!);
    const age = daysBetween(oldest.exportDate!, input.asOf);
    if (stale.length === 1) parts.push(oldest.fec ? `dernière écriture le ${date}, il y a ${age} jours` : `export du ${date}, vieux de ${age} jours`);
    else if (stale.every((e) => e.exportDate === oldest.exportDate)) parts.push(`${stale.length} exports du ${date}, vieux de ${age} jours`);
    else parts.push(`${stale.length} exports anciens, le plus vieux du ${date} (${age} jours)`);
  }

  const noEmail = findings.filter((f) => f.code === 'client-sans-email' && f.severity === 'avertissement').map((f) => f.value!);
  if (noEmail.length > 0) parts.push(`${noEmail.length} client${noEmail.length > 1 ? 's' : ''} sans e-mail : ${listed(noEmail)}`);

  // One sum per client: an unapplied payment usually is the balance's credit line too.
  const credits = new Map<string, number>();
  for (const f of findings) if (f.code === 'avoir-non-impute') credits.set(f.value!, 0);
  for (const item of input.openItems) if (item.openCents < 0 && credits.has(item.clientCode)) credits.set(item.clientCode, credits.get(item.clientCode)! - item.openCents);
  for (const [code, u] of input.unapplied) if (!credits.has(code)) credits.set(code, u.cents);
  if (credits.size > 0) {
    const byAmount = [...credits].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([code, cents]) => `${code} ${formatEuros(cents)}`);
    parts.push(`${credits.size} client${credits.size > 1 ? 's ont' : ' a'} des règlements ou avoirs non imputés (${listed(byAmount)})`);
  }

  if (parts.length === 0) return [];
  return [`attention : ${parts.join(' ; ')}.`, `conseil : relance check sur les mêmes fichiers donne le détail et la correction de chaque point.`];
}

/** At most three names, then how many more. */
function listed(names: string[]): string {
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown} et ${names.length - LISTED} autre${names.length - LISTED > 1 ? 's' : ''}` : shown;
}

const SEVERITY_ORDER: Record<Severity, number> = { erreur: 0, avertissement: 1, info: 2 };

/** Errors first, then by file, line and code: a stable order for output and tests. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.code.localeCompare(b.code),
  );
}

/** What `send` needs to know of the sender before any message leaves. */
export interface IdentityInput {
  company: { name: string; siren?: string; address: string[] };
  from: string | undefined;
  /** Whether a step due (escalade and later) prints the SIREN and the postal address. */
  needsLegal: boolean;
}

/** A piece of the sender's identity still missing: the config key and why it is needed. */
export interface IdentityGap {
  key: 'company.name' | 'company.siren' | 'company.address' | 'mail.from';
  message: string;
}

const PLACEHOLDER_NAME = 'Votre société';
const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>".]+$/;

/**
 * The sender's identity still missing or invalid: the company's name (missing or still
 * « Votre société »), `mail.from` as a valid address, and, when the steps due need them
 * (escalade and later name the creditor formally), the SIREN and the postal address.
 */
export function identityGaps(input: IdentityInput): IdentityGap[] {
  const out: IdentityGap[] = [];
  const name = input.company.name.trim();
  if (name === '' || name === PLACEHOLDER_NAME) {
    out.push({ key: 'company.name', message: name === '' ? `le nom de la société est vide` : `le nom de la société est encore « ${PLACEHOLDER_NAME} »` });
  }
  if (input.needsLegal && !input.company.siren) out.push({ key: 'company.siren', message: `le SIREN manque (il figure sur les relances à partir de l'escalade)` });
  if (input.needsLegal && input.company.address.every((l) => l.trim() === '')) {
    out.push({ key: 'company.address', message: `l'adresse postale manque (elle figure sur les relances à partir de l'escalade)` });
  }
  const from = input.from?.trim() ?? '';
  const address = /<([^>]*)>\s*$/.exec(from)?.[1]?.trim() ?? from;
  if (from === '') out.push({ key: 'mail.from', message: `l'expéditeur des e-mails n'est pas configuré` });
  else if (!ADDRESS.test(address)) out.push({ key: 'mail.from', message: `l'expéditeur « ${from} » n'est pas une adresse e-mail valide` });
  return out;
}

/** The findings `check` lists for the identity gaps (code `identite-incomplete`). */
export function identityFindings(gaps: IdentityGap[], file: string): Finding[] {
  return gaps.map((g) =>
    finding('avertissement', 'identite-incomplete', { file, column: g.key }, `${g.message} : relance send refusera d'envoyer.`, `renseignez ${g.key} dans la configuration.`),
  );
}
