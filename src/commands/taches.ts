/**
 * relance taches [--format table|json|csv] [--client CODE] : les tâches ouvertes, les
 * plus anciennes d'abord (lettre à poster, LRAR, appel, remise au contentieux,
 * déclaration de créance), avec le fichier à imprimer ou le numéro à appeler, le
 * dossier du client et la commande qui clôt chacune. Lit le journal seulement.
 */
import { type CalendarDate } from '../core/dates.js';
import { byDueDate, daysWaiting, isOverdue, type Task } from '../core/tasks.js';
import { loadConfig } from '../config.js';
import { todayInParis, type Context } from '../context.js';
import { journalPathOf, openJournalToRead } from '../journal/journal.js';
import { loadTasks } from '../journal/tasks.js';
import { tasksAsCsv, tasksAsJson, tasksAsText, type ListedTask } from '../render/taches.js';
import type { OptionsOf } from './options.js';
import type { TACHES_OPTIONS } from './taches-options.js';

/** What the command listed. */
export interface TachesResult {
  asOf: CalendarDate;
  tasks: ListedTask[];
}

/** The tasks with what the listing says of each: overdue, days waited; oldest first. */
export function listTasks(tasks: readonly Task[], asOf: CalendarDate, overdueDays: number): ListedTask[] {
  return [...tasks].sort(byDueDate).map((task) => ({ task, overdue: isOverdue(task, asOf, overdueDays), daysWaiting: daysWaiting(task, asOf) }));
}

/** Lists the open tasks of the journal. */
export async function runTaches(o: OptionsOf<typeof TACHES_OPTIONS>, ctx: Context): Promise<TachesResult> {
  const config = loadConfig(o.config ?? null, ctx.cwd);
  const asOf = o.asOf ?? todayInParis(ctx.now());
  const journal = openJournalToRead(journalPathOf(o.journal, ctx.env, config, ctx.cwd));
  let tasks: ListedTask[] = [];
  try {
    if (journal) tasks = listTasks(loadTasks(journal, { open: true, client: o.client }), asOf, config.taskOverdueDays);
  } finally {
    journal?.close();
  }
  if (o.format === 'json') ctx.stdout.write(tasksAsJson(tasks, asOf));
  else if (o.format === 'csv') ctx.stdout.write(tasksAsCsv(tasks));
  else ctx.stdout.write(tasksAsText(tasks, asOf));
  return { asOf, tasks };
}
