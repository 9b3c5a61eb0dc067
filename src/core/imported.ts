import type { CaseMessage } from './case.js';
import type { CalendarDate } from './dates.js';
import type { OpenItem } from './records.js';
import type { Step } from './scenario.js';

/**
 * What the accounting software says it already sent for an invoice (Sage 100's « nombre
 * de rappels » and « date relance »): seeds the client's case, so that the ladder goes on
 * where the software left it instead of starting again at the first reminder.
 */
export interface ImportedReminder {
  clientCode: string;
  ref: string;
  /** How many reminders the software sent for the invoice. */
  count: number;
  /** The last one's date. */
  lastDate: CalendarDate;
  file: string;
  line: number;
}

/** The channel of a message the journal did not send but learnt from an export. */
export const IMPORTED_CHANNEL = 'importe';

/**
 * The step an imported reminder stands for. A software's « rappel » is an amicable
 * reminder: the first is a first reminder, any later one a second reminder. It is never
 * taken for a formal notice (mise en demeure), whatever the count: a consumer's interest
 * and a notice's deadline run from a formal notice, and nothing in the export says one
 * was sent, by registered letter, with the wording the law asks for.
 */
export function importedStep(count: number): Step {
  return count <= 1 ? 'relance1' : 'relance2';
}

/**
 * The case messages of each client with the imported reminders added (those the journal
 * already holds, from an earlier run, are not added twice). A reminder for an invoice no
 * longer open, or dated after `asOf`, is left out: it can say nothing of today's case.
 */
export function withImportedReminders(
  messages: ReadonlyMap<string, CaseMessage[]>,
  reminders: readonly ImportedReminder[],
  openItems: readonly OpenItem[],
  asOf: CalendarDate,
): Map<string, CaseMessage[]> {
  const out = new Map<string, CaseMessage[]>();
  for (const [code, list] of messages) out.set(code, [...list]);
  if (reminders.length === 0) return out;
  const open = new Map<string, OpenItem>();
  for (const i of openItems) if (i.openCents > 0) open.set(`${i.clientCode}\u0001${i.ref}`, i);
  const seen = new Set<string>();
  for (const [code, list] of out) {
    for (const m of list) if (m.channel === IMPORTED_CHANNEL) for (const inv of m.invoices) seen.add(keyOf(code, inv.ref, m.step, m.date));
  }
  for (const r of reminders) {
    const item = open.get(`${r.clientCode}\u0001${r.ref}`);
    if (!item || r.lastDate > asOf) continue;
    const step = importedStep(r.count);
    const key = keyOf(r.clientCode, r.ref, step, r.lastDate);
    if (seen.has(key)) continue;
    seen.add(key);
    const message: CaseMessage = {
      date: r.lastDate,
      step,
      channel: IMPORTED_CHANNEL,
      amountCents: item.openCents,
      invoices: [{ ref: r.ref, step, dueDate: item.dueDate }],
    };
    const list = out.get(r.clientCode);
    if (!list) out.set(r.clientCode, [message]);
    else {
      // Before the first later message: the journal's own order is kept.
      const at = list.findIndex((m) => m.date > message.date);
      list.splice(at === -1 ? list.length : at, 0, message);
    }
  }
  return out;
}

function keyOf(code: string, ref: string, step: Step, date: CalendarDate): string {
  return `${code}\u0001${ref}\u0001${step}\u0001${date}`;
}
