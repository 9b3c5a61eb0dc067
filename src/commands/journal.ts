/**
 * relance journal : liste les actions enregistrées (envois, échecs, tâches à faire),
 * filtrées par client, étape ou période ; --format json|csv pour les outils.
 */
import { formatDateFr, isIsoDate } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import { CHANNEL_LABELS, STEP_LABELS, STEPS, type Channel } from '../core/scenario.js';
import { loadConfig } from '../config.js';
import { limitOption, outputFormat, type Context } from '../context.js';
import { impossibleDateOption, UsageError } from '../errors.js';
import { journalPathOf, missingJournal, openJournalToRead, STATUS_LABELS, type ActionFilter, type JournalAction } from '../journal/journal.js';
import { csvAsText, csvSchema } from '../render/csv.js';
import { fitOf, fitTable, leftOutLine, type Column } from '../render/table.js';

export interface JournalOptions {
  client?: string;
  step?: string;
  from?: string;
  to?: string;
  journal?: string;
  config?: string;
  format?: string;
  limit?: string;
  wide?: boolean;
}

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

/** Lists the journal's actions; an absent journal is an error that says where it looked. */
export function runJournal(opts: JournalOptions, ctx: Context): JournalAction[] {
  const format = outputFormat(opts.format);
  const limit = limitOption(opts.limit); // the table only: JSON and CSV list every action
  const config = loadConfig(opts.config ?? null, ctx.cwd);
  const location = journalPathOf(opts.journal, ctx.env, config, ctx.cwd);
  for (const [flag, value] of [['--from', opts.from], ['--to', opts.to]] as const) {
    if (value !== undefined && !isIsoDate(value)) throw impossibleDateOption(flag, value) ?? new UsageError(`date invalide pour ${flag} : « ${value} ».`, `écrivez-la AAAA-MM-JJ.`);
  }
  if (opts.step !== undefined && !(STEPS as readonly string[]).includes(opts.step)) {
    throw new UsageError(`étape inconnue pour --step : « ${opts.step} ».`, `valeurs possibles : ${STEPS.join(', ')}.`);
  }
  const journal = openJournalToRead(location);
  if (!journal) throw missingJournal(location);
  try {
    const filter: ActionFilter = { client: opts.client, step: opts.step, from: opts.from, to: opts.to };
    const actions = journal.actions(filter);
    if (format === 'json') ctx.stdout.write(`${JSON.stringify({ actions }, null, 2)}\n`);
    else if (format === 'csv') {
      const cols = JOURNAL_CSV.columns;
      ctx.stdout.write(
        csvAsText(JOURNAL_CSV, actions.map((a) => cols.map((c) => (c === 'invoices' ? a.invoices.map((i) => i.ref).join(' ; ') : a[c])))),
      );
    } else if (actions.length === 0) {
      ctx.stdout.write('Aucune action enregistrée pour ces critères.\n');
    } else {
      // With --limit, the most recent actions, still in date order (like tail).
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
      ctx.stdout.write(
        `${fitTable(ACTION_COLUMNS, rows, fitOf(ctx.columns, opts.wide))}\n${older > 0 ? `${leftOutLine(older, 'action plus ancienne', 'actions plus anciennes')}\n` : ''}${actions.length} action${actions.length > 1 ? 's' : ''}.\n`,
      );
    }
    return actions;
  } finally {
    journal.close();
  }
}
