import type { Config } from '../config.js';
import { addDays, type CalendarDate } from '../core/dates.js';
import type { SalesAlert } from '../core/sales-alerts.js';
import { STEP_LABELS } from '../core/scenario.js';
import { renderTemplate } from './letters.js';

const SEGMENT_LABELS = { bon: 'bon payeur', occasionnel: 'retardataire occasionnel', chronique: 'mauvais payeur chronique', nouveau: 'nouveau client' };

/** Days a pause asked by a sales rep is suggested for, in the alert's example command. */
export const SUGGESTED_PAUSE_DAYS = 15;

/** What `alerte_commercial.hbs` is filled from (documented in templates/fr/README.md). */
export function salesAlertData(alert: SalesAlert, company: Config['company'], asOf: CalendarDate) {
  return {
    asOf,
    company: {
      name: company.name,
      contactName: company.contactName ?? null,
      contactEmail: company.contactEmail ?? null,
      contactPhone: company.contactPhone ?? null,
    },
    client: { code: alert.clientCode, name: alert.clientName },
    consumer: alert.consumer,
    segment: alert.segment,
    segmentLabel: SEGMENT_LABELS[alert.segment],
    salesRep: { name: alert.salesRep, email: alert.recipient },
    step: alert.step,
    stepLabel: STEP_LABELS[alert.step],
    formalNotice: alert.step === 'mise_en_demeure',
    plannedOn: alert.plannedOn,
    daysLeft: alert.daysLeft,
    today: alert.daysLeft === 0,
    caseOpenedOn: alert.caseOpenedOn,
    invoices: alert.invoices.map((i) => ({ ...i })),
    count: alert.invoices.length,
    overdueCents: alert.overdueCents,
    reminders: alert.reminders.map((r) => ({ date: r.date, step: r.step, stepLabel: STEP_LABELS[r.step] })),
    reminderCount: alert.reminders.length,
    pauseCommand: `relance pause ${alert.clientCode} --until ${addDays(alert.plannedOn, SUGGESTED_PAUSE_DAYS)} --reason "…"`,
  };
}

/** The alert's subject, text and HTML, from `alerte_commercial.hbs` (the user's one when `templatesDir` has it). */
export function renderSalesAlert(alert: SalesAlert, config: Pick<Config, 'company' | 'templatesDir'>, asOf: CalendarDate, cwd: string): { subject: string; text: string; html: string } {
  const parts = renderTemplate('alerte_commercial', salesAlertData(alert, config.company, asOf), config.templatesDir ?? null, cwd);
  return { subject: parts.subject, text: parts.text, html: parts.html };
}
