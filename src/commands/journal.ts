/**
 * relance journal : liste les actions enregistrées (envois, échecs, tâches à faire),
 * filtrées par client, étape ou période ; --format json|csv pour les outils.
 */
import { isIsoDate } from '../core/dates.js';
import { STEPS } from '../core/scenario.js';
import { loadConfig } from '../config.js';
import type { Context } from '../context.js';
import { JOURNAL_OPTIONS } from './journal-options.js';
import type { OptionsOf } from './options.js';
import { impossibleDateOption, UsageError } from '../errors.js';
import { journalPathOf, missingJournal, openJournalToRead, type ActionFilter, type JournalAction } from '../journal/journal.js';
import { journalAsCsv, journalAsJson, journalAsText } from '../render/journal.js';
import { fitOf } from '../render/table.js';

export type JournalOptions = OptionsOf<typeof JOURNAL_OPTIONS>;

/** What `journal` lists: the recorded actions matching the filter, in date order. */
export interface JournalResult {
  actions: JournalAction[];
}

/** Lists the journal's actions; an absent journal is an error that says where it looked. */
export function runJournal(opts: JournalOptions, ctx: Context): JournalResult {
  const { format, limit } = opts; // the limit is the table's only: JSON and CSV list every action
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
    const result: JournalResult = { actions: journal.actions(filter) };
    if (format === 'json') ctx.stdout.write(journalAsJson(result));
    else if (format === 'csv') ctx.stdout.write(journalAsCsv(result));
    else ctx.stdout.write(journalAsText(result, limit, fitOf(ctx.columns, opts.wide)));
    return result;
  } finally {
    journal.close();
  }
}
