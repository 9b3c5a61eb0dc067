import { formatDateFr } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import { CHANNEL_LABELS, STEP_LABELS, type Channel } from '../core/scenario.js';
import type { JournalResult } from '../commands/journal.js';
import { STATUS_LABELS } from '../journal/journal.js';
import { csvAsText, csvSchema } from './csv.js';
import { fitTable, leftOutLine, WIDE, type Column, type Fit } from './table.js';

// Date, client, step, status and amount stay; the fingerprint goes first, then the channel.
const ACTION_COLUMNS: Column[] = [
  { head: 'Date' },
  { head: 'Client', shorten: 'cut', min: 12 },
  { head: 'Étape', priority: 70, shorten: 'wrap', min: 11 },
  { head: 'Canal', priority: 40, shorten: 'wrap', min: 10 },
  { head: 'Statut', shorten: 'wrap', min: 12 },
  { head: 'Factures', priority: 50, shorten: 'cut', min: 11 },
  { head: 'Montant', align: 'right' },
  { head: 'Empreinte', priority: 10 },
];

/** Columns of the journal CSV: one row per recorded action. */
const JOURNAL_CSV = csvSchema(
  ['id', 'actionDate', 'clientCode', 'clientName', 'step', 'channel', 'status', 'recipients', 'cc', 'subject', 'amountCents', 'costCents', 'invoices', 'messageId', 'sha256', 'error'] as const,
  ['id', 'amountCents', 'costCents'],
);

/** The actions as JSON, every one. */
export function journalAsJson(r: JournalResult): string {
  return `${JSON.stringify({ actions: r.actions }, null, 2)}\n`;
}

/** The actions as CSV, one row per action, its invoices joined by « ; ». */
export function journalAsCsv(r: JournalResult): string {
  const cols = JOURNAL_CSV.columns;
  return csvAsText(JOURNAL_CSV, r.actions.map((a) => cols.map((c) => (c === 'invoices' ? a.invoices.map((i) => i.ref).join(' ; ') : a[c]))));
}

/** The actions as a table; with a limit, the most recent ones, still in date order (like tail). */
export function journalAsText(r: JournalResult, limit: number | null, fit: Fit = WIDE): string {
  const { actions } = r;
  if (actions.length === 0) return 'Aucune action enregistrée pour ces critères.\n';
  const shown = limit === null ? actions : actions.slice(-limit);
  const rows = shown.map((a) => [
    formatDateFr(a.actionDate),
    `${a.clientCode}\n${a.clientName}`,
    STEP_LABELS[a.step],
    CHANNEL_LABELS[a.channel as Channel] ?? a.channel,
    `${STATUS_LABELS[a.status]}${a.error ? `\n${a.error}` : ''}`,
    a.invoices.map((i) => i.ref).join('\n'),
    formatEuros(a.amountCents),
    a.sha256 ? a.sha256.slice(0, 12) : '—',
  ]);
  const older = actions.length - shown.length;
  return `${fitTable(ACTION_COLUMNS, rows, fit)}\n${older > 0 ? `${leftOutLine(older, 'action plus ancienne', 'actions plus anciennes')}\n` : ''}${actions.length} action${actions.length > 1 ? 's' : ''}.\n`;
}
