/**
 * relance fait ID [--lrar NUMÉRO] [--note "…"] [--date AAAA-MM-JJ] : clôt une tâche. Le
 * numéro de la lettre recommandée est gardé comme preuve (montré par relance client et
 * dans le dossier de contentieux) ; une mise en demeure compte comme envoyée, et son délai
 * de huit jours court, du jour où sa LRAR est postée (--date), pas de sa copie par e-mail.
 */
import { formatDateFr } from '../core/dates.js';
import { normaliseLrarNumber, TASK_LABELS, type Task } from '../core/tasks.js';
import { STEP_LABELS } from '../core/scenario.js';
import { loadConfig } from '../config.js';
import { todayInParis, type Context } from '../context.js';
import { UsageError } from '../errors.js';
import { journalPathOf, openJournalToWrite } from '../journal/journal.js';
import { closeTask, taskById } from '../journal/tasks.js';
import type { OptionsOf } from './options.js';
import type { FAIT_OPTIONS } from './taches-options.js';

/** Closes a task; returns it as closed. */
export async function runFait(idText: string, o: OptionsOf<typeof FAIT_OPTIONS>, ctx: Context): Promise<Task> {
  const id = Number(idText);
  if (!/^\d+$/.test(idText) || !Number.isSafeInteger(id)) throw new UsageError(`numéro de tâche invalide : « ${idText} ».`, `donnez le n° de la tâche, tel que relance taches l'affiche, par exemple relance fait 12.`);
  const config = loadConfig(o.config ?? null, ctx.cwd);
  const today = todayInParis(ctx.now());
  const on = o.date ?? today;
  if (on > today) throw new UsageError(`--date ${o.date} est dans le futur : une tâche se marque faite une fois faite.`, `donnez le jour où elle a été faite, au plus tard aujourd'hui (${formatDateFr(today)}).`);
  const journal = openJournalToWrite(journalPathOf(o.journal, ctx.env, config, ctx.cwd));
  try {
    const task = taskById(journal, id);
    if (!task) throw new UsageError(`aucune tâche n° ${id} au journal.`, `relance taches liste les tâches ouvertes et leur numéro.`);
    if (task.status === 'fait') {
      throw new UsageError(
        `la tâche n° ${id} (${task.clientCode}, ${TASK_LABELS[task.kind]}) est déjà faite, le ${formatDateFr(task.doneOn!)}${task.lrarNumber ? `, LRAR n° ${task.lrarNumber}` : ''} : rien n'a changé.`,
        `relance taches liste les tâches encore ouvertes.`,
      );
    }
    let lrar: string | null = null;
    if (task.kind === 'lrar') {
      if (o.lrar === undefined) {
        throw new UsageError(
          `la tâche n° ${id} est une lettre recommandée : son numéro est la preuve de l'envoi, --lrar est obligatoire.`,
          `recopiez le numéro du bordereau de La Poste (ou la référence du service en ligne), par exemple relance fait ${id} --lrar "1A 123 456 7890 1".`,
        );
      }
      lrar = normaliseLrarNumber(o.lrar);
      if (lrar === null) {
        throw new UsageError(`numéro de LRAR invalide : « ${o.lrar} ».`, `recopiez le numéro du bordereau : des lettres et des chiffres (8 à 20), par exemple 1A12345678901.`);
      }
    } else if (o.lrar !== undefined) {
      throw new UsageError(`--lrar ne s'emploie que pour une lettre recommandée ; la tâche n° ${id} est : ${TASK_LABELS[task.kind]}.`, `relance fait ${id}${o.note ? ' --note "…"' : ''} sans --lrar.`);
    }
    if (on < task.dueOn) {
      throw new UsageError(`--date ${on} précède la tâche n° ${id}, créée pour le ${formatDateFr(task.dueOn)} : une lettre ne part pas avant d'être écrite.`, `donnez le jour où elle a été faite, à partir du ${formatDateFr(task.dueOn)}.`);
    }
    closeTask(journal, id, { on, lrarNumber: lrar, note: o.note ?? null });
    const done = taskById(journal, id)!;
    const notice = task.kind === 'lrar' && task.step === 'mise_en_demeure' ? ` ; le délai de la mise en demeure court à partir de cet envoi` : '';
    ctx.stdout.write(
      `tâche n° ${id} faite le ${formatDateFr(on)} : ${task.clientCode} ${task.clientName}, ${TASK_LABELS[task.kind]}${task.step ? ` (${STEP_LABELS[task.step]})` : ''}${lrar ? `, LRAR n° ${lrar}` : ''}${notice}.\n`,
    );
    return done;
  } finally {
    journal.close();
  }
}
