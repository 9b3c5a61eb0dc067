/**
 * The uncertain messages (perhaps delivered, never sent again automatically) as the
 * lines that open the output of `send` and `plan` until a person settles each one
 * with `relance resolve`.
 */
import { formatDateFr } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import { STEP_LABELS } from '../core/scenario.js';
import type { JournalAction } from '../journal/journal.js';

// The reason Journal.resolveInterrupted records.
const INTERRUPTED = "run interrompu entre l'envoi et son enregistrement";

/** Why an uncertain action is uncertain, from its journal row. */
export function uncertainReasonOf(a: JournalAction): string {
  return a.status === 'envoi' || a.error === INTERRUPTED
    ? `le lancement du ${formatDateFr(a.actionDate)} s'est arrêté entre l'envoi et son enregistrement`
    : `${a.error ?? 'sans détail'} (lancement du ${formatDateFr(a.actionDate)})`;
}

/** What an uncertain line says: why, that it is never sent again, and how to settle it. */
export function uncertainDetail(id: number, why: string): string {
  return `${why} : message peut-être parti, il ne sera pas renvoyé ; vérifiez la boîte d'envoi, puis relance resolve ${id} --envoye ou --non-envoye`;
}

/** The line that opens the output while uncertain messages wait for a person. */
export function uncertainHeader(n: number): string {
  const s = n > 1 ? 's' : '';
  return `À trancher : ${n} message${s} incertain${s}, peut-être parti${s}, jamais renvoyé${s} automatiquement ; pour chacun, relance resolve N° --envoye ou --non-envoye.\n`;
}

/** The header and one line per uncertain action (empty when there is none). */
export function uncertainAsText(actions: JournalAction[]): string {
  if (actions.length === 0) return '';
  const lines = actions.map((a) => {
    const n = a.invoices.length;
    return `INCERTAIN ${a.clientCode} ${STEP_LABELS[a.step] ?? a.step} (${n} facture${n > 1 ? 's' : ''}, ${formatEuros(a.amountCents)})${a.recipients ? ` → ${a.recipients}` : ''} : ${uncertainDetail(a.id, uncertainReasonOf(a))}\n`;
  });
  return `${uncertainHeader(actions.length)}${lines.join('')}`;
}
