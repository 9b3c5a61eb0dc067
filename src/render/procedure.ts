import { formatDateFr, type CalendarDate } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import { ADDRESSEE_ROLES, PROCEDURE_LABELS } from '../core/procedure.js';
import type { ProcedureResult } from '../commands/procedure.js';

/** What `relance procedure` did, as the accountant reads it. */
export function procedureAsText(r: ProcedureResult, asOf: CalendarDate): string {
  const out: string[] = [];
  for (const p of r.closed) {
    out.push(`Procédure collective de ${r.clientCode} ${r.clientName} close le ${formatDateFr(asOf)} (${PROCEDURE_LABELS[p.type]}, jugement du ${formatDateFr(p.judgmentOn)}) : ${p.closeReason}.`);
    out.push(`Ses factures reviennent dans les relances dès le ${formatDateFr(asOf)}.`);
  }
  const p = r.recorded;
  if (p) {
    out.push(`Procédure enregistrée pour ${r.clientCode} ${r.clientName} : ${PROCEDURE_LABELS[p.type]}, jugement du ${formatDateFr(p.judgmentOn)} ; relances arrêtées (L622-21).`);
    if (r.deadline) out.push(`${r.deadline.charAt(0).toUpperCase()}${r.deadline.slice(1)}.`);
    const d = r.declaration;
    if (d && (d.invoices.length > 0 || d.paidLate.length > 0)) {
      const n = d.invoices.length;
      out.push(
        `Déclaration : ${n} facture${n > 1 ? 's' : ''}, principal ${formatEuros(d.totals.principalCents)}` +
          `${d.totals.upcomingPrincipalCents > 0 ? ` (dont ${formatEuros(d.totals.upcomingPrincipalCents)} ${p.type === 'liquidation' ? 'rendus exigibles, L643-1' : 'à échoir'})` : ''}` +
          `, intérêts ${formatEuros(d.totals.interestCents)} (arrêtés au ${formatDateFr(d.interestUntil)}, veille du jugement, L622-28)` +
          `, indemnités ${formatEuros(d.totals.indemnityCents)} (D441-5)` +
          `${d.paidLate.length > 0 ? `, pénalités de ${d.paidLate.length} facture${d.paidLate.length > 1 ? 's' : ''} réglée${d.paidLate.length > 1 ? 's' : ''} en retard avant le jugement ${formatEuros(d.totals.paidLateCents)}` : ''}` +
          `, total ${formatEuros(d.totals.totalCents)}.`,
      );
    }
    if (r.letter) out.push(`Déclaration de créance : ${r.letter} (à envoyer en recommandé avec avis de réception au ${ADDRESSEE_ROLES[p.type]}, avec la copie des factures).`);
  }
  for (const n of r.notes) out.push(`! ${n}.`);
  return `${out.join('\n')}\n`;
}

/** The same as JSON: amounts in cents, dates AAAA-MM-JJ. */
export function procedureAsJson(r: ProcedureResult): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
