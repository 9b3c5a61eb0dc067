/**
 * relance pause CLIENT --until AAAA-MM-JJ --reason "…" et relance resume CLIENT :
 * suspend puis reprend les relances d'un client. Une seule pause active par client :
 * une seconde est refusée, sauf --replace (l'ancienne reste au journal, marquée
 * remplacée). relance pause CLIENT --cancel --reason "…" annule la pause, avec son
 * motif ; resume la termine sans motif. Les deux reprennent les relances dès --as-of.
 */
import { formatDateFr } from '../core/dates.js';
import { addPause, cancelRecord, loadCaseFile, resumeClient } from '../journal/cases.js';
import { activePausesOf, correctionOf, findClient } from '../journal/case-context.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { readCaseInput } from './case-input.js';
import { requireDate, requireText } from './case-options.js';
import type { OptionsOf } from './options.js';
import type { PAUSE_OPTIONS, RESUME_OPTIONS } from './pause-options.js';

/** Pauses a client's reminders until a date, or replaces or cancels its pause; returns the pauses replaced or cancelled. */
export async function runPause(client: string, opts: OptionsOf<typeof PAUSE_OPTIONS>, ctx: Context): Promise<{ id: number | null; replaced: number[]; cancelled: number[] }> {
  const kind = correctionOf(opts, { '--until': opts.until }, `relance pause ${client}`);
  const until = kind === 'cancel' ? null : requireDate(opts.until, '--until');
  const reason = requireText(opts.reason, '--reason');
  const { flags, inputs, journal } = await readCaseInput(opts, ctx);
  try {
    const name = findClient(inputs, client);
    const active = activePausesOf(loadCaseFile(journal), client, flags.asOf);
    const described = active.map((p) => `le ${formatDateFr(p.createdOn)} jusqu'au ${formatDateFr(p.until)} (${p.reason})`).join(' ; ');
    if (kind === 'cancel') {
      if (active.length === 0) throw new UsageError(`les relances de ${client} ne sont pas suspendues au ${formatDateFr(flags.asOf)}.`, `relance client ${client} montre son historique.`);
      journal.transaction(() => {
        for (const p of active) cancelRecord(journal, 'pauses', p.id, flags.asOf, reason);
      });
      ctx.stdout.write(`Pause de ${client} ${name} annulée le ${formatDateFr(flags.asOf)} (enregistrée ${described}) : ${reason}. Les relances reprennent.\n`);
      return { id: null, replaced: [], cancelled: active.map((p) => p.id) };
    }
    if (active.length > 0 && kind !== 'replace') {
      throw new UsageError(`une pause des relances de ${client} est déjà enregistrée ${described}.`, `--replace la remplace (l'ancienne reste au journal, marquée remplacée) ; --cancel --reason "…" l'annule.`);
    }
    if (until! < flags.asOf) throw new UsageError(`la date de fin de pause (${formatDateFr(until!)}) est passée.`, `donnez une date à venir.`);
    const id = addPause(journal, { clientCode: client, until: until!, reason, createdOn: flags.asOf }, ctx.now(), active.map((p) => p.id));
    ctx.stdout.write(`Relances de ${client} ${name} suspendues jusqu'au ${formatDateFr(until!)} : ${reason}.\n`);
    if (active.length > 0) ctx.stdout.write(`Cette pause remplace celle enregistrée ${described} (gardée au journal, marquée remplacée).\n`);
    return { id, replaced: active.map((p) => p.id), cancelled: [] };
  } finally {
    journal.close();
  }
}

/** Ends a client's pause. */
export async function runResume(client: string, opts: OptionsOf<typeof RESUME_OPTIONS>, ctx: Context): Promise<void> {
  const { flags, inputs, journal } = await readCaseInput(opts, ctx);
  try {
    const name = findClient(inputs, client);
    const n = resumeClient(journal, client, flags.asOf);
    if (n === 0) throw new UsageError(`les relances de ${client} ne sont pas suspendues.`, `relance client ${client} montre son historique.`);
    ctx.stdout.write(`Relances de ${client} ${name} reprises le ${formatDateFr(flags.asOf)}.\n`);
  } finally {
    journal.close();
  }
}
