/**
 * The tasks a person must do (issue 14): a letter to post, a registered letter with
 * acknowledgement of receipt (LRAR), a call, a hand-over to litigation, a declaration of
 * claim. Pure: which tasks a channel needs, when a task is overdue, the print order of
 * the day's letters, the shape of an LRAR number, the lines of a postal address.
 */
import { daysBetween, type CalendarDate } from './dates.js';
import type { Channel, Step } from './scenario.js';

export const TASK_KINDS = ['courrier', 'lrar', 'appel', 'contentieux', 'declaration'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** French names of the task kinds, for listings. */
export const TASK_LABELS: Record<TaskKind, string> = {
  courrier: 'courrier à poster',
  lrar: 'lettre recommandée AR à poster',
  appel: 'appel à passer',
  contentieux: 'dossier à transmettre au contentieux',
  declaration: 'déclaration de créance à adresser au mandataire',
};

export type TaskStatus = 'a_faire' | 'fait';

/** A document of a task: a file written for it, and its SHA-256 (evidence of what was printed). */
export interface TaskDocument {
  path: string;
  sha256: string;
}

/** A task as the journal keeps it. */
export interface Task {
  id: number;
  actionId: number | null;
  clientCode: string;
  clientName: string;
  /** The step of the action the task belongs to; null for one without an action (a declaration). */
  step: Step | null;
  kind: TaskKind;
  dueOn: CalendarDate;
  documents: TaskDocument[];
  status: TaskStatus;
  doneOn: CalendarDate | null;
  lrarNumber: string | null;
  note: string | null;
  /** The number to call, or the postal address on one line. */
  contact: string | null;
  /** Where the client's case stood when the task was created. */
  summary: string | null;
  createdAt: string;
}

/** What each channel leaves to a person, besides the e-mail it sends. */
export function taskKindsOf(channel: Channel): TaskKind[] {
  switch (channel) {
    case 'email':
      return [];
    case 'email+appel':
      return ['appel'];
    case 'lrar+email':
    case 'lrar':
      return ['lrar'];
    case 'courrier':
      return ['courrier'];
    case 'courrier+appel':
      return ['courrier', 'appel'];
    case 'interne':
      return ['contentieux'];
  }
}

/** True for the tasks whose document is printed and posted (they go into a-imprimer.pdf). */
export function isPosted(kind: TaskKind): boolean {
  return kind === 'courrier' || kind === 'lrar';
}

/** True when a task still open was due more than `overdueDays` days before `asOf`. */
export function isOverdue(task: Pick<Task, 'status' | 'dueOn'>, asOf: CalendarDate, overdueDays: number): boolean {
  return task.status === 'a_faire' && daysBetween(task.dueOn, asOf) > overdueDays;
}

/** Days a task has waited past its due date (0 when not yet due). */
export function daysWaiting(task: Pick<Task, 'dueOn'>, asOf: CalendarDate): number {
  return Math.max(0, daysBetween(task.dueOn, asOf));
}

/**
 * The print order of the day's letters: the registered letters first (they go to the
 * post office counter or the online service with lrar.csv), then the plain letters, then
 * the litigation files; within each, by client code.
 */
export function printOrder<T extends { kind: TaskKind; clientCode: string }>(items: readonly T[]): T[] {
  const rank: Record<TaskKind, number> = { lrar: 0, courrier: 1, contentieux: 2, declaration: 3, appel: 4 };
  return [...items].sort((a, b) => rank[a.kind] - rank[b.kind] || (a.clientCode < b.clientCode ? -1 : a.clientCode > b.clientCode ? 1 : 0));
}

/**
 * An LRAR number as La Poste prints it on the receipt (« 1A 123 456 7890 1 »: two
 * characters then eleven digits), or an online service's reference: letters and digits,
 * 8 to 20 once spaces and dashes are removed. Returned upper-cased without spaces; null
 * when it cannot be one.
 */
export function normaliseLrarNumber(text: string): string | null {
  const s = text.replace(/[\s.-]+/g, '').toUpperCase();
  return /^[0-9A-Z]{8,20}$/.test(s) ? s : null;
}

/** An open task before a closed one, then the oldest due first, then by id. */
export function byDueDate(a: Task, b: Task): number {
  if (a.status !== b.status) return a.status === 'a_faire' ? -1 : 1;
  return a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.id - b.id;
}

/** A postal address split as the bulk import of an online LRAR service expects it (AFNOR NF Z10-011 lines). */
export interface PostalAddress {
  /** The lines before the postcode line: street, building, lieu-dit, BP (at most three kept apart). */
  lines: [string, string, string];
  postcode: string;
  city: string;
  country: string;
}

/**
 * The address lines of a client split into street lines, postcode, city and country: the
 * line that starts with a five-digit postcode (« 29200 Brest », « 75008 PARIS CEDEX 08 »)
 * gives the postcode and the city; a line after it is the country (France otherwise).
 * Null when no line has a French postcode: such a letter is left out of lrar.csv.
 */
export function postalAddressOf(address: readonly string[]): PostalAddress | null {
  const at = address.findIndex((l) => /^\s*\d{5}\s+\S/.test(l));
  if (at < 0) return null;
  const m = /^\s*(\d{5})\s+(.+?)\s*$/.exec(address[at]!)!;
  const before = address.slice(0, at).map((l) => l.trim()).filter(Boolean);
  // More than three street lines: the last ones are kept whole, the first joined.
  while (before.length > 3) before.splice(0, 2, `${before[0]} ${before[1]}`);
  const lines: [string, string, string] = [before[0] ?? '', before[1] ?? '', before[2] ?? ''];
  const country = address.slice(at + 1).map((l) => l.trim()).filter(Boolean).join(' ') || 'France';
  return { lines, postcode: m[1]!, city: m[2]!, country };
}
