/**
 * The tasks a person must do, as text, JSON and CSV (`relance taches`), the line that
 * flags an overdue task in `plan` and `send`, and `lrar.csv` for an online
 * registered-letter service. Format only: what is overdue is decided by core/tasks.ts.
 */
import { stringify } from 'csv-stringify/sync';
import { formatDateFr, type CalendarDate } from '../core/dates.js';
import { STEP_LABELS, type Step } from '../core/scenario.js';
import { postalAddressOf, TASK_LABELS, type Task } from '../core/tasks.js';
import { csvAsText, csvSchema, neutraliseCell } from './csv.js';

/** A task as listed: the task, whether it is overdue and for how many days it has waited. */
export interface ListedTask {
  task: Task;
  overdue: boolean;
  daysWaiting: number;
}

/** What a person does with the task, in a few words: the file to print, the number to call. */
export function taskWhat(t: Task): string {
  const files = t.documents.map((d) => d.path).join(', ');
  switch (t.kind) {
    case 'appel':
      return t.contact ? `appeler le ${t.contact}` : 'appeler le client (numéro inconnu du fichier clients)';
    case 'courrier':
    case 'lrar':
      return files ? `imprimer ${files}${t.contact ? `, à envoyer à ${t.contact}` : ''}` : 'lettre à écrire (relance plan --letters)';
    case 'contentieux':
      return files ? `transmettre ${files}` : 'dossier de contentieux à transmettre';
    case 'declaration':
      return files ? `adresser ${files}` : 'déclaration de créance à adresser au mandataire (relance procedure)';
  }
}

/** How to close the task. */
export function taskClose(t: Task): string {
  return t.kind === 'lrar' ? `relance fait ${t.id} --lrar NUMÉRO` : `relance fait ${t.id}`;
}

/** The line that flags a task still open after `overdueDays` days, in plan and send. */
export function overdueTaskLine(l: ListedTask, overdueDays: number): string {
  const t = l.task;
  return `tâche en retard n° ${t.id} ${t.clientCode} : ${TASK_LABELS[t.kind]} depuis le ${formatDateFr(t.dueOn)} (${l.daysWaiting} jours, plus de ${overdueDays}) ; ${taskWhat(t)} ; une fois faite : ${taskClose(t)}\n`;
}

/** How many overdue tasks plan and send show, the oldest; relance taches lists them all. */
export const OVERDUE_SHOWN = 10;

/** The overdue lines (the `OVERDUE_SHOWN` oldest), with a heading, or nothing. */
export function overdueTasksAsText(tasks: readonly ListedTask[], overdueDays: number): string {
  const late = tasks.filter((l) => l.overdue);
  if (late.length === 0) return '';
  const s = late.length > 1 ? 's' : '';
  const more = late.length - OVERDUE_SHOWN;
  return `${late.length} tâche${s} en retard (relance taches les liste toutes) :\n${late.slice(0, OVERDUE_SHOWN).map((l) => `  ${overdueTaskLine(l, overdueDays)}`).join('')}${more > 0 ? `  … et ${more} autre${more > 1 ? 's' : ''}.\n` : ''}`;
}

/** The open tasks as text, oldest first: what to do, the case, how to close it. */
export function tasksAsText(tasks: readonly ListedTask[], asOf: CalendarDate): string {
  if (tasks.length === 0) return `Aucune tâche à faire au ${formatDateFr(asOf)}.\n`;
  const lines = tasks.map(({ task: t, overdue, daysWaiting }) => {
    const head = `n° ${t.id}  ${formatDateFr(t.dueOn)}  ${t.clientCode} ${t.clientName} : ${TASK_LABELS[t.kind]}${t.step ? ` (${STEP_LABELS[t.step]})` : ''}${overdue ? `  EN RETARD de ${daysWaiting} jours` : ''}`;
    return `${head}\n    ${taskWhat(t)}\n${t.summary ? `    dossier : ${t.summary}\n` : ''}    une fois faite : ${taskClose(t)}\n`;
  });
  const late = tasks.filter((l) => l.overdue).length;
  return `${lines.join('')}${tasks.length} tâche${tasks.length > 1 ? 's' : ''} à faire au ${formatDateFr(asOf)}${late ? `, dont ${late} en retard` : ''}.\n`;
}

/** The open tasks as JSON. */
export function tasksAsJson(tasks: readonly ListedTask[], asOf: CalendarDate): string {
  return `${JSON.stringify({ asOf, tasks: tasks.map((l) => ({ ...l.task, overdue: l.overdue, daysWaiting: l.daysWaiting, what: taskWhat(l.task) })) }, null, 2)}\n`;
}

const TASK_CSV = csvSchema(
  ['id', 'echeance', 'client', 'nom', 'tache', 'etape', 'en_retard', 'jours', 'a_faire', 'contact', 'documents', 'sha256', 'dossier'] as const,
  ['id', 'jours'],
);

/** The open tasks as CSV, one line each. */
export function tasksAsCsv(tasks: readonly ListedTask[]): string {
  return csvAsText(TASK_CSV, tasks.map(({ task: t, overdue, daysWaiting }) => [
    t.id, t.dueOn, t.clientCode, t.clientName, t.kind, t.step ?? '', overdue ? 'oui' : 'non', daysWaiting, taskWhat(t), t.contact ?? '',
    t.documents.map((d) => d.path).join(' '), t.documents.map((d) => d.sha256).join(' '), t.summary ?? '',
  ]));
}

/** A registered letter for lrar.csv. */
export interface LrarRow {
  clientCode: string;
  clientName: string;
  step: Step;
  address: readonly string[];
  /** A consumer: the name goes in `nom`, not in `societe`. */
  consumer?: boolean;
  /** The letter's PDF, in the same folder. */
  file: string;
}

/**
 * The columns of `lrar.csv`: the recipient in the shape the bulk imports of online
 * registered-letter services take (Maileva, Merci Facteur: one recipient per line, the
 * address in the lines of the AFNOR NF Z10-011 standard, postcode and city apart), the
 * sender's reference (client code and step) and the PDF to attach. Semicolons, UTF-8.
 */
export const LRAR_COLUMNS = ['reference', 'societe', 'civilite', 'prenom', 'nom', 'adresse_1', 'adresse_2', 'adresse_3', 'code_postal', 'ville', 'pays', 'fichier'] as const;

/** lrar.csv, and the clients left out for want of an address with a French postcode. */
export function lrarCsv(rows: readonly LrarRow[]): { text: string; skipped: string[] } {
  const skipped: string[] = [];
  const out: string[][] = [[...LRAR_COLUMNS]];
  for (const r of rows) {
    const a = postalAddressOf(r.address);
    if (!a) {
      skipped.push(r.clientCode);
      continue;
    }
    out.push([`${r.clientCode}-${r.step}`, r.consumer ? '' : r.clientName, '', '', r.consumer ? r.clientName : '', ...a.lines, a.postcode, a.city, a.country, r.file].map(neutraliseCell));
  }
  return { text: stringify(out, { delimiter: ';' }), skipped };
}
