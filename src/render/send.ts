import { formatDateFr } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import { STEP_LABELS } from '../core/scenario.js';
import type { SendLine, SendResult } from '../commands/send.js';
import { uncertainHeader } from './uncertain.js';

/** The run's result as JSON (`send --format json`), written once at the end. */
export function sendAsJson(r: SendResult): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

const OUTCOME_LABELS: Record<SendLine['outcome'], string> = {
  envoye: 'envoyé',
  echec: 'ÉCHEC',
  simulation: 'simulation',
  a_faire: 'à faire',
  ignore: 'ignoré',
  incertain: 'INCERTAIN',
};

/** One log line of the run: what happened to one message or action. */
export function lineAsText(l: SendLine): string {
  return `${OUTCOME_LABELS[l.outcome]} ${l.clientCode} ${STEP_LABELS[l.step as keyof typeof STEP_LABELS] ?? l.step} (${l.invoices.length} facture${l.invoices.length > 1 ? 's' : ''}, ${formatEuros(l.amountCents)})${l.recipients.length ? ` → ${l.recipients.join(', ')}` : ''} : ${l.detail}\n`;
}

/** The run's last line: the counts, and what a person still has to settle (then the exit code is EXIT_UNCERTAIN). */
export function summaryAsText(r: SendResult): string {
  const c = r.counts;
  const n = r.unresolved.length;
  const todo = n > 0 ? ` ${n} message${n > 1 ? 's' : ''} incertain${n > 1 ? 's' : ''} à trancher (relance resolve N° --envoye ou --non-envoye) : code de sortie ${r.exitCode}.` : '';
  return `${r.dryRun ? 'Simulation (--dry-run), rien n\'a été envoyé' : `Envoi du ${formatDateFr(r.asOf)}`} : ${c.envoye} envoyé${c.envoye > 1 ? 's' : ''}, ${c.echec} échec${c.echec > 1 ? 's' : ''}, ${c.a_faire} à faire par une personne, ${c.ignore} ignoré${c.ignore > 1 ? 's' : ''}, ${c.incertain} incertain${c.incertain > 1 ? 's' : ''}${r.dryRun ? `, ${c.simulation} en simulation` : ''}.${todo}\n`;
}

/** The whole log of a run, as `send` writes it line by line: what a cron mail shows. */
export function sendAsText(r: SendResult): string {
  const pending = r.lines.filter((l) => l.outcome === 'incertain' && l.case === null).length;
  return `${pending > 0 ? uncertainHeader(pending) : ''}${r.lines.map(lineAsText).join('')}${summaryAsText(r)}`;
}
