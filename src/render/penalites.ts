/**
 * `relance penalites` as a table, CSV, and the data of the « relevé des pénalités de
 * retard » letter. Formatting only: every figure comes from the report (core/late-payments.ts).
 */
import { formatDateFr } from '../core/dates.js';
import type { ClientLatePenalties, LatePenaltiesReport } from '../core/late-payments.js';
import { formatEuros } from '../core/money.js';
import { percentFr, RECOVERY_INDEMNITY_CENTS } from '../core/penalties.js';
import { csvAsText, csvSchema } from './csv.js';
import { fitTable, fitText, painter, type Column, type Fit } from './table.js';

const BASIS_LABELS = { 'taux-bce': 'taux BCE + 10 points', 'taux-contractuel': 'taux contractuel', 'taux-legal': 'taux de l\'intérêt légal' } as const;

/** The rates of a receipt's half-years, « 12,15 % » or « 13,15 % puis 12,15 % ». */
function ratesOf(parts: { ratePercent: number }[]): string {
  const rates = [...new Set(parts.map((p) => p.ratePercent))];
  return rates.map(percentFr).join(' puis ');
}

/** The report as terminal text: one row per sum received late, clients' totals, then what is not stated and why. */
export function penalitesAsTable(report: LatePenaltiesReport, color: boolean, fit: Fit): string {
  const c = painter(color);
  const out: string[] = [];
  out.push(
    c.bold(`Pénalités de retard sur factures payées en retard, du ${formatDateFr(report.period.from)} au ${formatDateFr(report.period.to)}`) +
      ` (arrêté au ${formatDateFr(report.asOf)}, ${BASIS_LABELS[report.basis]}${report.contractualRatePercent != null ? ` ${percentFr(report.contractualRatePercent)}` : ''})`,
  );
  out.push(fitText('Entre professionnels : intérêts de retard dus de plein droit dès le lendemain de l\'échéance (art. L441-10 du Code de commerce) et indemnité forfaitaire de 40 € par facture payée en retard (art. D441-5).', fit));
  out.push('');
  if (report.clients.length === 0) out.push('Aucune facture payée en retard sur la période.');
  else {
    const columns: Column[] = [
      { head: 'Client', shorten: 'cut', min: 8, priority: 9 },
      { head: 'Facture', priority: 10 },
      { head: 'Échéance', priority: 7 },
      { head: 'Payée le', priority: 8 },
      { head: 'Jours', align: 'right', priority: 6 },
      { head: 'Payé en retard', align: 'right', priority: 5 },
      { head: 'Taux', shorten: 'wrap', priority: 2 },
      { head: 'Intérêts', align: 'right', priority: 10 },
      { head: 'Indemnité', align: 'right', priority: 10 },
      { head: 'Total', align: 'right', priority: 10 },
    ];
    const rows: string[][] = [];
    for (const cl of report.clients) {
      const name = `${cl.clientCode} ${cl.clientName}`.trim();
      cl.invoices.forEach((inv, i) => {
        inv.receipts.forEach((r, k) => {
          rows.push([
            i === 0 && k === 0 ? name : '',
            k === 0 ? inv.ref : '',
            k === 0 ? `${formatDateFr(inv.dueDate)}${inv.dueDateDerived ? ' (calculée)' : ''}` : '',
            formatDateFr(r.date),
            String(r.daysLate),
            r.cents === null ? 'inconnu' : formatEuros(r.cents),
            r.interestCents !== null && r.parts.length > 0 ? ratesOf(r.parts) : '',
            r.interestCents === null ? 'non calculé' : formatEuros(r.interestCents),
            k === 0 ? (inv.indemnityCents > 0 ? formatEuros(inv.indemnityCents) : '—') : '',
            k === inv.receipts.length - 1 ? formatEuros(inv.totalCents) : '',
          ]);
        });
      });
      rows.push(['', c.bold(`Total ${cl.clientCode}`), '', '', '', '', '', formatEuros(cl.interestCents), formatEuros(cl.indemnityCents), c.bold(formatEuros(cl.totalCents))]);
    }
    out.push(fitTable(columns, rows, fit));
    const t = report.totals;
    out.push(
      `${t.invoices} facture${t.invoices > 1 ? 's' : ''} payée${t.invoices > 1 ? 's' : ''} en retard, ${t.clients} client${t.clients > 1 ? 's' : ''} : ` +
        `intérêts ${formatEuros(t.interestCents)}, indemnités ${formatEuros(t.indemnityCents)}, total ${formatEuros(t.totalCents)} ; à réclamer (hors dispenses) : ${formatEuros(t.claimedCents)}.`,
    );
  }
  const said: string[] = [];
  const waived = new Map<string, string[]>();
  for (const cl of report.clients) if (cl.waived) waived.set(cl.waived, [...(waived.get(cl.waived) ?? []), cl.clientCode]);
  for (const [why, codes] of waived) said.push(`${codes.join(', ')} : pas de relevé, ${why}.`);
  for (const e of report.excluded) said.push(`${e.clientCode} ${e.refs.join(', ')} : pénalités écartées, ${e.why}.`);
  for (const cl of report.clients) {
    for (const inv of cl.invoices) {
      for (const r of inv.receipts) if (r.unstated) said.push(`${cl.clientCode} ${inv.ref} : ${r.unstated}.`);
      if (inv.indemnityWhy) said.push(`${cl.clientCode} ${inv.ref} : pas d'indemnité ici, ${inv.indemnityWhy}.`);
    }
  }
  for (const u of report.unknown) said.push(`${u.clientCode} ${u.refs.join(', ')} : non calculé, ${u.why}.`);
  for (const k of report.consumers) {
    said.push(`${k.clientCode} ${k.clientName} : consommateur, ${k.invoices} facture${k.invoices > 1 ? 's' : ''} payée${k.invoices > 1 ? 's' : ''} en retard ; ni pénalités L441-10 ni indemnité de 40 € (réservées aux professionnels), rien n'est compté.`);
  }
  for (const n of report.notes) said.push(`${n}.`);
  if (said.length > 0) {
    out.push('');
    out.push(c.bold('À savoir :'));
    for (const s of said) out.push(fitText(`- ${s}`, fit, '  '));
  }
  return `${out.join('\n')}\n`;
}

