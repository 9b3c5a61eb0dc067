/**
 * relance note CLIENT "texte" [--call] [--minutes N] : une note ou un appel. Un appel
 * compte comme une action (avec son coût) et fait la tâche d'appel du plan.
 */
import { formatEuros } from '../core/money.js';
import { addNote } from '../journal/cases.js';
import { closeCallTasks } from '../journal/tasks.js';
import { findClient } from '../journal/case-context.js';
import type { Context } from '../context.js';
import { readCaseInput } from './case-input.js';
import type { NOTE_OPTIONS } from './note-options.js';
import type { OptionsOf } from './options.js';

/** Records a note (or a call). */
export async function runNote(client: string, text: string, opts: OptionsOf<typeof NOTE_OPTIONS>, ctx: Context): Promise<void> {
  const minutes = opts.minutes ?? null;
  const { flags, inputs, journal, config } = await readCaseInput(opts, ctx);
  try {
    const name = findClient(inputs, client);
    const cost = opts.call ? (minutes ?? 1) * config.costs.appelMinute : 0;
    addNote(journal, { clientCode: client, notedOn: flags.asOf, text: text.trim(), isCall: opts.call, minutes, costCents: cost }, ctx.now());
    // The call does the client's call tasks left by send (relance taches).
    if (opts.call) closeCallTasks(journal, client, flags.asOf, text.trim());
    ctx.stdout.write(opts.call ? `Appel noté pour ${client} ${name}${minutes ? ` (${minutes} min, ${formatEuros(cost)})` : ''} : la tâche d'appel du plan est faite.\n` : `Note ajoutée pour ${client} ${name}.\n`);
  } finally {
    journal.close();
  }
}
