/**
 * relance note CLIENT "texte" [--call] [--minutes N] : une note ou un appel. Un appel
 * compte comme une action (avec son coût) et fait la tâche d'appel du plan.
 */
import { formatEuros } from '../core/money.js';
import { addNote } from '../journal/cases.js';
import { closeCallTasks } from '../journal/tasks.js';
import { findClient } from '../journal/case-context.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { openCaseInput, type CaseOptions } from './case-input.js';

export interface NoteOptions extends CaseOptions {
  call?: boolean;
  minutes?: string;
}

/** Records a note (or a call). */
export async function runNote(client: string, text: string, opts: NoteOptions, ctx: Context): Promise<void> {
  if (!text || text.trim() === '') throw new UsageError(`le texte de la note est vide.`, `relance note ${client} "appel : paiement promis vendredi"`);
  let minutes: number | null = null;
  if (opts.minutes !== undefined) {
    minutes = Number(opts.minutes);
    if (!Number.isInteger(minutes) || minutes < 1) throw new UsageError(`durée invalide pour --minutes : « ${opts.minutes} ».`, `donnez un nombre entier de minutes, par exemple --minutes 5.`);
    if (!opts.call) throw new UsageError(`--minutes ne s'emploie qu'avec --call.`, `relance note ${client} "…" --call --minutes ${minutes}`);
  }
  const { flags, inputs, journal, config } = await openCaseInput(opts, ctx);
  try {
    const name = findClient(inputs, client);
    const cost = opts.call ? (minutes ?? 1) * config.costs.appelMinute : 0;
    addNote(journal, { clientCode: client, notedOn: flags.asOf, text: text.trim(), isCall: opts.call ?? false, minutes, costCents: cost }, ctx.now());
    // The call does the client's call tasks left by send (relance taches).
    if (opts.call) closeCallTasks(journal, client, flags.asOf, text.trim());
    ctx.stdout.write(opts.call ? `Appel noté pour ${client} ${name}${minutes ? ` (${minutes} min, ${formatEuros(cost)})` : ''} : la tâche d'appel du plan est faite.\n` : `Note ajoutée pour ${client} ${name}.\n`);
  } finally {
    journal.close();
  }
}
