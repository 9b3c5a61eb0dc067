/**
 * The tasks of the journal (migrations 5 and 6): what a person must do, its documents
 * (with their SHA-256), its due date and status; the LRAR number once posted. All the
 * tasks' SQL is here.
 */
import type { CalendarDate } from '../core/dates.js';
import type { Step } from '../core/scenario.js';
import type { Task, TaskDocument, TaskKind } from '../core/tasks.js';
import { Journal } from './journal.js';

/** A task about to be recorded. */
export interface NewTask {
  actionId: number | null;
  clientCode: string;
  kind: TaskKind;
  dueOn: CalendarDate;
  documents: TaskDocument[];
  contact: string | null;
  summary: string | null;
}

const SELECT = `SELECT t.*, a.client_name AS client_name, a.step AS step FROM tasks t LEFT JOIN actions a ON a.id = t.action_id`;

function taskOf(r: Record<string, unknown>): Task {
  return {
    id: r.id as number,
    actionId: (r.action_id as number | null) ?? null,
    clientCode: r.client_code as string,
    clientName: (r.client_name as string | null) ?? (r.client_code as string),
    step: (r.step as Step | null) ?? null,
    kind: r.kind as TaskKind,
    dueOn: r.due_on as string,
    documents: JSON.parse(r.documents as string) as TaskDocument[],
    status: r.status as Task['status'],
    doneOn: (r.done_on as string | null) ?? null,
    lrarNumber: (r.lrar_number as string | null) ?? null,
    note: (r.note as string | null) ?? null,
    contact: (r.contact as string | null) ?? null,
    summary: (r.summary as string | null) ?? null,
    createdAt: r.created_at as string,
  };
}

/** Records a task (status « à faire »); returns its id. */
export function recordTask(j: Journal, t: NewTask, now: Date): number {
  return Number(
    Journal.sqlOf(j)
      .prepare('INSERT INTO tasks (action_id, client_code, kind, due_on, documents, status, contact, summary, created_at) VALUES (?, ?, ?, ?, ?, \'a_faire\', ?, ?, ?)')
      .run(t.actionId, t.clientCode, t.kind, t.dueOn, JSON.stringify(t.documents), t.contact, t.summary, now.toISOString()).lastInsertRowid,
  );
}

/** The tasks, oldest due first; `open` keeps those still « à faire », `client` one client's. */
export function loadTasks(j: Journal, filter: { open?: boolean; client?: string } = {}): Task[] {
  const where: string[] = [];
  const args: string[] = [];
  if (filter.open) where.push(`t.status = 'a_faire'`);
  if (filter.client) {
    where.push('t.client_code = ?');
    args.push(filter.client);
  }
  return (Journal.sqlOf(j).prepare(`${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.due_on, t.id`).all(...args) as Record<string, unknown>[]).map(taskOf);
}

/** One task by its id, or null. */
export function taskById(j: Journal, id: number): Task | null {
  const r = Journal.sqlOf(j).prepare(`${SELECT} WHERE t.id = ?`).get(id) as Record<string, unknown> | undefined;
  return r ? taskOf(r) : null;
}

/** Closes a task: done on that date, with the LRAR number and a note when given. */
export function closeTask(j: Journal, id: number, done: { on: CalendarDate; lrarNumber: string | null; note: string | null }): void {
  Journal.sqlOf(j).prepare(`UPDATE tasks SET status = 'fait', done_on = ?, lrar_number = ?, note = ? WHERE id = ? AND status = 'a_faire'`).run(done.on, done.lrarNumber, done.note, id);
}

/** The LRAR tasks of the actions, by action id: when each registered letter was posted (null: not yet) and its number. */
export function postingsOf(j: Journal): Map<number, { taskId: number; doneOn: CalendarDate | null; lrarNumber: string | null }> {
  const rows = Journal.sqlOf(j)
    .prepare(`SELECT id, action_id AS actionId, done_on AS doneOn, lrar_number AS lrarNumber FROM tasks WHERE kind = 'lrar' AND action_id IS NOT NULL ORDER BY id`)
    .all() as { id: number; actionId: number; doneOn: string | null; lrarNumber: string | null }[];
  return new Map(rows.map((r) => [r.actionId, { taskId: r.id, doneOn: r.doneOn, lrarNumber: r.lrarNumber }]));
}

/**
 * The actions as the letters read their history: a registered letter dated from the day
 * it was posted (its LRAR task done), with its number; one not posted yet left out (a formal notice that
 * never left is no notice: no deadline, no interest runs from it, Code civil 1344 and 1231-6).
 */
export function postedActions<A extends { id: number; actionDate: CalendarDate }>(j: Journal, actions: readonly A[]): (A & { lrarNumber?: string | null })[] {
  const postings = postingsOf(j);
  const out: (A & { lrarNumber?: string | null })[] = [];
  for (const a of actions) {
    const p = postings.get(a.id);
    if (!p) out.push(a);
    else if (p.doneOn !== null) out.push({ ...a, actionDate: p.doneOn, lrarNumber: p.lrarNumber });
  }
  return out;
}

/** A call noted (relance note --call) does the client's open call tasks due by that day; returns their ids. */
export function closeCallTasks(j: Journal, clientCode: string, on: CalendarDate, note: string): number[] {
  return Journal.sqlOf(j).transaction(() => {
    const ids = Journal.sqlOf(j).prepare(`SELECT id FROM tasks WHERE client_code = ? AND kind = 'appel' AND status = 'a_faire' AND due_on <= ? ORDER BY id`).pluck().all(clientCode, on) as number[];
    for (const id of ids) closeTask(j, id, { on, lrarNumber: null, note });
    return ids;
  })();
}
