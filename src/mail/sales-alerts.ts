import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { DataError } from '../errors.js';
import { formatDateFr, type CalendarDate } from '../core/dates.js';
import type { Plan } from '../core/plan.js';
import type { Client, OpenItem } from '../core/records.js';
import { salesAlertsDue, type SalesAlert } from '../core/sales-alerts.js';
import { STEP_LABELS } from '../core/scenario.js';
import type { Journal } from '../journal/journal.js';
import { claimSalesAlert, resolveInterruptedSalesAlerts, salesAlertsTaken, settleSalesAlert } from '../journal/sales-alerts.js';
import { emlOf } from '../render/letters.js';
import { renderSalesAlert } from '../render/sales-alerts.js';
import { envelopeAddress, safeName } from './compose.js';
import { describeSmtpError, mayHaveBeenAccepted, type Mailer } from './smtp.js';
import type { SendLine } from '../commands/send.js';

/** The step a sales alert's line of `send` shows. */
export const ALERT_LINE_STEP = 'alerte commercial';

/** A line of `send`'s report for an internal alert: a `SendLine` without a case or an action number. */
export type SalesAlertLine = Omit<SendLine, 'outcome' | 'case' | 'actionId'> & {
  outcome: 'envoye' | 'echec' | 'simulation' | 'incertain';
  case: null;
};

/** What `sendSalesAlerts` needs from the run of `send`. */
export interface SalesAlertRun {
  asOf: CalendarDate;
  plan: Plan;
  clients: readonly Client[];
  openItems: readonly OpenItem[];
  config: Config;
  /** The journal (null in a dry run without one; read-only in a dry run). */
  journal: Journal | null;
  /** The SMTP transport; null in a dry run. */
  transport: Mailer | null;
  dryRun: boolean;
  now: Date;
  cwd: string;
}

/** An alert written out: its message bytes and identity. */
export interface ComposedAlert {
  alert: SalesAlert;
  subject: string;
  raw: string;
  sha256: string;
  messageId: string;
}

/**
 * The internal alerts to the sales reps before an escalade or a formal notice (issue
 * 14), sent at the end of `send`: each recorded `envoi` before the SMTP transaction,
 * then `envoye`, `echec` (sent again on a later run) or `incertain` (never sent again);
 * each outcome given to `emit` as a line of the run. Nothing with `salesAlerts.enabled:
 * false`; in a dry run, listed (`simulation`) and nothing written.
 */