const CSV = csvSchema(
  ['clientCode', 'clientName', 'segment', 'ref', 'dueDate', 'dueDateDerived', 'paidOn', 'daysLate', 'paidLateCents', 'rates', 'interestCents', 'indemnityCents', 'unstated', 'waived'] as const,
  ['daysLate', 'paidLateCents', 'interestCents', 'indemnityCents'],
);

/** One row per sum received late; the indemnity on the invoice's first row; blank amounts when not stated. */
export function penalitesAsCsv(report: LatePenaltiesReport): string {
  const rows = report.clients.flatMap((cl) =>
    cl.invoices.flatMap((inv) =>
      inv.receipts.map((r, k) => [
        cl.clientCode, cl.clientName, cl.segment ?? '', inv.ref, inv.dueDate, inv.dueDateDerived ? 'oui' : 'non', r.date, r.daysLate,
        r.cents, r.interestCents === null ? '' : r.parts.map((p) => p.ratePercent).join(' '), r.interestCents, k === 0 ? inv.indemnityCents : 0, r.unstated ?? '', cl.waived ?? '',
      ]),
    ),
  );
  return csvAsText(CSV, rows);
}

/** What `releve_penalites.hbs` is filled from, for one client (besides the parties, the place and the date). */
export function lateStatementData(cl: ClientLatePenalties, report: LatePenaltiesReport) {
  const invoices = cl.invoices.map((inv) => ({
    ref: inv.ref,
    dueDate: inv.dueDate,
    dueDateDerived: inv.dueDateDerived,
    interestCents: inv.interestCents,
    indemnityCents: inv.indemnityCents,
    hasIndemnity: inv.indemnityCents > 0,
    totalCents: inv.totalCents,
    // A sum whose interest is not stated (amount unknown, rate missing) is told by its date only: nothing is asked for it.
    receipts: inv.receipts.map((r) => ({
      date: r.date, daysLate: r.daysLate, known: r.interestCents !== null, cents: r.cents ?? 0, interestCents: r.interestCents ?? 0,
      // Interest counted up to a date before the payment (the next half-year's rate is missing): said in the letter.
      partial: r.interestCents !== null && r.unstated !== null,
      interestUntil: r.parts.length > 0 ? r.parts[r.parts.length - 1]!.to : r.date,
      rates: ratesOf(r.parts), parts: r.parts.map((p) => ({ ...p })),
    })),
  }));
  const rates = [...new Set(cl.invoices.flatMap((i) => i.receipts.flatMap((r) => r.parts.map((p) => p.ratePercent))))];
  return {
    period: report.period,
    invoices: invoices.filter((i) => i.totalCents > 0),
    count: invoices.filter((i) => i.totalCents > 0).length,
    anyDueDateDerived: invoices.some((i) => i.totalCents > 0 && i.dueDateDerived),
    totals: { interestCents: cl.interestCents, indemnityCents: cl.indemnityCents, totalCents: cl.totalCents },
    indemnityUnitCents: RECOVERY_INDEMNITY_CENTS,
    penalties: {
      basis: cl.basis,
      bce: cl.basis === 'taux-bce',
      contractual: cl.basis === 'taux-contractuel',
      contractualRate: report.contractualRatePercent,
      rates,
      // The rate used for a half-year the table lacks (only with penalties.whenRateMissing: lastKnown).
      footnotes: cl.footnotes,
    },
  };
}
