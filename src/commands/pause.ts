/**
 * relance pause CLIENT --until AAAA-MM-JJ --reason "…" et relance resume CLIENT :
 * suspend puis reprend les relances d'un client.
 */
import { formatDateFr } from '../core/dates.js';
import { addPause, resumeClient } from '../journal/cases.js';
import { findClient } from '../journal/case-context.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { dateOption, openCaseInput, textOption, type CaseOptions } from './case-input.js';

export interface PauseOptions extends CaseOptions {
  until?: string;
  reason?: string;
}

/** Pauses a client's reminders until a date. */
export async function runPause(client: string, opts: PauseOptions, ctx: Context): Promise<void> {
  const until = dateOption(opts.until, '--until');
  const reason = textOption(opts.reason, '--reason');
  const { flags, inputs, journal } = await openCaseInput(opts, ctx);
  try {
    const name = findClient(inputs, client);
    if (until < flags.asOf) throw new UsageError(`la date de fin de pause (${formatDateFr(until)}) est passée.`, `donnez une date à venir.`);
    addPause(journal, { clientCode: client, until, reason, createdOn: flags.asOf }, ctx.now());
    ctx.stdout.write(`Relances de ${client} ${name} suspendues jusqu'au ${formatDateFr(until)} : ${reason}.\n`);
  } finally {
    journal.close();
  }
}

/** Ends a client's pause. */
export async function runResume(client: string, opts: CaseOptions, ctx: Context): Promise<void> {
  const { flags, inputs, journal } = await openCaseInput(opts, ctx);
  try {
    const name = findClient(inputs, client);
    const n = resumeClient(journal, client, flags.asOf);
    if (n === 0) throw new UsageError(`les relances de ${client} ne sont pas suspendues.`, `relance client ${client} montre son historique.`);
    ctx.stdout.write(`Relances de ${client} ${name} reprises le ${formatDateFr(flags.asOf)}.\n`);
  } finally {
    journal.close();
  }
}