export async function sendSalesAlerts(run: SalesAlertRun, emit: (line: SalesAlertLine) => void): Promise<SalesAlertLine[]> {
  const { config, journal, asOf } = run;
  if (!config.salesAlerts.enabled) return [];
  const out: SalesAlertLine[] = [];
  const say = (l: SalesAlertLine): void => {
    out.push(l);
    emit(l);
  };
  if (journal && !run.dryRun) {
    for (const r of resolveInterruptedSalesAlerts(journal)) {
      say({
        outcome: 'incertain', clientCode: r.clientCode, clientName: r.clientCode, step: ALERT_LINE_STEP, channel: 'email', recipients: [r.recipient], invoices: [], amountCents: 0,
        messageId: r.messageId, case: null,
        detail: `alerte avant ${STEP_LABELS[r.step as keyof typeof STEP_LABELS] ?? r.step} du ${formatDateFr(r.plannedOn)} : run interrompu entre l'envoi et son enregistrement, peut-être partie ; jamais renvoyée`,
      });
    }
  }
  const messages = journal ? journal.caseMessages() : new Map();
  const due = salesAlertsDue({
    asOf, plan: run.plan, clients: run.clients, openItems: run.openItems, daysBefore: config.salesAlerts.daysBefore,
    alreadyAlerted: journal ? salesAlertsTaken(journal) : [], messages,
  });
  // Written before anything is sent: a template error stops the alerts whole.
  const composed = await Promise.all(due.map((a) => composeSalesAlert(a, config, asOf, run.now, run.cwd)));
  for (const c of composed) {
    const { alert: a } = c;
    const base = {
      clientCode: a.clientCode, clientName: a.clientName, step: ALERT_LINE_STEP, channel: 'email', recipients: [a.recipient] as string[],
      invoices: a.invoices.map((i) => i.ref), amountCents: a.overdueCents, messageId: c.messageId, case: null,
    } satisfies Omit<SalesAlertLine, 'outcome' | 'detail'>;
    const what = `alerte avant ${STEP_LABELS[a.step]} du ${formatDateFr(a.plannedOn)}`;
    if (run.dryRun) {
      say({ ...base, outcome: 'simulation', detail: `${what} : « ${c.subject} »` });
      continue;
    }
    const id = claimSalesAlert(journal!, {
      clientCode: a.clientCode, step: a.step, plannedOn: a.plannedOn, recipient: a.recipient, messageId: c.messageId, sha256: c.sha256, createdAt: run.now.toISOString(),
    });
    if (id === null) continue; // taken meanwhile by another run
    let status: 'envoye' | 'echec' | 'incertain';
    let why: string | null = null;
    try {
      await run.transport!.send({ from: envelopeAddress(config.mail.from!), to: [a.recipient] }, c.raw);
      status = 'envoye';
    } catch (err) {
      status = mayHaveBeenAccepted(err) ? 'incertain' : 'echec';
      why = status === 'incertain' ? `le serveur SMTP n'a pas confirmé la réception après la transmission du message (${describeSmtpError(err)})` : describeSmtpError(err);
    }
    try {
      settleSalesAlert(journal!, id, status, why);
    } catch (err) {
      // Left « envoi »: the next run counts it uncertain, never sends it again; this run stops here.
      throw new DataError(
        `le journal n'a pas pu enregistrer le résultat de l'alerte au commercial ${a.recipient} pour ${a.clientCode} (${(err as Error).message}) : l'envoi s'arrête, l'alerte ne sera pas renvoyée.`,
        `vérifiez le fichier ${journal!.path} (droits, place sur le disque), puis relancez relance send.`,
      );
    }
    if (status === 'envoye') say({ ...base, outcome: 'envoye', detail: `${what} : « ${c.subject} »` });
    else if (status === 'echec') say({ ...base, outcome: 'echec', detail: `${what} : ${why} ; elle repartira au prochain envoi` });
    else say({ ...base, outcome: 'incertain', detail: `${what} : ${why} ; peut-être partie, jamais renvoyée : vérifiez auprès de ${a.recipient}` });
  }
  return out;
}

/**
 * Builds an alert's e-mail from `alerte_commercial.hbs`: to the sales rep, answers to
 * the collection person (mail.replyTo, else the sender), a Message-ID derived from the
 * client, step and planned date, so that the same alert always gives the same bytes.
 */
export async function composeSalesAlert(alert: SalesAlert, config: Config, asOf: CalendarDate, now: Date, cwd: string): Promise<ComposedAlert> {
  const message = renderSalesAlert(alert, config, asOf, cwd);
  const from = config.mail.from ?? `${config.company.contactEmail ?? 'relance@localhost'}`;
  const messageId = `<relance.alerte.${alert.plannedOn}.${safeName(alert.clientCode)}.${alert.step}@${domainOf(from)}>`;
  const composed = await emlOf(message, { from, to: [alert.recipient], replyTo: config.mail.replyTo ?? null, date: now, messageId });
  const raw = composed.replace(/\r?\n/g, '\r\n');
  return { alert, subject: message.subject, raw, sha256: createHash('sha256').update(raw).digest('hex'), messageId };
}

/** The domain of a sender address, for Message-IDs. */
export function domainOf(from: string): string {
  return /@([^>\s]+)/.exec(from)?.[1] ?? 'localhost';
}
