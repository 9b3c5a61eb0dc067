import Handlebars from 'handlebars';
import { formatDateFr, type CalendarDate } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import type { DigestClient, RepDigest } from '../core/sales-alerts.js';
import { STEP_LABELS } from '../core/scenario.js';

/** The digests of a date, as `relance commerciaux` prints them. */
export interface DigestReport {
  asOf: CalendarDate;
  reps: RepDigest[];
}

const plural = (n: number, one: string, many: string): string => `${n} ${n > 1 ? many : one}`;

/** Who a digest is for: « Marie Durand <marie@x.fr> », « sans commercial ». */
export function repLabel(rep: RepDigest): string {
  if (rep.key === '') return 'Clients sans commercial';
  if (rep.salesRep && rep.email) return `${rep.salesRep} <${rep.email}>`;
  return rep.salesRep ?? rep.email!;
}

/** Where one client stands, in a few words: the next step and its date, or why a person has it. */
export function digestStatusText(c: DigestClient): string {
  const step = c.step ? STEP_LABELS[c.step] : null;
  switch (c.status) {
    case 'action':
      return `${step} prévue le ${formatDateFr(c.on!)}`;
    case 'manuel':
      return `à traiter par une personne${c.note ? ` (${c.note})` : ''}`;
    case 'contentieux':
      return `au contentieux depuis le ${formatDateFr(c.on!)}`;
    case 'attente':
      return step && c.on ? `${step} au plus tôt le ${formatDateFr(c.on)}${c.note ? ` (${c.note})` : ''}` : (c.note ?? 'en attente');
  }
}

/** One client's line of a digest. */
function clientLine(c: DigestClient): string {
  const late = c.oldestDaysLate !== null && c.oldestDaysLate > 0 ? `, la plus ancienne à ${plural(c.oldestDaysLate, 'jour', 'jours')} de retard` : '';
  return `${c.clientCode} ${c.clientName} : ${formatEuros(c.overdueCents)} (${plural(c.invoices, 'facture', 'factures')}${late}) ; ${digestStatusText(c)}`;
}

/** One rep's section of the digest, in plain text. */
export function repDigestAsText(rep: RepDigest): string {
  const head = `${repLabel(rep)} : ${plural(rep.clients.length, 'client', 'clients')} en recouvrement, ${formatEuros(rep.totalCents)}`;
  return `${head}\n${rep.clients.map((c) => `  - ${clientLine(c)}\n`).join('')}`;
}

/** The whole digest, one section per sales rep. */
export function digestAsText(r: DigestReport): string {
  if (r.reps.length === 0) return `Aucun client en recouvrement au ${formatDateFr(r.asOf)}.\n`;
  const clients = r.reps.reduce((n, rep) => n + rep.clients.length, 0);
  const head = `Clients en recouvrement par commercial au ${formatDateFr(r.asOf)} : ${plural(clients, 'client', 'clients')}, ${plural(r.reps.filter((x) => x.key !== '').length, 'commercial', 'commerciaux')}\n`;
  return `${head}\n${r.reps.map(repDigestAsText).join('\n')}`;
}

/** The digest as JSON, amounts in cents. */
export function digestAsJson(r: DigestReport, sent?: unknown): string {
  return `${JSON.stringify({ asOf: r.asOf, reps: r.reps, ...(sent === undefined ? {} : { sent }) }, null, 2)}\n`;
}

/** The e-mail a sales rep receives: subject, text and HTML (internal, never to a client). */
export function repDigestMail(rep: RepDigest, asOf: CalendarDate, company: { name: string; contactName?: string | null }): { subject: string; text: string; html: string } {
  const subject = `[Interne] Vos clients en recouvrement au ${formatDateFr(asOf)} : ${plural(rep.clients.length, 'client', 'clients')}, ${formatEuros(rep.totalCents)}`;
  const who = `la personne chargée du recouvrement${company.contactName ? ` (${company.contactName})` : ''}`;
  const greeting = `Bonjour${rep.salesRep ? ` ${rep.salesRep}` : ''},`;
  const intro = `Message interne : voici vos clients en recouvrement au ${formatDateFr(asOf)}, avec les montants échus (après imputation des règlements et avoirs non lettrés) et la prochaine étape.`;
  const pause = `Pour qu'un client soit mis en pause (un geste commercial, un échange en cours), répondez à ce message en donnant la raison et jusqu'à quand : ${who} suspendra ses relances (relance pause CLIENT --until AAAA-MM-JJ --reason "…").`;
  const sign = `${company.contactName ? `${company.contactName}\n` : ''}Recouvrement – ${company.name}`;
  const text = `${greeting}\n\n${intro}\n\n${rep.clients.map((c) => `- ${clientLine(c)}\n`).join('')}\nTotal : ${formatEuros(rep.totalCents)}\n\n${pause}\n\n${sign}\n`;
  const e = Handlebars.escapeExpression;
  const rows = rep.clients
    .map((c) => `<tr><td style="padding: 4px 12px 4px 0;">${e(c.clientCode)}</td><td style="padding: 4px 12px 4px 0;">${e(c.clientName)}</td><td style="text-align: right; padding: 4px 12px; white-space: nowrap;">${e(formatEuros(c.overdueCents))}</td><td style="padding: 4px 0 4px 12px;">${e(digestStatusText(c))}</td></tr>`)
    .join('\n');
  const html = `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>${e(subject)}</title>
</head>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 14px; line-height: 1.5; color: #222222;">
<p>${e(greeting)}</p>
<p>${e(intro)}</p>
<table style="border-collapse: collapse;">
<thead>
<tr><th style="text-align: left; padding: 4px 12px 4px 0; border-bottom: 1px solid #999999;">Code</th><th style="text-align: left; padding: 4px 12px 4px 0; border-bottom: 1px solid #999999;">Client</th><th style="text-align: right; padding: 4px 12px; border-bottom: 1px solid #999999;">Échu</th><th style="text-align: left; padding: 4px 0 4px 12px; border-bottom: 1px solid #999999;">Prochaine étape</th></tr>
</thead>
<tbody>
${rows}
</tbody>
<tfoot>
<tr><td colspan="2" style="padding: 4px 12px 4px 0; border-top: 1px solid #999999;"><strong>Total</strong></td><td style="text-align: right; padding: 4px 12px; border-top: 1px solid #999999; white-space: nowrap;"><strong>${e(formatEuros(rep.totalCents))}</strong></td><td style="border-top: 1px solid #999999;"></td></tr>
</tfoot>
</table>
<p>${e(pause)}</p>
<p>${sign.split('\n').map(e).join('<br>')}</p>
</body>
</html>
`;
  return { subject, text, html };
}
